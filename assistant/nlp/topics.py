"""Topics of 总体情况 sentences and paragraphs, and the schemes that map them to aspects."""
from __future__ import annotations

import numpy as np
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from .schemes import TOPICS
from .text import split_sentences, words


def tfidf_features() -> FeatureUnion:
    """Word (jieba) and character n-gram TF-IDF: words carry domain terms, characters survive typos.

    Terms found in more than a fifth of the texts (工作, 政务公开, 的 …) say nothing about the
    topic and only make the model lean on the report's general register, so they are dropped.
    """
    return FeatureUnion([
        ("words", TfidfVectorizer(analyzer=words, sublinear_tf=True, max_df=0.2)),
        ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2, max_df=0.2)),
    ])


def linear_head(seed: int):
    from sklearn.linear_model import LogisticRegression  # training only: keeps loading light
    from sklearn.multiclass import OneVsRestClassifier

    return OneVsRestClassifier(LogisticRegression(C=8.0, class_weight="balanced", max_iter=3000,
                                                  random_state=seed))


class TopicClassifier(ClassifierMixin, BaseEstimator):
    """Multi-label topic classifier: scores sentences, aggregates them per paragraph.

    `features` turns texts into vectors (TF-IDF by default, or embeddings); one calibrated
    logistic regression per topic scores them. A paragraph's score for a topic blends its own
    score with the best score of its sentences, so one clear sentence is enough to cover a topic.
    """

    def __init__(self, features=None, threshold: float = 0.5, blend: float = 0.5, seed: int = 0):
        self.features = features
        self.threshold = threshold
        self.blend = blend
        self.seed = seed

    def fit(self, texts: list[str], y: np.ndarray):
        self.features_ = clone(self.features if self.features is not None else tfidf_features())
        head = linear_head(self.seed).fit(self.features_.fit(list(texts)).transform(list(texts)), np.asarray(y))
        # One logistic regression per topic, kept as plain arrays: scoring is one matrix product
        # and the model persists as safetensors + JSON (assistant/nlp/persist.py).
        self.coef_ = np.vstack([estimator.coef_[0] for estimator in head.estimators_])
        self.intercept_ = np.array([estimator.intercept_[0] for estimator in head.estimators_])
        self.classes_ = np.arange(len(TOPICS))
        return self

    def sentence_scores(self, texts: list[str]) -> np.ndarray:
        return expit(self.features_.transform(texts) @ self.coef_.T + self.intercept_)

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Per-text topic scores (n_texts × 7); multi-sentence texts are aggregated."""
        texts = list(texts)
        pieces = [split_sentences(t) or [t] for t in texts]
        flat = texts + [s for p in pieces for s in p]
        scores = self.sentence_scores(flat)
        own, rest = scores[:len(texts)], scores[len(texts):]
        out = np.empty_like(own)
        start = 0
        for i, sentences in enumerate(pieces):
            best = rest[start:start + len(sentences)].max(axis=0)
            start += len(sentences)
            out[i] = own[i] if len(sentences) == 1 else self.blend * own[i] + (1 - self.blend) * best
        return out

    def predict(self, texts: list[str]) -> np.ndarray:
        return (self.predict_proba(texts) >= self.threshold).astype(int)


class TopicEnsemble(ClassifierMixin, BaseEstimator):
    """Mean of the members' topic scores (TF-IDF and embedding classifiers)."""

    def __init__(self, members: tuple = (), threshold: float = 0.5):
        self.members = members
        self.threshold = threshold

    def fit(self, texts: list[str], y: np.ndarray):
        self.members_ = tuple(clone(m).fit(texts, y) for m in self.members)
        self.classes_ = np.arange(len(TOPICS))
        return self

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        return np.mean([m.predict_proba(texts) for m in self.members_], axis=0)

    def predict(self, texts: list[str]) -> np.ndarray:
        return (self.predict_proba(texts) >= self.threshold).astype(int)


def labels_to_matrix(labels: list[list[str]]) -> np.ndarray:
    return np.array([[int(topic in item) for topic in TOPICS] for item in labels])
