import re

from .base import Rule

# What the title parser returns when the title has no name ("2023年政府信息公开工作年度报告").
_GENERIC = ("政府", "人民政府")


class YearAgency(Rule):
    """无法确定报告年度或发布机关。

    说明：标题中读不出报告年度，或者标题和落款都没有写明发布机关时报告。标题没写机关名称、但落款写明了的，
    不报告；引言中的统计期限不作为判断年度的依据。
    原因：《条例》第四十九条、第五十条要求各机关按年度报告上一年度的工作；说不清是哪个机关、哪一年度的报告，
    就无法归档、比较，也无法判断是否按期发布。
    反例：标题为“政府信息公开工作年度报告”，文末也没有落款机关。
    正例：“青石县人民政府2023年政府信息公开工作年度报告”。
    """

    id = "S104"
    severity = "warning"
    title = "无法确定报告年度或机关"
    citation = "《条例》第四十九条、第五十条"

    def check(self, ctx):
        meta = ctx.document.meta
        agency = meta.agency
        if agency in _GENERIC:  # not a name: accept a signature line instead
            agency = next((p.text for p in ctx.document.paragraphs
                           if p.part == 7 and not re.search(r"\d{4}\s*(?:年|[-./]\s*\d)", p.text)), "")
        missing = [name for name, value in (("报告年度", meta.year), ("发布机关", agency)) if not value]
        if missing:
            yield self.finding(
                f"从标题和正文中无法确定{'和'.join(missing)}", {"part": 0},
                "标题写成“××（机关全称）××××年政府信息公开工作年度报告”的形式。")
