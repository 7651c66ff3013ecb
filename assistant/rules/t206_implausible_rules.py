from .base import Rule, cell_location, fmt_num, is_number

_LEVELS = {"township": "乡镇（街道）", "county": "县级"}


class ImplausibleRegulations(Rule):
    """乡镇或县级机关填报了规章。

    说明：乡镇人民政府、街道办事处、县级人民政府（含市辖区）和县级政府部门的表二中，规章一行的本年制发、
    本年废止或现行有效件数大于 0 时提示，每份报告提示一次。设区的市、省级政府及其部门不检查；
    县级市从名称上无法与设区的市区分，也不检查。
    原因：依照《立法法》，只有国务院部门和省、自治区、直辖市、设区的市、自治州的人民政府可以制定规章；
    更低层级的机关填了规章，通常是把行政规范性文件填错了行。
    反例：某镇的表二“规章 | 0 | 0 | 6”。
    正例：“规章 | 0 | 0 | 0”，本机关的文件填在“行政规范性文件”一行。
    """

    id = "T206"
    severity = "info"
    title = "规章数量不合常理"
    citation = "《年度报告格式》表二 第二十条第（一）项；《立法法》"

    def check(self, ctx):
        doc = ctx.document
        table = doc.tables.get("table2")
        level = doc.meta.level
        if table is None or level not in _LEVELS:
            return
        for col in ("本年制发件数", "现行有效件数", "本年废止件数"):
            value = table.value("规章", col)
            if is_number(value) and value > 0:
                yield self.finding(f"{_LEVELS[level]}机关的表二填有规章{col} {fmt_num(value)} 件，而该层级无权制定规章",
                                   cell_location(table, "规章", col),
                                   "核对是否把行政规范性文件误填在规章行。")
                return
