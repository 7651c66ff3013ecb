"""Reading reports: any supported file (or text) in, a `Document` out."""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError
from .loaders import MAX_BYTES, decode_text, load_items, load_text, read_bytes, sniff_format
from .model import Document
from .parser import parse

__all__ = ["Document", "InputError", "read_document", "read_bytes_document", "parse_text"]


def parse_text(text: str, source: str = "-") -> Document:
    if not text.strip():
        raise InputError("输入为空，没有可检查的内容")
    return parse(load_text(text), source, "txt")


def read_bytes_document(data: bytes, name: str = "-") -> Document:
    if not data.strip():
        raise InputError("输入为空，没有可检查的内容")
    if len(data) > MAX_BYTES:
        raise InputError(f"文件过大（{len(data) / 1048576:.1f} MB），年度报告一般不超过 {MAX_BYTES // 1048576} MB")
    fmt = sniff_format(data, Path(name).suffix.lower())
    return parse(load_items(data, fmt), name, fmt)


def read_document(path: str | Path) -> Document:
    """Read a report file ('-' = standard input) of any supported format."""
    if str(path) == "-":
        return read_bytes_document(sys.stdin.buffer.read(MAX_BYTES + 1), "-")
    path = Path(path)
    return read_bytes_document(read_bytes(path), path.name)
