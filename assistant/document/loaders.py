"""Read each file format into the intermediate form: a list of `Line`s and `Grid`s.

Every loader guards against hostile input (binary data, huge files, zip bombs, PDFs
without a text layer) and raises `InputError` with a Chinese reason instead.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from ..errors import InputError
from .model import Grid, Item, Line

MAX_BYTES = 20 * 1024 * 1024
MAX_TEXT_CHARS = 2_000_000
MAX_PDF_PAGES = 300
MAX_DOCX_UNPACKED = 100 * 1024 * 1024
MAX_TABLE_CELLS = 20_000
FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html",
           ".htm": "html", ".docx": "docx", ".pdf": "pdf"}


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except OSError:
        raise InputError(f"无法读取文件：{path}（文件不存在或无权限）") from None
    if path.is_dir():
        raise InputError(f"{path} 是一个目录，请给出报告文件")
    if size > MAX_BYTES:
        raise InputError(f"文件过大（{size / 1048576:.1f} MB），年度报告一般不超过 {MAX_BYTES // 1048576} MB")
    data = path.read_bytes()
    if not data.strip():
        raise InputError("文件为空，没有可检查的内容")
    return data


def sniff_format(data: bytes, suffix: str) -> str:
    """Format from the content first (users rename files), then from the suffix."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    head = data[:2048].lower()
    if b"<html" in head or b"<!doctype html" in head or b"<table" in head or b"<body" in head:
        return "html"
    if suffix in (".doc", ".wps"):
        raise InputError("不支持旧版 Word（.doc/.wps）文件，请另存为 .docx 后再检查")
    return FORMATS.get(suffix, "txt")


def decode_text(data: bytes) -> str:
    if b"\x00" in data[:65536]:
        raise InputError("文件是二进制数据，不是文本；请提供 txt、md、html、docx 或 pdf 格式的报告")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise InputError("无法识别文件的文字编码，请另存为 UTF-8 文本后再试")
        text = str(best)
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\r\n\f")
    if controls > 0.01 * min(len(text), 20000):
        raise InputError("文件内容是乱码或二进制数据，无法作为年度报告读取")
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"文本过长（{len(text)} 字），超出年度报告的合理篇幅")
    return text


# ---------------------------------------------------------------- plain text / Markdown

def load_text(text: str) -> list[Item]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    items: list[Item] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip(" \u3000\u00a0")
        if line.strip("\t "):
            items.append(Line(line, f"第{number}行"))
    return items


# ---------------------------------------------------------------- HTML

_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article",
               "header", "footer", "blockquote", "pre", "dd", "dt", "tr", "center", "ul", "ol",
               "title"}
_SKIP_TAGS = {"script", "style", "noscript", "head", "iframe", "svg", "template", "button",
              "nav", "select", "textarea"}


def expand_spans(rows: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """Lay (text, rowspan, colspan) cells on a grid, repeating merged cells' text."""
    grid: dict[tuple[int, int], str] = {}
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in grid:
                c += 1
            for dr in range(max(1, min(rowspan, 500))):
                for dc in range(max(1, min(colspan, 100))):
                    grid[(r + dr, c + dc)] = text
            c += max(1, colspan)
            width = max(width, c)
        if len(grid) > MAX_TABLE_CELLS:
            raise InputError("表格过大（单元格数量异常），无法作为年度报告读取")
    return [[grid.get((r, c), "") for c in range(width)] for r in range(len(rows))]


def _span(cell, name: str) -> int:
    try:
        return int(str(cell.get(name, "1")).strip() or 1)
    except ValueError:
        return 1


def _html_tree(data: bytes):
    """Parse HTML bytes; the page's declared charset wins, then our own detection (UTF-8, GBK…)."""
    import lxml.html
    from lxml import etree

    head = data[:4096].lower()
    try:
        if b"charset" in head:
            return lxml.html.fromstring(data)
        return lxml.html.fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", decode_text(data)))
    except (etree.ParserError, ValueError):
        raise InputError("网页内容无法解析，请确认文件是完整的 HTML") from None


def load_html(data: bytes) -> list[Item]:
    root = _html_tree(data)
    items: list[Item] = []
    buffer: list[str] = []
    counter = {"block": 0, "table": 0}

    def flush() -> None:
        text = re.sub(r"[ \t\r\n\u00a0]+", " ", "".join(buffer)).strip()
        buffer.clear()
        if text:
            counter["block"] += 1
            items.append(Line(text, f"第{counter['block']}段"))

    def table_grid(table) -> Grid:
        rows = []
        for tr in table.iter("tr"):
            if next(tr.iterancestors("table"), None) is not table:
                continue  # a row of a nested table
            rows.append([(" ".join(c.text_content().split()), _span(c, "rowspan"), _span(c, "colspan"))
                         for c in tr if c.tag in ("td", "th")])
        counter["table"] += 1
        return Grid(expand_spans(rows), f"第{counter['table']}个表格")

    def walk(element) -> None:
        if element.text:
            buffer.append(element.text)
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else None
            if tag in _SKIP_TAGS:
                pass
            elif tag == "br":
                flush()
            elif tag == "table":
                flush()
                items.append(table_grid(child))
            elif tag in _BLOCK_TAGS:
                flush()
                walk(child)
                flush()
            elif tag:
                walk(child)
            if child.tail:
                buffer.append(child.tail)

    body = root.find(".//body")
    walk(body if body is not None else root)
    flush()
    title = root.findtext(".//title")
    if title and title.strip() and not any(isinstance(i, Line) for i in items[:3]):
        items.insert(0, Line(title.strip(), "网页标题"))
    return items


# ---------------------------------------------------------------- Word

def _check_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError("文件不是有效的 .docx 文档（压缩包已损坏）") from None
    if len(infos) > 5000 or sum(i.file_size for i in infos) > MAX_DOCX_UNPACKED:
        raise InputError("文档解压后体积异常（疑似压缩炸弹），拒绝读取")
    if any(i.compress_size and i.file_size / i.compress_size > 200 for i in infos):
        raise InputError("文档压缩比异常（疑似压缩炸弹），拒绝读取")
    if "word/document.xml" not in archive.namelist():
        raise InputError("压缩包中没有 Word 正文（word/document.xml），不是 .docx 文档")
    return archive


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_text(element) -> str:
    """Visible text of a paragraph or cell: runs, tabs and line breaks, in order."""
    parts = []
    for node in element.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}p"):
        tag = node.tag
        if tag == f"{_W}t":
            parts.append(node.text or "")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr") or (tag == f"{_W}p" and parts):
            parts.append("\n")
    return "".join(parts)


def _docx_grid(table) -> list[list[str]]:
    """Rows of a Word table with merged cells repeated (gridSpan across, vMerge down)."""
    rows: list[list[str]] = []
    for tr in table.iterchildren(f"{_W}tr"):
        row: list[str] = []
        for tc in tr.iterchildren(f"{_W}tc"):
            props = tc.find(f"{_W}tcPr")
            span, merged = 1, None
            if props is not None:
                grid_span = props.find(f"{_W}gridSpan")
                if grid_span is not None:
                    span = int(grid_span.get(f"{_W}val", "1") or 1)
                v_merge = props.find(f"{_W}vMerge")
                if v_merge is not None:
                    merged = v_merge.get(f"{_W}val", "continue")
            text = " ".join(_docx_text(p).strip() for p in tc.iterchildren(f"{_W}p") if _docx_text(p).strip())
            column = len(row)
            if merged == "continue" and rows and column < len(rows[-1]):
                text = rows[-1][column]  # a vertically merged cell shows the text of the cell above
            row.extend([text] * max(1, min(span, 100)))
        rows.append(row)
        if sum(len(r) for r in rows) > MAX_TABLE_CELLS:
            raise InputError("表格过大（单元格数量异常），无法作为年度报告读取")
    return rows


def load_docx(data: bytes) -> list[Item]:
    """Paragraphs and tables of word/document.xml, in document order."""
    from lxml import etree

    archive = _check_zip(data)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        body = etree.fromstring(archive.read("word/document.xml"), parser).find(f"{_W}body")
    except (etree.XMLSyntaxError, KeyError, zipfile.BadZipFile, OSError):
        raise InputError("Word 文档的正文已损坏，无法读取") from None
    if body is None:
        raise InputError("Word 文档中没有正文")
    items: list[Item] = []
    paragraphs = tables = 0
    for element in body.iterchildren():
        if element.tag == f"{_W}p":
            paragraphs += 1
            text = _docx_text(element).strip()
            items.extend(Line(part, f"第{paragraphs}段") for part in text.split("\n") if part.strip())
        elif element.tag == f"{_W}tbl":
            tables += 1
            items.append(Grid(_docx_grid(element), f"第{tables}个表格"))
    return items


# ---------------------------------------------------------------- PDF

_SENTENCE_END = "。！？；：!?;:"
_STARTS_BLOCK = re.compile(r"^\s*(?:#|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]|第[一二三四五六]部分|[一二三四五六七八九十]是)")


def _merge_wrapped(lines: list[tuple[str, float, float, str]]) -> list[Line]:
    """Join visual lines that a PDF wrapped back into paragraphs.

    A line continues the previous one when the previous line runs to the right margin without
    ending a sentence and this line starts at the left margin (not indented, not centred).
    """
    out: list[Line] = []
    if not lines:
        return out
    left = min(x0 for _, x0, _, _ in lines)
    right = max(x1 for _, _, x1, _ in lines)
    tolerance = 0.04 * (right - left)
    previous_x1 = 0.0
    for text, x0, x1, src in lines:
        if (out and previous_x1 >= right - tolerance and x0 <= left + tolerance
                and out[-1].text[-1:] not in _SENTENCE_END and not _STARTS_BLOCK.match(text)):
            out[-1].text += text
        else:
            out.append(Line(text, src))
        previous_x1 = x1
    return out


def load_pdf(data: bytes) -> list[Item]:
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except Exception as exc:  # pdfminer raises many kinds on broken files
        raise InputError(f"无法打开 PDF 文件：{type(exc).__name__}") from None
    if len(pages) > MAX_PDF_PAGES:
        raise InputError(f"PDF 页数过多（{len(pages)} 页），超出年度报告的合理篇幅")
    items: list[Item] = []
    text_lines: list[tuple[str, float, float, str]] = []
    chars = 0
    tables_seen = 0
    with pdf:
        for number, page in enumerate(pages, start=1):
            chars += len(page.chars)
            found = page.find_tables()
            boxes = [t.bbox for t in found]

            def outside(obj, boxes=boxes) -> bool:
                cx = (obj["x0"] + obj["x1"]) / 2
                cy = (obj["top"] + obj["bottom"]) / 2
                return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

            page_items: list[tuple[float, object]] = []
            for line in page.filter(outside).extract_text_lines(keep_blank_chars=True):
                text = line["text"].strip()
                if text:
                    page_items.append((line["top"], (text, line["x0"], line["x1"], f"第{number}页")))
            for table in found:
                rows = [[re.sub(r"\s*\n\s*", "", c or "") for c in row] for row in table.extract()]
                tables_seen += 1
                page_items.append((table.bbox[1], Grid(rows, f"第{number}页第{tables_seen}个表格")))
            for _, obj in sorted(page_items, key=lambda pair: pair[0]):
                if isinstance(obj, Grid):
                    items.extend(_merge_wrapped(text_lines))
                    text_lines = []
                    items.append(obj)
                else:
                    text_lines.append(obj)
    items.extend(_merge_wrapped(text_lines))
    if chars == 0:
        raise InputError("PDF 没有文字层（可能是扫描件或图片），请提供可复制文字的 PDF 或先做文字识别")
    return items


def load_items(data: bytes, fmt: str) -> list[Item]:
    if fmt == "pdf":
        return load_pdf(data)
    if fmt == "docx":
        return load_docx(data)
    if fmt == "html":
        return load_html(data)
    return load_text(decode_text(data))
