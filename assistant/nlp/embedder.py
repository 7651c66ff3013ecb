"""The sentence embedder: a character-level StaticEmbedding trained offline on our corpus.

Any sentence-transformers model can replace it: set `[embedder] model = "NAME_OR_PATH"` in
assistant.toml (or ASSISTANT_EMBEDDER), e.g. a local copy of BAAI/bge-small-zh-v1.5.
"""
from __future__ import annotations

import contextlib
import os
import random
import tempfile
from functools import lru_cache
from pathlib import Path

from ..config import section
from ..errors import InputError
from .paths import MODELS

EMBEDDER_DIR = MODELS / "embedder"


def char_tokenizer(texts: list[str]):
    """A character-level WordLevel tokenizer over every character seen in `texts`."""
    from tokenizers import Regex, Tokenizer, normalizers, pre_tokenizers
    from tokenizers.models import WordLevel

    chars = sorted({ch for text in texts for ch in text if not ch.isspace()})
    vocab = {"[UNK]": 0, **{ch: i + 1 for i, ch in enumerate(chars)}}
    tokenizer = Tokenizer(WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.NFKC()
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Split(Regex("."), behavior="isolated")])
    return tokenizer


def train_embedder(pairs: list[tuple[str, str]], vocabulary_texts: list[str], seed: int = 0,
                   dim: int = 256, epochs: int = 8, output: Path | None = None):
    """Train a StaticEmbedding with MultipleNegativesRankingLoss on (anchor, positive) pairs."""
    import torch
    from datasets import Dataset
    from sentence_transformers import (
        SentenceTransformer,
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
    )
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss
    from sentence_transformers.sentence_transformer.modules import StaticEmbedding
    from sentence_transformers.sentence_transformer.training_args import BatchSamplers

    random.seed(seed)
    torch.manual_seed(seed)
    module = StaticEmbedding(char_tokenizer(vocabulary_texts), embedding_dim=dim)
    model = SentenceTransformer(modules=[module], device="cpu")
    data = Dataset.from_dict({"anchor": [a for a, _ in pairs], "positive": [p for _, p in pairs]})
    with tempfile.TemporaryDirectory() as tmp:
        args = SentenceTransformerTrainingArguments(
            output_dir=tmp, num_train_epochs=epochs, per_device_train_batch_size=64, learning_rate=0.05,
            batch_sampler=BatchSamplers.NO_DUPLICATES, seed=seed, data_seed=seed, save_strategy="no",
            logging_strategy="no", report_to=[], use_cpu=True, disable_tqdm=True, dataloader_num_workers=0)
        # The trainer prints progress bars, model-card examples and metrics of its own.
        with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            trainer = SentenceTransformerTrainer(model=model, args=args, train_dataset=data,
                                                 loss=MultipleNegativesRankingLoss(model))
            trainer.train()
    if output is not None:
        model.save(str(output))
    return model


def embedder_name() -> str:
    return os.environ.get("ASSISTANT_EMBEDDER") or section("embedder").get("model") or str(EMBEDDER_DIR)


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


class EmbeddingFeatures:
    """A transformer step for sklearn pipelines: texts -> normalised embeddings."""

    def __init__(self, name: str | None = None):
        self.name = name

    def fit(self, texts, y=None):
        return self

    def transform(self, texts):
        return load_encoder(self.name).encode(list(texts), normalize_embeddings=True, batch_size=256)

    def get_params(self, deep=True):
        return {"name": self.name}

    def set_params(self, **params):
        self.name = params.get("name", self.name)
        return self
