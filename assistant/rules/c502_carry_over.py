from ..document.schema import TABLE3_COLUMNS
from .base import Rule, cell_location, fmt_num, is_number


class CarryOver(Rule):
    """本年“上年结转”与上年报告的“结转下年度继续办理”不一致。

    说明：提供上年报告时，逐列比较本年表三第二行“上年结转政府信息公开申请数量”与上年表三第四行
    “结转下年度继续办理”，有不同的列就报告一次，列出各列的差异。没有上年报告时不检查。
    原因：上年年底结转的申请，就是本年年初接着办理的申请；两者不同，说明两份报告中有一份有误
    （《年度报告格式》表三）。
    反例：2022 年度报告结转下年度总计 2 件，2023 年度报告上年结转总计 0 件。
    正例：2023 年度报告上年结转总计 2 件，各类申请人的分布也与上年一致。
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
