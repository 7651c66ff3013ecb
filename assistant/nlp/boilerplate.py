"""Boilerplate score of a paragraph: specificity against stock-phrase density.

Features are few and readable — counts of numbers, dates, named documents and platforms,
concrete results; the density of stock phrases and how much of the text is made of n-grams
of the stock-phrase bank — so that a finding can say why a paragraph scored high.
"""
from __future__ import annotations

import re

import numpy as np
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin

# Matches start only at the start of a number, and numbers never give back digits (possessive),
# so a long run of digits costs linear time.
_COUNT = re.compile(r"(?<!\d)\d++(?:\.\d++)?\s*(?:%|％|件|条|次|场|期|个|人|篇|项|家|万|份|批|天|小时|分钟|余|多|倍|元|家次|所|台|部|户)")
_CN_COUNT = re.compile(r"(?<![一二两三四五六七八九十百千])[一二两三四五六七八九十百千]++(?:件|条|次|场|期|个|篇|项|批|家|所|名)")
_DATE = re.compile(r"\d{4}\s*年|\d{1,2}\s*月\s*\d{0,2}|\d{1,2}\s*日")
_NAMED = re.compile(r"《[^》]{2,40}》")
_PLATFORM = re.compile(r"网站|公众号|微博|专栏|平台|热线|客户端|查阅点|专区|App|APP|视频号|抖音")
_RESULT = re.compile(r"(?:完成|发布|公开|办结|印发|制定|修订|开展|举办|召开|更新|上线|培训|答复|整改|审查)[^。；，,]{0,8}?\d")


def _ngrams(text: str, n: int = 4) -> set[str]:
    text = "".join(text.split())
    return {text[i:i + n] for i in range(len(text) - n + 1)}


class BoilerplateScorer(ClassifierMixin, BaseEstimator):
    """Probability that a paragraph is boilerplate, from hand-made specificity features."""

    def __init__(self, stock_phrases: tuple[str, ...] = (), seed: int = 0):
        self.stock_phrases = stock_phrases
        self.seed = seed

    def _bank(self) -> set[str]:
        bank = getattr(self, "bank_", None)
        if bank is None:
            bank = set().union(*(_ngrams(p) for p in self.stock_phrases)) if self.stock_phrases else set()
            self.bank_ = bank
        return bank

    def phrases_in(self, text: str) -> list[str]:
        return [p for p in self.stock_phrases if p in text]

    def features(self, texts: list[str]) -> np.ndarray:
        bank = self._bank()
        rows = []
        for text in texts:
            per100 = 100 / max(len(text), 1)
            grams = _ngrams(text)
            phrases = self.phrases_in(text)
            facts = len(_COUNT.findall(text)) + len(_CN_COUNT.findall(text)) + len(_DATE.findall(text))
            rows.append([
                facts * per100, float(facts > 0), len(_NAMED.findall(text)) * per100,
                len(_PLATFORM.findall(text)) * per100, len(_RESULT.findall(text)) * per100,
                len(phrases), len(phrases) * per100, len(grams & bank) / len(grams) if grams else 0.0,
            ])
        return np.array(rows, dtype=float)

    def fit(self, texts: list[str], y):
        from sklearn.linear_model import LogisticRegression  # training only: keeps loading light
        from sklearn.preprocessing import StandardScaler

        self.bank_ = None
        scaler = StandardScaler()
        features = scaler.fit_transform(self.features(list(texts)))
        model = LogisticRegression(C=1.0, max_iter=2000, random_state=self.seed).fit(features, np.asarray(y))
        # Plain arrays: scoring is a product, and the model persists as safetensors + JSON.
        self.mean_, self.scale_ = scaler.mean_, scaler.scale_
        self.coef_, self.intercept_ = model.coef_[0], model.intercept_[0]
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        p = expit(((self.features(list(texts)) - self.mean_) / self.scale_) @ self.coef_ + self.intercept_)
        return np.column_stack([1 - p, p])

    def predict(self, texts: list[str]) -> np.ndarray:
        return (self.predict_proba(texts)[:, 1] >= 0.5).astype(int)
