from .base import Rule


class MissingAspects(Rule):
    """总体情况 does not cover an aspect of the selected scheme.

    What: the topic classifier finds no paragraph of 总体情况 about one of the aspects of the
    selected scheme (default format2021: 主动公开, 依申请公开, 政府信息管理, 平台建设,
    监督保障); one finding per missing aspect, with what to write.
    Why: the 2021 format asks 总体情况 to summarise the year's work on these five aspects.
    Bad: a 总体情况 that only describes the leading group and training.
    Good: one or more paragraphs per aspect, each with what was done and its numbers.
    """

    id = "N601"
    severity = "warning"
    title = "总体情况未覆盖规定的方面"
    citation = "《年度报告格式》第一部分；《条例》第五十条"
    needs_analysis = True

    def check(self, ctx):
        analysis = ctx.analysis
        if analysis is None:
            return
        for aspect, advice in analysis.missing_aspects(ctx.scheme):
            yield self.finding(f"总体情况未涉及“{aspect}”方面的工作", {"part": 1}, advice, aspect=aspect)
