from ..document.schema import PART_TITLES
from .base import Rule, part_name


class MissingPart(Rule):
    """A part of the six-part format is missing.

    What: the report lacks one of the six parts of the 2021 format (one finding per part).
    Why: 第五十条 lists the contents an annual report must contain and the national format
    fixes them in six parts; a missing part means required content is missing.
    Bad: a report that goes from “四、政府信息公开行政复议、行政诉讼情况” straight to the end.
    Good: all six headings present, e.g. “五、存在的主要问题及改进情况” followed by its text.
    """

    id = "S101"
    severity = "error"
    title = "缺少报告的组成部分"
    citation = "《条例》第五十条；《年度报告格式》（国办公开办函〔2021〕30号）"

    def check(self, ctx):
        for number, part in ctx.document.parts.items():
            if not part.found:
                yield self.finding(
                    f"缺少{part_name(number)}", {"part": number},
                    f"按 2021 年格式补写“{'一二三四五六'[number - 1]}、{PART_TITLES[number]}”一节。")
