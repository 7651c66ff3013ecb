"""The `check --format json` object of the public contract (shared/CONTRACT.md)."""
from __future__ import annotations

from ..document.model import Document
from ..document.tables import table_to_json


def document_json(document: Document) -> dict:
    meta = document.meta
    report = {"title": meta.title, "agency": meta.agency, "year": meta.year,
              "agency_kind": meta.agency_kind, "level": meta.level, "date": meta.date,
              "source": document.source, "format": document.fmt}
    if document.ocr:  # only when pages were read by OCR
        report["ocr"] = dict(document.ocr)
    return {
        "report": report,
        "parts": [{"number": n, "heading": part.heading, "found": part.found}
                  for n, part in sorted(document.parts.items())],
        "tables": {key: table_to_json(table) for key, table in document.tables.items()},
        "table_issues": [{"table": key, "kind": issue.kind, "row": issue.row, "column": issue.column,
                          "detail": issue.detail}
                         for key, table in document.tables.items() if table for issue in table.issues],
        "paragraphs": [{"part": p.part, "index": p.index, "text": p.text, "source": p.src}
                       for p in document.paragraphs],
    }
