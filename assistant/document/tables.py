"""Recognise tables 2, 3 and 4 from rows of cells by their labels.

Rows come from explicit grids (HTML, Word, PDF) or from text lines split into cells. A
row's leading text cells are its label and the cells after them its values. Values are
mapped to columns by the header labels when the header can be read, otherwise in the
template's order. Anything that does not fit the template is recorded as a `TableIssue`
instead of being shifted onto a neighbouring key.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from .model import Cell, OcrText, Table, TableIssue
from .normalize import clean_cell, is_value_text, label_key, nfkc, parse_value, strip_numbering
from .schema import (
    TABLE2_2019_FRAGMENTS,
    TABLE2_COLUMN_FRAGMENTS,
    TABLE2_ROWS,
    TABLE3_COLUMNS,
    TABLE3_GROUPS,
    TABLE3_KEYS,
    TABLE3_ROWS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
)


@dataclass
class Row:
    cells: list[str]
    src: str

    def __post_init__(self) -> None:
        self._split: tuple[list[str], list[str]] | None = None
        self._texts: list[str] | None = None

    @property
    def first_value(self) -> int | None:
        for i, cell in enumerate(self.cells):
            if is_value_text(cell):
                return i
        return None

    def split(self) -> tuple[list[str], list[str]]:
        """(label cells, value cells): labels end at the last text cell before any value."""
        if self._split is None:
            self._split = self._compute_split()
        return self._split

    def _compute_split(self) -> tuple[list[str], list[str]]:
        stop = self.first_value
        head = self.cells if stop is None else self.cells[:stop]
        last_label = max((i for i, c in enumerate(head) if clean_cell(c)), default=-1)
        labels = [clean_cell(c) for c in self.cells[:last_label + 1] if clean_cell(c)]
        return labels, [_clean_value(c) for c in self.cells[last_label + 1:]]

    def texts(self) -> list[str]:
        if self._texts is None:
            self._texts = [text for text in map(clean_cell, self.cells) if text]
        return self._texts


def _clean_value(text: str) -> str:
    """A value cell cleaned; text read by OCR keeps its confidence."""
    cleaned = clean_cell(text)
    return OcrText(cleaned, text.confidence) if isinstance(text, OcrText) else cleaned


def _cell(raw: str, src: str) -> Cell:
    return Cell(str(raw), parse_value(raw), src, getattr(raw, "confidence", None))


def _fit(values: list[str], width: int) -> tuple[list[str], bool]:
    """Right-align a value region to `width` cells; report whether it had to be padded."""
    values = list(values)
    while len(values) > width and not values[0]:
        values.pop(0)
    while len(values) > width and not values[-1]:
        values.pop()
    short = len(values) < width
    return (values + [""] * width)[:width], short


def _unique_dedup(texts: list[str]) -> list[str]:
    """Merged cells repeat their text across a grid row; keep one of each in order."""
    out: list[str] = []
    for text in texts:
        if not out or out[-1] != text:
            out.append(text)
    return out


def join_cell_rows(rows: list[tuple[int, Row]]) -> list[tuple[int, Row]]:
    """(part, row) pairs with the rows of a table copied one cell per line put back together.

    A web page's table pasted as plain paragraphs (no bars, no tabs) gives a line per cell: a
    row label, then each of its values on a line of its own. A label on a line of its own takes
    the one-value lines that follow it, up to the next label; a line that already held several
    cells is never extended.
    """
    out: list[tuple[int, Row]] = []
    open_row = False  # the last row is a lone label, or one rebuilt here from lone cells
    for part, row in rows:
        lone = len(row.cells) == 1
        if lone and open_row and is_value_text(row.cells[0]):
            last_part, last = out[-1]
            out[-1] = (last_part, Row(last.cells + row.cells, last.src))
            continue
        out.append((part, row))
        open_row = lone and bool(clean_cell(row.cells[0])) and not is_value_text(row.cells[0])
    return out


# ---------------------------------------------------------------- anchors

def _is_table2_anchor(row: Row) -> bool:
    text = label_key("".join(row.texts()))
    return "第二十条" in text or any(label_key(t) in ("规章", "行政规范性文件") for t in row.texts())


def _is_table3_anchor(row: Row) -> bool:
    text = label_key("".join(row.texts()))
    return "申请人情况" in text or "自然人" in text or "本年新收" in text


def _is_table4_anchor(row: Row) -> bool:
    texts = [label_key(t) for t in row.texts()]
    results = {t for t in texts if t in ("结果维持", "结果纠正", "其他结果", "尚未审结")}
    return any(t == "行政复议" for t in texts) or len(results) >= 3 or (
        any("行政诉讼" in t for t in texts) and any("复议" in t for t in texts))


ANCHORS = {"table2": _is_table2_anchor, "table3": _is_table3_anchor, "table4": _is_table4_anchor}


def split_regions(rows: list[Row]) -> dict[str, list[Row]]:
    """Cut the row stream at the first anchor of each table."""
    starts = {}
    for key, test in ANCHORS.items():
        for i, row in enumerate(rows):
            if test(row) and i not in starts.values():
                starts[key] = i
                break
    ordered = sorted(starts.items(), key=lambda kv: kv[1])
    regions = {}
    for n, (key, start) in enumerate(ordered):
        end = ordered[n + 1][1] if n + 1 < len(ordered) else len(rows)
        regions[key] = rows[start:end]
    return regions


# ---------------------------------------------------------------- table 3

def _table3_columns(header_rows: list[Row], table: Table) -> list[str]:
    """Column order from the header; the template's order when positions cannot be read.

    Cell positions only line up in grids and tab-separated text; in space-aligned text the
    header's cells do not sit over their columns, so a complete header there means the
    template's order.
    """
    found: dict[int, str] = {}
    names: set[str] = set()
    for row in header_rows:
        for j, text in enumerate(row.cells):
            key = label_key(text)
            for col in TABLE3_COLUMNS:
                if key == col or (col == "其他" and key == "其他组织"):
                    found.setdefault(j, col)
                    names.add(col)
    order = [found[j] for j in sorted(found)]
    if len(order) == 7 and set(order) == set(TABLE3_COLUMNS):
        return order
    # a header whose cells arrived joined or broken ("自然人 法人或其他组织 总计" / "商业" "企业")
    joined = "".join(label_key(t) for row in header_rows for t in row.cells).replace("法人或其他组织", "")
    names |= {c for c in TABLE3_COLUMNS if c in joined}
    words = [" ".join(row.texts()).split() for row in header_rows]
    for upper, lower in zip(words, words[1:]):  # names printed in two lines ("商业 科研" / "企业 机构")
        names |= {c for c in TABLE3_COLUMNS if c in {a + b for a, b in zip(upper, lower)}}
    missing = [c for c in TABLE3_COLUMNS if c not in names]
    if header_rows and missing:
        table.issues.append(TableIssue("missing_column", column="、".join(missing),
                                       detail="表头缺少或改动了列名，按模板顺序读取"))
    return list(TABLE3_COLUMNS)


@lru_cache(maxsize=4096)
def _match_table3(labels: tuple[str, ...], group: str | None) -> tuple[str | None, str | None]:
    """(row key, group named in this row) for a row's label cells (cached: the same labels recur in
    every report)."""
    combined = label_key("".join(_unique_dedup(labels)))
    row_group = None
    for name in TABLE3_GROUPS:
        if name in combined:
            row_group = name
    last = label_key(strip_numbering(labels[-1])) if labels else ""
    hits = [spec for spec in TABLE3_ROWS if any(f in combined for f in spec.fragments)]
    if len(hits) > 1:
        in_last = [spec for spec in hits if any(f in last for f in spec.fragments)]
        hits = in_last or hits
    if hits:
        return max(hits, key=lambda s: max(len(f) for f in s.fragments)).key, row_group
    if last == "其他" and (row_group or group) == "其他处理":
        return "其他处理/其他", row_group
    return None, row_group


_HEADER_STEMS = {"商业", "科研", "社会公益", "法律服务", "企业", "机构", "组织"}  # halves of broken column names


def _is_table3_header(labels: list[str]) -> bool:
    keys = {label_key(t) for t in labels}
    joined = "".join(keys)  # a header whose cells arrived as one line ("自然人 法人或其他组织 总计")
    return len(keys & set(TABLE3_COLUMNS)) >= 2 or any("申请人情况" in k or "勾稽" in k for k in keys) or \
        sum(name in joined for name in ("自然人", "法人或其他组织", "商业", "科研", "公益", "法律服务", "企业", "机构",
                                        "总计")) >= 2


def read_table3(rows: list[Row]) -> Table:
    table = Table("table3", src=rows[0].src if rows else "")
    headers, data = [], []
    pending: tuple[list[str], Row] | None = None
    for row in rows:
        labels, values = row.split()
        has_values = any(values)
        if not has_values and labels and ((_is_table3_header(labels) or label_key(labels[-1]) in _HEADER_STEMS) and not data
                                          or label_key(labels[-1]) in TABLE3_COLUMNS):
            headers.append(row)  # a column name on a line of its own is part of the header, not a row
            continue
        if pending and not labels and has_values:
            data.append((pending[0], values, pending[1]))  # label line followed by its numbers
            pending = None
            continue
        if pending:
            data.append((pending[0], [], pending[1]))
            pending = None
        if labels and not has_values:
            pending = (labels, row)
        elif labels or has_values:
            data.append((labels, values, row))
    if pending:
        data.append((pending[0], [], pending[1]))

    columns = _table3_columns(headers, table)
    group: str | None = None
    seen: list[tuple[int, str]] = []  # (position in the table, key)
    unmatched: list[tuple[int, list[str], list[str], Row]] = []
    group_rows: dict[str, tuple[list[str], Row]] = {}
    for position, (labels, values, row) in enumerate(data):
        key, row_group = _match_table3(tuple(labels), group)
        group = row_group or (key and next((s.group for s in TABLE3_ROWS if s.key == key), None)) or group
        if key is None:
            if not any(values):
                continue  # a group caption such as （三）不予公开 or 三、本年度办理结果
            if row_group and label_key(strip_numbering(labels[-1])) == row_group:
                group_rows[row_group] = (values, row)
                continue
            unmatched.append((position, labels, values, row))
            continue
        if key in table.cells:
            table.issues.append(TableIssue("duplicate_row", row=key, detail=f"{row.src} 重复出现"))
            continue
        _store(table, key, values, columns, row)
        seen.append((position, key))

    for position, labels, values, row in unmatched:
        guess = _guess_row(labels, [k for k in TABLE3_KEYS if k not in table.cells])
        text = "".join(_unique_dedup(labels)) or "（无行名）"
        if guess:
            _store(table, guess, values, columns, row)
            seen.append((position, guess))
            table.issues.append(TableIssue("garbled_label", row=guess, detail=f"行名“{text}”与模板不符（{row.src}）"))
        else:
            table.issues.append(TableIssue("garbled_label", row=None, detail=f"无法识别的行“{text}”（{row.src}）"))

    for name, (values, row) in group_rows.items():
        if not any(k.startswith(name + "/") for k in table.cells):
            table.issues.append(TableIssue("collapsed_row", row=name,
                                           detail=f"{TABLE3_GROUPS[name]}只填了一行，未分列各子项（{row.src}）"))
            fitted, _ = _fit(values, len(columns))
            table.extra[name] = {col: _cell(raw, f"{row.src}·{col}") for col, raw in zip(columns, fitted)}
    collapsed = {i.row for i in table.issues if i.kind == "collapsed_row"}
    for key in TABLE3_KEYS:
        if key not in table.cells and key.split("/")[0] not in collapsed:
            table.issues.append(TableIssue("missing_row", row=key))
    order = [key for _, key in sorted(seen)]
    if order != sorted(order, key=TABLE3_KEYS.index):
        first = next(key for key, standard in zip(order, sorted(order, key=TABLE3_KEYS.index)) if key != standard)
        table.issues.append(TableIssue("reordered_rows", row=first, detail="行的顺序与模板不一致"))
    return table


def _guess_row(labels: list[str], candidates: list[str]) -> str | None:
    """The template row a garbled label most resembles, when the resemblance is clear."""
    if not labels:
        return None
    text = label_key(strip_numbering(labels[-1]))
    scored = []
    for key in candidates:
        spec = next(s for s in TABLE3_ROWS if s.key == key)
        standard = label_key(strip_numbering(spec.label))
        scored.append((difflib.SequenceMatcher(None, text, standard).ratio(), key))
    scored.sort(reverse=True)
    if scored and scored[0][0] >= 0.6 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 0.15):
        return scored[0][1]
    return None


def unglue(values: list[str], width: int) -> list[str] | None:
    """A table-3 row whose cells lost their separators in a web copy ("0000000"): one digit per
    cell, when the row holds a single run of exactly `width` digits whose last digit is the sum
    of the others (the 总计 column); else None. A count of a million or more in one cell would
    need that same coincidence, so the split is safe to make."""
    filled = [v for v in values if v]
    if len(filled) != 1 or not re.fullmatch(r"\d+", nfkc(filled[0])) or len(filled[0]) != width or width < 3:
        return None
    digits = [int(d) for d in nfkc(filled[0])]
    return [str(d) for d in digits] if sum(digits[:-1]) == digits[-1] else None


def _store(table: Table, key: str, values: list[str], columns: list[str], row: Row) -> None:
    split = unglue(values, len(columns)) if table.key == "table3" else None
    if split:
        table.issues.append(TableIssue("glued_cells", row=key, detail=f"“{next(v for v in values if v)}”（{row.src}）"))
        values = split
    fitted, short = _fit(values, len(columns))
    if short and any(values):
        table.issues.append(TableIssue("short_row", row=key, detail=f"只有 {len([v for v in values if v])} 个数值（{row.src}）"))
    table.cells[key] = {col: _cell(raw, f"{row.src}·{col}") for col, raw in zip(columns, fitted)}


# ---------------------------------------------------------------- table 4

_T4_LEAVES = (("结果维持", ("维持",)), ("结果纠正", ("纠正",)), ("其他结果", ("其他",)),
              ("尚未审结", ("尚未", "未审结")), ("总计", ("总计", "合计")))


def _t4_leaf(text: str) -> str | None:
    key = label_key(text)
    for leaf, fragments in _T4_LEAVES:
        if any(f in key for f in fragments) and len(key) <= 6:
            return leaf
    return None


def _t4_group(text: str) -> str | None:
    key = label_key(text)
    if "未经复议" in key or "直接起诉" in key:
        return "行政诉讼/未经复议直接起诉"
    if "复议后" in key:
        return "行政诉讼/复议后起诉"
    if key == "行政复议":
        return "行政复议"
    if key == "行政诉讼":
        return "行政诉讼"
    return None


def _t4_header_map(headers: list[Row], start: int) -> list[tuple[str, str]] | None:
    groups: dict[int, list[str]] = {}
    leaves: dict[int, str] = {}
    for row in headers:
        current = None
        for j, text in enumerate(row.cells):
            group = _t4_group(text) if text.strip() else None
            current = group or current
            if current:
                groups.setdefault(j, []).append(current)
            leaf = _t4_leaf(text) if text.strip() else None
            if leaf:
                leaves.setdefault(j, leaf)
    mapping = []
    for j in range(start, start + 15):
        specific = [g for g in groups.get(j, []) if g != "行政诉讼"]
        if j not in leaves or not specific:
            return None
        mapping.append((specific[-1], leaves[j]))
    if len(set(mapping)) != 15:
        return None
    return mapping


def read_table4(rows: list[Row]) -> Table:
    table = Table("table4", src=rows[0].src if rows else "")
    headers: list[Row] = []
    canonical = [(g, c) for g in TABLE4_GROUPS for c in TABLE4_COLUMNS]
    # Case 1: one row of fifteen values (possibly wrapped over consecutive value-only rows).
    for n, row in enumerate(rows):
        labels, values = row.split()
        if not any(values):
            headers.append(row)
            continue
        start = len(row.cells) - len(values)
        if len([v for v in values if v]) < 15 and not labels:
            buffered = list(values)
            for nxt in rows[n + 1:]:
                more_labels, more = nxt.split()
                if more_labels or not any(more):
                    break
                buffered += more
            if len([v for v in buffered if v]) >= 15:
                values, start = [v for v in buffered if v], None
        fitted, short = _fit(values, 15)
        if len([v for v in values if v]) >= 10 or (not labels and len(values) >= 15):
            mapping = _t4_header_map(headers, start + len(values) - 15) if start is not None and not short else None
            if short:
                table.issues.append(TableIssue("short_row", detail=f"表四只有 {len([v for v in values if v])} 个数值（{row.src}）"))
            for (group, col), raw in zip(mapping or canonical, fitted):
                table.cells.setdefault(group, {})[col] = _cell(raw, f"{row.src}·{group}·{col}")
            break
        # Case 2: one row per group with five values each.
        group = next((g for g in map(_t4_group, labels) if g and g != "行政诉讼"), None)
        if group and group not in table.cells:
            leaves = [leaf for leaf in (_t4_leaf(t) for h in headers for t in h.cells) if leaf][:5]
            cols = leaves if sorted(leaves) == sorted(TABLE4_COLUMNS) else list(TABLE4_COLUMNS)
            fitted5, _ = _fit(values, 5)
            table.cells[group] = {c: _cell(raw, f"{row.src}·{group}·{c}") for c, raw in zip(cols, fitted5)}
    for group in TABLE4_GROUPS:
        if group not in table.cells:
            table.issues.append(TableIssue("missing_row", row=group))
    return table


# ---------------------------------------------------------------- table 2

def _t2_row(labels: list[str]) -> str | None:
    for text in reversed(labels):
        key = label_key(text)
        if key == "规章" or (key.endswith("规章") and "规范" not in key and len(key) <= 6):
            return "规章"
        if "规范性文件" in key:
            return "行政规范性文件"
        for name in ("行政许可", "行政处罚", "行政强制"):
            if name in key:
                return name
        if "收费" in key and "金额" not in key:
            return "行政事业性收费"
    return None


def read_table2(rows: list[Row]) -> Table:
    table = Table("table2", src=rows[0].src if rows else "")
    columns: dict[int, str] | None = None  # cell position -> column key, from the latest header row
    for row in rows:
        labels, values = row.split()
        joined = label_key("".join(row.texts()))
        old_block = "第二十条第九项" in joined  # the 2019 format had a 政府集中采购 block
        if old_block or (not any(values) and any(f in joined for f in TABLE2_2019_FRAGMENTS)):
            if not any(i.kind == "format2019" for i in table.issues):
                table.issues.append(TableIssue("format2019", detail=f"表二使用 2019 年试行格式的列（{row.src}）"))
        header = {}
        for j, text in enumerate(row.cells):
            key = label_key(text)
            for col, fragments in TABLE2_COLUMN_FRAGMENTS.items():
                if any(f in key for f in fragments) and col not in header.values():
                    header[j] = col
                    table.headers[col] = clean_cell(text)
                    break
        if not any(values) and (header or "信息内容" in joined or old_block):
            # a header read as one cell ("信息内容 本年制发件数 …" with single spaces) gives no positions
            columns = header if len(row.texts()) > 1 else None
            continue
        name = _t2_row(labels)
        if name is None or name in table.cells:
            continue
        expected = TABLE2_ROWS[name][1]
        mapped = {col: row.cells[j] for j, col in (columns or {}).items() if col in expected and j < len(row.cells)}
        if columns is not None and not mapped:
            continue  # values under columns the 2021 format does not have (2019 trial format)
        if columns is None:  # no header seen: the template's order
            first = len(row.cells) - len(values)
            mapped = {col: row.cells[first + k] for k, col in enumerate(expected) if first + k < len(row.cells)}
        table.cells[name] = {c: _cell(mapped.get(c, ""), f"{row.src}·{c}") for c in expected}
    for name in TABLE2_ROWS:
        if name not in table.cells:
            table.issues.append(TableIssue("missing_row", row=name))
    return table


READERS = {"table2": read_table2, "table3": read_table3, "table4": read_table4}


def table_to_json(table: Table | None) -> dict | None:
    if table is None:
        return None
    if table.key == "table2":
        layout = {name: cols for name, (_, cols) in TABLE2_ROWS.items()}
    elif table.key == "table3":
        layout = {key: TABLE3_COLUMNS for key in TABLE3_KEYS}
    else:
        layout = {group: TABLE4_COLUMNS for group in TABLE4_GROUPS}
    return {row: {col: table.value(row, col) for col in cols} for row, cols in layout.items()}
