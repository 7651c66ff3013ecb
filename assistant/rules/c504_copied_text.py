from .base import Rule, part_name


def shingles(text: str, n: int = 3) -> set[str]:
    text = "".join(text.split())
    return {text[i:i + n] for i in range(max(1, len(text) - n + 1))}


def similarity(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


class CopiedText(Rule):
    """A part or paragraph is (nearly) copied from last year's report.

    What: compared with last year's report, a narrative part (一, 五 or 六) or a long paragraph
    is 80% or more the same text (character trigram overlap).
    Why: a report must describe this year's work (第五十条); reviewers regularly find
    reports 80–90% identical to last year's, with only the dates changed.
    Bad: the same 总体情况 as last year with “2022” replaced by “2023”.
    Good: this year's own measures, numbers and results.
    """

    id = "C504"
    severity = "warning"
    title = "与上年报告内容雷同"
    citation = "《条例》第五十条"
    needs_previous = True
    PART_THRESHOLD = 0.8
    MIN_CHARS = 60

    def check(self, ctx):
        doc, previous = ctx.document, ctx.previous
        for number in (1, 5, 6):
            text, before = doc.part_text(number), previous.part_text(number)
            if len(text) < self.MIN_CHARS or len(before) < self.MIN_CHARS:
                continue
            score = similarity(text, before)
            if score >= self.PART_THRESHOLD:
                yield self.finding(f"{part_name(number)}与上年报告的相似度为 {score:.0%}",
                                   {"part": number}, "根据本年度的实际工作重写，写明本年的具体做法、数据和成效。",
                                   similarity=round(score, 3))
                continue
            old = previous.part_paragraphs(number)
            for paragraph in doc.part_paragraphs(number):
                if len(paragraph.text) < self.MIN_CHARS:
                    continue
                best = max((similarity(paragraph.text, p.text) for p in old), default=0.0)
                if best >= self.PART_THRESHOLD:
                    yield self.finding(f"{part_name(number)}第 {paragraph.index + 1} 段与上年报告的相似度为 {best:.0%}",
                                       {"part": number, "paragraph": paragraph.index},
                                       "改写为本年度的具体工作。", similarity=round(best, 3))
