"""The runtime never imports training code, and a check with the NLP analysis stays on numpy."""
import ast
import json
import subprocess
import sys

import pytest

from conftest import ROOT

RUNTIME = ROOT / "assistant"
HEAVY = ("sklearn", "scipy", "torch", "sentence_transformers", "training")


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_runtime_modules_never_import_training_or_fitting_libraries():
    """Only the train/evaluate commands of cli.py reach the training package; no runtime module
    imports scikit-learn or scipy at all (sentence-transformers only loads a configured model)."""
    offenders = []
    for path in sorted(RUNTIME.rglob("*.py")):
        for name in _imports(path):
            root = name.split(".")[0]
            if root in ("sklearn", "scipy") or (root == "training" and path.name != "cli.py"):
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []
    cli = (RUNTIME / "cli.py").read_text(encoding="utf-8")
    assert cli.count("import training") == 1 and "def _training()" in cli


@pytest.mark.parametrize("argv", [["check", "corpus/reports/zhoukou-2021.txt", "--format", "json"],
                                  ["ask", "依申请公开最长多久必须答复"]])
def test_commands_load_no_training_stack(argv):
    code = (f"import sys, runpy, json; sys.argv = ['assistant'] + {argv!r}\n"
            "try:\n    runpy.run_module('assistant', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    loaded = set(json.loads(proc.stderr.strip().splitlines()[-1]))
    assert not loaded & set(HEAVY), loaded & set(HEAVY)
