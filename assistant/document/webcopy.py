"""The normalisation step before parsing: what copying a report from a web page or a PDF adds or breaks.

- Page chrome is taken out (breadcrumbs, 发布日期/来源/浏览次数/字号 lines, 打印本页/关闭窗口/二维码
  footers, runs of "|"), and kept aside: the publication date is read from it.
- A page flattened onto one long line is cut again at its part and sub-part headings.
- Tables whose cells arrived one per line (each cell followed by " |", or a lone "|" line between
  cells) are put back together, one row per line, cells separated by tabs.

Every line keeps its `src` (its line number in the source), so findings still point at the original.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .model import Item, Line
from .normalize import is_value_text, label_key, nfkc
from .schema import TABLE2_COLUMN_FRAGMENTS, TABLE3_COLUMNS, TABLE3_ROWS, TABLE4_COLUMNS

_CHROME = re.compile(
    r"^(?:您?(?:当前|现在)?(?:所在|的)?位置[:：]|.{0,20}首页\s*[>»/＞›]"
    r"|(?:发布|更新|撰写|成文|生成|公文生成|信息)?(?:日期|时间)[:：]"
    r"|来源[:：]|信息来源[:：]|(?:浏览|访问|阅读|点击)(?:次数|量)[:：]?|【?字[号体][:：]|文章字号"
    r"|索\s*引\s*号|[•·]\s*(?:发布机构|主题分类|文件状态|成文日期|发文字号|索引号|标\s*题)"
    r"|.{0,12}(?:扫一扫|二维码)"
    r"|Page\s*\d+\s*[-–—]\s*《|P\.\s*\d+$)")  # the page header of a PDF flipbook
_PIPES = re.compile(r"^[|\s]{4,}$")  # a run of layout-table borders
_FOOTER_WORDS = {"打印本页", "打印文本", "打印", "关闭窗口", "关闭", "收藏", "分享", "分享到", "返回顶部", "返回首页", "顶部"}
_LONG_LINE = 300
# Inline part headings (一、总体情况) and sub-headings ((一) …) of a flattened page.
_INLINE_HEADING = re.compile(r"(?<=[\s。；：:])(?=(?:[一二三四五六][、.．]|[（(][一二三四五六七八九十][)）])\s*\S)")


def clean(items: list[Item]) -> tuple[list[Item], list[Line]]:
    """(the report's own items, the chrome lines taken out)."""
    chrome: list[Line] = []
    kept: list[Item] = []
    for item in items:
        if isinstance(item, Line):
            text = nfkc(item.text).strip()
            if len(text) <= 60 and (_CHROME.match(text) or _footer(text)) or _PIPES.match(text):
                chrome.append(item)
                continue
            if len(text) > _LONG_LINE and len(_INLINE_HEADING.findall(text)) >= 3:
                kept.extend(_split_flattened(item))
                continue
        kept.append(item)
    return _join_cell_lines(kept), chrome


@lru_cache(maxsize=8192)  # pure functions of a line: the same lines recur in every report of a batch
def _footer(text: str) -> bool:
    """【打印本页】 【关闭窗口】 and the like: nothing but the page's buttons."""
    words = re.sub(r"[【】\[\]|/]", " ", text).split()
    return bool(words) and all(word in _FOOTER_WORDS for word in words)


def _split_flattened(line: Line) -> list[Line]:
    pieces = [p.strip() for p in _INLINE_HEADING.split(line.text) if p.strip()]
    out: list[Line] = []
    for piece in pieces:
        # "一、总体情况 2023年，…": the heading ends at the first blank before running text
        head = re.match(r"^((?:[一二三四五六][、.．]|[（(][一二三四五六七八九十][)）])\S{1,30}?)\s+(\S.*)$", piece)
        if head and not re.search(r"[。；，,]", head.group(1)) and not _is_row_label(head.group(1)):
            out.append(Line(head.group(1), line.src))
            piece = head.group(2)
        if piece.count("|") >= 4:  # a table flattened with the page: its cells, one after another
            cells = [c.strip() for c in piece.split("|")]
            if cells and not _is_row_label(cells[0]) and not _is_header(cells[0]):
                out.append(Line(cells.pop(0), line.src))  # a note before the table
            out.extend(_rows_of_cells([(c, line.src) for c in cells]))
        else:
            out.append(Line(piece, line.src))
    return out


# ---------------------------------------------------------------- tables with one cell per line

_ROW_FRAGMENTS = tuple(f for spec in TABLE3_ROWS for f in spec.fragments) + (
    "规章", "规范性文件", "行政许可", "行政处罚", "行政强制", "收费", "行政复议", "行政诉讼", "第二十条")
_COLUMN_NAMES = {label_key(c) for c in TABLE3_COLUMNS + TABLE4_COLUMNS} | {"信息内容"}
_COLUMN_FRAGMENTS = tuple(f for fragments in TABLE2_COLUMN_FRAGMENTS.values() for f in fragments)


@lru_cache(maxsize=8192)
def _is_header(text: str) -> bool:
    key = label_key(text)
    return key in _COLUMN_NAMES or any(f in key for f in _COLUMN_FRAGMENTS)


def _cell_of(text: str) -> str | None:
    """The cell of a one-cell line ("规章 |", "0 |"), or None for any other line."""
    text = text.strip()
    if text.endswith("|") and text.count("|") == 1:
        return text.rstrip("|").strip()
    return None


def _join_cell_lines(items: list[Item]) -> list[Item]:
    out: list[Item] = []
    i = 0
    while i < len(items):
        run, j = _cell_run(items, i)
        if len(run) >= 2:
            out.extend(_rows_of_cells(run))
            i = j
        else:
            out.append(items[i])
            i += 1
    return out


def _cell_run(items: list[Item], start: int) -> tuple[list[tuple[str, str]], int]:
    """Cells of the run of one-cell lines starting at `start`, and where the run ends."""
    cells: list[tuple[str, str]] = []
    following = items[start + 1] if start + 1 < len(items) else None
    # the lone-"|" style: a "|" line between cells (the run may start with the cell before one)
    separated = isinstance(following, Line) and following.text.strip() == "|"
    i = start
    after_bar = True  # in the lone-"|" style a cell must follow a "|" line (or start the run)
    while i < len(items) and isinstance(items[i], Line):
        text = nfkc(items[i].text).strip()
        if re.fullmatch(r"\|{1,3}", text):
            if text != "|" or (after_bar and i > start):  # "||", "|||", or two bars in a row: an empty cell
                cells.append(("", items[i].src))
            separated = after_bar = True
            i += 1
            continue
        cell = _cell_of(text)
        if cell is None and separated and not after_bar and cells and len(text) <= 6 and not is_value_text(text) \
                and not is_value_text(cells[-1][0]) and len(cells[-1][0]) <= 6 and not _is_row_label(text) \
                and not _is_header(cells[-1][0]):
            cells[-1] = (cells[-1][0] + text, cells[-1][1])  # a header word broken over two lines (商业 / 企业)
            i += 1
            continue
        if cell is None and separated and after_bar and len(text) <= 60 and not re.search(r"[。；\t]", text):
            cell = text
        after_bar = False
        if cell is None:
            break
        cells.append((cell, items[i].src))
        i += 1
    return cells, i


@lru_cache(maxsize=8192)
def _is_row_label(text: str) -> bool:
    key = label_key(text)
    return bool(key) and not is_value_text(text) and not _is_header(text) and any(f in key for f in _ROW_FRAGMENTS)


def _rows_of_cells(cells: list[tuple[str, str]]) -> list[Line]:
    """Group cells into rows: a row label or a column header after values starts a new row."""
    rows: list[tuple[list[str], str]] = []
    closed = False  # a block label of table 2 (第二十条第（一）项) is a row of its own
    for text, src in cells:
        value = is_value_text(text) or text == ""
        header = _is_header(text)
        current = rows[-1][0] if rows else None
        has_values = bool(current) and any(is_value_text(c) for c in current)
        all_headers = bool(current) and all(_is_header(c) for c in current)
        if closed and text == "":
            continue  # the empty cells of the block label's merged row
        if current is None or closed or (not value and (_is_row_label(text) or has_values)) \
                or (header and not all_headers):
            rows.append(([text], src))
        else:
            current.append(text)
        closed = label_key(text).startswith("第二十条")
    return [Line("\t".join(cells), src) for cells, src in rows]


def split_pipes(text: str) -> list[str] | None:
    """Cells of a web-copy table row written with pipes ("规章 | 0 | 0 | 3 |", "| 行政许可 | 0 |")."""
    stripped = text.strip()
    if stripped.count("|") < 2 and not (stripped.endswith("|") and stripped.count("|") == 1 and " " in stripped):
        return None
    cells = stripped.split("|")
    if cells and not cells[0].strip():
        cells = cells[1:]
    if cells and not cells[-1].strip():
        cells = cells[:-1]
    return [c.strip() for c in cells]

