"""Topics of 总体情况 text: one logistic regression per topic over TF-IDF features (numpy only).

A text's score for a topic is the best of its own score and the scores of its sentences and
sub-heading: one clear statement is enough to cover a topic, however short.
"""
from __future__ import annotations

import numpy as np

from .features import TfidfVectors, row_starts, sentences, split_heading
from .schemes import TOPICS


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def pieces(text: str) -> list[str]:
    """The text, its sub-heading and its sentences: what is scored for one text."""
    heading, body = split_heading(text)
    parts = [text] + ([heading] if heading else []) + (sentences(body) if body else [])
    return list(dict.fromkeys(p for p in parts if p))


class TopicModel:
    def __init__(self, vectors: TfidfVectors, coef: np.ndarray, intercept: np.ndarray, thresholds: np.ndarray):
        self.vectors = vectors
        self.coef = np.asarray(coef, dtype=np.float64)  # topics × vocabulary
        self._by_token = np.ascontiguousarray(self.coef.T)  # rows gathered per token when scoring
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.thresholds = np.asarray(thresholds, dtype=np.float64)

    def piece_scores(self, texts: list[str]) -> np.ndarray:
        """Scores of each text taken as one piece (n × topics)."""
        out = np.zeros((len(texts), len(TOPICS)))
        idx, weights, sizes = self.vectors.rows(texts)
        if len(idx):
            filled = sizes > 0  # reduceat cannot express an empty row: those keep 0
            out[filled] = np.add.reduceat(self._by_token[idx] * weights[:, None], row_starts(sizes)[filled], axis=0)
        return sigmoid(out + self.intercept)

    def scores(self, texts: list[str]) -> np.ndarray:
        """Scores of each text: the best of its pieces (n × topics)."""
        split = [pieces(t) for t in texts]
        flat = self.piece_scores([p for ps in split for p in ps])
        out, start = np.zeros((len(texts), len(TOPICS))), 0
        for r, ps in enumerate(split):
            if ps:
                out[r] = flat[start:start + len(ps)].max(axis=0)
            start += len(ps)
        return out

    def labels(self, row: np.ndarray) -> list[str]:
        return [t for t, s, th in zip(TOPICS, row, self.thresholds) if s >= th]
