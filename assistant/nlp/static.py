"""A fast path for our StaticEmbedding: the same vectors without importing torch.

sentence-transformers' StaticEmbedding is an EmbeddingBag (mean of the token vectors) over a
`tokenizers` tokenizer. Loading it through sentence-transformers costs several seconds of
imports, most of the time of a one-off `ask` or `check`. When the configured embedder is a folder holding
exactly one StaticEmbedding module, this module reads its tokenizer.json and model.safetensors
directly; anything else goes through `load_embedder()`.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np


class StaticEncoder:
    """`encode()` like SentenceTransformer.encode for a lone StaticEmbedding module."""

    def __init__(self, folder: Path):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.folder = Path(folder)
        self.tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.weights = load_file(str(self.folder / "model.safetensors"))["embedding.weight"].astype(np.float32)

    def encode(self, texts, normalize_embeddings: bool = True, **_ignored) -> np.ndarray:
        single = isinstance(texts, str)
        texts = [texts] if single else list(texts)
        out = np.zeros((len(texts), self.weights.shape[1]), dtype=np.float32)
        for row, encoding in enumerate(self.tokenizer.encode_batch(texts, add_special_tokens=False)):
            if encoding.ids:
                out[row] = self.weights[encoding.ids].mean(axis=0)
        if normalize_embeddings:
            out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out[0] if single else out


def static_folder(name: str) -> Path | None:
    """The folder of `name` when it is a saved model made of one StaticEmbedding module."""
    folder = Path(name)
    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if len(modules) != 1 or not str(modules[0].get("type", "")).endswith("StaticEmbedding"):
        return None
    module = folder / modules[0].get("path", "")
    if (module / "tokenizer.json").is_file() and (module / "model.safetensors").is_file():
        return module
    return None
