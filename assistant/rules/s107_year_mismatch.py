import re

from ..document.normalize import split_sentences
from .base import Rule

# Not plans: 要求 (required), 拟定/拟订 (drafted), 将……纳入/列入 (将 marking the object, = 把).
_PLAN = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?[，,]?\s*(?:我[局委办镇乡区县市]|本机关|我们)?\s*"
                   r"(?:将(?![^，,。；]{0,12}?[纳列]入)|要(?!求)|计划|拟(?![定订])|打算)")
_THIS_YEAR = re.compile(r"本年度?\s*[（(]\s*((?:19|20)\d{2})\s*年?\s*[)）]")
# "2022年收到申请0件" opening a sentence of the 2023 report: last year's figures left in place
_PAST_OPENING = re.compile(r"^((?:19|20)\d{2})\s*年度?(?!\s*\d{1,2}\s*月|底|末|以来|\s*结转)")
_COUNT = re.compile(r"(?<!\d)\d++\s*(?:件|条|次|篇|个|人次)")  # possessive: linear on digit runs
# comparisons, carry-overs and follow-ups name an earlier year on purpose
_EARLIER_ON_PURPOSE = re.compile(r"相比|同比|较|比上年|增长|下降|增加|减少|上升|持平|至今|整改|报告|以来")


class YearMismatch(Rule):
    """报告中的年度表述有误。

    说明：正文把别的年份称为“本年”（如 2023 年度报告写“本年度（2022年）”），为已经过去的年份安排工作
    （如 2023 年度报告写“2023年将……”“2022年，我县将……”），或者以往年开头陈述统计数字（如 2023 年度报告写
    “2022年收到政府信息公开申请0件”）时报告。为下一年安排工作的不报告；“××年要求……”“××年拟定……”
    “××年将……纳入……”说的是已做的工作，也不报告；与往年比较、上年结转、整改往年问题的句子（“与2022年相比”
    “2022年结转……”“2022年12月收到……”）有意提到往年，不报告。引言和落款不检查。
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
                past = _PAST_OPENING.match(sentence.strip())
                if past and int(past.group(1)) < year and _COUNT.search(sentence) \
                        and str(year) not in sentence and not _EARLIER_ON_PURPOSE.search(sentence):
                    yield self.finding(
                        f"{year}年度报告中以“{past.group(0)}”开头陈述统计数字，像是沿用了往年报告",
                        {"part": paragraph.part, "paragraph": paragraph.index},
                        f"核对年份和数字，改为 {year} 年的情况；如是与往年比较，写明“与{past.group(1)}年相比”。",
                        text=sentence.strip())
                for match in _THIS_YEAR.finditer(sentence):
                    if int(match.group(1)) != year:
                        yield self.finding(
                            f"{year}年度报告把 {match.group(1)} 年称为“本年”",
                            {"part": paragraph.part, "paragraph": paragraph.index},
                            "核对年份，删去从往年报告中沿用的表述。", text=sentence.strip())
