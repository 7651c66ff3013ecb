"""Boilerplate score of a sentence: specificity against stock prose (numpy only).

A logistic model over the named features of features.boilerplate_features: facts (numbers,
zero counts, dates, named platforms, documents and events, reported actions) pull the score
down whatever the length; stock phrases, slogan verbs, promises (下一步…) and preambles pull it up.
"""
from __future__ import annotations

import numpy as np

from .features import BOILERPLATE_FEATURES, boilerplate_features, stock_phrases_in
from .topics import sigmoid


class BoilerplateModel:
    def __init__(self, stock: tuple[str, ...], mean: np.ndarray, scale: np.ndarray, coef: np.ndarray,
                 intercept: float, threshold: float = 0.5):
        self.stock = stock
        self.mean, self.scale, self.coef = (np.asarray(a, dtype=np.float64) for a in (mean, scale, coef))
        self.intercept = float(intercept)
        self.threshold = threshold
        assert len(self.coef) == len(BOILERPLATE_FEATURES)

    def features(self, texts: list[str]) -> np.ndarray:
        return np.array([boilerplate_features(t, self.stock) for t in texts], dtype=np.float64).reshape(
            len(texts), len(BOILERPLATE_FEATURES))

    def scores(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros(0)
        return sigmoid(((self.features(texts) - self.mean) / self.scale) @ self.coef + self.intercept)

    def phrases_in(self, text: str) -> list[str]:
        return stock_phrases_in(text, self.stock)
