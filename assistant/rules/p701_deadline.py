from datetime import date

from .base import Rule


class Deadline(Rule):
    """报告日期晚于法定期限。

    说明：报告中的日期（落款，或开头几行中的日期）晚于期限时报告：人民政府本级的报告（含乡镇、街道）为报告
    年度次年的 3 月 31 日，政府部门和其他机关为次年的 1 月 31 日。期限当天不算逾期；
    没有日期或年度不明的不检查。
    原因：《条例》第四十九条规定，县级以上人民政府部门在每年 1 月 31 日前公布本机关上一年度的年度报告，
    县级以上地方人民政府的政府信息公开工作主管部门在每年 3 月 31 日前公布本级政府上一年度的年度报告。
    反例：某市场监督管理局的 2023 年度报告落款日期为 2024年2月20日。
    正例：同一份报告落款日期为 2024年1月25日。
    """

    id = "P701"
    severity = "warning"
    title = "发布日期超过法定期限"
    citation = "《条例》第四十九条"

    def check(self, ctx):
        meta = ctx.document.meta
        if not meta.date or not meta.year:
            return
        published = date.fromisoformat(meta.date)
        government = meta.agency_kind == "government"
        deadline = date(meta.year + 1, 3 if government else 1, 31)
        if published > deadline:
            who = "人民政府年度报告" if government else "部门年度报告"
            yield self.finding(f"报告日期为 {published:%Y年%m月%d日}，晚于{who}的法定期限 {deadline:%Y年%m月%d日}",
                               {"part": 7}, "在法定期限前发布，或核对落款日期是否有误。",
                               date=meta.date, deadline=deadline.isoformat())
