"""Canonical structure of the 2021 national report format (国办公开办函〔2021〕30号).

Keys are those of the public JSON contract (shared/CONTRACT.md). Each row carries the
distinctive label fragments used to recognise it in a real document, so that tables are
read by their labels rather than by position.
"""
from __future__ import annotations

from dataclasses import dataclass

PART_TITLES = {
    1: "总体情况",
    2: "主动公开政府信息情况",
    3: "收到和处理政府信息公开申请情况",
    4: "政府信息公开行政复议、行政诉讼情况",
    5: "存在的主要问题及改进情况",
    6: "其他需要报告的事项",
}
PART_NUMERALS = "一二三四五六"
TITLE_BY_NUMERAL = {PART_NUMERALS[n - 1]: title for n, title in PART_TITLES.items()}


def part_numeral(number: int) -> str:
    """1 -> 一 (parts are numbered 一 to 六)."""
    return PART_NUMERALS[number - 1]


def part_label(number: int) -> str:
    """1 -> 第一部分."""
    return f"第{part_numeral(number)}部分"


def part_heading(number: int) -> str:
    """1 -> 一、总体情况 (the standard heading)."""
    return f"{part_numeral(number)}、{PART_TITLES[number]}"

# Fragments of a heading (normalised: no spaces or punctuation) that identify a part.
PART_KEYWORDS = {
    1: ("总体情况", "基本情况", "总体概况", "工作概况", "概述"),
    2: ("主动公开政府信息", "主动公开情况", "主动公开"),
    3: ("收到和处理", "依申请公开", "政府信息公开申请"),
    4: ("行政复议", "行政诉讼"),
    5: ("存在的主要问题", "存在问题", "主要问题", "改进情况"),
    6: ("其他需要报告", "其他事项", "其他需报告", "其他报告事项"),
}


@dataclass(frozen=True)
class RowSpec:
    key: str
    label: str  # standard label as printed in the format
    fragments: tuple[str, ...]  # normalised fragments, any of which identifies the row
    group: str | None = None


TABLE3_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
APPLICANT_COLUMNS = TABLE3_COLUMNS[:6]

TABLE3_GROUPS = {
    "不予公开": "（三）不予公开",
    "无法提供": "（四）无法提供",
    "不予处理": "（五）不予处理",
    "其他处理": "（六）其他处理",
}

TABLE3_ROWS = (
    RowSpec("本年新收", "一、本年新收政府信息公开申请数量", ("本年新收",)),
    RowSpec("上年结转", "二、上年结转政府信息公开申请数量", ("上年结转",)),
    RowSpec("予以公开", "（一）予以公开", ("予以公开",)),
    RowSpec("部分公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ("部分公开",)),
    RowSpec("不予公开/属于国家秘密", "1.属于国家秘密", ("国家秘密",), "不予公开"),
    RowSpec("不予公开/其他法律行政法规禁止公开", "2.其他法律行政法规禁止公开",
            ("法律行政法规禁止", "法规禁止公开"), "不予公开"),
    RowSpec("不予公开/危及三安全一稳定", "3.危及“三安全一稳定”", ("三安全一稳定",), "不予公开"),
    RowSpec("不予公开/保护第三方合法权益", "4.保护第三方合法权益", ("第三方合法权益",), "不予公开"),
    RowSpec("不予公开/属于三类内部事务信息", "5.属于三类内部事务信息", ("内部事务",), "不予公开"),
    RowSpec("不予公开/属于四类过程性信息", "6.属于四类过程性信息", ("过程性信息",), "不予公开"),
    RowSpec("不予公开/属于行政执法案卷", "7.属于行政执法案卷", ("执法案卷",), "不予公开"),
    RowSpec("不予公开/属于行政查询事项", "8.属于行政查询事项", ("查询事项",), "不予公开"),
    RowSpec("无法提供/本机关不掌握相关政府信息", "1.本机关不掌握相关政府信息", ("不掌握",), "无法提供"),
    RowSpec("无法提供/没有现成信息需要另行制作", "2.没有现成信息需要另行制作",
            ("另行制作", "没有现成"), "无法提供"),
    RowSpec("无法提供/补正后申请内容仍不明确", "3.补正后申请内容仍不明确",
            ("补正后", "仍不明确"), "无法提供"),
    RowSpec("不予处理/信访举报投诉类申请", "1.信访举报投诉类申请", ("信访", "举报投诉"), "不予处理"),
    RowSpec("不予处理/重复申请", "2.重复申请", ("重复申请",), "不予处理"),
    RowSpec("不予处理/要求提供公开出版物", "3.要求提供公开出版物", ("出版物",), "不予处理"),
    RowSpec("不予处理/无正当理由大量反复申请", "4.无正当理由大量反复申请", ("大量反复",), "不予处理"),
    RowSpec("不予处理/要求行政机关确认或重新出具已获取信息", "5.要求行政机关确认或重新出具已获取信息",
            ("重新出具", "确认或重新"), "不予处理"),
    RowSpec("其他处理/申请人无正当理由逾期不补正",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", ("逾期不补正",), "其他处理"),
    RowSpec("其他处理/申请人逾期未按收费通知要求缴纳费用",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            ("收费通知", "缴纳费用"), "其他处理"),
    RowSpec("其他处理/其他", "3.其他", (), "其他处理"),
    RowSpec("总计", "（七）总计", ("总计",)),
    RowSpec("结转下年度继续办理", "四、结转下年度继续办理", ("结转下年度",)),
)
TABLE3_KEYS = tuple(r.key for r in TABLE3_ROWS)
TABLE3_RESULT_KEYS = TABLE3_KEYS[2:-2]  # （一）…（六） leaf rows summed by （七）总计

TABLE4_GROUPS = ("行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉")
TABLE4_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

# table2: row -> (block of 第二十条, columns)
TABLE2_ROWS = {
    "规章": ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数")),
    "行政规范性文件": ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数")),
    "行政许可": ("第二十条第（五）项", ("本年处理决定数量",)),
    "行政处罚": ("第二十条第（六）项", ("本年处理决定数量",)),
    "行政强制": ("第二十条第（六）项", ("本年处理决定数量",)),
    "行政事业性收费": ("第二十条第（八）项", ("本年收费金额",)),
}
# Column-header fragments of table 2 (2021 format) and of the 2019 trial format.
TABLE2_COLUMN_FRAGMENTS = {
    "本年制发件数": ("制发",),
    "本年废止件数": ("废止",),
    "现行有效件数": ("现行有效",),
    "本年处理决定数量": ("处理决定",),
    "本年收费金额": ("收费金额", "金额"),
}
TABLE2_2019_FRAGMENTS = ("新制作", "新公开", "对外公开总数")

TABLE_PART = {"table2": 2, "table3": 3, "table4": 4}
TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}
