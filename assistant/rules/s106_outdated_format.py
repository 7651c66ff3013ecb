import re

from .base import Rule

_OLD_FORMAT = re.compile(r"2019\s*[〕\]】)）]\s*60\s*号")


class OutdatedFormat(Rule):
    """The report uses the 2019 trial format.

    What: table 2 has the 2019 trial-format columns (本年新制作数量, 本年新公开数量,
    对外公开总数量) or a 第二十条第（九）项 block, or a report for 2021 or later cites
    国办公开办函〔2019〕60号 as its format.
    Why: since the 2021 reports, the format issued with 国办公开办函〔2021〕30号 applies; the
    old table 2 cannot be compared with other agencies' reports.
    Bad: a 2022 report whose table 2 lists “本年新制作数量 | 本年新公开数量 | 对外公开总数量”.
    Good: table 2 with 本年制发件数, 本年废止件数, 现行有效件数 and the four 第二十条 blocks.
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
                if _OLD_FORMAT.search(paragraph.text):
                    yield self.finding(
                        f"{doc.meta.year}年度报告引用了已被替代的格式文件国办公开办函〔2019〕60号",
                        {"part": paragraph.part, "paragraph": paragraph.index},
                        "改为依据国办公开办函〔2021〕30号印发的年度报告格式编制。")
                    return
