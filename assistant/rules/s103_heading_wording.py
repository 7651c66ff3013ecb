import re

from ..document.normalize import label_key, strip_numbering
from ..document.schema import PART_TITLES, part_heading
from .base import Rule, part_name


class HeadingWording(Rule):
    """部分标题与格式规定的表述不一致。

    说明：某一部分的标题不包含 2021 年格式规定的标题文字时提示。在规定标题前后加字（如“2023年政府信息公开
    工作总体情况”）、标点和编号的写法、用“和”“及”代替顿号（“行政复议和行政诉讼情况”）都不算不一致；
    换了说法（“基本情况”“依申请公开情况”“其他事项”）则提示。
    原因：《年度报告格式》（国办公开办函〔2021〕30号）统一了各部分的标题，审核时按标题逐部分对照；
    沿用旧说法往往说明没有按现行格式编写。
    反例：“一、基本情况”“六、其他事项”。
    正例：“一、总体情况”“六、其他需要报告的事项”。
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
                    f"改为“{part_heading(number)}”。")
