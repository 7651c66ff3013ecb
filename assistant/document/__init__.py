"""Reading reports: any supported file (or text) in, a `Document` out, within the input budget."""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError
from ..limits import budget, too_large
from . import guard
from .loaders import display_name, read_bytes
from .model import Document

__all__ = ["Document", "InputError", "read_document", "read_bytes_document", "parse_text", "read_stdin"]


def parse_text(text: str, source: str = "-") -> Document:
    """A report given as text (pasted, or sent to the web API)."""
    if not text or not text.strip():
        raise InputError("输入为空，没有可检查的内容")
    return guard.read("text", text, source, budget())


def read_bytes_document(data: bytes, name: str = "-") -> Document:
    """A report file's content; `name` gives the suffix when the content does not tell the format."""
    limits = budget()
    if len(data) > limits.max_bytes:
        raise InputError(too_large(len(data), limits.max_bytes))
    if not data.strip():
        raise InputError("输入为空，没有可检查的内容")
    return guard.read("bytes", data, name, limits)


def read_stdin() -> bytes:
    return sys.stdin.buffer.read(budget().max_bytes + 1)


def read_document(path: str | Path) -> Document:
    """Read a report file ('-' = standard input) of any supported format."""
    if str(path) == "-":
        return read_bytes_document(read_stdin(), "-")
    path = Path(path)
    return read_bytes_document(read_bytes(path, budget()), display_name(path.name))
