from ..document.schema import TABLE_NAMES
from .base import Rule

_KIND = {"missing_row": "缺少行", "collapsed_row": "合并了应分列的子项", "garbled_label": "行名与模板不符",
         "reordered_rows": "行序与模板不一致", "missing_column": "缺少或改动了列", "short_row": "数值个数不足",
         "duplicate_row": "行重复"}


class TemplateDeviation(Rule):
    """表格的行或列与模板不一致。

    说明：表二、表三、表四缺少模板中的行或列，行名改得无法对应，行序颠倒，同一行重复，或者把应分项填报的一组
    合并成一行（如“（六）其他处理”只填一行）时报告。“（一）”与“(一)”、引号样式、省略行首编号都不算不一致；
    整张表二用 2019 年试行格式的由 S106 报告，不在此重复报告缺行。网页复制丢了单元格分隔、表三一行的数值连成
    一串（如“0000000”，位数等于列数且前几位之和等于末位的总计）时，按每位一个单元格读取，整张表报告一次。
    原因：各表按行汇总、在机关之间逐行比较；缺行、并行会丢掉《年度报告格式》（国办公开办函〔2021〕30号）
    要求的信息，也无法核对勾稽关系。
    反例：表三“（六）其他处理”只有一行“2 | 0 | 0 | 0 | 0 | 0 | 2”，没有 1—3 三个子项。
    正例：分列“1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请”“2.申请人逾期未按收费通知要求
    缴纳费用、行政机关不再处理其政府信息公开申请”“3.其他”三行。
    """

    id = "T202"
    severity = "warning"
    title = "表格行列与模板不一致"
    citation = "《年度报告格式》（国办公开办函〔2021〕30号）"

    def check(self, ctx):
        for key, table in ctx.document.tables.items():
            if table is None:
                continue
            old_format = any(i.kind == "format2019" for i in table.issues)  # S106 reports it; its rows are not lost
            missing = [] if old_format else [i.row for i in table.issues if i.kind == "missing_row"]
            if missing:
                shown = "、".join(missing[:6]) + ("等" if len(missing) > 6 else "")
                yield self.finding(f"{TABLE_NAMES[key]}缺少 {len(missing)} 行：{shown}",
                                   {"part": table.part, "table": key, "row": missing[0]},
                                   "按表样补齐缺少的行，没有发生的情形填 0。", rows=missing)
            glued = [i for i in table.issues if i.kind == "glued_cells"]
            if glued:  # one finding for the table: it is one copying accident, not a fault per row
                shown = "、".join(f"“{i.row}”{i.detail}" for i in glued[:3]) + ("等" if len(glued) > 3 else "")
                yield self.finding(
                    f"{TABLE_NAMES[key]}有 {len(glued)} 行的数值连成了一串，已按每位数字一个单元格读取：{shown}",
                    {"part": table.part, "table": key, "row": glued[0].row},
                    "网页复制时丢失了单元格之间的分隔。请核对这些行，在数值之间加上分隔（制表符、空格或“|”），"
                    "或从原始文件重新复制表格。", kind="glued_cells", rows=[i.row for i in glued])
            for issue in table.issues:
                if issue.kind in ("missing_row", "format2019", "glued_cells"):
                    continue
                what = _KIND.get(issue.kind, issue.kind)
                subject = f"“{issue.row}”" if issue.row else ""
                yield self.finding(
                    f"{TABLE_NAMES[key]}{subject}{what}" + (f"：{issue.detail}" if issue.detail else ""),
                    {"part": table.part, "table": key, "row": issue.row, "column": issue.column},
                    "按 2021 年格式的表样恢复原有的行名、列名和行序，合并行拆分为各子项分别填报。",
                    kind=issue.kind)
