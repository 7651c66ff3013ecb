from ..document.schema import TABLE_PART
from .base import Rule, part_name

_NAMES = {"table2": "表二（主动公开政府信息情况）", "table3": "表三（收到和处理政府信息公开申请情况）",
          "table4": "表四（政府信息公开行政复议、行政诉讼情况）"}


class TableMissing(Rule):
    """统计表缺失或无法识别。

    说明：找不到与表二、表三或表四的行列相符的表格时报告，每缺一张表报告一次。制表符分隔的文本、
    Markdown 表格和 Word、HTML 表格都能识别，表四写成一行 15 个数或每组一行也能识别；
    但既无行名又无列名、只有一串数字的表格无法识别。
    原因：《条例》第五十条第（一）至（三）项的内容，《年度报告格式》（国办公开办函〔2021〕30号）要求用这三张表
    统计，文字叙述代替不了。
    反例：“三、收到和处理政府信息公开申请情况”下只写“本年度共收到申请5件，均已按时答复。”，没有表格。
    正例：完整的表三（25 行、7 列），即使全部是 0 也照样填报。
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
