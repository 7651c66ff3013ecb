"""Choosing the ranking of retrieval (retrieval.Ranking) without the evaluation set.

Development set: every typical question of the knowledge base (the `questions` of articles and
format entries, the question of each FAQ), asked against the held-out index of confidence.py
(`held_out`): the same knowledge base with that question text removed. The questions are dealt
round robin (knowledge-base order) into FOLDS folds, so an entry's questions land in different
folds, and each fold is asked against an index without that fold's questions: an entry keeps
its other questions, as a new phrasing meets the full index. Our embedder was trained on the
typical questions, so each fold is measured with an embedder trained without them
(`fold_embedders`); measured with ours, the vector signals look far better than they are on
new phrasings and the grid would lean on them.

The typical questions were written with their entries, so they share its words more than a
user's question does. The development set therefore also holds corpus/qa/dev.jsonl (423):
new phrasings written for development (plain, situational, colloquial, keyword-style), none of
them in the knowledge base or the embedder's training pairs, asked against the full index with
our embedder. Its `split` field is for the person changing retrieval: failures of "diagnose"
items may be read and acted on, "confirm" items are only ever counted. Selection counts both
parts together (one question, one vote).

A development question is answered right when the answer's first cited article is one its own
entry cites, or for a new phrasing one it lists (with no article: the part of the report); top-3
likewise — the measures of evaluate.py (`_correct_cited`) on what the answer cites (`answer.citations_of`).
corpus/eval/qa.jsonl is never read here.

Every point of GRID is tried (about 90 s with an embedder, 15 s without). The best development
top-1 wins; ties go to the better top-3, then to the earlier point of the grid. Values beyond
the grid (body up to 8, head up to 4; after the knowledge base grew to 13–15 questions per
article, question up to 1.5 and body 5) were tried on the development set and did no better.
`train` stores the choice per retrieval mode in models/qa_calibration.json
(confidence.write_calibration) next to the refusal calibration; `ranking_for()` reads it back.
"""
from __future__ import annotations

import dataclasses
import itertools
import json

import numpy as np

from assistant.nlp.paths import CORPUS
from assistant.qa.retrieval import UNTUNED, Hit, Ranking, Retriever, Signals

FOLDS = 4
NEW_PHRASINGS = CORPUS / "qa" / "dev.jsonl"
GRID = {  # body and question only with an embedder; BM25's weight is the unit
    "body": (1.0, 2.0, 3.0, 4.0),
    "question": (0.0, 0.25, 0.5),
    "overlap": (0.0, 0.5, 1.0, 2.0),
    "head": (0.0, 0.5, 1.0, 2.0),
    "article_prior": (0.0, 0.05, 0.1),
    "bm25_params": ((1.5, 0.75), (1.2, 0.5)),  # (k1, b)
    "first_article": (0.05, 0.0, 0.15),  # the long-standing 0.05 first, so it wins ties
}
RELATED_SHARES = (0.6, 0.5, 0.4, 0.3)  # the long-standing 0.6 first, so it wins ties


def dev_set(retr: Retriever) -> list[tuple[str, dict]]:
    """(question, expected) for every typical question; expected as in corpus/eval/qa.jsonl."""
    items = []
    for entry in retr.entries:
        if not entry.articles and not entry.part:
            continue
        for question in entry.questions:
            items.append((question, {"in_scope": True, "articles": entry.articles, "format_part": entry.part}))
    return items


def new_phrasings() -> list[tuple[str, dict]]:
    """(question, expected) of corpus/qa/dev.jsonl, expected as in corpus/eval/qa.jsonl."""
    rows = [json.loads(line) for line in NEW_PHRASINGS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["question"], {"in_scope": True, "articles": r["articles"], "format_part": r["format_part"]})
            for r in rows]


def question_folds(retr: Retriever) -> list[frozenset[str]]:
    """Every typical question text of the knowledge base, dealt round robin into FOLDS folds."""
    texts = list(dict.fromkeys(q for e in retr.entries for q in e.questions))
    return [frozenset(texts[f::FOLDS]) for f in range(FOLDS)]


def ours(retr: Retriever) -> bool:
    """The retriever uses the StaticEmbedding `train` builds (trained on the typical questions)."""
    from assistant.nlp.embedder import EMBEDDER_DIR, embedder_name

    return retr.embedder is not None and embedder_name() == str(EMBEDDER_DIR)


def fold_embedders(retr: Retriever, log=None) -> list | None:
    """One embedder per fold, trained like ours but without that fold's questions.

    Our embedder learns from (typical question, entry text) pairs, so it has seen every
    development question with its answer: measured with it, the vector signals look far better
    than on a new phrasing. Each fold is therefore measured with an embedder trained the way
    `train` trains ours (training._embedder_for, same seed), minus the fold's questions.
    None when the embedder is not ours (a configured model has not seen the questions).
    """
    if not ours(retr):
        return None
    from .corpus import load_corpus
    from .embedder import SEED, qa_embedder

    corpus = load_corpus()
    embedders = []
    for f, fold in enumerate(question_folds(retr)):
        if log:
            log(f"  开发集第 {f + 1}/{FOLDS} 折：训练不含该折问题的向量模型……")
        pairs = [(q, body) for q, body in corpus.qa_pairs if q not in fold]
        embedders.append(qa_embedder(dataclasses.replace(corpus, qa_pairs=pairs), SEED))
    return embedders


def collect(retr: Retriever, bm25_params, embedders=None) -> tuple[list, list]:
    """The development set and, per fold, its held-out index, the positions of its questions
    in the set and their Signals stacked per (k1, b); the new phrasings come last, as one more
    "fold" with the full index."""
    from .qa_calibration import held_out

    items = dev_set(retr)
    folds = []
    for f, fold in enumerate(question_folds(retr)):
        held = held_out(retr, fold, embedders[f] if embedders else None)
        positions = [n for n, (question, _) in enumerate(items) if question in fold]
        rows = [held.signals(items[n][0], tuple(bm25_params)) for n in positions]
        folds.append((held, positions, {params: Signals.stack([r[params] for r in rows]) for params in bm25_params}))
    # the new phrasings meet the full index and the shipped embedder, which never saw them
    extra = new_phrasings()
    rows = [retr.signals(question, tuple(bm25_params)) for question, _ in extra]
    folds.append((retr, list(range(len(items), len(items) + len(extra))),
                  {params: Signals.stack([r[params] for r in rows]) for params in bm25_params}))
    return items + extra, folds


def measure(ranking: Ranking, items, folds) -> dict:
    """Development top-1 and top-3 of one ranking: what `answer` would cite (answer.citations_of)."""
    from assistant.qa.answer import _related_json, citations_of

    from .qa_eval import _correct_cited

    top1 = top3 = 0
    for held, positions, by_params in folds:
        before = top1, top3  # after the loop: the counts before the last fold, the new phrasings
        score, fused, _ = held.fuse(by_params[(ranking.k1, ranking.b)], ranking)
        order = np.argsort(-score, axis=1, kind="stable")[:, :10]
        for row, n in enumerate(positions):
            hits = [Hit(held.entries[i], s, 0.0, None) for i, s in zip(order[row], score[row, order[row]].tolist())]
            citations, related = citations_of(hits, held.citation_info(fused[row], ranking))
            result = {"citations": citations, "related": [_related_json(e) for e in related]}
            top1 += _correct_cited(items[n][1], result, 1)
            top3 += _correct_cited(items[n][1], result, 3)
    new1, new3, n_new = top1 - before[0], top3 - before[1], len(folds[-1][1])
    return {"top1": round(top1 / len(items), 4), "top3": round(top3 / len(items), 4), "n": len(items),
            "new_phrasings": {"top1": round(new1 / n_new, 4), "top3": round(new3 / n_new, 4), "n": n_new}}


def grid(with_embedder: bool):
    vectors = itertools.product(GRID["body"], GRID["question"]) if with_embedder else [(UNTUNED.body, UNTUNED.question)]
    for (body, question), overlap, head, prior, (k1, b), first in itertools.product(
            vectors, GRID["overlap"], GRID["head"], GRID["article_prior"], GRID["bm25_params"], GRID["first_article"]):
        yield Ranking(bm25=1.0, body=body, question=question, overlap=overlap, head=head, article_prior=prior,
                      k1=k1, b=b, first_article=first)


def select(retr: Retriever, log=None, compare: dict[str, Ranking] | None = None,
           embedders=None) -> tuple[Ranking, dict]:
    """The best ranking of GRID on the development set, and a report (also of `compare`).
    `embedders`: one per fold (fold_embedders), for our own embedder."""
    candidates = list(grid(retr.embedder is not None))
    params = list(dict.fromkeys((r.k1, r.b) for r in candidates + list((compare or {}).values())))
    items, signals = collect(retr, params, embedders)
    best, best_key, best_metrics = None, None, None
    for ranking in candidates:
        metrics = measure(ranking, items, signals)
        key = (metrics["top1"], metrics["top3"])
        if best_key is None or key > best_key:
            best, best_key, best_metrics = ranking, key, metrics
    # which further entries are listed as related changes only what is cited after the best
    # entry, so its share is chosen for the winning weights, not across the whole grid
    for share in RELATED_SHARES[1:]:
        ranking = dataclasses.replace(best, related_share=share)
        metrics = measure(ranking, items, signals)
        if (metrics["top1"], metrics["top3"]) > best_key:
            best, best_key, best_metrics = ranking, (metrics["top1"], metrics["top3"]), metrics
    report = {"selected": best_metrics, "grid_points": len(candidates), "folds": FOLDS}
    for name, ranking in (compare or {}).items():
        report[name] = measure(ranking, items, signals)
    if log:
        new = best_metrics["new_phrasings"]
        log(f"问答排序权重（开发集 {best_metrics['n']} 题）：top-1 {best_metrics['top1']:.3f}，"
            f"top-3 {best_metrics['top3']:.3f}（其中新问法 {new['n']} 题：top-1 {new['top1']:.3f}，"
            f"top-3 {new['top3']:.3f}）；{json.dumps(best.as_dict())}")
    return best, report
