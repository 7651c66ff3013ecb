from ..document.schema import TABLE_NAMES
from .base import Rule, cell_location, fmt_num, is_number, numeric_cells


class InvalidCount(Rule):
    """计数为负数或不是整数。

    说明：表二、表三、表四中的件数小于 0 或带小数时报告（“12.0”视为整数）；表二的收费金额以万元计，
    可以有小数，但不能是负数。空白和非数字由 T203 报告。
    原因：文件、决定、申请和案件的件数只能是非负整数（《年度报告格式》（国办公开办函〔2021〕30号））；
    出现小数或负数，是录入或公式出了错。
    反例：“予以公开 | 2.5 | …”，或“行政强制 | 12.5”。
    正例：“予以公开 | 2 | …”；收费金额“45.6789”（万元）。
    """

    id = "T204"
    severity = "error"
    title = "计数为负数或非整数"
    citation = "《年度报告格式》（国办公开办函〔2021〕30号）"

    def check(self, ctx):
        for key, table in ctx.document.tables.items():
            for row, col, cell in numeric_cells(table):
                value = cell.value
                if not is_number(value):
                    continue
                is_fee = col == "本年收费金额"
                if value < 0 or (not is_fee and isinstance(value, float) and not value.is_integer()):
                    yield self.finding(f"{TABLE_NAMES[key]}·{row}·{col}为 {fmt_num(value)}，"
                                       + ("金额不能为负数" if is_fee else "件数应为非负整数"),
                                       cell_location(table, row, col), "核对原始台账，填写正确的整数。")
