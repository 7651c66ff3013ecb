import re

from ..document.normalize import label_key, strip_numbering
from ..document.schema import PART_NUMERALS, PART_TITLES
from .base import Rule, part_name


class HeadingWording(Rule):
    """A part heading deviates from the standard wording.

    What: the heading of a part does not contain the standard title of the 2021 format.
    Why: reviewers compare reports part by part; standard headings make that possible and
    show that the drafter followed the current format.
    Bad: “一、基本情况” instead of “一、总体情况”.
    Good: “一、总体情况” (extra words such as “政府信息公开工作总体情况” are tolerated).
    """

    id = "S103"
    severity = "info"
    title = "部分标题与格式规定不一致"
    citation = "《年度报告格式》（国办公开办函〔2021〕30号）"

    def check(self, ctx):
        for number, part in ctx.document.parts.items():
            if not part.found:
                continue
            # 和/及/与 stand in for the format's “、” (“行政复议和行政诉讼”) and are not a deviation.
            standard = re.sub("[和及与]", "", label_key(PART_TITLES[number]))
            written = re.sub("[和及与]", "", label_key(strip_numbering(part.heading.lstrip("#"))))
            if standard not in written:
                yield self.finding(
                    f"{part_name(number)}的标题写作“{part.heading}”，与规定表述不一致",
                    {"part": number},
                    f"改为“{PART_NUMERALS[number - 1]}、{PART_TITLES[number]}”。")
