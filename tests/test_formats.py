"""One report rendered as txt, md, html (UTF-8 and GBK), docx and pdf reads back to identical tables."""
import pytest
from support.render import render

from assistant.document import parse_text, read_document
from assistant.document.tables import table_to_json

from conftest import ROOT

BASE = ROOT / "tests" / "rules" / "bases" / "clean.txt"


def spec_from(document):
    """A renderer spec holding everything the parser read from a report."""
    parts = []
    for number, part in document.parts.items():
        entry = {"number": number, "heading": part.heading}
        table = {2: "table2", 3: "table3", 4: "table4"}.get(number)
        if table:
            entry["table"] = table
        else:
            entry["paragraphs"] = [p.text for p in document.part_paragraphs(number)]
        parts.append(entry)
    return {"title": document.meta.title, "preamble": [p.text for p in document.part_paragraphs(0)],
            "parts": parts, "closing": [p.text for p in document.part_paragraphs(7)],
            "tables": {k: table_to_json(t) for k, t in document.tables.items()}}


@pytest.fixture(scope="module")
def original():
    return parse_text(BASE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt,encoding", [("txt", None), ("md", None), ("html", None), ("html", "gbk"),
                                          ("docx", None), ("pdf", None)])
def test_same_tables_in_every_format(tmp_path, original, fmt, encoding):
    spec = spec_from(original)
    if encoding:
        spec["html_encoding"] = encoding
    path = render(spec, fmt, tmp_path / f"report.{fmt}")
    document = read_document(path)
    assert document.fmt == fmt
    for key in ("table2", "table3", "table4"):
        assert table_to_json(document.tables[key]) == table_to_json(original.tables[key]), (fmt, key)
        assert document.tables[key].issues == []
    assert [p.found for p in document.parts.values()] == [True] * 6
    assert document.meta.agency == original.meta.agency and document.meta.year == original.meta.year
    assert [p.text for p in document.part_paragraphs(1)] == [p.text for p in original.part_paragraphs(1)]
