"""Check the report corpus: specs, rendered documents and expected results agree.

    python corpus/reports/verify_specs.py            # check everything
    python corpus/reports/verify_specs.py --render   # re-render every spec first

For every NAME.expected.json it checks that
- the rendered document is exactly what ``tests.support.render`` makes from specs/NAME.json
  (skipped for hand-written files, whose spec has ``hand_written``);
- ``tables`` equals what the spec shows (``parsed_tables``), except for truncated files;
- the table findings computed here (T203 T205 T301 T302 T303 T401, C502 C503 with
  ``previous``) are exactly the table/cross-year rules listed in ``defects``;
- docx/pdf/html documents carry every table cell (read back with python-docx, pdfplumber
  and the standard HTML parser);
- 总体情况 of every spec has 300-1200 Chinese characters.
Exit status 1 when anything is wrong.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.support import render as R  # noqa: E402

COMPUTED_RULES = {"T203", "T205", "T301", "T302", "T303", "T401", "C502", "C503"}
RESULT_KEYS = R.T3_ROW_KEYS[2:R.T3_ROW_KEYS.index("总计")]


def num(v):
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def table_findings(exp: dict) -> list[tuple[str, str]]:
    """(rule, where) for the arithmetic and cell rules, computed from expected tables."""
    out = []
    t2, t3, t4 = (exp["tables"].get(k) for k in ("table2", "table3", "table4"))
    absent = {i["row"] for i in exp.get("table_issues", ()) if i["kind"] in ("missing_row", "collapsed_row")}
    absent |= {k for k in R.T3_ROW_KEYS for c in exp.get("collapsed_rows", {}) if k.startswith(c + "/")}
    if t2:
        for row, cells in t2.items():
            for col, v in cells.items():
                if isinstance(v, str):
                    out.append(("T205" if row == "行政事业性收费" and "元" in v else "T203", f"table2 {row}/{col}"))
    if t3:
        for row, cells in t3.items():
            for col, v in cells.items():
                if isinstance(v, str) or (v is None and row not in absent):
                    out.append(("T203", f"table3 {row}/{col}"))
        if not exp.get("truncated"):
            val = lambda r, c: num(t3[r][c]) or 0  # noqa: E731
            extra = exp.get("collapsed_rows", {})
            for row in R.T3_ROW_KEYS:
                if row not in absent and val(row, "总计") != sum(val(row, c) for c in R.APPLICANT_COLS[:6]):
                    out.append(("T301", row))
            for col in R.APPLICANT_COLS:
                results = sum(val(r, col) for r in RESULT_KEYS) + sum(v[col] for v in extra.values())
                if results != val("总计", col):
                    out.append(("T302", col))
                if val("本年新收", col) + val("上年结转", col) != val("总计", col) + val("结转下年度继续办理", col):
                    out.append(("T303", col))
    if t4:
        for group, cells in t4.items():
            for col, v in cells.items():
                if isinstance(v, str) or v is None:
                    out.append(("T203", f"table4 {group}/{col}"))
            values = [num(cells[c]) for c in R.T4_COLS]
            if None not in values and values[-1] != sum(values[:-1]):
                out.append(("T401", group))
    return out


def cross_year(exp: dict, prev: dict) -> list[tuple[str, str]]:
    out = []
    t3, p3 = exp["tables"]["table3"], prev["tables"]["table3"]
    for col in R.APPLICANT_COLS:
        if t3["上年结转"][col] != p3["结转下年度继续办理"][col]:
            out.append(("C502", col))
    t2, p2 = exp["tables"]["table2"], prev["tables"]["table2"]
    for row in ("规章", "行政规范性文件"):
        cur, last = t2[row], p2[row]
        if cur["现行有效件数"] != last["现行有效件数"] + cur["本年制发件数"] - cur["本年废止件数"]:
            out.append(("C503", row))
    return out


# ---------------------------------------------------------------- reading documents back

class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.cells, self._buf = [], None

    def handle_starttag(self, tag, attrs):
        if tag in ("td", "th"):
            self._buf = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._buf is not None:
            self.cells.append("".join(self._buf).strip())
            self._buf = None

    def handle_data(self, data):
        if self._buf is not None:
            self._buf.append(data)


def document_cells(path: Path, encoding: str) -> list[str]:
    if path.suffix == ".html":
        p = _Cells()
        p.feed(path.read_bytes().decode(encoding))
        return p.cells
    if path.suffix == ".docx":
        import docx
        cells = []
        for table in docx.Document(str(path)).tables:
            seen = set()
            for row in table.rows:
                for cell in row.cells:
                    if cell._tc not in seen:  # a merged cell repeats in every row/column it spans
                        seen.add(cell._tc)
                        cells.append(cell.text)
        return cells
    import pdfplumber
    with pdfplumber.open(str(path)) as pdf:
        return [c for page in pdf.pages for t in page.extract_tables() for row in t for c in row if c is not None]


def spec_cells(spec: dict, fmt: str) -> list[str]:
    covered_cells = []
    for kind, grid in R.build_blocks(spec, fmt):
        if kind == "table":
            hidden = grid.covered()
            covered_cells += [t for r, row in enumerate(grid.rows) for c, t in enumerate(row) if (r, c) not in hidden]
    return covered_cells


def numbers(cells) -> Counter:
    return Counter(c.strip() for c in cells if re.fullmatch(r"\s*-?[\d.,]+\s*", c or ""))


# ---------------------------------------------------------------- main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--render", action="store_true", help="re-render every spec to its document first")
    args = ap.parse_args(argv)
    problems = []
    expected = {p.name[:-len(".expected.json")]: json.loads(p.read_text(encoding="utf-8"))
                for p in sorted(HERE.glob("*.expected.json"))}
    for name, exp in expected.items():
        say = lambda msg, name=name: problems.append(f"{name}: {msg}")  # noqa: E731
        src = HERE / exp["source"]
        spec_path = HERE / "specs" / f"{name}.json"
        spec = json.loads(spec_path.read_text(encoding="utf-8")) if spec_path.exists() else None
        fmt = src.suffix.lstrip(".")
        if spec and not spec.get("hand_written") and args.render:
            R.render(spec, fmt, src)
        if not src.exists():
            say(f"missing document {src.name}")
            continue
        if spec and not spec.get("hand_written"):
            with tempfile.TemporaryDirectory() as tmp:
                again = R.render(spec, fmt, Path(tmp) / src.name)
                if again.read_bytes() != src.read_bytes():
                    say("document differs from a fresh rendering of its spec (run with --render)")
            if fmt in ("html", "docx", "pdf"):
                got, want = numbers(document_cells(src, spec.get("html_encoding") or "utf-8")), numbers(spec_cells(spec, fmt))
                if got != want:
                    say(f"table cells read back differ: missing {dict(want - got)}, extra {dict(got - want)}")
        if spec and not spec.get("truncate_at") and exp["tables"] != R.parsed_tables(spec):
            say("expected tables differ from parsed_tables(spec)")
        if spec and spec.get("parts"):
            p1 = next((p for p in spec["parts"] if p["number"] == 1), None)
            chars = len(re.findall(r"[\u4e00-\u9fff]", "".join((p1 or {}).get("paragraphs", []))))
            if p1 and p1.get("paragraphs") and not 300 <= chars <= 1200:
                say(f"总体情况 has {chars} Chinese characters (want 300-1200)")
        if all(exp["tables"].get(k) is None for k in ("table2", "table3", "table4")):
            continue
        found = table_findings(exp)
        prev = exp.get("previous")
        if prev:
            if prev not in expected:
                say(f"previous report {prev} not in the corpus")
            else:
                found += cross_year(exp, expected[prev])
        computed = {rule for rule, _ in found}
        listed = {d["rule"] for d in exp["defects"]} & COMPUTED_RULES
        tolerated = set(exp.get("tolerated", ()))
        if computed - listed - tolerated or listed - computed:
            say(f"computed {sorted(found)} but defects list {sorted(listed)}")
    for p in problems:
        print("FAIL", p)
    print(f"{len(expected)} reports checked, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
