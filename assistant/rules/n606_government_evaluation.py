import re

from .base import Rule

_ITEMS = (("工作考核", re.compile(r"考核|考评")), ("社会评议", re.compile(r"评议|测评|满意度")),
          ("责任追究", re.compile(r"责任追究|追责|问责|追究")))


class GovernmentEvaluation(Rule):
    """人民政府的报告未说明工作考核、社会评议和责任追究的结果。

    说明：人民政府（省、市、县、乡镇人民政府和街道办事处）的报告全文没有提到考核（考评）、评议（测评、
    满意度）或责任追究（追责、问责）中的一项或几项时报告，一次列出所缺各项。政府部门的报告不检查；
    只看有没有提到，不判断结果写得是否具体。
    原因：《条例》第五十条第（四）项要求人民政府在年度报告中说明依第四十六条建立的工作考核、社会评议
    和责任追究制度的落实结果。
    反例：某县人民政府的报告通篇没有提到考核、评议或责任追究。
    正例：“将政务公开纳入乡镇绩效考核，占分4%；开展社会评议，满意度96%；全年未发生责任追究情形。”
    """

    id = "N606"
    severity = "warning"
    title = "人民政府报告未说明考核、评议和责任追究结果"
    citation = "《条例》第五十条第（四）项、第四十六条"

    def check(self, ctx):
        doc = ctx.document
        if doc.meta.agency_kind != "government":
            return
        text = "\n".join(p.text for p in doc.paragraphs)
        missing = [name for name, pattern in _ITEMS if not pattern.search(text)]
        if missing:
            yield self.finding(f"人民政府的年度报告未说明{'、'.join(missing)}的结果", {"part": 1},
                               "在总体情况（监督保障）或第五部分写明工作考核、社会评议和责任追究的开展情况和结果；"
                               "未发生责任追究的也应写明。", missing=missing)
