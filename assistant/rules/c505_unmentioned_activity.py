import re

from ..document.schema import part_label
from .base import Rule, fmt_num, is_number

_CHECKS = (
    ("table3", ("本年新收",), "收到政府信息公开申请", re.compile(r"申请"), (1, 3)),
    ("table4", ("行政复议",), "政府信息公开行政复议案件", re.compile(r"复议"), (1, 4)),
    ("table4", ("行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉"), "政府信息公开行政诉讼案件",
     re.compile(r"诉讼|起诉"), (1, 4)),
)


class UnmentionedActivity(Rule):
    """表格中的工作在正文中未作说明。

    说明：表三本年新收申请总计大于 0，而总体情况和第三部分的文字都没有提到“申请”；或者表四行政复议
    （行政诉讼）总计大于 0，而总体情况和第四部分的文字都没有提到“复议”（“诉讼”或“起诉”）时报告，
    每项一次。只看有没有提到，不核对数字（数字由 C501 核对）。
    原因：《条例》第五十条第（二）（三）项要求报告依申请公开的办理情况以及因此引起的行政复议、
    行政诉讼情况；只有表格里的数字，读者不知道发生了什么。
    反例：表四显示行政复议 2 件，正文从未提到复议。
    正例：“全年发生政府信息公开行政复议2件，维持1件，纠正1件，已按复议决定重新答复。”
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
                               f"在总体情况或{part_label(parts[-1])}简要说明{what}的数量、办理情况和结果。")
