"""How a check looks in the browser: rows, Markdown and HTML built from the `check --format json` object."""
from __future__ import annotations

import re
from collections import defaultdict
from html import escape

from ..document.schema import PART_NUMERALS, TABLE3_COLUMNS, TABLE4_GROUPS, TABLE_NAMES, part_heading
from ..nlp.schemes import SCHEMES
from ..numerals import to_chinese
from ..render.report import SEVERITY_LABEL
from ..rules.base import FAMILIES, describe_location

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
AGENCY_KINDS = {"government": "人民政府", "department": "政府部门", "other": "其他机关"}
SEVERITY_BY_LABEL = {label: key for key, label in SEVERITY_LABEL.items()}
FINDING_HEADERS = ["级别", "规则", "类别", "位置", "问题", "建议", "依据"]
IDENTITY_RULES = ("T301", "T302", "T303", "T401")


def family(rule: str) -> str:
    return FAMILIES.get(rule[:1], "其他")


def by_importance(findings: list[dict]) -> list[dict]:
    """Errors first, then warnings, then notes; the checker's order within each."""
    return sorted(findings, key=lambda f: SEVERITY_ORDER.get(f["severity"], 9))


def most_important(findings: list[dict], limit: int) -> list[tuple[dict, int]]:
    """The first finding of each rule, most severe first, with how many findings that rule made."""
    counts: dict[str, int] = {}
    for f in findings:
        counts[f["rule"]] = counts.get(f["rule"], 0) + 1
    firsts, seen = [], set()
    for f in by_importance(findings):
        if f["rule"] not in seen:
            seen.add(f["rule"])
            firsts.append((f, counts[f["rule"]]))
    return firsts[:limit]


# ---------------------------------------------------------------- findings as text


def finding_line(f: dict, number: int | None = None, suggestion: bool = True, citation: bool = False) -> str:
    head = f"{number}. " if number is not None else "- "
    where = describe_location(f["location"])
    message = f["message"]
    names_itself = message.startswith((where, "表二", "表三", "表四")) or re.match(r"第[一二三四五六]部分", message)
    where = "" if names_itself else f"{where}："
    text = f"{head}【{SEVERITY_LABEL[f['severity']]}】{where}{f['message']}（{f['rule']}）"
    if suggestion and f.get("suggestion"):
        text += f"\n   - 怎么改：{f['suggestion']}"
    if citation and f.get("citation"):
        text += f"\n   - 依据：{f['citation']}"
    return text


def findings_markdown(findings: list[dict], suggestion: bool = True, citation: bool = False) -> str:
    return "\n".join(finding_line(f, i, suggestion, citation) for i, f in enumerate(findings, 1))


def top_markdown(findings: list[dict], limit: int, citation: bool = False) -> str:
    """The most important findings, one per rule ("同类问题共 3 处" when a rule fired more often)."""
    lines = []
    for i, (f, count) in enumerate(most_important(findings, limit), 1):
        line = finding_line(f, i, True, citation)
        if count > 1:
            head, _, rest = line.partition("\n")
            line = f"{head}（同类问题共 {count} 处）" + (f"\n{rest}" if rest else "")
        lines.append(line)
    return "\n".join(lines)


def title_of(data: dict) -> str:
    report = data.get("report") or {}
    return report.get("title") or report.get("source") or "年度报告"


def summary_markdown(data: dict, summary: str) -> str:
    report = data.get("report") or {}
    bits = [f"### {escape(title_of(data))}", f"**结论：{summary}**"]
    meta = [f"机关：{report.get('agency') or '未识别'}", f"年度：{report.get('year') or '未识别'}"]
    if data.get("previous"):
        meta.append(f"对照上年报告：{data['previous'].get('title') or data['previous'].get('source')}")
    bits.append("　".join(meta))
    ocr = report.get("ocr")
    if ocr:
        bits.append(f"扫描件：{ocr['pages']} 页经文字识别读取，平均置信度 {ocr['mean_confidence']:.2f}；"
                    "识别置信度低的单元格见 T207，请对照原件核对。")
    return "\n\n".join(bits)


def finding_rows(findings: list[dict], severities: list[str] | None = None,
                 families: list[str] | None = None) -> list[list[str]]:
    """Rows of the findings table; `severities` (错误/警告/提示) and `families` (结构/表格/…) filter."""
    keep_severity = {SEVERITY_BY_LABEL.get(s, s) for s in severities} if severities is not None else None
    rows = []
    for f in by_importance(findings):
        if keep_severity is not None and f["severity"] not in keep_severity:
            continue
        if families is not None and family(f["rule"]) not in families:
            continue
        rows.append([SEVERITY_LABEL[f["severity"]], f["rule"], family(f["rule"]), describe_location(f["location"]),
                     f["message"], f.get("suggestion", ""), f.get("citation", "")])
    return rows


# ---------------------------------------------------------------- the draft with flagged paragraphs


def _badges(findings: list[dict]) -> str:
    out = []
    for f in by_importance(findings):
        out.append(f'<div class="nb-note nb-{f["severity"]}"><b>{SEVERITY_LABEL[f["severity"]]} {f["rule"]}</b> '
                   f'{escape(f["message"])}<br><span class="nb-fix">怎么改：{escape(f.get("suggestion", ""))}</span></div>')
    return "".join(out)


def _worst(findings: list[dict]) -> str:
    return min((f["severity"] for f in findings), key=lambda s: SEVERITY_ORDER[s]) if findings else ""


def draft_html(data: dict) -> str:
    """The report part by part; flagged paragraphs highlighted with their findings, topics as chips."""
    at_paragraph, at_part, at_table, elsewhere = defaultdict(list), defaultdict(list), defaultdict(list), []
    for f in data.get("findings", []):
        loc = f["location"]
        if loc.get("table"):
            at_table[loc["table"]].append(f)
        elif "paragraph" in loc and loc.get("part") is not None:
            at_paragraph[(loc["part"], loc["paragraph"])].append(f)
        elif loc.get("part") in range(1, 7):
            at_part[loc["part"]].append(f)
        else:
            elsewhere.append(f)
    paragraphs = defaultdict(list)
    for p in data.get("paragraphs", []):
        paragraphs[p["part"]].append(p)
    headings = {p["number"]: p for p in data.get("parts", [])}
    html = ['<div class="nb-draft">', f'<h3 class="nb-title">{escape(title_of(data))}</h3>']
    if elsewhere:
        html.append(f'<div class="nb-block nb-flag-{_worst(elsewhere)}">{_badges(elsewhere)}</div>')
    html += [_paragraph_html(p, at_paragraph) for p in paragraphs.get(0, [])]
    tables_by_part = {2: "table2", 3: "table3", 4: "table4"}
    for number in range(1, 7):
        part = headings.get(number, {})
        heading = part.get("heading") or part_heading(number)
        flags = at_part.get(number, [])
        cls = f" nb-flag-{_worst(flags)}" if flags else ""
        missing = "" if part.get("found", False) else '<span class="nb-missing">（未找到此部分）</span>'
        html.append(f'<section class="nb-part{cls}" data-part="{number}"><h4>{escape(heading)}{missing}</h4>'
                    f'{_badges(flags)}')
        key = tables_by_part.get(number)
        if key:
            table_flags = at_table.get(key, [])
            state = "未找到" if (data.get("tables") or {}).get(key) is None else (
                f"{len(table_flags)} 个问题" if table_flags else "未发现问题")
            cls = f" nb-flag-{_worst(table_flags)}" if table_flags else ""
            html.append(f'<div class="nb-table{cls}">［{TABLE_NAMES[key]}：{state}］{_badges(table_flags)}</div>')
        html += [_paragraph_html(p, at_paragraph) for p in paragraphs.get(number, [])]
        html.append("</section>")
    html += [_paragraph_html(p, at_paragraph) for p in paragraphs.get(7, [])]
    html.append("</div>")
    return "".join(html)


def _paragraph_html(p: dict, at_paragraph: dict) -> str:
    flags = at_paragraph.get((p["part"], p["index"]), [])
    cls = f" nb-flag-{_worst(flags)}" if flags else ""
    chips = "".join(f'<span class="nb-topic">{escape(t)}</span>' for t in p.get("topics") or [])
    score = p.get("boilerplate")
    if score is not None and score >= 0.5:
        chips += f'<span class="nb-topic nb-stock">套话 {score:.2f}</span>'
    chips = f'<div class="nb-chips">{chips}</div>' if chips else ""
    return f'<div class="nb-para{cls}">{chips}<p>{escape(p["text"])}</p>{_badges(flags)}</div>'


# ---------------------------------------------------------------- coverage of the selected scheme


def coverage_html(data: dict, scheme: str) -> str:
    coverage = data.get("coverage")
    aspects = SCHEMES.get(scheme, {})
    head = '<div class="nb-box"><div class="nb-box-title">总体情况的主题覆盖</div>'
    if coverage is None:
        return head + '<p class="nb-muted">主题模型尚未训练（python -m assistant train），暂无覆盖情况。</p></div>'
    overview = [p for p in data.get("paragraphs", []) if p["part"] == 1]
    counts = {aspect: sum(1 for p in overview if set(p.get("topics") or []) & set(fine))
              for aspect, fine in aspects.items()}
    top = max(counts.values(), default=0) or 1
    rows = []
    for aspect in aspects:
        covered = aspect in coverage.get("covered", [])
        n = counts[aspect]
        width = max(4, round(100 * n / top)) if covered else 0
        label = f"{n} 段" if covered else "未覆盖"
        rows.append(f'<div class="nb-bar-row"><span class="nb-bar-label">{escape(aspect)}</span>'
                    f'<span class="nb-bar-track"><span class="nb-bar {"nb-bar-ok" if covered else ""}" '
                    f'style="width:{width}%"></span></span>'
                    f'<span class="nb-bar-value {"" if covered else "nb-bad"}">{label}</span></div>')
    return head + "".join(rows) + "</div>"


# ---------------------------------------------------------------- table identities


def _num(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _fmt(value) -> str:
    if value is None:
        return "空"
    return f"{value:g}" if isinstance(value, float) else str(value)


def identities(data: dict) -> list[dict]:
    """The table-3/table-4 identities: name, values at a glance, status ok/bad/unknown/absent, findings."""
    tables = data.get("tables") or {}
    findings = defaultdict(list)
    for f in data.get("findings", []):
        if f["rule"] in IDENTITY_RULES:
            findings[f["rule"]].append(f)
    out = []

    def add(rule, table, name, values, numbers):
        if tables.get(table) is None:
            status = "absent"
        elif findings[rule]:
            status = "bad"
        elif any(n is None for n in numbers):
            status = "unknown"
        else:
            status = "ok"
        out.append({"rule": rule, "table": table, "name": name, "values": values, "status": status,
                    "findings": findings[rule]})

    t3 = tables.get("table3") or {}

    def total(row):
        return _num((t3.get(row) or {}).get("总计"))

    cells = [_num((t3.get(r) or {}).get(c)) for r in t3 for c in TABLE3_COLUMNS]
    add("T301", "table3", "各行：总计 = 自然人 + 五类法人或其他组织",
        f"{len(t3)} 行", cells or [None])
    add("T302", "table3", "（七）总计 = （一）至（六）各项办理结果之和",
        f"办理结果总计 {_fmt(total('总计'))}", [total("总计")])
    new, carried, handled, left = (total(r) for r in ("本年新收", "上年结转", "总计", "结转下年度继续办理"))
    add("T303", "table3", "一 + 二 = 三（七）总计 + 四",
        f"{_fmt(new)} + {_fmt(carried)} ＝ {_fmt(handled)} + {_fmt(left)}", [new, carried, handled, left])
    t4 = tables.get("table4") or {}
    totals = [_num((t4.get(g) or {}).get("总计")) for g in TABLE4_GROUPS]
    add("T401", "table4", "表四各组：总计 = 维持 + 纠正 + 其他 + 尚未审结",
        "复议 {} · 直接起诉 {} · 复议后起诉 {}".format(*map(_fmt, totals)),
        [_num(v) for g in TABLE4_GROUPS for v in (t4.get(g) or {}).values()] or [None])
    return out


STATUS_TEXT = {"ok": ("✓ 成立", "nb-ok"), "bad": ("✗ 不成立", "nb-bad"),
               "unknown": ("？ 有空白或非数字单元格", "nb-muted"), "absent": ("— 未找到该表", "nb-muted")}


def identities_html(data: dict) -> str:
    rows = []
    for item in identities(data):
        text, cls = STATUS_TEXT[item["status"]]
        if item["status"] == "bad":
            text = f"✗ {len(item['findings'])} 处不成立"
        detail = "".join(f'<div class="nb-sub">{escape(f["message"])}</div>' for f in item["findings"][:3])
        rows.append(f'<tr><td>{TABLE_NAMES[item["table"]]}</td><td>{escape(item["name"])}{detail}</td>'
                    f'<td class="nb-num">{escape(item["values"])}</td><td class="{cls}">{text}</td></tr>')
    return ('<div class="nb-box"><div class="nb-box-title">表三、表四勾稽关系</div>'
            '<table class="nb-identities"><thead><tr><th>表</th><th>关系</th><th>数值</th><th>结果</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def identities_markdown(data: dict) -> str:
    lines = []
    for item in identities(data):
        text = STATUS_TEXT[item["status"]][0]
        if item["status"] == "bad":
            text = f"✗ {len(item['findings'])} 处不成立"
        lines.append(f"- {TABLE_NAMES[item['table']]}：{item['name']}（{item['values']}）— {text}")
    return "\n".join(lines)


# ---------------------------------------------------------------- citations of answers


def citation_label(citation: dict) -> str:
    """{"source": "条例", "article": 33} -> 《条例》第三十三条 (the `ask --format json` citations)."""
    source = citation.get("source", "")
    if isinstance(citation.get("article"), int):
        return f"《{source or '条例'}》第{to_chinese(citation['article'])}条"
    if citation.get("part"):
        part = str(citation["part"])
        return f"《{source}》第{part}部分" if part in PART_NUMERALS else f"《{source}》{part}"
    if citation.get("rule"):
        return f"检查规则 {citation['rule']}"
    if citation.get("title"):
        return f"{source}：{citation['title']}" if source else str(citation["title"])
    return str(source)
