"""Fitting the runtime models (assistant.nlp.topics / boilerplate) and writing the bundle."""
from __future__ import annotations

import json
import platform
from pathlib import Path

import numpy as np

from assistant.nlp.boilerplate import BoilerplateModel
from assistant.nlp.bundle import FORMAT, MANIFEST
from assistant.nlp.datahash import data_hash
from assistant.nlp.features import BOILERPLATE_FEATURES, TfidfVectors, feature_code_hash, fit_vocabulary
from assistant.nlp.schemes import TOPICS
from assistant.nlp.topics import TopicModel

SEED = 20211


def sparse(vectors: TfidfVectors, texts: list[str]):
    from scipy.sparse import csr_matrix

    idx, weights, sizes = vectors.rows(texts)
    return csr_matrix((weights, idx, np.r_[0, np.cumsum(sizes)]), shape=(len(texts), len(vectors.vocabulary)))


def fit_topics(texts: list[str], y: np.ndarray, terms: tuple[str, ...], c: float = 8.0,
               threshold: float = 0.5) -> TopicModel:
    """One balanced logistic regression per topic on the training texts' TF-IDF."""
    from sklearn.linear_model import LogisticRegression

    vocabulary, idf = fit_vocabulary(texts, terms)
    vectors = TfidfVectors(vocabulary, idf, terms)
    x = sparse(vectors, texts)
    coef, intercept = np.zeros((len(TOPICS), len(vocabulary))), np.zeros(len(TOPICS))
    for k in range(len(TOPICS)):
        model = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=3000,
                                   random_state=SEED).fit(x, y[:, k])
        coef[k], intercept[k] = model.coef_[0], model.intercept_[0]
    return TopicModel(vectors, coef, intercept, np.full(len(TOPICS), threshold))


def fit_boilerplate(texts: list[str], y: np.ndarray, stock: tuple[str, ...], c: float = 1.0) -> BoilerplateModel:
    from sklearn.linear_model import LogisticRegression

    probe = BoilerplateModel(stock, np.zeros(len(BOILERPLATE_FEATURES)), np.ones(len(BOILERPLATE_FEATURES)),
                             np.zeros(len(BOILERPLATE_FEATURES)), 0.0)
    features = probe.features(texts)
    mean, scale = features.mean(axis=0), features.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=2000, random_state=SEED).fit((features - mean) / scale, y)
    return BoilerplateModel(stock, mean, scale, model.coef_[0], float(model.intercept_[0]))


def versions() -> dict:
    import jieba
    import safetensors
    import sklearn

    out = {"python": platform.python_version(), "numpy": np.__version__, "scikit-learn": sklearn.__version__,
           "safetensors": safetensors.__version__, "jieba": jieba.__version__}
    try:
        import sentence_transformers
        import torch

        out.update({"sentence-transformers": sentence_transformers.__version__, "torch": torch.__version__})
    except ImportError:
        pass
    return out


def _write(folder: Path, name: str, meta: dict, arrays: dict[str, np.ndarray]) -> None:
    from safetensors.numpy import save_file

    save_file({k: np.ascontiguousarray(v) for k, v in arrays.items()}, str(folder / f"{name}.safetensors"))
    (folder / f"{name}.json").write_text(json.dumps(meta, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


def save_topics(model: TopicModel, folder: Path) -> None:
    _write(folder, "topics", {"vocabulary": model.vectors.vocabulary, "terms": list(model.vectors.terms),
                              "topics": list(TOPICS)},
           {"idf": model.vectors.idf, "coef": model.coef, "intercept": model.intercept,
            "thresholds": model.thresholds})


def save_boilerplate(model: BoilerplateModel, folder: Path) -> None:
    _write(folder, "boilerplate", {"stock_phrases": list(model.stock), "features": list(BOILERPLATE_FEATURES),
                                   "threshold": model.threshold},
           {"mean": model.mean, "scale": model.scale, "coef": model.coef, "intercept": np.array([model.intercept])})


def write_manifest(folder: Path, extra: dict | None = None) -> dict:
    manifest = {"format": FORMAT, "data_sha256": data_hash(), "feature_code_sha256": feature_code_hash(),
                "topics": list(TOPICS), "boilerplate_features": list(BOILERPLATE_FEATURES), "versions": versions(),
                "files": sorted(p.name for p in folder.iterdir() if p.name != MANIFEST), **(extra or {})}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


