"""`python -m assistant train` / `evaluate`: rebuild models/ from corpus/, print every figure."""
from __future__ import annotations

import json
import time
from pathlib import Path

from assistant.nlp.paths import MODELS

from . import nlp_eval
from .corpus import load_corpus
from .fit import SEED, fit_boilerplate, fit_topics, save_boilerplate, save_topics, write_manifest

CARD = "model_card.json"


def measure(log=print) -> tuple[dict, dict, dict]:
    """Select by grouped cross-validation; measure the frozen external set with the selection."""
    corpus = load_corpus()
    log(f"语料：主题 {len(corpus.texts)} 条，套话 {len(corpus.bp_texts)} 条，问答对 {len(corpus.qa_pairs)} 个")
    topic_sel, topic_report = nlp_eval.select_topics(corpus, log)
    bp_sel, bp_report = nlp_eval.select_boilerplate(corpus)
    topics = fit_topics(corpus.texts, corpus.y, corpus.terms, topic_sel["c"], topic_sel["threshold"])
    boilerplate = fit_boilerplate(corpus.bp_texts, corpus.bp_y, corpus.stock, bp_sel["c"])
    metrics = {"topics": {"selected": topic_sel, **topic_report}, "boilerplate": {"selected": bp_sel, **bp_report},
               "external": nlp_eval.external(topics, boilerplate), "folds": nlp_eval.FOLDS, "grouped_by": "document",
               "n_items": len(corpus.texts), "n_boilerplate": len(corpus.bp_texts)}
    return metrics, {"topics": topics, "boilerplate": boilerplate}, {"corpus": corpus}


def train(output: Path = MODELS, log=print) -> dict:
    from assistant.nlp.embedder import EMBEDDER_DIR, embedder_name

    from .embedder import qa_embedder

    start = time.perf_counter()
    metrics, models, extra = measure(log)
    output.mkdir(parents=True, exist_ok=True)
    save_topics(models["topics"], output)
    save_boilerplate(models["boilerplate"], output)
    ours = embedder_name() == str(EMBEDDER_DIR)
    if ours:
        log("训练问答用的向量模型（StaticEmbedding）……")
        qa_embedder(extra["corpus"], SEED, output=output / "embedder")
    if output == MODELS:
        from assistant.nlp.embedder import load_embedder, load_encoder

        from .qa_calibration import write_calibration

        load_embedder.cache_clear()
        load_encoder.cache_clear()
        log("选择问答排序权重并校准拒答阈值……")
        write_calibration(log)
    card = {"seed": SEED, "embedder": "models/embedder" if ours else embedder_name(), "metrics": metrics,
            "training_seconds": round(time.perf_counter() - start, 1)}
    (output / CARD).write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    write_manifest(output)
    nlp_eval.print_metrics(metrics, log)
    log(f"\n模型已写入 {output}（用时 {card['training_seconds']} 秒）")
    return card


def evaluate(log=print) -> dict:
    """Every figure of the benchmark: grouped CV and frozen external set for topics and boilerplate,
    the leakage check, question answering on corpus/eval/qa.jsonl, and what the NLP analysis costs."""
    from . import cost, leakage, qa_eval

    metrics, _, _ = measure(log)
    nlp_eval.print_metrics(metrics, log)
    leaks = leakage.report()
    log(f"\n泄漏检查（评测项与训练、知识库文本共享 {leakage.N} 字以上片段）：主题外部集 {len(leaks['topics_external'])} 条，"
        f"问答评测集 {len(leaks['qa'])} 条")
    metrics["qa"] = qa_eval.run(log=log)
    metrics["leaks"] = leaks
    metrics["cost"] = cost.measure(log)
    return metrics
