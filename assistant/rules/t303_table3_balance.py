from ..document.schema import TABLE3_COLUMNS
from .base import Rule, cell_location, fmt_num, ocr_doubt, sum_or_none


class Table3Balance(Rule):
    """表三收支不平衡：一 + 二 ≠ 三（七）总计 + 四。

    说明：表三某一列中，本年新收 + 上年结转 ≠ 办理结果总计 + 结转下年度继续办理时报告，每列一次。
    含有空白或非数字单元格的列不计算（由 T203 报告）。
    原因：表三自带的勾稽关系是“第一项加第二项之和，等于第三项加第四项之和”（《年度报告格式》表三）：
    本年收到的和上年结转的申请，要么本年办结，要么结转下年度。
    反例：某镇本年新收 10 件，上年结转 0 件，办理结果总计 0 件，结转下年度 0 件。
    正例：本年新收 10 件，上年结转 0 件，办结 9 件，结转下年度 1 件。
    """

    id = "T303"
    severity = "error"
    title = "表三收支不平衡（一+二≠三+四）"
    citation = "《年度报告格式》表三（勾稽关系：第一项加第二项之和等于第三项加第四项之和）"

    def check(self, ctx):
        table = ctx.document.tables.get("table3")
        if table is None:
            return
        for column in TABLE3_COLUMNS:
            new, carried_in, handled, carried_over = (
                table.value(row, column) for row in ("本年新收", "上年结转", "总计", "结转下年度继续办理"))
            left, right = sum_or_none([new, carried_in]), sum_or_none([handled, carried_over])
            if left is None or right is None or left == right:
                continue
            note = ocr_doubt(table.cell(row, column) for row in ("本年新收", "上年结转", "总计", "结转下年度继续办理"))
            yield self.finding(
                f"表三·{column}列：本年新收 {fmt_num(new)} + 上年结转 {fmt_num(carried_in)} ≠ "
                f"办理结果总计 {fmt_num(handled)} + 结转下年度 {fmt_num(carried_over)}{note}",
                cell_location(table, "总计", column),
                "核对收到的申请是否都已计入办理结果或结转下年度。",
                left=left, right=right)
