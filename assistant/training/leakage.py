"""Leakage between evaluation sets and the text models learn from or answer with.

An evaluation item leaks when it shares a long run of characters with training or
knowledge-base text. Fixed names (statute and part titles, table row labels, domain terms,
stock phrases) are masked first: every report and question uses them, and they say nothing
about whether an item was copied.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from ..config import ROOT

CORPUS = ROOT / "corpus"
N = 12  # characters; a shared run this long is a copied phrase, not a shared term
_DROP = re.compile(r"[\s，。；：、,.;:！？!?“”\"'‘’（）()《》〈〉【】\[\]—…·/|-]")
_MASK = "\x00"


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def fixed_terms() -> list[str]:
    """Names every text may share: domain dictionary, stock phrases, part titles, row labels."""
    from assistant.document.schema import PART_TITLES, TABLE3_KEYS

    terms = [line.split()[0] for line in (CORPUS / "themes" / "userdict.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    terms += [line.strip() for line in (CORPUS / "themes" / "stock_phrases.txt").read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")]
    terms += list(PART_TITLES.values()) + [label for key in TABLE3_KEYS for label in key.split("/")]
    terms += ["中华人民共和国政府信息公开条例", "政府信息公开工作年度报告", "中华人民共和国政府信息公开工作年度报告格式"]
    return sorted({_DROP.sub("", t) for t in terms if len(_DROP.sub("", t)) >= 4}, key=len, reverse=True)


def _masked(text: str, terms: list[str]) -> str:
    text = _DROP.sub("", text)
    for term in terms:
        if term in text:
            text = text.replace(term, _MASK)
    return text


def grams(text: str, terms: list[str], n: int = N) -> set[str]:
    text = _masked(text, terms)
    return {text[i:i + n] for i in range(len(text) - n + 1) if _MASK not in text[i:i + n]}


def knowledge_texts() -> list[str]:
    texts = []
    for name in ("articles.jsonl", "format.jsonl", "faq.jsonl"):
        for entry in _jsonl(CORPUS / "knowledge" / name):
            texts += [str(v) for v in entry.values() if isinstance(v, str)]
            texts += [q for key in ("questions", "keywords", "duties", "conditions") for q in entry.get(key, [])
                      if isinstance(q, str)]
    return texts


def training_texts() -> list[str]:
    """Every text a model learns from: topic items, boilerplate items, calibration questions."""
    texts = [i["text"] for i in _jsonl(CORPUS / "themes" / "items.jsonl")]
    texts += [i["text"] for i in _jsonl(CORPUS / "themes" / "boilerplate.jsonl")]
    for path in sorted((CORPUS / "qa").glob("*.txt")) if (CORPUS / "qa").is_dir() else []:
        texts += [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                  if line.strip() and not line.startswith("#")]
    return texts


def development_texts() -> list[str]:
    """The new phrasings that choose the ranking of retrieval (corpus/qa/dev.jsonl)."""
    from .qa_tuning import new_phrasings

    return [question for question, _ in new_phrasings()]


def leaks(eval_texts: dict[str, str], reference: list[str], n: int = N) -> dict[str, list[str]]:
    """Evaluation ids whose text shares an n-gram with the reference texts, with the shared runs."""
    terms = fixed_terms()
    pool: set[str] = set()
    for text in reference:
        pool |= grams(text, terms, n)
    out = {}
    for key, text in eval_texts.items():
        shared = sorted(grams(text, terms, n) & pool)
        if shared:
            out[key] = shared[:3]
    return out


def report() -> dict[str, dict[str, list[str]]]:
    reference = training_texts() + knowledge_texts() + development_texts()
    topics = {i["id"]: i["text"] for i in _jsonl(CORPUS / "eval" / "topics_external.jsonl")}
    qa = {i["id"]: i["question"] for i in _jsonl(CORPUS / "eval" / "qa.jsonl")}
    return {"topics_external": leaks(topics, reference), "qa": leaks(qa, reference)}


if __name__ == "__main__":
    print(json.dumps(report(), ensure_ascii=False, indent=1))
