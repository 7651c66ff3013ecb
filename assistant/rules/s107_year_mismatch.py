import re

from ..document.normalize import split_sentences
from .base import Rule

# Not plans: 要求 (required), 拟定/拟订 (drafted), 将……纳入/列入 (将 marking the object, = 把).
_PLAN = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?[，,]?\s*(?:我[局委办镇乡区县市]|本机关|我们)?\s*"
                   r"(?:将(?![^，,。；]{0,12}?[纳列]入)|要(?!求)|计划|拟(?![定订])|打算)")
_THIS_YEAR = re.compile(r"本年度?\s*[（(]\s*((?:19|20)\d{2})\s*年?\s*[)）]")


class YearMismatch(Rule):
    """报告中的年度表述有误。

    说明：正文把别的年份称为“本年”（如 2023 年度报告写“本年度（2022年）”），或者为已经过去的年份安排工作
    （如 2023 年度报告写“2023年将……”“2022年，我县将……”）时报告。为下一年安排工作的不报告；
    “××年要求……”“××年拟定……”“××年将……纳入……”说的是已做的工作，也不报告。引言和落款不检查。
    原因：年度报告只反映一个自然年度的工作，在该年度结束后发布（《条例》第四十九条、第五十条）；
    这类句子多半是照搬往年报告留下的。
    反例：2023 年度报告写“2023年将按照标准目录调整栏目”。
    正例：2023 年度报告写“2024年将按照标准目录调整栏目”。
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
            for sentence in split_sentences(paragraph.text):
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
