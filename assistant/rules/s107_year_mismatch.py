import re

from .base import Rule, sentences

# Not plans: 要求 (required), 拟定/拟订 (drafted), 将……纳入/列入 (将 marking the object, = 把).
_PLAN = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?[，,]?\s*(?:我[局委办镇乡区县市]|本机关|我们)?\s*"
                   r"(?:将(?![^，,。；]{0,12}?[纳列]入)|要(?!求)|计划|拟(?![定订])|打算)")
_THIS_YEAR = re.compile(r"本年度?\s*[（(]\s*((?:19|20)\d{2})\s*年?\s*[)）]")


class YearMismatch(Rule):
    """The narrative speaks of the wrong year.

    What: the text calls another year “本年”, or plans future work for a year that is already
    over (e.g. “2021年将……” in the 2021 report).
    Why: a report covers one calendar year and is published after it ends; such sentences are
    traces of a report copied from an earlier year.
    Bad: in the 2021 report: “2021年将进一步加强政府网站建设”.
    Good: in the 2021 report: “2022年将进一步加强政府网站建设”.
    """

    id = "S107"
    severity = "warning"
    title = "年度表述错误"
    citation = "《条例》第五十条"

    def check(self, ctx):
        doc = ctx.document
        year = doc.meta.year
        if not year:
            return
        for paragraph in doc.paragraphs:
            if paragraph.part in (0, 7):
                continue
            for sentence in sentences(paragraph.text):
                for match in _PLAN.finditer(sentence):
                    if int(match.group(1)) <= year:
                        yield self.finding(
                            f"{year}年度报告中写有“{match.group(0)}”，计划的年份已经过去",
                            {"part": paragraph.part, "paragraph": paragraph.index},
                            f"把下一步计划的年份改为 {year + 1} 年，或改写为已完成的工作。",
                            text=sentence.strip())
                for match in _THIS_YEAR.finditer(sentence):
                    if int(match.group(1)) != year:
                        yield self.finding(
                            f"{year}年度报告把 {match.group(1)} 年称为“本年”",
                            {"part": paragraph.part, "paragraph": paragraph.index},
                            "核对年份，删去从往年报告中沿用的表述。", text=sentence.strip())
