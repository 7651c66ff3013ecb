"""`review export`: a CSV or XLSX table of reports and confirmed findings, or one rectification notice
(整改通知, Markdown and .docx) per agency listing its confirmed findings."""
from __future__ import annotations

import csv
import io
import json
import os
import re
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..document.loaders import display_name
from ..errors import InputError
from ..render.report import SEVERITY_LABEL
from ..rules.base import describe_location
from .models import Report
from .queries import status, triage_states
from .store import Store

REPORT_FIELDS = ("id", "agency", "year", "level", "version", "file", "errors", "warnings", "infos", "paired_with",
                 "status", "error")
FINDING_FIELDS = ("report_id", "agency", "year", "fingerprint", "rule", "severity", "message", "location",
                  "citation", "suggestion", "reason", "by", "at")


def _collect(store: Store) -> tuple[list[dict], list[dict]]:
    """Current versions of every report, and their findings whose latest decision is `confirm`."""
    with store.session() as session:
        reports = session.scalars(select(Report).options(selectinload(Report.findings)).where(Report.current == 1)
                                  .order_by(Report.agency_key, Report.year, Report.id)).all()
        states = triage_states(session, reports)
        rows, confirmed = [], []
        for r in reports:
            rows.append({"id": r.id, "agency": r.agency, "year": r.year, "level": r.level, "version": r.version,
                         "file": r.name, "errors": r.errors, "warnings": r.warnings, "infos": r.infos,
                         "paired_with": r.paired_with, "status": status(r, states),
                         "error": r.error if r.state != "checked" else ""})
            for f in r.findings:
                t = states.get((r.subject, r.year or 0, f.fingerprint))
                if t is not None and t.decision == "confirm":
                    confirmed.append({"report_id": r.id, "agency": r.agency, "year": r.year,
                                      "fingerprint": f.fingerprint, "rule": f.rule, "severity": f.severity,
                                      "message": f.message, "location": describe_location(json.loads(f.location)),
                                      "citation": f.citation, "suggestion": f.suggestion, "reason": t.reason,
                                      "by": t.reviewer, "at": t.at.isoformat(), "agency_key": r.agency_key})
        return rows, confirmed


def export(store: Store, output: str) -> str:
    """Write the export; returns a Chinese line saying what was written."""
    target = Path(output)
    suffix = target.suffix.lower()
    if suffix in (".csv", ".xlsx"):
        if target.is_dir():
            raise InputError(f"输出位置 {display_name(target)} 是一个目录，请给出 .csv 或 .xlsx 文件名")
        if not target.parent.is_dir():
            raise InputError(f"输出文件所在的目录不存在：{display_name(target.parent)}")
    elif target.exists() and not target.is_dir():
        raise InputError(f"输出位置 {display_name(target)} 不是目录，也不是 .csv 或 .xlsx 文件")
    rows, confirmed = _collect(store)
    if suffix == ".csv":
        _write(target, _csv(rows, confirmed).encode("utf-8-sig"))
    elif suffix == ".xlsx":
        _write(target, _xlsx(rows, confirmed))
    else:
        count = _notices(target, confirmed)
        return f"已为 {count} 个机关生成整改通知（Markdown 和 Word），写入 {display_name(target)}"
    return f"已导出 {len(rows)} 份报告、{len(confirmed)} 个已确认问题到 {display_name(target)}"


def _write(target: Path, data: bytes) -> None:
    """Through a temporary file and a rename, so a failure never leaves half a file (as batch.write_output)."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise InputError(f"无法写入输出文件 {display_name(target)}：{exc.strerror or '写入失败'}") from None


def _csv(rows: list[dict], confirmed: list[dict]) -> str:
    """One table: each confirmed finding with its report's columns; a report without any on a row of its own."""
    fields = REPORT_FIELDS + tuple(f for f in FINDING_FIELDS if f not in ("report_id", "agency", "year"))
    by_report: dict[int, list[dict]] = {}
    for item in confirmed:
        by_report.setdefault(item["report_id"], []).append(item)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        for item in by_report.get(row["id"], [{}]):
            writer.writerow({**row, **{k: v for k, v in item.items() if k not in REPORT_FIELDS}})
    return buffer.getvalue()


def _xlsx(rows: list[dict], confirmed: list[dict]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "报告"
    sheet.append(list(REPORT_FIELDS))
    for row in rows:
        sheet.append([row[f] for f in REPORT_FIELDS])
    sheet = book.create_sheet("已确认问题")
    sheet.append(list(FINDING_FIELDS))
    for item in confirmed:
        sheet.append([item[f] for f in FINDING_FIELDS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _file_name(agency: str) -> str:
    return "整改通知-" + (re.sub(r"[\\/:*?\"<>|\s]+", "_", agency).strip("._") or "未识别机关")


def notice_markdown(agency: str, items: list[dict]) -> str:
    lines = [f"# 关于{agency}政府信息公开工作年度报告问题的整改通知", "", f"{agency}：", "",
             f"经审核，你单位报送的政府信息公开工作年度报告存在以下 {len(items)} 个问题，请对照整改，"
             "修改后重新报送。", ""]
    for number, item in enumerate(items, 1):
        lines += [f"## {number}. {item['year']}年度报告：{item['message']}", "",
                  f"- 级别：{SEVERITY_LABEL.get(item['severity'], item['severity'])}（规则 {item['rule']}）",
                  f"- 位置：{item['location']}", f"- 依据：{item['citation']}", f"- 整改建议：{item['suggestion']}"]
        if item["reason"]:
            lines.append(f"- 审核意见：{item['reason']}")
        lines.append("")
    lines += [f"{date.today():%Y年%m月%d日}", ""]
    return "\n".join(lines)


def _notice_docx(agency: str, items: list[dict], path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_heading(f"关于{agency}政府信息公开工作年度报告问题的整改通知", level=1)
    doc.add_paragraph(f"{agency}：")
    doc.add_paragraph(f"经审核，你单位报送的政府信息公开工作年度报告存在以下 {len(items)} 个问题，请对照整改，修改后重新报送。")
    for number, item in enumerate(items, 1):
        doc.add_heading(f"{number}. {item['year']}年度报告：{item['message']}", level=2)
        doc.add_paragraph(f"级别：{SEVERITY_LABEL.get(item['severity'], item['severity'])}（规则 {item['rule']}）")
        doc.add_paragraph(f"位置：{item['location']}")
        doc.add_paragraph(f"依据：{item['citation']}")
        doc.add_paragraph(f"整改建议：{item['suggestion']}")
        if item["reason"]:
            doc.add_paragraph(f"审核意见：{item['reason']}")
    doc.add_paragraph(f"{date.today():%Y年%m月%d日}")
    buffer = io.BytesIO()
    doc.save(buffer)
    _write(path, buffer.getvalue())


def _notices(folder: Path, confirmed: list[dict]) -> int:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"无法创建输出目录 {display_name(folder)}：{exc.strerror or '创建失败'}") from None
    agencies: dict[str, list[dict]] = {}
    for item in confirmed:
        agencies.setdefault(item["agency_key"] or item["agency"], []).append(item)
    for items in agencies.values():
        agency = items[-1]["agency"] or "未识别机关"
        name = _file_name(agency)
        _write(folder / f"{name}.md", notice_markdown(agency, items).encode("utf-8"))
        _notice_docx(agency, items, folder / f"{name}.docx")
    return len(agencies)
