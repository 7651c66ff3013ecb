"""Evaluation sets share no long character run with training or knowledge-base text."""
from assistant.training import leakage

from conftest import ROOT


def test_no_eval_item_leaks():
    assert leakage.report() == {"topics_external": {}, "qa": {}}


def test_leak_is_detected():
    reference = ["镇里修好了东河桥和西村的三条机耕路，全年共投入资金八十万元。"]
    found = leakage.leaks({"e1": "今年镇里修好了东河桥和西村的三条机耕路吗", "e2": "依申请公开的答复期限是多久"}, reference)
    assert list(found) == ["e1"]


def test_frozen_sets_are_large_enough():
    topics = (ROOT / "corpus" / "eval" / "topics_external.jsonl").read_text(encoding="utf-8").splitlines()
    assert len([line for line in topics if line.strip()]) >= 150


def test_development_phrasings_are_new():
    """corpus/qa/dev.jsonl chooses the ranking as new phrasings would: none of them may be copied
    into the knowledge base or the training texts (the embedder would have seen it)."""
    dev = {str(n): q for n, q in enumerate(leakage.development_texts())}
    assert len(dev) >= 200
    assert leakage.leaks(dev, leakage.knowledge_texts() + leakage.training_texts()) == {}
