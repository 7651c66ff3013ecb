import re

from .base import Rule

# “无”, “暂无”, “本年度无其他需要报告的事项” all say nothing.
_NOTHING = re.compile(r"(?:本年度|本年)?暂?无(?:其他需要报告的事项)?|")


class OtherMattersEmpty(Rule):
    """Part 六 is only “无”.

    What: part 六 “其他需要报告的事项” says only “无”.
    Why: in practice part 六 reports the 信息处理费, the progress on the year's 政务公开工作要点,
    how 人大代表建议 and 政协提案 were handled and disclosed, and innovations; “无” wastes it.
    Bad: “六、其他需要报告的事项：无”.
    Good: the fee statement plus a few lines on 工作要点落实, 建议提案办理 and innovations.
    """

    id = "N607"
    severity = "info"
    title = "其他需要报告的事项仅写“无”"
    citation = "《年度报告格式》第六部分"

    def check(self, ctx):
        doc = ctx.document
        substance = re.sub(r"[\s\W]", "", doc.part_text(6))
        if doc.parts[6].found and _NOTHING.fullmatch(substance):
            yield self.finding("第六部分“其他需要报告的事项”仅写“无”", {"part": 6},
                               "可报告信息处理费收取情况、年度政务公开工作要点落实情况、人大代表建议和政协提案办理结果公开情况、创新举措等。")
