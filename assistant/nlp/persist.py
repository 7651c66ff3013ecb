"""Save and load the trained models as safetensors (arrays) + JSON (vocabularies, settings).

No pickle, and no import of the training stack at load time: a fitted model is rebuilt from
its arrays and the TF-IDF vocabularies, and scores exactly as it did after training (a test
checks this).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .boilerplate import BoilerplateScorer
from .embedder import EmbeddingFeatures
from .topics import TopicClassifier, TopicEnsemble, tfidf_features


def _write(folder: Path, name: str, meta: dict, arrays: dict[str, np.ndarray]) -> None:
    from safetensors.numpy import save_file

    save_file({k: np.ascontiguousarray(v) for k, v in arrays.items()}, str(folder / f"{name}.safetensors"))
    (folder / f"{name}.json").write_text(json.dumps(meta, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


def _read(folder: Path, name: str) -> tuple[dict, dict[str, np.ndarray]]:
    from safetensors.numpy import load_file

    meta = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    return meta, load_file(str(folder / f"{name}.safetensors"))


def save_topics(model: TopicClassifier | TopicEnsemble, folder: Path) -> None:
    members = model.members_ if isinstance(model, TopicEnsemble) else (model,)
    meta = {"ensemble": isinstance(model, TopicEnsemble), "threshold": model.threshold, "members": []}
    arrays = {}
    for n, member in enumerate(members):
        entry = {"threshold": member.threshold, "blend": member.blend, "seed": member.seed}
        if isinstance(member.features_, EmbeddingFeatures):
            # our own embedder by folder name inside models/; None = the configured model
            name = member.features_.name
            entry["features"] = {"embedding": Path(name).name if name and Path(name).parent == folder else name}
        else:
            entry["features"] = {"tfidf": {name: {k: int(v) for k, v in vectorizer.vocabulary_.items()}
                                           for name, vectorizer in member.features_.transformer_list}}
            for name, vectorizer in member.features_.transformer_list:
                arrays[f"{n}.{name}.idf"] = vectorizer.idf_
        arrays[f"{n}.coef"], arrays[f"{n}.intercept"] = member.coef_, member.intercept_
        meta["members"].append(entry)
    _write(folder, "topics", meta, arrays)


def load_topics(folder: Path) -> TopicClassifier | TopicEnsemble:
    meta, arrays = _read(folder, "topics")
    members = []
    for n, entry in enumerate(meta["members"]):
        member = TopicClassifier(threshold=entry["threshold"], blend=entry["blend"], seed=entry["seed"])
        if "embedding" in entry["features"]:
            name = entry["features"]["embedding"]
            member.features_ = EmbeddingFeatures(str(folder / name) if name and (folder / name).is_dir() else name)
        else:
            member.features_ = tfidf_features()
            for name, vectorizer in member.features_.transformer_list:
                vectorizer.vocabulary_ = entry["features"]["tfidf"][name]
                vectorizer.idf_ = arrays[f"{n}.{name}.idf"]
        member.coef_, member.intercept_ = arrays[f"{n}.coef"], arrays[f"{n}.intercept"]
        member.classes_ = np.arange(member.coef_.shape[0])
        members.append(member)
    if not meta["ensemble"]:
        return members[0]
    ensemble = TopicEnsemble(tuple(members), threshold=meta["threshold"])
    ensemble.members_ = tuple(members)
    ensemble.classes_ = members[0].classes_
    return ensemble


def save_boilerplate(scorer: BoilerplateScorer, folder: Path) -> None:
    _write(folder, "boilerplate", {"stock_phrases": list(scorer.stock_phrases), "seed": scorer.seed},
           {"mean": scorer.mean_, "scale": scorer.scale_, "coef": scorer.coef_,
            "intercept": np.array([scorer.intercept_])})


def load_boilerplate(folder: Path) -> BoilerplateScorer:
    meta, arrays = _read(folder, "boilerplate")
    scorer = BoilerplateScorer(tuple(meta["stock_phrases"]), seed=meta["seed"])
    scorer.mean_, scorer.scale_, scorer.coef_ = arrays["mean"], arrays["scale"], arrays["coef"]
    scorer.intercept_ = float(arrays["intercept"][0])
    scorer.classes_ = np.array([0, 1])
    return scorer
