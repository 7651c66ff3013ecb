"""The parsed report: metadata, six parts, paragraphs and tables 2/3/4.

Loaders turn every file format into a flat sequence of `Line`s and `Grid`s (the
intermediate form); the parser turns that into a `Document`. Every value keeps its raw
text and where it came from, so findings can point at it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

Value = int | float | str | None


class OcrText(str):
    """Text read by OCR, carrying its recognition confidence (0–1) through the table reader."""

    confidence: float

    def __new__(cls, text: str, confidence: float):
        obj = super().__new__(cls, text)
        obj.confidence = confidence
        return obj

    def __reduce__(self):
        return OcrText, (str(self), self.confidence)


@dataclass
class Line:
    """A line or paragraph of running text, as the source gives it."""

    text: str
    src: str  # e.g. "第12行", "第3段", "第2页"


@dataclass
class Grid:
    """An explicit table (HTML, Word, ruled PDF) with merged cells expanded."""

    rows: list[list[str]]
    src: str


Item = Line | Grid


@dataclass
class Cell:
    raw: str
    value: Value
    src: str
    confidence: float | None = None  # OCR recognition confidence; None when the text was not OCR'd


@dataclass
class TableIssue:
    """A structural deviation from the template, kept for rule T202 and friends."""

    kind: str  # missing_row | collapsed_row | garbled_label | reordered_rows | extra_row |
    #            short_row | missing_column | format2019
    row: str | None = None
    column: str | None = None
    detail: str = ""


@dataclass
class Table:
    key: str  # table2 | table3 | table4
    cells: dict[str, dict[str, Cell]] = field(default_factory=dict)
    issues: list[TableIssue] = field(default_factory=list)
    src: str = ""
    part: int | None = None
    headers: dict[str, str] = field(default_factory=dict)  # column key -> header text as written
    extra: dict[str, dict[str, Cell]] = field(default_factory=dict)  # collapsed group rows by group name

    def value(self, row: str, col: str) -> Value:
        cell = self.cells.get(row, {}).get(col)
        return None if cell is None else cell.value

    def cell(self, row: str, col: str) -> Cell | None:
        return self.cells.get(row, {}).get(col)


@dataclass
class Paragraph:
    part: int  # 0 = preamble (before part 一), 7 = closing lines after part 六
    index: int
    text: str
    src: str


@dataclass
class Part:
    number: int
    heading: str
    found: bool
    src: str = ""
    written_number: int | None = None  # the numeral as printed, when it differs
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass
class Meta:
    title: str = ""
    agency: str = ""
    agency_kind: str = "other"  # government | department | other
    level: str | None = None  # province | city | county | township
    year: int | None = None
    date: str | None = None  # publication date found in the document (ISO)
    date_src: str = ""


@dataclass
class Document:
    meta: Meta
    parts: dict[int, Part]
    tables: dict[str, Table | None]
    paragraphs: list[Paragraph]
    source: str = ""  # file name or "-"
    fmt: str = "txt"
    duplicate_parts: list[int] = field(default_factory=list)
    part_order: list[int] = field(default_factory=list)  # part numbers in document order
    ocr: dict | None = None  # {"pages": n, "mean_confidence": x} when pages were read by OCR

    def part_paragraphs(self, number: int) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.part == number]

    def part_text(self, number: int) -> str:
        return "\n".join(p.text for p in self.part_paragraphs(number))
