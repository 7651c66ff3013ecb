"""Check many reports: one summary row per input, an unreadable or unsupported one a row with its reason."""
from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from .checker import CheckOptions, CheckResult, check_source, prepare
from .document import Source, source_of
from .document.loaders import FORMATS, OLD_WORD, OLD_WORD_MESSAGE, display_name
from .errors import InputError
from .guard import parallel_map
from .limits import budget

FIELDS = ("file", "agency", "year", "agency_kind", "errors", "warnings", "infos", "rules", "error")


def collect(paths: list[str]) -> list[Path]:
    """Every input path, and every visible file under a folder (symlinks are not followed into folders)."""
    files: list[Path] = []
    for entry in map(Path, paths):
        if entry.is_dir():
            found = []
            for dirpath, dirnames, filenames in os.walk(entry):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                found += [Path(dirpath) / name for name in filenames if not name.startswith(".")]
            files.extend(sorted(found))
        else:
            files.append(entry)
    return files


def _unsupported(path: Path, named: bool) -> str | None:
    """Why a file found in a folder is not checked (a file named on the command line is always tried)."""
    suffix = path.suffix.lower()
    if suffix in OLD_WORD:
        return OLD_WORD_MESSAGE
    if not named and suffix not in FORMATS:
        return f"不支持的文件类型（{suffix or '无扩展名'}）：请提供 txt、md、html、docx 或 pdf 格式的报告"
    return None


def summary_row(name: str, source: Callable[[], Source] | InputError, options: CheckOptions) -> dict:
    """The summary row of one input: `source` gives it, or is the reason it cannot be read."""
    row = dict.fromkeys(FIELDS, "")
    row["file"] = name
    try:
        if isinstance(source, InputError):
            raise source
        row.update(check_source(source(), options=options, then=result_summary))
    except InputError as exc:
        row["error"] = exc.message
    except Exception:  # one broken file must not stop a batch of hundreds
        row["error"] = "检查失败：文件内容异常，无法检查"
    return row


def result_summary(result: CheckResult) -> dict:
    """The summary fields of a checked report (computed in the checking worker)."""
    meta = result.document.meta
    counts = Counter(f.severity for f in result.findings)
    return dict(agency=meta.agency, year=meta.year or "", agency_kind=meta.agency_kind, errors=counts["error"],
                warnings=counts["warning"], infos=counts["info"], rules=" ".join(sorted({f.rule for f in result.findings})))


def summarise(path: Path, options: CheckOptions, named: bool = True) -> dict:
    reason = _unsupported(path, named)
    return summary_row(display_name(path), InputError(reason) if reason else lambda: source_of(path), options)


def _summarise_args(args: tuple[Path, CheckOptions, bool]) -> dict:
    return summarise(*args)


def checked_in_workers(function: Callable, tasks: list, jobs: int, desc: str, progress: bool) -> Iterator:
    """`function` over `tasks` in the checking workers, `jobs` at a time, with a progress bar on stderr."""
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: workers started later can still be forked from here
    results = parallel_map(function, tasks, jobs, budget())
    return iter(tqdm(results, total=len(tasks), desc=desc, unit="份", file=sys.stderr,
                     disable=not progress or not tasks))


def run_batch(paths: list[str], options: CheckOptions, jobs: int = 1, progress: bool = True,
              skip: Path | None = None) -> list[dict]:
    named = {Path(p) for p in paths}
    files = [f for f in collect(paths) if skip is None or f.resolve() != skip]
    if not files:
        raise InputError("没有找到可检查的报告文件（支持 txt、md、html、docx、pdf）")
    tasks = [(path, options, path in named) for path in files]
    prepare(options)
    return list(checked_in_workers(_summarise_args, tasks, jobs, "检查", progress))


def format_rows(rows: list[dict], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def output_target(output: str, inputs: list[str], force: bool) -> Path:
    """Where `batch --output` may write, checked before the run so no work is lost at its end."""
    target = Path(output)
    shown = display_name(target)
    if target.is_dir():
        raise InputError(f"输出位置 {shown} 是一个目录，请给出文件名")
    if not target.parent.is_dir():
        raise InputError(f"输出文件所在的目录不存在：{display_name(target.parent)}")
    resolved = target.resolve()
    if any(resolved == f.resolve() for f in collect(inputs) if not f.is_dir()):
        raise InputError(f"输出文件 {shown} 是要检查的报告之一，不能覆盖")
    if target.exists() and not force:
        raise InputError(f"输出文件 {shown} 已存在；如确需覆盖，请加 --force")
    if not os.access(target.parent, os.W_OK):
        raise InputError(f"没有权限写入目录 {display_name(target.parent)}")
    return resolved


def write_output(target: Path, text: str, fmt: str) -> None:
    """Write through a temporary file and rename, so a failure never leaves a half-written report."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise InputError(f"无法写入输出文件 {display_name(target)}：{exc.strerror or '写入失败'}") from None
