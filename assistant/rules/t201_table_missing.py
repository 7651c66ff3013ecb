from ..document.schema import TABLE_PART
from .base import Rule, part_name

_NAMES = {"table2": "表二（主动公开政府信息情况）", "table3": "表三（收到和处理政府信息公开申请情况）",
          "table4": "表四（政府信息公开行政复议、行政诉讼情况）"}


class TableMissing(Rule):
    """Table 2, 3 or 4 is missing or unrecognisable.

    What: no table with the rows and columns of table 2, 3 or 4 can be found.
    Why: the statistics of 第五十条 items (一) to (三) are reported in these three tables of
    the national format; prose cannot replace them.
    Bad: “三、收到和处理政府信息公开申请情况：本年度共收到申请5件，均已按时答复。” with no table.
    Good: the full table 3 with its 25 rows and 7 columns, even when all values are 0.
    """

    id = "T201"
    severity = "error"
    title = "统计表缺失或无法识别"
    citation = "《条例》第五十条；《年度报告格式》（国办公开办函〔2021〕30号）"

    def check(self, ctx):
        for key, table in ctx.document.tables.items():
            if table is None:
                part = TABLE_PART[key]
                yield self.finding(f"{part_name(part)}中缺少{_NAMES[key]}或无法识别其行列",
                                   {"part": part, "table": key},
                                   f"按 2021 年格式的表样填写{_NAMES[key]}，行名和列名保持原样。")
