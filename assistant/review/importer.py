"""`review import`: read, deduplicate, pair and check reports into the store.

Rows are written before their check (state `pending`) and each check is committed on its own, so an
import killed half-way leaves a consistent store whose pending rows the next import completes.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from itertools import islice
from pathlib import Path

from sqlalchemy import delete, insert, select, update

from .. import config
from ..batch import _unsupported, checked_in_workers, collect
from ..checker import CheckOptions, CheckResult, check_source, prepare
from ..document import Source, read, source_of
from ..document.loaders import display_name
from ..errors import InputError
from .models import Finding, Report
from .store import Store, agency_key, fingerprint

BROKEN = "检查失败：文件内容异常，无法检查"
CHUNK = 200  # content hashes per query
COMMIT_EVERY = 200  # checked reports per transaction; `[review] commit_every` in assistant.toml


@dataclass
class Outcome:
    imported: int = 0
    duplicates: int = 0
    unreadable: int = 0
    ids: list[int] = field(default_factory=list)

    def line(self) -> str:
        return f"imported {self.imported}, duplicates {self.duplicates}, unreadable {self.unreadable}"


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _meta(source: Source, ocr: str = "auto") -> dict:
    """What pairing needs, read in a worker bounded like every read (an unreadable report: its reason)."""
    try:
        return read(source, ocr, then=pairing_meta)
    except InputError as exc:
        return {"error": exc.message}
    except Exception:  # one broken file must not stop an import of hundreds
        return {"error": BROKEN}


def pairing_meta(document) -> dict:
    """The metadata pairing needs (computed in the reading worker; the document stays there)."""
    meta = document.meta
    return {"agency": meta.agency or "", "year": meta.year, "level": meta.level, "agency_kind": meta.agency_kind}


def _check(task: tuple[Source, Source | None, CheckOptions]) -> dict:
    source, previous, options = task
    try:
        return check_source(source, previous, options, then=CheckResult.to_json)
    except InputError as exc:
        return {"error": exc.message}
    except Exception:
        return {"error": BROKEN}


def _inputs(paths: list[str], skip: set[Path]) -> list[tuple[str, Source | None, str | None]]:
    """(name, source, reason it cannot be read) of every file named or found under a folder."""
    named = {Path(p) for p in paths}
    items = []
    for path in collect(paths):
        if path.resolve() in skip:
            continue
        name = display_name(path)
        reason = _unsupported(path, path in named)
        if reason:
            items.append((name, None, reason))
            continue
        try:
            items.append((name, Source("bytes", source_of(path).payload, name), None))
        except InputError as exc:
            items.append((name, None, exc.message))
    return items


def import_paths(store: Store, paths: list[str], jobs: int = 1, progress: bool = True,
                 options: CheckOptions | None = None) -> Outcome:
    from .fetch import fetch, is_url

    urls = [p for p in paths if is_url(p)]
    items = _inputs([p for p in paths if not is_url(p)], store.files()) + (fetch(urls) if urls else [])
    if not items:
        raise InputError("没有找到可导入的报告文件（支持 txt、md、html、docx、pdf 和网址）")
    return import_sources(store, items, jobs, progress, options)


def import_sources(store: Store, items: list[tuple[str, Source | None, str | None]], jobs: int = 1,
                   progress: bool = True, options: CheckOptions | None = None) -> Outcome:
    options = options or CheckOptions()
    commit_every()  # a bad setting is refused before anything is written
    prepare(options)  # before the first worker starts, so every worker is forked with the models
    outcome = Outcome()
    fresh: dict[str, tuple[str, Source | None, str | None]] = {}
    hashed = []
    for name, source, reason in items:
        payload = source.payload if source else None
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        hashed.append((_sha(payload) if payload is not None else _sha(f"unreadable\0{name}\0{reason}".encode()),
                       (name, source, reason)))
    stored = _stored([sha for sha, _ in hashed], store)
    for sha, (name, source, reason) in hashed:
        if reason:
            outcome.unreadable += 1
        if sha in fresh or sha in stored:
            outcome.duplicates += 0 if reason else 1
            continue
        fresh[sha] = (name, source, reason)
    readable = [(sha, source) for sha, (_, source, reason) in fresh.items() if not reason]
    metas = dict(zip([sha for sha, _ in readable],
                     list(checked_in_workers(partial(_meta, ocr=options.ocr), [source for _, source in readable], jobs,
                                             "读取", progress))))
    with store.session() as session, session.begin():
        for sha, (name, source, reason) in fresh.items():
            meta = metas.get(sha, {})
            reason = reason or meta.get("error")
            report = Report(sha256=sha, name=name, source_kind=source.kind if source else "bytes",
                            payload=_bytes(source), imported_at=_now(), state="unreadable" if reason else "pending",
                            error=reason, agency=meta.get("agency", ""), agency_key=agency_key(meta.get("agency", "")),
                            year=meta.get("year"), level=meta.get("level"), agency_kind=meta.get("agency_kind"))
            if reason and source is not None:
                outcome.unreadable += 1
            if report.agency_key and report.year:
                _new_version(session, report)
            session.add(report)
            session.flush()
            outcome.imported += 0 if reason else 1
            outcome.ids.append(report.id)
    check_pending(store, jobs, progress, options)
    return outcome


def _stored(hashes: list[str], store: Store) -> set[str]:
    """Which of the content hashes are already stored (asked in chunks, not one query each)."""
    found: set[str] = set()
    with store.session() as session:
        for start in range(0, len(hashes), CHUNK):
            chunk = hashes[start:start + CHUNK]
            found.update(session.scalars(select(Report.sha256).where(Report.sha256.in_(chunk))))
    return found


def _bytes(source: Source | None) -> bytes | None:
    if source is None:
        return None
    return source.payload.encode("utf-8") if isinstance(source.payload, str) else source.payload


def _new_version(session, report: Report) -> None:
    """A report of an agency and year already stored is its next version; the next year is re-paired."""
    same = (Report.agency_key == report.agency_key) & (Report.year == report.year)
    versions = session.scalars(select(Report.version).where(same)).all()
    report.version = max(versions, default=0) + 1
    session.execute(update(Report).where(same).values(current=0))
    session.execute(update(Report).where((Report.agency_key == report.agency_key) & (Report.year == report.year + 1)
                                         & (Report.current == 1) & (Report.state == "checked"))
                    .values(state="pending"))


def _source(report: Report) -> Source:
    payload = report.payload if report.source_kind == "bytes" else report.payload.decode("utf-8")
    return Source(report.source_kind, payload, report.name)


def check_pending(store: Store, jobs: int = 1, progress: bool = True, options: CheckOptions | None = None) -> int:
    """Check every pending report (with last year's, when stored), committing the results
    `commit_every()` at a time: a killed import leaves the rest pending, and the next import completes them."""
    options = options or CheckOptions()
    every = commit_every()
    with store.session() as session:
        pending = session.scalars(select(Report).where(Report.state == "pending").order_by(Report.id)).all()
        previous = _previous_reports(session)
        tasks, pairs = [], []
        for report in pending:
            before = previous.get((report.agency_key, report.year - 1)) if report.agency_key and report.year else None
            tasks.append((_source(report), _source(before) if before else None, options))
            pairs.append((report.id, before.id if before else None))
    results = zip(checked_in_workers(_check, tasks, jobs, "检查", progress), pairs)
    while batch := list(islice(results, every)):
        with store.session() as session, session.begin():
            ids = [report_id for _, (report_id, _) in batch]
            reports = {r.id: r for r in session.scalars(select(Report).where(Report.id.in_(ids)))}
            session.execute(delete(Finding).where(Finding.report_id.in_(ids)))
            rows = [row for data, (report_id, previous_id) in batch
                    for row in save_result(reports[report_id], data, previous_id)]
            if rows:
                session.execute(insert(Finding), rows)
    return len(tasks)


def commit_every() -> int:
    value = config.overrides({"commit_every": COMMIT_EVERY}, config.section("review"), "review")["commit_every"]
    if value < 1:
        raise InputError("配置文件中 [review] commit_every 应当是正整数")
    return value


def _previous_reports(session) -> dict[tuple[str, int], Report]:
    """The current readable report of each (agency, year): what a report of the next year pairs with."""
    query = select(Report).where((Report.current == 1) & (Report.state != "unreadable") & (Report.agency_key != "")
                                 & Report.year.is_not(None))
    return {(r.agency_key, r.year): r for r in session.scalars(query)}


def save_result(report: Report, data: dict, previous_id: int | None) -> list[dict]:
    """Record a check's result on the report; the rows of its findings, to be inserted."""
    report.checked_at = _now()
    if "error" in data:
        report.state, report.error = "unreadable", data["error"]
        return []
    seen: Counter = Counter()
    rows = []
    for position, item in enumerate(data["findings"]):
        base = fingerprint(item["rule"], item["location"], item["message"])
        item["fingerprint"] = fingerprint(item["rule"], item["location"], item["message"], seen[base]) \
            if seen[base] else base
        seen[base] += 1
        rows.append(dict(report_id=report.id, position=position, fingerprint=item["fingerprint"], rule=item["rule"],
                         severity=item["severity"], message=item["message"],
                         location=json.dumps(item["location"], ensure_ascii=False),
                         citation=item.get("citation", ""), suggestion=item.get("suggestion", "")))
    counts = Counter(item["severity"] for item in data["findings"])
    report.errors, report.warnings, report.infos = counts["error"], counts["warning"], counts["info"]
    report.result = json.dumps(data, ensure_ascii=False)
    report.paired_with = previous_id
    report.state = "checked"
    return rows
