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


def _readable(path: Path) -> bool:
    try:
        read_bytes_document(path.read_bytes(), path.name)
    except InputError:
        return False  # e.g. the corpus README or the truncated sample: not reports to time
    return True


def run_check_bench(paths: list[str], count: int = 1000, nlp: bool = True) -> dict[int, float]:
    """Reports per second of a batch check over `count` text reports, with 1 and 2 processes."""
    import shutil
    import tempfile

    from .batch import run_batch
    from .checker import CheckOptions

    sources = [p for p in report_files(paths) if p.suffix.lower() in (".txt", ".md") and _readable(p)]
    if not sources:
        raise InputError("没有可用于测试的 txt/md 报告")
    rates = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(count):
            source = sources[i % len(sources)]
            shutil.copyfile(source, Path(tmp) / f"{i:05d}{source.suffix}")
        for jobs in (1, 2):
            start = time.perf_counter()
            rows = run_batch([tmp], CheckOptions(nlp=nlp), jobs=jobs, progress=False)
            elapsed = time.perf_counter() - start
            rates[jobs] = len(rows) / elapsed
            failed = sum(1 for r in rows if r["error"])
            print(f"--jobs {jobs}: {len(rows)} 份报告（无法读取 {failed} 份），{elapsed:.2f} 秒，{rates[jobs]:.0f} 份/秒")
    return rates


_COLD_LOAD = ("import time; t = time.perf_counter(); from assistant.nlp.analysis import load_models; "
              "m = load_models(); m.classify(['全年主动公开政府信息1200条。']); print(time.perf_counter() - t)")


def run_nlp_bench(paths: list[str], repeat: int = 20) -> dict[str, float]:
    """Cold model loading (fresh interpreter) and topics + boilerplate per whole report."""
    import subprocess
    import sys

    from .nlp.analysis import load_models

    root = Path(__file__).resolve().parent.parent
    loads = [float(subprocess.run([sys.executable, "-c", _COLD_LOAD], cwd=root, capture_output=True, text=True,
                                  check=True).stdout.strip()) for _ in range(3)]
    print(f"模型加载（新进程，含导入）：中位 {statistics.median(loads):.2f} 秒")
    models = load_models()
    if models is None:
        raise InputError("模型尚未训练：请先运行 python -m assistant train")
    timings = []
    for path in report_files(paths):
        try:
            document = read_bytes_document(path.read_bytes(), path.name)
        except InputError:
            continue
        models.analyse(document)
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            models.analyse(document)
            runs.append((time.perf_counter() - start) * 1000)
        timings.append(statistics.median(runs))
    print(f"整份报告的主题与套话分析：{len(timings)} 份，中位 {statistics.median(timings):.1f} ms，最大 {max(timings):.1f} ms")
    return {"load_seconds": statistics.median(loads), "analyse_ms": statistics.median(timings)}
