"""The input budget: how much one document may cost, applied by every entry point.

Sizes are checked by the loaders before and while reading; time and memory are enforced from
outside the parsing code, by the worker process that reads and checks each document (guard.py).
Defaults live here; `[limits]` in assistant.toml overrides them.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache

from . import config

MB = 1024 * 1024


@dataclass(frozen=True)
class Budget:
    max_bytes: int = 20 * MB  # a file, an upload or standard input, before reading
    max_chars: int = 500_000  # decoded text, whatever the charset declaration (ten times a long report)
    max_lines: int = 10_000  # lines, paragraphs and table rows of one document
    max_pages: int = 100  # PDF pages
    max_entry_bytes: int = 30 * MB  # unpacked size of one zip entry that is read (word/document.xml)
    max_ratio: int = 150  # unpacked / packed size of a zip entry
    max_cells: int = 20_000  # cells of one table after merged cells are expanded
    seconds: float = 4.0  # wall clock to read and parse one document
    memory_mb: int = 480  # address space a reading worker may add to what it had at start
    max_ocr_pages: int = 40  # scanned pages read by OCR in one document
    ocr_page_seconds: float = 12.0  # wall clock added to `seconds` for each page to OCR
    ocr_memory_mb: int = 700  # address space added to `memory_mb` for a document read by OCR


@lru_cache(maxsize=1)
def budget() -> Budget:
    return Budget(**config.overrides(asdict(Budget()), config.section("limits"), "limits"))


def too_large(size: int, limit: int) -> str:
    """One wording for an oversized input, shared by the command line, the loaders and the web app."""
    return f"文件过大（{size / MB:.1f} MB），年度报告一般不超过 {limit // MB} MB"
