import re

from .base import Rule

_OLD_FORMAT = re.compile(r"2019\s*[〕\]】)）]\s*60\s*号")
_CURRENT_FORMAT = re.compile(r"2021\s*[〕\]】)）]\s*30\s*号")


class OutdatedFormat(Rule):
    """使用了过时的报告格式。

    说明：2021 年度及以后的报告，表二仍用 2019 年试行格式的栏目（本年新制作数量、本年新公开数量、
    对外公开总数量，或第二十条第（九）项政府集中采购一栏），或者引用国办公开办函〔2019〕60号作为格式依据时
    报告；同一段同时引用〔2021〕30号的不报告。2020 年度及以前的报告本来就按试行格式编写，不报告；年度不明的按现行格式检查。
    原因：自 2021 年度报告起，适用国办公开办函〔2021〕30号印发的《年度报告格式》；旧表二的栏目与之不同，
    无法与其他机关的报告比较和汇总。
    反例：2022 年度报告的表二列为“本年新制作数量 | 本年新公开数量 | 对外公开总数量”。
    正例：表二分第二十条第（一）（五）（六）（八）项四栏，第（一）项的列为本年制发件数、本年废止件数、现行有效件数。
    """

    id = "S106"
    severity = "warning"
    title = "使用了过时的报告格式"
    citation = "《年度报告格式》（国办公开办函〔2021〕30号）"

    def check(self, ctx):
        doc = ctx.document
        table2 = doc.tables.get("table2")
        in_force = not doc.meta.year or doc.meta.year >= 2021  # reports before 2021 used the trial format
        if in_force and table2 and any(issue.kind == "format2019" for issue in table2.issues):
            yield self.finding("表二仍使用 2019 年试行格式的栏目", {"part": 2, "table": "table2"},
                               "改用 2021 年格式的表二：本年制发件数、本年废止件数、现行有效件数等栏目。")
        if doc.meta.year and doc.meta.year >= 2021:
            for paragraph in doc.paragraphs:
                # citing both, the old notice as the history of the current one, is not an outdated basis
                if _OLD_FORMAT.search(paragraph.text) and not _CURRENT_FORMAT.search(paragraph.text):
                    yield self.finding(
                        f"{doc.meta.year}年度报告引用了已被替代的格式文件国办公开办函〔2019〕60号",
                        {"part": paragraph.part, "paragraph": paragraph.index},
                        "改为依据国办公开办函〔2021〕30号印发的年度报告格式编制。")
                    return
