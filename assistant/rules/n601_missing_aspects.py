from .base import Rule
from .n603_empty_overview import empty_overview


class MissingAspects(Rule):
    """总体情况没有涉及所选方案规定的某个方面。

    说明：用主题分类模型逐句判断总体情况涉及哪些方面，小标题（如“（二）依申请公开情况”）也算依据，
    短句同样计入（“全年收到申请0件。”）。所选方案（默认 format2021：主动公开、依申请公开、政府信息管理、
    政府信息公开平台建设、监督保障）中的某一方面没有任何一句或小标题涉及时报告，每缺一个方面报告一次，
    并说明该写什么。只有套话涉及的方面不在此报告，由 N609 报告。需要 NLP 模型；总体情况缺失或为空时由
    S101、N603 报告。
    原因：《年度报告格式》第一部分要求总体情况概述这五个方面的工作（《条例》第五十条）。
    反例：总体情况只写了成立领导小组和组织培训。
    正例：每个方面至少写一句，写明做了什么以及相应的数字，哪怕是“全年收到政府信息公开申请0件”。
    """

    id = "N601"
    severity = "warning"
    title = "总体情况未覆盖规定的方面"
    citation = "《年度报告格式》第一部分；《条例》第五十条"
    needs_analysis = True

    def check(self, ctx):
        if empty_overview(ctx.document):
            return  # N603 reports an overview with nothing in it, once rather than once per aspect
        for aspect, advice in ctx.analysis.missing_aspects(ctx.scheme):
            yield self.finding(f"总体情况未涉及“{aspect}”方面的工作", {"part": 1}, advice, aspect=aspect)
