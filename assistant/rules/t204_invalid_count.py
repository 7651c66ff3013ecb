from .base import Rule, cell_location, fmt_num, is_number, numeric_cells

_TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}


class InvalidCount(Rule):
    """A count is negative or not an integer.

    What: a count in tables 2–4 is below zero or has a fractional part (the fee amount of
    table 2, in 万元, may have decimals but cannot be negative).
    Why: counts of documents, decisions, requests and cases are whole non-negative numbers;
    anything else is a typing or formula error.
    Bad: “予以公开 | 2.5 | …” or “结转下年度继续办理 | -1 | …”.
    Good: “予以公开 | 2 | …”.
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
                    yield self.finding(f"{_TABLE_NAMES[key]}·{row}·{col}为 {fmt_num(value)}，"
                                       + ("金额不能为负数" if is_fee else "件数应为非负整数"),
                                       cell_location(table, row, col), "核对原始台账，填写正确的整数。")
