from .base import Rule


class Boilerplate(Rule):
    """A paragraph is boilerplate: slogans with no fact.

    What: a narrative paragraph has low specificity (no numbers, dates, named platforms,
    documents, events or results) and a high density of stock phrases; the finding reports
    the score and the phrases that triggered it.
    Why: reviewers consistently criticise reports made of slogans; the 条例 asks for an
    account of the year's actual work (第五十条).
    Bad: “高度重视，常抓不懈，确保各项工作落地生根，不断增强人民群众的获得感。”
    Good: “全年召开专题会议3次，修订《政府信息公开工作制度》，新增公开事项12项。”
    """

    id = "N602"
    severity = "warning"
    title = "套话段落，缺少具体内容"
    citation = "《条例》第五十条"
    needs_analysis = True

    def check(self, ctx):
        analysis = ctx.analysis
        if analysis is None:
            return
        for paragraph, score, phrases in analysis.boilerplate_paragraphs():
            shown = "、".join(phrases[:5])
            yield self.finding(f"{'第一二三四五六'[paragraph.part] if 1 <= paragraph.part <= 6 else ''}部分第 {paragraph.index + 1} 段套话较多（得分 {score:.2f}）：{shown}",
                               {"part": paragraph.part, "paragraph": paragraph.index},
                               "用本年度的具体做法、数量、时间和成效替换空泛表述。",
                               score=round(score, 3), phrases=phrases)
