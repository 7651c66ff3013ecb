"""One entry point for checking, shared by the command line, batch runs and the web app."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .document import Source, admissible, source_of
from .document.model import Document
from .render.json_report import document_json
from .rules import run_rules
from .rules.base import Finding


@dataclass
class CheckOptions:
    scheme: str = "format2021"
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    nlp: bool = True  # topics and boilerplate (N601/N602); off for fast screening of many reports
    ocr: str = "auto"  # image-only PDF pages: auto = read them by OCR, force = OCR every page, never = refuse


@dataclass
class CheckResult:
    document: Document
    findings: list[Finding]
    previous: Document | None = None
    analysis: object | None = None  # nlp.analysis.Analysis when the models are trained
    scheme: str = "format2021"

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def to_json(self) -> dict:
        data = document_json(self.document)
        if self.analysis is not None:
            for paragraph in data["paragraphs"]:
                info = self.analysis.paragraphs.get((paragraph["part"], paragraph["index"]))
                paragraph["topics"] = info.topics if info else []
                paragraph["boilerplate"] = info.boilerplate if info else None
            covered, missing = self.analysis.coverage(self.scheme)
            data["coverage"] = {"scheme": self.scheme, "covered": covered, "missing": missing}
        data["findings"] = [f.to_json() for f in self.findings]
        if self.previous is not None:
            data["previous"] = {"title": self.previous.meta.title, "year": self.previous.meta.year,
                                "source": self.previous.source}
        return data


def check_document(document: Document, previous: Document | None = None,
                   options: CheckOptions | None = None) -> CheckResult:
    from .nlp.analysis import load_models

    options = options or CheckOptions()
    models = load_models() if options.nlp else None
    analysis = models.analyse(document) if models else None
    findings = run_rules(document, previous, options.select, options.ignore, options.scheme, analysis)
    return CheckResult(document, findings, previous, analysis, options.scheme)


def prepare(options: CheckOptions) -> None:
    """Load the models here (once), so that a worker forked from this process starts with them."""
    if options.nlp:
        from .nlp.analysis import load_models

        load_models()


def check_source(source: Source, previous: Source | None = None, options: CheckOptions | None = None, *,
                 then: Callable[[CheckResult], Any] | None = None, progress=None) -> CheckResult | Any:
    """Read and check a report (and last year's) in a worker bounded in time and memory (guard.py);
    `then(result)`, when given, runs in the worker and its value is returned instead (a batch needs
    a summary row, not the whole document, sent back between processes); `progress` receives OCR
    progress messages (guard.notify)."""
    from .guard import run
    from .limits import budget

    options = options or CheckOptions()
    prepare(options)
    previous = admissible(previous) if previous is not None else None
    return run(("check", admissible(source), previous, options, then, budget()), budget(), progress)


def check_path(path: str | Path, previous: str | Path | None = None,
               options: CheckOptions | None = None) -> CheckResult:
    return check_source(source_of(path), source_of(previous) if previous else None, options)
