"""The rule registry: one rule per module in this package, found by its file name."""
from __future__ import annotations

import importlib
import pkgutil
import re
from functools import lru_cache

from ..document.model import Document
from .base import Context, Finding, Rule
from .config import check_overrides

_MODULE = re.compile(r"^[scntp]\d{3}_\w+$")
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
FAMILY_ORDER = "STCNP"  # the order of the catalogue in RULES.md


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    rules = []
    for info in pkgutil.iter_modules(__path__):
        if _MODULE.match(info.name):
            module = importlib.import_module(f"{__name__}.{info.name}")
            found = [obj for obj in vars(module).values()
                     if isinstance(obj, type) and issubclass(obj, Rule) and obj is not Rule
                     and obj.__module__ == module.__name__]
            assert len(found) == 1, f"{info.name} must define exactly one rule"
            rules.append(found[0])
    return tuple(sorted(rules, key=lambda r: (FAMILY_ORDER.index(r.id[0]), r.id)))


def get_rule(rule_id: str) -> type[Rule] | None:
    return next((r for r in all_rules() if r.id == rule_id.upper()), None)


def _matches(rule_id: str, patterns: list[str]) -> bool:
    return any(rule_id.startswith(p) for p in patterns)


def parse_ids(text: str | None) -> list[str]:
    return [p.strip().upper() for p in (text or "").split(",") if p.strip()]


def run_rules(document: Document, previous: Document | None = None, select: list[str] | None = None,
              ignore: list[str] | None = None, scheme: str = "format2021", analysis=None) -> list[Finding]:
    """Every selected rule's findings, most severe first, then in document order of rules."""
    check_overrides({rule.id for rule in all_rules()})
    active = [rule for rule in all_rules()
              if (not select or _matches(rule.id, select)) and not (ignore and _matches(rule.id, ignore))
              and (previous is not None or not rule.needs_previous) and (analysis is not None or not rule.needs_analysis)]
    ctx = Context(document, previous, scheme, analysis, frozenset(rule.id for rule in active))
    findings: list[Finding] = []
    for rule in active:
        findings.extend(rule().check(ctx))
    findings.sort(key=lambda f: SEVERITY_ORDER[f.severity])
    return findings
