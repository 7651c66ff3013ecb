"""Retrieval over the knowledge base: BM25 over jieba tokens fused with embedding similarity.

BM25 (rank-bm25) reads each entry's title, keywords, typical questions and text, tokenised by
the NLP layer's jieba `words()` plus the knowledge base's own multi-word terms and character
bigrams. The embedder is the NLP layer's configured one: our StaticEmbedding (read directly by
static.py, same vectors) or any sentence-transformers model set in assistant.toml, loaded with
`load_embedder()`; entry vectors are computed once per process. Without an embedder the
retriever works on BM25 alone and says so (`Retriever.embedder_error`).

Scores are fused as a weighted mean on a 0..1 scale: BM25 relative to the best entry, cosine
with the entry's text, best cosine with one of its typical questions, and the idf-weighted
share of the question's words the entry contains; article entries get a head start. The
weights and BM25's k1 and b (`Ranking`) are chosen by training/qa_tuning.py on the knowledge base's own
questions and stored with the refusal calibration. How sure a match is lives in confidence.py.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..document.schema import TABLE3_GROUPS, TABLE3_ROWS, part_label
from ..nlp.text import words
from ..numerals import parse_chinese as chinese_number
from ..numerals import to_chinese
from .knowledge import SOURCE_ARTICLE, Entry, load_entries

log = logging.getLogger(__name__)
INDEX = "qa_index"  # models/qa_index.json + .safetensors, written by `train`

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
# "…依据哪条/规定在条例第几条": asking for the article says nothing about which one; these frames
# otherwise match every typical question that asks the same way, whatever its subject
_ASK_ARTICLE = re.compile(r"(?:有什么|有没有|的)?(?:法律)?依据(?:是|在)?|(?:是|在|对应|引)?(?:条例)?(?:的|里|中)?"
                          r"(?:第几条|哪一?条|哪几条|哪个条款)(?:规定的?|说的|要求的?|的要求|的规定)?")
_ARTICLE_REF = re.compile(r"第([一二三四五六七八九十]+|\d+)条")
_PART_DIGIT = re.compile(r"第([1-6])部分")
_TABLE_DIGIT = re.compile(r"表([2-4])")


# "不予处理第4行": a row of table 3 named by its place in its group, as users do; the format fixes the order.
_GROUP_ROW = re.compile(r"(不予公开|无法提供|不予处理|其他处理)(?:的|里的|中的|里|中)?第([一二三四五六七八九十]|\d{1,2})(?:行|项|种|小项|个)")
_ROWS_OF_GROUP = {group: [re.sub(r"^\d+\.", "", r.label) for r in TABLE3_ROWS if r.group == group] for group in TABLE3_GROUPS}


def _name_group_rows(text: str) -> str:
    """Add the label of each group row named by number ("不予处理第4行" + 无正当理由大量反复申请)."""
    labels = []
    for match in _GROUP_ROW.finditer(text):
        raw = match.group(2)
        number = int(raw) if raw.isdigit() else chinese_number(raw)
        rows = _ROWS_OF_GROUP[match.group(1)]
        if number and 1 <= number <= len(rows):
            labels.append(rows[number - 1])
    return text + "".join(f" {label}" for label in labels)


def normalise(text: str) -> str:
    text = _name_group_rows(unicodedata.normalize("NFKC", text).lower().strip())
    text = _PART_DIGIT.sub(lambda m: part_label(int(m.group(1))), text)
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
        self.terms = sorted({t for t in terms if 2 <= len(t) <= 12}, key=lambda t: (-len(t), t))  # deterministic
        self._memo: dict[str, list[str]] = {}

    def __call__(self, text: str) -> list[str]:
        if text not in self._memo:
            if len(self._memo) > 50_000:
                self._memo.clear()
            self._memo[text] = self._tokens(text)
        return list(self._memo[text])

    def _tokens(self, text: str) -> list[str]:
        text = _ASK_ARTICLE.sub(" ", normalise(text))
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


@dataclass(frozen=True)
class Ranking:
    """How the signals of retrieval are fused into one score (all on a 0..1 scale).

    The values are not chosen by hand: `assistant.training.qa_tuning.select()` picks them on a development set built
    from the knowledge base's own typical questions (never corpus/eval/qa.jsonl), `train` stores
    them in models/qa_calibration.json next to the refusal calibration, and `get_retriever()`
    reads them from there (get_retriever). The defaults below are only the untuned
    starting point, used when nothing has been selected yet.
    """
    bm25: float = 1.0  # BM25 relative to the best entry
    body: float = 1.0  # cosine with the entry's title and answer
    question: float = 1.0  # best cosine with one of the entry's typical questions
    overlap: float = 0.0  # idf-weighted share of the question's words the entry contains
    head: float = 0.0  # the same, in the entry's title and keywords only
    article_prior: float = 0.0  # head start of article entries, the authority the others derive from
    first_article: float = 0.05  # head start of an entry's first-listed article among its articles (answer.py)
    related_share: float = 0.6  # a further entry is a 相关条目 when it scores this share of the best (answer.py)
    k1: float = 1.5  # BM25 term-frequency saturation
    b: float = 0.75  # BM25 length normalisation

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> Ranking:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: float(v) for k, v in values.items() if k in names})


UNTUNED = Ranking()


@dataclass
class Hit:
    entry: Entry
    score: float  # fused score used for ranking
    bm25: float  # BM25 relative to the question's own ceiling, 0..1
    cosine: float | None  # embedding similarity, None without an embedder


@dataclass
class Signals:
    """What a question scores on every entry before fusion: arrays over the entries, or over
    (questions, entries) when tuning stacks several questions (`Signals.stack`)."""
    raw: np.ndarray  # raw BM25
    body: np.ndarray | None  # cosine with title + answer, clipped to 0..1; None without an embedder
    question: np.ndarray | None  # best cosine with a typical question, clipped to 0..1
    overlap: np.ndarray  # idf-weighted share of the question's words found in the entry's text
    head: np.ndarray  # the same, in the entry's title and keywords
    boost: np.ndarray  # 1 for the articles and rules the question names
    tokens: list[str] = dataclasses.field(default_factory=list)
    named: list[int] = dataclasses.field(default_factory=list)  # articles the question names
    rules: list[str] = dataclasses.field(default_factory=list)  # rules the question names

    @staticmethod
    def stack(rows: list[Signals]) -> Signals:
        def arrays(name):
            values = [getattr(r, name) for r in rows]
            return None if values[0] is None else np.vstack(values)

        return Signals(*(arrays(f) for f in ("raw", "body", "question", "overlap", "head", "boost")))


class Retriever:
    """Ranks the entries for a question: BM25, cosine with the entry's title and answer, best
    cosine with one of its typical questions, and the share of the question's words the entry
    holds (in all its text; in its title and keywords), fused with the weights of `ranking`."""

    def __init__(self, entries: tuple[Entry, ...], embedder=None, embedder_error: str | None = None,
                 ranking: Ranking = UNTUNED, mode: str = "bigrams", index: dict | None = None):
        """`index`: the prebuilt index of models/ (load_index) for these entries, or None to build it."""
        self.entries = entries
        self.tokenize = _tokenizer(tuple(_entry_terms(entries)), mode)
        self.words = _tokenizer((), "words")  # plain words, for coverage
        if index is not None:
            self.documents, self.vocabulary = index["documents"], set(index["vocabulary"])
        else:
            self.documents = [self._document_tokens(e) for e in entries]
            self.vocabulary = {t for e in entries
                               for t in self.words(" ".join([e.title, *e.keywords, *e.questions, e.text]))}
        self._bm25: dict[tuple[float, float], object] = {}
        # word overlap: the entries' text as one string each; a question word counts where it
        # occurs as a substring (jieba cuts 政府信息公开 and 信息公开申请 differently)
        self._haystacks = [normalise(" ".join([e.title, *e.keywords, *e.questions, e.text])) for e in entries]
        self._holders: dict[str, tuple[np.ndarray, float]] = {}
        self._heads = [normalise(" ".join([e.title, *e.keywords])) for e in entries]
        self._is_article = np.array([e.source == SOURCE_ARTICLE for e in entries])
        self._article_index = np.array([i for i, e in enumerate(entries) if e.article], dtype=int)
        self._article_numbers = [entries[i].article for i in self._article_index]
        self.embedder = embedder
        self.embedder_error = embedder_error
        self.ranking = ranking
        self._body = self._questions = self._owner = None
        if embedder is not None and index is not None and "body" in index:
            self._body, self._questions, self._owner = index["body"], index["questions"], index["owner"]
        elif embedder is not None:
            self._encode_entries()

    @property
    def mode(self) -> str:
        return "BM25 + 向量" if self.embedder is not None else "仅 BM25"

    def _document_tokens(self, entry: Entry) -> list[str]:
        # title, keywords and questions count twice: they are what users ask with
        head = " ".join([entry.title, *entry.keywords, *entry.questions])
        return self.tokenize(head) * 2 + self.tokenize(entry.text)

    def bm25(self, k1: float, b: float):
        key = (float(k1), float(b))
        if key not in self._bm25:
            from rank_bm25 import BM25Okapi

            self._bm25[key] = BM25Okapi(self.documents, k1=key[0], b=key[1])
        return self._bm25[key]

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

    def _holding(self, word: str) -> tuple[np.ndarray, float]:
        """The entries whose text contains the word, and the word's idf."""
        if word not in self._holders:
            if len(self._holders) > 50_000:
                self._holders.clear()
            where = np.array([i for i, text in enumerate(self._haystacks) if word in text], dtype=int)
            self._holders[word] = (where, math.log(1 + len(self.entries) / len(where)) if len(where) else 0.0)
        return self._holders[word]

    def signals(self, question: str, bm25: tuple[tuple[float, float], ...] | None = None):
        """The question's Signals under the ranking's BM25 parameters, or a dict of them for each
        (k1, b) in `bm25` (what tuning compares)."""
        tokens = self.tokenize(question)
        n = len(self.entries)
        overlap, head = np.zeros(n), np.zeros(n)
        held = [(t, *self._holding(t)) for t in dict.fromkeys(tokens) if not t.startswith("#")]
        held = [(t, where, idf) for t, where, idf in held if len(where)]
        total = sum(idf for _, _, idf in held)
        for word, where, idf in held:
            overlap[where] += idf / total
            head[[i for i in where if word in self._heads[i]]] += idf / total
        body = best_question = None
        if self._body is not None:
            query = self._encode([normalise(question)])[0]
            body = np.clip(self._body @ query, 0, 1)
            best_question = np.zeros(n)
            if len(self._owner):
                np.maximum.at(best_question, self._owner, np.clip(self._questions @ query, 0, 1))
        named, rules = cited_articles(question), cited_rules(question)
        boost = np.array([1.0 if (e.article and e.article in named) or (e.rule and e.rule in rules) else 0.0
                          for e in self.entries])

        def make(k1, b):
            raw = self.bm25(k1, b).get_scores(tokens) if tokens else np.zeros(n)
            return Signals(raw, body, best_question, overlap, head, boost, tokens, named, rules)

        if bm25 is None:
            return make(self.ranking.k1, self.ranking.b)
        return {params: make(*params) for params in bm25}

    def fuse(self, sig: Signals, ranking: Ranking) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(score used for ranking, fused score without the article prior, BM25 relative to the best)."""
        top = sig.raw.max(axis=-1, keepdims=True) if sig.raw.shape[-1] else np.zeros(sig.raw.shape[:-1] + (1,))
        bm25 = np.divide(sig.raw, top, out=np.zeros_like(sig.raw), where=top > 0)
        fused = ranking.bm25 * bm25 + ranking.overlap * sig.overlap + ranking.head * sig.head
        total = ranking.bm25 + ranking.overlap + ranking.head
        if sig.body is not None:
            fused = fused + ranking.body * sig.body + ranking.question * sig.question
            total += ranking.body + ranking.question
        fused = fused / total if total > 0 else fused  # 0..1
        # article entries get a head start; a named article or rule leads whatever its score
        score = fused + ranking.article_prior * self._is_article + sig.boost
        return score, fused, bm25

    def rank(self, sig: Signals, ranking: Ranking, k: int = 10) -> tuple[list[Hit], dict]:
        score, fused, bm25 = self.fuse(sig, ranking)
        cos = None if sig.body is None else np.maximum(sig.body, sig.question)
        order = np.argsort(-score, kind="stable")[:k]
        hits = [Hit(self.entries[i], float(score[i]), float(bm25[i]),
                    None if cos is None else float(cos[i])) for i in order]
        info = {"tokens": sig.tokens, "bm25_top": float(sig.raw.max()) if len(sig.raw) else 0.0,
                "named": sig.named, "rules": [r for r in sig.rules if any(e.rule == r for e in self.entries)],
                "cos_top": None if cos is None else float(cos.max()), **self.citation_info(fused, ranking)}
        return hits, info

    def citation_info(self, fused: np.ndarray, ranking: Ranking) -> dict:
        """What answer.citations_of needs besides the hits: how well each article entry itself
        fits (fused score without the prior) and the ranking's two citation settings."""
        return {"article_scores": dict(zip(self._article_numbers, fused[self._article_index].tolist())),
                "first_article": ranking.first_article, "related_share": ranking.related_share}

    def search(self, question: str, k: int = 10) -> tuple[list[Hit], dict]:
        hits, info = self.rank(self.signals(question), self.ranking, k)
        info["coverage"] = self.coverage(question)
        return hits, info


def entries_key(entries) -> str:
    """What the prebuilt index depends on: every entry's indexed text."""
    digest = hashlib.sha256()
    for e in entries:
        digest.update(json.dumps([e.id, e.title, e.text, e.answer, e.keywords, e.questions],
                                 ensure_ascii=False).encode())
    return digest.hexdigest()[:16]


def embedder_fingerprint(embedder) -> str:
    """The embedder's identity: its label and, for a folder, its weights and tokenizer."""
    if embedder is None:
        return "bm25"
    from ..nlp.embedder import embedder_label, embedder_name

    digest = hashlib.sha256(embedder_label().encode())  # not the absolute path: checkouts move
    folder = Path(embedder_name())
    if folder.is_dir():
        for path in sorted(folder.rglob("*.safetensors")) + sorted(folder.rglob("tokenizer.json")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def index_arrays(retr: Retriever) -> tuple[dict, dict]:
    """The retriever's index as JSON metadata and arrays, for models/qa_index.*."""
    meta = {"entries": entries_key(retr.entries), "embedder": embedder_fingerprint(retr.embedder),
            "documents": retr.documents, "vocabulary": sorted(retr.vocabulary)}
    arrays = {} if retr.embedder is None else {"body": retr._body, "questions": retr._questions,
                                                 "owner": retr._owner}
    return meta, arrays


def load_index(entries, embedder) -> dict | None:
    """The prebuilt index of models/ when it was built for these entries (and embedder); else None
    with a warning: the retriever then builds it in memory (tokenising, no fitting)."""
    from ..nlp.bundle import read_arrays, read_json, warn
    from ..nlp.paths import MODELS

    meta_path, array_path = MODELS / f"{INDEX}.json", MODELS / f"{INDEX}.safetensors"
    if not meta_path.exists():
        return None
    meta = read_json(meta_path)
    if meta["entries"] != entries_key(entries):
        warn("知识库在训练之后有改动，问答索引已过时，本次在内存中重建：请运行 python -m assistant train")
        return None
    index = {"documents": meta["documents"], "vocabulary": meta["vocabulary"]}
    if embedder is not None and meta["embedder"] == embedder_fingerprint(embedder) and array_path.exists():
        arrays = read_arrays(array_path)
        index.update(body=arrays["body"], questions=arrays["questions"], owner=arrays["owner"].astype(int))
    return index


@lru_cache(maxsize=8)
def _tokenizer(terms: tuple[str, ...], mode: str) -> Tokenizer:
    return Tokenizer(terms, mode)


def build_retriever(official: str | None = None, embedder_name: str | None = None,
                    use_embedder: bool = True, prebuilt: bool = True) -> Retriever:
    """A retriever with the untuned ranking (tuning starts from it); `prebuilt`: use the index of
    models/ when it fits (training builds its own)."""
    from ..nlp.embedder import load_encoder

    entries = load_entries(official)
    embedder, error = None, None
    if use_embedder:
        try:
            embedder = load_encoder(embedder_name)
        except Exception as exc:  # InputError when models/ is not trained yet, ImportError, …
            error = getattr(exc, "message", None) or str(exc) or "向量模型无法加载"
            log.warning("警告：%s；问答暂时只用关键词检索（BM25），准确率会降低", error)
    return Retriever(entries, embedder, error, index=load_index(entries, embedder) if prebuilt else None)


@lru_cache(maxsize=4)
def get_retriever(official: str | None = None, embedder_name: str | None = None,
                  use_embedder: bool = True) -> Retriever:
    """The process-wide retriever (entry vectors are computed once), with the ranking chosen on
    the knowledge base's own questions (training/qa_tuning.py)."""
    from .confidence import stored_mode

    retr = build_retriever(official, embedder_name, use_embedder)
    stored = stored_mode(retr)
    # the ranking `train` chose for this retrieval mode (training/qa_tuning.py); untuned before training
    retr.ranking = Ranking.from_dict(stored["ranking"]) if stored and "ranking" in stored else UNTUNED
    return retr
