"""Render a report *spec* as a scanned, image-only PDF (for the OCR tests and `bench --ocr`).

The pages are drawn with Pillow and the Noto CJK fonts of Debian's ``fonts-noto-cjk`` (ruled
tables with merged cells, indented paragraphs), then degraded like a scanner does it: a slight
skew (at most 1°), a mild blur and noise, at 150 or 200 dpi. Deterministic for a given seed.

Command line: ``python -m tests.support.scan SPEC.json OUT.pdf [--dpi 150] [--seed 0]``.
"""
from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

from .render import build_blocks, load_spec

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
SERIF = FONT_DIR / "NotoSerifCJK-Regular.ttc"
BOLD = FONT_DIR / "NotoSansCJK-Bold.ttc"
SC = 2  # index of the Simplified Chinese face in the Noto CJK collections
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
A4_MM = (210.0, 297.0)


def fonts_available() -> bool:
    return SERIF.exists() and BOLD.exists()


class _Pages:
    def __init__(self, dpi: int):
        from PIL import Image, ImageDraw, ImageFont

        self.Image, self.ImageDraw = Image, ImageDraw
        self.dpi = dpi
        self.mm = dpi / 25.4
        self.width, self.height = round(A4_MM[0] * self.mm), round(A4_MM[1] * self.mm)
        self.left, self.right = round(18 * self.mm), self.width - round(18 * self.mm)
        self.top, self.bottom = round(20 * self.mm), self.height - round(20 * self.mm)
        pt = dpi / 72
        self.fonts = {
            "title": ImageFont.truetype(str(BOLD), round(16 * pt), index=SC),
            "heading": ImageFont.truetype(str(BOLD), round(12 * pt), index=SC),
            "para": ImageFont.truetype(str(SERIF), round(10.5 * pt), index=SC),
            "cell": ImageFont.truetype(str(SERIF), round(9 * pt), index=SC),
        }
        self.line = max(1, round(dpi / 110))
        self.pages = []
        self.new_page()

    def new_page(self) -> None:
        self.page = self.Image.new("L", (self.width, self.height), 255)
        self.draw = self.ImageDraw.Draw(self.page)
        self.pages.append(self.page)
        self.y = self.top

    def wrap(self, text: str, font, width: float, indent: float = 0.0) -> list[str]:
        lines, current, room = [], "", width - indent
        for ch in text:
            if current and font.getlength(current + ch) > room:
                lines.append(current)
                current, room = "", width
            current += ch
        if current or not lines:
            lines.append(current)
        return lines

    def text_block(self, text: str, kind: str, align: str = "left", indent_chars: int = 0,
                   before: float = 0.0, after: float = 0.0) -> None:
        font = self.fonts[kind]
        size = font.size
        leading = round(size * 1.6)
        indent = indent_chars * size
        lines = self.wrap(text, font, self.right - self.left, indent)
        self.y += round(before * size)
        for i, line in enumerate(lines):
            if self.y + leading > self.bottom:
                self.new_page()
            width = font.getlength(line)
            if align == "center":
                x = (self.left + self.right - width) / 2
            elif align == "right":
                x = self.right - width
            else:
                x = self.left + (indent if i == 0 else 0)
            self.draw.text((x, self.y), line, font=font, fill=0)
            self.y += leading
        self.y += round(after * size)

    def table(self, g) -> None:
        font = self.fonts["cell"]
        size = font.size
        pad = round(size * 0.35)
        leading = round(size * 1.3)
        total = sum(g.widths)
        span_width = self.right - self.left
        xs = [self.left]
        for w in g.widths:
            xs.append(xs[-1] + span_width * w / total)
        xs = [round(x) for x in xs]
        covered = g.covered()
        anchors = {}
        for r, row in enumerate(g.rows):
            for c, text in enumerate(row):
                if (r, c) in covered:
                    continue
                rs, cs = g.spans.get((r, c), (1, 1))
                lines = self.wrap(text, font, xs[c + cs] - xs[c] - 2 * pad) if text else []
                anchors[(r, c)] = (rs, cs, text, lines)
        n = len(g.rows)
        heights = [leading + 2 * pad] * n
        for (r, _c), (rs, _cs, _text, lines) in sorted(anchors.items(), key=lambda kv: kv[1][0]):
            need = len(lines) * leading + 2 * pad
            have = sum(heights[r:r + rs])
            if need > have:
                heights[r + rs - 1] += need - have
        # a page may break only between rows that no merged cell spans
        legal = {0, n} | {b for b in range(1, n)
                          if not any(r < b < r + rs for (r, _), (rs, *_rest) in anchors.items())}
        start = 0
        if self.y + sum(heights) > self.bottom and self.y > self.top:
            self.new_page()
        while start < n:
            room = self.bottom - self.y
            end, used = start, 0
            for b in sorted(b for b in legal if b > start):
                if used + sum(heights[end:b]) > room and end > start:
                    break
                used += sum(heights[end:b])
                end = b
            self._draw_rows(g, anchors, xs, heights, start, end, font, pad, leading)
            start = end
            if start < n:
                self.new_page()
        self.y += round(size * 0.8)

    def _draw_rows(self, g, anchors, xs, heights, start, end, font, pad, leading) -> None:
        ys = [self.y]
        for h in heights[start:end]:
            ys.append(ys[-1] + h)
        for (r, c), (rs, cs, text, lines) in anchors.items():
            if not start <= r < end:
                continue
            x0, x1 = xs[c], xs[c + cs]
            y0, y1 = ys[r - start], ys[r - start + rs]
            self.draw.rectangle((x0, y0, x1, y1), outline=0, width=self.line)
            block = len(lines) * leading
            ty = (y0 + y1 - block) / 2 + (leading - font.size) / 2
            for line in lines:
                width = font.getlength(line)
                x = (x0 + x1 - width) / 2 if _NUMBER.match(text) or len(lines) == 1 and width < (x1 - x0) * 0.5 \
                    else x0 + pad
                self.draw.text((x, ty), line, font=font, fill=0)
                ty += leading
        self.y = ys[-1]


def render_pages(spec: dict, dpi: int = 150):
    """Clean page images (Pillow, mode L) of a spec."""
    pages = _Pages(dpi)
    for kind, x in build_blocks(spec, "pdf"):
        if kind == "title":
            if x:  # a report may have no title line
                pages.text_block(x, "title", align="center", after=0.8)
        elif kind == "heading":
            pages.text_block(x, "heading", before=0.3, after=0.2)
        elif kind == "table":
            pages.table(x)
        elif kind == "closing":
            for line in x:
                pages.text_block(line, "para", align="right")
        else:
            pages.text_block(x, "para", indent_chars=2)
    return pages.pages


def degrade(page, rng: random.Random, max_skew: float = 1.0, blur: float = 0.6, noise: float = 10.0):
    """A page as a scanner gives it back: rotated a little, softened and noisy."""
    import numpy as np
    from PIL import Image, ImageFilter

    angle = rng.uniform(-max_skew, max_skew)
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if blur:
        page = page.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        pixels = np.asarray(page, dtype=np.float32)
        pixels = pixels + np.random.default_rng(rng.randrange(2**32)).normal(0, noise, pixels.shape)
        page = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")
    return page


def render_scan(spec: dict, path, dpi: int = 150, seed: int = 0, max_skew: float = 1.0,
                blur: float = 0.6, noise: float = 10.0, pages: int | None = None) -> Path:
    """Write an image-only PDF of the spec (the first `pages` pages when given); return its path."""
    rng = random.Random(seed)
    images = [degrade(p, rng, max_skew, blur, noise) for p in render_pages(spec, dpi)[:pages]]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    images[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=images[1:], quality=85)
    return path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.support.scan", description="Render a spec as a scanned PDF.")
    ap.add_argument("spec")
    ap.add_argument("out")
    ap.add_argument("--dpi", type=int, default=150)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    render_scan(load_spec(args.spec), args.out, args.dpi, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
