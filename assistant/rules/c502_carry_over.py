from ..document.schema import TABLE3_COLUMNS
from .base import Rule, cell_location, fmt_num, is_number


class CarryOver(Rule):
    """This year's 上年结转 differs from last year's 结转下年度继续办理.

    What: compared with last year's report, a column of table 3 row 二、上年结转 differs from
    last year's row 四、结转下年度继续办理.
    Why: requests carried over at the end of last year are exactly those carried in at the
    start of this year; a difference means one of the two reports is wrong.
    Bad: 2022 report: 结转下年度继续办理 总计 2; 2023 report: 上年结转 总计 0.
    Good: 2023 report: 上年结转 总计 2.
    """

    id = "C502"
    severity = "error"
    title = "上年结转与上年报告的结转下年度不一致"
    citation = "《年度报告格式》表三"
    needs_previous = True

    def check(self, ctx):
        table, previous = ctx.document.tables.get("table3"), ctx.previous.tables.get("table3")
        if table is None or previous is None:
            return
        diffs = []
        for column in TABLE3_COLUMNS:
            now, before = table.value("上年结转", column), previous.value("结转下年度继续办理", column)
            if is_number(now) and is_number(before) and now != before:
                diffs.append((column, now, before))
        if diffs:
            shown = "；".join(f"{c}：本年 {fmt_num(n)}，上年 {fmt_num(b)}" for c, n, b in diffs)
            yield self.finding(f"表三“上年结转”与上年报告“结转下年度继续办理”不一致（{shown}）",
                               cell_location(table, "上年结转", diffs[0][0]),
                               "以上年报告的结转数为准核对本年“上年结转”，或更正上年报告。",
                               columns=[c for c, _, _ in diffs])
