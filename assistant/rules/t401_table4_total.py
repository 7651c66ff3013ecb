from ..document.schema import TABLE4_COLUMNS
from .base import Rule, cell_location, fmt_num, ocr_doubt, sum_or_none


class Table4Total(Rule):
    """表四某组的总计不等于各项之和。

    说明：行政复议、行政诉讼（未经复议直接起诉）、行政诉讼（复议后起诉）三组中，某组的“总计”不等于结果维持、
    结果纠正、其他结果、尚未审结四项之和时报告，每组一次。表四写成一行 15 个数或每组一行，都按组核对；
    含空白或非数字的组不计算。
    原因：每件案件要么有一种结果，要么尚未审结，总计就是这四项之和（《年度报告格式》表四）。
    反例：“行政复议 | 10 | 1 | 0 | 0 | 0”。
    正例：“行政复议 | 10 | 1 | 0 | 0 | 11”。
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
                               f" + 其他 {fmt_num(parts[2])} + 尚未审结 {fmt_num(parts[3])} = {fmt_num(expected)}"
                               f"{ocr_doubt(cols.values())}",
                               cell_location(table, group, "总计"),
                               f"把总计改为 {fmt_num(expected)}，或核对各分项。", expected=expected, actual=total)
