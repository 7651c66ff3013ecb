"""The runtime never imports training code, and a check with the NLP analysis stays on numpy."""
import ast
import json
import subprocess
import sys

import pytest

from conftest import ROOT

RUNTIME = ROOT / "assistant"
TRAINING = RUNTIME / "training"
HEAVY = ("sklearn", "scipy", "torch", "sentence_transformers")
OCR = ("rapidocr_onnxruntime", "onnxruntime", "cv2")  # loaded only for a page that needs OCR


def _imports(path):
    """Absolute names of the modules a file imports (relative imports resolved)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            yield module
            if not node.module:
                yield from (f"{module}.{alias.name}" for alias in node.names)


def test_runtime_modules_never_import_training_or_fitting_libraries():
    """Only the train/evaluate commands of cli.py reach assistant.training; no runtime module
    imports scikit-learn or scipy at all (sentence-transformers only loads a configured model)."""
    offenders = []
    for path in sorted(RUNTIME.rglob("*.py")):
        if TRAINING in path.parents:
            continue
        for name in _imports(path):
            if name.split(".")[0] in ("sklearn", "scipy") or (
                    name.startswith("assistant.training") and path.name != "cli.py"):
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []
    cli = (RUNTIME / "cli.py").read_text(encoding="utf-8")
    assert cli.count("from .training import") == 1 and "def _training()" in cli


@pytest.mark.parametrize("argv", [["check", "corpus/reports/zhoukou-2021.txt", "--format", "json"],
                                  ["check", "corpus/reports/anping-scjg-2023.pdf", "--format", "json"],
                                  ["ask", "依申请公开最长多久必须答复"]])
def test_commands_load_no_training_stack(argv):
    code = (f"import sys, runpy, json; sys.argv = ['assistant'] + {argv!r}\n"
            "try:\n    runpy.run_module('assistant', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print(json.dumps(sorted(sys.modules)), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    loaded = set(json.loads(proc.stderr.strip().splitlines()[-1]))
    heavy = {m for m in loaded if m.split(".")[0] in HEAVY + OCR or m.startswith("assistant.training")}
    assert not heavy, sorted(heavy)[:10]
