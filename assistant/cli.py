"""Command line: `python -m assistant COMMAND …` (the public contract in shared/CONTRACT.md)."""
from __future__ import annotations

import argparse
import json
import re
import sys

from .errors import InputError


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def _options(args):
    from .checker import CheckOptions
    from .rules import parse_ids

    select, ignore = parse_ids(args.select), parse_ids(args.ignore)
    unknown = [i for i in select + ignore if not any(r.id.startswith(i) for r in _all_rules())]
    if unknown:
        raise InputError(f"未知的规则编号：{'、'.join(unknown)}（用 rules 命令查看全部规则）")
    return CheckOptions(scheme=args.scheme, select=select, ignore=ignore, nlp=not args.no_nlp, ocr=args.ocr)


def _all_rules():
    from .rules import all_rules

    return all_rules()


def cmd_check(args) -> int:
    from .checker import check_path
    from .render.report import render_markdown, render_text

    result = check_path(args.path, args.previous, _options(args))
    if args.format == "json":
        _print_json(result.to_json())
    elif args.format == "markdown":
        sys.stdout.write(render_markdown(result.document, result.findings))
    else:
        sys.stdout.write(render_text(result.document, result.findings))
    return 1 if result.has_errors else 0


def cmd_batch(args) -> int:
    from .batch import format_rows, output_target, run_batch, write_output
    from .document.loaders import display_name

    options = _options(args)
    target = output_target(args.output, args.paths, args.force) if args.output else None
    rows = run_batch(args.paths, options, args.jobs, progress=not args.quiet, skip=target)
    text = format_rows(rows, args.format)
    if target is not None:
        write_output(target, text, args.format)
        failed = sum(1 for r in rows if r["error"])
        print(f"已检查 {len(rows)} 份报告（无法读取 {failed} 份），结果写入 {display_name(args.output)}",
              file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_rules(args) -> int:
    from .render.report import SEVERITY_LABEL

    rules = _all_rules()
    if args.format == "json":
        _print_json([{"id": r.id, "severity": r.severity, "title": r.title, "citation": r.citation,
                      "needs_previous": r.needs_previous, "needs_analysis": r.needs_analysis} for r in rules])
        return 0
    for rule in rules:
        note = "（需上年报告）" if rule.needs_previous else ("（需 NLP 模型）" if rule.needs_analysis else "")
        print(f"{rule.id}  {SEVERITY_LABEL[rule.severity]}  {rule.title}{note}")
    return 0


def cmd_explain(args) -> int:
    from .render.report import SEVERITY_LABEL
    from .rules import get_rule

    rule = get_rule(args.rule_id)
    if rule is None:
        raise InputError(f"没有编号为 {args.rule_id} 的规则（用 rules 命令查看全部规则）")
    print(f"{rule.id} {rule.title}")
    print(f"级别：{SEVERITY_LABEL[rule.severity]}    依据：{rule.citation}\n")
    print(rule.documentation())
    return 0


def _training():
    """The training package: only these two commands import it (the runtime never does)."""
    from .training import train

    return train


def cmd_train(args) -> int:
    _training().train()
    return 0


def cmd_evaluate(args) -> int:
    _training().evaluate()
    return 0


def _nlp_models():
    from .nlp.analysis import load_models

    models = load_models()
    if models is None:
        raise InputError("模型尚未训练：请先运行 python -m assistant train")
    return models


def _stdin_lines(what: str) -> list[str]:
    """Non-empty lines of standard input, read within the input budget."""
    from .document import read_stdin
    from .limits import budget, too_large

    data = read_stdin()
    if len(data) > budget().max_bytes:
        raise InputError(too_large(len(data), budget().max_bytes))
    lines = [line.strip() for line in data.decode("utf-8-sig", errors="replace").splitlines() if line.strip()]
    if not lines:
        raise InputError(f"标准输入为空：每行输入{what}")
    return lines


def cmd_classify(args) -> int:
    lines = _stdin_lines("一段文字")
    for result in _nlp_models().classify(lines):
        if args.format == "json":
            print(json.dumps(result, ensure_ascii=False))
        else:
            topics = "、".join(result["topics"]) or "（无主题）"
            print(f"{topics}\t套话 {result['boilerplate']:.2f}\t{result['text'][:40]}")
    return 0


def cmd_ask(args) -> int:
    from .qa.answer import answer, format_text

    if args.question != "-":
        result = answer(args.question)
        if args.format == "json":
            _print_json(result)
        else:
            print(format_text(result))
        return 0
    questions = _stdin_lines("一个问题")
    for number, question in enumerate(questions):
        try:
            result = answer(question)
        except InputError as exc:
            result = {"answer": exc.message, "citations": [], "in_scope": False, "confidence": 0.0}
        if args.format == "json":
            print(json.dumps(result, ensure_ascii=False), flush=True)
        else:
            print(("\n" if number else "") + f"问：{question}\n{format_text(result)}", flush=True)
    return 0


def cmd_bench(args) -> int:
    from .bench import run_bench, run_check_bench, run_hostile_bench, run_nlp_bench

    count = args.count or (4 if args.ocr_bench else 1000)
    if args.ocr_bench:
        from .bench import run_ocr_bench

        run_ocr_bench(args.paths, count, tuple(args.dpi))
    elif args.review:
        from .bench import run_review_bench

        run_review_bench(args.paths, count, nlp=not args.no_nlp, jobs=args.jobs)
    elif args.hostile:
        run_hostile_bench()
    elif args.check:
        run_check_bench(args.paths, count, nlp=not args.no_nlp)
    elif args.nlp:
        run_nlp_bench(args.paths, args.repeat)
    else:
        run_bench(args.paths, args.repeat)
    return 0


def add_ocr_option(parser) -> None:
    parser.add_argument("--ocr", choices=("auto", "never", "force"), default="auto",
                        help="扫描件（没有文字层的 PDF 页）的文字识别：auto 识别没有文字层的页（默认），"
                             "never 不识别（扫描件按无法读取处理），force 每页都识别")


def _add_check_options(parser) -> None:
    add_ocr_option(parser)
    parser.add_argument("--scheme", choices=("format2021", "seed4"), default="format2021",
                        help="总体情况的主题方案（默认 format2021）")
    parser.add_argument("--select", help="只运行这些规则，逗号分隔，可用前缀（如 T3,C501）")
    parser.add_argument("--ignore", help="不运行这些规则，逗号分隔，可用前缀")
    parser.add_argument("--no-nlp", action="store_true",
                        help="不做主题和套话分析（跳过 N601/N602），用于快速筛查大批报告")


_USAGE_ERRORS = (  # argparse's English messages -> Chinese
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"argument 命令: invalid choice: '(.*?)' \(choose from (.*)\)", r"没有“\1”这个命令（可用：\2）"),
    (r"argument (\S+): invalid choice: '(.*?)' \(choose from (.*)\)", r"参数 \1 的取值“\2”无效（可选：\3）"),
    (r"argument (\S+): invalid \w+ value: '(.*?)'", r"参数 \1 的取值“\2”不是有效的数字"),
    (r"argument (\S+): expected one argument", r"参数 \1 后面需要一个值"),
    (r"argument (\S+): expected at least one argument", r"参数 \1 后面至少需要一个值"),
    (r"argument (\S+): not allowed with argument (\S+)", r"参数 \1 不能与 \2 同时使用"),
    (r"argument (\S+): ignored explicit argument '(.*?)'", r"参数 \1 不接受取值“\2”"),
    (r"ambiguous option: (\S+) could match (.*)", r"选项 \1 有歧义，可能是：\2"),
    (r"argument (\S+): (.*)", r"参数 \1 有误：\2"),
)


def chinese_usage_error(message: str) -> str:
    for pattern, replacement in _USAGE_ERRORS:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message).replace("'", "")
    return f"命令行参数有误：{message}"


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix if prefix is not None else "用法：")


class ChineseParser(argparse.ArgumentParser):
    """Usage errors as one Chinese line on stderr and exit status 2, like every other bad input."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message):
        hint = f"（用 {self.prog} -h 查看用法）"
        self.exit(2, f"错误：{chinese_usage_error(message)}{hint}\n")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None
    if value < 1:
        raise argparse.ArgumentTypeError("应当是不小于 1 的整数")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseParser(prog="python -m assistant", description="年报合规助手：政府信息公开工作年度报告检查与问答")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=ChineseParser, title="命令",
                                metavar="命令")

    check = sub.add_parser("check", help="检查一份年度报告（- 表示标准输入）")
    check.add_argument("path")
    check.add_argument("--previous", help="上一年度的报告，用于跨年核对")
    check.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    _add_check_options(check)
    check.set_defaults(func=cmd_check)

    batch = sub.add_parser("batch", help="批量检查多份报告，输出汇总表")
    batch.add_argument("paths", nargs="+", help="报告文件或目录")
    batch.add_argument("--output", help="汇总结果写入的文件（默认输出到屏幕）；已存在的文件不覆盖，除非加 --force")
    batch.add_argument("--force", action="store_true", help="允许覆盖已存在的输出文件（要检查的报告本身永不覆盖）")
    batch.add_argument("--format", choices=("csv", "json"), default="csv")
    batch.add_argument("--jobs", type=_positive, default=1, help="并行进程数")
    batch.add_argument("--quiet", action="store_true", help="不显示进度条")
    _add_check_options(batch)
    batch.set_defaults(func=cmd_batch)

    rules = sub.add_parser("rules", help="列出全部检查规则")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.set_defaults(func=cmd_rules)

    explain = sub.add_parser("explain", help="显示一条规则的说明")
    explain.add_argument("rule_id")
    explain.set_defaults(func=cmd_explain)

    ask = sub.add_parser("ask", help="回答关于《条例》和年度报告格式的问题（- 表示从标准输入逐行读取问题）")
    ask.add_argument("question", help="问题；- 表示从标准输入每行读取一个问题")
    ask.add_argument("--format", choices=("text", "json"), default="text")
    ask.set_defaults(func=cmd_ask)

    classify = sub.add_parser("classify", help="从标准输入读取段落（每行一段），输出主题和套话得分")
    classify.add_argument("--format", choices=("text", "json"), default="text")
    classify.set_defaults(func=cmd_classify)

    train = sub.add_parser("train", help="从 corpus/ 重新训练 models/ 中的全部模型（结果可复现）")
    train.set_defaults(func=cmd_train)

    evaluate = sub.add_parser("evaluate", help="输出模型质量指标（按文档分组的交叉验证）")
    evaluate.set_defaults(func=cmd_evaluate)

    bench = sub.add_parser("bench", help="性能测试：解析耗时或检查吞吐量")
    bench.add_argument("paths", nargs="*", help="报告文件或目录（默认 corpus/reports）")
    bench.add_argument("--repeat", type=_positive, default=20, help="每份报告解析的次数")
    bench.add_argument("--check", action="store_true", help="测量 batch 检查的吞吐量（份/秒）")
    bench.add_argument("--count", type=_positive, default=None,
                       help="--check/--review 时检查的报告份数（默认 1000）；--ocr 时生成扫描件的报告份数（默认 4）")
    bench.add_argument("--nlp", action="store_true", help="测量模型加载时间和整份报告的主题、套话分析耗时")
    bench.add_argument("--no-nlp", action="store_true", help="--check 时不做主题和套话分析")
    bench.add_argument("--hostile", action="store_true",
                       help="恶意输入：每个恶意文件的耗时和内存峰值，以及恶意 /check 进行时网页的响应时间")
    bench.add_argument("--review", action="store_true",
                       help="审核台：导入 --count 份复制的报告的速度、review list 的耗时、全部重复时再次导入的耗时")
    bench.add_argument("--jobs", type=_positive, default=1, help="--review 时导入的并行进程数")
    bench.add_argument("--ocr", dest="ocr_bench", action="store_true",
                       help="文字识别：把语料报告生成扫描件（PATHS 为报告规格 JSON），测每页耗时、单元格正确率和 T207 标记")
    bench.add_argument("--dpi", type=_positive, nargs="+", default=[150, 200], help="--ocr 时扫描件的分辨率")
    bench.set_defaults(func=cmd_bench)

    from .review.commands import add_parser as add_review

    add_review(sub, _positive)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
