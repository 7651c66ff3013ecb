"""Every regular expression in the project runs in linear time on adversarial input.

One line of a pasted draft once froze the web app: a pattern with nested quantifiers backtracked
exponentially on a run of digits. This test finds every pattern given to the `re` module in the
source (statically, so no heavy module is imported), runs it on strings built to provoke
backtracking, and fails when the time grows faster than the length.
"""
import ast
import re
import signal
import time
from itertools import product

import pytest

from conftest import ROOT

FUNCTIONS = {"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split"}
# Patterns assembled at run time from values only known inside a function: name -> why they are safe.
DYNAMIC = {
    "assistant/rules/base.py:doc_section": "a fixed section name followed by a lazy `.*?` up to a lookahead",
    "assistant/cli.py:chinese_usage_error": "argparse's own one-line messages, matched whole",
}
ALPHABET = ["1", "０", " ", "\u3000", "\t", "\n", ".", ",", "，", "。", "、", "-", "|", "#", "(", "（", ")",
            "）", "一", "年", "第", "部分", "a", "/", "：", "是", "条"]
PAIRS = ["1", " ", ".", "，", "一", "、", "（", "a", "|", "\n"]
TAILS = ["", "!", "\x00"]
SHORT, LONG = 2000, 8000


class _Slow(Exception):
    pass


def _const(node, names: dict):
    """The value of a string expression made of literals, f-strings and module-level constants."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
        return node.value
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _const(node.left, names) + _const(node.right, names)
    if isinstance(node, ast.JoinedStr):
        out = []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                if value.format_spec is not None or value.conversion != -1:
                    raise ValueError("formatted value")
                out.append(str(_const(value.value, names)))
            else:
                out.append(value.value)
        return "".join(out)
    raise ValueError(ast.dump(node)[:60])


def _flags(node: ast.Call, names: dict) -> int:
    flags = 0
    for arg in list(node.args[1:]) + [k.value for k in node.keywords if k.arg == "flags"]:
        for attr in ast.walk(arg):
            if isinstance(attr, ast.Attribute) and isinstance(attr.value, ast.Name) and attr.value.id == "re":
                flags |= getattr(re, attr.attr, 0) if attr.attr in ("I", "S", "M", "X", "IGNORECASE", "DOTALL",
                                                                         "MULTILINE", "VERBOSE") else 0
    return flags


def collect():
    patterns, dynamic = {}, []
    files = sorted((ROOT / "assistant").rglob("*.py")) + [ROOT / "app.py"]
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: dict[str, str] = {}
        for statement in tree.body:  # module-level string constants, in order
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and \
                    isinstance(statement.targets[0], ast.Name):
                try:
                    names[statement.targets[0].id] = _const(statement.value, names)
                except ValueError:
                    pass
        functions = {id(n): f.name for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                     for n in ast.walk(f)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in FUNCTIONS and node.args):
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            try:
                source = _const(node.args[0], names)
            except ValueError:
                dynamic.append(f"{path.relative_to(ROOT)}:{functions.get(id(node), '?')}")
                continue
            # how the pattern is applied: anchored (match, fullmatch) or tried at every position
            how = node.func.attr if node.func.attr in ("match", "fullmatch") else "search"
            patterns[where] = (re.compile(source, _flags(node, names)), how)
    return patterns, dynamic


PATTERNS, DYNAMIC_FOUND = collect()


def attacks(length: int, text: bool):
    for chars in ALPHABET:
        for tail in TAILS:
            yield chars * (length // len(chars)) + tail
    for a, b in product(PAIRS, PAIRS):
        if a != b:
            yield (a + b) * (length // 2) + "!"
    yield "1" * length + "x"
    yield "第" + "一" * length + "部分x"


def _time(pattern, how, subject) -> float:
    start = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, 2.0)
    try:
        if how == "fullmatch":
            pattern.fullmatch(subject)
        else:
            pattern.match(subject)
            if how == "search":  # compiled patterns are assumed to be searched, the costliest use
                pattern.search(subject)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return time.perf_counter() - start


def test_patterns_found():
    assert len(PATTERNS) >= 80
    assert sorted(set(DYNAMIC_FOUND)) == sorted(DYNAMIC), "a new run-time pattern: make it static or vet it here"


@pytest.mark.parametrize("where", sorted(PATTERNS))
def test_linear_time(where):
    pattern, how = PATTERNS[where]
    text = isinstance(pattern.pattern, str)

    def alarm(*_):
        raise _Slow

    previous = signal.signal(signal.SIGALRM, alarm)
    try:
        for short, long in zip(attacks(SHORT, text), attacks(LONG, text)):
            if not text:
                short, long = short.encode(), long.encode()
            try:
                a = min(_time(pattern, how, short) for _ in range(2))
                b = min(_time(pattern, how, long) for _ in range(2))
            except _Slow:
                pytest.fail(f"{where}: over 2 s on {len(long)} characters like {long[:12]!r}")
            # linear: ×4 for 4× the length; quadratic: ×16. Ignore times too small to measure.
            assert b < 0.02 or b < 12 * a, f"{where}: {a * 1e3:.1f} ms → {b * 1e3:.1f} ms on {long[:12]!r}…"
    finally:
        signal.signal(signal.SIGALRM, previous)
