import re

from ..document.normalize import split_sentences
from ..document.schema import PART_TITLES
from .base import Rule

_STRUCTURE = re.compile(r"本报告|报告(?:由|包括|分为)|部分组成|以下几个部分|共分")


def empty_overview(doc) -> str | None:
    """How a found 总体情况 is empty ("为空", "只复述了报告结构或内容过少"), or None when it has
    substance; None too when the part is missing (S101 reports that)."""
    if not doc.parts[1].found:
        return None
    text = doc.part_text(1)
    content = [s for s in split_sentences(text) if not _STRUCTURE.search(s)
               and sum(title[:4] in s for title in PART_TITLES.values()) < 3]
    if len(re.sub(r"[\s\W无]", "", "".join(content))) >= 30:
        return None
    return "为空" if not text.strip() or text.strip() in ("无", "无。") else "只复述了报告结构或内容过少"


class EmptyOverview(Rule):
    """总体情况为空或只复述报告结构。

    说明：第一部分没有文字、只写“无”，或者只有介绍报告本身的句子（如“本报告由总体情况、主动公开政府信息
    情况……组成”），去掉这些句子后实质内容不足 30 字时报告。只判断有没有内容，是否覆盖各个方面由 N601 判断；
    缺少第一部分由 S101 报告。
    原因：总体情况是概述本年度政府信息公开工作的部分（《条例》第五十条；《年度报告格式》第一部分），
    没有它，报告就只剩表格。
    反例：“一、总体情况：本报告由总体情况、主动公开政府信息情况等六部分组成。”
    正例：概述本年度主动公开、依申请公开、政府信息管理、平台建设和监督保障的工作和数字。
    """

    id = "N603"
    severity = "error"
    title = "总体情况为空或只复述报告结构"
    citation = "《条例》第五十条；《年度报告格式》第一部分"

    def check(self, ctx):
        state = empty_overview(ctx.document)
        if state:
            yield self.finding(f"总体情况{state}", {"part": 1},
                               "概述本年度主动公开、依申请公开、政府信息管理、平台建设和监督保障等方面的工作和数据。")
