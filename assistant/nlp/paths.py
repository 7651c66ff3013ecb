"""Where the NLP layer finds its data and models, and the user's configuration."""
from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
THEMES = CORPUS / "themes"
KNOWLEDGE = CORPUS / "knowledge"
MODELS = Path(os.environ.get("ASSISTANT_MODELS", ROOT / "models"))
CONFIG_FILE = Path(os.environ.get("ASSISTANT_CONFIG", ROOT / "assistant.toml"))


@lru_cache(maxsize=1)
def config() -> dict:
    """Optional user configuration (assistant.toml), e.g. [embedder] model = "BAAI/bge-small-zh-v1.5"."""
    if CONFIG_FILE.exists():
        with open(CONFIG_FILE, "rb") as handle:
            return tomllib.load(handle)
    return {}
