"""Check many reports: one summary row per file, unreadable files become rows with their error."""
from __future__ import annotations

import csv
import io
import json
import multiprocessing
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .checker import CheckOptions, check_path
from .document.loaders import FORMATS
from .errors import InputError

FIELDS = ("file", "agency", "year", "agency_kind", "errors", "warnings", "infos", "rules", "error")


def collect(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for entry in map(Path, paths):
        if entry.is_dir():
            files.extend(sorted(p for p in entry.rglob("*") if p.is_file() and p.suffix.lower() in FORMATS))
        else:
            files.append(entry)
    return files


def summarise(path: Path, options: CheckOptions) -> dict:
    row = dict.fromkeys(FIELDS, "")
    row["file"] = str(path)
    try:
        result = check_path(path, options=options)
    except InputError as exc:
        row["error"] = exc.message
        return row
    except Exception as exc:  # one broken file must not stop a batch of hundreds
        row["error"] = f"读取失败：{type(exc).__name__}"
        return row
    meta = result.document.meta
    counts = Counter(f.severity for f in result.findings)
    row.update(agency=meta.agency, year=meta.year or "", agency_kind=meta.agency_kind,
               errors=counts["error"], warnings=counts["warning"], infos=counts["info"],
               rules=" ".join(sorted({f.rule for f in result.findings})))
    return row


def _summarise_args(args: tuple[Path, CheckOptions]) -> dict:
    return summarise(*args)


def run_batch(paths: list[str], options: CheckOptions, jobs: int = 1, progress: bool = True) -> list[dict]:
    from tqdm import tqdm

    files = collect(paths)
    if not files:
        raise InputError("没有找到可检查的报告文件（支持 txt、md、html、docx、pdf）")
    tasks = [(path, options) for path in files]
    bar = dict(total=len(tasks), desc="检查", unit="份", file=sys.stderr, disable=not progress)
    if jobs <= 1:
        return [summarise(*task) for task in tqdm(tasks, **bar)]
    # spawn, not fork: a forked child of a process that has loaded torch can deadlock
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(tqdm(pool.map(_summarise_args, tasks, chunksize=8), **bar))


def format_rows(rows: list[dict], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
