from .base import Rule, part_name


def shingles(text: str, n: int = 3) -> set[str]:
    text = "".join(text.split())
    return {text[i:i + n] for i in range(max(1, len(text) - n + 1))}


def similarity(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


class CopiedText(Rule):
    """与上年报告内容雷同。

    说明：提供上年报告时，比较总体情况、第五部分和第六部分的文字（按三字片段的重合度计算）。整个部分相似度
    达到 80% 的报告一次；整个部分未达到时，再把本部分 60 字以上的段落逐段与上年比较，达到 80% 的逐段报告。
    不足 60 字的部分和段落（如每年相同的“未收取信息处理费”）不比较。只改了个别数字的照抄能查出，
    数字几乎全改的照抄可能低于阈值。
    原因：年度报告应当反映本年度的工作（《条例》第五十条）；审核中常见与上年报告八九成相同、只改了年份的报告。
    反例：总体情况与上年报告一字不差，只把几个数字换成了本年的。
    正例：写本年度的具体做法、数据和成效，与上年相同的只有必要的固定表述。
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
