"""The 审核台 tab: the reviewer workspace of a store the server was started with (ASSISTANT_REVIEW_DB).

Shown only when the operator names a store: unlike the other tabs it keeps what it shows (the store is
the office's shared record), so it is never on by default.
"""
from __future__ import annotations

import os
from functools import lru_cache

from ..errors import InputError
from ..render.report import SEVERITY_LABEL
from ..review.queries import DECISIONS, record, report_rows, report_view
from ..review.store import Store
from ..rules.base import describe_location

ENV = "ASSISTANT_REVIEW_DB"
LIST_HEADERS = ["编号", "机关", "年度", "层级", "错误", "警告", "提示", "配对", "状态"]
FINDING_HEADERS = ["指纹", "级别", "规则", "问题", "位置", "审核", "变化"]
STATUS = {"全部": None, "待审": "open", "已审": "done"}
STATUS_LABEL = {"open": "待审", "done": "已审"}
CHANGE_LABEL = {"new": "新增", "remain": "仍存在"}


def review_db() -> str | None:
    return os.environ.get(ENV) or None


@lru_cache(maxsize=4)
def _store(db: str) -> Store:
    return Store(db)


def _year(text) -> int | None:
    text = str(text or "").strip()
    if not text:
        return None
    if not text.isdigit() or not 1990 <= int(text) <= 2100:
        raise InputError(f"“{text}”不是有效的年度")
    return int(text)


def list_table(year, status: str) -> tuple[list[list], str]:
    try:
        rows = report_rows(_store(review_db()), _year(year), STATUS.get(status))
    except InputError as exc:
        return [], exc.message
    table = [[r["id"], r["agency"] or f"（未识别：{r['file']}）", r["year"], r["level"], r["errors"], r["warnings"],
              r["infos"], r["paired_with"], STATUS_LABEL[r["status"]]] for r in rows]
    return table, f"共 {len(table)} 份报告" if table else "没有符合条件的报告（用 review import 导入）"


def show_table(report_id) -> tuple[str, list[list]]:
    try:
        data = report_view(_store(review_db()), int(report_id))
    except (TypeError, ValueError):
        return "请输入报告编号。", []
    except InputError as exc:
        return exc.message, []
    review, report = data["review"], data.get("report", {})
    lines = [f"**报告 {review['id']}**：{report.get('title') or review['file']}（第 {review['version']} 版，"
             f"{STATUS_LABEL[review['status']]}）"]
    if review["error"]:
        lines.append(f"无法检查：{review['error']}")
    if review.get("fixed"):
        lines.append("已修正：" + "；".join(f"{f['rule']} {f['message']}" for f in review["fixed"]))
    rows = [[f["fingerprint"], SEVERITY_LABEL[f["severity"]], f["rule"], f["message"],
             describe_location(f["location"]), DECISIONS[f["triage"]["decision"]] if f["triage"] else "未审",
             CHANGE_LABEL.get(f.get("change"), "")] for f in data["findings"]]
    return "\n\n".join(lines), rows


def triage(report_id, fingerprint: str, decision: str, reason: str, by: str) -> tuple[str, str, list[list]]:
    """Record a decision for a finding of the report shown; the note, and the report shown again."""
    key = {label: code for code, label in DECISIONS.items()}.get(decision, decision)
    try:
        rid = int(report_id) if str(report_id or "").strip() else None
        _, finding = record(_store(review_db()), fingerprint or "", key, reason or "", by or "", rid)
        note = f"已记录：{DECISIONS[key]} {finding.fingerprint}（{finding.rule}）"
    except (TypeError, ValueError):
        note = "报告编号应为数字。"
    except InputError as exc:
        note = exc.message
    summary, rows = show_table(report_id)
    return note, summary, rows


def build_tab(gr, hidden: dict) -> None:
    """The tab's components and events, inside the app's gr.Tabs."""
    with gr.Tab("审核台", id="review", elem_id="tab-review"):
        gr.Markdown(f"审核库：`{review_db()}`。导入用命令行 `python -m assistant review import`；"
                    "在这里查看各机关的报告、确认或驳回每个问题。")
        with gr.Row():
            year = gr.Textbox(label="年度", placeholder="全部", elem_id="review-year", scale=1)
            status = gr.Radio(list(STATUS), value="全部", label="状态", elem_id="review-status", scale=2)
            refresh = gr.Button("刷新", variant="primary", elem_id="review-refresh", scale=1)
        list_note = gr.Markdown("", elem_id="review-list-note")
        reports = gr.Dataframe(headers=LIST_HEADERS, value=[], interactive=False, elem_id="review-table")
        with gr.Row():
            report_id = gr.Textbox(label="报告编号", elem_id="review-id", scale=1)
            show = gr.Button("查看", elem_id="review-show", scale=1)
        summary = gr.Markdown("", elem_id="review-summary")
        findings = gr.Dataframe(headers=FINDING_HEADERS, value=[], interactive=False, wrap=True,
                                elem_id="review-findings")
        with gr.Row():
            fingerprint = gr.Textbox(label="指纹", elem_id="review-fingerprint", scale=2)
            decision = gr.Radio(list(DECISIONS.values()), value="确认", label="审核意见", elem_id="review-decision",
                                scale=1)
            reason = gr.Textbox(label="理由", elem_id="review-reason", scale=2)
            reviewer = gr.Textbox(label="审核人", elem_id="review-by", scale=1)
            save = gr.Button("记录", variant="primary", elem_id="review-save", scale=1)
        triage_note = gr.Markdown("", elem_id="review-note")

        refresh.click(list_table, [year, status], [reports, list_note], **hidden)
        show.click(show_table, report_id, [summary, findings], **hidden)
        report_id.submit(show_table, report_id, [summary, findings], **hidden)
        save.click(triage, [report_id, fingerprint, decision, reason, reviewer], [triage_note, summary, findings],
                   **hidden)


__all__ = ["ENV", "build_tab", "list_table", "review_db", "show_table", "triage"]
