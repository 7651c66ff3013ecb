"""The roster of agencies and the deadlines of 条例第四十九条: a department publishes last year's report
by 31 January, a people's government by 31 March."""
from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from sqlalchemy import delete, select

from ..document.loaders import display_name
from ..document.meta import agency_kind
from ..errors import InputError
from .models import Report, RosterEntry
from .store import Store, agency_key

_AGENCY = ("机关", "机关名称", "单位", "agency", "name")
_KIND = ("类型", "机关类型", "kind")
_KINDS = {"部门": "department", "department": "department", "政府": "government", "人民政府": "government",
          "government": "government"}
STATUS_LABEL = {"on_time": "按时", "late": "逾期", "missing": "未报送", "not_due": "未到期", "unknown": "日期不明"}


def deadline(kind: str, year: int) -> date:
    """When the report on `year` is due (第四十九条)."""
    return date(year + 1, 3, 31) if kind == "government" else date(year + 1, 1, 31)


def load_roster(store: Store, path: str) -> int:
    """Replace the roster with a CSV's rows (columns 机关 and optionally 类型 = 部门|政府)."""
    source = Path(path)
    try:
        text = source.read_bytes().decode("utf-8-sig")
    except OSError:
        raise InputError(f"无法读取名单文件：{display_name(source)}") from None
    except UnicodeDecodeError:
        try:
            text = source.read_bytes().decode("gbk")
        except UnicodeDecodeError:
            raise InputError("名单文件的编码无法识别，请另存为 UTF-8 的 CSV") from None
    reader = csv.DictReader(io.StringIO(text))
    fields = {name.strip(): name for name in reader.fieldnames or []}
    agency_field = next((fields[f] for f in _AGENCY if f in fields), None)
    kind_field = next((fields[f] for f in _KIND if f in fields), None)
    if agency_field is None:
        raise InputError("名单文件缺少“机关”列（CSV 第一行应为列名：机关,类型）")
    entries: dict[str, RosterEntry] = {}
    for number, row in enumerate(reader, 2):
        agency = (row.get(agency_field) or "").strip()
        if not agency:
            continue
        written = (row.get(kind_field) or "").strip() if kind_field else ""
        if written and written not in _KINDS:
            raise InputError(f"名单第 {number} 行的类型“{written}”无效（应为 部门 或 政府）")
        kind = _KINDS.get(written) or ("government" if agency_kind(agency) == "government" else "department")
        entries[agency_key(agency)] = RosterEntry(agency=agency, agency_key=agency_key(agency), kind=kind)
    if not entries:
        raise InputError("名单文件中没有机关")
    with store.session() as session, session.begin():
        session.execute(delete(RosterEntry))
        session.add_all(entries.values())
    return len(entries)


def deadline_rows(store: Store, year: int, today: date | None = None) -> list[dict]:
    """Each roster agency's report on `year`: due date, the report stored (if any), its date and status."""
    today = today or date.today()
    with store.session() as session:
        roster = session.scalars(select(RosterEntry).order_by(RosterEntry.id)).all()
        if not roster:
            raise InputError("尚未导入机关名单（用 review roster FILE.csv 导入）")
        reports = {r.agency_key: r for r in session.scalars(
            select(Report).where((Report.year == year) & (Report.current == 1)))}
        rows = []
        for entry in roster:
            due = deadline(entry.kind, year)
            report = reports.get(entry.agency_key)
            published = _published(report)
            if report is None:
                status = "missing" if today > due else "not_due"
            elif published is None:
                status = "unknown"
            else:
                status = "on_time" if published <= due else "late"
            rows.append({"agency": entry.agency, "kind": entry.kind, "year": year, "deadline": due.isoformat(),
                         "report": report.id if report else None,
                         "published": published.isoformat() if published else None, "status": status})
        return rows


def _published(report: Report | None) -> date | None:
    """The date the report is signed (落款日期), as the checker read it."""
    if report is None or not report.result:
        return None
    value = json.loads(report.result).get("report", {}).get("date")
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
