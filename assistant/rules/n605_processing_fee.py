import re

from .base import Rule

_FEE = re.compile(r"信息处理费|处理费|收费通知|收取[^。；，,]{0,6}费|收费")


class ProcessingFee(Rule):
    """Part 六 says nothing about the 信息处理费.

    What: part 六 does not state whether an 信息处理费 was charged — even “未收取” must be
    stated.
    Why: the 2021 format asks part 六 to report fees charged under 《政府信息公开信息处理费
    管理办法》 (国办函〔2020〕109号, under 第四十二条); reviewers expect the statement every year.
    Bad: “六、其他需要报告的事项：无”.
    Good: “本年度未发出收费通知，未收取信息处理费。”
    """

    id = "N605"
    severity = "warning"
    title = "未说明信息处理费收取情况"
    citation = "《条例》第四十二条；国办函〔2020〕109号；《年度报告格式》第六部分"

    def check(self, ctx):
        doc = ctx.document
        if doc.parts[6].found and not _FEE.search(doc.part_text(6)):
            yield self.finding("第六部分未说明本年度信息处理费的收取情况", {"part": 6},
                               "写明收费情况，例如：“本年度未发出收费通知，未收取信息处理费。”")
