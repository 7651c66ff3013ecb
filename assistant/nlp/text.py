"""Chinese text utilities: jieba with our domain dictionary, sentence splitting."""
from __future__ import annotations

import re
from functools import lru_cache

from .paths import THEMES

_SENTENCE = re.compile(r"(?<=[。！？；!?;])")


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    userdict = THEMES / "userdict.txt"
    if userdict.exists():
        jieba.load_userdict(str(userdict))
    return jieba


def words(text: str) -> list[str]:
    """Word tokens for TF-IDF and BM25: jieba with the domain dictionary, no punctuation."""
    return [w for w in _jieba().lcut(text) if w.strip() and not re.fullmatch(r"[\W_]+", w)]


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]
