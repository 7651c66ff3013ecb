"""How sure an answer is, and whether to answer at all.

The confidence is a logistic model over four signals of the best match: the raw BM25 score
(log), the best cosine similarity (when there is an embedder), the share of the question's
words the knowledge base knows, and whether the question names the subject itself. It is fitted
on the knowledge base's own typical questions, each asked against an index that does not
contain them (positives), and on our own list of out-of-scope questions (out_of_scope.txt,
negatives). corpus/eval/qa.jsonl is never read here. The answer threshold is the highest one
that refuses at most 4 % of those held-out in-scope questions.

The fitted numbers are stored in models/qa_calibration.json per retrieval mode and fingerprint of
the knowledge base and embedder, next to the ranking chosen by tuning.py (`ranking`, with its
development-set scores in `ranking_dev`); when they do not match (a retrained embedder, another
model, an edited knowledge base) the model is refitted in memory on first use (`python -m
assistant.qa.confidence` rewrites the file, ranking included).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..nlp.paths import KNOWLEDGE, MODELS
from .knowledge import SOURCE_FAQ
from .retrieval import Ranking
from .scope import anchored

HERE = Path(__file__).resolve().parent
CALIBRATION = MODELS / "qa_calibration.json"  # a trained artefact, rebuilt by `train`
OUT_OF_SCOPE = KNOWLEDGE.parent / "qa" / "out_of_scope.txt"
MAX_HELD_OUT_REFUSED = 0.04


def features(retr, hits, info, question: str) -> list[float]:
    row = [math.log1p(info["bm25_top"]), info["coverage"], float(anchored(question))]
    if retr.embedder is not None:
        row.append(info["cos_top"] or 0.0)
    return row


def out_of_scope_questions() -> list[str]:
    return [line.strip() for line in OUT_OF_SCOPE.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def _embedder_fingerprint(retr) -> str:
    if retr.embedder is None:
        return "bm25"
    from ..nlp.embedder import embedder_name

    name = embedder_name()
    digest = hashlib.sha256(_embedder_label().encode())  # not the absolute path: checkouts move
    folder = Path(name)
    if folder.is_dir():
        for path in sorted(folder.rglob("*.safetensors")) + sorted(folder.rglob("tokenizer.json")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def fingerprint(retr) -> str:
    digest = hashlib.sha256()
    for name in ("articles.jsonl", "format.jsonl", "faq.jsonl"):
        path = KNOWLEDGE / name
        digest.update(path.read_bytes() if path.exists() else b"")
    digest.update(OUT_OF_SCOPE.read_bytes())
    digest.update(str(len(retr.entries)).encode())  # rule entries
    digest.update(_embedder_fingerprint(retr).encode())
    return digest.hexdigest()[:16]


def held_out(retr, questions=None, embedder=None, keep_faq_titles: bool = False):
    """The same index without the given typical questions (default: all of them): what a new
    phrasing of them meets. An FAQ whose question is removed keeps only its answer, since its
    title and text repeat the question (unless `keep_faq_titles`). `embedder` replaces the
    retriever's own (tuning passes one trained without those questions)."""
    from .retrieval import Retriever

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


def fit(retr) -> dict:
    """Fit the logistic model and pick the threshold (a few seconds)."""
    from sklearn.linear_model import LogisticRegression

    # FAQ titles (their questions) stay, as when this calibration was designed: without them
    # no threshold in 0.3..0.7 refuses at most 4 % of the positives, and the refusal policy
    # itself would have to change (see tuning.py, which removes them)
    held = held_out(retr, keep_faq_titles=True)
    positives = [features(held, *held.search(q), q) for e in retr.entries for q in e.questions]
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


def _stored() -> dict:
    if CALIBRATION.exists():
        return json.loads(CALIBRATION.read_text(encoding="utf-8"))
    return {}


def stored_mode(retr) -> dict | None:
    """What models/qa_calibration.json holds for the retriever's mode (BM25 alone or with vectors)."""
    return _stored().get("embedding" if retr.embedder is not None else "bm25")


@lru_cache(maxsize=8)
def _calibration_for(retr) -> dict:
    stored = stored_mode(retr)
    if stored and stored.get("fingerprint") == fingerprint(retr):
        return stored
    fitted = fit(retr)
    fitted["fingerprint"] = fingerprint(retr)
    fitted["fitted_in_memory"] = True
    return fitted


def calibration(retr) -> dict:
    return _calibration_for(retr)


def confidence(retr, hits, info, question: str) -> tuple[float, bool]:
    """(probability that the best match answers the question, whether to answer)."""
    if not hits:
        return 0.0, False
    cal = calibration(retr)
    z = cal["intercept"] + sum(c * f for c, f in zip(cal["coef"], features(retr, hits, info, question)))
    p = 1.0 / (1.0 + math.exp(-z))
    return p, p >= cal["threshold"]


def write_calibration(log=print) -> dict:
    """For both retrieval modes (BM25 alone; BM25 + the configured embedder, when it loads):
    select the ranking on the knowledge base's own questions (tuning.py), then refit the
    refusal model with it; store both in models/qa_calibration.json."""
    from .retrieval import UNTUNED, build_retriever, get_retriever
    from .tuning import fold_embedders, select

    stored = _stored()
    for use_embedder in (False, True):
        retr = build_retriever(None, None, use_embedder)
        if use_embedder and retr.embedder is None:
            log(f"向量模型不可用，只校准 BM25：{retr.embedder_error}")
            continue
        key = "embedding" if use_embedder else "bm25"
        compare = {"untuned": UNTUNED}
        if stored.get(key, {}).get("ranking"):
            compare["previous"] = Ranking.from_dict(stored[key]["ranking"])
        ranking, report = select(retr, log, compare, fold_embedders(retr, log) if use_embedder else None)
        retr.ranking = ranking
        fitted = fit(retr)
        fitted["fingerprint"] = fingerprint(retr)
        if use_embedder:
            fitted["embedder"] = _embedder_label()
        fitted["ranking"] = ranking.as_dict()
        fitted["ranking_dev"] = report
        stored[key] = fitted
    CALIBRATION.write_text(json.dumps(stored, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    _calibration_for.cache_clear()
    get_retriever.cache_clear()
    return stored


def _embedder_label() -> str:
    from ..nlp.embedder import EMBEDDER_DIR, embedder_name

    name = embedder_name()
    return "models/embedder" if name == str(EMBEDDER_DIR) else name


if __name__ == "__main__":
    print(json.dumps(write_calibration(), ensure_ascii=False, indent=2))
