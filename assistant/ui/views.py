"""The Gradio Blocks: 对话 (chat), 检查报告 (one report in detail), 批量汇总 (a CSV row per file), and
审核台 (the reviewer workspace) when the server is started with a review store."""
from __future__ import annotations

import json
import logging

import gradio as gr

from ..errors import InputError
from ..limits import budget
from ..nlp.paths import CORPUS
from ..render.report import SEVERITY_LABEL
from ..rules.base import FAMILIES
from . import chat, files, present, review_tab, security, service

log = logging.getLogger(__name__)

REPORTS = CORPUS / "reports"
EXAMPLES = [  # (file in corpus/reports, button label)
    ("zhoukou-2021.txt", "周口 2021（样本报告）"),
    ("binjiang-wjw-2023.md", "滨江卫健委 2023（表三不平）"),
    ("qingshi-xian-2022.txt", "青石县 2022（规范示例）"),
]
EXAMPLE_QUESTIONS = ["依申请公开的答复期限是多久？", "年度报告应当在什么时候公布？", "表三的勾稽关系是什么？"]
SEVERITIES = [SEVERITY_LABEL[s] for s in ("error", "warning", "info")]
FAMILY_NAMES = list(FAMILIES.values())
BATCH_HEADERS = ["文件", "机关", "年度", "机关类型", "错误", "警告", "提示", "规则", "无法读取的原因"]
STATE_TTL = 3 * 3600  # a session's state is dropped after 3 idle hours at the latest

INTRO = ("### 年报合规助手\n政府信息公开工作年度报告的问答与草稿检查 · 全部在本机离线运行，"
         "关闭页面后不保留任何内容")
CHAT_PLACEHOLDER = ("**可以问我**：《条例》和年度报告格式的问题，例如“依申请公开的答复期限是多久？”\n\n"
                    "**也可以**：把年度报告草稿整篇粘贴进来，或点输入框左边的回形针上传文件（txt、md、html、docx、pdf），"
                    "我会给出检查结论；之后可以追问，例如“表三哪里不平？”“第五部分怎么改？”")

CSS = """
.nb-draft {font-size: 15px; line-height: 1.7}
.nb-title {margin: 0 0 8px}
.nb-part {margin: 10px 0; padding: 2px 0 2px 10px; border-left: 4px solid transparent; border-radius: 4px}
.nb-part h4 {margin: 6px 0 4px; font-size: 16px}
.nb-para, .nb-table, .nb-block {padding: 6px 10px; margin: 4px 0; border-left: 4px solid transparent; border-radius: 4px}
.nb-para p {margin: 0}
.nb-table {color: #555; font-size: 14px}
.nb-flag-error {background: #fdecea; border-left-color: #d93025}
.nb-flag-warning {background: #fff4e0; border-left-color: #e8a317}
.nb-flag-info {background: #e8f0fe; border-left-color: #1a73e8}
.nb-note {font-size: 13px; margin-top: 4px; padding: 4px 8px; border-radius: 4px; background: rgba(255,255,255,.7)}
.nb-note.nb-error b {color: #b3261e} .nb-note.nb-warning b {color: #9a6700} .nb-note.nb-info b {color: #1a56c4}
.nb-fix {color: #444}
.nb-chips {margin-bottom: 2px}
.nb-topic {display: inline-block; font-size: 12px; padding: 0 8px; margin: 0 4px 2px 0; border-radius: 10px;
           background: #e6f4ea; color: #137333}
.nb-topic.nb-stock {background: #fce8e6; color: #a50e0e}
.nb-missing {color: #b3261e; font-weight: normal; font-size: 13px}
.nb-box {border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px 12px}
.nb-box-title {font-weight: 600; margin-bottom: 6px}
.nb-bar-row {display: flex; align-items: center; gap: 8px; margin: 5px 0; font-size: 14px}
.nb-bar-label {width: 112px; flex: none}
.nb-bar-track {flex: 1; height: 14px; background: #f1f3f4; border-radius: 7px; overflow: hidden}
.nb-bar {display: block; height: 100%; background: #c5221f}
.nb-bar.nb-bar-ok {background: #1e8e3e}
.nb-bar-value {width: 56px; flex: none; text-align: right}
.nb-bar-label.nb-bar-wide {width: 320px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap}
.nb-bar-value.nb-bar-wide-value {width: 90px}
.nb-identities {width: 100%; border-collapse: collapse; font-size: 14px}
.nb-identities th, .nb-identities td {border-bottom: 1px solid var(--border-color-primary); padding: 4px 6px;
                                       text-align: left; vertical-align: top}
.nb-num, .nb-identities td:first-child {white-space: nowrap}
.nb-sub {font-size: 12px; color: #b3261e}
.nb-ok {color: #137333; white-space: nowrap} .nb-bad {color: #b3261e; white-space: nowrap}
.nb-muted {color: #777}
#nb-upload-warning {position: fixed; top: 16px; left: 50%; transform: translateX(-50%); z-index: 1000;
                    background: #fdecea; color: #b3261e; border: 1px solid #d93025; border-radius: 8px;
                    padding: 10px 18px; font-size: 15px; box-shadow: 0 2px 8px rgba(0,0,0,.15); display: none}
"""

# Uploads over the limit are refused in the browser, before they are sent, with the loaders' wording.
HEAD = """<script>
(() => {
  const LIMIT = %(limit)d;
  const say = (f) => `文件“${f.name}”过大（${(f.size / 1048576).toFixed(1)} MB），年度报告一般不超过 %(mb)d MB，请压缩图片或拆分后再上传`;
  function show(text) {
    let box = document.getElementById('nb-upload-warning');
    if (!box) {
      box = document.createElement('div');
      box.id = 'nb-upload-warning';
      box.setAttribute('role', 'alert');
      document.body.appendChild(box);
    }
    box.textContent = text;
    box.style.display = 'block';
    clearTimeout(box._timer);
    box._timer = setTimeout(() => { box.style.display = 'none'; }, 10000);
  }
  const tooBig = (list) => Array.from(list || []).find((f) => f.size > LIMIT);
  window.addEventListener('change', (e) => {
    const input = e.target;
    if (input && input.tagName === 'INPUT' && input.type === 'file') {
      const big = tooBig(input.files);
      if (big) { e.stopImmediatePropagation(); e.preventDefault(); input.value = ''; show(say(big)); }
    }
  }, true);
  window.addEventListener('drop', (e) => {
    const big = tooBig(e.dataTransfer && e.dataTransfer.files);
    if (big) { e.stopImmediatePropagation(); e.preventDefault(); show(say(big)); }
  }, true);
})();
</script>""" % {"limit": budget().max_bytes, "mb": budget().max_bytes // 1048576}  # noqa: UP031 (JS braces)

FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei",
         "sans-serif"]
MONO = ["Noto Sans Mono CJK SC", "DejaVu Sans Mono", "monospace"]


def theme() -> gr.themes.Base:
    # Local fonts only: the default theme would fetch a web font, and the app is offline.
    return gr.themes.Default(primary_hue="red", neutral_hue="slate", font=FONTS, font_mono=MONO)


def launch_options() -> dict:
    from starlette.middleware import Middleware

    return dict(theme=theme(), css=CSS, head=HEAD, footer_links=["api"], run_history=False,
                max_file_size=2 * budget().max_bytes,  # a hard cap; the limit itself says why in Chinese
                app_kwargs={"middleware": [Middleware(security.SecurityMiddleware)]})


# ---------------------------------------------------------------- handlers


def _session(request: gr.Request | None) -> str:
    return getattr(request, "session_hash", None) or "anonymous"


def _owner(request: gr.Request | None) -> str | None:
    """Whose downloads: the browser's private cookie (security.py), hashed."""
    cookies = getattr(request, "cookies", None) or {}
    return files.owner_of(security.client_cookie(dict(cookies)))


def chat_turn(message, history, session, request: gr.Request):
    message = message or {}
    history, session = chat.respond(message.get("text", ""), message.get("files") or [], history, session)
    return history, session, gr.MultimodalTextbox(value=None)


def _say(text: str):
    """A button that sends `text` to the chat as if the user had typed it."""
    def handler(history, session):
        return chat.respond(text, None, history, session)

    return handler


def _empty_check(message: str):
    return (None, message, present.identities_html({}), "", [], "",
            gr.DownloadButton(value=None, interactive=False), gr.DownloadButton(value=None, interactive=False))


def run_check(text, upload, previous, scheme, severities, families, request: gr.Request, progress=None):
    """Check the pasted text (or else the uploaded file) and fill the checking view; a scan shows its
    OCR progress page by page (`progress`: Gradio's Progress of the event that called)."""
    if not (text or "").strip() and upload is None:
        return _empty_check("请粘贴报告全文，或上传报告文件（txt、md、html、docx、pdf），或点一个示例。")
    try:
        checked = service.check(text if (text or "").strip() else None,
                                None if (text or "").strip() else upload, previous, scheme, progress)
    except InputError as exc:
        return _empty_check(f"**无法检查**：{exc.message}")
    except Exception:
        log.exception("check failed")
        return _empty_check("**检查时出错**：请确认文件是完整的年度报告，或稍后再试。")
    data = checked.data
    md_path, json_path = files.write(_owner(request), _session(request), "check", {
        f"{checked.name}-检查报告.md": checked.markdown,
        f"{checked.name}-检查结果.json": json.dumps(data, ensure_ascii=False, indent=2) + "\n"})
    state = {"data": data, "summary": checked.summary, "name": checked.name, "scheme": scheme}
    return (state, present.summary_markdown(data, checked.summary), present.identities_html(data),
            present.coverage_html(data, scheme), present.finding_rows(data["findings"], severities, families),
            present.draft_html(data), gr.DownloadButton(value=md_path, interactive=True),
            gr.DownloadButton(value=json_path, interactive=True))


def filter_findings(state, severities, families):
    return present.finding_rows(state["data"]["findings"], severities, families) if state else []


def _upload_or_message(path):
    try:
        return service.take_upload(path), None
    except InputError as exc:
        return None, exc.message


def check_clicked(text, upload, previous, scheme, severities, families, request: gr.Request,
                  progress=gr.Progress()):  # noqa: B008  (Gradio injects the event's progress here)
    return run_check(text, upload, previous, scheme, severities, families, request, progress)


def upload_report(path, previous, scheme, severities, families, request: gr.Request,
                  progress=gr.Progress()):  # noqa: B008  (Gradio injects the event's progress here)
    """A new upload is checked at once; one that cannot be read is cleared, ready for the next."""
    upload, error = _upload_or_message(path)
    if error:
        return ("", None, None, *_empty_check(f"**无法读取文件**：{error}"))
    outputs = run_check("", upload, previous, scheme, severities, families, request, progress)
    return ("", upload, gr.skip() if outputs[0] else None, *outputs)


def upload_previous(path, text, upload, scheme, severities, families, request: gr.Request,
                    progress=gr.Progress()):  # noqa: B008  (Gradio injects the event's progress here)
    previous, error = _upload_or_message(path)
    unchanged = [gr.skip()] * 8
    if error:
        return (None, f"上年报告无法读取：{error}", *unchanged)
    note = f"已载入上年报告：{previous.name}"
    if not (text or "").strip() and upload is None:
        return (previous, note + "。请粘贴或上传本年报告。", *unchanged)
    return (previous, note, *run_check(text, upload, previous, scheme, severities, families, request, progress))


def load_example(index: int):
    name = EXAMPLES[index][0]

    def handler(scheme, severities, families, request: gr.Request):
        text = (REPORTS / name).read_text(encoding="utf-8")
        return (text, None, None, None, "", None,
                *run_check(text, None, None, scheme, severities, families, request))

    return handler


def run_batch(paths, scheme, request: gr.Request):
    if not paths:
        return [], gr.DownloadButton(value=None, interactive=False), "请先上传若干份报告。"
    rows = service.batch_rows(paths, scheme)
    from ..batch import format_rows

    [csv_path] = files.write(_owner(request), _session(request), "batch", {"批量检查汇总.csv": format_rows(rows, "csv")})
    table = [[r["file"], r["agency"], r["year"], present.AGENCY_KINDS.get(r["agency_kind"], r["agency_kind"]), r["errors"],
              r["warnings"], r["infos"], r["rules"], r["error"]] for r in rows]
    failed = sum(1 for r in rows if r["error"])
    note = f"已检查 {len(rows)} 份报告" + (f"，其中 {failed} 份无法读取" if failed else "")
    return table, gr.DownloadButton(value=csv_path, interactive=True), note


def api_ask(question: str) -> dict:
    """Answer a question about the 条例 or the report format (the `ask --format json` object)."""
    try:
        return service.ask(question)
    except InputError as exc:
        raise gr.Error(exc.message) from None
    except Exception:
        log.exception("/ask failed")
        raise gr.Error("回答时出错，请换一种问法或稍后再试") from None


def api_check(text: str, scheme: str = "format2021") -> dict:
    """Check a report given as text (the `check --format json` object)."""
    try:
        return service.api_check(text, scheme)
    except InputError as exc:
        raise gr.Error(exc.message) from None
    except Exception:
        log.exception("/check failed")
        raise gr.Error("检查时出错，请确认这是完整的年度报告，或稍后再试") from None


# ---------------------------------------------------------------- layout


def build() -> gr.Blocks:
    hidden = dict(api_visibility="private")
    with gr.Blocks(title="年报合规助手", analytics_enabled=False, delete_cache=(900, 3600)) as demo:
        gr.Markdown(INTRO, elem_id="intro")
        status = gr.Markdown("", elem_id="status")
        with gr.Tabs(elem_id="views"):
            with gr.Tab("对话", id="chat", elem_id="tab-chat"):
                chat_state = gr.State(None, time_to_live=STATE_TTL)
                chatbot = gr.Chatbot(label="对话", elem_id="chatbot", height=470, placeholder=CHAT_PLACEHOLDER,
                                     buttons=["copy"], feedback_options=None, layout="bubble")
                chat_box = gr.MultimodalTextbox(
                    elem_id="chat-input", show_label=False, file_types=service.UPLOAD_TYPES, file_count="single",
                    lines=1, max_lines=8, submit_btn="发送", max_plain_text_length=400_000,
                    placeholder="输入问题（回车发送），或粘贴年度报告草稿全文；点左边的回形针上传文件")
                with gr.Row():
                    ask_buttons = [gr.Button(q, size="sm", variant="secondary") for q in EXAMPLE_QUESTIONS]
                    sample_button = gr.Button("用样本报告试试", size="sm", variant="secondary")

            with gr.Tab("检查报告", id="check", elem_id="tab-check"):
                report_state = gr.State(None, time_to_live=STATE_TTL)
                upload_state = gr.State(None, time_to_live=STATE_TTL)
                previous_state = gr.State(None, time_to_live=STATE_TTL)
                with gr.Row():
                    with gr.Column(scale=2, min_width=360):
                        gr.Markdown("**示例**（点一下即检查）", elem_id="examples-label")
                        with gr.Row():
                            example_buttons = [gr.Button(label, size="sm", elem_id=f"example-{i}", min_width=0)
                                               for i, (_, label) in enumerate(EXAMPLES)]
                        text = gr.Textbox(label="粘贴报告全文（有内容时优先检查这里）", lines=8, max_lines=8,
                                          elem_id="report-text", placeholder="把年度报告全文粘贴到这里……")
                        with gr.Row():
                            report_file = gr.File(label="或上传报告文件", file_types=service.UPLOAD_TYPES,
                                                  elem_id="report-file", height=150)
                            previous_file = gr.File(label="上年报告（可选，用于跨年核对）",
                                                    file_types=service.UPLOAD_TYPES, elem_id="previous-file", height=150)
                        previous_note = gr.Markdown("", elem_id="previous-note")
                        with gr.Row():
                            scheme = gr.Radio([(label, key) for key, label in service.SCHEME_LABELS.items()],
                                              value="format2021", label="总体情况的主题方案", elem_id="scheme",
                                              scale=3)
                            check_button = gr.Button("检查", variant="primary", elem_id="check-button", scale=1)
                    with gr.Column(scale=3, min_width=480):
                        summary = gr.Markdown("请粘贴报告全文，或上传报告文件，或点一个示例。", elem_id="check-summary")
                        with gr.Row():
                            download_md = gr.DownloadButton("下载 Markdown 报告", interactive=False, size="sm",
                                                            elem_id="download-md")
                            download_json = gr.DownloadButton("下载 JSON 结果", interactive=False, size="sm",
                                                              elem_id="download-json")
                        identities = gr.HTML(present.identities_html({}), elem_id="identities")
                        coverage = gr.HTML("", elem_id="coverage")
                with gr.Tabs():
                    with gr.Tab("问题清单", elem_id="tab-findings"):
                        with gr.Row():
                            severity_filter = gr.CheckboxGroup(SEVERITIES, value=SEVERITIES, label="级别",
                                                               elem_id="severity-filter")
                            family_filter = gr.CheckboxGroup(FAMILY_NAMES, value=FAMILY_NAMES, label="类别",
                                                             elem_id="family-filter")
                        findings = gr.Dataframe(headers=present.FINDING_HEADERS, value=[], interactive=False,
                                                wrap=True, elem_id="findings", max_height=520,
                                                column_widths=["6%", "6%", "7%", "14%", "30%", "25%", "12%"])
                    with gr.Tab("正文标注", elem_id="tab-draft"):
                        draft = gr.HTML("", elem_id="draft")

            with gr.Tab("批量汇总", id="batch", elem_id="tab-batch"):
                gr.Markdown("一次上传多份报告，每份一行汇总（机关、年度、各级别问题数、规则编号），可下载 CSV。")
                batch_files = gr.File(label="上传多份报告", file_count="multiple", file_types=service.UPLOAD_TYPES,
                                      elem_id="batch-files", height=140)
                batch_button = gr.Button("汇总", variant="primary", elem_id="batch-button")
                batch_note = gr.Markdown("", elem_id="batch-note")
                batch_table = gr.Dataframe(headers=BATCH_HEADERS, value=[], interactive=False, wrap=True,
                                           elem_id="batch-table",
                                           column_widths=["17%", "15%", "6%", "8%", "5%", "5%", "5%", "14%", "25%"])
                batch_download = gr.DownloadButton("下载 CSV 汇总", interactive=False, elem_id="download-csv")

            if review_tab.review_db():  # only when the operator names a store: it keeps what it shows
                review_tab.build_tab(hidden, lambda request, kind: files.new_dir(_owner(request), _session(request), kind))

        # chat
        chat_io = dict(inputs=[chat_box, chatbot, chat_state], outputs=[chatbot, chat_state, chat_box], **hidden)
        chat_box.submit(chat_turn, **chat_io)
        for button, question in zip(ask_buttons, EXAMPLE_QUESTIONS):
            button.click(_say(question), [chatbot, chat_state], [chatbot, chat_state], **hidden)
        sample_button.click(_say((REPORTS / EXAMPLES[0][0]).read_text(encoding="utf-8")),
                            [chatbot, chat_state], [chatbot, chat_state], **hidden)
        chatbot.clear(lambda: None, None, chat_state, **hidden)

        # checking view
        filters = [severity_filter, family_filter]
        check_outputs = [report_state, summary, identities, coverage, findings, draft, download_md, download_json]
        check_button.click(check_clicked, [text, upload_state, previous_state, scheme, *filters], check_outputs,
                           **hidden)
        text.submit(run_check, [text, upload_state, previous_state, scheme, *filters], check_outputs, **hidden)
        scheme.change(run_check, [text, upload_state, previous_state, scheme, *filters], check_outputs, **hidden)
        report_file.upload(upload_report, [report_file, previous_state, scheme, *filters],
                           [text, upload_state, report_file, *check_outputs], **hidden)
        report_file.clear(lambda: None, None, upload_state, **hidden)
        previous_file.upload(upload_previous, [previous_file, text, upload_state, scheme, *filters],
                             [previous_state, previous_note, *check_outputs], **hidden)
        previous_file.clear(lambda: (None, ""), None, [previous_state, previous_note], **hidden)
        for filter_box in filters:
            filter_box.change(filter_findings, [report_state, *filters], findings, **hidden)
        for i, button in enumerate(example_buttons):
            button.click(load_example(i), [scheme, *filters],
                         [text, upload_state, report_file, previous_state, previous_note, previous_file,
                          *check_outputs], **hidden)

        # several files
        batch_button.click(run_batch, [batch_files, scheme], [batch_table, batch_download, batch_note], **hidden)
        batch_files.upload(lambda: "", None, batch_note, **hidden)

        # the public API (shared/CONTRACT.md): same JSON as the command line
        gr.api(api_ask, api_name="ask")
        gr.api(api_check, api_name="check")

        demo.load(service.status_line, None, status, **hidden)
        demo.unload(_forget_session(demo))
    return demo


def _forget_session(demo: gr.Blocks):
    def forget(request: gr.Request):
        """When the browser session ends: delete its download files and its state."""
        session = _session(request)
        files.forget(_owner(request), session)
        holder = getattr(demo, "state_holder", None)
        if holder is not None and session in holder:
            holder.delete_state(session)

    return forget
