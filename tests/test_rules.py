"""One generic test runs every rule's data-driven cases (tests/rules/cases/<RULE>.json).

A case names a base report (tests/rules/bases/<name>.txt, or "seed" for the sample report),
text edits to apply to it, optionally a previous-year report built the same way, and whether
the rule must fire. Each rule has at least two cases that fire it and two near-misses.
A case may say the tables were read by OCR: ``"ocr": {"default": 0.99, "cells": [[table, row,
column, confidence], …]}`` gives every table cell the default confidence and the listed ones theirs.
A case may run other rules alongside its own (``"select": ["N602", "N609"]``) when a rule leaves
something to another one that runs; only its own rule's findings are counted.
"""
import json
import re
from pathlib import Path

import pytest

from assistant.checker import CheckOptions, check_document
from assistant.document import parse_text
from assistant.rules import all_rules, run_rules

from conftest import SEED

HERE = Path(__file__).parent / "rules"
CASE_FILES = sorted((HERE / "cases").glob("*.json"))


def build(spec: dict) -> str:
    name = spec.get("base", "clean")
    text = SEED.read_text(encoding="utf-8") if name == "seed" else (HERE / "bases" / f"{name}.txt").read_text(encoding="utf-8")
    for edit in spec.get("edits", []):
        old, new = edit[0], edit[1]
        if spec.get("regex"):
            text, n = re.subn(old, new, text)
            assert n, f"pattern not found in base {name}: {old}"
        else:
            assert old in text, f"text not found in base {name}: {old}"
            text = text.replace(old, new)
    return text


def cases():
    for path in CASE_FILES:
        data = json.loads(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            yield pytest.param(data["rule"], case, id=f"{data['rule']}-{case['name']}")


def as_ocr(document, ocr: dict):
    """The document as if its tables had been read by OCR with the given confidences."""
    for table in document.tables.values():
        for cols in (table.cells if table else {}).values():
            for cell in cols.values():
                cell.confidence = ocr.get("default", 0.99)
    for key, row, column, confidence in ocr.get("cells", []):
        document.tables[key].cells[row][column].confidence = confidence
    return document


@pytest.mark.parametrize("rule_id,case", list(cases()))
def test_rule_case(rule_id, case):
    document = parse_text(build(case))
    if "ocr" in case:
        document = as_ocr(document, case["ocr"])
    previous = parse_text(build(case["previous"])) if case.get("previous") else None
    options = CheckOptions(scheme=case.get("scheme", "format2021"), select=case.get("select", [rule_id]))
    fired = [f for f in check_document(document, previous, options).findings if f.rule == rule_id]
    assert bool(fired) == case["fires"], [f.message for f in fired]
    if "count" in case:
        assert len(fired) == case["count"], [f.message for f in fired]
    for text in case.get("message_contains", []):
        assert any(text in f.message for f in fired), [f.message for f in fired]
    for text in case.get("message_excludes", []):
        assert not any(text in f.message for f in fired), [f.message for f in fired]
    for f in fired:
        assert f.message and f.citation and f.suggestion and f.location


def test_every_rule_has_cases():
    by_rule = {}
    for path in CASE_FILES:
        data = json.loads(path.read_text(encoding="utf-8"))
        by_rule[data["rule"]] = data["cases"]
    for rule in all_rules():
        cases_ = by_rule.get(rule.id, [])
        assert sum(c["fires"] for c in cases_) >= 2, f"{rule.id}: fewer than two firing cases"
        assert sum(not c["fires"] for c in cases_) >= 2, f"{rule.id}: fewer than two near-misses"


def test_rule_documentation_complete():
    for rule in all_rules():
        assert rule.id and rule.title and rule.citation and rule.severity in ("error", "warning", "info")
        for section in ("说明", "原因", "反例", "正例"):
            assert rule.doc_section(section), f"{rule.id} lacks section {section}"


def test_clean_reports_have_no_findings():
    clean = parse_text(build({"base": "clean"}))
    previous = parse_text(build({"base": "clean_prev"}))
    assert run_rules(clean, previous) == []
    assert run_rules(previous) == []


def test_seed_findings():
    """The sample gets the findings of DOMAIN.md §6 (rules without NLP) and none on its tables."""
    fired = {f.rule for f in run_rules(parse_text(build({"base": "seed"})))}
    assert {"N604", "N605"} <= fired
    assert not {r for r in fired if r[0] == "T"}
