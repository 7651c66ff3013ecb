from ..document.schema import part_heading
from .base import Rule, part_name


class MissingPart(Rule):
    """缺少年度报告格式规定的某一部分。

    说明：2021 年格式的报告由一至六共六个部分组成；某一部分的标题找不到时报告，每缺一部分报告一次。
    标题的常见写法（有无“#”，“一、”“五.”或“第五部分”，前面多加“政府信息公开工作”等字样）都能识别；
    其他部分用“一、”编号时，写成“（五）……”的标题视为小标题。只有标题、内容写“无”的部分不在此报告，
    见 N603、N604、N607。
    原因：《条例》第五十条规定了年度报告应当包括的内容，《年度报告格式》（国办公开办函〔2021〕30号）
    把这些内容固定为六个部分；缺一个部分，就缺了一项法定内容。
    反例：写完“四、政府信息公开行政复议、行政诉讼情况”的表格后直接落款，没有第五、第六部分。
    正例：六个标题齐全，如“五、存在的主要问题及改进情况”之下写明本年度的问题和改进措施。
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
                    f"按 2021 年格式补写“{part_heading(number)}”一节。")
