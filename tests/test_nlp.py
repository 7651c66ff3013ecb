"""The trained NLP layer: topics of the sample's sub-sections, coverage, boilerplate, fresh models."""
import json
import subprocess
import sys

import pytest

from assistant.checker import CheckOptions, check_document
from assistant.document import parse_text
from assistant.nlp.analysis import load_models
from assistant.nlp.paths import MODELS
from assistant.nlp.training import data_hash
from assistant.rules.config import rule_config

from conftest import ROOT, SEED


@pytest.fixture(scope="module")
def models():
    loaded = load_models()
    assert loaded is not None, "models/ is empty: run python -m assistant train"
    return loaded


@pytest.fixture(scope="module")
def seed_doc():
    return parse_text(SEED.read_text(encoding="utf-8"))


def test_models_are_fresh():
    """Committed models must be rebuilt whenever the corpus they learn from changes."""
    card = json.loads((MODELS / "model_card.json").read_text(encoding="utf-8"))
    assert card["data_sha256"] == data_hash(), "corpus changed: run python -m assistant train"


def test_seed_subsections(models, seed_doc):
    analysis = models.analyse(seed_doc)
    topics = [analysis.paragraphs[(1, i)].topics for i in range(4)]
    assert topics == [["组织领导"], ["宣传培训"], ["主动公开", "平台建设"], ["监督考核"]]


def test_seed_coverage_by_scheme(seed_doc):
    fired = check_document(seed_doc, options=CheckOptions(select=["N601"])).findings
    assert sorted(f.evidence["aspect"] for f in fired) == ["依申请公开", "政府信息管理"]
    fired = check_document(seed_doc, options=CheckOptions(select=["N601"], scheme="seed4")).findings
    assert fired == []


def test_seed_boilerplate(models, seed_doc):
    analysis = models.analyse(seed_doc)
    flagged = [p for p, _, _ in analysis.boilerplate_paragraphs(rule_config("N602")["threshold"])]
    assert flagged, "the sample's slogan-heavy paragraphs must be flagged"
    scores = {(p.part, p.index): analysis.paragraphs[(p.part, p.index)].boilerplate for p in seed_doc.paragraphs
              if (p.part, p.index) in analysis.paragraphs}
    most = max(scores, key=scores.get)
    assert most in {(p.part, p.index) for p in flagged}


def test_specific_paragraph_is_not_boilerplate(models):
    [result] = models.classify(["2023年共召开政务公开专题会议3次，修订《政府信息公开工作规程》，"
                                "在门户网站新增公开事项12项，全年办结依申请公开26件。"])
    assert result["boilerplate"] < 0.5


def test_classify_command_json():
    lines = "全年在门户网站主动公开政府信息1200条，发布政策解读30篇。\n举办政府信息公开条例专题培训2期，培训120人次。\n"
    proc = subprocess.run([sys.executable, "-m", "assistant", "classify", "--format", "json"], cwd=ROOT,
                          input=lines, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    results = [json.loads(line) for line in proc.stdout.splitlines()]
    assert results[0]["topics"] == ["主动公开"] and results[1]["topics"] == ["宣传培训"]
    assert set(results[0]["scores"]) == {"组织领导", "宣传培训", "主动公开", "依申请公开", "政府信息管理", "平台建设", "监督考核"}
    assert 0 <= results[0]["boilerplate"] <= 1


def test_check_json_has_topics_and_coverage(seed_doc):
    data = check_document(seed_doc).to_json()
    assert data["coverage"]["scheme"] == "format2021"
    assert {"依申请公开", "政府信息管理"} <= set(data["coverage"]["missing"])
    assert "主动公开" not in data["coverage"]["missing"]
    overview = [p for p in data["paragraphs"] if p["part"] == 1]
    assert all("topics" in p and "boilerplate" in p for p in overview)


def test_saved_models_score_like_fitted_ones(tmp_path):
    """safetensors + JSON round trip: a reloaded model gives the fitted model's scores."""
    import numpy as np

    from assistant.nlp.boilerplate import BoilerplateScorer
    from assistant.nlp.persist import load_boilerplate, load_topics, save_boilerplate, save_topics
    from assistant.nlp.topics import TopicClassifier, labels_to_matrix

    texts = ["全年主动公开政府信息1200条。", "召开领导小组会议研究部署。", "开展条例培训2期。",
             "收到依申请公开申请5件。", "更新政府网站栏目。", "开展考核评议。", "清理规范性文件。"] * 3
    y = labels_to_matrix([["主动公开"], ["组织领导"], ["宣传培训"], ["依申请公开"], ["平台建设"], ["监督考核"],
                          ["政府信息管理"]] * 3)
    topics = TopicClassifier(seed=1).fit(texts, y)
    save_topics(topics, tmp_path)
    assert np.allclose(load_topics(tmp_path).predict_proba(texts), topics.predict_proba(texts))
    scorer = BoilerplateScorer(("高度重视", "常抓不懈"), seed=1).fit(texts[:6] + ["高度重视，常抓不懈。"] * 3,
                                                                 [0] * 6 + [1] * 3)
    save_boilerplate(scorer, tmp_path)
    assert np.allclose(load_boilerplate(tmp_path).predict_proba(texts), scorer.predict_proba(texts))
