"""The knowledge base of `ask`: articles of the 条例, the report format, the FAQ and the rules.

Every source becomes a list of `Entry` objects with the same shape: text to retrieve on, an
answer to show, and the citations the answer rests on. The official text of the 条例 is
optional: when a user drops it in (corpus/knowledge/official/tiaoli.txt, or the file named by
ASSISTANT_OFFICIAL_TEXT), article entries carry their official wording and answers quote it.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..document.schema import TITLE_BY_NUMERAL
from ..nlp.paths import KNOWLEDGE
from ..numerals import parse_chinese as chinese_number
from ..numerals import to_chinese

OFFICIAL_TEXT = KNOWLEDGE / "official" / "tiaoli.txt"
SOURCE_ARTICLE, SOURCE_FORMAT, SOURCE_FAQ, SOURCE_RULE = "条例", "年度报告格式", "常见问题", "规则"
PART_TITLES = TITLE_BY_NUMERAL  # keyed by the numeral, as the format's parts are cited

def article_label(number: int) -> str:
    return f"第{to_chinese(number)}条"


@dataclass
class Entry:
    id: str
    source: str  # 条例 | 年度报告格式 | 常见问题 | 规则
    title: str
    text: str  # what retrieval reads
    answer: str  # what the user reads
    citations: list[dict]
    keywords: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    article: int | None = None  # for 条例 entries
    part: str | None = None  # for format entries tied to one part
    rule: str | None = None  # for 规则 entries
    conditions: list[str] = field(default_factory=list)  # conditions and exceptions of an article
    time_limits: list[dict] = field(default_factory=list)
    official: str | None = None  # official wording of the article, when supplied

    @property
    def articles(self) -> list[int]:
        return [c["article"] for c in self.citations if c["source"] == SOURCE_ARTICLE]

    @property
    def parts(self) -> list[str]:
        return [c["part"] for c in self.citations if c["source"] == SOURCE_FORMAT]

    def label(self) -> str:
        """How the entry is named in an answer's 相关条目 list."""
        if self.source == SOURCE_ARTICLE:
            return f"《条例》{article_label(self.article)}（{self.title}）"
        if self.source == SOURCE_RULE:
            return f"检查规则 {self.rule}（{self.title}）"
        if self.source == SOURCE_FAQ:
            return f"常见问题：{self.title}"
        return f"《年度报告格式》：{self.title}"


def citations_for(articles=(), parts=(), rules=()) -> list[dict]:
    """Citations in a fixed order: articles, then format parts, then rules; no duplicates."""
    out: list[dict] = []
    for number in articles:
        item = {"source": SOURCE_ARTICLE, "article": int(number)}
        if item not in out:
            out.append(item)
    for part in parts:
        item = {"source": SOURCE_FORMAT, "part": part}
        if part and item not in out:
            out.append(item)
    for rule in rules:
        item = {"source": SOURCE_RULE, "rule": rule}
        if item not in out:
            out.append(item)
    return out


def _jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


_ARTICLE_HEAD = re.compile(r"^\s*第([一二三四五六七八九十百零〇两\d]+)条")


def parse_official(text: str) -> dict[int, str]:
    """Article number -> official wording, from a text with one article per paragraph.

    A paragraph starts with 第X条; lines that do not start an article (wrapped lines, chapter
    headings such as 第一章 总则) are joined to the article before them, chapter headings dropped.
    """
    articles: dict[int, str] = {}
    current: int | None = None
    for raw in text.replace("\r\n", "\n").replace("\u3000", " ").split("\n"):
        line = raw.strip()
        if not line:
            continue
        match = _ARTICLE_HEAD.match(line)
        if match:
            try:
                current = chinese_number(match.group(1))
            except ValueError:
                continue
            articles[current] = line
        elif re.match(r"^第[一二三四五六七八九十]+章", line):
            current = None
        elif current is not None:
            articles[current] += line
    return articles


def official_path() -> Path:
    return Path(os.environ.get("ASSISTANT_OFFICIAL_TEXT") or OFFICIAL_TEXT)


def load_official(path: Path | None = None) -> dict[int, str]:
    path = Path(path) if path is not None else official_path()
    if not path.is_file():
        return {}
    return parse_official(path.read_text(encoding="utf-8-sig"))


def _article_entries(official: dict[int, str]) -> list[Entry]:
    entries = []
    for row in _jsonl(KNOWLEDGE / "articles.jsonl"):
        number = int(row["article"])
        limits = row.get("time_limits") or []
        limit_text = "；".join(f"{t['what']}{t['limit']}（{t['from']}）" for t in limits)
        text = "。".join([row["title"], row.get("chapter_title", ""), row["summary"],
                         "；".join(row.get("duties", [])), "；".join(row.get("conditions", [])), limit_text])
        if number in official:
            text += "。" + official[number]
        entries.append(Entry(
            id=row["id"], source=SOURCE_ARTICLE, title=row["title"], text=text, answer=row["summary"], conditions=list(row.get("conditions", [])),
            citations=citations_for([number]), keywords=list(row.get("keywords", [])),
            questions=list(row.get("questions", [])), article=number, time_limits=list(limits),
            official=official.get(number)))
    return entries


def _format_entries() -> list[Entry]:
    entries = []
    for row in _jsonl(KNOWLEDGE / "format.jsonl"):
        part = row.get("part")
        parts = [part] if part else []
        extra = [row.get("label", ""), row.get("block", ""), "、".join(row.get("columns", []) or [])]
        text = "。".join([row["title"], *[x for x in extra if x], row["content"]])
        if part:
            text = f"第{part}部分 {PART_TITLES[part]}。" + text
        entries.append(Entry(
            id=row["id"], source=SOURCE_FORMAT, title=row["title"], text=text, answer=row["content"],
            citations=citations_for(row.get("articles", []), parts), keywords=list(row.get("keywords", [])),
            questions=list(row.get("questions", [])), part=part))
    return entries


def _faq_entries() -> list[Entry]:
    entries = []
    for row in _jsonl(KNOWLEDGE / "faq.jsonl"):
        parts = row.get("format_parts", [])
        entries.append(Entry(
            id=row["id"], source=SOURCE_FAQ, title=row["question"], text=row["question"] + "。" + row["answer"],
            answer=row["answer"], citations=citations_for(row.get("articles", []), parts),
            keywords=list(row.get("keywords", [])), questions=[row["question"]],
            part=parts[0] if parts else None))
    return entries


_CITED_ARTICLE = re.compile(r"第([一二三四五六七八九十]+)条")
_CITED_TABLE = re.compile(r"表([二三四])")
_CITED_PART = re.compile(r"第([一二三四五六])部分")


def rule_citations(rule_id: str, citation: str, rule_title: str = "") -> list[dict]:
    """Citations of a rule, read from its citation string (《条例》第四十二条；《年度报告格式》表三 …)."""
    articles = []
    for segment in re.split(r"[；;]", citation):
        # 第二十条第（八）项 after 表二 names the 条例 item of the table block: still article 20
        if "条例" in segment or "年度报告格式" in segment or not re.search(r"《", segment):
            articles += [chinese_number(n) for n in _CITED_ARTICLE.findall(segment)]
    parts = [m for m in _CITED_TABLE.findall(citation)] + _CITED_PART.findall(citation)
    parts += [numeral for numeral, title in PART_TITLES.items() if title in rule_title]
    return citations_for(articles, parts, [rule_id])


def _rule_entries() -> list[Entry]:
    from ..rules import all_rules

    entries = []
    for rule in all_rules():
        doc = rule.documentation()
        citations = rule_citations(rule.id, rule.citation, rule.title)
        parts = [c["part"] for c in citations if c["source"] == SOURCE_FORMAT]
        entries.append(Entry(
            id=f"rule-{rule.id}", source=SOURCE_RULE, title=rule.title,
            text=f"{rule.id} {rule.title}。检查规则。{rule.citation}。{doc}",
            answer=doc, citations=citations, keywords=[rule.id, rule.title], questions=[],
            part=parts[0] if parts else None, rule=rule.id))
    return entries


@lru_cache(maxsize=4)
def _load(official_file: str | None) -> tuple[Entry, ...]:
    official = load_official(Path(official_file)) if official_file else {}
    return tuple(_article_entries(official) + _format_entries() + _faq_entries() + _rule_entries())


def load_entries(official: Path | str | None = None) -> tuple[Entry, ...]:
    """Every entry of the knowledge base (cached per official-text file)."""
    path = Path(official) if official is not None else official_path()
    return _load(str(path) if path.is_file() else None)
