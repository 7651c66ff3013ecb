from ..document.schema import part_numeral
from .base import Rule, part_name


class PartOrder(Rule):
    """报告各部分重复或顺序错乱。

    说明：某一部分的标题出现两次、各部分没有按一至六的顺序排列，或者标题上的编号与所属部分不符
    （如把“存在的主要问题及改进情况”编为“四、”）时报告。总体情况里“（一）主动公开情况”之类的小标题
    不算部分标题；缺少某一部分由 S101 报告，其余部分顺序正确的不算顺序错误。
    原因：《年度报告格式》（国办公开办函〔2021〕30号）规定了六个部分及其顺序，便于逐部分阅读和横向比较；
    重复或错位的部分多半是粘贴时出的错。
    反例：“三、收到和处理政府信息公开申请情况”排在“二、主动公开政府信息情况”之前。
    正例：一至六各部分依次出现，每部分只出现一次，编号与标题相符。
    """

    id = "S102"
    severity = "warning"
    title = "部分重复或顺序错误"
    citation = "《年度报告格式》（国办公开办函〔2021〕30号）"

    def check(self, ctx):
        doc = ctx.document
        for number in sorted(set(doc.duplicate_parts)):
            yield self.finding(f"{part_name(number)}出现了不止一次", {"part": number},
                               "删除重复的部分，或核对是否把其他部分的标题写错。")
        order = doc.part_order
        if order != sorted(order):
            written = "、".join("一二三四五六"[n - 1] for n in order)
            yield self.finding(f"各部分顺序为 {written}，与格式规定的一至六顺序不一致",
                               {"part": order[0] if order else None},
                               "按“一、总体情况”至“六、其他需要报告的事项”的顺序排列各部分。")
        for number, part in doc.parts.items():
            if part.found and part.written_number:
                yield self.finding(
                    f"{part_name(number)}的标题编号写成了“{part_numeral(part.written_number)}”",
                    {"part": number}, "按格式规定的编号重新编排各部分标题。")
