import re

from ..document.normalize import nfkc
from .base import Rule, cell_location


class FeeUnit(Rule):
    """收费金额的单位不是万元。

    说明：表二第二十条第（八）项的“本年收费金额”表头写成以元为单位（如“（单位：元）”“（元）”），
    或者金额单元格带有“元”字时提示。表头为“（单位：万元）”、另注保留 4 位小数的不提示；
    只看单位的写法，不判断金额大小是否合理。
    原因：《年度报告格式》表二规定收费金额以万元计（实践中多保留 4 位小数）；按元填报，汇总时金额会放大一万倍。
    反例：表头“本年收费金额（单位：元）”，金额“456789.00”。
    正例：表头“本年收费金额（单位：万元）”，金额“45.6789”。
    """

    id = "T205"
    severity = "info"
    title = "收费金额单位不是万元"
    citation = "《年度报告格式》表二 第二十条第（八）项"

    def check(self, ctx):
        table = ctx.document.tables.get("table2")
        if table is None:
            return
        header = nfkc(table.headers.get("本年收费金额", ""))
        cell = table.cell("行政事业性收费", "本年收费金额")
        raw = nfkc(cell.raw) if cell else ""
        header_yuan = bool(re.search(r"(?<!万)元", header)) and "万元" not in header
        cell_yuan = bool(re.search(r"(?<!万)元", raw))
        if header_yuan or cell_yuan:
            shown = raw.strip() if cell_yuan else header
            yield self.finding(f"表二收费金额以“元”为单位（“{shown}”），格式要求以万元计",
                               cell_location(table, "行政事业性收费", "本年收费金额"),
                               "换算为万元并保留四位小数，如 35600 元写作 3.5600。")
