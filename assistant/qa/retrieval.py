"""Retrieval over the knowledge base: BM25 over jieba tokens fused with embedding similarity.

BM25 (rank-bm25) reads each entry's title, keywords, typical questions and text, tokenised by
the NLP layer's jieba `words()` plus the knowledge base's own multi-word terms and character
bigrams. The embedder is the NLP layer's configured one: our StaticEmbedding (read directly by
static.py, same vectors) or any sentence-transformers model set in assistant.toml, loaded with
`load_embedder()`; entry vectors are computed once per process. Without an embedder the
retriever works on BM25 alone and says so (`Retriever.embedder_error`).

Scores are fused as a weighted mean on a 0..1 scale: BM25 relative to the best entry, cosine
with the entry's text and best cosine with one of its typical questions. Article entries get a
small head start (ARTICLE_PRIOR). How sure a match is lives in confidence.py.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..nlp.text import words
from .knowledge import SOURCE_ARTICLE, Entry, chinese_number, load_entries, to_chinese

# An article entry is the authority the other entries derive from: when it fits nearly as well
# as an FAQ or format entry, it leads. On held-out knowledge-base questions every value tried up
# to 0.3 of this scale helped; it is kept small so that a clearly better FAQ entry still wins.
ARTICLE_PRIOR = 0.07  # on the fused 0..1 scale

# Colloquial spellings users type, mapped to the words the knowledge base uses.
_COLLOQUIAL = (
    ("咋整", "怎么办"), ("咋办", "怎么办"), ("咋回事", "怎么回事"), ("咋", "怎么"), ("啥", "什么"),
    ("干嘛", "做什么"), ("多久", "多长时间"), ("几天", "多少天"), ("挂网", "网上公开"), ("年抱", "年报"),
    ("年度报告", "年报"), ("信息公开条例", "条例"), ("收钱", "收费"), ("交钱", "交费"),
)
_STOP = frozenset(
    "的 了 吗 呢 啊 吧 呀 么 嘛 哦 是 有 在 和 与 及 或 也 都 就 还 又 要 会 能 可 可以 不 没 没有 这 那 这个 那个 这种 "
    "这些 那些 哪 哪个 哪些 什么 怎么 怎么样 怎样 如何 为什么 多少 几 吗 我 我们 你 你们 他 她 它 他们 咱们 自己 "
    "一 个 一个 一下 些 得 着 过 被 把 给 让 对 从 向 到 于 以 为 里 中 上 下 后 前 时 时候 算 算不算 能不能 "
    "要不要 是不是 行不行 可不可以 有没有 还是 到底 直接 一定 必须 应该 需要 请问 问 说 呢 啦 哈 嗯".split())
_ARTICLE_REF = re.compile(r"第([一二三四五六七八九十]+|\d+)条")
_PART_DIGIT = re.compile(r"第([1-6])部分")
_TABLE_DIGIT = re.compile(r"表([2-4])")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().strip()
    text = _PART_DIGIT.sub(lambda m: f"第{'一二三四五六'[int(m.group(1)) - 1]}部分", text)
    text = _TABLE_DIGIT.sub(lambda m: f"表{'一二三四'[int(m.group(1)) - 1]}", text)
    text = re.sub(r"第(\d+)条", lambda m: f"第{to_chinese(int(m.group(1)))}条"
                  if 0 < int(m.group(1)) < 200 else m.group(0), text)
    for old, new in _COLLOQUIAL:
        text = text.replace(old, new)
    return text


_RULE_REF = re.compile(r"(?<![a-z])([stcnp]\d{3})(?!\d)")


def cited_rules(question: str) -> list[str]:
    """Rule IDs a question names (T303, n604)."""
    return [m.upper() for m in _RULE_REF.findall(unicodedata.normalize("NFKC", question).lower())]


def cited_articles(question: str) -> list[int]:
    """Articles a question names explicitly (第三十三条, 第33条)."""
    out = []
    for match in _ARTICLE_REF.finditer(unicodedata.normalize("NFKC", question)):
        raw = match.group(1)
        number = int(raw) if raw.isdigit() else chinese_number(raw)
        if 1 <= number <= 56 and number not in out:
            out.append(number)
    return out


class Tokenizer:
    """jieba words (the NLP layer's `words()`, domain dictionary) without stop words, plus every
    knowledge-base term found in the text, plus (mode "bigrams") the character bigrams of each
    run of Chinese characters, marked with "#": they match where jieba cuts two phrasings of
    the same words differently (请示件/请示, 表三填/表三)."""

    def __init__(self, terms, mode: str = "bigrams"):
        self.mode = mode
        self.terms = sorted({t for t in terms if 2 <= len(t) <= 12}, key=len, reverse=True)

    def __call__(self, text: str) -> list[str]:
        text = normalise(text)
        tokens = [w for w in words(text) if w not in _STOP]
        seen = set(tokens)
        tokens += [t for t in self.terms if t in text and t not in seen]  # overlapping terms too
        if self.mode == "bigrams":
            for run in re.findall(r"[\u4e00-\u9fff]+", text):
                tokens += ["#" + run[i:i + 2] for i in range(len(run) - 1)]
        return tokens


def _entry_terms(entries) -> list[str]:
    terms = []
    for entry in entries:
        terms += [normalise(k) for k in entry.keywords]
        if len(entry.title) <= 12:
            terms.append(normalise(entry.title))
    return terms


@dataclass
class Hit:
    entry: Entry
    score: float  # fused score used for ranking
    bm25: float  # BM25 relative to the question's own ceiling, 0..1
    cosine: float | None  # embedding similarity, None without an embedder


class Retriever:
    """Ranks the entries for a question. Weights: BM25 (relative to the best entry), cosine with
    the entry's title and answer, best cosine with one of its typical questions."""

    def __init__(self, entries: tuple[Entry, ...], embedder=None, embedder_error: str | None = None,
                 weights: tuple[float, float, float] = (1.0, 1.0, 0.5), mode: str = "bigrams",
                 article_prior: float = ARTICLE_PRIOR):
        from rank_bm25 import BM25Okapi

        self.entries = entries
        self.tokenize = Tokenizer(_entry_terms(entries), mode)
        self.words = Tokenizer([], "words")  # plain words, for coverage
        self.documents = [self._document_tokens(e) for e in entries]
        self.bm25 = BM25Okapi(self.documents)
        self.vocabulary = {t for e in entries for t in self.words(" ".join([e.title, *e.keywords, *e.questions, e.text]))}
        self.embedder = embedder
        self.embedder_error = embedder_error
        self.weights = weights
        self.article_prior = article_prior
        self._body = self._questions = self._owner = None
        self._prior = np.array([article_prior if e.source == SOURCE_ARTICLE else 0.0 for e in entries])
        if embedder is not None:
            self._encode_entries()

    @property
    def mode(self) -> str:
        return "BM25 + 向量" if self.embedder is not None else "仅 BM25"

    def _document_tokens(self, entry: Entry) -> list[str]:
        # title, keywords and questions count twice: they are what users ask with
        head = " ".join([entry.title, *entry.keywords, *entry.questions])
        return self.tokenize(head) * 2 + self.tokenize(entry.text)

    def _encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.embedder.encode(texts, normalize_embeddings=True, batch_size=128,
                                               show_progress_bar=False))

    def _encode_entries(self) -> None:
        self._body = self._encode([e.title + "。" + e.answer for e in self.entries])
        questions, owner = [], []
        for i, entry in enumerate(self.entries):
            questions += entry.questions
            owner += [i] * len(entry.questions)
        self._questions = self._encode(questions) if questions else np.zeros((0, self._body.shape[1]))
        self._owner = np.array(owner, dtype=int)

    def coverage(self, question: str) -> float:
        """Share of the question's content words that occur anywhere in the knowledge base."""
        tokens = set(self.words(question))
        return sum(1 for t in tokens if t in self.vocabulary) / len(tokens) if tokens else 0.0

    def search(self, question: str, k: int = 10) -> tuple[list[Hit], dict]:
        tokens = self.tokenize(question)
        raw = self.bm25.get_scores(tokens) if tokens else np.zeros(len(self.entries))
        top = float(raw.max()) if len(raw) else 0.0
        bm25 = raw / top if top > 0 else np.zeros_like(raw)
        w_bm25, w_body, w_question = self.weights
        cos = None
        fused = w_bm25 * bm25
        if self._body is not None:
            query = self._encode([normalise(question)])[0]
            body = np.clip(self._body @ query, 0, 1)
            best_question = np.zeros(len(self.entries))
            if len(self._owner):
                np.maximum.at(best_question, self._owner, np.clip(self._questions @ query, 0, 1))
            cos = np.maximum(body, best_question)
            fused = fused + w_body * body + w_question * best_question
        fused = fused / (w_bm25 + (w_body + w_question if self._body is not None else 0.0))  # 0..1
        article_scores = {e.article: float(fused[i]) for i, e in enumerate(self.entries) if e.article}
        fused = fused + self._prior
        named, rules = cited_articles(question), cited_rules(question)
        for i, entry in enumerate(self.entries):
            if (named and entry.article in named) or (rules and entry.rule in rules):
                fused[i] += 1.0  # the question names this article or rule
        order = np.argsort(-fused, kind="stable")[:k]
        hits = [Hit(self.entries[i], float(fused[i]), float(bm25[i]),
                    None if cos is None else float(cos[i])) for i in order]
        info = {"tokens": tokens, "bm25_top": top, "coverage": self.coverage(question), "named": named,
                "rules": [r for r in rules if any(e.rule == r for e in self.entries)],
                "cos_top": None if cos is None else float(cos.max()),
                "article_scores": article_scores}
        return hits, info


def load_query_embedder(name: str | None = None):
    """The configured embedder: our StaticEmbedding read directly (fast), any other model through
    the NLP layer's `load_embedder()`."""
    from ..nlp.embedder import embedder_name, load_embedder
    from .static import StaticEncoder, static_folder

    folder = static_folder(name or embedder_name())
    if folder is not None:
        return StaticEncoder(folder)
    return load_embedder(name)


@lru_cache(maxsize=4)
def get_retriever(official: str | None = None, embedder_name: str | None = None,
                  use_embedder: bool = True) -> Retriever:
    """The process-wide retriever (entry vectors are computed once)."""
    entries = load_entries(official)
    embedder, error = None, None
    if use_embedder:
        try:
            embedder = load_query_embedder(embedder_name)
        except Exception as exc:  # InputError when models/ is not trained yet, ImportError, …
            error = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
    return Retriever(entries, embedder, error)
