from .base import Rule, cell_location, fmt_num, is_number


class RegulationsInForce(Rule):
    """现行有效 does not follow from last year's count.

    What: with last year's report, 现行有效件数 ≠ last year's 现行有效件数 + 本年制发件数 −
    本年废止件数, for 规章 or 行政规范性文件 in table 2.
    Why: the documents in force at the end of the year are last year's stock plus what was
    issued minus what was repealed; a difference points to a wrong count in one of the years.
    Bad: last year 20 in force; this year 3 issued, 1 repealed, 25 in force.
    Good: 22 in force.
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
