"""Text normalisation and cell-value parsing shared by all loaders and the parser."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .model import Value

PLACEHOLDERS = {"/", "／", "—", "——", "-", "－", "–", "无", "空", "×", "\\"}
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_PUNCT = re.compile(r"[\s\u3000,，。.．、:：;；()（）\[\]【】“”\"'‘’《》<>〈〉\-—_·•|/／]+")
_BLANKS = re.compile(r"\s+")
_NUMBERING = re.compile(r"^(?:[（(]?[一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[.．、)）])")


def nfkc(text: str) -> str:
    """Full-width digits and letters to half-width; keeps Chinese punctuation readable."""
    return unicodedata.normalize("NFKC", text)


# The same cell texts and labels recur thousands of times in a report (and across a batch); these
# pure functions of a string are cached.
@lru_cache(maxsize=65536)
def clean_cell(text: str) -> str:
    return _BLANKS.sub(" ", (text or "").replace("\u3000", " ")).strip()


@lru_cache(maxsize=65536)
def parse_value(raw: str) -> Value:
    """A cell's value: int or float for numbers, None for blank, the text otherwise."""
    text = clean_cell(raw)
    if not text:
        return None
    compact = _THOUSANDS.sub("", nfkc(text)).replace(" ", "")
    if _NUMBER.match(compact):
        return float(compact) if "." in compact else int(compact)
    return text


_NUMBER_WITH_UNIT = re.compile(r"^[-+]?\d+(?:[.,]\d+)*\s*[^\d\s.、．]{1,3}$")


@lru_cache(maxsize=65536)
def is_value_text(text: str) -> bool:
    """True for what belongs in a value cell: a number, a placeholder, or a number with a unit (3件, 86400元)."""
    value = parse_value(text)
    if isinstance(value, (int, float)):
        return True
    text = clean_cell(text)
    return text in PLACEHOLDERS or bool(_NUMBER_WITH_UNIT.match(nfkc(text)))


_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n")


def split_sentences(text: str) -> list[str]:
    """Sentences of running text: split after 。！？； (full- or half-width) and at line breaks."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


@lru_cache(maxsize=65536)
def label_key(text: str) -> str:
    """Normalised label for matching: NFKC, no spaces, punctuation or leading numbering."""
    text = nfkc(text or "")
    text = _PUNCT.sub("", text)
    return text


def strip_brackets(text: str) -> str:
    """Text without its bracketed asides: 青石县人民政府（本级） -> 青石县人民政府."""
    return re.sub(r"[（(][^（()）]*[)）]", "", text)


def strip_numbering(text: str) -> str:
    text = nfkc(text or "").strip()
    previous = None
    while previous != text:
        previous = text
        text = _NUMBERING.sub("", text).strip()
    return text
