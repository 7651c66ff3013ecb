"""Word tokens for question answering: jieba with our domain dictionary."""
from __future__ import annotations

import re
from functools import lru_cache

from .paths import THEMES


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
