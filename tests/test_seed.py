"""The seed report (a real user's document) parses completely, every value in place."""
import re

import pytest

from assistant.document import parse_text, read_document
from assistant.document.schema import TABLE3_COLUMNS, TABLE3_KEYS, TABLE4_COLUMNS, TABLE4_GROUPS
from assistant.document.tables import table_to_json

from conftest import CORPUS, SEED


@pytest.fixture(scope="module")
def seed_text():
    path = SEED if SEED.exists() else CORPUS / "zhoukou-2021.txt"
    return path.read_text(encoding="utf-8")


def test_seed_parts_and_meta(seed_text):
    doc = parse_text(seed_text)
    assert [p.found for p in doc.parts.values()] == [True] * 6
    assert doc.parts[4].heading == "四、政府信息公开行政复议、行政诉讼情况"  # the heading without '##'
    assert doc.meta.agency == "周口市行政服务中心"
    assert doc.meta.year == 2021
    assert [p.text for p in doc.part_paragraphs(5)] == ["无"]
    assert [p.text[:3] for p in doc.part_paragraphs(1)] == ["(一)", "(二)", "(三)", "(四)"]


def test_seed_tables_complete(seed_text):
    doc = parse_text(seed_text)
    t3 = table_to_json(doc.tables["table3"])
    assert list(t3) == list(TABLE3_KEYS) and len(t3) == 25
    assert all(t3[row][col] == 0 for row in t3 for col in TABLE3_COLUMNS)
    t4 = table_to_json(doc.tables["table4"])
    assert sum(len(cols) for cols in t4.values()) == 15
    assert all(v == 0 for cols in t4.values() for v in cols.values())
    t2 = table_to_json(doc.tables["table2"])
    assert all(v == 0 for cols in t2.values() for v in cols.values())
    assert not any(t.issues for t in doc.tables.values())


def _numbered(text: str, start_marker: str, end_marker: str) -> str:
    """Replace every 0 cell between two markers by 1, 2, 3… in reading order."""
    start, end = text.index(start_marker), text.index(end_marker)
    counter = iter(range(1, 10_000))
    middle = re.sub(r"(?<![^\t\n])0(?![^\t\n])", lambda m: str(next(counter)), text[start:end])
    return text[:start] + middle + text[end:]


def test_seed_layout_maps_every_cell(seed_text):
    """With distinct numbers in every cell, each lands on its own key: nothing shifted."""
    text = _numbered(seed_text, "## 二、", "## 三、")
    text = _numbered(text, "## 三、", "四、政府信息公开行政复议")
    text = _numbered(text, "四、政府信息公开行政复议", "五、存在")
    doc = parse_text(text)
    t3 = table_to_json(doc.tables["table3"])
    flat = [t3[row][col] for row in TABLE3_KEYS for col in TABLE3_COLUMNS]
    assert flat == list(range(1, 176))
    t4 = table_to_json(doc.tables["table4"])
    assert [t4[g][c] for g in TABLE4_GROUPS for c in TABLE4_COLUMNS] == list(range(1, 16))
    t2 = table_to_json(doc.tables["table2"])
    assert t2["规章"] == {"本年制发件数": 1, "本年废止件数": 2, "现行有效件数": 3}
    assert t2["行政规范性文件"]["现行有效件数"] == 6
    assert t2["行政事业性收费"] == {"本年收费金额": 10}


def test_seed_file_reader_matches_text(seed_text, tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(seed_text, encoding="utf-8")
    assert table_to_json(read_document(path).tables["table3"]) == table_to_json(parse_text(seed_text).tables["table3"])
