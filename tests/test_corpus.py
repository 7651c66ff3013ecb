"""Every corpus report parses to exactly the tables recorded beside it."""
import json
import subprocess
import sys

import pytest

from assistant.document import read_document
from assistant.document.tables import table_to_json
from assistant.errors import InputError

from conftest import CORPUS, ROOT

EXPECTED = sorted(CORPUS.glob("*.expected.json"))


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: p.name.split(".")[0])
def test_corpus_report(expected_path):
    expected = load(expected_path)
    source = CORPUS / expected["source"]
    if expected.get("unreadable"):
        with pytest.raises(InputError):
            read_document(source)
        return
    document = read_document(source)
    for key, table in expected["tables"].items():
        assert table_to_json(document.tables[key]) == table, key
    assert [n for n, p in document.parts.items() if p.found] == expected["parts_found"]
    meta = expected["report"]
    assert (document.meta.agency, document.meta.year, document.meta.agency_kind, document.meta.level) == \
        (meta["agency"], meta["year"], meta["agency_kind"], meta["level"])
    found = {(key, issue.kind, issue.row) for key, t in document.tables.items() if t for issue in t.issues}
    for issue in expected.get("table_issues", []):
        assert (issue["table"], issue["kind"], issue.get("row")) in found, issue


def test_corpus_is_varied():
    kinds, formats, years = set(), set(), set()
    for path in EXPECTED:
        expected = load(path)
        if expected.get("unreadable"):
            continue
        kinds.add(expected["report"]["level"] + "/" + expected["report"]["agency_kind"])
        formats.add(expected["source"].rsplit(".", 1)[1])
        years.add(expected["report"]["year"])
    assert len(EXPECTED) >= 13
    assert formats >= {"txt", "md", "html", "docx", "pdf"}
    assert years >= {2021, 2022, 2023, 2024}


@pytest.mark.parametrize("expected_path", [p for p in EXPECTED if load(p).get("unreadable")],
                         ids=lambda p: p.name.split(".")[0])
def test_unreadable_corpus_file_exit_2(expected_path):
    source = CORPUS / load(expected_path)["source"]
    proc = subprocess.run([sys.executable, "-m", "assistant", "check", str(source)], cwd=ROOT,
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2 and proc.stderr.startswith("错误：") and "Traceback" not in proc.stderr


def _previous_file(expected):
    if not expected.get("previous"):
        return None
    return next(p for p in CORPUS.iterdir() if p.stem == expected["previous"] and not p.name.endswith(".json"))


READABLE = [p for p in EXPECTED if not load(p).get("unreadable")]
NLP_RULES = {"N601", "N602", "N609"}  # statistical: checked report by report below, known errors recorded
# Known errors of the NLP rules, one per report, each a strict xfail: fixing one makes its test
# pass unexpectedly and forces the entry out of this list.
KNOWN_NLP_ERRORS: dict[str, str] = {}


def _findings(expected_path):
    from assistant.checker import check_path

    expected = load(expected_path)
    result = check_path(CORPUS / expected["source"], _previous_file(expected))
    tolerated = set(expected.get("tolerated", []))
    fired = {f.rule for f in result.findings} - tolerated
    wanted = {d["rule"] for d in expected["defects"]} - tolerated
    return fired, wanted, result


# Known false findings, one report each (strict: the test fails once the finding is gone).
KNOWN_FALSE = {
    "web-anping-jyj-2024": "T202: table 4's blank last group, one cell per line, ends without a closing bar, "
                           "so its fifth blank cell is invisible and the row reads as short",
}


def _known(paths):
    return [pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=KNOWN_FALSE[p.name.split(".")[0]]))
            if p.name.split(".")[0] in KNOWN_FALSE else p for p in paths]


@pytest.mark.parametrize("expected_path", _known(READABLE), ids=lambda p: p.name.split(".")[0])
def test_corpus_findings(expected_path):
    """Each report gets exactly the rule-based findings recorded beside it (rules in `tolerated` may also fire)."""
    fired, wanted, result = _findings(expected_path)
    assert fired - NLP_RULES == wanted - NLP_RULES, [f"{f.rule} {f.message}" for f in result.findings]


def _nlp_case(path):
    name = path.name.split(".")[0]
    reason = KNOWN_NLP_ERRORS.get(name)
    return pytest.param(path, id=name, marks=pytest.mark.xfail(strict=True, reason=reason) if reason else ())


@pytest.mark.parametrize("expected_path", [_nlp_case(p) for p in READABLE])
def test_corpus_nlp_findings(expected_path):
    """N601/N602/N609 fire exactly as recorded for each report."""
    fired, wanted, result = _findings(expected_path)
    assert fired & NLP_RULES == wanted & NLP_RULES, [f"{f.rule} {f.message}" for f in result.findings
                                                    if f.rule in NLP_RULES]


def test_corpus_specs_agree_with_their_documents():
    """corpus/reports/verify_specs.py: specs, rendered documents and expected results agree."""
    proc = subprocess.run([sys.executable, str(CORPUS / "verify_specs.py")], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
