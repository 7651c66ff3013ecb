from .base import Rule, cell_location, fmt_num, is_number


class RegulationsInForce(Rule):
    """现行有效件数与上年不衔接。

    说明：提供上年报告时，对表二的规章和行政规范性文件两行分别核对：本年现行有效件数应等于上年现行有效件数
    + 本年制发件数 − 本年废止件数，不等时报告。任一数字缺失或不是数字时不核对。没有上年报告时不检查。
    原因：年底现行有效的文件，就是上年的存量加上本年制发、减去本年废止的文件（《年度报告格式》表二
    第二十条第（一）项）；不衔接，说明某一年统计有误，或者有未说明的集中清理。
    反例：上年现行有效 20 件，本年制发 3 件、废止 1 件，本年现行有效填 25 件。
    正例：本年现行有效填 22 件。
    """

    id = "C503"
    severity = "warning"
    title = "现行有效件数与上年不衔接"
    citation = "《年度报告格式》表二 第二十条第（一）项"
    needs_previous = True

    def check(self, ctx):
        table, previous = ctx.document.tables.get("table2"), ctx.previous.tables.get("table2")
        if table is None or previous is None:
            return
        for row in ("规章", "行政规范性文件"):
            before = previous.value(row, "现行有效件数")
            made, repealed, now = (table.value(row, c) for c in ("本年制发件数", "本年废止件数", "现行有效件数"))
            if not all(is_number(v) for v in (before, made, repealed, now)):
                continue
            expected = before + made - repealed
            if expected != now:
                yield self.finding(
                    f"表二·{row}：现行有效 {fmt_num(now)} ≠ 上年现行有效 {fmt_num(before)} + 本年制发 {fmt_num(made)}"
                    f" − 本年废止 {fmt_num(repealed)} = {fmt_num(expected)}",
                    cell_location(table, row, "现行有效件数"),
                    "核对文件清理台账，说明差异原因或更正数字。", expected=expected, actual=now)
