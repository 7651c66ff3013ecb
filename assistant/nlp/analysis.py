"""Apply the trained models to a report: topics, coverage of a scheme, boilerplate paragraphs."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

from ..document.model import Document, Paragraph
from .paths import MODELS
from .schemes import ADVICE, TOPICS, coverage

NARRATIVE_PARTS = (1, 5, 6)
MIN_CHARS = 20
@dataclass
class ParagraphAnalysis:
    topics: list[str]
    scores: dict[str, float]
    boilerplate: float | None
    phrases: list[str] = field(default_factory=list)


@dataclass
class Analysis:
    document: Document
    paragraphs: dict[tuple[int, int], ParagraphAnalysis]
    overview: list[Paragraph]

    def coverage(self, scheme: str) -> tuple[list[str], list[str]]:
        sets = [set(self.paragraphs[(p.part, p.index)].topics) for p in self.overview]
        return coverage(sets, scheme)

    def missing_aspects(self, scheme: str) -> list[tuple[str, str]]:
        if not self.overview:
            return []  # an absent or empty 总体情况 is reported by S101 / N603
        return [(aspect, ADVICE[aspect]) for aspect in self.coverage(scheme)[1]]

    def boilerplate_paragraphs(self, threshold: float) -> list[tuple[Paragraph, float, list[str]]]:
        out = []
        for paragraph in self.document.paragraphs:
            info = self.paragraphs.get((paragraph.part, paragraph.index))
            if info and info.boilerplate is not None and info.boilerplate >= threshold:
                out.append((paragraph, info.boilerplate, info.phrases))
        return out


class NLPModels:
    def __init__(self, topics, boilerplate, card: dict):
        self.topics = topics
        self.boilerplate = boilerplate
        self.card = card

    def classify(self, texts: list[str]) -> list[dict]:
        if not texts:
            return []
        scores = self.topics.predict_proba(texts)
        bp = self.boilerplate.predict_proba(texts)[:, 1]
        return [{"text": text, "topics": [t for t, s in zip(TOPICS, row) if s >= self.topics.threshold],
                 "scores": {t: round(float(s), 3) for t, s in zip(TOPICS, row)}, "boilerplate": round(float(b), 3)}
                for text, row, b in zip(texts, scores, bp)]

    def analyse(self, document: Document) -> Analysis:
        narrative = [p for p in document.paragraphs if p.part in NARRATIVE_PARTS and len(p.text) >= MIN_CHARS]
        overview = [p for p in narrative if p.part == 1]
        results = {}
        if narrative:
            texts = [p.text for p in narrative]
            topic_scores = self.topics.predict_proba([p.text for p in overview]) if overview else []
            bp = self.boilerplate.predict_proba(texts)[:, 1]
            by_key = {(p.part, p.index): row for p, row in zip(overview, topic_scores)}
            for paragraph, score in zip(narrative, bp):
                key = (paragraph.part, paragraph.index)
                row = by_key.get(key)
                topics = [t for t, s in zip(TOPICS, row) if s >= self.topics.threshold] if row is not None else []
                results[key] = ParagraphAnalysis(
                    topics, {t: round(float(s), 3) for t, s in zip(TOPICS, row)} if row is not None else {},
                    round(float(score), 3), self.boilerplate.phrases_in(paragraph.text))
        return Analysis(document, results, overview)


@lru_cache(maxsize=1)
def load_models() -> NLPModels | None:
    """The trained models in models/, or None when they have not been trained."""
    from .persist import load_boilerplate, load_topics

    card_path = MODELS / "model_card.json"
    if not (card_path.exists() and (MODELS / "topics.safetensors").exists()):
        return None
    card = json.loads(card_path.read_text(encoding="utf-8"))
    return NLPModels(load_topics(MODELS), load_boilerplate(MODELS), card)
