"""The web app without a browser: its chat and presentation logic, and the running server through
gradio_client (the named endpoints /ask and /check, 10 concurrent sessions, start-up time)."""
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.errors import InputError
from assistant.ui import chat, present, service

from app_server import STARTUP_LIMIT, AppServer
from conftest import CORPUS, ROOT

SAMPLE = CORPUS / "zhoukou-2021.txt"
UNBALANCED = CORPUS / "binjiang-wjw-2023.md"  # T301 and T302 in table 3
NEWS = CORPUS / "news-anping-training-2023.html"
ARTICLE = r"第[一二三四五六七八九十百]+条"


# ---------------------------------------------------------------- chat logic


@pytest.fixture
def uploads(tmp_path, monkeypatch):
    """Gradio's upload folder for this test: handlers accept only files inside it."""
    folder = tmp_path / "gradio"
    folder.mkdir()
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(folder))
    return folder


@pytest.fixture(scope="module")
def sample_session():
    history, session = chat.respond(SAMPLE.read_text(encoding="utf-8"), None, [], None)
    return history, session


def test_pasted_draft_gets_a_verdict(sample_session):
    history, session = sample_session
    assert [m["role"] for m in history] == ["user", "assistant"]
    size = len(SAMPLE.read_text(encoding="utf-8").strip())  # the draft is not echoed back whole
    assert history[0]["content"] == f"（粘贴了报告草稿：周口市行政服务中心2021年政府信息公开工作年度报告，共 {size} 字）"
    reply = history[1]["content"]
    assert "周口市行政服务中心2021年政府信息公开工作年度报告" in reply
    assert "结论：发现" in reply
    first = reply.index("1. ")
    assert "第五部分" in reply[first:first + 80] and "N604" in reply  # the error comes first
    assert "勾稽关系：已核对的各项均成立" in reply  # no false alarm on the sample's tables
    assert session["draft"]["data"]["report"]["agency"] == "周口市行政服务中心"


def test_follow_up_about_a_part(sample_session):
    history, session = sample_session
    history, session = chat.respond("第五部分怎么改？", None, history, session)
    reply = history[-1]["content"]
    assert reply.startswith("“周口市行政服务中心2021年政府信息公开工作年度报告”的第五部分")
    assert "N604" in reply and "怎么改：写明本年度工作中存在的具体问题" in reply and "依据：《条例》第五十条" in reply
    assert "N605" not in reply  # part 六 is not part 五


def test_follow_up_about_table_three():
    history, session = chat.respond(UNBALANCED.read_text(encoding="utf-8"), None, [], None)
    assert "2 处不成立" in history[-1]["content"]
    history, session = chat.respond("表三哪里不平？", None, history, session)
    reply = history[-1]["content"]
    assert "表三有 2 个问题" in reply
    assert "予以公开：总计 43 ≠ 六类申请人之和" in reply and "（七）总计 84 ≠ 各项办理结果之和 85" in reply
    assert "一 + 二 = 三（七）总计 + 四（82 + 4 ＝ 84 + 2）— ✓ 成立" in reply


def test_show_all_and_overall(sample_session):
    history, session = sample_session
    history, _ = chat.respond("显示全部问题", None, history, session)
    assert all(rule in history[-1]["content"] for rule in ("N604", "N605", "N607"))
    history, _ = chat.respond("怎么改？", None, history, session)
    assert history[-1]["content"].startswith("最需要改的是")


def test_text_that_is_no_report_is_refused_in_chinese():
    news = "本报讯　青石县举办政务公开业务培训班。\n" * 20
    history, session = chat.respond(news, None, [], None)
    assert "无法检查这份文本：未识别出年度报告的任何部分或表格" in history[-1]["content"]
    assert "draft" not in session


def test_uploaded_file_is_checked_then_deleted(uploads):
    upload = uploads / ("ab12" * 10) / "zhoukou-2021.txt"  # Gradio's folder per upload
    upload.parent.mkdir()
    upload.write_bytes(SAMPLE.read_bytes())
    history, session = chat.respond("", [str(upload)], [], None)
    assert history[0]["content"] == "［上传文件］zhoukou-2021.txt"
    assert "N604" in history[1]["content"]
    assert not upload.exists() and not upload.parent.exists()  # nothing kept on the server


def test_oversized_and_unreadable_uploads_say_why_in_chinese(uploads):
    big = uploads / "big.pdf"
    with open(big, "wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    history, _ = chat.respond("", [str(big)], [], None)
    assert "无法读取文件“big.pdf”：文件过大（21.0 MB），年度报告一般不超过 20 MB" in history[-1]["content"]
    assert not big.exists()
    broken = uploads / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 this is not a zip archive")
    history, _ = chat.respond("", [str(broken)], [], None)
    reply = history[-1]["content"]
    assert reply.startswith("无法检查这份文件：") and "Traceback" not in reply


def test_question_gets_a_cited_answer():
    history, _ = chat.respond("依申请公开的答复期限是多久？", None, [], None)
    reply = history[-1]["content"]
    assert "依据" in reply
    import re
    assert re.search(ARTICLE, reply)
    assert chat.answer_markdown({"answer": "二十个工作日。", "citations": [{"source": "条例", "article": 33}]}) == \
        "二十个工作日。\n\n**依据**：《条例》第三十三条"


def test_verdict_shows_one_finding_per_rule():
    def finding(rule, severity, message, part):
        return {"rule": rule, "severity": severity, "message": message, "location": {"part": part},
                "suggestion": "写明。", "citation": "《条例》第五十条"}

    findings = [finding("N601", "warning", f"总体情况未涉及“{a}”方面的工作", 1) for a in ("主动公开", "依申请公开")]
    findings.append(finding("N604", "error", "第五部分只写了“无”", 5))
    text = present.top_markdown(findings, 4)
    assert text.startswith("1. 【错误】第五部分只写了“无”（N604）")
    assert "2. 【警告】第一部分：总体情况未涉及“主动公开”方面的工作（N601）（同类问题共 2 处）" in text
    assert "依申请公开" not in text and "3. " not in text


def test_citation_labels():
    assert present.citation_label({"source": "条例", "article": 33}) == "《条例》第三十三条"
    assert present.citation_label({"source": "条例", "article": 10}) == "《条例》第十条"
    assert present.citation_label({"source": "年度报告格式", "part": "三"}) == "《年度报告格式》第三部分"
    assert present.citation_label({"source": "规则", "rule": "T303"}) == "检查规则 T303"


# ---------------------------------------------------------------- presentation


@pytest.fixture(scope="module")
def unbalanced():
    return service.check(UNBALANCED.read_text(encoding="utf-8")).data


def test_identities_at_a_glance(unbalanced):
    status = {i["rule"]: i["status"] for i in present.identities(unbalanced)}
    assert status == {"T301": "bad", "T302": "bad", "T303": "ok", "T401": "ok"}
    html = present.identities_html(unbalanced)
    assert html.count("✓ 成立") == 2 and html.count("1 处不成立") == 2
    sample = service.check(SAMPLE.read_text(encoding="utf-8")).data
    assert {i["status"] for i in present.identities(sample)} == {"ok"}
    assert {i["status"] for i in present.identities({})} == {"absent"}


def test_findings_filter(unbalanced):
    sample = service.check(SAMPLE.read_text(encoding="utf-8")).data
    rows = present.finding_rows(sample["findings"], ["错误", "警告", "提示"], ["结构", "表格", "一致性", "内容", "发布"])
    assert len(rows) == len(sample["findings"])
    order = [["错误", "警告", "提示"].index(r[0]) for r in rows]
    assert order == sorted(order) and set(order) == {0, 1, 2}  # errors first
    warnings = present.finding_rows(sample["findings"], ["警告"], None)
    assert "N605" in [r[1] for r in warnings] and {r[0] for r in warnings} == {"警告"}
    assert present.finding_rows(sample["findings"], None, ["表格"]) == []
    assert {r[1] for r in present.finding_rows(unbalanced["findings"], None, ["表格"])} == {"T301", "T302"}


def test_draft_highlights_flagged_parts():
    data = service.check(SAMPLE.read_text(encoding="utf-8")).data
    html = present.draft_html(data)
    part5 = html[html.index('data-part="5"'):html.index('data-part="6"')]
    assert "nb-flag-error" in html[html.rindex("<section", 0, html.index('data-part="5"')):][:80]
    assert "N604" in part5 and "<p>无</p>" in part5
    part1 = html[html.index('data-part="1"'):html.index('data-part="2"')]
    assert "成立领导机构" in part1
    flagged = [f for f in data["findings"] if f["location"].get("part") == 1]
    assert ("nb-flag" in part1) == bool(flagged)  # N601/N602 when the NLP models are there
    for f in flagged:
        assert f["rule"] in part1
    assert "［表三：未发现问题］" in html


def test_coverage_chart_without_or_with_models():
    data = service.check(SAMPLE.read_text(encoding="utf-8")).data
    html = present.coverage_html(data, "format2021")
    if data.get("coverage") is None:
        assert "主题模型尚未训练" in html
    else:
        assert html.count("nb-bar-row") == 5 and "未覆盖" in html  # the sample misses 依申请公开, 政府信息管理
        assert present.coverage_html(data, "seed4").count("nb-bar-row") == 4


def test_last_years_report_is_compared():
    this_year = service.Upload("qingshi-xian-2023.docx", (CORPUS / "qingshi-xian-2023.docx").read_bytes())
    last_year = service.Upload("qingshi-xian-2022.txt", (CORPUS / "qingshi-xian-2022.txt").read_bytes())
    checked = service.check(upload=this_year, previous=last_year)
    assert checked.data["previous"]["year"] == 2022 and checked.name == "qingshi-xian-2023"
    assert "对照上年报告：青石县人民政府2022年政府信息公开工作年度报告" in present.summary_markdown(
        checked.data, checked.summary)


def test_upload_size_limit_message(uploads):
    big = uploads / "big.docx"
    with open(big, "wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 1)
    with pytest.raises(InputError, match=r"^文件过大（20.0 MB），年度报告一般不超过 20 MB$"):
        service.take_upload(big)
    assert not big.exists()


def test_same_upload_in_two_sessions_is_read_by_both(uploads):
    """Gradio gives two uploads of the same content one path; it is deleted after the second read."""
    from assistant.ui import files

    upload = uploads / ("cd34" * 10) / "zhoukou-2021.txt"
    upload.parent.mkdir()
    upload.write_bytes(SAMPLE.read_bytes())
    files.register_uploads([str(upload), str(upload)])
    assert service.take_upload(str(upload)).data == SAMPLE.read_bytes()
    assert upload.exists()  # the other session has not read it yet
    assert service.take_upload(str(upload)).data == SAMPLE.read_bytes()
    assert not upload.exists() and not upload.parent.exists()


def test_only_uploads_are_taken(uploads, tmp_path):
    from assistant.ui import files

    [download] = files.write("owner", "session", "check", {"报告.md": "# 检查报告"})
    with pytest.raises(InputError, match="上传的文件无效"):
        service.take_upload(download)
    assert Path(download).exists()  # another session's download is neither read nor deleted
    outside = tmp_path / "elsewhere.txt"
    outside.write_bytes(SAMPLE.read_bytes())
    with pytest.raises(InputError, match="上传的文件无效"):
        service.take_upload(str(outside))
    assert oct(Path(download).stat().st_mode & 0o777) == "0o600"


def test_sweep_removes_what_nobody_reads(uploads):
    from assistant.ui import files

    stale = uploads / ("ef56" * 10) / "attachment.txt"
    stale.parent.mkdir()
    stale.write_text("never sent", encoding="utf-8")
    fresh = uploads / ("ab78" * 10) / "fresh.txt"
    fresh.parent.mkdir()
    fresh.write_text("just uploaded", encoding="utf-8")
    [download] = files.write("owner", "session", "batch", {"汇总.csv": "file"})
    old = stale.stat().st_mtime - files.UPLOAD_TTL - 10
    os.utime(stale, (old, old))
    files.sweep()
    assert not stale.exists() and fresh.exists() and Path(download).exists()
    files.sweep(now=Path(download).stat().st_mtime + files.DOWNLOAD_TTL + 10)
    assert not Path(download).exists()


def test_status_line_says_when_the_embedder_failed():
    code = ("import os; os.environ['ASSISTANT_EMBEDDER'] = '/nonexistent/model'; "
            "from assistant.ui import service; print(service.status_line())")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "向量模型未能加载" in out.stdout and "只用关键词检索" in out.stdout, out.stdout + out.stderr
    assert "只用关键词检索" in out.stderr  # and the log says so too
    assert "Error" not in out.stdout


def test_host_and_port_options(monkeypatch):
    import app

    monkeypatch.delenv("GRADIO_SERVER_NAME", raising=False)
    monkeypatch.delenv("GRADIO_SERVER_PORT", raising=False)
    args = app.parse_args([])
    assert (args.host, args.port) == ("127.0.0.1", 7860)
    monkeypatch.setenv("GRADIO_SERVER_NAME", "0.0.0.0")
    monkeypatch.setenv("GRADIO_SERVER_PORT", "8001")
    assert (app.parse_args([]).host, app.parse_args([]).port) == ("0.0.0.0", 8001)
    args = app.parse_args(["--host", "127.0.0.2", "--port", "9000"])
    assert (args.host, args.port) == ("127.0.0.2", 9000)


# ---------------------------------------------------------------- the running server


@pytest.fixture(scope="module")
def server():
    app = AppServer(use_env=True)
    yield app
    app.stop()


@pytest.fixture(scope="module")
def client(server):
    from gradio_client import Client

    return Client(server.url, verbose=False, ssl_verify=False)  # plain http: no CA bundle to load per call


def test_serves_within_15_seconds(server):
    print(f"\napp.py served its page {server.startup:.1f} s after starting")
    assert server.startup < STARTUP_LIMIT


def test_named_endpoints(client):
    api = client.view_api(print_info=False, return_format="dict")
    assert set(api["named_endpoints"]) == {"/ask", "/check"}  # the UI's own events stay private


def test_check_endpoint_is_the_command_line_json(client):
    text = SAMPLE.read_text(encoding="utf-8")
    cli = subprocess.run([sys.executable, "-m", "assistant", "check", "-", "--format", "json"], input=text,
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert cli.returncode == 1, cli.stderr  # the sample has an error finding
    assert client.predict(text, api_name="/check") == json.loads(cli.stdout)
    seed4 = client.predict(text, "seed4", api_name="/check")
    assert {f["rule"] for f in seed4["findings"]} >= {"N604", "N605", "N607"}


def test_check_endpoint_refuses_what_is_no_report(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="不是政府信息公开工作年度报告"):
        client.predict(NEWS.read_text(encoding="utf-8"), api_name="/check")
    with pytest.raises(AppError, match="输入为空"):
        client.predict("   ", api_name="/check")


def test_check_endpoint_caps_text_like_the_command_line(client):
    from gradio_client.exceptions import AppError

    from assistant.limits import budget

    with pytest.raises(AppError, match="文本过长"):
        client.predict("年" * (budget().max_chars + 1), api_name="/check")


def test_every_response_carries_security_headers(server):
    import httpx

    for path in ("", "config", "gradio_api/info", "gradio_api/file=/etc/passwd"):
        response = httpx.get(server.url + path, timeout=30)
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert response.headers["x-frame-options"] == "DENY", path
        assert "default-src 'self'" in response.headers["content-security-policy"], path
    assert httpx.get(server.url + "gradio_api/file=/etc/passwd", timeout=30).status_code in (403, 404)


def test_page_is_served_while_hostile_checks_run(server):
    """Three oversized or trap-laden /check calls at once: the page still loads (they are bounded)."""
    import httpx
    from gradio_client import Client

    trap = ("青石县人民政府2023年政府信息公开工作年度报告\n一、总体情况\n" + "1" * 40 + "x\n") * 20_000
    done = []

    def hostile():
        try:
            Client(server.url, verbose=False, ssl_verify=False).predict(trap, api_name="/check")
        except Exception as exc:  # refused or answered: either way it returned
            done.append(exc)
        else:
            done.append(None)

    threads = [threading.Thread(target=hostile) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    page = httpx.get(server.url, timeout=10)
    assert page.status_code == 200 and "年报合规助手" in page.text
    for thread in threads:
        thread.join(timeout=120)
    assert len(done) == 3


def test_folder_removed_when_the_server_stops():
    app = AppServer()
    folder = app.folder()
    assert folder.is_dir() and oct(folder.stat().st_mode & 0o777) == "0o700"
    os.killpg(app.proc.pid, signal.SIGTERM)
    app.proc.wait(timeout=30)
    assert not folder.exists()
    app.stop()


def test_ask_endpoint_is_the_command_line_json(client):
    question = "依申请公开的答复期限是多久？"
    reply = client.predict(question, api_name="/ask")
    assert {"answer", "citations", "in_scope", "confidence"} <= set(reply)
    assert reply["in_scope"] is True
    assert any(c.get("source") == "条例" and isinstance(c.get("article"), int) for c in reply["citations"])
    cli = subprocess.run([sys.executable, "-m", "assistant", "ask", question, "--format", "json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert reply == json.loads(cli.stdout)
    off = client.predict("明天天气怎么样？", api_name="/ask")
    assert off["in_scope"] is False


def test_ten_concurrent_sessions(server):
    """10 gradio_client sessions each check a different report at once: all succeed, median < 1 s."""
    from gradio_client import Client

    reports = sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md") and p.stem not in ("README", "LAYOUTS") and "truncated" not in p.name)
    texts = [p.read_text(encoding="utf-8") for p in reports][:10]
    texts += [SAMPLE.read_text(encoding="utf-8")] * (10 - len(texts))
    # ssl_verify=False: the local server speaks plain http, and httpx would otherwise load the CA
    # bundle for every call (~90 ms of client CPU each, which is what 10 sessions would measure)
    clients = [Client(server.url, verbose=False, ssl_verify=False) for _ in texts]
    clients[0].predict(texts[0], api_name="/check")  # models loaded
    barrier = threading.Barrier(len(clients))
    results, times = [None] * len(clients), [None] * len(clients)

    def session(i):
        barrier.wait()
        start = time.perf_counter()
        try:
            results[i] = clients[i].predict(texts[i], api_name="/check")
        except Exception as exc:  # recorded, asserted below
            results[i] = exc
        times[i] = time.perf_counter() - start

    threads = [threading.Thread(target=session, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    failures = [r for r in results if not isinstance(r, dict)]
    assert not failures, failures
    assert all(r["report"]["title"] for r in results)
    median = statistics.median(times)
    print(f"\n10 concurrent /check sessions: median {median * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")
    assert median < 1.0


def test_app_switches_off_analytics_before_gradio_loads():
    code = ("import sys, os, app; assert 'gradio' not in sys.modules; "
            "print(os.environ['GRADIO_ANALYTICS_ENABLED'], os.environ['HF_HUB_OFFLINE'])")
    env = {k: v for k, v in os.environ.items() if k not in ("GRADIO_ANALYTICS_ENABLED", "HF_HUB_OFFLINE")}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["False", "1"], out.stderr
