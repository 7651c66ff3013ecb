"""Human-readable renderings of a check: plain text for the terminal, Markdown for files."""
from __future__ import annotations

from collections import Counter

from ..document.model import Document
from ..rules.base import Finding, describe_location

SEVERITY_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}


def summary_line(findings: list[Finding]) -> str:
    counts = Counter(f.severity for f in findings)
    if not findings:
        return "未发现问题"
    return f"发现 {len(findings)} 个问题：" + "，".join(
        f"{SEVERITY_LABEL[s]} {counts[s]}" for s in ("error", "warning", "info") if counts[s])


def _title(document: Document) -> str:
    meta = document.meta
    return meta.title or document.source or "年度报告"


def ocr_note(document: Document) -> str | None:
    """One line for a report read (partly) by OCR, else None."""
    ocr = document.ocr
    if not ocr:
        return None
    return f"扫描件：{ocr['pages']} 页经文字识别读取，平均置信度 {ocr['mean_confidence']:.2f}，置信度低的单元格见 T207"


def render_text(document: Document, findings: list[Finding]) -> str:
    note = ocr_note(document)
    lines = [_title(document), summary_line(findings), *([note] if note else []), ""]
    for f in findings:
        lines.append(f"[{SEVERITY_LABEL[f.severity]}] {f.rule} {f.message}")
        lines.append(f"    位置：{describe_location(f.location)}")
        lines.append(f"    依据：{f.citation}")
        lines.append(f"    建议：{f.suggestion}")
    return "\n".join(lines).rstrip() + "\n"


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(document: Document, findings: list[Finding]) -> str:
    meta = document.meta
    lines = [f"# 检查报告：{_title(document)}", "",
             f"- 机关：{meta.agency or '未识别'}", f"- 年度：{meta.year or '未识别'}",
             f"- 结论：{summary_line(findings)}"]
    note = ocr_note(document)
    lines += [f"- {note}", ""] if note else [""]
    if findings:
        lines += ["| 级别 | 规则 | 位置 | 问题 | 依据 | 建议 |", "|---|---|---|---|---|---|"]
        lines += [f"| {SEVERITY_LABEL[f.severity]} | {f.rule} | {_md_cell(describe_location(f.location))} | "
                  f"{_md_cell(f.message)} | {_md_cell(f.citation)} | {_md_cell(f.suggestion)} |" for f in findings]
    return "\n".join(lines) + "\n"
