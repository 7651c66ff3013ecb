import re

from .base import Rule, fmt_num, is_number

_CHECKS = (
    ("table3", ("本年新收",), "收到政府信息公开申请", re.compile(r"申请"), (1, 3)),
    ("table4", ("行政复议",), "政府信息公开行政复议案件", re.compile(r"复议"), (1, 4)),
    ("table4", ("行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉"), "政府信息公开行政诉讼案件",
     re.compile(r"诉讼|起诉"), (1, 4)),
)


class UnmentionedActivity(Rule):
    """The tables show activity that the narrative never mentions.

    What: table 3 counts new requests, or table 4 counts 行政复议 or 行政诉讼 cases, but no
    sentence of the narrative parts speaks of them.
    Why: 第五十条 asks the report to describe how requests were handled and the reconsideration
    and litigation they caused; numbers alone do not say what happened.
    Bad: table 4 shows 2 行政复议 cases; the text never mentions 复议.
    Good: “全年发生政府信息公开行政复议2件，维持1件，纠正1件，已按复议决定重新答复。”
    """

    id = "C505"
    severity = "warning"
    title = "表格中的工作在正文中未作说明"
    citation = "《条例》第五十条第（二）（三）项"

    def check(self, ctx):
        doc = ctx.document
        for table_key, rows, what, mention, parts in _CHECKS:
            table = doc.tables.get(table_key)
            if table is None:
                continue
            column = "总计"
            values = [table.value(r, column) for r in rows]
            if not all(is_number(v) for v in values) or sum(values) <= 0:
                continue
            if any(mention.search(p.text) for p in doc.paragraphs if p.part in parts):
                continue
            yield self.finding(f"表格显示{what} {fmt_num(sum(values))} 件，正文却未提及",
                               {"part": parts[-1], "table": table_key, "row": rows[0], "column": column},
                               f"在总体情况或第{'一二三四五六'[parts[-1] - 1]}部分简要说明{what}的数量、办理情况和结果。")
