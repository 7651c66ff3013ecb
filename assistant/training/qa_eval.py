"""Quality of `ask` on corpus/eval/qa.jsonl: article accuracy, refusals, latency.

- top-1: the answer's first cited article is one of the question's expected articles; for a
  question about a part or table of the report with no expected article, the first cited part
  is the expected part. Measured on what the answer cites or, for an in-scope question the
  assistant declined, would have cited: refusals are measured separately. `top1_strict`
  counts a declined in-scope question as wrong.
- top-3: an expected article (part) is among the first three distinct articles (parts) the
  answer cites: its citations, then those of its 相关条目 (`related`). `top3_entries` is the
  stricter retrieval view: the first citation, then the main article of each next-best entry.
- refusal rates: in-scope questions refused (should be low), out-of-scope ones refused (high).
- latency: seconds per answer after the knowledge base and models are loaded.
"""
from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from assistant.nlp.paths import CORPUS
from assistant.qa.knowledge import SOURCE_ARTICLE, SOURCE_FORMAT

EVAL = CORPUS / "eval" / "qa.jsonl"


def load_eval(path: Path = EVAL) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _first(citations: list[dict], source: str, key: str):
    return next((c[key] for c in citations if c["source"] == source), None)


def _ranking(citations: list[dict], hits, source: str, key: str) -> list:
    ranked = []
    first = _first(citations, source, key)
    if first is not None:
        ranked.append(first)
    for hit in hits[1:]:
        value = _first(hit.entry.citations, source, key)
        if value is not None and value not in ranked:
            ranked.append(value)
    return ranked


def _correct(item: dict, citations: list[dict], hits, n: int) -> bool:
    if item["articles"]:
        return any(a in item["articles"] for a in _ranking(citations, hits, SOURCE_ARTICLE, "article")[:n])
    return item["format_part"] in _ranking(citations, hits, SOURCE_FORMAT, "part")[:n]


def _cited(result: dict, source: str, key: str) -> list:
    out = []
    for citation in result["citations"] + [c for r in result.get("related", []) for c in r["citations"]]:
        if citation["source"] == source and citation[key] not in out:
            out.append(citation[key])
    return out


def _correct_cited(item: dict, result: dict, n: int) -> bool:
    if item["articles"]:
        return any(a in item["articles"] for a in _cited(result, SOURCE_ARTICLE, "article")[:n])
    return item["format_part"] in _cited(result, SOURCE_FORMAT, "part")[:n]


def run(path: Path = EVAL, official=None, embedder=None, log=print, show_errors: bool = False) -> dict:
    """Print and return the metrics of `ask` on the evaluation set."""
    from assistant.qa.answer import answer, compose, retriever
    from assistant.qa.confidence import calibration

    items = load_eval(path)
    start = time.perf_counter()
    retr = retriever(official, embedder)
    cal = calibration(retr)
    answer("依申请公开最长多久必须答复", official, embedder)  # warm-up: jieba, embedder, calibration
    load_seconds = time.perf_counter() - start

    top1 = top3 = top3_entries = strict = n_in = refused_in = n_out = refused_out = 0
    latencies, errors = [], []
    for item in items:
        t0 = time.perf_counter()
        result = answer(item["question"], official, embedder)
        latencies.append(time.perf_counter() - t0)
        if not item["in_scope"]:
            n_out += 1
            refused_out += not result["in_scope"]
            if result["in_scope"]:
                errors.append(("未拒答", item, result))
            continue
        n_in += 1
        refused_in += not result["in_scope"]
        hits, info = retr.search(item["question"])
        would = result if result["in_scope"] else compose(item["question"], retr, hits, info, result["confidence"])
        ok1, ok3 = _correct_cited(item, would, 1), _correct_cited(item, would, 3)
        top1 += ok1
        top3 += ok3
        top3_entries += _correct(item, would["citations"], hits, 3)
        strict += ok1 and result["in_scope"]
        if not ok1:
            errors.append(("首条依据错误", item, result))
        if not result["in_scope"]:
            errors.append(("误拒答", item, result))

    primaries = {item["articles"][0] for item in items if item["in_scope"] and item["articles"]}
    latencies.sort()
    metrics = {
        "questions": len(items), "in_scope": n_in, "out_of_scope": n_out,
        "top1": top1 / n_in if n_in else 0.0, "top3": top3 / n_in if n_in else 0.0,
        "top1_strict": strict / n_in if n_in else 0.0,
        "top3_entries": top3_entries / n_in if n_in else 0.0,
        "in_scope_refused": refused_in / n_in if n_in else 0.0,
        "out_of_scope_refused": refused_out / n_out if n_out else 0.0,
        "latency_median_ms": 1000 * statistics.median(latencies) if latencies else 0.0,
        "latency_p95_ms": 1000 * latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))] if latencies else 0.0,
        "load_seconds": load_seconds, "mode": retr.mode, "embedder_error": retr.embedder_error,
        "threshold": cal["threshold"], "calibration_stale": bool(cal.get("stale")),
        "articles_as_primary": len(primaries), "ranking": retr.ranking.as_dict(),
    }
    log(f"\n问答（{path.name}，{len(items)} 题：范围内 {n_in}，范围外 {n_out}；检索方式：{retr.mode}）")
    if retr.embedder is None:
        log(f"  注意：未能加载向量模型，只用 BM25（{retr.embedder_error}）")
    log(f"  首条依据正确率 top-1  {metrics['top1']:.3f}")
    log(f"  前三依据正确率 top-3  {metrics['top3']:.3f}")
    log(f"  top-1（拒答计为错误） {metrics['top1_strict']:.3f}")
    log(f"  top-3（前三个条目的首要条文） {metrics['top3_entries']:.3f}")
    log(f"  范围内误拒答率        {metrics['in_scope_refused']:.3f}")
    log(f"  范围外拒答率          {metrics['out_of_scope_refused']:.3f}")
    log(f"  每题耗时 中位数 {metrics['latency_median_ms']:.1f} ms，95% 分位 {metrics['latency_p95_ms']:.1f} ms"
        f"（加载 {load_seconds:.1f} 秒）")
    log(f"  作为首要依据出现的条文：{len(primaries)}/56；拒答阈值 {cal['threshold']}"
        + ("（校准已过时：请重新训练）" if cal.get("stale") else ""))
    if show_errors:
        for kind, item, result in errors:
            cited = [c.get("article") or c.get("part") for c in result["citations"]]
            log(f"  [{kind}] {item['id']} {item['question']} 期望 {item['articles'] or item['format_part']}"
                f" 得到 {cited} 置信度 {result['confidence']}")
    return metrics


if __name__ == "__main__":
    import sys

    run(show_errors="-v" in sys.argv)
