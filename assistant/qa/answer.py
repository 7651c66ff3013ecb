"""Answers with their basis: `answer(question)` → the `ask --format json` object of CONTRACT.md.

An answer leads with the direct answer (the sentence of the best entry that fits the question
best, numbers and deadlines included), then 依据 with the article numbers, the official wording
when the user supplied it, then 相关条目. Citations come only from the best entry: the knowledge
base states which articles each entry rests on, and a shorter list beats a wrong one. A question
outside the subject, or one the knowledge base does not match well enough, gets a refusal that
says what the assistant can help with.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .knowledge import (
    PART_TITLES,
    SOURCE_ARTICLE,
    SOURCE_FORMAT,
    SOURCE_RULE,
    Entry,
    article_label,
    official_path,
)
from .retrieval import Hit, Retriever, get_retriever
from .scope import foreign_subject

MAX_QUESTION = 500
RELATED = 3

HELP = ("本助手可以回答：\n"
        "- 《政府信息公开条例》的条文：公开范围、不予公开的情形、依申请公开的程序和期限、信息处理费、监督和保障等；\n"
        "- 年度报告格式和表格填报：六个部分各写什么，表二、表三、表四每一行怎么填、数字如何勾稽；\n"
        "- 本工具的检查规则（如 T303、N604）是什么意思、如何整改。\n"
        "可以这样问：“依申请公开最长多久必须答复？”“信访件伪装成申请填表三哪一行？”“第五部分能不能写无？”")


def retriever(official: Path | str | None = None, embedder: str | None = None) -> Retriever:
    path = Path(official) if official is not None else official_path()
    return get_retriever(str(path) if path.is_file() else None, embedder)


def direct_answer(entry: Entry, question: str) -> str:
    """The governing rule first, then its conditions and exceptions, then the deadlines.

    Entries are written rule-first, so their sentences keep their order (moving the sentence
    that shares most words with the question to the front opened answers with "二是…"). An
    article's conditions and exceptions follow as a list, its time limits last.
    """
    text = entry.answer.strip()
    if entry.source == SOURCE_RULE:
        return f"检查规则 {entry.rule}“{entry.title}”。\n{text}"
    conditions = [c for c in entry.conditions if c not in text]
    if conditions:
        text += "\n条件和例外：" + "；".join(conditions) + "。"
    if entry.time_limits and not any(t["limit"] in text for t in entry.time_limits):
        text += "\n期限：" + "；".join(f"{t['what']}为{t['limit']}（{t['from']}）" for t in entry.time_limits) + "。"
    return text


def _article_title(retr: Retriever, number: int) -> str:
    entry = next((e for e in retr.entries if e.article == number), None)
    return f"（{entry.title}）" if entry else ""


def basis_line(citations: list[dict], retr: Retriever) -> str:
    pieces = []
    articles = [c["article"] for c in citations if c["source"] == SOURCE_ARTICLE]
    if articles:
        pieces.append("《中华人民共和国政府信息公开条例》" +
                      "、".join(article_label(a) + _article_title(retr, a) for a in articles))
    parts = [c["part"] for c in citations if c["source"] == SOURCE_FORMAT]
    if parts:
        pieces.append("《政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）" +
                      "、".join(f"第{p}部分“{PART_TITLES[p]}”" for p in parts))
    rules = [c["rule"] for c in citations if c["source"] == SOURCE_RULE]
    if rules:
        pieces.append("本工具检查规则 " + "、".join(rules))
    return "依据：" + "；".join(pieces) + "。" if pieces else ""


def _order_articles(entry: Entry, info: dict) -> list[dict]:
    """The entry's citations, its articles ordered by how well each article itself fits the question.

    The entry's first article keeps a head start (`Ranking.first_article`, chosen with the other
    weights): the knowledge base lists the primary one first.
    """
    articles = entry.articles
    if len(articles) < 2:
        return list(entry.citations)
    scores, head_start = info["article_scores"], info["first_article"]
    ranked = sorted(articles, key=lambda a: -(scores.get(a, 0.0) + (head_start if a == articles[0] else 0.0)))
    rest = [c for c in entry.citations if c["source"] != SOURCE_ARTICLE]
    return [{"source": SOURCE_ARTICLE, "article": a} for a in ranked] + rest


def _related(hits: list[Hit], primary: Entry, citations: list[dict], share: float) -> list[Entry]:
    """Up to RELATED further entries that add something: another article, part or rule; each
    scoring at least `share` of the best (`Ranking.related_share`, chosen with the weights)."""
    seen = {primary.id}
    covered = {(c["source"], c.get("article") or c.get("part") or c.get("rule")) for c in citations}
    out = []
    top = hits[0].score
    for hit in hits[1:]:
        entry = hit.entry
        if entry.id in seen or hit.score < share * top:
            continue
        keys = {(c["source"], c.get("article") or c.get("part") or c.get("rule")) for c in entry.citations}
        if keys <= covered:
            continue
        covered |= keys
        seen.add(entry.id)
        out.append(entry)
        if len(out) == RELATED:
            break
    return out


def citations_of(hits: list[Hit], info: dict) -> tuple[list[dict], list[Entry]]:
    """What an answer built on the best hit cites, and its 相关条目."""
    citations = _order_articles(hits[0].entry, info)
    return citations, _related(hits, hits[0].entry, citations, info["related_share"])


def _related_json(entry: Entry) -> dict:
    return {"id": entry.id, "source": entry.source, "title": entry.label(), "citations": entry.citations}


def refusal(question: str, reason: str | None, hits: list[Hit], confidence: float, threshold: float = 0.5) -> dict:
    if reason:
        head = f"抱歉，这个问题涉及{reason}，超出了本助手的范围：本助手只依据《政府信息公开条例》和年度报告格式作答，不回答其他法规或其他事项的问题。"
    else:
        head = "抱歉，我没有把握回答这个问题：知识库中没有足够相关的内容，为避免给出错误的依据，这里不作回答。"
    # near misses get suggestions; questions far from the subject (红烧肉怎么做) do not
    suggestions = [] if reason or confidence < threshold / 3 else [h.entry for h in hits[:3]]
    text = head + "\n\n" + HELP
    if suggestions:
        text += "\n\n如果您想问的是下列内容之一，可以换个说法再问：\n" + "\n".join(f"- {e.label()}" for e in suggestions)
    return {"answer": text, "citations": [], "in_scope": False, "confidence": round(confidence, 2),
            "related": [], "suggestions": [_related_json(e) for e in suggestions]}


def answer(question: str, official: Path | str | None = None, embedder: str | None = None) -> dict:
    """Answer one question: {"answer", "citations", "in_scope", "confidence"} plus "related"."""
    question = (question or "").strip()
    if not question:
        raise InputError("问题为空：请输入一个关于《政府信息公开条例》或年度报告格式的问题")
    if len(question) > MAX_QUESTION:
        raise InputError(f"问题太长（{len(question)} 字）：请把问题缩短到 {MAX_QUESTION} 字以内")
    from .confidence import calibration
    from .confidence import confidence as confidence_of

    retr = retriever(official, embedder)
    hits, info = retr.search(question)
    reason = foreign_subject(question)
    conf, accepted = confidence_of(retr, hits, info, question)
    if not reason and hits and (hits[0].entry.article in info["named"] or hits[0].entry.rule in info["rules"]):
        conf, accepted = max(conf, 0.9), True  # the question names an article or rule we know
    if reason or not accepted or not hits:
        return refusal(question, reason, hits, min(conf, 0.05) if reason else conf,
                       calibration(retr)["threshold"])
    return compose(question, retr, hits, info, conf)


def compose(question: str, retr: Retriever, hits: list[Hit], info: dict, conf: float) -> dict:
    """The answer built on the best hit: direct answer, 依据, official wording, 相关条目."""
    primary = hits[0].entry
    citations, related = citations_of(hits, info)
    lines = [direct_answer(primary, question)]
    basis = basis_line(citations, retr)
    if basis:
        lines.append(basis)
    quoted = [c["article"] for c in citations if c["source"] == SOURCE_ARTICLE][:2]
    official_text = {e.article: e.official for e in retr.entries if e.article in quoted and e.official}
    for number in quoted:
        if number in official_text:
            lines.append(f"条文原文：{official_text[number]}")
    if related:
        lines.append("相关条目：\n" + "\n".join(f"- {e.label()}" for e in related))
    return {"answer": "\n".join(lines), "citations": citations, "in_scope": True,
            "confidence": round(conf, 2), "related": [_related_json(e) for e in related], "entry": primary.id}


def format_text(result: dict) -> str:
    mark = "" if result["in_scope"] else "（超出范围）"
    return f"{result['answer']}\n（置信度 {result['confidence']:.2f}{mark}）"
