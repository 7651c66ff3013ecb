"""Read each file format into the intermediate form: a list of `Line`s and `Grid`s.

Every loader checks the input budget (limits.py) as it reads — sizes, characters, pages, unpacked
bytes, table cells — and raises `InputError` with a Chinese reason. Time and memory are bounded
from outside, by the worker process that runs the loaders (guard.py).
"""
from __future__ import annotations

import codecs
import errno
import io
import os
import re
import stat
import zipfile
import zlib
from pathlib import Path

from ..errors import InputError, caused_by_memory
from ..limits import Budget, too_large
from .model import Grid, Item, Line

FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html",
           ".htm": "html", ".docx": "docx", ".pdf": "pdf"}
OLD_WORD = (".doc", ".wps", ".wpt", ".dot")
OLD_WORD_MESSAGE = "不支持旧版 Word（.doc/.wps）文件，请另存为 .docx 后再检查"


def display_name(path: str | Path) -> str:
    """A path as text that can always be printed, whatever bytes the file system gave it."""
    return os.fsencode(path).decode("utf-8", errors="replace")


def read_bytes(path: Path, budget: Budget) -> bytes:
    """A regular file's bytes, refused before reading when it is too large or not a regular file."""
    name = display_name(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"无法读取 {name}：符号链接形成了循环") from None
        raise InputError(f"无法读取文件：{name}（文件不存在或无权限）") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{name} 是一个目录，请给出报告文件")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{name} 不是普通文件（管道、设备或套接字），请给出报告文件")
    if info.st_size > budget.max_bytes:
        raise InputError(too_large(info.st_size, budget.max_bytes))
    try:
        with open(path, "rb") as handle:
            data = handle.read(budget.max_bytes + 1)
    except OSError:
        raise InputError(f"无法读取文件：{name}（无权限或读取出错）") from None
    if len(data) > budget.max_bytes:  # the file grew while we read it
        raise InputError(too_large(len(data), budget.max_bytes))
    if not data.strip():
        raise InputError("文件为空，没有可检查的内容")
    return data


def sniff_format(data: bytes, suffix: str) -> str:
    """Format from the content first (users rename files), then from the suffix."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(OLD_WORD_MESSAGE)
    head = data[:2048].lower()
    if b"<html" in head or b"<!doctype html" in head or b"<table" in head or b"<body" in head:
        return "html"  # also a web page saved with a .doc name, as some sites export them
    if suffix in OLD_WORD:
        raise InputError(OLD_WORD_MESSAGE)
    return FORMATS.get(suffix, "txt")


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16/32 by their byte-order mark, or UTF-16 without one by its zero bytes."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    sample = data[:4096]
    if len(sample) >= 8:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > 0.3 * len(sample) / 2 and even == 0:
            return "utf-16-le"
        if even > 0.3 * len(sample) / 2 and odd == 0:
            return "utf-16-be"
    return None


def decode_text(data: bytes, budget: Budget) -> str:
    wide = _wide_encoding(data)
    if wide and wide != "utf-8-sig":
        try:
            return _checked_text(data.decode(wide), budget)
        except UnicodeDecodeError:
            pass
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
    return _checked_text(text, budget)


def _checked_text(text: str, budget: Budget) -> str:
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\r\n\f")
    if controls > 0.01 * min(len(text), 20000):
        raise InputError("文件内容是乱码或二进制数据，无法作为年度报告读取")
    check_chars(len(text), budget)
    return text


def check_chars(count: int, budget: Budget) -> None:
    if count > budget.max_chars:
        raise InputError(f"文本过长（{count} 字），超出年度报告的合理篇幅（{budget.max_chars} 字）")


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


def expand_spans(rows: list[list[tuple[str, int, int]]], budget: Budget) -> list[list[str]]:
    """Lay (text, rowspan, colspan) cells on a grid, repeating merged cells' text."""
    grid: dict[tuple[int, int], str] = {}
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in grid:
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = text
            c += colspan
            width = max(width, c)
            if len(grid) > budget.max_cells:
                raise InputError("表格过大（单元格数量异常），无法作为年度报告读取")
    if len(rows) * width > budget.max_cells:
        raise InputError("表格过大（单元格数量异常），无法作为年度报告读取")
    return [[grid.get((r, c), "") for c in range(width)] for r in range(len(rows))]


def span_value(raw, limit: int) -> int:
    """A rowspan/colspan/gridSpan attribute as a count from 1 to `limit`; nonsense counts as 1."""
    try:
        return max(1, min(int(str(raw).strip() or 1), limit))
    except (TypeError, ValueError):
        return 1


_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)


def html_text(data: bytes, budget: Budget) -> str:
    """Decode a page by its declared charset (GBK pages often say so), else by our detection."""
    declared = _CHARSET.search(data[:4096])
    if declared and not _wide_encoding(data):
        try:
            text = data.decode(declared.group(1).decode("ascii"), errors="replace")
            check_chars(len(text), budget)
            return text
        except LookupError:
            pass  # an unknown charset name
    return decode_text(data, budget)


def _html_tree(data: bytes, budget: Budget):
    import lxml.html
    from lxml import etree

    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", html_text(data, budget))
    try:
        return lxml.html.fromstring(text)
    except (etree.ParserError, ValueError):
        raise InputError("网页内容无法解析，请确认文件是完整的 HTML") from None


def load_html(data: bytes, budget: Budget) -> list[Item]:
    root = _html_tree(data, budget)
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
            rows.append([(" ".join(c.text_content().split()), span_value(c.get("rowspan", 1), 500),
                          span_value(c.get("colspan", 1), 100)) for c in tr if c.tag in ("td", "th")])
        counter["table"] += 1
        return Grid(expand_spans(rows, budget), f"第{counter['table']}个表格")

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

def _document_xml(data: bytes, budget: Budget) -> bytes:
    """word/document.xml of a .docx, read within the budget (unpacked size and ratio checked first)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise InputError("文件不是有效的 .docx 文档（压缩包已损坏）") from None
    if len(infos) > 5000:
        raise InputError("文档中的文件数量异常，拒绝读取")
    entry = next((i for i in infos if i.filename == "word/document.xml"), None)
    if entry is None:
        raise InputError("压缩包中没有 Word 正文（word/document.xml），不是 .docx 文档")
    if entry.file_size > budget.max_entry_bytes:
        raise InputError(f"文档正文解压后过大（{entry.file_size / 1048576:.0f} MB），疑似压缩炸弹，拒绝读取")
    if entry.compress_size and entry.file_size / entry.compress_size > budget.max_ratio:
        raise InputError("文档压缩比异常（疑似压缩炸弹），拒绝读取")
    if entry.flag_bits & 0x1:
        raise InputError("Word 文档已加密，请去除密码后再检查")
    try:
        with archive.open(entry) as handle:
            xml = handle.read(budget.max_entry_bytes + 1)
    except NotImplementedError:
        raise InputError("Word 文档使用了不支持的压缩方式，请用 Word 或 WPS 重新保存为 .docx") from None
    except (zipfile.BadZipFile, RuntimeError, ValueError, OSError, EOFError, zlib.error):
        raise InputError("Word 文档的正文已损坏，无法读取") from None
    if len(xml) > budget.max_entry_bytes:
        raise InputError("文档正文解压后过大（疑似压缩炸弹），拒绝读取")
    return xml


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


def _docx_grid(table, budget: Budget) -> list[list[str]]:
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
                    span = span_value(grid_span.get(f"{_W}val", 1), 100)
                v_merge = props.find(f"{_W}vMerge")
                if v_merge is not None:
                    merged = v_merge.get(f"{_W}val", "continue")
            text = " ".join(_docx_text(p).strip() for p in tc.iterchildren(f"{_W}p") if _docx_text(p).strip())
            column = len(row)
            if merged == "continue" and rows and column < len(rows[-1]):
                text = rows[-1][column]  # a vertically merged cell shows the text of the cell above
            row.extend([text] * span)
        rows.append(row)
        if sum(len(r) for r in rows) > budget.max_cells:
            raise InputError("表格过大（单元格数量异常），无法作为年度报告读取")
    return rows


def load_docx(data: bytes, budget: Budget) -> list[Item]:
    """Paragraphs and tables of word/document.xml, in document order."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        body = etree.fromstring(_document_xml(data, budget), parser).find(f"{_W}body")
    except etree.XMLSyntaxError:
        raise InputError("Word 文档的正文已损坏，无法读取") from None
    if body is None:
        raise InputError("Word 文档中没有正文")
    items: list[Item] = []
    paragraphs = tables = chars = 0
    for element in body.iterchildren():
        if element.tag == f"{_W}p":
            paragraphs += 1
            text = _docx_text(element).strip()
            chars += len(text)
            items.extend(Line(part, f"第{paragraphs}段") for part in text.split("\n") if part.strip())
        elif element.tag == f"{_W}tbl":
            tables += 1
            grid = Grid(_docx_grid(element, budget), f"第{tables}个表格")
            chars += sum(len(cell) for row in grid.rows for cell in row)
            items.append(grid)
        check_chars(chars, budget)
    return items


# ---------------------------------------------------------------- PDF

_SENTENCE_END = "。！？；：!?;:"
# A line break inside a table cell and the blanks around it; a match starts only where a run of
# blanks starts, so a long run of spaces costs linear time.
_WRAPPED_CELL = re.compile(r"(?<![^\S\n])[^\S\n]*\n\s*")
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


def _page_items(page, number: int, tables_seen: int) -> list[tuple[float, object]]:
    """(top, item) of one page: its ruled tables as grids, its other text as positioned lines."""
    found = page.find_tables()
    boxes = [t.bbox for t in found]

    def outside(obj) -> bool:
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    page_items: list[tuple[float, object]] = []
    for line in page.filter(outside).extract_text_lines(keep_blank_chars=True):
        text = line["text"].strip()
        if text:
            page_items.append((line["top"], (text, line["x0"], line["x1"], f"第{number}页")))
    for n, table in enumerate(found, start=tables_seen + 1):
        rows = [[_WRAPPED_CELL.sub("", c or "") for c in row] for row in table.extract()]
        page_items.append((table.bbox[1], Grid(rows, f"第{number}页第{n}个表格")))
    return page_items


OCR_MODES = ("auto", "never", "force")
NO_TEXT_LAYER = "PDF 没有文字层（可能是扫描件或图片），请提供可复制文字的 PDF 或先做文字识别"
MIN_OCR_CHARS = 30  # fewer recognised characters than this in a scan-only PDF: a picture, a seal, a blank page


def _ocr_plan(pages, mode: str, budget: Budget) -> list[int]:
    """Pages (0-based) to read by OCR: every page (`force`) or those with no text but an image or a
    drawing (`auto`; a blank page has nothing to read). Decided from what pdfplumber parses anyway,
    so a text PDF costs nothing more and never loads the OCR engine."""
    if mode == "force":
        return list(range(len(pages)))
    planned = []
    for number, page in enumerate(pages, start=1):
        try:
            if not page.chars and (page.images or page.rects or page.lines or page.curves):
                planned.append(number - 1)
        except MemoryError:
            raise
        except Exception as exc:  # pdfminer's many exceptions on a damaged page
            if caused_by_memory(exc):
                raise MemoryError from exc
            raise InputError(f"PDF 第{number}页的内容已损坏，无法读取") from None
    return planned


def _announce_ocr(planned: list[int], budget: Budget) -> None:
    """Refuse too many pages to OCR; else tell the guard, so the worker's deadline and memory grow."""
    from ..guard import allow_ocr_memory, notify
    from .ocr import engine_loaded

    if len(planned) > budget.max_ocr_pages:
        raise InputError(f"需要文字识别的扫描页过多（{len(planned)} 页），超过上限 {budget.max_ocr_pages} 页；"
                         "请提供可复制文字的 PDF，或在 assistant.toml 的 [limits] 中调高 max_ocr_pages")
    notify(("ocr_plan", len(planned), engine_loaded()))
    allow_ocr_memory(budget.ocr_memory_mb)


def load_pdf(data: bytes, budget: Budget, ocr: str = "never", stats: dict | None = None) -> list[Item]:
    """Text and ruled tables of a PDF; pages without a text layer are read by OCR unless `ocr` is
    "never" ("force": every page). `stats` receives the OCR'd page count and confidences."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except Exception:  # pdfminer raises many kinds on broken files
        raise InputError("无法打开 PDF 文件：文件已损坏或不是 PDF") from None
    if len(pages) > budget.max_pages:
        raise InputError(f"PDF 页数过多（{len(pages)} 页），超出年度报告的合理篇幅（{budget.max_pages} 页）")
    planned = set(_ocr_plan(pages, ocr, budget)) if ocr != "never" else set()
    if planned:
        _announce_ocr(sorted(planned), budget)
    scanned = None
    items: list[Item] = []
    text_lines: list[tuple[str, float, float, str]] = []
    chars = ocr_chars = done = 0
    confidences: list[float] = []
    tables_seen = 0
    with pdf:
        for number, page in enumerate(pages, start=1):
            try:
                if number - 1 in planned:
                    from ..guard import notify
                    from . import ocr as ocr_module

                    if scanned is None:
                        scanned = ocr_module.open_pdf(data)
                    result = ocr_module.read_page(scanned[number - 1], number, tables_seen)
                    done += 1
                    notify(("ocr_page", done, len(planned)))
                    page_items = result.items
                    chars += result.chars
                    ocr_chars += result.chars
                    confidences.extend(result.confidences)
                else:
                    chars += len(page.chars)
                    page_items = _page_items(page, number, tables_seen)
                check_chars(chars, budget)
            except (InputError, MemoryError):
                raise
            except Exception as exc:  # pdfminer's many exceptions on a damaged page
                if caused_by_memory(exc):
                    raise MemoryError from exc
                raise InputError(f"PDF 第{number}页的内容已损坏，无法读取") from None
            tables_seen += sum(isinstance(obj, Grid) for _, obj in page_items)
            for _, obj in sorted(page_items, key=lambda pair: pair[0]):
                if isinstance(obj, Grid):
                    items.extend(_merge_wrapped(text_lines))
                    text_lines = []
                    items.append(obj)
                else:
                    text_lines.append(obj)
    if scanned is not None:
        scanned.close()
    items.extend(_merge_wrapped(text_lines))
    if stats is not None and planned:
        stats.update(pages=len(planned), confidences=confidences)
    if chars == 0 and not planned:
        raise InputError(NO_TEXT_LAYER)
    if planned and chars - ocr_chars < 1 and ocr_chars < MIN_OCR_CHARS:
        raise InputError("PDF 没有文字层（扫描件或图片），文字识别也没有读出报告文字（可能是图片、印章或空白页），无法作为年度报告检查")
    return items


def load_items(data: bytes, fmt: str, budget: Budget, ocr: str = "auto", stats: dict | None = None) -> list[Item]:
    if fmt == "pdf":
        return load_pdf(data, budget, ocr, stats)
    if fmt == "docx":
        return load_docx(data, budget)
    if fmt == "html":
        return load_html(data, budget)
    return load_text(decode_text(data, budget))
