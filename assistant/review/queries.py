"""Reading the store: report rows, a report's findings with their triage state, recording decisions."""
from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select

from ..errors import InputError
from .models import Finding, Report, Triage, subject_of
from .store import Store

DECISIONS = {"confirm": "确认", "dismiss": "驳回"}
# what a list row shows: not the stored text and check result, the bulk of a row
LIST_COLUMNS = (Report.id, Report.agency, Report.agency_key, Report.sha256, Report.year, Report.level, Report.errors,
                Report.warnings, Report.infos, Report.paired_with, Report.version, Report.name, Report.state,
                Report.error)


def triage_states(session, reports: list) -> dict[tuple[str, int, str], Triage]:
    """The latest decision of every finding of these reports, keyed by (subject, year, fingerprint)."""
    subjects = {subject_of(r) for r in reports}
    if not subjects:
        return {}
    latest = (select(func.max(Triage.id)).where(Triage.subject.in_(subjects))
              .group_by(Triage.subject, Triage.year, Triage.fingerprint))
    rows = session.scalars(select(Triage).where(Triage.id.in_(latest))).all()
    return {(t.subject, t.year, t.fingerprint): t for t in rows}


def _state(states: dict, report, fingerprint: str) -> Triage | None:
    return states.get((subject_of(report), report.year or 0, fingerprint))


def status(report, states: dict, fingerprints: Iterable[str] | None = None) -> str:
    """`done` once every finding of a checked report has a decision; unread or pending reports stay open.
    `fingerprints`: its findings' (by default read from a Report's findings)."""
    if report.state != "checked":
        return "open"
    if fingerprints is None:
        fingerprints = [f.fingerprint for f in report.findings]
    return "done" if all(_state(states, report, f) for f in fingerprints) else "open"


def _where(year: int | None = None, everything: bool = False, level: str | None = None, kind: str | None = None,
           rule: str | None = None) -> list:
    where = [] if everything else [Report.current == 1]
    if year is not None:
        where.append(Report.year == year)
    if level is not None:
        where.append(Report.level == level)
    if kind is not None:
        where.append(Report.agency_kind == kind)
    if rule is not None:
        where.append(Report.id.in_(select(Finding.report_id).where(Finding.rule == rule)))
    return where


def report_rows(store: Store, year: int | None = None, state: str | None = None, everything: bool = False,
                level: str | None = None, kind: str | None = None, rule: str | None = None) -> list[dict]:
    """One row per report (plain rows, no ORM objects: a list of thousands must come back at once);
    `rule`: only reports with a finding of that rule."""
    with store.session() as session:
        where = _where(year, everything, level, kind, rule)
        reports = session.execute(select(*LIST_COLUMNS).where(*where).order_by(
            Report.agency_key, Report.year, Report.version, Report.id)).all()
        prints: dict[int, list[str]] = {}
        for report_id, fingerprint in session.execute(
                select(Finding.report_id, Finding.fingerprint).join(Report).where(*where)):
            prints.setdefault(report_id, []).append(fingerprint)
        states = triage_states(session, reports)
        rows = []
        for r in reports:
            row = {"id": r.id, "agency": r.agency, "year": r.year, "level": r.level, "errors": r.errors,
                   "warnings": r.warnings, "infos": r.infos, "paired_with": r.paired_with,
                   "status": status(r, states, prints.get(r.id, ())), "version": r.version, "file": r.name}
            if r.state != "checked":
                row["error"] = r.error or "尚未检查（再次运行 review import 完成检查）"
            if state is None or row["status"] == state:
                rows.append(row)
        return rows


def overview(store: Store, year: int | None = None, top: int = 10) -> dict:
    """The summary of the current reports: how many, per level; per rule, how many reports have it;
    the agencies with most errors. Aggregated by the database, whatever the number of reports."""
    where = _where(year)
    with store.session() as session:
        states = dict(session.execute(select(Report.state, func.count()).where(*where).group_by(Report.state)).all())
        levels = session.execute(select(Report.level, func.count(), func.sum(Report.errors), func.sum(Report.warnings))
                                 .where(*where).group_by(Report.level).order_by(Report.level)).all()
        rules = session.execute(
            select(Finding.rule, func.count(func.distinct(Finding.report_id)), func.count())
            .join(Report).where(*where).group_by(Finding.rule)
            .order_by(func.count(func.distinct(Finding.report_id)).desc(), Finding.rule)).all()
        agencies = session.execute(
            select(Report.id, Report.agency, Report.year, Report.errors, Report.warnings)
            .where(*where, Report.state == "checked").order_by(Report.errors.desc(), Report.warnings.desc(), Report.id)
            .limit(top)).all()
    return {"reports": sum(states.values()), "checked": states.get("checked", 0),
            "unreadable": states.get("unreadable", 0), "pending": states.get("pending", 0),
            "by_level": [{"level": level, "reports": n, "errors": int(e or 0), "warnings": int(w or 0)}
                         for level, n, e, w in levels],
            "by_rule": [{"rule": rule, "reports": n, "findings": total} for rule, n, total in rules],
            "top_agencies": [{"id": i, "agency": agency, "year": y, "errors": e, "warnings": w}
                             for i, agency, y, e, w in agencies]}


def _triage_json(t: Triage | None) -> dict | None:
    if t is None:
        return None
    return {"decision": t.decision, "reason": t.reason, "by": t.reviewer, "at": t.at.isoformat()}


def report_view(store: Store, report_id: int) -> dict:
    """The stored check object, each finding with its fingerprint, triage state and change since the
    previous version (new or remain), and the previous version's findings that are gone (fixed)."""
    with store.session() as session:
        report = session.get(Report, report_id)
        if report is None:
            raise InputError(f"没有编号为 {report_id} 的报告（用 review list 查看）")
        earlier = session.scalar(select(Report).where(
            (Report.agency_key == report.agency_key) & (Report.year == report.year)
            & (Report.version < report.version) & (Report.state == "checked"))
            .order_by(Report.version.desc())) if report.agency_key and report.year else None
        states = triage_states(session, [report])
        data = json.loads(report.result) if report.result else {"findings": []}
        by_print = {f.fingerprint: f for f in report.findings}
        before = {f.fingerprint: f for f in earlier.findings} if earlier else {}
        for item in data["findings"]:
            item["triage"] = _triage_json(_state(states, report, item["fingerprint"]))
            if earlier:
                item["change"] = "remain" if item["fingerprint"] in before else "new"
        review = {"id": report.id, "file": report.name, "sha256": report.sha256, "version": report.version,
                  "current": bool(report.current), "paired_with": report.paired_with,
                  "status": status(report, states), "error": report.error if report.state != "checked" else None,
                  "previous_version": earlier.id if earlier else None}
        if earlier:
            review["fixed"] = [{"fingerprint": f.fingerprint, "rule": f.rule, "severity": f.severity,
                                "message": f.message, "location": json.loads(f.location)}
                               for f in earlier.findings if f.fingerprint not in by_print]
        data["review"] = review
        return data


def record(store: Store, fingerprint: str, decision: str, reason: str = "", by: str = "",
           report_id: int | None = None) -> tuple[Report, Finding]:
    """Append a decision for the finding with this fingerprint (or a unique prefix of it)."""
    fingerprint = fingerprint.strip().lower()
    if len(fingerprint) < 6:
        raise InputError("指纹至少需要 6 位（用 review show 查看问题的指纹）")
    with store.session() as session, session.begin():
        query = (select(Finding, Report).join(Report).where(Finding.fingerprint.startswith(fingerprint, autoescape=True))
                 .order_by(Report.current.desc(), Report.version.desc()))
        if report_id is not None:
            query = query.where(Report.id == report_id)
        matches = session.execute(query).all()
        if not matches:
            raise InputError(f"没有指纹为 {fingerprint} 的问题（用 review show ID 查看问题的指纹）")
        keys = {(r.subject, r.year or 0, f.fingerprint) for f, r in matches}
        if len(keys) > 1:
            ids = "、".join(sorted({str(r.id) for _, r in matches}, key=int))
            raise InputError(f"指纹 {fingerprint} 对应多个问题（报告 {ids}），请写全指纹或加 --report ID")
        finding, report = matches[0]
        subject, year, full = keys.pop()
        session.add(Triage(subject=subject, year=year, fingerprint=full, decision=decision, reason=reason or "",
                           reviewer=by or "", at=datetime.now().replace(microsecond=0)))
        session.flush()
        return report, finding
