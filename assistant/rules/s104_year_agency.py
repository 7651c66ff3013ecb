import re

from .base import Rule

# What the title parser returns when the title has no name ("2023年政府信息公开工作年度报告").
_GENERIC = ("政府", "人民政府")


class YearAgency(Rule):
    """The report year or the agency cannot be determined.

    What: neither the title nor the preamble or signature names the reporting agency and the
    year the report covers.
    Why: 第四十九条 and 第五十条 make each agency report on one calendar year; a report that
    does not say whose and which year it is cannot be filed, compared or checked for deadlines.
    Bad: a title “政府信息公开工作年度报告” with no agency and no year.
    Good: “青石县人民政府2023年政府信息公开工作年度报告”.
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
