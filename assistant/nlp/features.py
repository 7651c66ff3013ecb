"""What the models read: the feature code shared by training and inference (numpy only).

Topics read character 1-, 2- and 3-grams and the domain terms of corpus/themes/userdict.txt, weighted
TF-IDF with sublinear term frequency and L2-normalised. Boilerplate reads a handful of named,
length-independent signals of specificity (facts) and of stock prose (slogans, promises,
preambles), so that a finding can say why a sentence scored high.

`python -m assistant train` stores the hash of this file in models/manifest.json; the runtime
compares it on load (assistant/nlp/bundle.py), so editing a feature without retraining is
reported instead of silently scoring with misaligned weights.
"""
from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from itertools import chain, repeat
from operator import add
from pathlib import Path

import numpy as np

from ..document.normalize import split_sentences as sentences  # noqa: F401  (the one splitter)

_DIGITS = re.compile(r"\d+(?:[.,，]\d+)*")
_SPACE = re.compile(r"\s+")


def feature_code_hash() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def normalise(text: str) -> str:
    """NFKC, lower case, every number as one "0": 25条 and 27条 are the same evidence."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _SPACE.sub("", _DIGITS.sub("0", text))


def tokens(text: str, terms: tuple[str, ...]) -> Counter:
    """Character n-grams of the normalised text plus the domain terms it contains."""
    text = normalise(text)
    pairs = list(map(add, text, text[1:]))
    counts = Counter(chain(text, pairs, map(add, pairs, text[2:])))  # 1-, 2- and 3-grams
    groups = _by_first_char(terms)
    for ch in set(text):  # only the terms that can start in the text are tried
        for term in groups.get(ch, ()):
            if term in text:
                counts["w:" + term] += text.count(term)
    return counts


def row_starts(sizes: np.ndarray) -> np.ndarray:
    """Where each row of concatenated sparse rows starts."""
    return np.r_[0, np.cumsum(sizes)[:-1]]


class TfidfVectors:
    """TF-IDF over a fixed vocabulary, as sparse rows (indices, weights)."""

    def __init__(self, vocabulary: list[str], idf: np.ndarray, terms: tuple[str, ...]):
        self.vocabulary = vocabulary
        self.index = {token: i for i, token in enumerate(vocabulary)}
        self.idf = np.asarray(idf, dtype=np.float64)
        self.terms = tuple(normalise(t) for t in terms)

    def rows(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sparse rows of many texts at once: (indices, weights, row sizes), rows concatenated."""
        ids: list[int] = []
        counts: list[int] = []
        sizes = np.zeros(len(texts), dtype=np.int64)
        get = self.index.get
        for r, text in enumerate(texts):
            found = tokens(text, self.terms)
            ids.extend(map(get, found, repeat(-1)))  # -1: not in the vocabulary
            counts.extend(found.values())
            sizes[r] = len(found)
        idx, tf = np.array(ids, dtype=np.int64), np.array(counts, dtype=np.float64)
        known = idx >= 0
        if not known.any():
            return idx[known], tf[known], np.zeros(len(texts), dtype=np.int64)
        filled = sizes > 0
        sizes[filled] = np.add.reduceat(known.astype(np.int64), row_starts(sizes)[filled])
        idx, tf = idx[known], tf[known]
        weights = (1.0 + np.log(tf)) * self.idf[idx]
        filled = sizes > 0
        norms = np.ones(len(texts))
        norms[filled] = np.sqrt(np.add.reduceat(weights * weights, row_starts(sizes)[filled]))
        return idx, weights / np.repeat(np.maximum(norms, 1e-12), sizes), sizes


def fit_vocabulary(texts: list[str], terms: tuple[str, ...], min_df: int = 2,
                   max_df: float = 0.2) -> tuple[list[str], np.ndarray]:
    """Vocabulary and smoothed idf (as scikit-learn's TfidfVectorizer) of the training texts.
    Tokens in more than `max_df` of the texts (工作, 政务公开, 的) say nothing about a topic."""
    norm_terms = tuple(normalise(t) for t in terms)
    df = Counter()
    for text in texts:
        df.update(set(tokens(text, norm_terms)))
    limit = max_df * len(texts)
    vocabulary = sorted(t for t, n in df.items() if min_df <= n <= limit)
    idf = np.array([math.log((1 + len(texts)) / (1 + df[t])) + 1.0 for t in vocabulary])
    return vocabulary, idf


# --- boilerplate -----------------------------------------------------------------------------

_UNIT = r"(?:%|％|件|条|次|场|期|个|人|篇|项|家|万|份|批|天|小时|分钟|余|多|倍|元|所|台|部|户|名|块|处|册|分|期|学时|人次|批次|个工作日)"
_COUNT = re.compile(r"(?<!\d)\d++(?:\.\d++)?\s*" + _UNIT)  # possessive: linear on digit runs
_CN_COUNT = re.compile(r"(?<![一二两三四五六七八九十百千])[一二两三四五六七八九十百千]++" + _UNIT)
_ZERO = re.compile(r"(?:0|零)\s*(?:件|条|次|个|起|人)|未(?:收到|发生|出现|受理|收取|发现)|没有(?:收到|发生)|无(?:因|新增|行政复议|申请)")
_DATE = re.compile(r"\d{4}\s*年|\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|[上下]半年|第[一二三四]季度")
_NAMED = re.compile(r"《[^》]{2,40}》|“[^”]{2,20}”")
_PLATFORM = re.compile(r"网站|公众号|微博|专栏|平台|热线|客户端|查阅点|查阅室|专区|app|视频号|抖音|公示栏|公开栏|电子屏|显示屏|终端|政府公报")
_ACTION = re.compile(r"完成|发布|公开了|办结|印发|制定|修订|召开|举办|更新|上线|开设|设置|设立|调整|清理|废止|注销|关停|迁移|答复|编制|组织|开展|参加|接受|检查|通报")
_CONTACT = re.compile(r"电话|地址|邮编|邮箱|传真|联系")
_PROMISE = re.compile(r"下一步|今后|将(?:继续|进一步|持续|不断|着力|以)|继续(?:深化|加强|推进|做好)|力争|努力(?:推动|做到|实现)")
_PREAMBLE = re.compile(r"报告如下|现将|本报告|编制|统计期限|统计时段|六(?:个)?部分|以下简称|予以公布|现予公布")
_SLOGAN_VERB = re.compile(r"进一步|不断|切实|持续|着力|全面|积极|认真|扎实|深入|大力|努力|始终|坚持|高度|严格|及时|有效|稳步|有序")
_NUMERAL_LIST = re.compile(r"[一二三四五六七八九十]是")

BOILERPLATE_FEATURES = ("facts", "has_fact", "zero_count", "dates", "named", "platforms", "actions", "contact",
                        "promise", "preamble", "slogan_verbs", "stock_phrases", "stock_share", "numbered_list")


@lru_cache(maxsize=4)
def _by_first_char(stock: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    groups: dict[str, list[str]] = {}
    for phrase in stock:
        groups.setdefault(phrase[0], []).append(phrase)
    return {ch: tuple(phrases) for ch, phrases in groups.items()}


def _stock_in(text: str, stock: tuple[str, ...]) -> list[str]:
    """The stock phrases the text contains (only those whose first character it has are tried)."""
    groups = _by_first_char(stock)
    return [p for ch in set(text) for p in groups.get(ch, ()) if p in text]


def _stock_share(text: str, found: list[str]) -> float:
    """Share of the characters covered by the stock phrases found in the text."""
    covered = bytearray(len(text))
    for phrase in found:
        start = text.find(phrase)
        while start >= 0:
            covered[start:start + len(phrase)] = b"\x01" * len(phrase)
            start = text.find(phrase, start + 1)
    return sum(covered) / len(text) if text else 0.0


def boilerplate_features(text: str, stock: tuple[str, ...]) -> list[float]:
    """Named, length-independent signals (see BOILERPLATE_FEATURES); counts are capped at 3 so that
    a long report of facts and a one-line fact look alike."""
    text = unicodedata.normalize("NFKC", text).replace(" ", "")
    facts = len(_COUNT.findall(text)) + len(_CN_COUNT.findall(text))
    zero = len(_ZERO.findall(text))
    dates = len(_DATE.findall(text))
    cap = lambda n: float(min(n, 3))  # noqa: E731
    found = _stock_in(text, stock)
    return [cap(facts), float(facts + zero + dates > 0), cap(zero), cap(dates), cap(len(_NAMED.findall(text))),
            cap(len(_PLATFORM.findall(text))), cap(len(_ACTION.findall(text))), float(bool(_CONTACT.search(text))),
            float(bool(_PROMISE.search(text))), float(bool(_PREAMBLE.search(text))),
            cap(len(_SLOGAN_VERB.findall(text))), cap(len(found)), _stock_share(text, found),
            float(bool(_NUMERAL_LIST.search(text)))]


def stock_phrases_in(text: str, stock: tuple[str, ...]) -> list[str]:
    return [p for p in stock if p in text]


# --- sentences and sub-headings -------------------------------------------------------------

_ENUMERATOR = r"(?:[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|[一二三四五六七八九十]+、|\d+[.、．](?!\d)|第[一二三四五六七八九十]+[，,、])"
_HEADED = re.compile(r"^\s*(" + _ENUMERATOR + r"\s*[^。；;：:！？]{2,30}?)(?:[。：:]|\s{1,}|$)")


def split_heading(text: str) -> tuple[str, str]:
    """(sub-heading, body) of a paragraph that opens with one ("（二）依申请公开情况。全年收到…"),
    else ("", text). A line that is only a heading gives (heading, "")."""
    match = _HEADED.match(text)
    if not match:
        return "", text.strip()
    return match.group(1).strip(), text[match.end():].strip()
