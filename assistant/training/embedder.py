"""Training the sentence embedder: a character-level StaticEmbedding trained with
sentence-transformers on (question, knowledge-base entry) and (text, same-topic text) pairs."""
from __future__ import annotations

import contextlib
import os
import random
import tempfile
from pathlib import Path

import numpy as np

from .corpus import Corpus
from .fit import SEED


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


def topic_pairs(texts: list[str], y: np.ndarray, seed: int) -> list[tuple[str, str]]:
    """(text, another text with the same topics) pairs for contrastive training."""
    rng = np.random.default_rng(seed)
    by_label: dict[tuple, list[int]] = {}
    for i, row in enumerate(y):
        by_label.setdefault(tuple(row), []).append(i)
    pairs = []
    for members in by_label.values():
        if len(members) < 2:
            continue
        for i in members:
            j = i
            while j == i:
                j = int(rng.choice(members))
            pairs.append((texts[i], texts[j]))
    return pairs


def qa_embedder(corpus: Corpus, seed: int = SEED, output: Path | None = None):
    """The embedder of question answering: question → entry pairs plus topic pairs (which teach
    it the vocabulary of reports)."""
    pairs = topic_pairs(corpus.texts, corpus.y, seed) + corpus.qa_pairs
    vocabulary = corpus.texts + corpus.bp_texts + [t for pair in corpus.qa_pairs for t in pair]
    return train_embedder(pairs, vocabulary, seed=seed, output=output)
