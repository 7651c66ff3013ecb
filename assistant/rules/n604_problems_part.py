import re

from .base import Rule

# Measures may be planned (将、下一步) or already taken (已于……完成、约谈、补齐).
_MEASURES = re.compile(r"改进|整改|措施|下一步|将|计划|拟|加强|完善|健全|推进|提升|强化|建立|规范|培训|优化|落实"
                       r"|已[于对经]|完成|约谈|督促|补齐|修订")
_PROBLEMS = re.compile(r"问题|不足|短板|差距|薄弱|不够|欠缺|有待|不到位|不及时|不规范|滞后")


class ProblemsPart(Rule):
    """第五部分为空、写“无”或只列问题不写改进措施。

    说明：第五部分没有文字，只写“无”“暂无”“没有”，或者实质内容不足 20 字时报告错误；列出了问题
    （问题、不足、不及时、有待……）却没有任何改进措施或改进情况（下一步、将、加强、已于……、完成、约谈、
    补齐……）时报告警告。按关键词判断，不评价措施是否具体；缺少第五部分由 S101 报告。
    原因：《条例》第五十条第（四）项要求报告存在的主要问题及改进情况，即 2021 年格式的第五部分
    “存在的主要问题及改进情况”；审核中把写“无”视为缺陷。
    反例：“五、存在的主要问题及改进情况：无”。
    正例：“一是政策解读形式单一……下一步将制作图解、视频解读不少于10期。”
    """

    id = "N604"
    severity = "error"
    title = "存在的主要问题及改进情况为空或缺少改进措施"
    citation = "《条例》第五十条第（四）项"
    config_keywords = ("min_chars",)

    def check(self, ctx):
        doc = ctx.document
        if not doc.parts[5].found:
            return
        text = doc.part_text(5).strip()
        substance = re.sub(r"[\s\W]", "", text)
        if not substance or substance in ("无", "暂无", "没有") or len(substance) < self.config["min_chars"]:
            shown = f"“{text}”" if text else "为空"
            yield self.finding(f"第五部分“存在的主要问题及改进情况”{shown}，未写明存在的问题和改进情况",
                               {"part": 5},
                               "写明本年度工作中存在的具体问题（如公开不及时、解读形式单一），以及已采取或将采取的改进措施。")
        elif _PROBLEMS.search(text) and not _MEASURES.search(text):
            yield self.finding("第五部分列出了问题，但没有写改进措施或改进情况", {"part": 5},
                               "针对每个问题写明已采取的整改措施和下一步计划。", severity="warning")
