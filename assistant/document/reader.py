"""Bytes or text in, a `Document` out, in this process. Entry points go through guard.py instead."""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..limits import Budget, too_large
from .loaders import check_chars, load_items, load_text, sniff_format
from .model import Document
from .parser import parse


def document_from_text(text: str, source: str, budget: Budget) -> Document:
    if not text.strip():
        raise InputError("输入为空，没有可检查的内容")
    check_chars(len(text), budget)
    return parse(load_text(text), source, "txt")


def document_from_bytes(data: bytes, name: str, budget: Budget) -> Document:
    if not data.strip():
        raise InputError("输入为空，没有可检查的内容")
    if len(data) > budget.max_bytes:
        raise InputError(too_large(len(data), budget.max_bytes))
    fmt = sniff_format(data, Path(name).suffix.lower())
    return parse(load_items(data, fmt, budget), name, fmt)
