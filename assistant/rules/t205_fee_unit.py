import re

from ..document.normalize import nfkc
from .base import Rule, cell_location


class FeeUnit(Rule):
    """The fee amount is not expressed in 万元.

    What: the 行政事业性收费 amount of table 2 is written in 元, or carries a unit that
    conflicts with the header “本年收费金额（单位：万元）”.
    Why: the format fixes the unit as 万元 (commonly with four decimals); an amount in 元
    overstates the fees ten-thousandfold when reports are added up.
    Bad: “行政事业性收费 | 35600元”, or a header “（单位：元）”.
    Good: “行政事业性收费 | 3.5600” under the header “本年收费金额（单位：万元）”.
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
