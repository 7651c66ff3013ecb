"""`python -m assistant review …`: the reviewer workspace commands of CONTRACT.md."""
from __future__ import annotations

import json
import sys

from .store import Store

STATUS_LABEL = {"open": "待审", "done": "已审"}


def _using(args, function, *more, **options):
    """`function(store, …)` on the store of `--db`, closed afterwards."""
    store = Store(args.db)
    try:
        return function(store, *more, **options)
    finally:
        store.close()


def cmd_import(args) -> int:
    from ..checker import CheckOptions
    from .importer import import_paths

    outcome = _using(args, import_paths, args.paths, args.jobs, progress=not args.quiet,
                     options=CheckOptions(nlp=not args.no_nlp, ocr=args.ocr))
    print(outcome.line())
    return 0


def _cell(value) -> str:
    return "" if value is None else str(value)


def cmd_list(args) -> int:
    from .queries import report_rows

    rows = _using(args, report_rows, args.year, args.status, args.all)
    if args.format == "json":
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return 0
    if not rows:
        print("没有符合条件的报告（用 review import 导入）")
        return 0
    print("编号\t机关\t年度\t层级\t错误\t警告\t提示\t配对\t状态")
    for row in rows:
        agency = row["agency"] or f"（未识别：{row['file']}）"
        if "error" in row:
            agency += f"　{row['error']}"
        print("\t".join(_cell(v) for v in (row["id"], agency, row["year"], row["level"], row["errors"],
                                           row["warnings"], row["infos"], row["paired_with"],
                                           STATUS_LABEL[row["status"]])))
    return 0


def cmd_show(args) -> int:
    from ..render.report import SEVERITY_LABEL
    from ..rules.base import describe_location
    from .queries import DECISIONS, report_view

    data = _using(args, report_view, args.id)
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    review, report = data["review"], data.get("report", {})
    print(f"报告 {review['id']}：{report.get('title') or review['file']}（第 {review['version']} 版，"
          f"{STATUS_LABEL[review['status']]}）")
    if review["error"]:
        print(f"无法检查：{review['error']}")
    if review["paired_with"]:
        print(f"已与上年度报告 {review['paired_with']} 配对核对")
    change = {"new": "新增", "remain": "仍存在"}
    for item in data["findings"]:
        state = DECISIONS[item["triage"]["decision"]] if item["triage"] else "未审"
        extra = f"，{change[item['change']]}" if "change" in item else ""
        print(f"[{SEVERITY_LABEL[item['severity']]}] {item['rule']} {item['message']}")
        print(f"    位置：{describe_location(item['location'])}")
        print(f"    指纹：{item['fingerprint']}（{state}{extra}）")
    for item in review.get("fixed", []):
        print(f"[已修正] {item['rule']} {item['message']}（指纹 {item['fingerprint']}）")
    if not data["findings"] and not review["error"]:
        print("未发现问题")
    return 0


def cmd_triage(args) -> int:
    from .queries import DECISIONS, record

    report, finding = _using(args, record, args.fingerprint, args.decision, args.reason, args.by, args.report)
    print(f"已记录：{DECISIONS[args.decision]} 报告 {report.id} 的问题 {finding.fingerprint}（{finding.rule}）")
    return 0


def cmd_export(args) -> int:
    from .export import export

    print(_using(args, export, args.output), file=sys.stderr)
    return 0


def cmd_roster(args) -> int:
    from .roster import load_roster

    count = _using(args, load_roster, args.file)
    print(f"已导入机关名单：{count} 个机关")
    return 0


def cmd_deadlines(args) -> int:
    from .roster import STATUS_LABEL, deadline_rows

    rows = _using(args, deadline_rows, args.year, args.today)
    if args.format == "json":
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return 0
    print("机关\t类型\t截止日期\t报告编号\t落款日期\t状态")
    kinds = {"government": "政府", "department": "部门"}
    for row in rows:
        print("\t".join(_cell(v) for v in (row["agency"], kinds[row["kind"]], row["deadline"], row["report"],
                                           row["published"], STATUS_LABEL[row["status"]])))
    return 0


def _date(text: str):
    import argparse
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是日期（应为 YYYY-MM-DD）") from None


def _year(text: str) -> int:
    import argparse

    if not text.isdigit() or not 1990 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效的年度")
    return int(text)


def _report_id(text: str) -> int:
    import argparse

    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"“{text}”不是报告编号")
    return int(text)


def add_parser(sub, positive) -> None:
    review = sub.add_parser("review", help="审核台：导入、列出、查看、审定和导出多个机关的报告")
    commands = review.add_subparsers(dest="review_command", required=True, parser_class=type(review),
                                     title="审核命令", metavar="审核命令")

    def command(name, help_text, func):
        parser = commands.add_parser(name, help=help_text)
        parser.add_argument("--db", default="review.db",
                            help="审核库：SQLite 文件（默认当前目录的 review.db）或 SQLAlchemy 地址")
        parser.set_defaults(func=func)
        return parser

    imp = command("import", "导入并检查报告（文件或目录，目录递归），同一内容只存一次", cmd_import)
    imp.add_argument("paths", nargs="+", help="报告文件或目录")
    imp.add_argument("--jobs", type=positive, default=1, help="并行进程数")
    imp.add_argument("--quiet", action="store_true", help="不显示进度条")
    imp.add_argument("--no-nlp", action="store_true", help="不做主题和套话分析（跳过 N601/N602）")
    from ..cli import add_ocr_option

    add_ocr_option(imp)

    lst = command("list", "每份报告一行：编号、机关、年度、层级、各级别问题数、审核状态", cmd_list)
    lst.add_argument("--format", choices=("text", "json"), default="text")
    lst.add_argument("--year", type=_year, help="只列出这一年度的报告")
    lst.add_argument("--status", choices=("open", "done"), help="open = 尚有未审问题，done = 已审完")
    lst.add_argument("--all", action="store_true", help="也列出被更正版本取代的旧版本")

    show = command("show", "一份报告的问题，附每个问题的指纹和审核状态", cmd_show)
    show.add_argument("id", type=_report_id, help="报告编号（见 review list）")
    show.add_argument("--format", choices=("text", "json"), default="text")

    triage = command("triage", "记录审核意见：确认（confirm）或驳回（dismiss）一个问题", cmd_triage)
    triage.add_argument("fingerprint", help="问题的指纹（见 review show），可写前 6 位以上")
    triage.add_argument("decision", choices=("confirm", "dismiss"))
    triage.add_argument("--reason", default="", help="理由")
    triage.add_argument("--by", default="", help="审核人")
    triage.add_argument("--report", type=_report_id, help="指纹对应多份报告时，指定报告编号")

    roster = command("roster", "导入机关名单（CSV：机关,类型=部门|政府），用于核对报送期限", cmd_roster)
    roster.add_argument("file", help="名单 CSV 文件")

    due = command("deadlines", "名单中各机关某年度报告的报送期限和状态（条例第四十九条）", cmd_deadlines)
    due.add_argument("--year", type=_year, required=True, help="报告年度")
    due.add_argument("--format", choices=("text", "json"), default="text")
    due.add_argument("--today", type=_date, help="按这一天判断是否逾期（默认今天）")

    exp = command("export", "导出报告和已确认问题（.csv/.xlsx），或按机关生成整改通知（目录）", cmd_export)
    exp.add_argument("--output", required=True, help="FILE.csv、FILE.xlsx 或一个目录")



