from ..document.schema import TABLE_NAMES
from .base import Rule, cell_location, is_number, numeric_cells


class NonNumericCell(Rule):
    """应填数字的单元格为空、“/”、“—”或文字。

    说明：列出表二、表三、表四中没有填数字的单元格，每张表报告一次，最多列出 8 处。全角数字、
    千位分隔符（1,234）和“0.0000”都算数字。
    原因：各表的单元格都是件数，收费一栏是以万元计的金额，没有发生的情形应填 0（《年度报告格式》
    （国办公开办函〔2021〕30号））；空白和横线使总计无法核对，也会被当作漏报。
    反例：“行政复议 | / | / | / | / | /”。
    正例：“行政复议 | 0 | 0 | 0 | 0 | 0”。
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
            yield self.finding(f"{TABLE_NAMES[key]}有 {len(bad)} 个单元格未填数字：{shown}{more}",
                               cell_location(table, row, col),
                               "没有发生的情形填 0，不要留空或填“/”“—”“无”。",
                               cells=[[r, c] for r, c, _ in bad])
