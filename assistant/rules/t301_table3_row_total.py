from ..document.schema import APPLICANT_COLUMNS
from .base import Rule, cell_location, fmt_num, sum_or_none


class Table3RowTotal(Rule):
    """Table 3: the 总计 column differs from the sum of the six applicant columns.

    What: in a row of table 3, 总计 ≠ 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他.
    Why: 总计 is defined as the sum of all applicant types; a difference means a value was
    mistyped or an applicant type was left out.
    Bad: “本年新收 | 3 | 1 | 0 | 0 | 0 | 0 | 5”.
    Good: “本年新收 | 3 | 1 | 0 | 0 | 0 | 0 | 4”.
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
            yield self.finding(f"表三·{row}：总计 {fmt_num(total)} ≠ 六类申请人之和 {addends} = {fmt_num(expected)}",
                               cell_location(table, row, "总计"),
                               f"核对该行各申请人列的数字，使总计等于其和（{fmt_num(expected)}）。",
                               expected=expected, actual=total)
