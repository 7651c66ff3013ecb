"""The command line of CONTRACT.md: exit codes, formats, filters, batch, rules and explain."""
import csv
import io
import json
import subprocess
import sys

from conftest import CORPUS, ROOT

CLEAN = ROOT / "tests" / "rules" / "bases" / "clean.txt"
CLEAN_PREV = ROOT / "tests" / "rules" / "bases" / "clean_prev.txt"


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "assistant", *map(str, args)], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_check_exit_codes():
    assert run("check", CLEAN).returncode == 0
    assert run("check", CORPUS / "zhoukou-2021.txt").returncode == 1  # part 五 “无” is an error
    assert run("check", CORPUS / "zhoukou-2021.txt", "--ignore", "N604").returncode == 0


def test_check_json_contract():
    proc = run("check", CLEAN, "--format", "json", "--previous", CLEAN_PREV)
    data = json.loads(proc.stdout)
    assert set(data) >= {"report", "parts", "tables", "paragraphs", "findings"}
    assert data["report"]["agency_kind"] == "government" and data["report"]["year"] == 2023
    assert [p["number"] for p in data["parts"]] == [1, 2, 3, 4, 5, 6]
    assert data["tables"]["table3"]["上年结转"]["总计"] == 2
    assert data["tables"]["table4"]["行政诉讼/未经复议直接起诉"]["尚未审结"] == 1


def test_select_and_previous_year():
    broken_prev = CLEAN_PREV.read_text(encoding="utf-8").replace(
        "四、结转下年度继续办理\t\t\t2\t0\t0\t0\t0\t0\t2", "四、结转下年度继续办理\t\t\t3\t0\t0\t0\t0\t0\t3")
    proc = run("check", CLEAN, "--previous", "-", "--format", "json", "--select", "C5", stdin=broken_prev)
    rules = [f["rule"] for f in json.loads(proc.stdout)["findings"]]
    assert rules == ["C502"] and proc.returncode == 1


def test_markdown_and_text():
    md = run("check", CORPUS / "zhoukou-2021.txt", "--format", "markdown").stdout
    assert md.startswith("# 检查报告") and "| 错误 | N604 |" in md
    text = run("check", CORPUS / "zhoukou-2021.txt").stdout
    assert "[错误] N604" in text and "依据：" in text and "建议：" in text


def test_unknown_rule_id_is_exit_2():
    proc = run("check", CLEAN, "--select", "X999")
    assert proc.returncode == 2 and "未知的规则编号" in proc.stderr


def test_batch_csv_and_json(tmp_path):
    (tmp_path / "a.txt").write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.txt").write_text((CORPUS / "zhoukou-2021.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    out = tmp_path / "summary.csv"
    proc = run("batch", tmp_path, "--output", out, "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    by_file = {r["file"].rsplit("/", 1)[-1]: r for r in rows}
    assert by_file["a.txt"]["errors"] == "0" and by_file["b.txt"]["errors"] == "1"
    assert "N604" in by_file["b.txt"]["rules"].split()
    assert by_file["broken.pdf"]["error"] and not by_file["broken.pdf"]["agency"]
    data = json.loads(run("batch", tmp_path, "--format", "json", "--quiet").stdout)
    assert len(data) == 4  # the summary written by the first run is now a row of its own
    assert "不支持的文件类型（.csv）" in {r["file"].rsplit("/", 1)[-1]: r for r in data}["summary.csv"]["error"]


def test_rules_and_explain():
    listing = run("rules", "--format", "json")
    ids = [r["id"] for r in json.loads(listing.stdout)]
    assert {"S101", "T303", "C502", "N601", "P701"} <= set(ids)
    text = run("explain", "T303").stdout
    assert "T303" in text and "说明" in text
    assert run("explain", "Z000").returncode == 2


def test_no_nlp_skips_topic_rules():
    with_nlp = json.loads(run("check", CORPUS / "zhoukou-2021.txt", "--format", "json").stdout)
    without = json.loads(run("check", CORPUS / "zhoukou-2021.txt", "--format", "json", "--no-nlp").stdout)
    assert "N601" in {f["rule"] for f in with_nlp["findings"]} and "coverage" in with_nlp
    assert not {"N601", "N602"} & {f["rule"] for f in without["findings"]} and "coverage" not in without
    assert {"N604", "N605"} <= {f["rule"] for f in without["findings"]}


def test_check_bench_prints_rates_per_second_and_per_core(capsys, tmp_path):
    from assistant.bench import replicate, run_check_bench

    replicate([str(CORPUS)], 3, tmp_path)
    texts = [p.read_text(encoding="utf-8") for p in sorted(tmp_path.iterdir())]
    assert len(texts) == 3 and len(set(texts)) == 3 and all("样本" in t for t in texts)  # distinct agencies
    rates = run_check_bench([str(CORPUS)], count=4, nlp=False)
    assert set(rates) == {1, 2} and all(r["per_second"] > 0 and r["per_core"] > 0 for r in rates.values())
    out = capsys.readouterr().out
    assert out.count("4 份报告（无法读取 0 份）") == 2 and out.count("每核") == 2
