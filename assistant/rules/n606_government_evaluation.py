import re

from .base import Rule

_ITEMS = (("工作考核", re.compile(r"考核|考评")), ("社会评议", re.compile(r"评议|测评|满意度")),
          ("责任追究", re.compile(r"责任追究|追责|问责|追究")))


class GovernmentEvaluation(Rule):
    """A people's government's report lacks the results of 考核, 评议 and 追究.

    What: the report of a people's government (province to township, street office) does not
    mention one or more of 工作考核, 社会评议 and 责任追究 and their results.
    Why: 第五十条第（四）项 requires people's governments to report the results of the
    工作考核、社会评议和责任追究 set up under 第四十六条.
    Bad: a county government's report that never mentions 考核, 评议 or 追究.
    Good: “将政务公开纳入乡镇绩效考核，占分4%；开展社会评议，满意度96%；全年未发生责任追究情形。”
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
