from .base import Rule, cell_location, is_number, numeric_cells

_TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}


class NonNumericCell(Rule):
    """A cell that must hold a number is blank, “/”, “—” or text.

    What: lists the cells of tables 2–4 that hold no number.
    Why: every cell of the statistical tables is a count (or an amount in 万元); a case that
    did not occur is 0. Blanks and dashes make totals uncheckable and are read as missing data.
    Bad: “行政复议 | / | / | / | / | /”.
    Good: “行政复议 | 0 | 0 | 0 | 0 | 0”.
    """

    id = "T203"
    severity = "warning"
    title = "应填数字的单元格为空或非数字"
    citation = "《年度报告格式》（国办公开办函〔2021〕30号）"

    def check(self, ctx):
        for key, table in ctx.document.tables.items():
            bad = [(row, col, cell) for row, col, cell in numeric_cells(table) if not is_number(cell.value)]
            if not bad:
                continue
            shown = "；".join(f"{row}·{col}“{cell.raw.strip() or '空'}”" for row, col, cell in bad[:8])
            more = f" 等 {len(bad)} 处" if len(bad) > 8 else ""
            row, col, _ = bad[0]
            yield self.finding(f"{_TABLE_NAMES[key]}有 {len(bad)} 个单元格未填数字：{shown}{more}",
                               cell_location(table, row, col),
                               "没有发生的情形填 0，不要留空或填“/”“—”“无”。",
                               cells=[[r, c] for r, c, _ in bad])
