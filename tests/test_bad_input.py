"""Bad input gets a one-line Chinese reason and exit status 2: never a traceback, never a hang."""
import io
import subprocess
import sys
import time
import zipfile

import pytest

from conftest import ROOT, SEED

NEWS = """本报讯　11月20日，青石县举办政务公开业务培训班，县直各部门和各乡镇政务公开工作人员共120余人参加培训。
培训邀请省内专家围绕政府信息公开申请办理、政策解读等内容进行授课，并结合典型案例进行了分析。
参训人员纷纷表示，通过培训进一步提高了业务能力，将把所学知识运用到实际工作中。（记者　李明）
"""


def run_check(path, timeout=20):
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "assistant", "check", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)
    return proc, time.perf_counter() - start


def blank_pdf(path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.rect(100, 100, 300, 400, fill=1)  # a "scanned" page: pixels and shapes, no text
    pdf.showPage()
    pdf.save()


def zip_bomb(path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as entry:
            chunk = b"\0" * (1 << 20)
            for _ in range(40):
                entry.write(chunk)
    path.write_bytes(buffer.getvalue())


def huge_file(path):
    line = ("一、总体情况\t" + "0\t" * 30 + "\n").encode()
    with open(path, "wb") as handle:
        handle.write(line * (50 * 1024 * 1024 // len(line) + 1))


@pytest.mark.parametrize("name,make,expect", [
    ("empty.txt", lambda p: p.write_bytes(b""), "为空"),
    ("blank.txt", lambda p: p.write_text("  \n\t\n"), "为空"),
    ("garbage.txt", lambda p: p.write_bytes(bytes(range(256)) * 64), "二进制"),
    ("garbage.pdf", lambda p: p.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 64), "PDF"),
    ("huge.txt", huge_file, "过大"),
    ("scan.pdf", blank_pdf, "文字层"),
    ("bomb.docx", zip_bomb, "压缩"),
    ("broken.docx", lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 200), "docx"),
    ("news.txt", lambda p: p.write_text(NEWS, encoding="utf-8"), "不是政府信息公开工作年度报告"),
    ("truncated.txt", lambda p: p.write_text(SEED.read_text(encoding="utf-8").split("(四) 无法提供")[0],
                                             encoding="utf-8"), "不完整"),
    ("missing.txt", None, "无法读取"),
    ("folder", lambda p: p.mkdir(), "目录"),
    ("old.doc", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100), ".docx"),
])
def test_bad_input(tmp_path, name, make, expect):
    path = tmp_path / name
    if make:
        make(path)
    proc, seconds = run_check(path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), proc.stderr
    assert expect in lines[0]
    assert seconds < 5


def test_stdin_empty():
    proc = subprocess.run([sys.executable, "-m", "assistant", "check", "-"], cwd=ROOT, input="",
                          capture_output=True, text=True, timeout=20)
    assert proc.returncode == 2 and "为空" in proc.stderr


def test_stdin_report():
    proc = subprocess.run([sys.executable, "-m", "assistant", "check", "-", "--format", "json"], cwd=ROOT,
                          input=SEED.read_text(encoding="utf-8"), capture_output=True, text=True, timeout=20)
    assert proc.returncode == 1  # the sample has an error finding (part 五 “无”)
    assert '"agency": "周口市行政服务中心"' in proc.stdout
