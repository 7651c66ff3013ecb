"""Hostile and careless input (issue 10): bounded time and memory, a one-line Chinese reason with exit
status 2, never a traceback, never a hang, and no data lost by `batch --output`.

Time limits here only catch hangs; `python -m assistant bench --hostile` measures seconds and memory.
"""
import json
import os
import random
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import guard
from assistant.document import parse_text, read_bytes_document
from assistant.errors import InputError
from assistant.hostile import CASES
from assistant.limits import budget
from assistant.rules.c504_copied_text import best_matches, shingles, similarity

from conftest import CORPUS, ROOT, SEED

HANG = 60  # seconds after which a command counts as hung


def run(*args, stdin=None, env=None, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "assistant", *map(str, args)], cwd=cwd, input=stdin,
                          capture_output=True, timeout=HANG, env={**os.environ, **(env or {})})


def reason(proc) -> str:
    """The one-line Chinese reason of an exit status 2."""
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2, (proc.returncode, err[-500:])
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), err
    return lines[0]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    for file_name, make, _ in CASES.values():
        make(folder / file_name)
    return folder


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_files(name, hostile):
    file_name, _, expect = CASES[name]
    proc = run("check", hostile / file_name, "--no-nlp")
    if expect is None:  # read as a (poor) report, or refused for what it is, within the budget
        err = proc.stderr.decode("utf-8")
        assert proc.returncode in (0, 1, 2) and "Traceback" not in err, err[-500:]
        if proc.returncode == 2:
            reason(proc)
    else:
        assert expect in reason(proc)


def test_pages_that_cost_too_much_are_cut_off(hostile):
    """A page of three million characters or of 200,000 rectangles: the worker is stopped, not waited for."""
    for name in ("dense.pdf", "grid.pdf"):
        assert "处理超时" in reason(run("check", hostile / name, "--no-nlp"))


def test_utf16_text_is_read(hostile):
    data = json.loads(run("check", hostile / "utf16.txt", "--format", "json", "--no-nlp").stdout)
    assert data["report"]["agency"] == "青石县人民政府" and data["report"]["year"] == 2023


def test_the_worker_is_replaced_after_a_timeout(hostile):
    with pytest.raises(InputError, match="处理超时"):
        read_bytes_document((hostile / "dense.pdf").read_bytes(), "dense.pdf")
    assert parse_text(SEED.read_text(encoding="utf-8")).meta.agency == "周口市行政服务中心"
    assert len(guard.worker_pids()) >= 1


def test_non_regular_paths_are_refused(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    assert "不是普通文件" in reason(run("check", "/dev/zero"))
    assert "不是普通文件" in reason(run("check", fifo))
    assert "循环" in reason(run("check", loop))


def test_standard_input_is_bounded():
    big = b"x" * (budget().max_bytes + 10)
    assert "过大" in reason(run("check", "-", stdin=big))
    assert "过大" in reason(run("ask", "-", stdin=big))
    assert "过大" in reason(run("classify", stdin=big))


def test_text_cap_is_the_same_for_pasted_text():
    with pytest.raises(InputError, match="文本过长"):
        parse_text("年" * (budget().max_chars + 1))


def test_file_names_of_any_bytes(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    name = os.fsdecode(b"\xff\xfe-report.txt")  # not UTF-8
    (folder / name).write_bytes(SEED.read_bytes())
    proc = run("check", folder / name, "--format", "json", "--no-nlp")
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr
    assert json.loads(proc.stdout)["report"]["source"] == "\ufffd\ufffd-report.txt"
    out = tmp_path / "summary.csv"
    proc = run("batch", folder, "--output", out, "--no-nlp", "--quiet")
    assert proc.returncode == 0, proc.stderr.decode()
    assert "\ufffd\ufffd-report.txt" in out.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("args,expect", [
    ([], "缺少必需的参数"),
    (["chek", "x.txt"], "没有“chek”这个命令"),
    (["check"], "缺少必需的参数"),
    (["check", "x.txt", "--format", "xml"], "参数 --format 的取值“xml”无效"),
    (["batch", "x", "--jobs", "0"], "不小于 1"),
    (["batch", "x", "--jobs", "two"], "不是整数"),
    (["check", "x.txt", "--bogus"], "无法识别的参数"),
    (["check", "x.txt", "--previous"], "参数 --previous 后面需要一个值"),
])
def test_usage_errors_in_chinese(args, expect):
    line = reason(run(*args))
    assert expect in line and "usage" not in line and "error:" not in line


def test_help_is_in_chinese():
    out = run("check", "-h").stdout.decode()
    assert out.startswith("用法：") and "显示本帮助并退出" in out


def test_configured_limits_and_bad_configuration(tmp_path):
    config = tmp_path / "assistant.toml"
    config.write_text("[limits]\nmax_bytes = 1000\n", encoding="utf-8")
    assert "过大" in reason(run("check", SEED, env={"ASSISTANT_CONFIG": str(config)}))
    config.write_text("[limits]\nmax_megabytes = 1\n", encoding="utf-8")
    assert "没有 max_megabytes 这一项" in reason(run("check", SEED, env={"ASSISTANT_CONFIG": str(config)}))
    config.write_text("[rules.C504]\nthreshold = 0.5\n[rules.X999]\nlimit = 1\n", encoding="utf-8")
    assert "不存在的规则：X999" in reason(run("check", SEED, env={"ASSISTANT_CONFIG": str(config)}))
    config.write_text("[limits\n", encoding="utf-8")
    assert "无法读取" in reason(run("check", SEED, env={"ASSISTANT_CONFIG": str(config)}))


# ---------------------------------------------------------------- batch --output


def _reports(folder: Path) -> None:
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    (folder / "b.md").write_bytes((CORPUS / "binjiang-wjw-2023.md").read_bytes())


def test_batch_never_overwrites_without_force(tmp_path):
    _reports(tmp_path / "in")
    out = tmp_path / "summary.csv"
    out.write_text("an earlier summary", encoding="utf-8")
    assert "已存在" in reason(run("batch", tmp_path / "in", "--output", out, "--quiet", "--no-nlp"))
    assert out.read_text(encoding="utf-8") == "an earlier summary"
    proc = run("batch", tmp_path / "in", "--output", out, "--force", "--quiet", "--no-nlp")
    assert proc.returncode == 0 and "a.txt" in out.read_text(encoding="utf-8-sig")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_batch_never_overwrites_an_input(tmp_path):
    _reports(tmp_path / "in")
    target = tmp_path / "in" / "a.txt"
    before = target.read_bytes()
    assert "要检查的报告之一" in reason(run("batch", tmp_path / "in", "--output", target, "--force", "--quiet"))
    assert target.read_bytes() == before


def test_batch_output_folder_checked_before_the_run(tmp_path):
    _reports(tmp_path / "in")
    assert "目录不存在" in reason(run("batch", tmp_path / "in", "--output", tmp_path / "no" / "x.csv", "--quiet"))
    assert "是一个目录" in reason(run("batch", tmp_path / "in", "--output", tmp_path, "--quiet"))


def test_every_input_becomes_a_row(tmp_path):
    folder = tmp_path / "in"
    _reports(folder)
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 64)
    (folder / "old.wps").write_bytes(b"\x00" * 64)
    (folder / "table.xlsx").write_bytes(b"PK\x03\x04")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / ".hidden.txt").write_text("not a report", encoding="utf-8")
    proc = run("batch", folder, "--format", "json", "--quiet", "--no-nlp")
    assert proc.returncode == 0, proc.stderr.decode()
    rows = {Path(r["file"]).name: r for r in json.loads(proc.stdout)}
    assert set(rows) == {"a.txt", "b.md", "old.doc", "old.wps", "table.xlsx", "loop.txt", "pipe.txt"}
    assert ".docx" in rows["old.doc"]["error"] and ".docx" in rows["old.wps"]["error"]
    assert "不支持的文件类型（.xlsx）" in rows["table.xlsx"]["error"]
    assert "循环" in rows["loop.txt"]["error"] and "不是普通文件" in rows["pipe.txt"]["error"]
    assert rows["a.txt"]["agency"] == "周口市行政服务中心" and not rows["a.txt"]["error"]


# ---------------------------------------------------------------- C504 at scale


def _paragraphs(count: int, rng: random.Random) -> list[str]:
    words = re.findall(r"[\u4e00-\u9fff]{2,}", "".join(p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")))
    return ["".join(rng.choice(words) for _ in range(rng.randint(12, 40))) + "。" for _ in range(count)]


def _brute_force(texts, previous, threshold):
    out = []
    for text in texts:
        best = max((similarity(shingles(text), shingles(p)) for p in previous), default=0.0)
        out.append(best if best >= threshold else 0.0)
    return out


def test_shingle_index_finds_what_comparing_every_pair_finds():
    rng = random.Random(7)
    for _ in range(40):
        previous = _paragraphs(rng.randint(1, 25), rng)
        texts = []
        for _ in range(rng.randint(1, 25)):  # copies with a few characters changed, and new text
            base = list(rng.choice(previous)) if rng.random() < 0.6 else list(_paragraphs(1, rng)[0])
            for _ in range(rng.randint(0, 12)):
                base[rng.randrange(len(base))] = rng.choice("一二三四五六七八九十年月日件条")
            texts.append("".join(base))
        for threshold in (0.6, 0.8, 0.95):
            assert best_matches(texts, previous, threshold) == pytest.approx(_brute_force(texts, previous, threshold))


def test_c504_on_two_thousand_paragraphs():
    rng = random.Random(11)
    old = _paragraphs(2000, rng)
    new = [p if i % 10 == 0 else q for i, (p, q) in enumerate(zip(old, _paragraphs(2000, rng)))]

    def alarm(*_):
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(HANG)
    try:
        found = best_matches(new, old, 0.8)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert sum(1 for s in found if s) >= 200  # every tenth paragraph was copied
