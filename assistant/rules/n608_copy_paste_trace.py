import re

from ..document.normalize import label_key, strip_brackets
from .base import Rule

# Self-references and the kinds of agency whose name ends with what they may refer to.
_SELF = {"局": ("局",), "委": ("委", "委员会"), "厅": ("厅",), "镇": ("镇", "镇人民政府", "镇政府"),
         "乡": ("乡", "乡人民政府", "乡政府"), "街道": ("街道", "街道办事处", "办事处", "街道办"), "中心": ("中心",),
         "办": ("办", "办公室")}
_DATE = re.compile(r"\d{4}\s*(?:年|[-./]\s*\d{1,2}\s*[-./])")  # 2024年1月31日, 2024-01-31, 2024.1.31
_REFERENCE = re.compile(r"[我本](局|委|厅|镇|乡|街道|中心|办)(?![公事理法])")


class CopyPasteTrace(Rule):
    """疑似照抄痕迹：自称或落款与本机关不符。

    说明：正文中的自称与标题中的机关不符（如乡镇的报告写“我局”，局的报告写“我镇”），或者落款机关与标题中的
    机关名称互不包含时提示，两类各提示一次。人民政府的报告写“我办”（报告由其办公室编制）、落款为本级政府
    办公室、把“人民政府”简称为“政府”都不提示；“本办法”“本办公室”不算自称，“我县”“我市”不检查。
    原因：这类痕迹说明报告照搬了其他机关的文本而没有核对（《条例》第五十条要求报告本机关的工作）。
    反例：河西镇人民政府的报告写“我局高度重视政务公开工作”。
    正例：“我镇高度重视政务公开工作”。
    """

    id = "N608"
    severity = "info"
    title = "疑似照抄痕迹（自称或机关名称不符）"
    citation = "《条例》第五十条"

    def check(self, ctx):
        doc = ctx.document
        agency = strip_brackets(doc.meta.agency)
        if not agency:
            return
        for paragraph in doc.paragraphs:
            if paragraph.part in (0, 7):
                continue
            for match in _REFERENCE.finditer(paragraph.text):
                word = match.group(1)
                # A government's report is compiled by its 办公室 (第四十九条), which may write 我办.
                if not agency.endswith(_SELF[word]) and not (
                        word == "办" and ("办公" in agency or doc.meta.agency_kind == "government")):
                    yield self.finding(f"{doc.meta.agency}的报告中出现“{match.group(0)}”，与本机关不符",
                                       {"part": paragraph.part, "paragraph": paragraph.index},
                                       "核对是否照搬了其他机关的报告，改为与本机关相符的称谓。",
                                       text=match.group(0))
                    return
        signature = [p.text for p in doc.paragraphs if p.part == 7 and not _DATE.search(p.text)]
        for name in signature:
            a, b = (label_key(n).replace("人民政府", "政府") for n in (name, agency))  # 县政府 = 县人民政府
            if a and b and a not in b and b not in a and not name.endswith("办公室"):
                yield self.finding(f"报告标题的机关为“{doc.meta.agency}”，落款却是“{name}”",
                                   {"part": 7}, "核对落款单位，确认未沿用其他机关的报告。", text=name)
