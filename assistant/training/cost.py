"""What the NLP analysis costs: a `check` process with it against a rules-only one (alternated
runs, same machine), and batch throughput with it (assistant/bench.py)."""
from __future__ import annotations

import statistics
import subprocess
import sys
import time

from assistant.nlp.paths import ROOT

REPORT = ROOT / "corpus" / "reports" / "qingshi-xian-2022.txt"


def process_seconds(runs: int = 7) -> dict:
    timings: dict[str, list[float]] = {"nlp": [], "rules": []}
    for _ in range(runs):
        for kind, extra in (("nlp", []), ("rules", ["--no-nlp"])):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "assistant", "check", str(REPORT), "--format", "json", *extra],
                           cwd=ROOT, capture_output=True, check=False)
            timings[kind].append(time.perf_counter() - start)
    nlp, rules = statistics.median(timings["nlp"]), statistics.median(timings["rules"])
    return {"check_nlp_s": nlp, "check_rules_s": rules, "ratio": nlp / rules}


def measure(log=print) -> dict:
    from assistant.bench import run_check_bench

    cost = process_seconds()
    log(f"\n成本：check 进程（含 NLP 分析）中位 {cost['check_nlp_s']:.2f} 秒，仅规则 {cost['check_rules_s']:.2f} 秒，"
        f"为仅规则的 {cost['ratio']:.2f} 倍（交替运行，同一台机器）")
    log("批量检查（含 NLP 分析）：")
    # as many reports as `bench --check` reads by default: a reviewer's batch, not a start-up figure
    rates = run_check_bench([], count=1000, nlp=True)
    cost["batch_nlp_per_core"] = {jobs: rate["per_core"] for jobs, rate in rates.items()}
    return cost
