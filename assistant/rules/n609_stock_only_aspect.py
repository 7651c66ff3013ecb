from ..nlp.schemes import ADVICE
from .base import Rule


class StockOnlyAspect(Rule):
    """总体情况涉及某个方面，但只有套话，没有具体内容。

    说明：用主题分类模型找出总体情况中涉及所选方案每个方面的句子和小标题，再用套话评分模型给这些句子打分；
    某一方面虽然被提到，但提到它的每一句都是套话（没有数字、日期、具体的平台、文件、活动或结果），或者只有
    一个小标题，就报告这一方面，并列出这些句子（有句子时不列小标题）；只有小标题、标题下没有任何内容时，
    消息写明“标题下没有内容”。与 N601（完全没有涉及）是两种不同的问题，整改方法也不同：这里不需要补一段，
    而是把已有的表述换成本年度的具体做法和数字（空标题则补上内容）。需要 NLP 模型。
    原因：《条例》第五十条要求年度报告反映本年度实际开展的工作；审核中常见只写“进一步加大主动公开力度”
    而不写公开了什么、多少条的报告。
    反例：“（一）主动公开。坚持以公开为常态、不公开为例外，进一步加大主动公开力度，切实保障人民群众知情权。”
    正例：“（一）主动公开。全年在区政府网站主动公开政府信息236条，其中政策文件18件、政策解读12篇。”
    """

    id = "N609"
    severity = "warning"
    title = "总体情况某方面只有套话"
    citation = "《年度报告格式》第一部分；《条例》第五十条"
    needs_analysis = True

    def check(self, ctx):
        for aspect, found in ctx.analysis.stock_only_aspects(ctx.scheme):
            statements = [s for s in found if not s.heading]
            if statements:
                quoted = "；".join(f"“{s.text[:40]}”" for s in statements[:3])
                message = f"总体情况提到了“{aspect}”，但只有套话，没有具体内容：{quoted}"
                fix = "把这些表述换成本年度的具体做法、数量和结果。"
            else:
                # a sub-heading with nothing under it: a gap to fill, not wording to replace
                quoted = "；".join(f"“{s.text[:40]}”" for s in found[:3])
                message = f"总体情况有“{aspect}”的小标题，但标题下没有内容：{quoted}"
                fix = "在这个小标题下写本年度的具体做法、数量和结果，或删去空标题。"
            yield self.finding(message, {"part": 1}, fix + ADVICE[aspect], aspect=aspect,
                               sentences=[s.text for s in found])
