"""What the web app asks of the assistant: the same functions as the command line, no new logic."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..checker import CheckOptions, CheckResult, check_source
from ..document import Source
from ..document.loaders import FORMATS
from ..errors import InputError
from ..nlp.schemes import SCHEMES
from ..render.report import render_markdown, summary_line
from . import files

UPLOAD_TYPES = sorted(FORMATS)  # .txt .md .html .docx .pdf …
SCHEME_LABELS = {"format2021": "2021 年格式（五个方面）", "seed4": "样本报告（四个主题）"}
assert set(SCHEME_LABELS) == set(SCHEMES)


@dataclass
class Upload:
    """A file the user sent, held in memory only (files.py deletes the uploaded copy)."""
    name: str
    data: bytes


def take_upload(path: str | Path | None) -> Upload | None:
    """Read an uploaded file into memory; the server's copy is deleted once every upload of it was read."""
    if not path:
        return None
    return Upload(*files.take(path))


@dataclass
class Checked:
    """A check and everything the app shows or offers for download about it."""
    result: CheckResult
    data: dict  # the `check --format json` object
    summary: str
    markdown: str
    name: str  # what the report is called in file names and messages


def source_from(text: str | None = None, upload: Upload | None = None) -> Source:
    if upload is not None:
        return Source("bytes", upload.data, upload.name)
    if not text or not text.strip():
        raise InputError("请粘贴报告全文，或上传报告文件")
    return Source("text", text)


def ocr_progress(report):
    """A listener for the checking worker's messages that shows OCR page by page through `report`
    (Gradio's Progress: report(fraction, desc=…))."""
    if report is None:
        return None

    def listen(message: tuple) -> None:
        if message[0] == "ocr_plan":
            report(0.0, desc=f"扫描件：逐页文字识别，共 {message[1]} 页")
        elif message[0] == "ocr_page":
            done, total = message[1], message[2]
            report(done / max(1, total), desc=f"文字识别：已完成 {done}/{total} 页")

    return listen


def check(text: str | None = None, upload: Upload | None = None, previous: Upload | None = None,
          scheme: str = "format2021", progress=None) -> Checked:
    """`progress`: Gradio's Progress, told about each page read by OCR (scans only)."""
    before = Source("bytes", previous.data, previous.name) if previous is not None else None
    result = check_source(source_from(text, upload), before, CheckOptions(scheme=scheme), progress=ocr_progress(progress))
    document = result.document
    name = Path(upload.name).stem if upload is not None else (document.meta.agency or "粘贴的报告")
    return Checked(result, result.to_json(), summary_line(result.findings),
                   render_markdown(document, result.findings), name)


def api_check(text: str, scheme: str = "format2021") -> dict:
    """`/check`: a report's text -> the `check --format json` object."""
    if scheme not in SCHEMES:
        raise InputError(f"未知的主题方案：{scheme}（可选 {'、'.join(SCHEMES)}）")
    return check_source(Source("text", text or ""), options=CheckOptions(scheme=scheme), then=CheckResult.to_json)


def ask(question: str) -> dict:
    """`/ask`: a question -> the `ask --format json` object."""
    if not question or not question.strip():
        raise InputError("请输入问题")
    try:
        from ..qa.answer import answer
    except ImportError:
        raise InputError("问答功能尚未安装，暂时只能检查报告") from None
    return answer(question.strip())


def status_line() -> str:
    """What the page says about the assistant's own state: empty when all is well."""
    try:
        from ..qa.answer import retriever

        error = retriever().embedder_error
    except Exception:  # the question box reports its own errors; the status line stays quiet
        return ""
    return f"⚠️ 向量模型未能加载（{error}），问答暂时只用关键词检索，准确率会降低。" if error else ""


def warm_up() -> None:
    """Start a checking worker (its fork server loads the models) and the question answering once in
    the background, so the first user does not wait for them."""
    try:
        check_source(Source("text", "一、总体情况\n二、主动公开政府信息情况\n"), options=CheckOptions())
    except InputError:
        pass
    try:
        ask("年度报告什么时候公布？")
    except Exception:  # warming up is best effort; the first real call reports any problem
        pass


def batch_rows(paths: list[str | Path], scheme: str = "format2021") -> list[dict]:
    """One `batch` summary row per uploaded file (named by its file name)."""
    from ..batch import summary_row

    rows = []
    for path in paths:
        try:
            upload = take_upload(path)
        except InputError as exc:
            rows.append(summary_row(Path(path).name, exc, CheckOptions(scheme=scheme)))
            continue
        rows.append(summary_row(upload.name, lambda u=upload: Source("bytes", u.data, u.name),
                                CheckOptions(scheme=scheme)))
    return rows
