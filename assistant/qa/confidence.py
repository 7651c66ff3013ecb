"""How sure an answer is, and whether to answer at all (the runtime half; fitting lives in
training/qa_calibration.py).

The confidence is a logistic model over four signals of the best match: the raw BM25 score
(log), the best cosine similarity (when there is an embedder), the share of the question's
words the knowledge base knows, and whether the question names the subject itself. Its weights,
the answer threshold and the retrieval ranking are read from models/qa_calibration.json per
retrieval mode, with the fingerprint of the knowledge base and embedder they were fitted for.
A mismatch is reported as a warning and the stored values are used: nothing is refitted here.
"""
from __future__ import annotations

import hashlib
import json
import math
from functools import lru_cache

from ..nlp.bundle import BundleError, warn
from ..nlp.paths import KNOWLEDGE, MODELS
from .retrieval import embedder_fingerprint
from .scope import anchored

CALIBRATION = MODELS / "qa_calibration.json"  # a trained artefact, rebuilt by `train`
OUT_OF_SCOPE = KNOWLEDGE.parent / "qa" / "out_of_scope.txt"


def features(retr, hits, info, question: str) -> list[float]:
    row = [math.log1p(info["bm25_top"]), info["coverage"], float(anchored(question))]
    if retr.embedder is not None:
        row.append(info["cos_top"] or 0.0)
    return row


def out_of_scope_questions() -> list[str]:
    return [line.strip() for line in OUT_OF_SCOPE.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def fingerprint(retr) -> str:
    digest = hashlib.sha256()
    for name in ("articles.jsonl", "format.jsonl", "faq.jsonl"):
        path = KNOWLEDGE / name
        digest.update(path.read_bytes() if path.exists() else b"")
    digest.update(OUT_OF_SCOPE.read_bytes())
    digest.update(str(len(retr.entries)).encode())  # rule entries
    digest.update(embedder_fingerprint(retr.embedder).encode())
    return digest.hexdigest()[:16]


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
    if not stored:
        raise BundleError("models/qa_calibration.json 中没有问答的拒答校准：请运行 python -m assistant train")
    if stored.get("fingerprint") != fingerprint(retr):
        # answering goes on with what was trained; refitting here would put training on the answering path
        warn("知识库或向量模型在训练之后有改动，问答的排序权重和拒答阈值可能已过时：请运行 python -m assistant train")
        return {**stored, "stale": True}
    return stored


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
