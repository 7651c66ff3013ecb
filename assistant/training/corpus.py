"""The training corpus: labelled topic items, boilerplate labels, stock phrases, QA pairs."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.nlp.paths import CORPUS, KNOWLEDGE, THEMES
from assistant.nlp.schemes import TOPICS

EVAL = CORPUS / "eval"


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")] if path.exists() else []


def labels_to_matrix(labels: list[list[str]]) -> np.ndarray:
    return np.array([[int(topic in item) for topic in TOPICS] for item in labels], dtype=int).reshape(-1, len(TOPICS))


@dataclass
class Corpus:
    texts: list[str]
    y: np.ndarray
    groups: list[str]
    bp_texts: list[str]
    bp_y: np.ndarray
    bp_groups: list[str]
    stock: tuple[str, ...]
    terms: tuple[str, ...]
    qa_pairs: list[tuple[str, str]]


def load_corpus() -> Corpus:
    items = jsonl(THEMES / "items.jsonl")
    # boilerplate labels: the boilerplate set plus topic items that carry a label of their own
    bp = jsonl(THEMES / "boilerplate.jsonl") + [i for i in items if "boilerplate" in i]
    stock = tuple(lines(THEMES / "stock_phrases.txt"))
    terms = tuple(line.split()[0] for line in lines(THEMES / "userdict.txt"))
    pairs = []
    for name in ("articles.jsonl", "format.jsonl", "faq.jsonl"):
        for entry in jsonl(KNOWLEDGE / name):
            body = "".join(str(entry.get(k, "")) for k in ("title", "summary", "content", "answer"))
            for question in entry.get("questions", []) + ([entry["question"]] if "question" in entry else []):
                pairs.append((question, body))
    return Corpus([i["text"] for i in items], labels_to_matrix([i["topics"] for i in items]), [i["doc"] for i in items],
                  [b["text"] for b in bp], np.array([b["boilerplate"] for b in bp]), [b["doc"] for b in bp],
                  stock, terms, pairs)


def external_set() -> tuple[list[str], np.ndarray, np.ndarray]:
    """The frozen external topic set (corpus/eval/topics_external.jsonl): texts, topics, boilerplate.
    Written before training in the styles of real reports; only ever measured, never used to choose."""
    items = jsonl(EVAL / "topics_external.jsonl")
    return [i["text"] for i in items], labels_to_matrix([i["topics"] for i in items]), \
        np.array([i["boilerplate"] for i in items])
