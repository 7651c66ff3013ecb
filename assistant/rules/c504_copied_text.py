"""C504: text copied from last year's report, found with a shingle index (prefix filtering).

Jaccard similarity of character 3-gram sets. A pair of texts with similarity ≥ t must share one
of the rarest |X| − ⌈t·|X|⌉ + 1 shingles of each text, so only the rare prefix of each of last
year's paragraphs is indexed and only pairs that meet in that index are compared: the same
findings as comparing every pair, in near-linear time.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict

from .base import Rule, part_name


def shingles(text: str, n: int = 3) -> frozenset[str]:
    text = "".join(text.split())
    return frozenset(text[i:i + n] for i in range(max(1, len(text) - n + 1)))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _prefix(tokens: frozenset[str], rank: dict[str, tuple[int, str]], threshold: float) -> list[str]:
    ordered = sorted(tokens, key=rank.__getitem__)
    return ordered[:len(ordered) - math.ceil(threshold * len(ordered)) + 1]


def best_matches(texts: list[str], previous: list[str], threshold: float) -> list[float]:
    """For each text, the highest similarity to any previous text when it reaches `threshold`, else 0."""
    current = [shingles(t) for t in texts]
    before = list(dict.fromkeys(shingles(t) for t in previous))  # identical paragraphs once
    frequency = Counter(s for group in (current, before) for tokens in group for s in tokens)
    rank = {s: (count, s) for s, count in frequency.items()}  # rare first, ties by text: deterministic
    index: dict[str, list[int]] = defaultdict(list)
    for number, tokens in enumerate(before):
        for token in _prefix(tokens, rank, threshold):
            index[token].append(number)
    found: dict[frozenset[str], float] = {}
    for tokens in current:
        if tokens not in found:
            candidates = {n for token in _prefix(tokens, rank, threshold) for n in index.get(token, ())}
            scores = [similarity(tokens, before[n]) for n in candidates
                      if threshold * len(tokens) <= len(before[n]) <= len(tokens) / threshold]
            found[tokens] = max((s for s in scores if s >= threshold), default=0.0)
    return [found[tokens] for tokens in current]


class CopiedText(Rule):
    """与上年报告内容雷同。

    说明：提供上年报告时，比较总体情况、第五部分和第六部分的文字（按三字片段的重合度计算）。整个部分相似度
    达到阈值（默认 80%）的报告一次；整个部分未达到时，再把本部分 60 字以上的段落逐段与上年的段落比较，
    达到阈值的逐段报告。不足 60 字的部分和段落（如每年相同的“未收取信息处理费”）不比较。只改了个别数字的
    照抄能查出，数字几乎全改的照抄可能低于阈值。阈值和字数可在 assistant.toml 的 [rules.C504] 中调整。
    原因：年度报告应当反映本年度的工作（《条例》第五十条）；审核中常见与上年报告八九成相同、只改了年份的报告。
    反例：总体情况与上年报告一字不差，只把几个数字换成了本年的。
    正例：写本年度的具体做法、数据和成效，与上年相同的只有必要的固定表述。
    """

    id = "C504"
    severity = "warning"
    title = "与上年报告内容雷同"
    citation = "《条例》第五十条"
    needs_previous = True
    config_keywords = ("threshold", "min_chars")

    def check(self, ctx):
        doc, previous = ctx.document, ctx.previous
        threshold, min_chars = self.config["threshold"], self.config["min_chars"]
        for number in (1, 5, 6):
            text, before = doc.part_text(number), previous.part_text(number)
            if len(text) < min_chars or len(before) < min_chars:
                continue
            score = similarity(shingles(text), shingles(before))
            if score >= threshold:
                yield self.finding(f"{part_name(number)}与上年报告的相似度为 {score:.0%}",
                                   {"part": number}, "根据本年度的实际工作重写，写明本年的具体做法、数据和成效。",
                                   similarity=round(score, 3))
                continue
            paragraphs = [p for p in doc.part_paragraphs(number) if len(p.text) >= min_chars]
            old = [p.text for p in previous.part_paragraphs(number)]
            for paragraph, best in zip(paragraphs, best_matches([p.text for p in paragraphs], old, threshold)):
                if best >= threshold:
                    yield self.finding(f"{part_name(number)}第 {paragraph.index + 1} 段与上年报告的相似度为 {best:.0%}",
                                       {"part": number, "paragraph": paragraph.index},
                                       "改写为本年度的具体工作。", similarity=round(best, 3))
