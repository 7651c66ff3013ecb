"""Model selection by document-grouped cross-validation, and the frozen external measurement.

Selection (C of the topic model, its threshold, C of the boilerplate scorer) looks only at
grouped cross-validation on the training corpus. The frozen external set is measured once
with the selected settings and reported next to the cross-validated figures; it never
chooses anything.
"""
from __future__ import annotations

import numpy as np

from assistant.nlp.schemes import TOPICS

from .corpus import Corpus, external_set
from .fit import fit_boilerplate, fit_topics

FOLDS = 5
TOPIC_C = (2.0, 8.0, 32.0)
THRESHOLDS = (0.3, 0.4, 0.5, 0.6)
BOILERPLATE_C = (0.3, 1.0, 3.0)


def _folds(groups: list[str]):
    from sklearn.model_selection import GroupKFold

    return list(GroupKFold(n_splits=FOLDS).split(np.zeros(len(groups)), groups=groups))


def topic_scores(y_true: np.ndarray, y_pred: np.ndarray) -> dict:
    from sklearn.metrics import f1_score, precision_score, recall_score

    return {"macro_f1": float(f1_score(y_true, y_pred, average="macro", zero_division=0)),
            "precision": float(precision_score(y_true, y_pred, average="macro", zero_division=0)),
            "recall": float(recall_score(y_true, y_pred, average="macro", zero_division=0)),
            "per_topic": {t: round(float(f1_score(y_true[:, k], y_pred[:, k], zero_division=0)), 3)
                          for k, t in enumerate(TOPICS)}}


def binary_scores(y_true: np.ndarray, y_pred: np.ndarray) -> dict:
    from sklearn.metrics import f1_score, precision_score, recall_score

    return {"f1": float(f1_score(y_true, y_pred, zero_division=0)),
            "precision": float(precision_score(y_true, y_pred, zero_division=0)),
            "recall": float(recall_score(y_true, y_pred, zero_division=0))}


def select_topics(corpus: Corpus, log=print) -> tuple[dict, dict]:
    """Grouped out-of-fold scores for every C; the best (C, threshold) by macro-F1."""
    texts = np.array(corpus.texts, dtype=object)
    oof = {c: np.zeros(corpus.y.shape) for c in TOPIC_C}
    for fold, (train, test) in enumerate(_folds(corpus.groups)):
        log(f"  主题 第 {fold + 1}/{FOLDS} 折：训练 {len(train)} 条，测试 {len(test)} 条")
        for c in TOPIC_C:
            model = fit_topics(list(texts[train]), corpus.y[train], corpus.terms, c)
            oof[c][test] = model.scores(list(texts[test]))
    grid = {(c, t): topic_scores(corpus.y, (oof[c] >= t).astype(int)) for c in TOPIC_C for t in THRESHOLDS}
    c, t = max(grid, key=lambda k: (grid[k]["macro_f1"], -abs(k[1] - 0.5)))
    return {"c": c, "threshold": t}, {"cv": grid[(c, t)], "grid": {f"C={k[0]},t={k[1]}": round(v["macro_f1"], 4)
                                                                   for k, v in grid.items()}}


def select_boilerplate(corpus: Corpus) -> tuple[dict, dict]:
    folds = _folds(corpus.bp_groups)
    texts = corpus.bp_texts
    results = {}
    for c in BOILERPLATE_C:
        pred = np.zeros(len(texts), dtype=int)
        for train, test in folds:
            model = fit_boilerplate([texts[i] for i in train], corpus.bp_y[train], corpus.stock, c)
            pred[test] = (model.scores([texts[i] for i in test]) >= model.threshold).astype(int)
        results[c] = binary_scores(corpus.bp_y, pred)
    c = max(results, key=lambda k: results[k]["f1"])
    return {"c": c}, {"cv": results[c], "grid": {f"C={k}": round(v["f1"], 4) for k, v in results.items()}}


def external(topics, boilerplate) -> dict:
    """The frozen external set, measured with the selected models."""
    texts, y, bp = external_set()
    pred = np.array([[int(t in topics.labels(row)) for t in TOPICS] for row in topics.scores(texts)])
    bp_pred = (boilerplate.scores(texts) >= boilerplate.threshold).astype(int)
    return {"n": len(texts), "topics": topic_scores(y, pred), "boilerplate": binary_scores(bp, bp_pred)}


def print_metrics(metrics: dict, log=print) -> None:
    cv, ext = metrics["topics"]["cv"], metrics["external"]
    log(f"\n主题分类：按文档分组 {FOLDS} 折交叉验证（{metrics['n_items']} 条；选定 C={metrics['topics']['selected']['c']}，"
        f"阈值 {metrics['topics']['selected']['threshold']}）")
    log(f"  交叉验证 macro-F1 {cv['macro_f1']:.3f}（精确率 {cv['precision']:.3f}，召回率 {cv['recall']:.3f}）")
    log("  " + "  ".join(f"{t} {v:.2f}" for t, v in cv["per_topic"].items()))
    et = ext["topics"]
    log(f"  冻结外部集（{ext['n']} 条，训练前写成，从不用于选择）macro-F1 {et['macro_f1']:.3f}"
        f"（精确率 {et['precision']:.3f}，召回率 {et['recall']:.3f}）")
    log("  " + "  ".join(f"{t} {v:.2f}" for t, v in et["per_topic"].items()))
    log(f"  交叉验证比外部集高 {cv['macro_f1'] - et['macro_f1']:+.3f}")
    bcv, bext = metrics["boilerplate"]["cv"], ext["boilerplate"]
    log(f"\n套话识别：交叉验证（{metrics['n_boilerplate']} 条）F1 {bcv['f1']:.3f}（精确率 {bcv['precision']:.3f}，"
        f"召回率 {bcv['recall']:.3f}）；冻结外部集 F1 {bext['f1']:.3f}（精确率 {bext['precision']:.3f}，"
        f"召回率 {bext['recall']:.3f}）")
