from ..document.schema import TABLE4_COLUMNS
from .base import Rule, cell_location, fmt_num, sum_or_none


class Table4Total(Rule):
    """Table 4: a group's 总计 differs from 维持 + 纠正 + 其他 + 尚未审结.

    What: in 行政复议, 行政诉讼·未经复议直接起诉 or 行政诉讼·复议后起诉, 总计 ≠ 结果维持 +
    结果纠正 + 其他结果 + 尚未审结.
    Why: every case ends in exactly one result or is still pending; the total is their sum.
    Bad: “行政复议 | 10 | 1 | 0 | 0 | 0”.
    Good: “行政复议 | 10 | 1 | 0 | 0 | 11”.
    """

    id = "T401"
    severity = "error"
    title = "表四各组总计与分项之和不符"
    citation = "《年度报告格式》表四"

    def check(self, ctx):
        table = ctx.document.tables.get("table4")
        if table is None:
            return
        for group, cols in table.cells.items():
            parts = [cols[c].value if c in cols else None for c in TABLE4_COLUMNS[:4]]
            total = cols["总计"].value if "总计" in cols else None
            expected = sum_or_none(parts)
            if expected is None or sum_or_none([total]) is None or expected == total:
                continue
            name = group.replace("/", "·")
            yield self.finding(f"表四·{name}：总计 {fmt_num(total)} ≠ 维持 {fmt_num(parts[0])} + 纠正 {fmt_num(parts[1])}"
                               f" + 其他 {fmt_num(parts[2])} + 尚未审结 {fmt_num(parts[3])} = {fmt_num(expected)}",
                               cell_location(table, group, "总计"),
                               f"把总计改为 {fmt_num(expected)}，或核对各分项。", expected=expected, actual=total)
