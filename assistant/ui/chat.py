"""The conversation: a question gets a cited answer, a draft gets a short verdict, and follow-up
questions about that draft ("表三哪里不平？", "第五部分怎么改？") are answered from its findings.

Pure logic (no Gradio): `respond` takes the user's text and files, the history (messages format)
and the session (the last draft's check, kept only in this browser session's state).
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

from ..document.schema import PART_NUMERALS, PART_TITLES, part_label
from ..errors import InputError
from . import present, service

log = logging.getLogger(__name__)

TOP = 4  # findings in a verdict
_NUMERAL = {c: i for i, c in enumerate(PART_NUMERALS, 1)} | {str(i): i for i in range(1, 7)}
PART_RE = re.compile(r"第\s*([一二三四五六1-6])\s*部分|(?<![\w、])([一二三四五六])、")
TABLE_RE = re.compile(r"表\s*([二三四234])")
RULE_RE = re.compile(r"(?<![A-Za-z])([STCNPstcnp]\d{3})(?!\d)")
ALL_RE = re.compile(r"(全部|所有|完整|其余|其他|剩下|剩余)的?(问题|结果|发现)|显示全部|全部显示|都有哪些问题|还有(什么|哪些|别的)问题")
ABOUT_RE = re.compile(r"怎么改|如何改|怎样改|怎么修改|如何修改|怎么写|改一下|哪里|哪儿|什么问题|哪些问题|有问题|问题在|"
                      r"不平|对不上|不对|错在|出错|为什么|这份|草稿|我的报告|本报告|报告里|报告中")
BALANCE_RE = re.compile(r"勾稽|不平|对不上|平衡|不相等|合计|总计")
PART_WORDS = {"总体情况": 1, "存在的主要问题": 5, "改进情况": 5, "其他需要报告": 6, "其他事项": 6,
              "复议": 4, "诉讼": 4, "依申请": 3, "收到和处理": 3, "主动公开政府信息情况": 2}
TABLE_KEYS = {"二": "table2", "三": "table3", "四": "table4", "2": "table2", "3": "table3", "4": "table4"}


# ---------------------------------------------------------------- recognising drafts


def looks_like_draft(text: str) -> bool:
    """A pasted report rather than a question: long and multi-line, or titled like a report."""
    text = text.strip()
    lines = text.count("\n") + 1
    return (len(text) >= 300 and lines >= 5) or ("年度报告" in text and len(text) >= 150 and lines >= 3)


def shorten(text: str, limit: int = 40) -> str:
    first = next((line.strip().lstrip("#").strip() for line in text.splitlines() if line.strip().lstrip("#").strip()), "")
    return first if len(first) <= limit else first[:limit] + "……"


# ---------------------------------------------------------------- replies


def answer_markdown(result: dict) -> str:
    text = str(result.get("answer", "")).strip()
    labels = [present.citation_label(c) for c in result.get("citations") or []]
    labels = [label for label in dict.fromkeys(labels) if label]
    if labels and "依据" not in text:  # the answer usually names its basis itself
        text += "\n\n**依据**：" + "；".join(labels)
    return text


def verdict(checked: service.Checked) -> str:
    data = checked.data
    findings = present.by_importance(data["findings"])
    lines = [f"**{present.title_of(data)}**", "", f"**结论：{checked.summary}**"]
    broken = [i for i in present.identities(data) if i["status"] == "bad"]
    if data["tables"].get("table3") is not None or data["tables"].get("table4") is not None:
        lines.append("表三、表四勾稽关系：" + (f"{sum(len(i['findings']) for i in broken)} 处不成立" if broken
                                           else "已核对的各项均成立"))
    if findings:
        lines += ["", "最重要的问题：", present.top_markdown(findings, TOP)]
        shown = len(present.most_important(findings, TOP))
        more = f"共 {len(findings)} 个问题，回复“显示全部问题”查看全部；" if len(findings) > shown else ""
        lines += ["", f"{more}也可以追问，例如“表三哪里不平？”“第五部分怎么改？”。"
                      "完整的问题表、正文标注和下载见“检查报告”页。"]
    return "\n".join(lines)


def _part_name(number: int) -> str:
    return f"{part_label(number)}（{PART_TITLES[number]}）"


def select(text: str) -> tuple[list[int], list[str], list[str]]:
    """Parts, tables and rule IDs the text refers to."""
    parts = [_NUMERAL[a or b] for a, b in PART_RE.findall(text)]
    tables = [TABLE_KEYS[t] for t in TABLE_RE.findall(text)]
    rules = [r.upper() for r in RULE_RE.findall(text)]
    return list(dict.fromkeys(parts)), list(dict.fromkeys(tables)), list(dict.fromkeys(rules))


def follow_up(text: str, draft: dict) -> str | None:
    """An answer from the draft's findings, or None when the text is not about the draft."""
    data = draft["data"]
    findings = present.by_importance(data["findings"])
    title = present.title_of(data)
    if ALL_RE.search(text):
        if not findings:
            return f"“{title}”未发现问题。"
        return f"“{title}”的全部 {len(findings)} 个问题：\n\n" + present.findings_markdown(findings, citation=True)
    parts, tables, rules = select(text)
    about = bool(ABOUT_RE.search(text))
    if not (parts or tables or rules) and about:
        parts = list(dict.fromkeys(n for word, n in PART_WORDS.items() if word in text))
        if BALANCE_RE.search(text):
            tables = ["table3", "table4"]
    if not (parts or tables or rules):
        if about and len(text) <= 30:  # "怎么改？", "这份报告有什么问题？"
            if not findings:
                return f"“{title}”未发现问题。"
            shown = len(present.most_important(findings, TOP))
            rest = f"\n\n共 {len(findings)} 个问题，回复“显示全部问题”查看全部。" if len(findings) > shown else ""
            return "最需要改的是：\n\n" + present.top_markdown(findings, TOP, citation=True) + rest
        return None
    chosen = [f for f in findings if f["location"].get("part") in parts or f["location"].get("table") in tables
              or f["rule"] in rules]
    names = [_part_name(n) for n in parts] + [present.TABLE_NAMES[t] for t in tables] + rules
    label = "、".join(names)
    if chosen:
        reply = f"“{title}”的{label}有 {len(chosen)} 个问题：\n\n" + present.findings_markdown(chosen, citation=True)
    else:
        reply = f"“{title}”的{label}没有发现问题。"
    asked_tables = [t for t in tables if t in ("table3", "table4")] or (["table3"] if 3 in parts else []) + (
        ["table4"] if 4 in parts else [])
    if asked_tables:
        rows = [i for i in present.identities(data) if i["table"] in asked_tables]
        reply += "\n\n勾稽关系：\n" + "\n".join(
            f"- {present.TABLE_NAMES[i['table']]}：{i['name']}（{i['values']}）— "
            f"{present.STATUS_TEXT[i['status']][0] if i['status'] != 'bad' else '✗ 不成立'}" for i in rows)
    return reply


def _ask(text: str) -> str:
    try:
        return answer_markdown(service.ask(text))
    except InputError as exc:
        return exc.message


def _check_draft(text: str | None, upload: service.Upload | None, session: dict) -> str:
    try:
        checked = service.check(text=text, upload=upload)
    except InputError as exc:
        hint = "" if upload else "\n\n如果是要提问，请直接输入问题（一两句话即可）。"
        return f"无法检查这份{'文件' if upload else '文本'}：{exc.message}{hint}"
    session["draft"] = {"data": checked.data, "summary": checked.summary, "name": checked.name}
    return verdict(checked)


def respond(text: str, files: list[str] | None, history: list[dict] | None,
            session: dict | None) -> tuple[list[dict], dict]:
    """One turn: append the user's message and the assistant's reply to the history."""
    history = list(history or [])
    session = dict(session or {})
    text = (text or "").strip()
    shown, replies = [], []
    try:
        for path in files or []:
            name = Path(path).name
            shown.append(f"［上传文件］{name}")
            try:
                upload = service.take_upload(path)
            except InputError as exc:
                replies.append(f"无法读取文件“{name}”：{exc.message}")
                continue
            replies.append(_check_draft(None, upload, session))
        if text and looks_like_draft(text):
            shown.append(f"（粘贴了报告草稿：{shorten(text)}，共 {len(text)} 字）")
            replies.append(_check_draft(text, None, session))
        elif text:
            shown.append(text)
            draft = session.get("draft")
            reply = follow_up(text, draft) if draft else None
            if reply is not None and not ABOUT_RE.search(text) and not ALL_RE.search(text):
                reply += "\n\n---\n\n" + _ask(text)  # e.g. "第五部分应该写什么？": findings plus the answer
            replies.append(reply if reply is not None else _ask(text))
    except Exception:  # a reply must always come back, whatever went wrong
        log.exception("chat turn failed")
        replies.append("抱歉，处理这条消息时出错了，请稍后再试或换一种说法。")
    if not shown:
        return history, session
    if not replies:
        replies.append("请输入问题，或粘贴、上传年度报告草稿。")
    history.append({"role": "user", "content": "\n\n".join(shown)})
    history.append({"role": "assistant", "content": "\n\n---\n\n".join(replies)})
    return history, session
