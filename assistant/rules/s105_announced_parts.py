import re

from ..document.normalize import chinese_number
from .base import Rule

# The announcement usually lists every part title before the count, so allow a long gap.
_ANNOUNCE = re.compile(r"(?:共|包括|分为|分|由)[^。；]{0,150}?(?<![第\d])([一二三四五六七八九十两\d]+)\s*(?:个)?部分")


class AnnouncedParts(Rule):
    """The preamble announces a number of parts that differs from what follows.

    What: the introduction says the report has N parts but a different number of part
    headings follows.
    Why: a mismatch shows that a part was dropped or the preamble was copied from another
    report; readers rely on the announced structure.
    Bad: “本报告包括总体情况……其他需要报告的事项六部分” followed by five parts.
    Good: the announced count equals the parts that follow (six in the 2021 format).
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
                announced = chinese_number(match.group(1))
                if announced and announced > 1 and announced != found:  # “一部分” means “a portion”
                    yield self.finding(
                        f"引言称报告共{match.group(1)}部分，正文实际有 {found} 个部分",
                        {"part": 0, "paragraph": paragraph.index},
                        "核对是否遗漏了某一部分，或修改引言中的部分数。",
                        announced=announced, found=found)
                return
