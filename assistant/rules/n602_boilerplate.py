from ..nlp.analysis import states_fact
from .base import Rule, describe_location


class Boilerplate(Rule):
    """套话段落，缺少具体内容。

    说明：用套话评分模型给总体情况中 20 字以上的段落打分：没有数字、日期、具体的平台、文件、活动或成效，
    套话又多的段落，得分达到阈值时报告，并给出得分和触发的套话。含有事实陈述的段落（数字、零件数、
    “未收取”“没有发生”、书名号中的文件（《条例》和年度报告格式本身不算）、引号中的平台名称）不报告。第五、六部分另有 N604、N605、N607 检查。
    N609 同时运行时，它已按方面引用过的段落（段中每一句都是某方面仅有的套话）不再重复报告。
    需要 NLP 模型。
    原因：审核中普遍批评通篇口号的报告；《条例》第五十条要求报告的是本年度实际开展的工作。
    反例：“高度重视，常抓不懈，确保各项工作落地生根，不断增强人民群众的获得感。”
    正例：“全年召开专题会议3次，修订《政府信息公开工作制度》，新增公开事项12项。”
    """

    id = "N602"
    severity = "warning"
    title = "套话段落，缺少具体内容"
    citation = "《条例》第五十条"
    needs_analysis = True
    config_keywords = ("threshold",)

    def check(self, ctx):
        # a paragraph N609 already quotes as an aspect's only, stock wording is not reported twice
        quoted = ({s.text for _, found in ctx.analysis.stock_only_aspects(ctx.scheme) for s in found}
                  if "N609" in ctx.rules else set())
        for paragraph, score, phrases in ctx.analysis.boilerplate_paragraphs(self.config["threshold"]):
            if paragraph.part != 1 or states_fact(paragraph.text):
                continue
            statements = [s.text for s in ctx.analysis.paragraphs[(paragraph.part, paragraph.index)].sentences
                          if not s.heading]
            if statements and all(text in quoted for text in statements):
                continue
            shown = "：" + "、".join(f"“{p}”" for p in phrases[:5]) if phrases else "，缺少具体数字、时间和成效"
            where = describe_location({"part": paragraph.part, "paragraph": paragraph.index})
            yield self.finding(f"{where}套话较多（得分 {score:.2f}）{shown}",
                               {"part": paragraph.part, "paragraph": paragraph.index},
                               "用本年度的具体做法、数量、时间和成效替换空泛表述。",
                               score=round(score, 3), phrases=phrases)
