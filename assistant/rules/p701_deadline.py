from datetime import date

from .base import Rule


class Deadline(Rule):
    """The publication date is after the legal deadline.

    What: the date in the report (signature or preamble) is after 31 January of the following
    year for a department, or after 31 March for a people's government's own report.
    Why: 第四十九条 sets the deadlines: departments publish by 31 January, and the annual report
    of a county-level or higher people's government is published by 31 March.
    Bad: the 2023 report of a 市场监督管理局 dated 2024年2月20日.
    Good: the same report dated 2024年1月25日.
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
