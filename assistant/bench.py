"""Benchmarks that print numbers: parse time per report and per format."""
from __future__ import annotations

import statistics
import time
from pathlib import Path

from .document import read_bytes_document
from .document.loaders import FORMATS
from .errors import InputError

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "reports"


def report_files(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for entry in map(Path, paths or [str(DEFAULT_CORPUS)]):
        if entry.is_dir():
            files.extend(sorted(p for p in entry.rglob("*") if p.suffix.lower() in FORMATS and p.is_file()))
        else:
            files.append(entry)
    return files


def run_bench(paths: list[str], repeat: int = 20) -> dict[str, float]:
    per_format: dict[str, list[float]] = {}
    print(f"{'文件':<48}{'格式':<6}{'中位耗时(ms)':>12}")
    for path in report_files(paths):
        data = path.read_bytes()
        timings = []
        for _ in range(max(1, repeat)):
            start = time.perf_counter()
            try:
                document = read_bytes_document(data, path.name)
            except InputError:
                document = None
            timings.append((time.perf_counter() - start) * 1000)
        median = statistics.median(timings)
        fmt = document.fmt if document else path.suffix.lstrip(".")
        per_format.setdefault(fmt, []).append(median)
        print(f"{path.name:<48}{fmt:<6}{median:>12.2f}")
    print("\n格式    报告数  中位(ms)  最大(ms)")
    summary = {}
    for fmt, values in sorted(per_format.items()):
        summary[fmt] = statistics.median(values)
        print(f"{fmt:<8}{len(values):>6}{summary[fmt]:>10.2f}{max(values):>10.2f}")
    return summary
