"""The web app in a real browser: Debian's chromium driven by Playwright.

Needs `apt-get install chromium fonts-noto-cjk` (.ci/run installs both); never `playwright install`.
Screenshots of each view (1280×800) are written to tests/screenshots/.
"""
import csv
import io
import json
import re
import shutil
import time
from pathlib import Path

import pytest

from app_server import AppServer
from conftest import CORPUS

SAMPLE = CORPUS / "zhoukou-2021.txt"
DOCX = CORPUS / "anping-bgs-2023.docx"  # T303 in table 3
NEWS = CORPUS / "news-anping-training-2023.html"  # not a report
SHOTS = Path(__file__).parent / "screenshots"
ARTICLE = re.compile(r"第[一二三四五六七八九十百]+条")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
WAIT = 30_000  # ms


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Debian's chromium is not installed: apt-get install -y chromium fonts-noto-cjk")
    return path


@pytest.fixture(scope="module")
def server():
    SHOTS.mkdir(exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    app = AppServer()
    yield app
    app.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def outside_requests():
    return []


@pytest.fixture
def page(server, browser, outside_requests):
    # Playwright's string predicates (wait_for_function) are eval'd in the page, which the app's
    # Content-Security-Policy forbids; test_csp_allows_the_app checks the page under the real policy.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", accept_downloads=True,
                                  bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    page.on("request", lambda r: None if r.url.startswith((server.url, "data:", "blob:"))
            else outside_requests.append(r.url))
    page.goto(server.url, wait_until="load")  # not networkidle: the app keeps a heartbeat open
    page.wait_for_selector("#chat-input textarea")
    yield page
    context.close()


def bot_replies(page) -> list[str]:
    return page.locator('#chatbot [data-testid="bot"]').all_inner_texts()


def send(page, text: str) -> str:
    """Send a chat message; return the new reply."""
    before = len(bot_replies(page))
    box = page.locator("#chat-input textarea")
    box.fill(text)
    box.press("Enter")
    page.wait_for_function(f"document.querySelectorAll('#chatbot [data-testid=\"bot\"]').length > {before}")
    return bot_replies(page)[-1]


def open_check_view(page):
    page.get_by_role("tab", name="检查报告").click()
    page.wait_for_selector("#report-file input[type=file]", state="attached")


def wait_summary(page, text: str):
    page.wait_for_function("t => document.querySelector('#check-summary').innerText.includes(t)", arg=text)


def finding_rules(page) -> set[str]:
    """Rule IDs in the findings table as shown."""
    return set(re.findall(r"\b[STCNP]\d{3}\b", page.locator("#findings").inner_text()))


def test_page_loads_offline_in_chinese(page, outside_requests):
    assert page.title() == "年报合规助手"
    assert "年报合规助手" in page.locator("#intro").inner_text()
    # Chinese glyphs render as glyphs, not as the empty boxes of a missing font: two different
    # characters drawn in the page's font differ from each other and from an unassigned code point.
    glyphs = page.evaluate("""() => {
        const font = getComputedStyle(document.body).fontFamily;
        const draw = (ch) => {
            const canvas = document.createElement('canvas');
            canvas.width = canvas.height = 64;
            const ctx = canvas.getContext('2d');
            ctx.font = `48px ${font}`;
            ctx.fillText(ch, 4, 52);
            return canvas.toDataURL();
        };
        return {year: draw('年'), report: draw('报'), missing: draw('\\uE000'), font};
    }""")
    assert glyphs["year"] != glyphs["report"], f"Chinese renders as boxes with {glyphs['font']}"
    assert glyphs["missing"] not in (glyphs["year"], glyphs["report"])
    assert outside_requests == []  # offline: no web fonts, no analytics


def test_chat_question_draft_and_follow_up(page):
    reply = send(page, "依申请公开的答复期限是多久？")
    assert ARTICLE.search(reply), reply
    assert "依据" in reply
    page.screenshot(path=str(SHOTS / "chat-answer.png"))
    reply = send(page, SAMPLE.read_text(encoding="utf-8"))
    assert "周口市行政服务中心2021年政府信息公开工作年度报告" in reply
    assert "第五部分" in reply and "N604" in reply
    users = page.locator('#chatbot [data-testid="user"]').all_inner_texts()
    assert "粘贴了报告草稿" in users[-1]
    reply = send(page, "第五部分怎么改？")
    assert "第五部分" in reply and "怎么改：写明本年度工作中存在的具体问题" in reply
    reply = send(page, "表三哪里不平？")
    assert "表三没有发现问题" in reply and "✓ 成立" in reply
    page.screenshot(path=str(SHOTS / "chat.png"))
    before = len(bot_replies(page))
    page.set_input_files("#chat-input input[type=file]", str(DOCX))  # a file instead of pasted text
    page.locator("#chat-input textarea").press("Enter")
    page.wait_for_function(f"document.querySelectorAll('#chatbot [data-testid=\"bot\"]').length > {before}")
    assert "安平市人民政府办公室2023年政府信息公开工作年度报告" in bot_replies(page)[-1]
    assert f"［上传文件］{DOCX.name}" in page.locator('#chatbot [data-testid="user"]').all_inner_texts()[-1]


def test_upload_docx_and_download_reports(page, server):
    open_check_view(page)
    page.set_input_files("#report-file input[type=file]", str(DOCX))
    wait_summary(page, "结论")
    assert "安平市人民政府办公室" in page.locator("#check-summary").inner_text()
    assert "T303" in finding_rules(page)
    identities = page.locator("#identities").inner_text()
    assert "不成立" in identities and "一 + 二 = 三（七）总计 + 四" in identities
    assert server.uploaded(DOCX.name) == []  # the upload was read into memory and deleted
    with page.expect_download() as download:
        page.locator("#download-md").click()
    assert download.value.suggested_filename == "anping-bgs-2023-检查报告.md"
    markdown = Path(download.value.path()).read_text(encoding="utf-8")
    assert markdown.startswith("# 检查报告：安平市人民政府办公室2023年政府信息公开工作年度报告")
    assert "| 错误 | T303 |" in markdown
    with page.expect_download() as download:
        page.locator("#download-json").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert {"report", "parts", "tables", "paragraphs", "findings"} <= set(data)
    assert data["report"]["source"] == DOCX.name and data["report"]["format"] == "docx"


def test_examples_filters_draft_and_screenshots(page):
    open_check_view(page)
    page.locator("#example-1").click()  # 滨江卫健委 2023: table 3 does not add up
    wait_summary(page, "滨江市卫生健康委员会")
    rules = finding_rules(page)
    assert {"T301", "T302"} <= rules
    assert page.locator("#identities").inner_text().count("1 处不成立") == 2
    page.screenshot(path=str(SHOTS / "check.png"))
    page.locator("#severity-filter label", has_text="错误").click()  # hide errors
    page.wait_for_function("() => !document.querySelector('#findings').innerText.includes('T301')")
    assert not {"T301", "T302"} & finding_rules(page)
    page.locator("#severity-filter label", has_text="错误").click()
    page.locator("#family-filter label", has_text="内容").click()  # hide 内容 (N…) findings
    page.wait_for_function("() => { const text = document.querySelector('#findings').innerText;"
                           " return text.includes('T301') && !/\\bN\\d{3}\\b/.test(text); }")
    assert all(not r.startswith("N") for r in finding_rules(page))
    page.locator("#findings").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "findings.png"))

    page.locator("#example-0").click()  # the sample report
    wait_summary(page, "周口市行政服务中心")
    page.get_by_role("tab", name="正文标注").click()
    part5 = page.locator('#draft section[data-part="5"]')
    assert "nb-flag-error" in part5.get_attribute("class")
    assert "N604" in part5.inner_text()
    assert page.locator('#draft section[data-part="1"] .nb-flag-error').count() == 0
    assert "［表三：未发现问题］" in page.locator("#draft").inner_text()
    part5.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "draft.png"))
    coverage = page.locator("#coverage")
    if "主题模型尚未训练" not in coverage.inner_text():  # with the NLP models: one bar per aspect
        assert coverage.locator(".nb-bar-row").count() == 5
        page.locator("#scheme label", has_text="样本报告").click()
        page.wait_for_function("() => document.querySelectorAll('#coverage .nb-bar-row').length == 4")
        assert "宣传教育" in coverage.inner_text()


def test_unreadable_and_oversized_uploads(page, server, tmp_path):
    open_check_view(page)
    page.set_input_files("#report-file input[type=file]", str(NEWS))
    wait_summary(page, "无法检查")
    assert "不是政府信息公开工作年度报告" in page.locator("#check-summary").inner_text()
    big = tmp_path / "很大的报告.pdf"
    with open(big, "wb") as handle:
        handle.write(b"%PDF-1.4\n")
        handle.truncate(21 << 20)
    page.set_input_files("#report-file input[type=file]", big)
    warning = page.locator("#nb-upload-warning")
    warning.wait_for(state="visible")
    assert "文件“很大的报告.pdf”过大（21.0 MB），年度报告一般不超过 20 MB" in warning.inner_text()
    page.get_by_role("tab", name="对话").click()
    page.set_input_files("#chat-input input[type=file]", big)
    page.wait_for_function("() => document.querySelector('#nb-upload-warning').innerText.includes('很大的报告')")
    time.sleep(0.5)
    assert server.uploaded("很大的报告.pdf") == []  # refused before it was sent


def test_batch_summary_csv(page):
    page.get_by_role("tab", name="批量汇总").click()
    files = [CORPUS / "zhoukou-2021.txt", CORPUS / "binjiang-wjw-2023.md", DOCX, NEWS]
    page.set_input_files("#batch-files input[type=file]", [str(f) for f in files])
    page.wait_for_function("() => document.querySelectorAll('#batch-files tr.file').length == 4")
    page.locator("#batch-button").click()
    page.wait_for_function("() => document.querySelector('#batch-note').innerText.includes('已检查 4 份报告')")
    assert "其中 1 份无法读取" in page.locator("#batch-note").inner_text()
    page.screenshot(path=str(SHOTS / "batch.png"))
    with page.expect_download() as download:
        page.locator("#download-csv").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert [r["file"] for r in rows] == [f.name for f in files]
    by_file = {r["file"]: r for r in rows}
    assert {"T301", "T302"} <= set(by_file["binjiang-wjw-2023.md"]["rules"].split())
    assert "T303" in by_file[DOCX.name]["rules"]
    assert "不是政府信息公开工作年度报告" in by_file[NEWS.name]["error"]


def test_nothing_kept_after_the_session(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", accept_downloads=True,
                                  bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    page.goto(server.url, wait_until="load")
    open_check_view(page)
    page.set_input_files("#report-file input[type=file]", str(DOCX))
    wait_summary(page, "结论")
    assert server.session_files()  # the two download files of this session
    context.close()
    deadline = time.time() + 20
    while server.session_files() and time.time() < deadline:
        time.sleep(0.2)
    assert server.session_files() == []
    assert server.uploaded(DOCX.name) == []


def test_same_file_uploaded_by_two_sessions_at_once(server, browser):
    """Gradio stores both uploads at one path; each session still gets its check."""
    pages = []
    for _ in range(2):
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(WAIT)
        page.goto(server.url, wait_until="load")
        open_check_view(page)
        pages.append(page)
    for page in pages:  # one after the other without waiting: both uploads land before either check ends
        page.set_input_files("#report-file input[type=file]", str(DOCX))
    for page in pages:
        wait_summary(page, "结论")
        assert "安平市人民政府办公室" in page.locator("#check-summary").inner_text()
    deadline = time.time() + 10
    while server.uploaded(DOCX.name) and time.time() < deadline:
        time.sleep(0.2)
    assert server.uploaded(DOCX.name) == []  # deleted once both had read it
    for page in pages:
        page.context.close()


def test_csp_allows_the_app_and_downloads_stay_private(server, browser):
    """Under the real Content-Security-Policy the page works; a download is served to its browser only."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", accept_downloads=True)
    violations = []
    page = context.new_page()
    page.set_default_timeout(WAIT)
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    response = page.goto(server.url, wait_until="load")
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    page.locator("#chat-input textarea").fill("依申请公开的答复期限是多久？")
    page.locator("#chat-input textarea").press("Enter")
    page.locator('#chatbot [data-testid="bot"]').first.wait_for()
    assert ARTICLE.search(page.locator('#chatbot [data-testid="bot"]').first.inner_text())
    open_check_view(page)
    page.set_input_files("#report-file input[type=file]", str(DOCX))
    page.locator("#check-summary", has_text="结论").wait_for()
    with page.expect_download() as download:
        page.locator("#download-md").click()
    assert Path(download.value.path()).read_text(encoding="utf-8").startswith("# 检查报告")
    assert violations == []
    [markdown] = [p for p in server.session_files() if p.suffix == ".md"]
    assert markdown.stat().st_mode & 0o077 == 0  # readable by the server's user only
    url = f"{server.url}gradio_api/file={markdown}"
    assert context.request.get(url).status == 200  # the browser that made it
    stranger = browser.new_context()
    assert stranger.request.get(url).status == 404  # anyone else, even with the URL
    stranger.close()
    context.close()


@pytest.fixture(scope="module")
def review_server(tmp_path_factory):
    """The app with a reviewer store of three reports: 安平市市场监督管理局 2023 and 2024 (C502 across
    the years, a wrong total) and the 周口 sample."""
    import os
    import subprocess
    import sys

    from support.render import load_spec, render

    from conftest import ROOT

    folder = tmp_path_factory.mktemp("review")
    specs = CORPUS / "specs"
    render(load_spec(specs / "anping-scjg-2023.json"), "txt", folder / "in" / "scjg-2023.txt")
    render(load_spec(specs / "anping-scjg-2024.json"), "txt", folder / "in" / "scjg-2024.txt")
    shutil.copy(SAMPLE, folder / "in" / SAMPLE.name)
    db = folder / "review.db"
    subprocess.run([sys.executable, "-m", "assistant", "review", "import", str(folder / "in"), "--db", str(db),
                    "--quiet", "--no-nlp"], cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    app = AppServer(env={"ASSISTANT_REVIEW_DB": str(db)})
    yield app, folder
    app.stop()


def test_review_tab_lists_summarises_triages_imports_and_exports(review_server, browser):
    server, folder = review_server
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", accept_downloads=True,
                                  bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    page.goto(server.url, wait_until="load")
    page.get_by_role("tab", name="审核台").click()
    page.locator("#review-refresh").click()
    page.wait_for_function("() => document.querySelector('#review-list-note').innerText.includes('共 3 份报告')")
    overview = page.locator("#review-overview").inner_text()
    assert "共 3 份报告" in overview and "最常见的问题" in overview and "C502" in overview
    page.screenshot(path=str(SHOTS / "review-list.png"))
    page.locator("#review-overview").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "review-summary.png"))

    # the year filter, then one report's findings and a decision
    page.locator("#review-year input, #review-year textarea").first.fill("2024")
    page.locator("#review-year input, #review-year textarea").first.press("Enter")
    page.wait_for_function("() => document.querySelector('#review-list-note').innerText.includes('共 1 份报告')")
    shown = page.locator("#review-table").inner_text()
    report_id = re.search(r"(\d+)\s+安平市市场监督管理局\s+2024", shown).group(1)
    page.locator("#review-id input, #review-id textarea").first.fill(report_id)
    page.locator("#review-show").click()
    page.wait_for_function("() => document.querySelector('#review-findings').innerText.includes('C502')")
    before = page.locator("#review-findings").inner_text()
    fingerprint = re.search(r"([0-9a-f]{12,})\s+\S+\s+C502", before).group(1)
    page.locator("#review-fingerprint textarea, #review-fingerprint input").first.fill(fingerprint)
    page.locator("#review-reason textarea, #review-reason input").first.fill("上年结转与上年报告不一致")
    page.locator("#review-by textarea, #review-by input").first.fill("审核员甲")
    page.locator("#review-save").click()
    page.wait_for_function("() => document.querySelector('#review-note').innerText.includes('已记录：确认')")
    after = page.locator("#review-findings").inner_text()
    assert (after.count("未审"), after.count("确认")) == (before.count("未审") - 1, before.count("确认") + 1)
    page.screenshot(path=str(SHOTS / "review-triage.png"))

    # the confirmed finding is in the CSV export
    page.locator("#review-export-csv").click()
    page.wait_for_function("() => document.querySelector('#review-export-note').innerText.includes('审核汇总.csv')")
    with page.expect_download() as download:
        page.locator("#review-download").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert any(r["fingerprint"] == fingerprint and r["by"] == "审核员甲" for r in rows)

    # import by upload: a new report joins the list
    page.locator("#review-import-box").get_by_text("导入报告").first.click()
    page.set_input_files("#review-uploads input[type=file]", str(CORPUS / "binjiang-wjw-2023.md"))
    page.wait_for_function("() => document.querySelectorAll('#review-uploads tr.file').length == 1")
    page.locator("#review-import").click()
    page.wait_for_function("() => document.querySelector('#review-import-note').innerText.includes('新增 1 份')")
    page.screenshot(path=str(SHOTS / "review-import.png"))
    context.close()


def test_screenshots_are_1280x800():
    import struct

    shots = sorted(SHOTS.glob("*.png"))
    assert {p.stem for p in shots} >= {"chat", "check", "findings", "draft", "batch", "review-list", "review-summary",
                                       "review-triage", "review-import"}
    for shot in shots:
        width, height = struct.unpack(">II", shot.read_bytes()[16:24])
        assert (width, height) == (1280, 800), shot
