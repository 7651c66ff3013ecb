from .base import Rule


class MissingAspects(Rule):
    """总体情况没有覆盖所选方案规定的方面。

    说明：用主题分类模型判断总体情况中每段（20 字以上）涉及哪些方面；所选方案（默认 format2021：主动公开、
    依申请公开、政府信息管理、政府信息公开平台建设、监督保障）中的某一方面没有任何一段涉及时报告，
    每缺一个方面报告一次，并说明该写什么。需要 NLP 模型；总体情况缺失或为空时由 S101、N603 报告。
    原因：《年度报告格式》第一部分要求总体情况概述这五个方面的工作（《条例》第五十条）。
    反例：总体情况只写了成立领导小组和组织培训。
    正例：每个方面至少一段，写明做了什么以及相应的数字。
    """

    id = "N601"
    severity = "warning"
    title = "总体情况未覆盖规定的方面"
    citation = "《年度报告格式》第一部分；《条例》第五十条"
    needs_analysis = True

    def check(self, ctx):
        for aspect, advice in ctx.analysis.missing_aspects(ctx.scheme):
            yield self.finding(f"总体情况未涉及“{aspect}”方面的工作", {"part": 1}, advice, aspect=aspect)
