"""The reviewer workspace of CONTRACT.md: store, import, pairing, versions, triage, export, crashes, concurrency."""
import copy
import csv
import io
import json
import os
import pwd
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select
from support.render import load_spec, render

from assistant.checker import CheckOptions
from assistant.document import Source
from assistant.errors import InputError
from assistant.review.export import export
from assistant.review.importer import import_paths, import_sources
from assistant.review.models import Triage
from assistant.review.queries import record, report_rows, report_view
from assistant.review.store import HEAD, Store, agency_key, fingerprint

from conftest import CORPUS, ROOT

FAST = CheckOptions(nlp=False)
SPECS = CORPUS / "specs"
ROW_KEYS = {"id", "agency", "year", "level", "errors", "warnings", "infos", "paired_with", "status"}


def run(*args, cwd=ROOT, timeout=180, env=None):
    return subprocess.run([sys.executable, "-m", "assistant", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def spec(name: str) -> dict:
    return copy.deepcopy(load_spec(SPECS / f"{name}.json"))


def scjg_2024(sum_error: bool = True, carried_over_fixed: bool = False, review_error: bool = False) -> dict:
    """安平市市场监督管理局 2024: its 上年结转 disagrees with 2023's 结转下年度继续办理 (C502) unless fixed;
    a wrong 本年新收 total that no version corrects; optionally a wrong 行政复议 total."""
    s = spec("anping-scjg-2024")
    table3 = s["tables"]["table3"]
    if carried_over_fixed:
        table3["上年结转"] = dict(table3["上年结转"], 自然人=2, 总计=3)
    if sum_error:
        table3["本年新收"]["总计"] += 1
    if review_error:
        s["tables"]["table4"]["行政复议"]["总计"] += 1
    return s


PG_BINS = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
PG_BIN = PG_BINS[-1].parent if PG_BINS else None  # Debian's newest installed server (15 on bookworm)


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL server in a temporary folder (run as nobody when we are root: initdb
    refuses root); yields its URL without a database name."""
    if PG_BIN is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql; tests/run.sh does)")
    base = Path(tempfile.mkdtemp(prefix="review-pg-"))
    prefix = []
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(base, nobody.pw_uid, nobody.pw_gid)
        prefix = ["runuser", "-u", "nobody", "--"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = base / "data"
    subprocess.run([*prefix, PG_BIN / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                    "--no-locale", "-N"], check=True, capture_output=True, timeout=120)
    subprocess.run([*prefix, PG_BIN / "pg_ctl", "-D", data, "-l", base / "log", "-w", "-t", "60", "-o",
                    f"-p {port} -h 127.0.0.1 -k {base} -F", "start"], check=True, capture_output=True, timeout=90)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run([*prefix, PG_BIN / "pg_ctl", "-D", data, "-m", "immediate", "stop"], capture_output=True,
                       timeout=60)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """The store's --db: a SQLite file, or a fresh database on the PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "review.db")
    import psycopg

    server = request.getfixturevalue("postgres_server")
    name = f"review_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server.replace("+psycopg", "") + "/postgres", autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


@pytest.fixture
def store(db_url):
    opened = Store(db_url)
    yield opened
    opened.close()


def rows_by_year(store):
    return {row["year"]: row for row in report_rows(store)}


def rules_of(view):
    return sorted(f["rule"] for f in view["findings"])


def test_agency_key_folds_forms_of_one_name():
    assert agency_key("青石县人民政府") == agency_key("青石县政府") == agency_key("青石县 政府")
    assert agency_key("青石县人民政府办公室") == agency_key("青石县政府办") == agency_key("青石县政府办公室")
    assert agency_key("ＡＢ市　人民政府") == agency_key("AB市政府")
    assert agency_key("青石县教育局") != agency_key("青石县卫生健康局")


def test_fingerprint_keeps_numbers_drops_spacing_and_punctuation():
    location = {"part": 3, "table": "table3", "row": "总计"}
    base = fingerprint("T303", location, "合计 6,247 条，与 12.5 不符。")
    assert base == fingerprint("T303", dict(reversed(location.items())), "合计6247条, 与12.5不符")
    assert base != fingerprint("T303", location, "合计 6,248 条，与 12.5 不符。")
    assert base != fingerprint("T303", location, "合计 6,247 条，与 125 不符。")
    assert base != fingerprint("T304", location, "合计 6,247 条，与 12.5 不符。")
    assert base != fingerprint("T303", {"part": 3}, "合计 6,247 条，与 12.5 不符。")


def test_store_is_migrated_on_open_in_wal_mode(tmp_path):
    path = tmp_path / "review.db"
    Store(str(path)).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"reports", "findings", "triage"} <= tables
    reopened = Store(f"sqlite:///{path}")  # a SQLAlchemy URL names the same store
    assert reopened.tables() and report_rows(reopened) == []
    reopened.close()
    with pytest.raises(InputError, match="目录不存在"):
        Store(str(tmp_path / "missing" / "review.db"))
    with pytest.raises(InputError, match="是一个目录"):
        Store(str(tmp_path))


def test_import_pairs_consecutive_years_dedupes_and_keeps_unreadable_rows(store, tmp_path):
    folder = tmp_path / "in"
    s23 = spec("anping-scjg-2023")
    s23["title"] = s23["title"].replace("安平市市场监督管理局", "安平市　市场监督管理局")  # spacing differs
    render(s23, "txt", folder / "2023.txt")
    render(scjg_2024(), "md", folder / "nested" / "2024.md")
    (folder / "nested" / "copy-of-2023.txt").write_bytes((folder / "2023.txt").read_bytes())
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0 old word")
    (folder / "empty.txt").write_bytes(b"   \n")

    outcome = import_paths(store, [str(folder)], progress=False, options=FAST)
    assert (outcome.imported, outcome.duplicates, outcome.unreadable) == (2, 1, 2)
    assert outcome.line() == "imported 2, duplicates 1, unreadable 2"

    rows = report_rows(store)
    assert len(rows) == 4
    unreadable = [r for r in rows if r["year"] is None]
    assert {r["file"].rsplit("/", 1)[-1] for r in unreadable} == {"old.doc", "empty.txt"}
    assert all(r["error"] and r["status"] == "open" for r in unreadable)
    years = {r["year"]: r for r in rows if r["year"]}
    assert years[2024]["paired_with"] == years[2023]["id"] and years[2023]["paired_with"] is None
    assert years[2024]["level"] == "city" and years[2024]["errors"] >= 2
    assert "C502" in rules_of(report_view(store, years[2024]["id"]))  # cross-year rule without --previous

    again = import_paths(store, [str(folder)], progress=False, options=FAST)
    assert (again.imported, again.duplicates, again.unreadable) == (0, 3, 2)
    assert len(report_rows(store)) == 4


def test_corrected_version_tells_fixed_remaining_and_new_and_keeps_triage(store, tmp_path):
    render(spec("anping-scjg-2023"), "txt", tmp_path / "a2023.txt")
    render(scjg_2024(), "txt", tmp_path / "a2024.txt")
    import_paths(store, [str(tmp_path / "a2023.txt"), str(tmp_path / "a2024.txt")], progress=False, options=FAST)
    first = rows_by_year(store)[2024]
    view = report_view(store, first["id"])
    by_rule = {f["rule"]: f for f in view["findings"]}
    assert {"C502"} < set(by_rule) and all(f["triage"] is None for f in view["findings"])
    remaining = by_rule["T301"]  # the wrong 本年新收 total, which the correction keeps
    record(store, by_rule["C502"]["fingerprint"], "confirm", "与上年不衔接", "张三")
    record(store, remaining["fingerprint"][:8], "dismiss", "口径说明已附", "李四")

    render(scjg_2024(carried_over_fixed=True, review_error=True), "txt", tmp_path / "a2024-fixed.txt")
    outcome = import_paths(store, [str(tmp_path / "a2024-fixed.txt")], progress=False, options=FAST)
    assert (outcome.imported, outcome.duplicates) == (1, 0)
    second = rows_by_year(store)[2024]
    assert second["id"] != first["id"] and second["version"] == 2 and second["paired_with"] == first["paired_with"]
    assert [r["id"] for r in report_rows(store, everything=True) if r["year"] == 2024] == [first["id"], second["id"]]

    view = report_view(store, second["id"])
    assert view["review"]["previous_version"] == first["id"]
    assert "C502" in [f["rule"] for f in view["review"]["fixed"]]
    kept = next(f for f in view["findings"] if f["fingerprint"] == remaining["fingerprint"])
    assert kept["change"] == "remain" and kept["triage"]["decision"] == "dismiss" and kept["triage"]["by"] == "李四"
    new = [f for f in view["findings"] if f["change"] == "new"]
    assert new and all(f["triage"] is None for f in new) and "C502" not in rules_of(view)
    assert any(f["location"].get("table") == "table4" for f in new)
    assert second["status"] == "open"
    for finding in view["findings"]:
        if finding["triage"] is None:
            record(store, finding["fingerprint"], "confirm", by="王五")
    assert rows_by_year(store)[2024]["status"] == "done"
    assert report_rows(store, state="done", year=2024)[0]["id"] == second["id"]
    assert report_rows(store, state="open", year=2024) == []


def test_earlier_year_imported_later_rechecks_the_next_and_triage_survives(store, tmp_path):
    render(scjg_2024(), "txt", tmp_path / "a2024.txt")
    render(spec("anping-scjg-2023"), "txt", tmp_path / "a2023.txt")
    import_paths(store, [str(tmp_path / "a2024.txt")], progress=False, options=FAST)
    alone = rows_by_year(store)[2024]
    view = report_view(store, alone["id"])
    assert alone["paired_with"] is None and "C502" not in rules_of(view)
    decided = view["findings"][0]
    record(store, decided["fingerprint"], "confirm", "合计有误")

    import_paths(store, [str(tmp_path / "a2023.txt")], progress=False, options=FAST)
    rows = rows_by_year(store)
    assert rows[2024]["id"] == alone["id"] and rows[2024]["paired_with"] == rows[2023]["id"]
    view = report_view(store, alone["id"])
    assert "C502" in rules_of(view)
    same = next(f for f in view["findings"] if f["fingerprint"] == decided["fingerprint"])
    assert same["triage"]["decision"] == "confirm" and same["triage"]["reason"] == "合计有误"


def test_triage_refuses_unknown_short_and_ambiguous_fingerprints(store, tmp_path):
    render(scjg_2024(), "txt", tmp_path / "a.txt")
    s = scjg_2024()
    s["title"] = s["title"].replace("安平市", "滨江市")
    render(s, "txt", tmp_path / "b.txt")  # another agency, the same defects: the same fingerprints
    import_paths(store, [str(tmp_path)], progress=False, options=FAST)
    rows = report_rows(store)
    assert len(rows) == 2
    shared = report_view(store, rows[0]["id"])["findings"][0]["fingerprint"]
    with pytest.raises(InputError, match="对应多个问题"):
        record(store, shared, "confirm")
    with pytest.raises(InputError, match="至少需要 6 位"):
        record(store, shared[:4], "confirm")
    with pytest.raises(InputError, match="没有指纹"):
        record(store, "0123456789abcdef", "confirm")
    record(store, shared, "confirm", report_id=rows[1]["id"])
    states = {r["id"]: report_view(store, r["id"])["findings"][0]["triage"] for r in rows}
    assert states[rows[0]["id"]] is None and states[rows[1]["id"]]["decision"] == "confirm"


def test_export_csv_xlsx_and_rectification_notices(store, tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    render(spec("anping-scjg-2023"), "txt", tmp_path / "in" / "a2023.txt")
    render(scjg_2024(), "txt", tmp_path / "in" / "a2024.txt")
    import_paths(store, [str(tmp_path / "in")], progress=False, options=FAST)
    report = rows_by_year(store)[2024]
    findings = report_view(store, report["id"])["findings"]
    c502 = next(f for f in findings if f["rule"] == "C502")
    other = next(f for f in findings if f["rule"] != "C502")
    record(store, c502["fingerprint"], "confirm", "请核对结转数", "张三")
    record(store, other["fingerprint"], "dismiss")

    assert "2 份报告、1 个已确认问题" in export(store, str(tmp_path / "out.csv"))
    table = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8-sig"))))
    assert len(table) == 2 and {r["rule"] for r in table} == {"", "C502"}
    row = next(r for r in table if r["rule"])
    assert row["reason"] == "请核对结转数" and row["by"] == "张三" and row["location"].startswith("第三部分")

    export(store, str(tmp_path / "out.xlsx"))
    book = load_workbook(tmp_path / "out.xlsx")
    assert book.sheetnames == ["报告", "已确认问题"]
    assert book["报告"].max_row == 3 and book["已确认问题"].max_row == 2
    assert book["已确认问题"]["E2"].value == "C502"

    assert "1 个机关" in export(store, str(tmp_path / "notices"))
    notice = (tmp_path / "notices" / "整改通知-安平市市场监督管理局.md").read_text(encoding="utf-8")
    assert notice.startswith("# 关于安平市市场监督管理局") and c502["message"] in notice
    assert f"依据：{c502['citation']}" in notice and f"整改建议：{c502['suggestion']}" in notice
    assert other["message"] not in notice
    text = "\n".join(p.text for p in Document(tmp_path / "notices" / "整改通知-安平市市场监督管理局.docx").paragraphs)
    assert c502["message"] in text and "整改建议" in text
    with pytest.raises(InputError, match="不是目录"):
        export(store, str(tmp_path / "in" / "a2023.txt"))  # an existing file, neither .csv nor .xlsx
    with pytest.raises(InputError, match="目录不存在"):
        export(store, str(tmp_path / "nowhere" / "out.csv"))


def test_review_commands_of_the_contract(tmp_path):
    folder = tmp_path / "in"
    render(spec("anping-scjg-2023"), "docx", folder / "a2023.docx")
    render(scjg_2024(), "html", folder / "a2024.html")
    (folder / "notes.doc").write_bytes(b"old word")
    proc = run("review", "import", folder, "--jobs", "2", "--no-nlp", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "imported 2, duplicates 0, unreadable 1\n"
    assert "检查" in proc.stderr and "份" in proc.stderr  # the progress bar
    assert (tmp_path / "review.db").exists()  # default store in the current folder

    lines = run("review", "list", "--format", "json", cwd=tmp_path).stdout.splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == 3 and all(ROW_KEYS <= set(r) for r in rows)
    year = {r["year"]: r for r in rows}
    assert year[2024]["paired_with"] == year[2023]["id"] and year[2024]["level"] == "city"
    assert year[2024]["status"] == "open" and year[2024]["errors"] >= 2
    assert [json.loads(x)["id"] for x in run("review", "list", "--format", "json", "--year", "2023",
                                             cwd=tmp_path).stdout.splitlines()] == [year[2023]["id"]]
    text = run("review", "list", cwd=tmp_path).stdout
    assert text.startswith("编号\t机关\t年度") and "安平市市场监督管理局\t2024\tcity" in text and "notes.doc" in text

    shown = json.loads(run("review", "show", year[2024]["id"], "--format", "json", cwd=tmp_path).stdout)
    assert {"report", "tables", "findings"} <= set(shown) and shown["report"]["year"] == 2024
    c502 = next(f for f in shown["findings"] if f["rule"] == "C502")
    assert len(c502["fingerprint"]) == 16 and c502["triage"] is None
    proc = run("review", "triage", c502["fingerprint"], "confirm", "--reason", "结转不衔接", "--by", "张三",
               cwd=tmp_path)
    assert proc.returncode == 0 and "已记录：确认" in proc.stdout
    shown_text = run("review", "show", year[2024]["id"], cwd=tmp_path).stdout
    assert f"指纹：{c502['fingerprint']}（确认）" in shown_text

    proc = run("review", "export", "--output", "out.xlsx", cwd=tmp_path)
    assert proc.returncode == 0 and (tmp_path / "out.xlsx").exists() and "已导出" in proc.stderr
    assert run("review", "export", "--output", tmp_path / "notices", cwd=tmp_path).returncode == 0
    assert (tmp_path / "notices" / "整改通知-安平市市场监督管理局.docx").exists()

    again = run("review", "import", folder, "--quiet", "--no-nlp", cwd=tmp_path)
    assert again.stdout == "imported 0, duplicates 2, unreadable 1\n" and again.stderr == ""


@pytest.mark.parametrize("args, message", [
    (("review", "show", "999"), "没有编号为 999 的报告"),
    (("review", "show", "abc"), "不是报告编号"),
    (("review", "triage", "0123456789abcdef", "confirm"), "没有指纹为"),
    (("review", "triage", "0123456789abcdef", "approve"), "取值“approve”无效"),
    (("review", "list", "--year", "20x3"), "不是有效的年度"),
    (("review", "list", "--db", "missing/review.db"), "目录不存在"),
    (("review", "list", "--db", "nosuchdriver://x"), "无法打开数据库"),
    (("review", "import", "nothing-here.txt"), None),
    (("review", "export"), "缺少必需的参数"),
])
def test_bad_input_is_one_chinese_line_and_exit_2(tmp_path, args, message):
    proc = run(*args, cwd=tmp_path)
    if args[1] == "import":  # a missing file is an unreadable row, not a crash
        assert proc.returncode == 0 and proc.stdout == "imported 0, duplicates 0, unreadable 1\n"
        return
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1 and message in proc.stderr


def _count(db_url: str, sql: str) -> int:
    """A count read with the store's own engine (either backend), 0 while the store does not exist yet."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    from assistant.review.store import database_url

    if "://" not in db_url and not Path(db_url).exists():
        return 0
    engine = create_engine(database_url(db_url))
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar_one()
    except SQLAlchemyError:  # tables not created yet
        return 0
    finally:
        engine.dispose()


@pytest.mark.parametrize("value", ["0", "-5", '"many"'])
def test_commit_every_must_be_a_positive_number(tmp_path, value):
    settings = tmp_path / "assistant.toml"
    settings.write_text(f"[review]\ncommit_every = {value}\n", encoding="utf-8")
    (tmp_path / "r.txt").write_text((CORPUS / "zhoukou-2021.txt").read_text(encoding="utf-8"), encoding="utf-8")
    proc = run("review", "import", tmp_path / "r.txt", "--db", tmp_path / "review.db", "--quiet", "--no-nlp",
               cwd=tmp_path, env={"ASSISTANT_CONFIG": str(settings)})
    assert proc.returncode == 2 and "commit_every" in proc.stderr and "Traceback" not in proc.stderr


def test_import_killed_half_way_leaves_a_store_the_next_import_completes(db_url, tmp_path):
    folder = tmp_path / "in"
    base = scjg_2024()
    for n in range(10):
        variant = copy.deepcopy(base)
        variant["title"] = variant["title"].replace("安平市", f"安平市第{n}")  # ten agencies, ten contents
        render(variant, "txt", folder / f"r{n}.txt")
    command = [sys.executable, "-m", "assistant", "review", "import", str(folder), "--db", db_url, "--quiet"]
    settings = tmp_path / "assistant.toml"
    settings.write_text("[review]\ncommit_every = 1\n", encoding="utf-8")  # each result its own transaction
    proc = subprocess.Popen(command, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT),
                                                        "ASSISTANT_CONFIG": str(settings)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    checked = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and checked < 2:
        time.sleep(0.02)
        checked = _count(db_url, "SELECT count(*) FROM reports WHERE state = 'checked'")
    os.killpg(proc.pid, signal.SIGKILL)  # the import and its check workers
    proc.wait()
    assert 2 <= checked < 10, "the import was not killed half-way"

    if "://" not in db_url:
        with sqlite3.connect(db_url) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert _count(db_url, "SELECT count(*) FROM reports") == 10
    assert _count(db_url, "SELECT count(*) FROM reports WHERE state = 'pending'") > 0
    assert _count(db_url, "SELECT count(*) FROM findings f JOIN reports r ON r.id = f.report_id "
                          "WHERE r.state <> 'checked'") == 0

    proc = run("review", "import", folder, "--db", db_url, "--quiet", "--no-nlp", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout == "imported 0, duplicates 10, unreadable 0\n"
    store = Store(db_url)
    rows = report_rows(store)
    store.close()
    assert len(rows) == 10 and all("error" not in r and r["errors"] >= 1 for r in rows)


_TRIAGE_WORKER = """
import sys
from assistant.review.queries import record
from assistant.review.store import Store
db, name, *prints = sys.argv[1:]
store = Store(db)
for n, fingerprint in enumerate(prints * 5):
    record(store, fingerprint, "confirm" if n % 2 else "dismiss", f"{name}-{n}", name)
"""


def test_two_processes_triaging_one_store_lose_no_decision(store, db_url, tmp_path):
    render(scjg_2024(review_error=True), "txt", tmp_path / "in" / "a.txt")
    render(spec("anping-scjg-2023"), "txt", tmp_path / "in" / "b.txt")
    import_paths(store, [str(tmp_path / "in")], progress=False, options=FAST)
    prints = [f["fingerprint"] for f in report_view(store, rows_by_year(store)[2024]["id"])["findings"]]
    assert len(prints) >= 3
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    workers = [subprocess.Popen([sys.executable, "-c", _TRIAGE_WORKER, db_url, name, *prints], env=env,
                                stderr=subprocess.PIPE, text=True) for name in ("甲", "乙")]
    for worker in workers:
        assert worker.wait(timeout=120) == 0, worker.stderr.read()
    with store.session() as session:
        reasons = set(session.scalars(select(Triage.reason)))
    expected = {f"{name}-{n}" for name in ("甲", "乙") for n in range(len(prints) * 5)}
    assert reasons == expected


class _Site:
    """A local web site of fixture pages: path -> (content type, body); records every request."""

    def __init__(self, pages: dict):
        import http.server
        import threading

        site = self
        self.pages, self.requests = pages, []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                site.requests.append((self.path, time.monotonic(), self.headers.get("Cookie")))
                if self.path not in site.pages:
                    self.send_error(404)
                    return
                content_type, body = site.pages[self.path]
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Set-Cookie", "session=tracking; Path=/")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site(tmp_path):
    render(spec("anping-scjg-2023"), "html", tmp_path / "2023.html", html_encoding="gbk")
    render(scjg_2024(), "pdf", tmp_path / "2024.pdf")
    column = ('<html><head><meta charset="gbk"><title>年度报告栏目</title></head><body><ul>'
              '<li><a href="/reports/2023.html">安平市市场监督管理局2023年政府信息公开工作年度报告</a></li>'
              '<li><a href="2024.html">2024年度报告</a></li>'
              '<li><a href="/news.html">市场监管局召开政务公开培训会</a></li>'
              '<li><a href="http://elsewhere.invalid/2022.html">2022年政府信息公开工作年度报告</a></li>'
              '</ul></body></html>').encode("gbk")
    wrapper = ("<html><head><title>安平市市场监督管理局2024年政府信息公开工作年度报告</title></head><body>"
               '<p>详见附件。</p><a href="/files/2024.pdf">附件下载</a></body></html>').encode()
    header_only = render(spec("anping-scjg-2023"), "html", tmp_path / "plain.html", html_encoding="gbk")
    body = re.sub(rb"<meta[^>]*charset[^>]*>", b"", header_only.read_bytes(), flags=re.I)
    served = _Site({
        "/column/index.html": ("text/html", column),
        "/reports/2023.html": ("text/html", (tmp_path / "2023.html").read_bytes()),
        "/column/2024.html": ("text/html; charset=utf-8", wrapper),
        "/files/2024.pdf": ("application/pdf", (tmp_path / "2024.pdf").read_bytes()),
        "/news.html": ("text/html", "<html><body>培训会</body></html>".encode()),
        "/header-gbk.html": ("text/html; charset=GBK", body),
    })
    yield served
    served.close()


def test_import_from_a_column_page_follows_report_links_one_level_on_the_same_site(store, site, monkeypatch):
    from assistant.review import fetch

    monkeypatch.setattr(fetch, "DELAY", 0.2)
    outcome = import_paths(store, [f"{site.url}/column/index.html"], progress=False, options=FAST)
    assert (outcome.imported, outcome.duplicates, outcome.unreadable) == (2, 0, 0)
    fetched = [path for path, _, _ in site.requests]
    assert fetched == ["/column/index.html", "/reports/2023.html", "/column/2024.html", "/files/2024.pdf"]
    assert all(cookie is None for _, _, cookie in site.requests)  # the site's cookie is never sent back
    times = [at for _, at, _ in site.requests]
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.19  # polite: one request per 0.2 s
    rows = rows_by_year(store)
    assert rows[2023]["file"] == f"{site.url}/reports/2023.html" and rows[2024]["file"].endswith("/files/2024.pdf")
    assert rows[2024]["paired_with"] == rows[2023]["id"]
    assert "C502" in rules_of(report_view(store, rows[2024]["id"]))
    assert report_view(store, rows[2023]["id"])["report"]["agency"] == "安平市市场监督管理局"  # GBK decoded


def test_url_import_decodes_header_charset_and_reports_failures_as_rows(store, site, monkeypatch):
    from assistant.limits import Budget
    from assistant.review import fetch

    monkeypatch.setattr(fetch, "DELAY", 0.0)
    outcome = import_paths(store, [f"{site.url}/header-gbk.html", f"{site.url}/missing.html",
                                   f"{site.url}/news.html"], progress=False, options=FAST)
    assert (outcome.imported, outcome.unreadable) == (1, 2)
    rows = report_rows(store)
    assert [r["agency"] for r in rows if r["year"]] == ["安平市市场监督管理局"]
    errors = sorted(r["error"] for r in rows if "error" in r)
    assert any("404" in e for e in errors) and any("没有找到" in e for e in errors)

    monkeypatch.setattr(fetch, "budget", lambda: Budget(max_bytes=1000))
    assert "文件过大" in fetch.fetch([f"{site.url}/files/2024.pdf"], delay=0)[0][2]


def test_review_bench_prints_its_numbers(capsys):
    from assistant.bench import run_review_bench

    numbers = run_review_bench([str(CORPUS / "qingshi-xian-2022.txt")], count=3, nlp=False)
    assert set(numbers) == {"import_per_second", "list_ms", "summary_ms", "reimport_seconds"}
    out = capsys.readouterr().out
    assert "imported 3, duplicates 0" in out and "review list：3 行" in out and "imported 0, duplicates 3" in out
    assert "汇总（审核台的按规则、按机关、按层级统计）：" in out


def test_store_of_an_older_schema_is_upgraded_on_open(tmp_path):
    from alembic import command
    from alembic.config import Config

    from assistant.review.store import MIGRATIONS

    path = tmp_path / "review.db"
    Store(str(path)).close()
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    store = Store(str(path))
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        assert not db.execute("SELECT name FROM sqlite_master WHERE name = 'roster'").fetchall()
    Store(str(path)).close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
        assert db.execute("SELECT name FROM sqlite_master WHERE name = 'roster'").fetchall()


def test_roster_and_deadlines_of_article_49(store, tmp_path):
    from datetime import date

    from assistant.review.roster import deadline, deadline_rows, load_roster

    assert deadline("department", 2024) == date(2025, 1, 31) and deadline("government", 2024) == date(2025, 3, 31)
    render(spec("anping-scjg-2023"), "txt", tmp_path / "in" / "a2023.txt")
    import_paths(store, [str(tmp_path / "in"), str(CORPUS / "qingshi-xian-2022.txt")], progress=False, options=FAST)
    roster = tmp_path / "roster.csv"
    roster.write_text("机关,类型\n安平市 市场监督管理局,部门\n青石县政府,\n滨江市教育局,部门\n", encoding="utf-8")
    assert load_roster(store, str(roster)) == 3
    rows = {r["agency"]: r for r in deadline_rows(store, 2023, today=date(2024, 2, 1))}
    assert rows["安平市 市场监督管理局"]["status"] == "on_time" and rows["安平市 市场监督管理局"]["report"]
    assert rows["滨江市教育局"]["status"] == "missing" and rows["滨江市教育局"]["deadline"] == "2024-01-31"
    assert rows["青石县政府"]["kind"] == "government" and rows["青石县政府"]["status"] == "not_due"
    rows = {r["agency"]: r for r in deadline_rows(store, 2022, today=date(2024, 1, 1))}
    assert rows["青石县政府"]["report"] and rows["青石县政府"]["deadline"] == "2023-03-31"
    assert rows["青石县政府"]["published"] == "2023-03-22" and rows["青石县政府"]["status"] == "on_time"
    late = spec("anping-scjg-2024")
    late["closing"] = ["安平市市场监督管理局", "2025年2月10日"]  # a department's report after 31 January
    render(late, "txt", tmp_path / "a2024.txt")
    import_paths(store, [str(tmp_path / "a2024.txt")], progress=False, options=FAST)
    rows = {r["agency"]: r for r in deadline_rows(store, 2024, today=date(2025, 6, 1))}
    assert rows["安平市 市场监督管理局"]["status"] == "late" and rows["安平市 市场监督管理局"]["published"] == "2025-02-10"
    assert rows["青石县政府"]["status"] == "missing"
    roster.write_text("机关,类型\n青石县政府,委员会\n", encoding="utf-8")
    with pytest.raises(InputError, match="类型“委员会”无效"):
        load_roster(store, str(roster))
    roster.write_text("名称\n青石县政府\n", encoding="utf-8")
    with pytest.raises(InputError, match="缺少“机关”列"):
        load_roster(store, str(roster))


def test_roster_and_deadlines_commands(tmp_path):
    render(spec("anping-scjg-2023"), "txt", tmp_path / "a2023.txt")
    assert run("review", "import", "a2023.txt", "--quiet", "--no-nlp", cwd=tmp_path).returncode == 0
    (tmp_path / "roster.csv").write_bytes("机关,类型\n安平市市场监督管理局,部门\n青石县人民政府,政府\n".encode("gbk"))
    proc = run("review", "roster", "roster.csv", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout == "已导入机关名单：2 个机关\n"
    proc = run("review", "deadlines", "--year", "2023", "--format", "json", "--today", "2024-04-01", cwd=tmp_path)
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [(r["agency"], r["status"]) for r in rows] == [("安平市市场监督管理局", "on_time"), ("青石县人民政府", "missing")]
    text = run("review", "deadlines", "--year", "2023", "--today", "2024-04-01", cwd=tmp_path).stdout
    assert "青石县人民政府\t政府\t2024-03-31\t\t\t未报送" in text
    proc = run("review", "deadlines", "--year", "2023", "--today", "2024-13-01", cwd=tmp_path)
    assert proc.returncode == 2 and "不是日期" in proc.stderr


def test_web_review_tab_lists_shows_and_records_decisions(db_url, tmp_path, monkeypatch):
    from assistant.ui import review_tab

    render(spec("anping-scjg-2023"), "txt", tmp_path / "in" / "a2023.txt")
    render(scjg_2024(), "txt", tmp_path / "in" / "a2024.txt")
    store = Store(db_url)
    import_paths(store, [str(tmp_path / "in")], progress=False, options=FAST)
    store.close()
    monkeypatch.setenv(review_tab.ENV, db_url)
    review_tab._store.cache_clear()

    table, note, page = review_tab.list_table("2024", "全部", "全部", "待审", "全部", 1)
    assert note == "共 1 份报告，第 1/1 页（每页 50 份）" and page == 1
    assert table[0][1:4] == ["安平市市场监督管理局", 2024, "市级"] and table[0][8] == "待审"
    assert review_tab.list_table("20x4", "全部", "全部", "全部", "全部", 1) == ([], "“20x4”不是有效的年度", 1)
    # filters: level, kind and rule narrow the list; a page beyond the last shows the last
    assert len(review_tab.list_table("", "市级", "政府部门", "全部", "C502 上年结转", 9)[0]) == 1
    assert review_tab.list_table("", "乡镇", "全部", "全部", "全部", 1)[0] == []
    assert review_tab.list_table("", "全部", "人民政府", "全部", "全部", 1)[0] == []
    assert review_tab.list_table("2023", "全部", "全部", "全部", "C502", 1)[0] == []  # only 2024 pairs with 2023
    assert review_tab.list_table("", "全部", "全部", "全部", "全部", 5)[2] == 1
    overview = review_tab.summary_html("")
    assert "共 <b>2</b> 份报告" in overview and "C502" in overview and "安平市市场监督管理局 2024" in overview
    summary, rows = review_tab.show_table(table[0][0])
    assert summary.startswith(f"**报告 {table[0][0]}**") and all(r[5] == "未审" for r in rows)
    c502 = next(r for r in rows if r[2] == "C502")
    note, _, rows = review_tab.triage(table[0][0], c502[0], "确认", "结转不衔接", "张三")
    assert note == f"已记录：确认 {c502[0]}（C502）"
    assert next(r for r in rows if r[0] == c502[0])[5] == "确认"
    assert "没有指纹" in review_tab.triage(table[0][0], "ffffffffffff", "驳回", "", "")[0]
    assert review_tab.show_table(999)[0].startswith("没有编号为 999 的报告")
    review_tab._store.cache_clear()


def test_web_review_tab_paginates_escapes_imports_and_exports(tmp_path, monkeypatch):
    from assistant.ui import files, review_tab

    db = str(tmp_path / "review.db")
    monkeypatch.setenv(review_tab.ENV, db)
    review_tab._store.cache_clear()
    base = scjg_2024()  # with an error, so every agency is on the chart of errors
    sources = []
    for n in range(53):
        variant = copy.deepcopy(base)
        variant["title"] = variant["title"].replace("安平市", f"安平市第{n}<b>区</b>")  # markup in a name is text
        path = render(variant, "txt", tmp_path / "in" / f"r{n:02d}.txt")
        sources.append((path.name, Source("bytes", path.read_bytes(), path.name), None))
    store = review_tab._store(db)
    outcome = import_sources(store, sources, progress=False, options=FAST)
    assert outcome.imported == 53
    first, note, _ = review_tab.list_table("", "全部", "全部", "全部", "全部", 1)
    last, note, page = review_tab.list_table("", "全部", "全部", "全部", "全部", 2)
    assert len(first) == 50 and len(last) == 3 and page == 2 and note == "共 53 份报告，第 2/2 页（每页 50 份）"
    overview = review_tab.summary_html("2024")
    assert "<b>区</b>" not in overview and "&lt;b&gt;区&lt;/b&gt;" in overview

    monkeypatch.setattr(files, "take", lambda path: (Path(path).name, Path(path).read_bytes()))
    upload = render(scjg_2024(), "txt", tmp_path / "up" / "scjg-2024.txt")
    assert review_tab.import_reports([str(upload)], "").startswith("导入完成：新增 1 份，重复 0 份，无法读取 0 份")
    assert "重复 1 份" in review_tab.import_reports([str(upload)], "")
    assert review_tab.import_reports([], "ftp://example.org/a.pdf") == "不是 http(s) 网址：ftp://example.org/a.pdf"
    assert review_tab.import_reports([], "  ") == "请上传报告文件，或在网址框中每行写一个网址。"

    out = tmp_path / "out"
    for kind in ("csv", "xlsx", "notices"):
        folder = out / kind
        folder.mkdir(parents=True)
        path = Path(review_tab.export_file(kind, folder))
        assert path.is_file() and path.stat().st_mode & 0o777 == 0o600
    assert (out / "csv" / "审核汇总.csv").read_text(encoding="utf-8-sig").startswith("id,agency,year")
    assert (out / "notices" / "整改通知.zip").stat().st_size > 0
    review_tab._store.cache_clear()


def test_review_tab_is_in_the_app_only_when_a_store_is_named(tmp_path, monkeypatch):
    from assistant.ui import review_tab, views

    def elem_ids():
        demo = views.build()
        return {getattr(block, "elem_id", None) for block in demo.blocks.values()}

    monkeypatch.delenv(review_tab.ENV, raising=False)
    assert "tab-review" not in elem_ids()
    monkeypatch.setenv(review_tab.ENV, str(tmp_path / "review.db"))
    assert {"tab-review", "review-table", "review-findings", "review-save"} <= elem_ids()
