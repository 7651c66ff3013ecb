"""What every rule shares: the finding it yields, the context it reads, small helpers.

A rule is a class with an ID, a severity, a title, a citation and a docstring that is its
user-facing documentation, in Chinese, with the sections 说明 (what), 原因 (why), 反例 (a bad
example) and 正例 (a good example). `explain` and the knowledge base print that
docstring, so the documentation cannot drift from the code.
"""
from __future__ import annotations

import inspect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..document.model import Cell, Document, Table
from ..document.schema import PART_TITLES, TABLE_NAMES, part_label

SEVERITIES = ("error", "warning", "info")
FAMILIES = {"S": "结构", "T": "表格", "C": "一致性", "N": "内容", "P": "发布"}


@dataclass
class Finding:
    rule: str
    severity: str
    message: str
    location: dict
    citation: str
    suggestion: str
    evidence: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        data = {"rule": self.rule, "severity": self.severity, "message": self.message,
                "location": self.location, "citation": self.citation, "suggestion": self.suggestion}
        if self.evidence:
            data["evidence"] = self.evidence
        return data


@dataclass
class Context:
    document: Document
    previous: Document | None = None
    scheme: str = "format2021"
    analysis: object | None = None  # NLP analysis of the narrative, when models are available
    rules: frozenset[str] = frozenset()  # the IDs of the rules that run: a rule may leave a case to another


class Rule:
    id: str = ""
    severity: str = "warning"
    title: str = ""
    citation: str = ""
    needs_previous: bool = False
    needs_analysis: bool = False  # needs the NLP layer's analysis of the narrative
    config_keywords: tuple[str, ...] = ()  # keys of its configuration (defaults: default_config.toml)

    def __init__(self, config: dict | None = None):
        from .config import rule_config

        self.config = rule_config(self.id) if config is None else config

    def check(self, ctx: Context) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(self, message: str, location: dict, suggestion: str, severity: str | None = None,
                **evidence) -> Finding:
        return Finding(self.id, severity or self.severity, message, location, self.citation,
                       suggestion, evidence)

    @classmethod
    def documentation(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def doc_section(cls, name: str) -> str:
        """One section (说明, 原因, 反例, 正例) of the documentation."""
        match = re.search(rf"^{name}[:：]\s*(.*?)(?=^\w+[:：]|\Z)", cls.documentation(), re.S | re.M)
        return inspect.cleandoc(match.group(1)) if match else ""


def part_name(number: int) -> str:
    return f"{part_label(number)}“{PART_TITLES[number]}”" if 1 <= number <= 6 else "正文"


def describe_location(location: dict) -> str:
    part = location.get("part")
    bits = []
    if part == 0:
        bits.append("标题和引言")
    elif part == 7:
        bits.append("落款")
    elif part:
        bits.append(part_label(part))
    if "paragraph" in location:
        bits.append(f"第{location['paragraph'] + 1}段")
    if location.get("table"):
        bits.append(TABLE_NAMES.get(location["table"], location["table"]))
    for key in ("row", "column"):
        if location.get(key):
            bits.append(str(location[key]).replace("/", "·"))
    return "·".join(bits) or "全文"


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def fmt_num(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def numeric_cells(table: Table | None) -> Iterator[tuple[str, str, Cell]]:
    if table is None:
        return
    for row, cols in table.cells.items():
        for col, cell in cols.items():
            yield row, col, cell


def cell_location(table: Table, row: str, column: str) -> dict:
    return {"part": table.part, "table": table.key, "row": row, "column": column}


def sum_or_none(values: list) -> float | int | None:
    """The sum when every addend is a number, else None (T203 reports the gaps)."""
    if not values or not all(is_number(v) for v in values):
        return None
    return sum(values)


def low_confidence(cell: Cell | None) -> bool:
    """A cell read by OCR below the confidence threshold of T207 (`[rules.T207] threshold`)."""
    from .config import rule_config

    return cell is not None and cell.confidence is not None and cell.confidence < rule_config("T207")["threshold"]


def ocr_doubt(cells: Iterable[Cell | None]) -> str:
    """A note for an identity that fails through a cell OCR read with low confidence (T207)."""
    return "（其中某格识别置信度低）" if any(map(low_confidence, cells)) else ""
