"""Refusal calibration and the ranking of retrieval, fitted for models/qa_calibration.json.

Positives are the knowledge base's own typical questions, each asked against an index that
does not contain it (`held_out`): questions not in the knowledge base, as users ask them. As in
tuning (qa_tuning.py), the questions are dealt into folds and each fold meets the index without
that fold's questions, measured with the embedder trained without them: a new phrasing meets an
index that keeps its entry's other questions, and an embedder that never saw it. (Asked against
an index stripped of every question, with the embedder that learnt them, positives looked unlike
users' questions: after the knowledge base grew to 13–15 questions per article, the development
set's out-of-scope questions were refused 72 % of the time under cross-validation, against 85 %
this way, and the new phrasings of corpus/qa/dev.jsonl 0.4 % against 1.2 %.)
Negatives are our own out-of-scope questions (corpus/qa/out_of_scope.txt). corpus/eval/qa.jsonl
is never read here. The answer threshold is the highest that refuses at most 4 % of the
held-out in-scope questions.
"""
from __future__ import annotations

import dataclasses
import json

import numpy as np

from assistant.nlp.embedder import embedder_label
from assistant.qa.confidence import (
    CALIBRATION,
    _calibration_for,
    _stored,
    features,
    fingerprint,
    out_of_scope_questions,
)
from assistant.qa.knowledge import SOURCE_FAQ
from assistant.qa.retrieval import Ranking

MAX_HELD_OUT_REFUSED = 0.04


def held_out(retr, questions=None, embedder=None, keep_faq_titles: bool = False):
    """The same index without the given typical questions (default: all of them): what a new
    phrasing of them meets. An FAQ whose question is removed keeps only its answer, since its
    title and text repeat the question (unless `keep_faq_titles`). `embedder` replaces the
    retriever's own (tuning passes one trained without those questions)."""
    from assistant.qa.retrieval import Retriever

    def strip(entry):
        kept = [] if questions is None else [q for q in entry.questions if q not in questions]
        if kept == entry.questions:
            return entry
        if entry.source != SOURCE_FAQ:
            return dataclasses.replace(entry, questions=kept)
        return dataclasses.replace(entry, questions=kept, title=entry.title if keep_faq_titles else "",
                                   text=entry.answer)

    return Retriever(tuple(strip(e) for e in retr.entries), retr.embedder if embedder is None else embedder,
                     retr.embedder_error, retr.ranking)


def fit(retr, embedders=None) -> dict:
    """Fit the logistic model and pick the threshold (a few seconds). `embedders`: one per fold,
    trained without its questions (qa_tuning.fold_embedders), for our own embedder."""
    from sklearn.linear_model import LogisticRegression

    from .qa_tuning import question_folds

    positives = []
    for f, fold in enumerate(question_folds(retr)):
        # FAQ titles (their questions) stay, as when this calibration was designed: without them
        # no threshold in 0.3..0.7 refuses at most 4 % of the positives, and the refusal policy
        # itself would have to change (see qa_tuning.py, which removes them)
        held = held_out(retr, fold, embedders[f] if embedders else None, keep_faq_titles=True)
        positives += [features(held, *held.search(q), q) for q in sorted(fold)]
    negatives = [features(retr, *retr.search(q), q) for q in out_of_scope_questions()]
    x = np.array(positives + negatives)
    y = np.r_[np.ones(len(positives)), np.zeros(len(negatives))]
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit(x, y)
    p_pos = model.predict_proba(np.array(positives))[:, 1]
    p_neg = model.predict_proba(np.array(negatives))[:, 1]
    threshold = 0.3
    for t in np.arange(0.3, 0.71, 0.05):
        if np.mean(p_pos < t) <= MAX_HELD_OUT_REFUSED:
            threshold = float(round(t, 2))
    return {"coef": [round(float(c), 4) for c in model.coef_[0]], "intercept": round(float(model.intercept_[0]), 4),
            "threshold": threshold, "held_out_refused": round(float(np.mean(p_pos < threshold)), 4),
            "own_out_of_scope_refused": round(float(np.mean(p_neg < threshold)), 4),
            "n_positive": len(positives), "n_negative": len(negatives)}


def write_calibration(log=print) -> dict:
    """For both retrieval modes (BM25 alone; BM25 + the configured embedder, when it loads):
    select the ranking on the knowledge base's own questions (tuning.py), then refit the
    refusal model with it; store both in models/qa_calibration.json."""
    from assistant.qa.retrieval import UNTUNED, build_retriever, get_retriever, index_arrays

    from .qa_tuning import fold_embedders, select

    stored = _stored()
    index = None
    for use_embedder in (False, True):
        retr = build_retriever(None, None, use_embedder, prebuilt=False)
        index = index_arrays(retr) if index is None or retr.embedder is not None else index
        if use_embedder and retr.embedder is None:
            log(f"向量模型不可用，只校准 BM25：{retr.embedder_error}")
            continue
        key = "embedding" if use_embedder else "bm25"
        compare = {"untuned": UNTUNED}
        if stored.get(key, {}).get("ranking"):
            compare["previous"] = Ranking.from_dict(stored[key]["ranking"])
        embedders = fold_embedders(retr, log) if use_embedder else None
        ranking, report = select(retr, log, compare, embedders)
        retr.ranking = ranking
        fitted = fit(retr, embedders)
        fitted["fingerprint"] = fingerprint(retr)
        if use_embedder:
            fitted["embedder"] = embedder_label()
        fitted["ranking"] = ranking.as_dict()
        fitted["ranking_dev"] = report
        stored[key] = fitted
    CALIBRATION.write_text(json.dumps(stored, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    write_index(*index)
    _calibration_for.cache_clear()
    get_retriever.cache_clear()
    return stored


def write_index(meta: dict, arrays: dict) -> None:
    """The prebuilt retrieval index (models/qa_index.*): BM25 documents, vocabulary, entry vectors."""
    from safetensors.numpy import save_file

    from assistant.qa.retrieval import INDEX

    folder = CALIBRATION.parent
    (folder / f"{INDEX}.json").write_text(json.dumps(meta, ensure_ascii=False) + "\n", encoding="utf-8")
    target = folder / f"{INDEX}.safetensors"
    if arrays:
        save_file({k: np.ascontiguousarray(v) for k, v in arrays.items()}, str(target))
    elif target.exists():
        target.unlink()
