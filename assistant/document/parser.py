"""Turn the intermediate form (lines and grids) into a `Document`.

Steps: find the title and metadata, find the six part headings in any of their
typographic variants, cut the document into parts, read running text into paragraphs and
table rows into tables 2/3/4.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter
from functools import lru_cache

from ..errors import InputError
from .meta import read_meta
from .model import Document, Grid, Item, Line, Paragraph, Part, Table
from .normalize import clean_cell, label_key, nfkc
from .schema import PART_NUMERALS, PART_TITLES, TABLE3_KEYS, TABLE_PART
from .tables import READERS, Row, join_cell_rows, split_regions
from .webcopy import split_pipes

_HEADING = re.compile(
    r"^#{0,6}\s*(?:第(?P<a>[一二三四五六])部分\s*[、.．:：]?|(?P<b>[一二三四五六])\s*[、.．,，:：]"
    r"|[（(](?P<c>[一二三四五六])[)）]|(?P<d>[1-6])\s*[、.．])?\s*(?P<rest>.*)$")
_FILLER = re.compile(r"政府信息公开|信息公开|政务公开|工作|年度|本年度|本机关|有关|\d{4}年")
_HEADING_VARIANTS = {
    1: ("总体情况", "基本情况", "总体概况", "工作概况", "概述", "概况"),
    2: ("主动公开政府信息情况", "主动公开情况", "主动公开"),
    3: ("收到和处理政府信息公开申请情况", "依申请公开情况", "依申请公开政府信息情况", "收到和处理申请情况"),
    4: ("政府信息公开行政复议、行政诉讼情况", "行政复议行政诉讼情况", "行政复议和行政诉讼情况"),
    5: ("存在的主要问题及改进情况", "存在的问题及改进措施", "存在问题及改进情况", "主要问题和改进措施",
        "存在的主要问题及改进措施"),
    6: ("其他需要报告的事项", "其他事项", "其他需要报告的事情", "其他需报告的事项"),
}
_TABLE_ROW_WORDS = ("本年新收", "上年结转", "办理结果", "结转下年度", "申请数量")
# Numbers separated by spaces (or run into a sign); each number's extent is fixed by its
# characters, so the pattern cannot split a run of digits in many ways (no backtracking blow-up).
_NUM = r"[-+]?[\d０-９][\d０-９,，.．]*"
_NUMBER_RUN = re.compile(rf"^(?P<label>.*?[^\d\s.,，．+\-])?\s*(?P<nums>{_NUM}(?:(?:\s+|(?=[-+])){_NUM})*)\s*$")
_PROSE = re.compile(r"[。；！？]")


def _stripped(text: str) -> str:
    return _FILLER.sub("", label_key(text))


_VARIANTS = {n: [_stripped(v) for v in vs] for n, vs in _HEADING_VARIANTS.items()}
# Two-character pieces of every heading variant: a line sharing none cannot be a heading.
_BIGRAMS = {v[i:i + 2] for vs in _VARIANTS.values() for v in vs for i in range(len(v) - 1)}


@lru_cache(maxsize=4096)  # the same heading lines recur in every report of a batch
def heading_of(text: str) -> tuple[int, int | None, str] | None:
    """(part, numeral as written, style) when a line is a part heading."""
    text = nfkc(text).strip()
    if "\t" in text or "|" in text or len(text) > 40 or text.endswith(("。", "；", ";")):
        return None
    match = _HEADING.match(text)
    if not match:
        return None
    rest = match.group("rest").strip().rstrip("：:。")
    if not rest or _PROSE.search(rest) or any(w in rest for w in _TABLE_ROW_WORDS):
        return None
    core = _stripped(rest)
    if not core or not any(core[i:i + 2] in _BIGRAMS for i in range(len(core) - 1)):
        return None
    numeral = next((match.group(k) for k in "abc" if match.group(k)), None)
    written = PART_NUMERALS.index(numeral) + 1 if numeral else (int(match.group("d")) if match.group("d") else None)
    scores = []
    for number, variants in _VARIANTS.items():
        best = 1.0 if core in variants else max(difflib.SequenceMatcher(None, core, v).ratio() for v in variants)
        scores.append((best, number == written, number))
    best, _, number = max(scores)
    if best < 0.6:
        return None
    style = "paren" if match.group("c") else "section" if match.group("a") else "digit" if match.group("d") else \
        "numbered" if written else "bare"
    if style == "bare" and (best < 0.8 or text.startswith(("（", "("))):
        return None
    return number, written, style


_STRONG = ("numbered", "section")  # 一、…  第一部分…
_NUMBERED = re.compile(r"^([一二三四五六])\s*[、.．]\s*\S")


def _align(candidates: list[tuple], items: list[Item]) -> list[tuple]:
    """The part headings among candidate lines, aligned with the template's six parts.

    Headings numbered like the report's own part headings (一、 or 第一部分, with the numeral of the
    part they name) are taken first; a weaker candidate (a bare heading, or one in another style)
    fills a part still missing only where it lies between its neighbours; sub-heading styles
    （一） 1. never open a part in a report whose parts are numbered 一、. A part whose heading
    is numbered right but worded freely ("一、2023年政府信息公开工作开展情况") is found by its numeral.
    """
    agree = Counter(c[3] for c in candidates if c[2] == c[1])
    dominant = max(agree, key=lambda style: (agree[style], style in _STRONG), default="numbered")
    chosen = [c for c in candidates if c[2] == c[1] and (c[3] in _STRONG or c[3] == dominant)]
    if not chosen:
        chosen = [c for c in candidates if c[3] == "bare"]
    found = {c[1] for c in chosen}
    for c in candidates:
        sub_style = c[3] in ("paren", "digit") and dominant not in ("paren", "digit")
        # a sub-heading style opens a missing part only after 总体情况 has ended (a misnumbered heading)
        if c[1] in found or sub_style and not any(o[1] >= 2 and o[0] < c[0] for o in chosen):
            continue
        # bare, numbered as the part, or numbered 一、 but with another numeral (reported by S102)
        if (c[2] is None or c[2] == c[1] or c[3] in _STRONG) and _between(c[0], c[1], chosen):
            chosen.append(c)
            found.add(c[1])
    if dominant in _STRONG:
        for number in sorted(set(range(1, 7)) - found):
            line = _free_heading(number, items, chosen)
            if line is not None:
                chosen.append((line, number, number, dominant, items[line].text.strip()))
    return sorted(chosen)


def _between(index: int, number: int, chosen: list[tuple]) -> bool:
    """Whether a heading of part `number` at `index` keeps the chosen parts in template order."""
    return all(c[0] < index for c in chosen if c[1] < number) and all(c[0] > index for c in chosen if c[1] > number)


def _free_heading(number: int, items: list[Item], chosen: list[tuple]) -> int | None:
    """A line "五、…" (heading-like, the numeral of part `number`) where that part's heading belongs."""
    numeral = PART_NUMERALS[number - 1]
    first = max((c[0] for c in chosen if c[1] < number), default=-1)
    last = min((c[0] for c in chosen if c[1] > number), default=len(items))
    for i in range(first + 1, last):
        item = items[i]
        if isinstance(item, Line):
            text = nfkc(item.text).strip().lstrip("#").strip()
            if _NUMBERED.match(text) and _NUMBERED.match(text).group(1) == numeral and len(text) <= 40 \
                    and not _PROSE.search(text) \
                    and "\t" not in text and "|" not in text and not re.search(r"\d\s*$", text) \
                    and not any(word in text for word in _TABLE_ROW_WORDS):
                return i
    return None


def split_cells(text: str) -> list[str] | None:
    """Cells of a text line that is a table row, or None for running text."""
    piped = split_pipes(text) if "|" in text and "\t" not in text else None
    if "\t" in text:
        cells = text.split("\t")
    elif piped is not None:
        cells = piped
        if all(re.fullmatch(r"\s*:?-{2,}:?\s*", c) for c in cells):
            return []  # the separator line of a Markdown table
    else:
        cells = re.split(r" {2,}|\u3000+", text.strip())
        if len(cells) < 2:
            match = _NUMBER_RUN.match(nfkc(text.strip()))
            if not match or _PROSE.search(text) or len(match.group("nums").split()) < 1:
                return None
            cells = [text.strip()]
        elif _PROSE.search(text) or any(len(c) > 60 for c in cells):
            return None
    out: list[str] = []
    for cell in cells:
        match = _NUMBER_RUN.match(nfkc(cell.strip()))
        if match and len(match.group("nums").split()) >= (1 if match.group("label") else 2):
            if match.group("label"):
                out.append(match.group("label").strip())
            out.extend(match.group("nums").split())
        else:
            out.append(cell)
    if len([c for c in out if c.strip()]) < 2:
        return None
    return out


def _rows_of(item: Item) -> list[Row]:
    if isinstance(item, Grid):
        return [Row(cells, f"{item.src}第{n}行") for n, cells in enumerate(item.rows, start=1)]
    cells = split_cells(item.text)
    if cells:
        return [Row(cells, item.src)]
    text = clean_cell(item.text)
    piped = split_pipes(text) if "|" in text else None
    if piped and piped[0] and not any(piped[1:]):
        text = piped[0]  # "0 | ||": one cell and the page's empty padding
    if cells is None and len(text) <= 50 and not _PROSE.search(text):
        return [Row([text], item.src)]  # a lone label such as （三）不予公开
    return []


def parse(items: list[Item], source: str = "", fmt: str = "txt", chrome: list[Line] | None = None) -> Document:
    meta, title_index = read_meta(items, chrome or [])
    headings: list[tuple[int, int, int | None, str, str]] = []  # (item index, part, written, style, text)
    for i, item in enumerate(items):
        if isinstance(item, Line) and i != title_index:
            found = heading_of(item.text)
            if found:
                headings.append((i, found[0], found[1], found[2], item.text.strip()))
    headings = _align(headings, items)

    parts = {n: Part(n, PART_TITLES[n] if n != 1 else "总体情况", False) for n in range(1, 7)}
    boundaries: list[tuple[int, int]] = []
    duplicates: list[int] = []
    for index, number, written, _style, text in headings:
        if parts[number].found:
            duplicates.append(number)
            continue
        parts[number] = Part(number, re.sub(r"^#+\s*", "", text), True, items[index].src,
                             written if written not in (None, number) else None)
        boundaries.append((index, number))
    boundaries.sort()

    owner = [0] * len(items)  # which part each item lies in (0 = preamble)
    for n, (start, number) in enumerate(boundaries):
        end = boundaries[n + 1][0] if n + 1 < len(boundaries) else len(items)
        for i in range(start, end):
            owner[i] = number
    heading_items = {index for index, _ in boundaries}

    paragraphs: list[Paragraph] = []
    table_rows: list[tuple[int, Row]] = []
    counters: dict[int, int] = {}
    for i, item in enumerate(items):
        if i == title_index or i in heading_items:
            continue
        part = owner[i]
        rows = _rows_of(item)
        tabular = isinstance(item, Grid) or (rows and len(rows[0].cells) > 1)
        if part in (2, 3, 4, 0) and rows or tabular:
            table_rows.extend((part, row) for row in rows)
            if tabular or part != 0:
                continue
        if isinstance(item, Line):
            index = counters.get(part, 0)
            counters[part] = index + 1
            paragraphs.append(Paragraph(part, index, clean_cell(item.text), item.src))
    _mark_closing(paragraphs, meta)

    tables: dict[str, Table | None] = {key: None for key in READERS}
    table_rows = join_cell_rows(table_rows)
    regions = split_regions([row for _, row in table_rows])
    part_of_row = {id(row): part for part, row in table_rows}
    for key, rows in regions.items():
        table = READERS[key](rows)
        if not table.cells:
            continue
        table.part = part_of_row.get(id(rows[0]), 0) or TABLE_PART[key]
        tables[key] = table

    document = Document(meta, parts, tables, paragraphs, source, fmt, duplicates,
                        [number for _, number in boundaries])
    _check_readable(document, items, regions)
    return document


def _mark_closing(paragraphs: list[Paragraph], meta) -> None:
    """Signature lines after part 六 (agency name, date) are not part of its content."""
    tail = [p for p in paragraphs if p.part == 6]
    closing = []
    for paragraph in reversed(tail):
        text = paragraph.text
        if len(text) <= 30 and (re.search(r"\d{4}\s*年\s*\d{1,2}\s*月|\d{4}-\d{1,2}-\d{1,2}", text)
                                or (meta.agency and label_key(text) == label_key(meta.agency))
                                or re.search(r"(政府|局|委员会|办公室|中心|办事处|厅|委)$", text)):
            closing.append(paragraph)
        else:
            break
    if len(closing) == len(tail):
        closing = closing[:-1] if closing and not re.search(r"\d{4}\s*年", closing[-1].text) else closing
    for index, paragraph in enumerate(reversed(closing)):
        paragraph.part, paragraph.index = 7, index


def _check_readable(document: Document, items: list[Item], regions) -> None:
    found = [n for n, part in document.parts.items() if part.found]
    if not found and not any(document.tables.values()):
        raise InputError("未识别出年度报告的任何部分或表格：这份文件似乎不是政府信息公开工作年度报告")
    table3 = document.tables.get("table3")
    last_part = max(found, default=0)
    if table3 is not None and last_part <= 3 and regions.get("table3"):
        missing_tail = [k for k in TABLE3_KEYS[-2:] if k not in table3.cells]
        last_item = items[-1]
        ends_in_table = isinstance(last_item, Grid) or bool(split_cells(last_item.text))
        if missing_tail and ends_in_table:
            raise InputError("报告不完整：正文在第三部分的表格中间中断，缺少表格后续各行及第四至六部分")
