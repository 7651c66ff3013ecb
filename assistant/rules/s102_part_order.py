from .base import Rule, part_name


class PartOrder(Rule):
    """Parts are duplicated or out of order.

    What: a part heading appears twice, or the parts do not follow the order 一 to 六.
    Why: the national format fixes the order of the six parts so that reports can be read
    and compared side by side; a repeated or shuffled part usually means a pasting error.
    Bad: “三、收到和处理政府信息公开申请情况” placed before “二、主动公开政府信息情况”.
    Good: the six parts in the order 一、二、三、四、五、六, each once.
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
                    f"{part_name(number)}的标题编号写成了“{'一二三四五六'[part.written_number - 1]}”",
                    {"part": number}, "按格式规定的编号重新编排各部分标题。")
