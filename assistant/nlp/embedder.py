"""The sentence embedder of question answering: our StaticEmbedding (trained by training/embedder.py).

Any sentence-transformers model can replace it: set `[embedder] model = "NAME_OR_PATH"` in
assistant.toml (or ASSISTANT_EMBEDDER), e.g. a local copy of BAAI/bge-small-zh-v1.5.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from ..config import section
from ..errors import InputError
from .paths import MODELS

EMBEDDER_DIR = MODELS / "embedder"


def embedder_name() -> str:
    return os.environ.get("ASSISTANT_EMBEDDER") or section("embedder").get("model") or str(EMBEDDER_DIR)


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
    hint = "请先运行 python -m assistant train，或在 assistant.toml 中配置本地模型路径"
    looks_local = Path(name).is_absolute() or name.startswith((".", "~")) or name.count("/") > 1  # not a hub id
    if looks_local and not Path(name).expanduser().exists():
        raise InputError(f"无法加载向量模型“{name}”：文件夹不存在。{hint}")
    try:
        return SentenceTransformer(name, device="cpu")
    except Exception:  # hub lookups, missing files, incompatible folders
        raise InputError(f"无法加载向量模型“{name}”：不是可用的模型文件夹，本机也无法联网下载。{hint}") from None


@lru_cache(maxsize=2)
def load_encoder(name: str | None = None):
    """What encodes texts: our StaticEmbedding read directly (no torch import, milliseconds to
    load), any other configured model through sentence-transformers."""
    from .static import StaticEncoder, static_folder

    folder = static_folder(name or embedder_name())
    return StaticEncoder(folder) if folder is not None else load_embedder(name)
