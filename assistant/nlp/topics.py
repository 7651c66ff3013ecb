"""Topics of 总体情况 sentences and paragraphs, and the schemes that map them to aspects."""
from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline

from .text import split_sentences, words

TOPICS = ("组织领导", "宣传培训", "主动公开", "依申请公开", "政府信息管理", "平台建设", "监督考核")

# aspect of a scheme -> the fine topics that cover it (shared/CONTRACT.md)
SCHEMES = {
    "format2021": {"主动公开": ("主动公开",), "依申请公开": ("依申请公开",), "政府信息管理": ("政府信息管理",),
                   "平台建设": ("平台建设",), "监督保障": ("组织领导", "宣传培训", "监督考核")},
    "seed4": {"组织领导": ("组织领导",), "宣传教育": ("宣传培训",),
              "制度落实与公开": ("主动公开", "依申请公开", "政府信息管理", "平台建设"), "监督检查": ("监督考核",)},
}

ADVICE = {
    "主动公开": "写明本年主动公开政府信息的数量和渠道、重点领域信息公开、政策文件与解读的发布情况（第十九条至第二十六条）。",
    "依申请公开": "写明收到和办理政府信息公开申请的数量、办理结果、答复时效和规范化措施（第二十七条至第四十五条）。",
    "政府信息管理": "写明规范性文件清理、公开属性认定、公开前保密审查、政府信息动态调整和指南目录更新等情况（第十七条、第十八条）。",
    "平台建设": "写明政府网站、政府信息公开专栏、政务新媒体、公开查阅点等平台的建设和运维情况（第二十三条至第二十五条）。",
    "监督保障": "写明组织领导、培训、考核、社会评议和责任追究等监督保障措施及其结果（第四十六条至第四十八条）。",
    "组织领导": "写明政务公开工作机构、负责人、分工和工作部署（第四条）。",
    "宣传教育": "写明开展的培训、学习和宣传活动及其场次、人数（第四十八条）。",
    "制度落实与公开": "写明主动公开、依申请公开、信息管理和平台建设的制度落实情况及数据。",
    "监督检查": "写明监督检查、考核评议、责任追究的开展情况和结果（第四十六条、第四十七条）。",
}


def tfidf_features() -> FeatureUnion:
    """Word (jieba) and character n-gram TF-IDF: words carry domain terms, characters survive typos."""
    return FeatureUnion([
        ("words", TfidfVectorizer(analyzer=words, ngram_range=(1, 1), sublinear_tf=True, min_df=1)),
        ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)),
    ])


def linear_head(seed: int) -> OneVsRestClassifier:
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
        features = self.features if self.features is not None else tfidf_features()
        self.pipeline_ = Pipeline([("features", clone(features)), ("clf", linear_head(self.seed))])
        self.pipeline_.fit(list(texts), np.asarray(y))
        self.classes_ = np.arange(len(TOPICS))
        return self

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Per-text topic scores (n_texts × 7); multi-sentence texts are aggregated."""
        texts = list(texts)
        pieces = [split_sentences(t) or [t] for t in texts]
        flat = texts + [s for p in pieces for s in p]
        scores = self.pipeline_.predict_proba(flat)
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


def coverage(topic_sets: list[set[str]], scheme: str) -> tuple[list[str], list[str]]:
    """(covered, missing) aspects of a scheme given the topics found in 总体情况."""
    found = set().union(*topic_sets) if topic_sets else set()
    covered, missing = [], []
    for aspect, topics in SCHEMES[scheme].items():
        (covered if found & set(topics) else missing).append(aspect)
    return covered, missing
