"""Render a report *spec* into .txt, .md, .html, .docx or .pdf.

A spec is a dict (usually loaded from JSON) describing one 政府信息公开工作年度报告::

    {"title": "...", "preamble": ["..."],
     "parts": [{"number": 1, "heading": "一、总体情况", "paragraphs": ["..."]},
               {"number": 2, "heading": "二、主动公开政府信息情况", "table": "table2"},
               {"number": 3, "heading": "...", "table": "table3", "paragraphs_after": ["..."]}, ...],
     "closing": ["XX县人民政府办公室", "2024年3月20日"],
     "tables": {"table2": {...}, "table3": {...}, "table4": {...}}}

``tables`` uses the canonical keys of CONTRACT.md.  A cell is an int, a float (fees),
``None`` (an empty cell) or a string printed as written ("/", "—", "无").

Optional keys for realistic variants and defects:

- ``table3_layout``: ``{"omit_rows": [key...], "collapse": ["其他处理"],
  "row_labels": {key: label}, "row_order": [key...]}`` (``row_order`` re-fills the
  positions of the listed rows in the given order).
- ``table4_layout``: ``"flat_line"`` (txt only: the 15 numbers on one line).
- ``table2_layout``: ``"format2019"`` (old trial-format table 2, data from
  ``table2_2019``: ``{row: [values...]}`` with the rows of ``T2_2019_BLOCKS``).
- ``heading_style``: space-separated tokens, a Markdown prefix (``#``, ``##``) or
  ``none``, and a numbering (``一、`` default, ``一.``, ``第一部分``).
- ``html_encoding``: e.g. ``"gbk"`` (default utf-8); ``truncate_at`` (txt/md only):
  the output stops after the first line containing this text.

Output is deterministic (fixed PDF/docx metadata and zip timestamps).

Command line: ``python -m tests.support.render SPEC.json OUT_PATH`` (format from suffix).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import html as _html
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("txt", "md", "html", "docx", "pdf")

APPLICANT_COLS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
T4_GROUPS = ("行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉")
T4_COLS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

RESULT_LABEL = "三、本年度办理结果"
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_T3_RESULT_GROUPS = (
    ("予以公开", "（一）予以公开", ()),
    ("部分公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ()),
    ("不予公开", "（三）不予公开", (
        ("属于国家秘密", "1.属于国家秘密"),
        ("其他法律行政法规禁止公开", "2.其他法律行政法规禁止公开"),
        ("危及三安全一稳定", "3.危及“三安全一稳定”"),
        ("保护第三方合法权益", "4.保护第三方合法权益"),
        ("属于三类内部事务信息", "5.属于三类内部事务信息"),
        ("属于四类过程性信息", "6.属于四类过程性信息"),
        ("属于行政执法案卷", "7.属于行政执法案卷"),
        ("属于行政查询事项", "8.属于行政查询事项"))),
    ("无法提供", "（四）无法提供", (
        ("本机关不掌握相关政府信息", "1.本机关不掌握相关政府信息"),
        ("没有现成信息需要另行制作", "2.没有现成信息需要另行制作"),
        ("补正后申请内容仍不明确", "3.补正后申请内容仍不明确"))),
    ("不予处理", "（五）不予处理", (
        ("信访举报投诉类申请", "1.信访举报投诉类申请"),
        ("重复申请", "2.重复申请"),
        ("要求提供公开出版物", "3.要求提供公开出版物"),
        ("无正当理由大量反复申请", "4.无正当理由大量反复申请"),
        ("要求行政机关确认或重新出具已获取信息", "5.要求行政机关确认或重新出具已获取信息"))),
    ("其他处理", "（六）其他处理", (
        ("申请人无正当理由逾期不补正", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("申请人逾期未按收费通知要求缴纳费用",
         "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("其他", "3.其他"))),
    ("总计", "（七）总计", ()),
)


def _t3_rows():
    rows = [("本年新收", ("一、本年新收政府信息公开申请数量",)),
            ("上年结转", ("二、上年结转政府信息公开申请数量",))]
    for key, label, items in _T3_RESULT_GROUPS:
        if not items:
            rows.append((key, (RESULT_LABEL, label)))
        for item_key, item_label in items:
            rows.append((f"{key}/{item_key}", (RESULT_LABEL, label, item_label)))
    rows.append(("结转下年度继续办理", ("四、结转下年度继续办理",)))
    return tuple(rows)


#: (canonical key, label path) of the 25 data rows of table 3, in template order.
T3_ROWS = _t3_rows()
T3_ROW_KEYS = tuple(key for key, _ in T3_ROWS)
T3_GROUP_LABELS = {key: label for key, label, _ in _T3_RESULT_GROUPS}

#: table 2 of the 2021 format: (block title, columns, rows)
T2_BLOCKS = (
    ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"), ("规章", "行政规范性文件")),
    ("第二十条第（五）项", ("本年处理决定数量",), ("行政许可",)),
    ("第二十条第（六）项", ("本年处理决定数量",), ("行政处罚", "行政强制")),
    ("第二十条第（八）项", ("本年收费金额",), ("行政事业性收费",)),
)
T2_HEADERS = {"本年收费金额": "本年收费金额（单位：万元）"}
#: table 2 of the 2019 trial format (国办公开办函〔2019〕60号)
T2_2019_BLOCKS = (
    ("第二十条第（一）项", ("本年新制作数量", "本年新公开数量", "对外公开总数量"), ("规章", "规范性文件")),
    ("第二十条第（五）项", ("上一年项目数量", "本年增/减", "处理决定数量"), ("行政许可", "其他对外管理服务事项")),
    ("第二十条第（六）项", ("上一年项目数量", "本年增/减", "处理决定数量"), ("行政处罚", "行政强制")),
    ("第二十条第（八）项", ("上一年项目数量", "本年增/减"), ("行政事业性收费",)),
    ("第二十条第（九）项", ("采购项目数量", "采购总金额"), ("政府集中采购",)),
)

_FIXED_TIME = _dt.datetime(2024, 1, 1, 0, 0, 0)
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


# ---------------------------------------------------------------- cells and grids

def cell_text(value) -> str:
    """How a cell value is printed: ints and floats as numbers, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError(f"not a cell value: {value!r}")
    if isinstance(value, float):
        return repr(value)
    return str(value)


def read_cell(value):
    """What a faithful parser reads from a printed cell (numeric strings become numbers)."""
    if isinstance(value, str) and _NUMBER.match(value):
        return float(value) if "." in value else int(value)
    return value


@dataclass
class Grid:
    """A table as a rectangle of texts plus merged ranges ((row, col) -> (rowspan, colspan))."""

    ncols: int
    widths: tuple = ()
    header_rows: int = 0
    flat: bool = False
    rows: list = field(default_factory=list)
    spans: dict = field(default_factory=dict)

    def add_rows(self, n: int = 1) -> int:
        self.rows.extend([""] * self.ncols for _ in range(n))
        return len(self.rows) - n

    def put(self, r: int, c: int, text: str, rs: int = 1, cs: int = 1) -> None:
        self.rows[r][c] = text
        if rs > 1 or cs > 1:
            self.spans[(r, c)] = (rs, cs)

    def covered(self) -> set:
        """Positions hidden under a merged range (not its top-left anchor)."""
        out = set()
        for (r, c), (rs, cs) in self.spans.items():
            out.update((r + i, c + j) for i in range(rs) for j in range(cs))
            out.discard((r, c))
        return out


def _spread(g: Grid, r: int, texts) -> None:
    """Put texts into columns 1.., the last one spanning the remaining columns."""
    for j, text in enumerate(texts):
        last = j == len(texts) - 1
        g.put(r, 1 + j, text, cs=(g.ncols - 1 - j) if last else 1)


def _label_rows(g: Grid, first: int, paths, nlabel: int) -> None:
    """Write hierarchical row labels; equal leading labels of adjacent rows are merged."""
    for i, path in enumerate(paths):
        for level, text in enumerate(path):
            g.put(first + i, level, text, cs=(nlabel - level) if level == len(path) - 1 else 1)
    for level in range(nlabel - 1):
        i = 0
        while i < len(paths):
            j = i
            while (j + 1 < len(paths) and len(paths[i]) > level + 1 and len(paths[j + 1]) > level + 1
                   and paths[j + 1][:level + 1] == paths[i][:level + 1]):
                j += 1
            if j > i:
                g.put(first + i, level, paths[i][level], rs=j - i + 1)
                for k in range(i + 1, j + 1):
                    g.rows[first + k][level] = ""
            i = j + 1


# ---------------------------------------------------------------- the three tables

def _table2_grid(spec: dict):
    if spec.get("table2_layout") == "format2019":
        data, blocks = spec["table2_2019"], T2_2019_BLOCKS
        value = lambda row, j, col: data[row][j]  # noqa: E731
    else:
        data, blocks = spec["tables"].get("table2"), T2_BLOCKS
        value = lambda row, j, col: (data.get(row) or {}).get(col)  # noqa: E731
    if data is None:
        return None
    g = Grid(4, widths=(3, 2, 2, 2))
    for title, cols, rows in blocks:
        r = g.add_rows()
        g.put(r, 0, title, cs=4)
        r = g.add_rows()
        g.put(r, 0, "信息内容")
        _spread(g, r, [T2_HEADERS.get(c, c) for c in cols])
        for row in rows:
            r = g.add_rows()
            g.put(r, 0, row)
            _spread(g, r, [cell_text(value(row, j, c)) for j, c in enumerate(cols)])
    return g


def table3_rows(spec: dict):
    """Rows of table 3 as printed: [(key, label path, [7 values])] after layout options."""
    data = spec["tables"].get("table3")
    if data is None:
        return None
    layout = spec.get("table3_layout") or {}
    rows = [(key, path, [(data.get(key) or {}).get(c) for c in APPLICANT_COLS]) for key, path in T3_ROWS]
    for group in layout.get("collapse", ()):
        idx = [i for i, row in enumerate(rows) if row[0].startswith(group + "/")]
        values = [sum(v for m in idx for v in [rows[m][2][j]] if isinstance(v, (int, float)))
                  for j in range(len(APPLICANT_COLS))]
        rows[idx[0]:idx[-1] + 1] = [(group, (RESULT_LABEL, T3_GROUP_LABELS[group]), values)]
    omit = set(layout.get("omit_rows", ()))
    rows = [row for row in rows if row[0] not in omit]
    labels = layout.get("row_labels", {})
    rows = [(key, path[:-1] + (labels[key],) if key in labels else path, values)
            for key, path, values in rows]
    order = layout.get("row_order")
    if order:
        pos = [i for i, row in enumerate(rows) if row[0] in order]
        by_key = {row[0]: row for row in rows}
        for i, key in zip(pos, order):
            rows[i] = by_key[key]
    return rows


def _table3_grid(spec: dict):
    rows = table3_rows(spec)
    if rows is None:
        return None
    g = Grid(10, widths=(1.3, 2.0, 5.6) + (1.2,) * 7, header_rows=3)
    g.add_rows(3)
    g.put(0, 0, T3_NOTE, rs=3, cs=3)
    g.put(0, 3, "申请人情况", cs=7)
    g.put(1, 3, "自然人", rs=2)
    g.put(1, 4, "法人或其他组织", cs=5)
    g.put(1, 9, "总计", rs=2)
    for j, name in enumerate(APPLICANT_COLS[1:6]):
        g.put(2, 4 + j, name)
    first = g.add_rows(len(rows))
    _label_rows(g, first, [path for _, path, _ in rows], 3)
    for i, (_, _, values) in enumerate(rows):
        for j, v in enumerate(values):
            g.put(first + i, 3 + j, cell_text(v))
    return g


def _table4_grid(spec: dict, fmt: str):
    data = spec["tables"].get("table4")
    if data is None:
        return None
    g = Grid(15, widths=(1,) * 15, header_rows=3,
             flat=fmt == "txt" and spec.get("table4_layout") == "flat_line")
    g.add_rows(4)
    g.put(0, 0, "行政复议", cs=5)
    g.put(0, 5, "行政诉讼", cs=10)
    for j, col in enumerate(T4_COLS):
        g.put(1, j, col, rs=2)
    g.put(1, 5, "未经复议直接起诉", cs=5)
    g.put(1, 10, "复议后起诉", cs=5)
    for j, col in enumerate(T4_COLS * 2):
        g.put(2, 5 + j, col)
    for gi, group in enumerate(T4_GROUPS):
        for j, col in enumerate(T4_COLS):
            g.put(3, gi * 5 + j, cell_text((data.get(group) or {}).get(col)))
    return g


def parsed_tables(spec: dict) -> dict:
    """The tables a faithful parser reads from the rendered document.

    Rows absent from the document or only present as a collapsed group row are null;
    numeric strings are numbers; an old 2019 table 2 yields only the decision counts.
    (``truncate_at`` is not taken into account.)
    """
    tables = spec["tables"]
    out = {"table2": None, "table3": None, "table4": None}
    if spec.get("table2_layout") == "format2019":
        old = spec["table2_2019"]
        out["table2"] = {
            "规章": dict.fromkeys(T2_BLOCKS[0][1]), "行政规范性文件": dict.fromkeys(T2_BLOCKS[0][1]),
            **{row: {"本年处理决定数量": read_cell(old[row][2])} for row in ("行政许可", "行政处罚", "行政强制")},
            "行政事业性收费": {"本年收费金额": None}}
    elif tables.get("table2") is not None:
        out["table2"] = {row: {c: read_cell((tables["table2"].get(row) or {}).get(c)) for c in cols}
                         for _, cols, rows in T2_BLOCKS for row in rows}
    rows = table3_rows(spec)
    if rows is not None:
        printed = {key: values for key, _, values in rows}
        out["table3"] = {key: dict(zip(APPLICANT_COLS, (read_cell(v) for v in printed.get(key, [None] * 7))))
                         for key in T3_ROW_KEYS}
    if tables.get("table4") is not None:
        out["table4"] = {group: {c: read_cell((tables["table4"].get(group) or {}).get(c)) for c in T4_COLS}
                         for group in T4_GROUPS}
    return out


# ---------------------------------------------------------------- document blocks

_CN_NUM = "一二三四五六七八九十"


def _heading_style(spec: dict, fmt: str):
    tokens = (spec.get("heading_style") or "").split()
    prefix = next((t for t in tokens if set(t) == {"#"}), None)
    if "none" in tokens:
        prefix = ""
    if prefix is None:
        prefix = "##" if fmt == "md" else ""
    numbering = next((t for t in tokens if t in ("一、", "一.", "第一部分")), "一、")
    return prefix, numbering


def _heading_text(heading: str, numbering: str) -> str:
    m = re.match(rf"^([{_CN_NUM}]+)、\s*(.*)$", heading)
    if not m or numbering == "一、":
        return heading
    if numbering == "一.":
        return f"{m.group(1)}.{m.group(2)}"
    return f"第{m.group(1)}部分 {m.group(2)}"


def build_blocks(spec: dict, fmt: str):
    """The document as a list of (kind, content): title, para, heading, table, closing."""
    _, numbering = _heading_style(spec, fmt)
    builders = {"table2": _table2_grid, "table3": _table3_grid,
                "table4": lambda s: _table4_grid(s, fmt)}
    blocks = [("title", spec["title"])]
    blocks += [("para", p) for p in spec.get("preamble", ())]
    for part in spec["parts"]:
        blocks.append(("heading", _heading_text(part["heading"], numbering)))
        blocks += [("para", p) for p in part.get("paragraphs", ())]
        grid = builders[part["table"]](spec) if part.get("table") else None
        if grid is not None:
            blocks.append(("table", grid))
        blocks += [("para", p) for p in part.get("paragraphs_after", ())]
    if spec.get("closing"):
        blocks.append(("closing", list(spec["closing"])))
    return blocks


# ---------------------------------------------------------------- writers

def _table_lines_text(g: Grid, md: bool):
    if md:
        lines = ["| " + " | ".join(t or " " for t in row) + " |" for row in g.rows]
        return [lines[0], "|" + "---|" * g.ncols] + lines[1:]
    if g.flat:
        return ["\t".join(row) for row in g.rows[:g.header_rows]] + \
               [" ".join(row) for row in g.rows[g.header_rows:]]
    return ["\t".join(row) for row in g.rows]


def _render_text(spec: dict, fmt: str) -> str:
    prefix, _ = _heading_style(spec, fmt)
    title_prefix = "# " if prefix else ""
    out = []
    for kind, x in build_blocks(spec, fmt):
        if kind == "title":
            out.append(title_prefix + x)
        elif kind == "heading":
            out.append(f"{prefix} {x}" if prefix else x)
        elif kind == "table":
            out.append("\n".join(_table_lines_text(x, fmt == "md")))
        elif kind == "closing":
            out.append("\n".join(x))
        else:
            out.append(x)
    text = "\n\n".join(out) + "\n"
    cut = spec.get("truncate_at")
    if cut:
        start = text.index(cut)
        text = text[:text.index("\n", start) + 1]
    return text


def _render_html(spec: dict, encoding: str) -> bytes:
    esc = _html.escape
    if encoding.lower().replace("-", "") == "utf8":
        meta = '<meta charset="utf-8">'
    else:
        meta = f'<meta http-equiv="Content-Type" content="text/html; charset={encoding.upper()}">'
    body = []
    for kind, x in build_blocks(spec, "html"):
        if kind == "title":
            body.append(f"<h1>{esc(x)}</h1>")
        elif kind == "heading":
            body.append(f"<h2>{esc(x)}</h2>")
        elif kind == "closing":
            body.append('<p style="text-align:right">' + "<br>".join(map(esc, x)) + "</p>")
        elif kind == "table":
            body.append(_html_table(x))
        else:
            body.append(f"<p>{esc(x)}</p>")
    doc = ["<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", meta,
           f"<title>{esc(spec['title'])}</title>", "</head>", "<body>", *body, "</body>", "</html>", ""]
    return "\n".join(doc).encode(encoding)


def _html_table(g: Grid) -> str:
    covered = g.covered()
    lines = ['<table border="1" cellspacing="0" cellpadding="4">']
    for r, row in enumerate(g.rows):
        if r == 0 and g.header_rows:
            lines.append("<thead>")
        if r == g.header_rows:
            lines.append("<tbody>")
        tag = "th" if r < g.header_rows else "td"
        cells = []
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            rs, cs = g.spans.get((r, c), (1, 1))
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            cells.append(f"<{tag}{attrs}>{_html.escape(text)}</{tag}>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
        if r == g.header_rows - 1:
            lines.append("</thead>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def _write_docx(spec: dict, path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")

    def para(text, size=None, bold=False, align=None, indent=False):
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(24)
        return p

    for kind, x in build_blocks(spec, "docx"):
        if kind == "title":
            para(x, size=16, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        elif kind == "heading":
            para(x, bold=True)
        elif kind == "closing":
            for line in x:
                para(line, align=WD_ALIGN_PARAGRAPH.RIGHT)
        elif kind == "table":
            _docx_table(doc, x, Pt(9))
        else:
            para(x, indent=True)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = spec["title"], "", ""
    props.created = props.modified = props.last_printed = _FIXED_TIME
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    _rezip(buf.getvalue(), path)


def _docx_table(doc, g: Grid, size) -> None:
    table = doc.add_table(rows=len(g.rows), cols=g.ncols)
    table.style = "Table Grid"
    for (r, c), (rs, cs) in g.spans.items():
        table.cell(r, c).merge(table.cell(r + rs - 1, c + cs - 1))
    covered = g.covered()
    for r, row in enumerate(g.rows):
        for c, text in enumerate(row):
            if text and (r, c) not in covered:
                table.cell(r, c).paragraphs[0].add_run(text).font.size = size


def _rezip(data: bytes, path: Path) -> None:
    """Rewrite a zip with fixed timestamps so that the bytes are reproducible."""
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))


_PDF_FONT = "STSong-Light"


def _write_pdf(spec: dict, path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Table, TableStyle

    if _PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_PDF_FONT))
    base = ParagraphStyle("body", fontName=_PDF_FONT, fontSize=10.5, leading=17, wordWrap="CJK",
                          firstLineIndent=21, spaceAfter=4)
    styles = {
        "title": ParagraphStyle("title", base, fontSize=16, leading=24, alignment=TA_CENTER,
                                firstLineIndent=0, spaceAfter=12),
        "heading": ParagraphStyle("heading", base, fontSize=12, leading=20, firstLineIndent=0,
                                  spaceBefore=6, keepWithNext=1),
        "para": base,
        "closing": ParagraphStyle("closing", base, alignment=TA_RIGHT, firstLineIndent=0, spaceAfter=0),
        "cell": ParagraphStyle("cell", base, fontSize=7, leading=9, firstLineIndent=0, spaceAfter=0),
        "num": ParagraphStyle("num", base, fontSize=7, leading=9, firstLineIndent=0, spaceAfter=0,
                              alignment=TA_CENTER),
    }
    esc = _html.escape
    width = A4[0] - 36 * mm
    story = []
    for kind, x in build_blocks(spec, "pdf"):
        if kind == "table":
            cell = lambda t: Paragraph(esc(t), styles["num" if _NUMBER.match(t) else "cell"]) if t else ""  # noqa: E731
            data = [[cell(t) for t in row] for row in x.rows]
            total = sum(x.widths)
            table = Table(data, colWidths=[width * w / total for w in x.widths], repeatRows=0)
            commands = [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]
            commands += [("SPAN", (c, r), (c + cs - 1, r + rs - 1)) for (r, c), (rs, cs) in x.spans.items()]
            table.setStyle(TableStyle(commands))
            story.append(KeepTogether([table]))
        elif kind == "closing":
            story += [Paragraph(esc(line), styles["closing"]) for line in x]
        else:
            story.append(Paragraph(esc(x), styles[kind]))
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=20 * mm, bottomMargin=20 * mm, invariant=1,
                            title=spec["title"], author="", subject="", creator="")
    doc.build(story)


# ---------------------------------------------------------------- entry points

def render(spec: dict, fmt: str, path, html_encoding: str | None = None) -> Path:
    """Render ``spec`` as ``fmt`` (txt|md|html|docx|pdf) into ``path``; return the path."""
    fmt = {"htm": "html", "markdown": "md"}.get(fmt, fmt)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if spec.get("truncate_at") and fmt not in ("txt", "md"):
        raise ValueError("truncate_at is supported for txt and md only")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt in ("txt", "md"):
        path.write_bytes(_render_text(spec, fmt).encode("utf-8"))
    elif fmt == "html":
        path.write_bytes(_render_html(spec, html_encoding or spec.get("html_encoding") or "utf-8"))
    elif fmt == "docx":
        _write_docx(spec, path)
    else:
        _write_pdf(spec, path)
    return path


def load_spec(path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.support.render",
                                 description="Render a report spec (JSON) to txt, md, html, docx or pdf.")
    ap.add_argument("spec", help="spec JSON file")
    ap.add_argument("out", help="output path; the format comes from its suffix")
    ap.add_argument("--html-encoding", help="encoding of HTML output (default utf-8, e.g. gbk)")
    args = ap.parse_args(argv)
    try:
        out = render(load_spec(args.spec), Path(args.out).suffix.lstrip(".").lower(), args.out,
                     html_encoding=args.html_encoding)
    except (OSError, ValueError) as exc:
        ap.error(str(exc))
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
