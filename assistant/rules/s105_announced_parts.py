import re

from ..numerals import parse_chinese
from .base import Rule

# The announcement usually lists every part title before the count, so allow a long gap.
_ANNOUNCE = re.compile(r"(?:共|包括|分为|分|由)[^。；]{0,150}?(?<![第\d])([一二三四五六七八九十两\d]+)\s*(?:个)?部分")


class AnnouncedParts(Rule):
    """引言所说的部分数与正文不符。

    说明：引言中写明“共×部分”“由……×部分组成”，而正文实际识别出的部分数不同时报告。只看引言中第一处这样的
    表述；“其中一部分”（意为“一些”）和“第×部分”不算部分数。
    原因：部分数对不上，说明漏写了某一部分，或者引言是从别的报告照搬的；读者靠引言了解报告结构，
    《年度报告格式》（国办公开办函〔2021〕30号）规定报告共六部分。
    反例：引言称“由总体情况……其他需要报告的事项六部分组成”，正文只有五个部分。
    正例：引言所说的部分数与正文一致，按 2021 年格式为六部分。
    """

    id = "S105"
    severity = "warning"
    title = "引言所述部分数与正文不符"
    citation = "《年度报告格式》（国办公开办函〔2021〕30号）"

    def check(self, ctx):
        doc = ctx.document
        found = sum(part.found for part in doc.parts.values())
        for paragraph in doc.part_paragraphs(0):
            match = _ANNOUNCE.search(paragraph.text)
            if match:
                announced = parse_chinese(match.group(1))
                if announced and announced > 1 and announced != found:  # “一部分” means “a portion”
                    yield self.finding(
                        f"引言称报告共{match.group(1)}部分，正文实际有 {found} 个部分",
                        {"part": 0, "paragraph": paragraph.index},
                        "核对是否遗漏了某一部分，或修改引言中的部分数。",
                        announced=announced, found=found)
                return
