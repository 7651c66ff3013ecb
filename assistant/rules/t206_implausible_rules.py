from .base import Rule, cell_location, fmt_num, is_number

_LEVELS = {"township": "乡镇（街道）", "county": "县级"}


class ImplausibleRegulations(Rule):
    """A township or county-level body reports 规章.

    What: table 2 shows 规章 (made, repealed or in force) for a township, a street office, a
    county government or a county-level department.
    Why: under the Legislation Law only State Council departments and governments of
    provinces and 设区的市 can make 规章; a lower body reporting them has usually put its
    normative documents in the wrong row.
    Bad: a township: “规章 | 2 | 0 | 6”.
    Good: “规章 | 0 | 0 | 0” and its documents under 行政规范性文件.
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
