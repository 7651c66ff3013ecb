"""Apply the trained models to a report: topics and boilerplate, two independent axes.

Every sentence of the narrative parts gets a boilerplate score; every sentence of 总体情况 also
gets topics, with its paragraph's sub-heading as evidence ("（二）依申请公开情况" followed by
"全年收到申请0件。" covers 依申请公开, however short the sentence). A heading on a line of its own
carries over to the paragraphs under it. An aspect of a scheme is *missing* when no sentence or
heading speaks of it (N601) and *stock-only* when everything that speaks of it is boilerplate
(N609).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..document.model import Document, Paragraph
from .features import sentences, split_heading
from .paths import MODELS
from .schemes import ADVICE, SCHEMES, TOPICS, coverage

NARRATIVE_PARTS = (1, 5, 6)


# A statement of fact is never boilerplate, however plain or stock its opening: a number, a zero
# count ("没有…被申请行政复议的情况"), a named document or platform ("本年度未发出收费通知，未收取
# 信息处理费。" is the wording N605 itself suggests). Citing the 条例 or the format names no
# document of the year's work, nor does its short form 《条例》.
_FACT = re.compile(r"\d|《(?![^》]*(?:政府信息公开条例|年度报告格式)|条例》)[^》]{2,40}》"
                   r"|(?<![零〇一二两三四五六七八九十百千])[零〇一二两三四五六七八九十百千]++(?:件|条|次|个|篇|项|场|期|家|人)"
                   r"|(?:未|没有)(?:收到|发生|收取|发出)|(?:没有|未)[^。；，,]{2,30}的情况"
                   r"|“[^”]{2,20}”(?:微信)?(?:公众号|微博|网站|平台|APP|客户端|专栏|小程序)")


# The year alone ("2024年，我镇高度重视……") dates the report, not a piece of work.
_BARE_YEAR = re.compile(r"(?:19|20)\d{2}\s*年(?:度)?(?!\s*\d)")


def states_fact(text: str) -> bool:
    return bool(_FACT.search(_BARE_YEAR.sub("", text)))


@dataclass
class SentenceAnalysis:
    text: str
    topics: list[str]
    boilerplate: float
    heading: bool = False  # a sub-heading: evidence of topics, no boilerplate of its own


@dataclass
class ParagraphAnalysis:
    topics: list[str]
    scores: dict[str, float]
    boilerplate: float | None
    phrases: list[str] = field(default_factory=list)
    sentences: list[SentenceAnalysis] = field(default_factory=list)


@dataclass
class Analysis:
    document: Document
    paragraphs: dict[tuple[int, int], ParagraphAnalysis]
    overview: list[Paragraph]
    threshold: float = 0.5

    def _found(self) -> list[set[str]]:
        return [set(self.paragraphs[(p.part, p.index)].topics) for p in self.overview]

    def coverage(self, scheme: str) -> tuple[list[str], list[str]]:
        return coverage(self._found(), scheme)

    def missing_aspects(self, scheme: str) -> list[tuple[str, str]]:
        if not self.overview:
            return []  # an absent or empty 总体情况 is reported by S101 / N603
        return [(aspect, ADVICE[aspect]) for aspect in self.coverage(scheme)[1]]

    def evidence(self, aspect_topics: tuple[str, ...]) -> list[SentenceAnalysis]:
        """What speaks of an aspect: its sentences and headings, and every statement of a paragraph
        under a heading of the aspect (the heading says what the paragraph is about). Each once."""
        wanted, out, seen = set(aspect_topics), [], set()
        for p in self.overview:
            sentences = self.paragraphs[(p.part, p.index)].sentences
            headed = any(s.heading and set(s.topics) & wanted for s in sentences)
            for s in sentences:
                if id(s) not in seen and (set(s.topics) & wanted or headed and not s.heading):
                    seen.add(id(s))
                    out.append(s)
        return out

    def stock_only_aspects(self, scheme: str) -> list[tuple[str, list[SentenceAnalysis]]]:
        """Covered aspects whose every statement is boilerplate and states no fact (a bare heading
        counts as one)."""
        out = []
        for aspect in self.coverage(scheme)[0]:
            found = self.evidence(SCHEMES[scheme][aspect])
            statements = [s for s in found if not s.heading]
            if found and all(s.boilerplate >= self.threshold and not states_fact(s.text) for s in statements):
                out.append((aspect, found))
        return out

    def boilerplate_paragraphs(self, threshold: float) -> list[tuple[Paragraph, float, list[str]]]:
        """Paragraphs whose statements are mostly boilerplate. The lead-in of 总体情况 (its first
        paragraph, when it reports no area of work) frames the report and is not counted."""
        lead_in = self.overview[0] if self.overview else None
        out = []
        for paragraph in self.document.paragraphs:
            info = self.paragraphs.get((paragraph.part, paragraph.index))
            if paragraph is lead_in and info and not info.topics:
                continue
            if info and info.boilerplate is not None and info.boilerplate >= threshold:
                out.append((paragraph, info.boilerplate, info.phrases))
        return out


class NLPModels:
    def __init__(self, topics, boilerplate, manifest: dict, card: dict | None = None):
        self.topics = topics
        self.boilerplate = boilerplate
        self.manifest = manifest
        self.card = card or {}

    def classify(self, texts: list[str]) -> list[dict]:
        if not texts:
            return []
        scores = self.topics.scores(texts)
        bp = self.boilerplate.scores([split_heading(t)[1] or t for t in texts])
        return [{"text": text, "topics": self.topics.labels(row),
                 "scores": {t: round(float(s), 3) for t, s in zip(TOPICS, row)}, "boilerplate": round(float(b), 3)}
                for text, row, b in zip(texts, scores, bp)]

    def analyse(self, document: Document) -> Analysis:
        narrative = [p for p in document.paragraphs if p.part in NARRATIVE_PARTS and p.text.strip()]
        overview = [p for p in narrative if p.part == 1]
        # every piece of text scored in one batch: (paragraph, heading, body sentences)
        plan = []
        for paragraph in narrative:
            heading, body = split_heading(paragraph.text)
            plan.append((paragraph, heading, sentences(body)))
        bp_texts = [s for _, _, body in plan for s in body]
        bp = iter(self.boilerplate.scores(bp_texts).tolist())
        topic_texts = [t for p, h, body in plan if p.part == 1 for t in ([h] if h else []) + body]
        topic_rows = iter(self.topics.piece_scores(topic_texts) if topic_texts else [])
        results, carried, carried_row = {}, None, None  # a heading standing on its own line, and its scores
        for paragraph, heading, body in plan:
            overview_part = paragraph.part == 1
            parts: list[SentenceAnalysis] = []
            rows = []
            if heading:
                row = next(topic_rows) if overview_part else None
                rows += [row] if row is not None else []
                parts.append(SentenceAnalysis(heading, self.topics.labels(row) if row is not None else [], 0.0, True))
            for text in body:
                row = next(topic_rows) if overview_part else None
                rows += [row] if row is not None else []
                parts.append(SentenceAnalysis(text, self.topics.labels(row) if row is not None else [], next(bp)))
            if overview_part:
                if heading and not body:
                    carried, carried_row = parts[0], rows[0]
                elif heading:
                    carried = None
                if carried is not None and not heading:
                    parts.insert(0, carried)  # the paragraph's heading is the line above it
                    rows.append(carried_row)
            statements = [s for s in parts if not s.heading]
            score = None
            if statements:
                weights = np.array([len(s.text) for s in statements], dtype=float)
                score = round(float(np.average([s.boilerplate for s in statements], weights=weights)), 3)
            best = np.max(rows, axis=0) if rows else None
            topics = [t for t in TOPICS if any(t in s.topics for s in parts)]
            results[(paragraph.part, paragraph.index)] = ParagraphAnalysis(
                topics, {t: round(float(s), 3) for t, s in zip(TOPICS, best)} if best is not None else {},
                score, self.boilerplate.phrases_in(paragraph.text), parts)
        return Analysis(document, results, overview, self.boilerplate.threshold)


@lru_cache(maxsize=1)
def load_models() -> NLPModels | None:
    """The trained models in models/, or None when they have not been trained. A bundle that
    does not fit this code raises bundle.BundleError; one trained on an older corpus warns."""
    from .bundle import check_manifest, load_boilerplate, load_topics, manifest, read_json, stale, warn

    found = manifest(MODELS)
    if found is None:
        return None
    check_manifest(found)
    if stale(found):
        warn("corpus/ 在训练之后有改动，models/ 中的模型可能已过时：请运行 python -m assistant train")
    card_path = MODELS / "model_card.json"
    card = read_json(card_path) if card_path.exists() else {}
    return NLPModels(load_topics(MODELS), load_boilerplate(MODELS), found, card)
