"""Command line: `python -m assistant COMMAND …` (the public contract in shared/CONTRACT.md)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

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
    return CheckOptions(scheme=args.scheme, select=select, ignore=ignore, nlp=not args.no_nlp)


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
    from .batch import format_rows, run_batch

    rows = run_batch(args.paths, _options(args), args.jobs, progress=not args.quiet)
    text = format_rows(rows, args.format)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8-sig" if args.format == "csv" else "utf-8")
        failed = sum(1 for r in rows if r["error"])
        print(f"已检查 {len(rows)} 份报告（无法读取 {failed} 份），结果写入 {args.output}", file=sys.stderr)
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


def cmd_train(args) -> int:
    from .nlp.training import train

    train()
    return 0


def cmd_evaluate(args) -> int:
    from .nlp.training import evaluate
    from .qa.evaluate import run

    evaluate()
    print("\n问答（corpus/eval/qa.jsonl）")
    run()
    return 0


def _nlp_models():
    from .nlp.analysis import load_models

    models = load_models()
    if models is None:
        raise InputError("模型尚未训练：请先运行 python -m assistant train")
    return models


def cmd_classify(args) -> int:
    lines = [line.strip() for line in sys.stdin.read().splitlines() if line.strip()]
    if not lines:
        raise InputError("标准输入为空：每行输入一段文字")
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
    data = sys.stdin.buffer.read().decode("utf-8-sig", errors="replace")
    questions = [line.strip() for line in data.splitlines() if line.strip()]
    if not questions:
        raise InputError("标准输入为空：每行输入一个问题")
    for number, question in enumerate(questions):
        result = answer(question)
        if args.format == "json":
            print(json.dumps(result, ensure_ascii=False), flush=True)
        else:
            print(("\n" if number else "") + f"问：{question}\n{format_text(result)}", flush=True)
    return 0


def cmd_bench(args) -> int:
    from .bench import run_bench, run_check_bench, run_nlp_bench

    if args.check:
        run_check_bench(args.paths, args.count, nlp=not args.no_nlp)
    elif args.nlp:
        run_nlp_bench(args.paths, args.repeat)
    else:
        run_bench(args.paths, args.repeat)
    return 0


def _add_check_options(parser) -> None:
    parser.add_argument("--scheme", choices=("format2021", "seed4"), default="format2021",
                        help="总体情况的主题方案（默认 format2021）")
    parser.add_argument("--select", help="只运行这些规则，逗号分隔，可用前缀（如 T3,C501）")
    parser.add_argument("--ignore", help="不运行这些规则，逗号分隔，可用前缀")
    parser.add_argument("--no-nlp", action="store_true",
                        help="不做主题和套话分析（跳过 N601/N602），用于快速筛查大批报告")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m assistant",
                                     description="年报合规助手：政府信息公开工作年度报告检查与问答")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="检查一份年度报告（- 表示标准输入）")
    check.add_argument("path")
    check.add_argument("--previous", help="上一年度的报告，用于跨年核对")
    check.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    _add_check_options(check)
    check.set_defaults(func=cmd_check)

    batch = sub.add_parser("batch", help="批量检查多份报告，输出汇总表")
    batch.add_argument("paths", nargs="+", help="报告文件或目录")
    batch.add_argument("--output", help="汇总结果写入的文件（默认输出到屏幕）")
    batch.add_argument("--format", choices=("csv", "json"), default="csv")
    batch.add_argument("--jobs", type=int, default=1, help="并行进程数")
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
    bench.add_argument("--repeat", type=int, default=20, help="每份报告解析的次数")
    bench.add_argument("--check", action="store_true", help="测量 batch 检查的吞吐量（份/秒）")
    bench.add_argument("--count", type=int, default=1000, help="--check 时检查的报告份数")
    bench.add_argument("--nlp", action="store_true", help="测量模型加载时间和整份报告的主题、套话分析耗时")
    bench.add_argument("--no-nlp", action="store_true", help="--check 时不做主题和套话分析")
    bench.set_defaults(func=cmd_bench)
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
