"""The sentence embedder of question answering: our StaticEmbedding (trained by training/embedder.py).

Any sentence-transformers model can replace it: set `[embedder] model = "NAME_OR_PATH"` in
assistant.toml (or ASSISTANT_EMBEDDER), e.g. a local copy of BAAI/bge-small-zh-v1.5.
"""
from __future__ import annotations

import os
from functools import lru_cache

from ..errors import InputError
from .paths import MODELS, config

EMBEDDER_DIR = MODELS / "embedder"


def embedder_name() -> str:
    return os.environ.get("ASSISTANT_EMBEDDER") or config().get("embedder", {}).get("model") or str(EMBEDDER_DIR)


def embedder_label() -> str:
    """How the configured embedder is named in models/: ours by its place in the bundle."""
    name = embedder_name()
    return "models/embedder" if name == str(EMBEDDER_DIR) else name


@lru_cache(maxsize=2)
def load_embedder(name: str | None = None):
    """The configured embedder; a hub name that is not on disk fails with a clear message."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    name = name or embedder_name()
    try:
        return SentenceTransformer(name, device="cpu")
    except Exception as exc:  # hub lookups, missing files, incompatible folders
        raise InputError(f"无法加载向量模型“{name}”：{type(exc).__name__}。"
                         "请先运行 python -m assistant train，或在 assistant.toml 中配置本地模型路径") from None


@lru_cache(maxsize=2)
def load_encoder(name: str | None = None):
    """What encodes texts: our StaticEmbedding read directly (no torch import, milliseconds to
    load), any other configured model through sentence-transformers."""
    from .static import StaticEncoder, static_folder

    folder = static_folder(name or embedder_name())
    return StaticEncoder(folder) if folder is not None else load_embedder(name)
