"""Command line: `python -m assistant COMMAND …` (the public contract in shared/CONTRACT.md)."""
from __future__ import annotations

import argparse
import json
import sys

from .errors import InputError


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def cmd_check(args) -> int:
    from .document import read_document
    from .render.json_report import document_json

    document = read_document(args.path)
    result = document_json(document)
    result["findings"] = []
    if args.format == "json":
        _print_json(result)
    else:
        print(f"{document.meta.title or document.source}：已读取 {sum(p['found'] for p in result['parts'])}/6 个部分")
    return 0


def cmd_bench(args) -> int:
    from .bench import run_bench

    run_bench(args.paths, args.repeat)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m assistant", description="年报合规助手：政府信息公开工作年度报告检查与问答")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="检查一份年度报告（- 表示标准输入）")
    check.add_argument("path")
    check.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    check.set_defaults(func=cmd_check)

    bench = sub.add_parser("bench", help="测量各格式报告的解析耗时")
    bench.add_argument("paths", nargs="*", help="报告文件或目录（默认 corpus/reports）")
    bench.add_argument("--repeat", type=int, default=20)
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
