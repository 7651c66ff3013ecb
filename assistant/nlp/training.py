"""`train` and `evaluate`: rebuild models/ from corpus/ and print document-grouped metrics."""
from __future__ import annotations

import hashlib
import json
import platform
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score, precision_score, recall_score
from sklearn.model_selection import GroupKFold

from .boilerplate import BoilerplateScorer
from .paths import KNOWLEDGE, MODELS, THEMES
from .schemes import TOPICS
from .topics import TopicClassifier, TopicEnsemble, labels_to_matrix

SEED = 20211
FOLDS = 5
CARD = "model_card.json"
TOPIC_EMBEDDER = "topic_embedder"
VARIANTS = ("tfidf", "embedding", "ensemble")
DATA_FILES = ("themes/items.jsonl", "themes/boilerplate.jsonl", "themes/stock_phrases.txt", "themes/external.json",
              "themes/userdict.txt", "knowledge/articles.jsonl", "knowledge/format.jsonl", "knowledge/faq.jsonl")


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def data_hash() -> str:
    digest = hashlib.sha256()
    for name in DATA_FILES:
        path = THEMES.parent / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


@dataclass
class Corpus:
    texts: list[str]
    y: np.ndarray
    groups: list[str]
    bp_texts: list[str]
    bp_y: np.ndarray
    bp_groups: list[str]
    stock: tuple[str, ...]
    qa_pairs: list[tuple[str, str]]
    external_texts: list[str]
    external_y: np.ndarray


def load_corpus() -> Corpus:
    items = _jsonl(THEMES / "items.jsonl")
    bp = _jsonl(THEMES / "boilerplate.jsonl")
    stock = tuple(line.strip() for line in (THEMES / "stock_phrases.txt").read_text(encoding="utf-8").splitlines()
                  if line.strip() and not line.startswith("#"))
    pairs = []
    for name in ("articles.jsonl", "format.jsonl", "faq.jsonl"):
        path = KNOWLEDGE / name
        for entry in _jsonl(path) if path.exists() else []:
            body = "".join(str(entry.get(k, "")) for k in ("title", "summary", "content", "answer"))
            for question in entry.get("questions", []) + ([entry["question"]] if "question" in entry else []):
                pairs.append((question, body))
    external_texts, external_labels = external_check()
    return Corpus([i["text"] for i in items], labels_to_matrix([i["topics"] for i in items]),
                  [i["doc"] for i in items], [b["text"] for b in bp], np.array([b["boilerplate"] for b in bp]),
                  [b["doc"] for b in bp], stock, pairs, external_texts, labels_to_matrix(external_labels))


def external_check() -> tuple[list[str], list[list[str]]]:
    """Paragraphs of real reports with reviewer-assigned topics (never used for training)."""
    from ..document import read_document

    spec = json.loads((THEMES / "external.json").read_text(encoding="utf-8"))
    texts, labels = [], []
    for entry in spec["documents"]:
        overview = read_document(THEMES.parents[1] / entry["report"]).part_paragraphs(1)
        for item in entry["overview_paragraphs"]:
            texts.append(overview[item["index"]].text)
            labels.append(item["topics"])
    return texts, labels


def topic_pairs(texts: list[str], y: np.ndarray, seed: int) -> list[tuple[str, str]]:
    """(text, another text with the same topics) pairs for contrastive training."""
    rng = np.random.default_rng(seed)
    by_label: dict[tuple, list[int]] = {}
    for i, row in enumerate(y):
        by_label.setdefault(tuple(row), []).append(i)
    pairs = []
    for members in by_label.values():
        if len(members) < 2:
            continue
        for i in members:
            j = i
            while j == i:
                j = int(rng.choice(members))
            pairs.append((texts[i], texts[j]))
    return pairs


def _configured_embedder():
    """A user-configured embedder (assistant.toml), used as is instead of training ours."""
    from .embedder import EMBEDDER_DIR, embedder_name, load_embedder

    return None if embedder_name() == str(EMBEDDER_DIR) else load_embedder()


def _embedder_for(texts, y, corpus: Corpus, seed: int, output: Path | None = None, with_qa: bool = True):
    """Our StaticEmbedding: topic pairs, plus question → entry pairs for question answering.

    The topic classifier gets its own embedder trained on topic pairs only, so that growing the
    knowledge base does not move the topic model.
    """
    from .embedder import train_embedder

    pairs = topic_pairs(texts, y, seed) + (corpus.qa_pairs if with_qa else [])
    vocabulary = corpus.texts + corpus.bp_texts + [t for pair in corpus.qa_pairs for t in pair]
    return train_embedder(pairs, vocabulary, seed=seed, output=output)


class _FixedEmbedding:
    """Features from an in-memory embedder (used inside cross-validation folds)."""

    def __init__(self, model):
        self.model = model

    def fit(self, texts, y=None):
        return self

    def transform(self, texts):
        return self.model.encode(list(texts), normalize_embeddings=True, batch_size=256)

    def get_params(self, deep=True):
        return {"model": self.model}

    def set_params(self, **params):
        self.model = params.get("model", self.model)
        return self


def topic_model(variant: str, embedding_features) -> TopicClassifier | TopicEnsemble:
    if variant == "tfidf":
        return TopicClassifier(seed=SEED)
    embedded = TopicClassifier(features=embedding_features, seed=SEED)
    return embedded if variant == "embedding" else TopicEnsemble((TopicClassifier(seed=SEED), embedded))


def _scores(y_true: np.ndarray, y_pred: np.ndarray) -> dict:
    return {"macro_f1": float(f1_score(y_true, y_pred, average="macro", zero_division=0)),
            "per_topic": {t: float(f1_score(y_true[:, k], y_pred[:, k], zero_division=0)) for k, t in enumerate(TOPICS)}}


def cross_validate(corpus: Corpus, variants=VARIANTS, log=print) -> dict:
    groups = np.array(corpus.groups)
    texts = np.array(corpus.texts, dtype=object)
    predictions = {v: np.zeros_like(corpus.y) for v in variants}
    configured = _configured_embedder()
    for fold, (train, test) in enumerate(GroupKFold(n_splits=FOLDS).split(texts, corpus.y, groups)):
        log(f"  第 {fold + 1}/{FOLDS} 折：训练 {len(train)} 条，测试 {len(test)} 条")
        embedder = configured or _embedder_for(list(texts[train]), corpus.y[train], corpus, SEED, with_qa=False)
        features = _FixedEmbedding(embedder)
        proba = {}
        for variant in ("tfidf", "embedding"):
            model = topic_model(variant, features).fit(list(texts[train]), corpus.y[train])
            proba[variant] = model.predict_proba(list(texts[test]))
        proba["ensemble"] = (proba["tfidf"] + proba["embedding"]) / 2
        for variant in variants:
            predictions[variant][test] = (proba[variant] >= 0.5).astype(int)
    topic_metrics = {v: _scores(corpus.y, predictions[v]) for v in variants}
    embedder = configured or _embedder_for(corpus.texts, corpus.y, corpus, SEED, with_qa=False)
    features = _FixedEmbedding(embedder)
    proba = {v: topic_model(v, features).fit(corpus.texts, corpus.y).predict_proba(corpus.external_texts)
             for v in ("tfidf", "embedding")}
    proba["ensemble"] = (proba["tfidf"] + proba["embedding"]) / 2
    for variant in variants:
        hits = ((proba[variant] >= 0.5).astype(int) == corpus.external_y).all(axis=1)
        topic_metrics[variant]["external_exact"] = float(hits.mean())

    bp_pred = np.zeros_like(corpus.bp_y)
    for train, test in GroupKFold(n_splits=FOLDS).split(corpus.bp_texts, corpus.bp_y, corpus.bp_groups):
        scorer = BoilerplateScorer(corpus.stock, seed=SEED).fit([corpus.bp_texts[i] for i in train], corpus.bp_y[train])
        bp_pred[test] = scorer.predict([corpus.bp_texts[i] for i in test])
    bp_metrics = {"f1": float(f1_score(corpus.bp_y, bp_pred)), "precision": float(precision_score(corpus.bp_y, bp_pred)),
                  "recall": float(recall_score(corpus.bp_y, bp_pred))}
    # Real reports come first: among variants that label every external paragraph exactly, the best
    # cross-validated one wins; the external set is too small to rank variants on its own.
    best = max(variants, key=lambda v: (topic_metrics[v]["external_exact"], topic_metrics[v]["macro_f1"]))
    return {"topics": topic_metrics, "best_variant": best, "boilerplate": bp_metrics,
            "folds": FOLDS, "grouped_by": "document", "n_items": len(corpus.texts), "n_boilerplate": len(corpus.bp_texts)}


def print_metrics(metrics: dict) -> None:
    print(f"\n主题分类（{metrics['folds']} 折交叉验证，按文档分组，{metrics['n_items']} 条）")
    topics = metrics["topics"]
    print("方案".ljust(12) + "macro-F1  " + "  ".join(t for t in TOPICS))
    for variant, scores in topics.items():
        per = "  ".join(f"{scores['per_topic'][t]:.3f}".rjust(len(t) * 2) for t in TOPICS)
        mark = " *" if variant == metrics["best_variant"] else ""
        print(f"{variant:<12}{scores['macro_f1']:.3f}{mark:<4}  {per}   真实报告段落全对率 {scores['external_exact']:.2f}")
    bp = metrics["boilerplate"]
    print(f"\n套话识别（{metrics['n_boilerplate']} 条）：F1 {bp['f1']:.3f}，精确率 {bp['precision']:.3f}，召回率 {bp['recall']:.3f}")


def _versions() -> dict:
    import jieba
    import safetensors
    import sklearn

    versions = {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
                "safetensors": safetensors.__version__, "jieba": jieba.__version__}
    try:
        import sentence_transformers
        import torch

        versions.update({"sentence-transformers": sentence_transformers.__version__, "torch": torch.__version__})
    except ImportError:
        pass
    return versions


def train(output: Path = MODELS, log=print) -> dict:
    from .persist import save_boilerplate, save_topics

    start = time.perf_counter()
    corpus = load_corpus()
    log(f"语料：主题 {len(corpus.texts)} 条，套话 {len(corpus.bp_texts)} 条，问答对 {len(corpus.qa_pairs)} 个")
    log("交叉验证以选择主题模型……")
    metrics = cross_validate(corpus, log=log)
    output.mkdir(parents=True, exist_ok=True)
    from .embedder import EmbeddingFeatures, embedder_name, load_embedder, load_encoder

    topic_features = EmbeddingFeatures()
    if _configured_embedder() is None:
        log("训练向量模型（StaticEmbedding：问答用、主题用各一个）……")
        _embedder_for(corpus.texts, corpus.y, corpus, SEED, output=output / "embedder")
        _embedder_for(corpus.texts, corpus.y, corpus, SEED, output=output / TOPIC_EMBEDDER, with_qa=False)
        topic_features = EmbeddingFeatures(str(output / TOPIC_EMBEDDER))
        load_embedder.cache_clear()
        load_encoder.cache_clear()
    best = metrics["best_variant"]
    save_topics(topic_model(best, topic_features).fit(corpus.texts, corpus.y), output)
    save_boilerplate(BoilerplateScorer(corpus.stock, seed=SEED).fit(corpus.bp_texts, corpus.bp_y), output)
    card = {"data_sha256": data_hash(), "seed": SEED, "topic_model": best, "topics": list(TOPICS),
            "embedder": embedder_name() if _configured_embedder() is not None else "models/embedder",
            "metrics": metrics, "versions": _versions(), "training_seconds": round(time.perf_counter() - start, 1)}
    (output / CARD).write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if output == MODELS:
        from ..qa.confidence import write_calibration

        log("校准问答的拒答阈值……")
        write_calibration()
    print_metrics(metrics)
    log(f"\n模型已写入 {output}（用时 {card['training_seconds']} 秒）")
    return card


def evaluate() -> dict:
    corpus = load_corpus()
    metrics = cross_validate(corpus)
    print_metrics(metrics)
    return metrics
