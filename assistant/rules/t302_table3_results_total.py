from ..document.schema import TABLE3_COLUMNS, TABLE3_RESULT_KEYS
from .base import Rule, cell_location, fmt_num, ocr_doubt, sum_or_none


def result_addends(table, column):
    """Values of the result rows for one column; a collapsed group counts as its one row."""
    values = []
    for group in ("不予公开", "无法提供", "不予处理", "其他处理"):
        if group in table.extra:
            values.append(table.extra[group][column].value)
    for key in TABLE3_RESULT_KEYS:
        if key.split("/")[0] in table.extra:
            continue
        values.append(table.value(key, column) if key in table.cells else None)
    return values


class Table3ResultsTotal(Rule):
    """表三的（七）总计不等于各项办理结果之和。

    说明：表三某一列中，“（七）总计”不等于（一）予以公开、（二）部分公开、（三）不予公开第 1—8 项、
    （四）无法提供第 1—3 项、（五）不予处理第 1—5 项、（六）其他处理第 1—3 项之和时报告，每列一次。
    某组只填了一行的按这一行计算（合并本身由 T202 报告）；含空白或非数字的列不计算。
    原因：（七）总计是本年度办理完毕的申请数，每件申请只计入一种办理结果，部分公开的“只计这一情形，
    不计其他情形”（《年度报告格式》表三）。
    反例：予以公开 5、部分公开 1、其余各项为 0，（七）总计填 7。
    正例：同样的结果，（七）总计填 6。
    """

    id = "T302"
    severity = "error"
    title = "表三办理结果总计与各项之和不符"
    citation = "《年度报告格式》表三"

    def check(self, ctx):
        table = ctx.document.tables.get("table3")
        if table is None or "总计" not in table.cells:
            return
        for column in TABLE3_COLUMNS:
            expected = sum_or_none(result_addends(table, column))
            total = table.value("总计", column)
            if expected is None or sum_or_none([total]) is None or expected == total:
                continue
            cells = [cols.get(column) for key, cols in table.cells.items() if key in TABLE3_RESULT_KEYS or key == "总计"]
            note = ocr_doubt(cells + [cols.get(column) for cols in table.extra.values()])
            yield self.finding(f"表三·{column}列：（七）总计 {fmt_num(total)} ≠ 各项办理结果之和 {fmt_num(expected)}{note}",
                               cell_location(table, "总计", column),
                               "逐行核对（一）至（六）各项，使（七）总计等于其和。",
                               expected=expected, actual=total)
