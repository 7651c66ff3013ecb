import re

from .base import Rule

# “无”, “暂无”, “本年度无其他需要报告的事项” all say nothing.
_NOTHING = re.compile(r"(?:本年度|本年)?暂?无(?:其他需要报告的事项)?|")


class OtherMattersEmpty(Rule):
    """第六部分只写“无”。

    说明：第六部分“其他需要报告的事项”只写“无”“暂无”或“本年度无其他需要报告的事项”时提示。
    写了任何实际内容（哪怕只有信息处理费的说明）都不提示；有没有说明信息处理费由 N605 检查。
    原因：实践中第六部分用来报告信息处理费收取情况、本年度政务公开工作要点落实情况、人大代表建议和政协提案
    办理结果公开情况以及创新做法（《年度报告格式》第六部分），只写“无”白白浪费了这一部分。
    反例：“六、其他需要报告的事项：无”。
    正例：写明信息处理费的收取情况，再简述工作要点落实、建议提案办理和创新做法。
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
