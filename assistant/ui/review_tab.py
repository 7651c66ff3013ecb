"""The 审核台 tab: the reviewer workspace of a store the server was started with (ASSISTANT_REVIEW_DB).

Shown only when the operator names a store: unlike the other tabs it keeps what it shows (the store is
the office's shared record), so it is never on by default. Import (uploads or URLs), the report list
with filters and pages, a summary of the year (most common defects, agencies with most errors), one
report's findings with confirm/dismiss, and the exports of `review export`.
"""
from __future__ import annotations

import html
import os
import shutil
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import gradio as gr

from ..errors import InputError
from ..render.report import SEVERITY_LABEL
from ..review.queries import DECISIONS, overview, record, report_rows, report_view
from ..review.store import Store
from ..rules import all_rules, get_rule
from ..rules.base import describe_location
from . import files
from .present import AGENCY_KINDS

ENV = "ASSISTANT_REVIEW_DB"
PAGE_SIZE = 50
LIST_HEADERS = ["编号", "机关", "年度", "层级", "错误", "警告", "提示", "配对", "状态"]
FINDING_HEADERS = ["指纹", "级别", "规则", "问题", "位置", "审核", "变化"]
STATUS = {"全部": None, "待审": "open", "已审": "done"}
STATUS_LABEL = {"open": "待审", "done": "已审"}
CHANGE_LABEL = {"new": "新增", "remain": "仍存在"}
LEVELS = {"全部": None, "省级": "province", "市级": "city", "县级": "county", "乡镇": "township"}
LEVEL_LABEL = {code: label for label, code in LEVELS.items() if code}
KINDS = {"全部": None, **{label: code for code, label in AGENCY_KINDS.items()}}
EXPORTS = {"csv": "审核汇总.csv", "xlsx": "审核汇总.xlsx", "notices": "整改通知"}


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


def _rule(text) -> str | None:
    text = str(text or "").strip().upper()
    if not text or text == "全部":
        return None
    return text.split()[0]


def rule_choices() -> list[str]:
    return ["全部"] + [f"{rule.id} {rule.title}" for rule in all_rules()]


def list_table(year, level: str, kind: str, status: str, rule, page) -> tuple[list[list], str, int]:
    """One page of the report list under the filters; the note says how many and which page."""
    try:
        rows = report_rows(_store(review_db()), _year(year), STATUS.get(status), level=LEVELS.get(level),
                           kind=KINDS.get(kind), rule=_rule(rule))
    except InputError as exc:
        return [], exc.message, 1
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(max(1, int(page or 1)), pages)
    shown = rows[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    table = [[r["id"], r["agency"] or f"（未识别：{r['file']}）", r["year"], LEVEL_LABEL.get(r["level"], r["level"] or ""),
              r["errors"], r["warnings"], r["infos"], r["paired_with"], STATUS_LABEL[r["status"]]] for r in shown]
    if not rows:
        return [], "没有符合条件的报告（在上方导入，或用 review import 导入）", 1
    return table, f"共 {len(rows)} 份报告，第 {page}/{pages} 页（每页 {PAGE_SIZE} 份）", page


def _bars(items: list[tuple[str, int]], unit: str) -> str:
    """A horizontal bar chart in plain HTML (every label escaped: agency names come from reports)."""
    if not items:
        return "<p>暂无数据</p>"
    top = max(n for _, n in items) or 1
    return "".join(
        f'<div class="nb-bar-row"><span class="nb-bar-label nb-bar-wide">{html.escape(label)}</span>'
        f'<span class="nb-bar-track"><span class="nb-bar" style="width:{max(2, round(100 * n / top))}%"></span></span>'
        f'<span class="nb-bar-value nb-bar-wide-value">{n} {unit}</span></div>' for label, n in items)


def summary_html(year) -> str:
    """The year at a glance: counts, the most common defects (reports per rule), the agencies with
    most errors, and the levels."""
    try:
        data = overview(_store(review_db()), _year(year))
    except InputError as exc:
        return f"<p>{html.escape(exc.message)}</p>"
    head = (f"<p>共 <b>{data['reports']}</b> 份报告：已检查 {data['checked']}，无法读取 {data['unreadable']}，"
            f"待检查 {data['pending']}。</p>")
    rules = []
    for item in data["by_rule"][:12]:
        rule = get_rule(item["rule"])
        rules.append((f"{item['rule']} {rule.title if rule else ''}".strip(), item["reports"]))
    agencies = [(f"{a['agency'] or '（未识别）'} {a['year'] or ''}（编号 {a['id']}）".strip(), a["errors"])
                for a in data["top_agencies"] if a["errors"]]
    levels = "、".join(f"{LEVEL_LABEL.get(x['level'], '未识别')} {x['reports']} 份（错误 {x['errors']}）"
                      for x in data["by_level"])
    return (head + f"<p>按层级：{html.escape(levels)}</p>"
            + "<h4>最常见的问题（涉及的报告数）</h4>" + _bars(rules, "份")
            + "<h4>错误最多的机关</h4>" + _bars(agencies, "个错误"))


def show_table(report_id) -> tuple[str, list[list]]:
    try:
        data = report_view(_store(review_db()), int(report_id))
    except (TypeError, ValueError):
        return "请输入报告编号。", []
    except InputError as exc:
        return exc.message, []
    review, report = data["review"], data.get("report", {})
    lines = [f"**报告 {review['id']}**：{html.escape(report.get('title') or review['file'])}（第 {review['version']} 版，"
             f"{STATUS_LABEL[review['status']]}）"]
    if review["error"]:
        lines.append(f"无法检查：{html.escape(review['error'])}")
    if review.get("fixed"):
        lines.append("已修正：" + html.escape("；".join(f"{f['rule']} {f['message']}" for f in review["fixed"])))
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
        note = html.escape(exc.message)
    summary, rows = show_table(report_id)
    return note, summary, rows


def import_reports(paths, urls: str, jobs: int = 1) -> str:
    """Import uploaded files and the URLs (one a line) into the store; the `review import` line."""
    from ..document import Source
    from ..review.fetch import fetch, is_url
    from ..review.importer import import_sources

    items = []
    for path in paths or []:
        try:
            name, data = files.take(path)
            items.append((name, Source("bytes", data, name), None))
        except InputError as exc:
            items.append((Path(str(path)).name, None, exc.message))
    lines = [line.strip() for line in (urls or "").splitlines() if line.strip()]
    bad = [line for line in lines if not is_url(line)]
    if bad:
        return f"不是 http(s) 网址：{html.escape(bad[0])}"
    if lines:
        items += fetch(lines)
    if not items:
        return "请上传报告文件，或在网址框中每行写一个网址。"
    try:
        outcome = import_sources(_store(review_db()), items, jobs=jobs, progress=True)
    except InputError as exc:
        return html.escape(exc.message)
    return (f"导入完成：新增 {outcome.imported} 份，重复 {outcome.duplicates} 份，无法读取 {outcome.unreadable} 份"
            f"（{outcome.line()}）")


def export_file(kind: str, folder: Path) -> str:
    """Write one export into a private download folder; the path to offer (notices: a zip)."""
    from ..review.export import export

    target = folder / EXPORTS[kind]
    export(_store(review_db()), str(target))
    if kind != "notices":
        return files.seal(target)
    archive = Path(shutil.make_archive(str(target), "zip", target))
    shutil.rmtree(target, ignore_errors=True)
    return files.seal(archive)


def build_tab(hidden: dict, download_dir: Callable[[object, str], Path]) -> None:
    """The tab's components and events, inside the app's gr.Tabs. `download_dir(request, kind)`: a
    fresh private folder for this browser session's downloads."""
    with gr.Tab("审核台", id="review", elem_id="tab-review"):
        gr.Markdown(f"审核库：`{html.escape(review_db() or '')}`。导入各机关的报告，按条件筛选、查看汇总，"
                    "逐条确认或驳回问题，导出汇总表和整改通知。")
        with gr.Accordion("导入报告", open=False, elem_id="review-import-box"):
            with gr.Row():
                uploads = gr.File(label="上传报告（可多选：txt、md、html、docx、pdf）", file_count="multiple",
                                  type="filepath", elem_id="review-uploads", height=120, scale=2)
                urls = gr.Textbox(label="或网址（每行一个：报告页面、附件或年报栏目页）", lines=4,
                                  elem_id="review-urls", scale=2)
            import_button = gr.Button("导入并检查", variant="primary", elem_id="review-import")
            import_note = gr.Markdown("", elem_id="review-import-note")
        with gr.Row():
            year = gr.Textbox(label="年度", placeholder="全部", elem_id="review-year", scale=1)
            level = gr.Dropdown(list(LEVELS), value="全部", label="层级", elem_id="review-level", scale=1)
            kind = gr.Dropdown(list(KINDS), value="全部", label="类型", elem_id="review-kind", scale=1)
            status = gr.Radio(list(STATUS), value="全部", label="状态", elem_id="review-status", scale=2)
            rule = gr.Dropdown(rule_choices(), value="全部", label="含有规则", elem_id="review-rule", scale=2)
        with gr.Row():
            page = gr.Number(value=1, precision=0, minimum=1, label="页码", elem_id="review-page", scale=1)
            previous = gr.Button("上一页", elem_id="review-prev", scale=1)
            following = gr.Button("下一页", elem_id="review-next", scale=1)
            refresh = gr.Button("刷新", variant="primary", elem_id="review-refresh", scale=1)
        list_note = gr.Markdown("", elem_id="review-list-note")
        reports = gr.Dataframe(headers=LIST_HEADERS, value=[], interactive=False, elem_id="review-table")
        with gr.Accordion("汇总", open=True, elem_id="review-overview-box"):
            overview_box = gr.HTML("", elem_id="review-overview")
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
        with gr.Row():
            export_buttons = {kind_: gr.Button(label, elem_id=f"review-export-{kind_}") for kind_, label in
                              (("csv", "导出 CSV"), ("xlsx", "导出 XLSX"), ("notices", "生成整改通知"))}
        export_note = gr.Markdown("", elem_id="review-export-note")
        export_download = gr.DownloadButton("下载导出文件", interactive=False, elem_id="review-download")

        filters = [year, level, kind, status, rule]

        def refresh_all(*values):
            table, note, shown = list_table(*values)
            return table, note, shown, summary_html(values[0])

        def turn(step: int):
            def handler(*values):
                *rest, current = values
                return refresh_all(*rest, int(current or 1) + step)
            return handler

        listing = dict(outputs=[reports, list_note, page, overview_box], **hidden)
        refresh.click(refresh_all, filters + [page], **listing)
        previous.click(turn(-1), filters + [page], **listing)
        following.click(turn(1), filters + [page], **listing)
        for box in (level, kind, status, rule):
            box.change(lambda *v: refresh_all(*v, 1), filters, **listing)
        year.submit(lambda *v: refresh_all(*v, 1), filters, **listing)

        tracked = gr.Progress(track_tqdm=True)  # the import's progress bars, shown on the tab

        def run_import(paths, text, *values, progress=tracked):
            note = import_reports(paths, text)
            return (note, None, *refresh_all(*values, 1))

        import_button.click(run_import, [uploads, urls, *filters],
                            [import_note, uploads, reports, list_note, page, overview_box], **hidden)
        show.click(show_table, report_id, [summary, findings], **hidden)
        report_id.submit(show_table, report_id, [summary, findings], **hidden)
        save.click(triage, [report_id, fingerprint, decision, reason, reviewer], [triage_note, summary, findings],
                   **hidden)

        def exporter(kind_: str):
            def handler(request: gr.Request):
                try:
                    path = export_file(kind_, download_dir(request, f"review-{kind_}"))
                except InputError as exc:
                    return html.escape(exc.message), gr.DownloadButton(value=None, interactive=False)
                return f"已生成：{Path(path).name}", gr.DownloadButton(value=path, interactive=True)
            return handler

        for kind_, button in export_buttons.items():
            button.click(exporter(kind_), None, [export_note, export_download], **hidden)


__all__ = ["ENV", "build_tab", "import_reports", "list_table", "review_db", "show_table", "summary_html", "triage"]
