"""Read image-only PDF pages (scans) by OCR, offline: text as `Line`s, ruled tables as `Grid`s.

The engine is RapidOCR's recogniser (the PP-OCR recognition model shipped inside the
`rapidocr-onnxruntime` wheel, run by onnxruntime); pages are rendered with pypdfium2. Everything
heavy is imported only when a page really needs OCR, so text PDFs and `--ocr never` never load it.

Tables are rebuilt from the ruling lines of the page image (morphological line masks), merged
cells from the walls that are missing between grid cells. Each cell is recognised on its own crop,
line by line (recognition only): detecting text on the whole page drops lone "0" cells and
reads a "0" touching a ruling as "0.". Every cell keeps its recognition confidence (`OcrText`), which the
table reader carries into `Cell.confidence` for rule T207.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from ..errors import InputError
from .model import Grid, OcrText

WORK_DPI = 200  # pages are read at this resolution (coarser scans are enlarged, finer ones reduced)
RENDER_DPI = 300  # a finer scan is rendered at most this fine before it is reduced
MAX_SIDE = 6000  # pixels of the longer side of a rendered page, whatever its size in points
UNSURE_BLANK = 0.5  # confidence of a blank cell with some ink, or of a reading no table cell holds
READABLE = 0.5  # below this a recognised text is more likely noise (a seal, a picture) than words
_engine = None


# ---------------------------------------------------------------- the document

def open_pdf(data: bytes):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except Exception:  # pdfium's PdfiumError and friends on damaged files
        raise InputError("无法打开 PDF 文件：文件已损坏或不是 PDF") from None


# ---------------------------------------------------------------- the engine

def engine():
    """RapidOCR's text recogniser, loaded once per process (the PP-OCR model inside the wheel; nothing
    is downloaded). Only recognition: lines and cells are cut from the page by its rulings and
    projections, which on these documents is surer and much cheaper than text detection."""
    global _engine
    if _engine is None:
        from ..guard import trusted_load

        _few_arenas()
        with trusted_load():  # model memory is not charged to the document
            import cv2  # noqa: F401  (its libraries are mapped here, outside the document's budget)
            from rapidocr_onnxruntime.ch_ppocr_rec import TextRecognizer
            from rapidocr_onnxruntime.main import DEFAULT_CFG_PATH
            from rapidocr_onnxruntime.utils import read_yaml
            from rapidocr_onnxruntime.utils.parse_parameters import update_model_path

            config = update_model_path(read_yaml(DEFAULT_CFG_PATH))["Rec"]
            # a narrow base shape, so that a lone "0" is not padded to the default 320 pixels
            config.update(intra_op_num_threads=min(2, os.cpu_count() or 1), inter_op_num_threads=1,
                          rec_img_shape=[3, 48, 48], rec_batch_num=16)
            _engine = TextRecognizer(config)
    return _engine


def _few_arenas() -> None:
    """glibc gives each thread that allocates its own 64 MB arena of address space; onnxruntime's
    threads would spend the worker's address-space budget on reservations, not on memory."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(-8, 2)  # M_ARENA_MAX
    except (OSError, AttributeError):  # not glibc: nothing to tune
        pass


def engine_loaded() -> bool:
    return _engine is not None


# ---------------------------------------------------------------- image helpers

def page_image(page):
    """A page as a grayscale array at WORK_DPI, and its scale in pixels per point.

    A finer scan is rendered at its own resolution (at most RENDER_DPI) and shrunk by area
    averaging: pdfium's own downsampling leaves jagged strokes that the recogniser doubts."""
    import cv2
    import numpy as np
    import pypdfium2.raw as pdfium_c

    native = 0.0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
        try:
            px_w, _ = obj.get_px_size()
            left, _, right, _ = obj.get_bounds()
        except Exception:  # an image pdfium cannot measure: it does not set the resolution
            continue
        if right - left > 72:  # an image at least an inch wide: the scan, not a logo
            native = max(native, px_w / ((right - left) / 72))
    width, height = page.get_width(), page.get_height()
    cap = min(MAX_SIDE / max(1.0, width), MAX_SIDE / max(1.0, height))  # an oversized page: bounded pixels
    scale = min(min(max(native, WORK_DPI), RENDER_DPI) / 72, cap)  # pdfium enlarges a coarse scan smoothly
    bitmap = page.render(scale=scale, grayscale=True)
    image = np.array(bitmap.to_numpy(), copy=True)
    if image.ndim == 3:
        image = image[..., 0]
    work = min(WORK_DPI / 72, cap)
    if scale > work * 1.05:
        image = cv2.resize(image, None, fx=work / scale, fy=work / scale, interpolation=cv2.INTER_AREA)
        scale = work
    return image, scale


def deskew(gray):
    """Rotate a page upright: the angle (±2°) that makes row projections sharpest."""
    import cv2
    import numpy as np

    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    ink = (small < 160).astype(np.float32)
    if ink.sum() < 50:
        return gray, 0.0
    h, w = ink.shape
    centre = (w / 2, h / 2)

    def score(angle: float) -> float:
        matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rotated = cv2.warpAffine(ink, matrix, (w, h), flags=cv2.INTER_NEAREST)
        return float(np.var(rotated.sum(axis=1)))

    best = max((a / 10 for a in range(-20, 21)), key=score)
    best = max((best + a / 50 for a in range(-5, 6)), key=score)
    if abs(best) < 0.02:
        return gray, 0.0
    matrix = cv2.getRotationMatrix2D((gray.shape[1] / 2, gray.shape[0] / 2), best, 1.0)
    upright = cv2.warpAffine(gray, matrix, (gray.shape[1], gray.shape[0]), flags=cv2.INTER_CUBIC,
                             borderMode=cv2.BORDER_CONSTANT, borderValue=255)
    return upright, best


def _runs(mask_1d, min_gap: int = 1):
    """(start, end) of the runs of True in a 1-D array, runs closer than `min_gap` joined."""
    runs = []
    start = None
    for i, on in enumerate(mask_1d):
        if on and start is None:
            start = i
        elif not on and start is not None:
            runs.append([start, i])
            start = None
    if start is not None:
        runs.append([start, len(mask_1d)])
    joined = []
    for run in runs:
        if joined and run[0] - joined[-1][1] < min_gap:
            joined[-1][1] = run[1]
        else:
            joined.append(run)
    return [tuple(r) for r in joined]


# ---------------------------------------------------------------- tables from ruling lines

@dataclass
class TableBox:
    x0: int
    y0: int
    x1: int
    y1: int
    ys: list[int]
    xs: list[int]
    cells: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 (exclusive)


def _line_masks(binary, dpi: float):
    import cv2

    length = max(15, round(dpi * 0.22))  # longer than any stroke of a character
    horizontal = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    vertical = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    return horizontal, vertical


def _positions(profile, threshold: float) -> list[int]:
    return [(a + b - 1) // 2 for a, b in _runs(profile >= threshold, min_gap=3)]


def find_tables(binary, dpi: float) -> list[TableBox]:
    """Ruled tables of a page: their grid lines and merged cells."""
    import cv2
    import numpy as np

    horizontal, vertical = _line_masks(binary, dpi)
    joined = cv2.dilate(horizontal | vertical, np.ones((5, 5), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    tables = []
    min_side = dpi * 0.3
    for i in range(1, count):
        x, y, w, h, _ = stats[i]
        if w < dpi * 1.5 or h < min_side:
            continue
        hsub = horizontal[y:y + h, x:x + w] > 0
        vsub = vertical[y:y + h, x:x + w] > 0
        unit = dpi * 0.2
        ys = _positions(hsub.sum(axis=1), unit)
        xs = _positions(vsub.sum(axis=0), unit * 0.8)
        if len(ys) < 2 or len(xs) < 2:
            continue
        box = TableBox(x, y, x + w, y + h, [y + v for v in ys], [x + v for v in xs])
        box.cells = _merged_cells(box, hsub, vsub, x, y)
        tables.append(box)
    return sorted(tables, key=lambda t: t.y0)


def _merged_cells(box: TableBox, hmask, vmask, ox: int, oy: int):
    """Union grid cells that no ruling separates; each group is one (possibly merged) cell."""
    import numpy as np

    rows, cols = len(box.ys) - 1, len(box.xs) - 1
    parent = list(range(rows * cols))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def wall(mask, fixed: int, lo: int, hi: int, vertical_wall: bool) -> bool:
        margin = max(2, (hi - lo) // 6)
        lo, hi = lo + margin, hi - margin
        if hi <= lo:
            return True
        band = mask[lo:hi, max(0, fixed - 3):fixed + 4] if vertical_wall else mask[max(0, fixed - 3):fixed + 4, lo:hi]
        hits = band.any(axis=1 if vertical_wall else 0)
        return float(np.mean(hits)) > 0.6

    xs = [x - ox for x in box.xs]
    ys = [y - oy for y in box.ys]
    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and not wall(vmask, xs[c + 1], ys[r], ys[r + 1], True):
                parent[find(r * cols + c)] = find(r * cols + c + 1)
            if r + 1 < rows and not wall(hmask, ys[r + 1], xs[c], xs[c + 1], False):
                parent[find(r * cols + c)] = find((r + 1) * cols + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(rows):
        for c in range(cols):
            groups.setdefault(find(r * cols + c), []).append((r, c))
    cells = []
    for members in groups.values():
        r0 = min(r for r, _ in members)
        c0 = min(c for _, c in members)
        r1 = max(r for r, _ in members) + 1
        c1 = max(c for _, c in members) + 1
        cells.append((r0, c0, r1, c1))
    return sorted(cells)


def _text_lines(binary_crop, min_height: int):
    """(y0, y1, x0, x1) of the text lines inside a cell crop, by row and column projections.

    A band lower than a character is kept when it is a free-standing flat stroke (a dash "—"),
    not a remnant of the cell's ruling along an edge of the crop."""
    rows = binary_crop.sum(axis=1) > 0
    height, width = binary_crop.shape[:2]
    out = []
    for y0, y1 in _runs(rows, min_gap=max(2, min_height // 2)):
        columns = binary_crop[y0:y1].sum(axis=0) > 0
        spans = _runs(columns)
        if not spans:
            continue
        x0, x1 = spans[0][0], spans[-1][1]
        if y1 - y0 < min_height:
            flat = x1 - x0 >= 2 * min_height and len(spans) == 1
            inside = y0 > 0 and y1 < height and x0 > 0 and x1 < width
            if not (flat and inside):
                continue
        out.append((y0, y1, x0, x1))
    return out


# ---------------------------------------------------------------- one page

_UNSURE_SINGLES = set("/1Il|LZ7\\-—一_～~")


def _symbol_check(text: str, score: float, ink, min_height: int) -> tuple[str, float]:
    """A lone "/" or "—" in a table cell, which the recogniser (trained on words) reads as "1", "L"
    or nothing, told by its shape: one stroke, diagonal or flat. Any other text is kept as read."""
    import cv2
    import numpy as np

    compact = _SPACES.sub("", text)
    if score >= READABLE and (len(compact) > 2 or (not set(compact) <= _UNSURE_SINGLES and score >= SURE)):
        return text, score  # a reading that is neither a lookalike of a stroke nor nonsense
    # a thin stroke may come apart after the noise filter: join what is a pixel or two apart
    ink = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    strokes = [i for i in range(1, count) if stats[i][4] >= max(4, min_height // 2)]
    if len(strokes) != 1:
        return text, score
    x, y, w, h, _ = stats[strokes[0]]
    ys, xs = np.nonzero(labels == strokes[0])
    if h >= min_height and 0.25 * h <= w <= 1.2 * h and xs.std() > 0 and ys.std() > 0:
        slope = float(np.corrcoef(xs, ys)[0, 1])  # image y grows downwards: "/" has x falling as y grows
        if slope < -0.85:
            return "/", min(0.99, -slope)
    if w >= min_height and h <= 0.25 * w:
        return "—", min(0.99, 1 - h / w)
    return text, score


_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "]": "1"})
_DIGITS_AND_LOOKALIKES = re.compile(r"^[0-9OoIl|\].,]*[0-9OoIl|\]]$")


def _digits(text: str) -> str:
    """A cell read as digits mixed with their lookalikes ("1O", "I") is a number; the recogniser's
    doubt stays in the confidence, so T207 still asks for a look."""
    if _DIGITS_AND_LOOKALIKES.match(text) and not text.isalpha() or text in ("I", "l", "|", "O", "o"):
        return text.translate(_LOOKALIKES)
    return text


def _only_ink(crop, loose, origin, keep, speck: int):
    """The crop with only the line's own strokes: what lies outside the line's band and the cell's
    inner box (bits of the rulings) and blobs smaller than `speck` pixels (scanner noise) are
    whitened; `loose` is a permissive ink mask, so faint edges of strokes stay. A speck or a
    ruling bit next to a digit reads as "." or "1"."""
    import cv2
    import numpy as np

    top, left = origin
    y0, y1, x0, x1 = keep
    h, w = crop.shape
    ys0, ys1 = max(0, y0 - top), min(h, y1 - top)
    xs0, xs1 = max(0, x0 - left), min(w, x1 - left)
    mask = np.zeros(crop.shape, np.uint8)
    mask[ys0:ys1, xs0:xs1] = loose[top + ys0:top + ys1, left + xs0:left + xs1]
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    small = [i for i in range(1, count) if stats[i][4] < speck]
    if small:
        mask[np.isin(labels, small)] = 0
    mask = cv2.dilate(mask, np.ones((3, 3), np.uint8))
    return np.where(mask > 0, crop, 255).astype(np.uint8)


SURE = 0.9  # a cell read less surely gets a second look (T207's default threshold)


def _second_look(recognise, crops, results):
    """Read the doubtful cell lines again from a softened copy. The recogniser's confidence drops on
    very sharp scans although it reads them right: two views that agree are trusted at the better
    confidence; where they disagree the doubt stays (the lower one)."""
    import cv2

    doubtful = [i for i, (_, score) in enumerate(results) if score < SURE]
    if not doubtful:
        return results
    again = recognise([cv2.GaussianBlur(crops[i], (0, 0), 0.8) for i in doubtful])[0]
    results = list(results)
    for i, (text, score) in zip(doubtful, again):
        first, first_score = results[i]
        if _SPACES.sub("", text) == _SPACES.sub("", first) and first:
            results[i] = (first, max(first_score, float(score)))
    return results


# what no cell of the 2021 tables holds: Latin letters, a number ending or starting in a point
_IMPLAUSIBLE = re.compile(r"[A-Za-z]|\d[.．]$|^[.．]\d")


MIN_RATIO = 1.0  # width / height of a cell crop; measured: a lone digit is read most surely at 0.9–1.1


def _widened(crop):
    """A narrow crop (a lone "0") padded with white to MIN_RATIO: cut tight, the recogniser doubts it."""
    import numpy as np

    height, width = crop.shape[:2]
    extra = int(MIN_RATIO * height) - width
    if extra <= 0:
        return crop
    return np.pad(crop, ((0, 0), (extra // 2, extra - extra // 2)), constant_values=255)


@dataclass
class PageResult:
    items: list[tuple[float, object]]  # (top in PDF points, Line tuple or Grid)
    confidences: list[float]
    chars: int  # characters recognised with at least READABLE confidence


_SPACES = re.compile(r"\s+")


def read_page(page, number: int, tables_seen: int) -> PageResult:
    """OCR one page: ruled tables cell by cell, the other text by detection and recognition."""
    recognise = engine()  # first: it maps the libraries outside the document's memory budget
    import cv2

    gray, scale = page_image(page)
    dpi = scale * 72
    gray, _ = deskew(gray)
    # ink from a smoothed copy, so that scanner noise stays under the threshold (crops keep the
    # original); a median filter would also eat the thin diagonal of a "/"
    smooth = cv2.GaussianBlur(gray, (3, 3), 0)
    level, binary = cv2.threshold(smooth, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    # a looser threshold for what a cell's crop keeps: faint edges of strokes too, not the paper
    loose = ((smooth < level + 0.4 * (255 - level)) * 255).astype(smooth.dtype)
    speck = max(3, round((dpi / 100) ** 2 * 2))
    tables = find_tables(binary, dpi)
    min_text = max(4, round(dpi * 0.03))
    pad = max(3, round(dpi * 0.02))
    crops, ink = [], []
    table_cells, smudged = [], []
    for box in tables:
        cells, dirty = {}, set()
        for r0, c0, r1, c1 in box.cells:
            x0, x1 = box.xs[c0], box.xs[c1]
            y0, y1 = box.ys[r0], box.ys[r1]
            inset = max(3, round(dpi * 0.018))
            inner = binary[y0 + inset:y1 - inset, x0 + inset:x1 - inset]
            cells[(r0, c0, r1, c1)] = []
            if inner.size == 0:
                continue
            lines = _text_lines(inner, min_text)
            margin = max(1, inset // 2)
            if not lines and inner[margin:-margin, margin:-margin].sum() // 255 >= min_text:
                dirty.add((r0, c0, r1, c1))
            for ly0, ly1, lx0, lx1 in lines:
                ay0, ay1 = max(0, y0 + inset + ly0 - pad), min(gray.shape[0], y0 + inset + ly1 + pad)
                ax0, ax1 = max(0, x0 + inset + lx0 - pad), min(gray.shape[1], x0 + inset + lx1 + pad)
                crop = _only_ink(gray[ay0:ay1, ax0:ax1], loose, (ay0, ax0),
                                 (y0 + inset + ly0, y0 + inset + ly1, x0 + inset, x1 - inset), speck)
                crops.append(cv2.cvtColor(_widened(crop), cv2.COLOR_GRAY2BGR))
                ink.append(inner[ly0:ly1, lx0:lx1])
                cells[(r0, c0, r1, c1)].append(len(crops) - 1)
        table_cells.append(cells)
        smudged.append(dirty)
    results = [_symbol_check(text, float(score), ink[i], min_text)
               for i, (text, score) in enumerate(recognise(crops)[0] if crops else [])]
    results = _second_look(recognise, crops, results)
    confidences: list[float] = []
    chars = 0
    items: list[tuple[float, object]] = []
    for t, box in enumerate(tables):
        rows, cols = len(box.ys) - 1, len(box.xs) - 1
        grid = [["" for _ in range(cols)] for _ in range(rows)]
        for (r0, c0, r1, c1), indices in table_cells[t].items():
            texts = [_SPACES.sub("", results[i][0]) for i in indices]
            scores = [float(results[i][1]) for i in indices]
            # a cell without text lines but with a few dots of ink is blank only probably
            confidence = min(scores) if scores else (UNSURE_BLANK if (r0, c0, r1, c1) in smudged[t] else 1.0)
            text = _digits("".join(texts))
            if _IMPLAUSIBLE.search(text):
                confidence = min(confidence, UNSURE_BLANK)
            value = OcrText(text, confidence)
            if indices:
                confidences.append(confidence)
                chars += len(value) if confidence >= READABLE else 0
            for r in range(r0, r1):
                for c in range(c0, c1):
                    grid[r][c] = value  # merged cells repeat their text, as in HTML and Word tables
        n = tables_seen + t + 1
        items.append((box.y0 / scale, Grid(grid, f"第{number}页第{n}个表格")))
    # the running text: detection on the page with the tables blanked out
    text_ink = binary.copy()
    for box in tables:
        text_ink[max(0, box.y0 - 3):box.y1 + 4, max(0, box.x0 - 3):box.x1 + 4] = 0
    for text, conf, x0, x1, top in _page_text(recognise, gray, text_ink, min_text, pad):
        confidences.append(conf)
        chars += len(text) if conf >= READABLE else 0
        items.append((top / scale, (text, x0 / scale, x1 / scale, f"第{number}页")))
    return PageResult(items, confidences, chars)


def _segments(binary, min_height: int):
    """Boxes (x0, y0, x1, y1) of the text runs of a page (tables blanked out), top to bottom.

    Rows of ink make lines; a line splits where a gap is wider than two characters (a date set
    to the right). Pictures (bands far taller than a text line) are left out.
    """
    import numpy as np

    rows = binary.sum(axis=1) > 0
    bands = [(y0, y1) for y0, y1 in _runs(rows, min_gap=max(2, min_height // 3)) if y1 - y0 >= min_height]
    if not bands:
        return []
    typical = float(np.median([y1 - y0 for y0, y1 in bands]))
    boxes = []
    for y0, y1 in bands:
        if y1 - y0 > 3 * typical and y1 - y0 > 6 * min_height:
            continue
        height = y1 - y0
        columns = binary[y0:y1].sum(axis=0) > 0
        for x0, x1 in _runs(columns, min_gap=round(2 * height)):
            if x1 - x0 >= min_height // 2:
                boxes.append((x0, y0, x1, y1))
    return boxes


def _chunks(binary_line, x0: int, x1: int, height: int) -> list[tuple[int, int]]:
    """Split a long run at gaps between characters so recognition cost stays linear in width."""
    limit = 18 * height
    if x1 - x0 <= limit:
        return [(x0, x1)]
    columns = binary_line[:, x0:x1].sum(axis=0) > 0
    gaps = [(a + b) // 2 + x0 for a, b in _runs(~columns)]
    out, start = [], x0
    while x1 - start > limit:
        candidates = [g for g in gaps if start + limit // 2 < g <= start + limit]
        cut = candidates[-1] if candidates else start + limit
        out.append((start, cut))
        start = cut
    out.append((start, x1))
    return out


def _page_text(recognise, gray, binary, min_height: int, pad: int):
    """Text lines outside tables: (text, confidence, x0, x1, top) top to bottom."""
    import cv2

    boxes = _segments(binary, min_height)
    crops, owners = [], []
    for b, (x0, y0, x1, y1) in enumerate(boxes):
        for c0, c1 in _chunks(binary[y0:y1], x0, x1, y1 - y0):
            ay0, ay1 = max(0, y0 - pad), min(gray.shape[0], y1 + pad)
            ax0, ax1 = max(0, c0 - pad), min(gray.shape[1], c1 + pad)
            crop = gray[ay0:ay1, ax0:ax1].copy()
            crop[:, :c0 - ax0] = 255  # the margin shows nothing of the neighbouring chunk
            crop[:, crop.shape[1] - (ax1 - c1):] = 255
            crops.append(cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR))
            owners.append(b)
    results = recognise(crops)[0] if crops else []
    texts: dict[int, list[tuple[str, float]]] = {}
    for owner, (text, score) in zip(owners, results):
        texts.setdefault(owner, []).append((text.strip(), float(score)))
    lines: list[list[tuple]] = []
    for b, (x0, y0, x1, y1) in enumerate(boxes):
        parts = [p for p in texts.get(b, []) if p[0]]
        if not parts:
            continue
        entry = (x0, y0, x1, y1, "".join(p[0] for p in parts), min(p[1] for p in parts))
        if lines and lines[-1][0][1] == y0:
            lines[-1].append(entry)
        else:
            lines.append([entry])
    out = []
    for line in lines:
        text = " ".join(e[4] for e in line)
        out.append((text, min(e[5] for e in line), line[0][0], line[-1][2], line[0][1]))
    return out
