"""Scanned reports (image-only PDFs) are read by OCR: tables cell by cell, parts and metadata as in
the text version; a doubtful cell is reported by T207. The scans are rendered from our corpus specs
at test time (tests/support/scan.py: Noto CJK, ruled tables, skew up to 1°, blur, noise)."""
import json
import subprocess
import sys
from dataclasses import replace

import pytest
from support.render import load_spec, parsed_tables
from support.scan import fonts_available, render_scan

from assistant.checker import CheckOptions, check_path
from assistant.document import read_document
from assistant.document.reader import document_from_bytes
from assistant.errors import InputError
from assistant.limits import budget
from assistant.render.report import render_text

from conftest import CORPUS, ROOT

pytestmark = pytest.mark.skipif(not fonts_available(), reason="fonts-noto-cjk is not installed")

SPECS = CORPUS / "specs"
THRESHOLD = 0.9  # T207's default (assistant/rules/default_config.toml)


def _cells(expected: dict):
    for key, table in expected.items():
        for row, cols in (table or {}).items():
            for col, value in cols.items():
                yield key, row, col, value


@pytest.fixture(scope="module", params=[("anping-scjg-2023", 150, 1, 0.6), ("qingshi-rlsb-2023", 200, 2, 0.2)],
                ids=lambda p: f"{p[0]}-{p[1]}dpi-blur{p[3]}")
def scanned(request, tmp_path_factory):
    """A corpus report printed, scanned and checked: (spec, expected.json, check result, its JSON).
    The second is a sharp scan: the recogniser doubts sharp glyphs more, T207 must not flood."""
    name, dpi, seed, blur = request.param
    spec = load_spec(SPECS / f"{name}.json")
    path = render_scan(spec, tmp_path_factory.mktemp("scan") / f"{name}.pdf", dpi=dpi, seed=seed, blur=blur)
    result = check_path(path, options=CheckOptions(nlp=False))
    expected = json.loads((CORPUS / f"{name}.expected.json").read_text(encoding="utf-8"))
    return spec, expected, result, result.to_json()


def test_scanned_tables_read_right_and_every_wrong_cell_flagged(scanned):
    spec, _, result, data = scanned
    flagged = {(f["location"]["table"], f["location"]["row"], f["location"].get("column"))
               for f in data["findings"] if f["rule"] == "T207"}
    cells = list(_cells(parsed_tables(spec)))
    wrong = [(key, row, col) for key, row, col, value in cells
             if (data["tables"][key] or {}).get(row, {}).get(col) != value]
    assert len(wrong) <= 0.005 * len(cells), wrong
    assert all((key, row, col) in flagged or (key, row, None) in flagged for key, row, col in wrong), wrong
    assert len(flagged) <= 0.1 * len(cells), sorted(flagged)  # doubts are the exception, not the rule
    for key, table in result.document.tables.items():
        for cols in table.cells.values():
            assert all(cell.confidence is not None for cell in cols.values()), key


def test_scanned_parts_and_metadata_as_in_the_text_version(scanned):
    _, expected, result, data = scanned
    assert [p["number"] for p in data["parts"] if p["found"]] == expected["parts_found"]
    for field in ("title", "agency", "year", "agency_kind", "level"):
        assert data["report"][field] == expected["report"][field], field
    ocr = data["report"]["ocr"]
    assert ocr["pages"] == 3 and 0.9 < ocr["mean_confidence"] <= 1
    assert "扫描件：3 页经文字识别读取" in render_text(result.document, result.findings)
    assert {p["part"] for p in data["paragraphs"]} >= {1, 5, 6}
    # the identities hold, so the rules that check them stay silent
    assert not [f for f in data["findings"] if f["rule"] in ("T301", "T302", "T303", "T401", "T201", "T202")]


def test_text_report_json_has_no_ocr_entry():
    data = check_path(CORPUS / "anping-scjg-2023.pdf", options=CheckOptions(nlp=False)).to_json()
    assert "ocr" not in data["report"]
    assert not [f for f in data["findings"] if f["rule"] == "T207"]


@pytest.fixture(scope="module")
def one_page_scan(tmp_path_factory):
    spec = load_spec(SPECS / "anping-scjg-2023.json")
    return render_scan(spec, tmp_path_factory.mktemp("scan1") / "page1.pdf", dpi=150, seed=5, pages=1)


def _cli(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "assistant", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def test_ocr_never_keeps_the_no_text_layer_refusal(one_page_scan):
    proc = _cli("check", one_page_scan, "--ocr", "never")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "错误：PDF 没有文字层（可能是扫描件或图片），请提供可复制文字的 PDF 或先做文字识别"


def test_too_many_pages_to_ocr_refused_before_any_ocr(one_page_scan):
    with pytest.raises(InputError, match="扫描页过多"):
        document_from_bytes(one_page_scan.read_bytes(), "scan.pdf", replace(budget(), max_ocr_pages=0))


def test_pages_to_ocr_auto_force_never(one_page_scan, tmp_path):
    """A PDF of a text page and a scanned page: auto reads only the scan by OCR, force both."""
    import pypdfium2 as pdfium

    merged = pdfium.PdfDocument.new()
    merged.import_pages(pdfium.PdfDocument(CORPUS / "anping-scjg-2023.pdf"), [0])
    merged.import_pages(pdfium.PdfDocument(one_page_scan))
    path = tmp_path / "mixed.pdf"
    merged.save(path)
    auto = read_document(path)
    assert auto.ocr["pages"] == 1 and auto.meta.agency == "安平市市场监督管理局"
    assert read_document(path, ocr="never").ocr is None
    assert read_document(path, ocr="force").ocr["pages"] == 2


def _image_pdf(path, draw):
    from PIL import Image, ImageDraw

    page = Image.new("L", (1240, 1754), 255)
    draw(ImageDraw.Draw(page))
    page.save(path, "PDF", resolution=150)
    return path


@pytest.mark.parametrize("name,draw", [
    ("blank", lambda d: None),
    ("seal", lambda d: (d.ellipse((500, 700, 800, 1000), outline=60, width=9),
                        d.regular_polygon((650, 850, 50), 5, fill=60))),
    ("picture", lambda d: [d.rectangle((100 + 90 * i, 200 + 40 * i, 300 + 90 * i, 500 + 30 * i), fill=40 + 20 * i)
                           for i in range(8)]),
])
def test_scan_without_report_text_exits_2(tmp_path, name, draw):
    proc = _cli("check", _image_pdf(tmp_path / f"{name}.pdf", draw))
    assert proc.returncode == 2, proc.stdout
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：PDF 没有文字层"), proc.stderr


def test_text_pdf_never_loads_the_ocr_engine():
    """Reading a text PDF (in this process, as a worker does) imports neither RapidOCR,
    onnxruntime nor OpenCV; `--ocr never` on a scan neither."""
    code = ("import sys, json\n"
            "from assistant.document.reader import document_from_bytes\n"
            "from assistant.limits import budget\n"
            f"document_from_bytes(open({str(CORPUS / 'anping-scjg-2023.pdf')!r}, 'rb').read(), 'r.pdf', budget())\n"
            "print(json.dumps(sorted(sys.modules)))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    loaded = set(json.loads(proc.stdout.strip().splitlines()[-1]))
    assert not {m for m in loaded if m.split(".")[0] in ("rapidocr_onnxruntime", "onnxruntime", "cv2")}


def test_web_check_shows_ocr_progress_per_page(one_page_scan):
    from assistant.ui import present, service

    calls = []
    checked = service.check(upload=service.Upload("scan.pdf", one_page_scan.read_bytes()),
                            progress=lambda fraction, desc: calls.append((fraction, desc)))
    assert calls[0] == (0.0, "扫描件：逐页文字识别，共 1 页")
    assert calls[-1] == (1.0, "文字识别：已完成 1/1 页")
    assert "1 页经文字识别读取" in present.summary_markdown(checked.data, checked.summary)


def test_batch_passes_the_ocr_mode(one_page_scan):
    proc = _cli("batch", one_page_scan, "--ocr", "never", "--format", "json", "--quiet", "--no-nlp")
    rows = json.loads(proc.stdout)
    assert proc.returncode == 0 and rows[0]["error"].startswith("PDF 没有文字层")
