"""What a report is read from, and reading it in this process (entry points go through guard.py)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..limits import Budget, too_large
from .loaders import check_chars, load_items, load_text, sniff_format
from .model import Document, Grid, Item
from .parser import parse
from .webcopy import clean


@dataclass(frozen=True)
class Source:
    """A report as received: pasted text, or a file's bytes with its name (for the suffix)."""

    kind: str  # "text" | "bytes"
    payload: str | bytes
    name: str = "-"


def read_source(source: Source, budget: Budget, ocr: str = "auto") -> Document:
    """`ocr`: "auto" reads image-only PDF pages by OCR, "force" every page, "never" none."""
    if source.kind == "text":
        return document_from_text(source.payload, source.name, budget)
    return document_from_bytes(source.payload, source.name, budget, ocr)


def document_from_text(text: str, source: str, budget: Budget) -> Document:
    if not text.strip():
        raise InputError("输入为空，没有可检查的内容")
    check_chars(len(text), budget)
    return _parse(_counted(load_text(text), budget), source, "txt")


def document_from_bytes(data: bytes, name: str, budget: Budget, ocr: str = "auto") -> Document:
    if not data.strip():
        raise InputError("输入为空，没有可检查的内容")
    if len(data) > budget.max_bytes:
        raise InputError(too_large(len(data), budget.max_bytes))
    fmt = sniff_format(data, Path(name).suffix.lower())
    stats: dict = {}
    document = _parse(_counted(load_items(data, fmt, budget, ocr, stats), budget), name, fmt)
    if stats:
        confidences = stats["confidences"]
        mean = sum(confidences) / len(confidences) if confidences else 0.0
        document.ocr = {"pages": stats["pages"], "mean_confidence": round(mean, 3)}
    return document


def _parse(items: list[Item], name: str, fmt: str) -> Document:
    kept, chrome = clean(items)
    return parse(kept, name, fmt, chrome)


def _counted(items: list[Item], budget: Budget) -> list[Item]:
    """Parsing and checking cost grows with the lines; refuse a document of absurdly many."""
    lines = sum(len(item.rows) if isinstance(item, Grid) else 1 for item in items)
    if lines > budget.max_lines:
        raise InputError(f"行数过多（{lines} 行），超出年度报告的合理篇幅（{budget.max_lines} 行）")
    return items
