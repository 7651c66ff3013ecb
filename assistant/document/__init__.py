"""Reading reports: any supported file (or text) in, a `Document` out, within the input budget."""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..limits import budget, too_large
from .loaders import display_name, read_bytes
from .model import Document
from .reader import Source

__all__ = ["Document", "InputError", "Source", "source_of", "read", "read_document", "read_bytes_document",
           "parse_text", "read_stdin", "admissible"]


def read_stdin() -> bytes:
    data = sys.stdin.buffer.read(budget().max_bytes + 1)
    if len(data) > budget().max_bytes:
        raise InputError(too_large(len(data), budget().max_bytes))
    return data


def source_of(path: str | Path) -> Source:
    """A report file ('-' = standard input) as a Source, its size checked before it is read."""
    if str(path) == "-":
        return Source("bytes", read_stdin(), "-")
    path = Path(path)
    return Source("bytes", read_bytes(path, budget()), display_name(path.name))


def admissible(source: Source) -> Source:
    """Refuse an empty or oversized input here, before it is sent to a worker."""
    if not source.payload or not source.payload.strip():
        raise InputError("输入为空，没有可检查的内容")
    if source.kind == "bytes" and len(source.payload) > budget().max_bytes:
        raise InputError(too_large(len(source.payload), budget().max_bytes))
    return source


def read(source: Source, ocr: str = "auto", then: Callable[[Document], Any] | None = None) -> Document | Any:
    """A Document from a Source, read in a worker within the budget (guard.py); `ocr`: "auto"
    reads image-only PDF pages by OCR, "force" every page, "never" none; `then(document)`, when
    given, runs in the worker and its value is returned instead."""
    from ..guard import run

    return run(("read", admissible(source), ocr, then, budget()), budget())


def parse_text(text: str, name: str = "-") -> Document:
    """A report given as text (pasted, or sent to the web API)."""
    return read(Source("text", text or "", name))


def read_bytes_document(data: bytes, name: str = "-", ocr: str = "auto") -> Document:
    """A report file's content; `name` gives the suffix when the content does not tell the format."""
    return read(Source("bytes", data, name), ocr)


def read_document(path: str | Path, ocr: str = "auto") -> Document:
    """Read a report file ('-' = standard input) of any supported format."""
    return read(source_of(path), ocr)
