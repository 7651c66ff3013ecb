import re

from ..document.normalize import nfkc, split_sentences
from ..numerals import parse_chinese
from .base import Rule, fmt_num, is_number

_N = r"(?P<n>\d+|[零〇一二两三四五六七八九十百千]+)\s*(?:件|个|条|份|起|宗|项)"
_GAP = r"[^。；;\d零〇一二两三四五六七八九十百千]{0,14}?"
# (what, pattern, table, row, column, words that make the sentence about something else)
_CLAIMS = (
    ("新收申请", re.compile(r"(?:收到|新收|受理|接收|接到)" + _GAP + r"申请" + _GAP + _N), "table3", "本年新收", "总计",
     ("上年结转", "结转下")),
    ("上年结转申请", re.compile(r"上年结转" + _GAP + _N), "table3", "上年结转", "总计", ()),
    ("结转下年度申请", re.compile(r"结转(?:至)?下(?:一)?年度?" + _GAP + _N), "table3", "结转下年度继续办理", "总计", ()),
    ("办结申请", re.compile(r"(?:办结|已答复|答复完毕|办理完毕)" + _GAP + _N), "table3", "总计", "总计",
     # “办结：予以公开5件” breaks the handled requests down by result; the number is not their total
     ("结转", "收到", "新收", "受理", "予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理")),
    ("行政复议案件", re.compile(r"行政复议" + _GAP + _N), "table4", "行政复议", "总计",
     ("维持", "纠正", "尚未", "诉讼")),
    ("行政诉讼案件", re.compile(r"行政诉讼" + _GAP + _N), "table4", None, "总计", ("维持", "纠正", "尚未", "复议")),
    ("制发规范性文件", re.compile(r"(?:制发|印发|出台|制定)" + _GAP + r"规范性文件" + _GAP + _N), "table2",
     "行政规范性文件", "本年制发件数", ("废止", "清理", "现行有效")),
)
_WIDE_SCOPE = re.compile(r"全(?:省|市|区|县|镇|乡|州|盟|旗|系统|街道)|系统内|各(?:部门|单位|乡镇|街道|县|区|市|级|成员单位)|下属|所属")
# Sentences about other business (政务服务 applications, hotline tickets, reconsideration cases the
# government decides as 复议机关…) are not about the disclosure tables unless they name 信息公开.
_OTHER_BUSINESS = re.compile(r"政务服务|审批|许可|办件|热线|工单|信访|建议|提案|复议机关")


def table_value(document, table_key, row, column):
    table = document.tables.get(table_key)
    if table is None:
        return None
    if table_key == "table4" and row is None:  # both kinds of litigation together
        values = [table.value(g, column) for g in ("行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉")]
        return sum(values) if all(is_number(v) for v in values) else None
    return table.value(row, column)


class NarrativeNumbers(Rule):
    """正文中的数字与表格不一致。

    说明：把总体情况和第三、四部分正文中的新收申请、上年结转、办结、结转下年度、行政复议、行政诉讼和制发
    规范性文件的件数（阿拉伯数字或汉字数字）与表二至表四的相应数字比较，不同时报告。范围大于本机关的句子
    （全市、全县、系统内、各部门、下属单位……）不比较；讲政务服务、审批、许可、热线工单、信访、建议提案或
    复议机关办案而未写明“信息公开”的句子不比较；申请的件数只在提到“申请”的句子里比较。
    原因：正文和表格说的是同一机关同一年度的工作（《条例》第五十条）；数字不一致说明其中之一有误。
    反例：正文“全年共收到政府信息公开申请5件”，表三本年新收总计为 7。
    正例：正文写 7 件；或写“全市共收到申请120件”——说的是全市，不与本机关的表格比较。
    """

    id = "C501"
    severity = "warning"
    title = "正文数字与表格不一致"
    citation = "《条例》第五十条；《年度报告格式》"

    def check(self, ctx):
        doc = ctx.document
        for paragraph in doc.paragraphs:
            if paragraph.part not in (1, 3, 4):
                continue
            for sentence in split_sentences(nfkc(paragraph.text)):
                if _WIDE_SCOPE.search(sentence):
                    continue
                if _OTHER_BUSINESS.search(sentence) and "信息公开" not in sentence:
                    continue
                for what, pattern, table_key, row, column, exclude in _CLAIMS:
                    if table_key == "table3" and "申请" not in sentence:
                        continue  # “办结556件” alone may count anything
                    match = pattern.search(sentence)
                    if not match or any(word in match.group(0) for word in exclude):
                        continue
                    stated = parse_chinese(match.group("n"))
                    actual = table_value(doc, table_key, row, column)
                    if stated is None or not is_number(actual) or stated == actual:
                        continue
                    yield self.finding(
                        f"正文称{what} {stated} 件（“{match.group(0)}”），表格中为 {fmt_num(actual)}",
                        {"part": paragraph.part, "paragraph": paragraph.index, "table": table_key,
                         "row": row, "column": column},
                        "核对正文与表格，统一为台账中的准确数字。",
                        stated=stated, actual=actual, text=sentence.strip())
