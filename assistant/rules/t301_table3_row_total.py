from ..document.schema import APPLICANT_COLUMNS
from .base import Rule, cell_location, fmt_num, ocr_doubt, sum_or_none


class Table3RowTotal(Rule):
    """表三的总计列不等于六类申请人之和。

    说明：表三某一行的“总计”不等于自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他六列之和时
    报告，每行一次。含有空白或非数字单元格的行不计算（由 T203 报告）。
    原因：《年度报告格式》表三的“总计”是各类申请人的合计；对不上，说明有数字录错或漏了某类申请人。
    反例：“本年新收 | 3 | 1 | 0 | 0 | 0 | 0 | 5”。
    正例：“本年新收 | 3 | 1 | 0 | 0 | 0 | 0 | 4”。
    """

    id = "T301"
    severity = "error"
    title = "表三总计列与各申请人列之和不符"
    citation = "《年度报告格式》表三"

    def check(self, ctx):
        table = ctx.document.tables.get("table3")
        if table is None:
            return
        for row, cols in table.cells.items():
            parts = [cols[c].value if c in cols else None for c in APPLICANT_COLUMNS]
            total = cols["总计"].value if "总计" in cols else None
            expected = sum_or_none(parts)
            if expected is None or sum_or_none([total]) is None or expected == total:
                continue
            addends = " + ".join(fmt_num(v) for v in parts)
            note = ocr_doubt(cols.get(c) for c in (*APPLICANT_COLUMNS, "总计"))
            yield self.finding(f"表三·{row}：总计 {fmt_num(total)} ≠ 六类申请人之和 {addends} = {fmt_num(expected)}{note}",
                               cell_location(table, row, "总计"),
                               f"核对该行各申请人列的数字，使总计等于其和（{fmt_num(expected)}）。",
                               expected=expected, actual=total)
