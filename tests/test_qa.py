"""`ask`: cited answers, refusals, the JSON contract, `ask -`, the official-text drop-in, quality gate."""
import json
import os
import subprocess
import sys

import pytest

from assistant.errors import InputError
from assistant.qa.answer import answer
from assistant.qa.knowledge import chinese_number, load_entries, parse_official, rule_citations, to_chinese
from assistant.qa.scope import foreign_subject

from conftest import ROOT

sys.path.insert(0, str(ROOT))

OFFICIAL_FIXTURE = (
    "中华人民共和国政府信息公开条例（测试用节选）\n\n"
    "第一章 总则\n\n"
    "第三十三条 测试原文甲：行政机关收到政府信息公开申请，能够当场答复的，应当当场予以答复。\n"
    "行政机关不能当场答复的，应当自收到申请之日起20个工作日内予以答复。（测试续行）\n\n"
    "第三十九条 测试原文乙：申请人以政府信息公开申请的形式进行信访、投诉、举报等活动的，应当告知申请人不作为政府信息公开申请处理。\n"
)


def articles_of(result):
    return [c["article"] for c in result["citations"] if c["source"] == "条例"]


@pytest.mark.parametrize("question, article", [
    ("收到信息公开申请后，机关最晚要在多少个工作日内答复？", 33),
    ("答复期限可以延长多少天", 33),
    ("有人把投诉举报写成政府信息公开申请交上来，应该怎么处理", 39),
    ("部门的政府信息公开年度报告最晚哪天前要公布", 49),
    ("什么情况下可以向申请人收取信息处理费", 42),
    ("商业秘密和个人隐私能不能公开", 15),
])
def test_known_questions_cite_the_right_article(question, article):
    result = answer(question)
    assert result["in_scope"] is True
    assert articles_of(result)[0] == article
    assert "依据：" in result["answer"]
    assert f"第{to_chinese(article)}条" in result["answer"]


def test_answer_states_the_deadline():
    result = answer("收到信息公开申请后，机关最晚要在多少个工作日内答复？")
    assert "20个工作日" in result["answer"]


def test_table_question_cites_the_part():
    result = answer("以申请名义信访的件在年报表三里填哪一行")
    assert {"source": "年度报告格式", "part": "三"} in result["citations"]
    assert 39 in articles_of(result)


def test_rule_documentation_is_in_the_knowledge_base():
    rules = [e for e in load_entries() if e.source == "规则"]
    assert len(rules) >= 30
    t303 = next(e for e in rules if e.rule == "T303")
    assert {"source": "规则", "rule": "T303"} in t303.citations
    assert {"source": "年度报告格式", "part": "三"} in t303.citations
    result = answer("T303 是什么检查规则")
    assert {"source": "规则", "rule": "T303"} in result["citations"]


@pytest.mark.parametrize("question", ["红烧肉怎么做", "明年春节放几天假", "劳动法规定加班费怎么算",
                                      "帮我写一首关于春天的诗"])
def test_out_of_scope_is_refused(question):
    result = answer(question)
    assert result["in_scope"] is False
    assert result["citations"] == []
    assert "本助手可以回答" in result["answer"]


def test_other_regulations_are_recognised():
    assert foreign_subject("劳动法规定加班费怎么算")
    assert foreign_subject("物业管理条例对物业费怎么规定")
    assert foreign_subject("厂务公开包括哪些内容")
    assert foreign_subject("新版条例什么时候施行") is None
    assert foreign_subject("政府信息公开条例第三十三条讲什么") is None
    assert foreign_subject("依法不予公开的信息有哪些") is None
    assert foreign_subject("劳动法第三十条规定了什么")  # 第三十条 of another law
    assert foreign_subject("保守国家秘密法和政府信息公开是什么关系") is None  # tied to the subject


def test_named_rule_or_article_is_answered_confidently():
    result = answer("N604")
    assert result["in_scope"] and {"source": "规则", "rule": "N604"} in result["citations"]
    assert answer("劳动法第三十条规定了什么")["in_scope"] is False


def test_json_shape_matches_contract():
    for question in ("依申请公开的答复期限是多少", "今天股票涨了吗"):
        result = answer(question)
        assert {"answer", "citations", "in_scope", "confidence"} <= set(result)
        assert isinstance(result["answer"], str) and result["answer"]
        assert isinstance(result["in_scope"], bool)
        assert isinstance(result["confidence"], float) and 0.0 <= result["confidence"] <= 1.0
        for citation in result["citations"]:
            assert citation["source"] in ("条例", "年度报告格式", "规则")
            if citation["source"] == "条例":
                assert type(citation["article"]) is int and 1 <= citation["article"] <= 56
            elif citation["source"] == "年度报告格式":
                assert citation["part"] in list("一二三四五六")
        json.dumps(result, ensure_ascii=False)


def test_empty_question_is_an_input_error():
    with pytest.raises(InputError):
        answer("   ")


def test_article_named_in_the_question_is_cited():
    assert articles_of(answer("第四十四条讲的是什么"))[0] == 44
    assert articles_of(answer("条例第26条规定了什么"))[0] == 26


def test_chinese_numerals_and_rule_citations():
    assert [chinese_number(t) for t in ("一", "十", "十二", "二十", "三十三", "五十六")] == [1, 10, 12, 20, 33, 56]
    assert all(chinese_number(to_chinese(n)) == n for n in range(1, 120))
    cited = rule_citations("N605", "《条例》第四十二条；国办函〔2020〕109号；《年度报告格式》第六部分")
    assert cited == [{"source": "条例", "article": 42}, {"source": "年度报告格式", "part": "六"},
                     {"source": "规则", "rule": "N605"}]


def test_official_text_parsing():
    articles = parse_official(OFFICIAL_FIXTURE)
    assert sorted(articles) == [33, 39]
    assert articles[33].startswith("第三十三条 测试原文甲") and articles[33].endswith("（测试续行）")


def test_official_text_is_quoted(tmp_path):
    path = tmp_path / "tiaoli.txt"
    path.write_text(OFFICIAL_FIXTURE, encoding="utf-8")
    result = answer("依申请公开的答复期限是多久", official=path)
    assert articles_of(result)[0] == 33
    assert "条文原文：第三十三条 测试原文甲" in result["answer"]
    plain = answer("依申请公开的答复期限是多久")
    assert "条文原文" not in plain["answer"]


def test_ask_stdin_json_lines_and_official_env(tmp_path):
    path = tmp_path / "tiaoli.txt"
    path.write_text(OFFICIAL_FIXTURE, encoding="utf-8")
    env = dict(os.environ, ASSISTANT_OFFICIAL_TEXT=str(path), PYTHONIOENCODING="utf-8")
    questions = "借信息公开申请进行信访投诉，机关怎么处理\n\n周末去哪里钓鱼好\n"
    proc = subprocess.run([sys.executable, "-m", "assistant", "ask", "-", "--format", "json"], cwd=ROOT, env=env,
                          input=questions.encode("utf-8"), capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    lines = proc.stdout.decode("utf-8").strip().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["in_scope"] and first["citations"][0] == {"source": "条例", "article": 39}
    assert "测试原文乙" in first["answer"]
    assert second["in_scope"] is False

    empty = subprocess.run([sys.executable, "-m", "assistant", "ask", "-"], cwd=ROOT, env=env, input=b"\n \n",
                           capture_output=True, timeout=300)
    assert empty.returncode == 2
    assert len(empty.stderr.decode("utf-8").strip().splitlines()) == 1


def test_static_fast_path_matches_sentence_transformers():
    import numpy as np

    from assistant.nlp.embedder import embedder_name, load_embedder
    from assistant.nlp.static import StaticEncoder, static_folder

    folder = static_folder(embedder_name())
    if folder is None:
        pytest.skip("the configured embedder is not a StaticEmbedding folder")
    texts = ["依申请公开最长多久必须答复", "", "表三 T303 abc"]
    fast = StaticEncoder(folder).encode(texts)
    slow = load_embedder().encode(texts, normalize_embeddings=True)
    assert np.allclose(fast, slow, atol=1e-5)


def test_bm25_alone_when_no_embedder_loads():
    from assistant.qa.answer import retriever

    missing = "/nonexistent/embedder"
    retr = retriever(embedder=missing)
    assert retr.embedder is None and retr.mode == "仅 BM25" and retr.embedder_error
    result = answer("依申请公开的答复期限能延长多久", embedder=missing)
    assert result["in_scope"] and articles_of(result)[0] == 33
    assert answer("红烧肉怎么做", embedder=missing)["in_scope"] is False


def test_held_out_index_drops_the_question_text():
    from assistant.qa.answer import retriever
    from assistant.training.qa_calibration import held_out

    retr = retriever()
    faq = next(e for e in retr.entries if e.source == "常见问题")
    article = next(e for e in retr.entries if e.source == "条例" and len(e.questions) > 1)
    dropped = {faq.questions[0], article.questions[0]}
    held = held_out(retr, dropped)
    by_id = {e.id: e for e in held.entries}
    assert by_id[faq.id].questions == [] and by_id[faq.id].title == ""
    assert faq.questions[0] not in by_id[faq.id].text
    assert by_id[article.id].questions == article.questions[1:]
    assert sum(e is by_id[e.id] for e in retr.entries) == len(retr.entries) - 2  # the rest untouched


def test_ranking_is_chosen_without_the_eval_set(monkeypatch):
    """tuning.select reads the knowledge base and corpus/qa/dev.jsonl: reading corpus/eval/qa.jsonl fails here."""
    from pathlib import Path

    from assistant.qa.retrieval import build_retriever
    from assistant.training import qa_tuning as tuning

    read_text = Path.read_text

    def guarded(self, *args, **kwargs):
        assert self.name != "qa.jsonl", "tuning read the evaluation set"
        return read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", guarded)
    monkeypatch.setattr(tuning, "GRID", {"body": (1.0,), "question": (0.0,), "overlap": (0.0, 1.0),
                                         "head": (0.0, 1.0), "article_prior": (0.0,), "bm25_params": ((1.5, 0.75),),
                                         "first_article": (0.05,)})
    retr = build_retriever(None, None, use_embedder=False)
    ranking, report = tuning.select(retr)
    assert report["grid_points"] == 4 and report["selected"]["n"] >= 400
    assert 0.0 < report["selected"]["top3"] <= 1.0 and report["selected"]["top1"] <= report["selected"]["top3"]
    assert tuning.select(retr)[0] == ranking  # deterministic


def test_answers_use_the_stored_ranking():
    from assistant.qa.answer import retriever
    from assistant.qa.confidence import fingerprint, stored_mode
    from assistant.qa.retrieval import Ranking

    retr = retriever()
    stored = stored_mode(retr)
    assert stored and stored["fingerprint"] == fingerprint(retr), "models/qa_calibration.json is stale: run train"
    assert retr.ranking == Ranking.from_dict(stored["ranking"])
    assert stored["ranking_dev"]["selected"]["n"] >= 400


def test_prebuilt_index_matches_a_fresh_build():
    """models/qa_index.* holds what the retriever would compute: BM25 documents, vocabulary, vectors."""
    from collections import Counter

    import numpy as np

    from assistant.qa.retrieval import build_retriever

    loaded, fresh = build_retriever(), build_retriever(prebuilt=False)
    assert [Counter(d) for d in loaded.documents] == [Counter(d) for d in fresh.documents]
    assert loaded.vocabulary == fresh.vocabulary
    assert np.allclose(loaded._body, fresh._body, atol=1e-6) and np.allclose(loaded._questions, fresh._questions,
                                                                            atol=1e-6)


def test_stale_calibration_warns_and_never_refits(monkeypatch, capsys):
    """A knowledge base edited after training is answered with the stored calibration and a warning."""
    from assistant.qa import confidence
    from assistant.qa.answer import retriever

    retr = retriever()
    confidence._calibration_for.cache_clear()
    monkeypatch.setattr(confidence, "fingerprint", lambda r: "edited")
    try:
        cal = confidence.calibration(retr)
        assert cal["stale"] and cal["threshold"] == confidence.stored_mode(retr)["threshold"]
        assert "python -m assistant train" in capsys.readouterr().err
    finally:
        confidence._calibration_for.cache_clear()


@pytest.mark.parametrize("question, articles", [
    ("我们单位去年的年报还没发布，今年还要补吗？", {49, 53}),
    ("群众不会写字，口头说要申请公开行不行", {29}),
    ("寄挂号信来的申请从哪天开始算期限", {31}),
    ("申请人要的文件里有另一家企业的经营信息，要不要先问企业", {32, 15}),
    ("对方要的文件里有另一家公司的报价，能直接给吗", {32, 15}),
])
def test_situational_questions_cite_the_right_articles(question, articles):
    result = answer(question)
    assert result["in_scope"] and articles_of(result)[0] in articles, (articles_of(result), result["answer"][:80])


def test_answer_states_the_rule_before_its_conditions():
    """The governing rule as written, then the conditions and exceptions: no sentence moves ahead."""
    from assistant.qa.answer import direct_answer

    entry = next(e for e in load_entries() if e.source == "条例" and e.article == 32)
    text = direct_answer(entry, "第三方不同意公开的时候机关还能公开吗")
    assert text.startswith(entry.answer.strip())
    assert text.index("条件和例外：") > len(entry.answer.strip()) - 1
    assert all(c in text for c in entry.conditions)


def test_prebuilt_index_is_current():
    """The index in models/ matches the knowledge base, rule documentation included (a rule's
    docstring is a knowledge-base entry): editing either means running train."""
    from assistant.qa.answer import retriever
    from assistant.qa.retrieval import load_index

    retr = retriever()
    assert load_index(retr.entries, retr.embedder) is not None, "models/qa_index.* is stale: run train"


def test_first_listed_article_keeps_the_head_start_the_ranking_gives_it():
    from assistant.qa.answer import _order_articles
    from assistant.qa.knowledge import SOURCE_ARTICLE, Entry

    entry = Entry("faq-x", "常见问题", "t", "t", "a", [{"source": SOURCE_ARTICLE, "article": 33},
                                                      {"source": SOURCE_ARTICLE, "article": 30}])
    scores = {33: 0.50, 30: 0.60}  # the second-listed article fits the question a little better
    order = lambda head: [c["article"] for c in _order_articles(entry, {"article_scores": scores,  # noqa: E731
                                                                      "first_article": head})]
    assert order(0.15) == [33, 30] and order(0.05) == [30, 33] and order(0.0) == [30, 33]


@pytest.mark.parametrize("question, label", [
    ("不予处理第4行是什么情形", "无正当理由大量反复申请"),
    ("无法提供第二行统计什么", "没有现成信息需要另行制作"),
    ("表三不予公开的第1项填什么", "属于国家秘密"),
    ("其他处理中第三行", "其他"),
])
def test_a_group_row_named_by_number_is_read_as_its_label(question, label):
    from assistant.qa.retrieval import normalise

    assert normalise(question).endswith(" " + label)


@pytest.mark.parametrize("question", ["不予处理第9行是什么", "第4行是什么情形", "不予处理有几行", "表三第二行"])
def test_a_row_number_without_its_group_or_beyond_it_adds_nothing(question):
    from assistant.qa.retrieval import normalise

    assert " " not in normalise(question)


def test_development_phrasings_are_well_formed():
    """corpus/qa/dev.jsonl: in-scope questions with real articles or a part, split diagnose/confirm."""
    import json

    from assistant.training.qa_tuning import NEW_PHRASINGS

    rows = [json.loads(line) for line in NEW_PHRASINGS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len({r["id"] for r in rows}) == len(rows) >= 200
    for row in rows:
        assert row["in_scope"] is True and row["split"] in ("diagnose", "confirm")
        assert all(1 <= a <= 56 for a in row["articles"])
        assert row["articles"] or row["format_part"] in ("一", "二", "三", "四", "五", "六")
    assert abs(sum(r["split"] == "diagnose" for r in rows) - len(rows) / 2) <= 1
