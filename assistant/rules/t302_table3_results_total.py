from ..document.schema import TABLE3_COLUMNS, TABLE3_RESULT_KEYS
from .base import Rule, cell_location, fmt_num, sum_or_none


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
    """Table 3: （七）总计 differs from the sum of the handling results.

    What: in a column of table 3, （七）总计 ≠ （一）予以公开 + （二）部分公开 + the eight
    （三）不予公开 rows + the three （四）无法提供 rows + the five （五）不予处理 rows + the three
    （六）其他处理 rows.
    Why: （七）总计 is by definition the number of requests answered this year; every answered
    request falls in exactly one result row.
    Bad: 予以公开 5, 部分公开 1, all other rows 0, （七）总计 7.
    Good: 予以公开 5, 部分公开 1, all other rows 0, （七）总计 6.
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
            yield self.finding(f"表三·{column}列：（七）总计 {fmt_num(total)} ≠ 各项办理结果之和 {fmt_num(expected)}",
                               cell_location(table, "总计", column),
                               "逐行核对（一）至（六）各项，使（七）总计等于其和。",
                               expected=expected, actual=total)
