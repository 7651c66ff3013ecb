"""The artefact bundle in models/: what `python -m assistant train` writes and the runtime loads.

- manifest.json: format version, data hash, hash of the feature code (features.py), feature
  names, library versions, and the files of the bundle;
- topics.safetensors + topics.json: TF-IDF vocabulary and idf, one logistic regression per topic;
- boilerplate.safetensors + boilerplate.json: feature scaling and weights, the stock phrases;
- embedder/ (StaticEmbedding) and qa_calibration.json: question answering.

Arrays are safetensors, everything else JSON; nothing is pickled and nothing is refitted here.
A bundle whose feature code or feature names differ from this checkout's is refused with a
clear message (`BundleError`); one trained on other data only earns a warning (`stale()`).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from ..errors import InputError
from .boilerplate import BoilerplateModel
from .features import BOILERPLATE_FEATURES, TfidfVectors, feature_code_hash
from .schemes import TOPICS

FORMAT = 2
MANIFEST = "manifest.json"


class BundleError(InputError):
    """models/ does not fit this code: retrain with `python -m assistant train`."""


def read_arrays(path: Path) -> dict[str, np.ndarray]:
    from safetensors.numpy import load_file

    return load_file(str(path))


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def manifest(folder: Path) -> dict | None:
    path = folder / MANIFEST
    return read_json(path) if path.exists() else None


def check_manifest(found: dict) -> None:
    problems = []
    if found.get("format") != FORMAT:
        problems.append(f"模型格式版本 {found.get('format')}，程序需要 {FORMAT}")
    if found.get("feature_code_sha256") != feature_code_hash():
        problems.append("特征代码（assistant/nlp/features.py）在训练之后被修改过")
    if found.get("boilerplate_features") != list(BOILERPLATE_FEATURES) or found.get("topics") != list(TOPICS):
        problems.append("特征名称或主题列表与模型不一致")
    if problems:
        raise BundleError("models/ 中的模型与当前程序不匹配：" + "；".join(problems) +
                          "。请运行 python -m assistant train 重新训练")


def stale(found: dict) -> bool:
    """The corpus changed since training (the runtime warns; tests fail)."""
    from .datahash import data_hash

    return found.get("data_sha256") != data_hash()


def load_topics(folder: Path):
    from .topics import TopicModel

    meta, arrays = read_json(folder / "topics.json"), read_arrays(folder / "topics.safetensors")
    vectors = TfidfVectors(meta["vocabulary"], arrays["idf"], tuple(meta["terms"]))
    return TopicModel(vectors, arrays["coef"], arrays["intercept"], arrays["thresholds"])


def load_boilerplate(folder: Path) -> BoilerplateModel:
    meta, arrays = read_json(folder / "boilerplate.json"), read_arrays(folder / "boilerplate.safetensors")
    return BoilerplateModel(tuple(meta["stock_phrases"]), arrays["mean"], arrays["scale"], arrays["coef"],
                            float(arrays["intercept"][0]), meta["threshold"])


def warn(message: str) -> None:
    print(f"警告：{message}", file=sys.stderr)
