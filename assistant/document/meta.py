"""Report metadata from the title, preamble, signature and page chrome: agency, its kind and level,
year, publication date.

Real copies often have no title line (the report starts with its preamble or with 一、), a title
polluted by page furniture ("• 标 题:", "Page 8 - ", a trailing date), or a title split over two
lines; then agency and year come from the opening sentence or the statistics period.
"""
from __future__ import annotations

import re

from ..numerals import parse_chinese
from .model import Item, Line, Meta
from .normalize import nfkc, strip_brackets

_YEAR = r"(?P<year>(?:19|20)\d{2}|[二〇○零一二三四五六七八九]{4})\s*年度?"
_TITLE_PATTERNS = (
    re.compile(r"^(?P<agency>.+?)(?:关于)?" + _YEAR + r"(?:的)?(?:政府信息公开|政务公开|信息公开).*报告"),
    re.compile(r"^" + _YEAR + r"(?P<agency>.+?)(?:政府信息公开|政务公开|信息公开).*报告"),
)
_ORG_END = r"(?:人民政府|政府|办事处|街道|局|委员会|委|办公室|办公厅|办|中心|院|所|站|厅|室|会|处|队|馆|镇|乡|区|县|市|省|州|旗|盟)"
# a title without its year ("乌海市某局" ⏎ "政府信息公开工作年度报告"): the agency only
_TITLE_NO_YEAR = re.compile(r"^(?P<agency>[^\s，,。；;：:《》“”]{2,30}?" + _ORG_END + r")(?:的)?(?:政府信息公开|政务公开)工作"
                            r"(?:年度)?报告$")
_REPORT = r"(?:的)?(?:政府信息公开|政务公开)工作(?:年度)?(?:情况)?报告"  # a report's name after its year
_OPENING = (  # agency and year named in the preamble of a report without a title line
    re.compile(r"(?:公布|发布|编制|形成|现将|特将|兹将)(?:了)?(?:本单位)?(?P<agency>[^\s，,。；;：:《》“”]{2,30}?" + _ORG_END + r")"
               + _YEAR + r"(?:的)?(?:政府信息公开|政务公开|信息公开)[^。]{0,12}报告"),
    re.compile(r"(?:^|(?<=[\s，,。；;：:《》“”]))(?P<agency>[^\s，,。；;：:《》“”]{2,30}?" + _ORG_END + r")" + _YEAR
               + _REPORT),
    # "本报告由X编制", "由X结合有关统计数据编制", "年度报告…由X编制而成"
    re.compile(r"(?:本报告(?:由|是)|报告[^。]{0,40}?[，,]由)(?P<agency>[^\s，,。；;：:《》“”]{2,30}?" + _ORG_END
               + r")(?:根据|依据|按照|负责|编制|(?:结合|汇总|综合|会同|参照)[^。；，,]{0,20}?编制)"),
    re.compile(r"(?:公布|发布|编制)" + _YEAR + r"(?:的)?(?P<agency>[^\s，,。；;：:《》“”]{2,30}?" + _ORG_END
               + r")(?:的)?(?:政府信息公开|政务公开|信息公开)[^。]{0,12}报告"),
    re.compile(r"做好(?P<agency>[^\s，,。；;：:《》“”]{2,30}?" + _ORG_END + r")(?:的)?(?:政府信息公开|政务公开)工作"),
    # "2023年，X坚持…", also without the comma ("2025年X积极推动…")
    re.compile(r"(?:^|\n)" + _YEAR + r"(?:以来)?[，,]?\s*(?P<agency>[^\s，,。；;：:《》“”]{2,30}?" + _ORG_END
               + r")(?:坚持|认真|深入|围绕|按照|紧紧|全面|紧扣|始终|以|在|进一步|持续|高度|十分|切实|积极)"),
    # "2021年，红升乡政府信息公开工作在…": the agency whose work the year's first line reports
    re.compile(r"(?:^|\n)" + _YEAR + r"(?:以来)?[，,]?\s*(?P<agency>[^\s，,。；;：:《》“”]{2,30}?" + _ORG_END
               + r")(?:的)?(?:政府信息公开|政务公开)工作"),
)
_REPORT_YEAR = re.compile(_YEAR + _REPORT)
# the year a running-text line opens with ("2023年，区教育局…", "2023年以来，") or the day the
# statistics close ("截至2023年12月31日"): the report's year when nothing names it otherwise
_TEXT_YEAR = re.compile(r"(?:^|\n)[ \t\u3000]*" + _YEAR + r"(?:以来)?[，,]|截[至止]\s*(?P<end>(?:19|20)\d{2})\s*年\s*12\s*月\s*31\s*日")
# "汇报我镇2023年政府信息公开工作": the year of the work the preamble reports (titles in 《》 aside)
_WORK_YEAR = re.compile(_YEAR + r"(?:的)?(?:政府信息公开|政务公开)工作")
_PERIOD = re.compile(r"统计(?:期限|时限|周期|期间|时间|区间)[^。；]{0,12}?(?P<year>(?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_TITLE_NOISE = re.compile(r"^(?:Page\s*\d+\s*[-–—]\s*|[•·]?\s*标\s*题\s*[:：]\s*|[【\[](?:年报|年度报告|通知公告)[】\]]\s*)+")
_TRAILING_DATE = re.compile(r"(?<![\s(（])[\s(（]*(?:19|20)\d{2}\s*[-年./]\s*\d{1,2}\s*[-月./]\s*\d{1,2}\s*日?[\d:\s)）]*$")
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[年.\-/]\s*(?P<m>\d{1,2})\s*[月.\-/]\s*(?P<d>\d{1,2})\s*日?")
_GENERIC = {"政府", "人民政府", "本机关", "我局", "我委", "本单位", "部门", "全市", "全县", "全区", "全镇", "全乡"}  # not an agency name
_MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
_ZONES = re.compile(r"(?:开发区|高新区|新区|园区|风景区|景区|管委会|管理委员会)$")


def _without_titles(text: str) -> str:
    """The text without the titles in 《》: someone else's words (《关于印发我市2022年…的通知》)."""
    return re.sub(r"《[^》]*》", "", text)


def _year(text: str) -> int | None:
    value = parse_chinese(text)
    return value if value and 1990 <= value <= 2100 else None


def agency_kind(agency: str) -> str:
    name = strip_brackets(agency)
    if _ZONES.search(name):
        return "other"  # 第五十四条: bodies authorised to manage public affairs
    # "佳荣里街", "北站街": an agency named after 街 is a 街道, as some cities name theirs
    if name.endswith(("人民政府", "街道办事处", "街道", "街")) or name.endswith("政府") and "办公" not in name:
        return "government"
    if re.search(r"(局|委员会|委|厅|办公室|办公厅|办|部|署|院|队|处|所|站|监狱|室)$", name) and "中心" not in name[-4:]:
        return "department"
    if re.search(r"(省|自治区|市|州|盟|县|区|旗|乡|镇)$", name):
        return "government"  # a territory's name stands for its people's government (上海市, 临武县)
    return "other"


def agency_level(agency: str) -> str | None:
    name = nfkc(agency)
    if "街道" in name or name.endswith("街") or re.search(r"[乡镇](?:人民政府|政府)?$", name) or re.search(r"[乡镇](?:人民政府|政府)", name):
        return "township"
    if name.startswith(_MUNICIPALITIES):
        rest = name[3:]
        return "county" if re.match(r"^.{1,6}?(区|县)", rest) else "province"
    if re.match(r"^.{1,8}?(省|自治区)", name) and not re.match(r"^.{1,8}?(省|自治区).{1,8}?(市|州|盟|县|区)", name):
        return "province"
    if re.search(r"(县|旗)", name) or re.match(r"^.{1,8}?市.{1,6}?区", name):
        return "county"
    if re.search(r"(市|州|盟|地区)", name):
        return "city"
    return None


def _clean_title(text: str) -> str:
    text = re.sub(r"^#+\s*", "", nfkc(text).strip())
    text = _TITLE_NOISE.sub("", text).strip().strip("《》")
    text = re.sub(r"^.{2,30}?门户网站\s*", "", text)  # a portal's name glued before the title
    if re.search(r"[-_|]", text):  # "portal name - title - site name": keep the piece naming the report
        pieces = [p.strip() for p in re.split(r"[-_|]", text) if "报告" in p]
        text = pieces[0] if pieces else text
    return _TRAILING_DATE.sub("", text).strip()


def _is_title(text: str) -> bool:
    return ("报告" in text and len(text) <= 80 and ("公开" in text or "年度" in text)
            and not re.search(r"[。，,；;：:]|^(?:按照|根据|依据|为|现)", text))


def _find_title(items: list[Item]) -> tuple[str, int | None]:
    lines = [(i, item) for i, item in enumerate(items[:14]) if isinstance(item, Line)]
    for n, (i, item) in enumerate(lines):
        text = _clean_title(item.text)
        following = _clean_title(lines[n + 1][1].text) if n + 1 < len(lines) else ""
        if not _is_title(text) and "报告" not in text and len(text) <= 40 and _is_title(text + following) \
                and not re.search(r"(?:19|20)\d{2}", following) and not re.search(r"[。，,]", text):
            return text + following, lines[n + 1][0]  # a title broken mid-word over two lines
        if _is_title(text):
            # A title may be broken over two lines: agency on the first, year and the rest below.
            if n > 0 and re.match(r"^" + _YEAR, text):
                above = _clean_title(lines[n - 1][1].text)
                if len(above) <= 30 and not re.search(r"[。，,：:]", above) and re.search(_ORG_END + "$", above):
                    return above + text, i
            return text, i
    return "", None


def read_meta(items: list[Item], chrome: list[Line] | None = None) -> tuple[Meta, int | None]:
    meta = Meta()
    meta.title, title_index = _find_title(items)
    for pattern in _TITLE_PATTERNS:
        match = pattern.search(meta.title)
        if match:
            agency = match.group("agency").strip(" ：:、")
            meta.agency = "" if agency in _GENERIC else agency
            meta.year = _year(match.group("year"))
            break
    else:
        match = _TITLE_NO_YEAR.search(meta.title)
        if match and match.group("agency") not in _GENERIC:
            meta.agency = match.group("agency")
    if meta.title and meta.year is None:
        match = re.search(_YEAR, meta.title)
        meta.year = _year(match.group("year")) if match else None
    if not meta.agency or meta.year is None:
        _read_opening(items, meta)
    _read_date(items, chrome or [], meta)
    if not meta.agency:
        meta.agency = _signature_agency(items)
    if meta.agency:
        meta.agency_kind = agency_kind(meta.agency)
        meta.level = agency_level(meta.agency)
    else:
        meta.agency_kind, meta.level = _kind_from_self_reference(items)
    return meta, title_index


def _read_opening(items: list[Item], meta: Meta) -> None:
    """Agency and year from the preamble's sentences (the first lines of running text)."""
    lines = [nfkc(item.text) for item in items[:20] if isinstance(item, Line)]
    text = "\n".join(lines)
    if not meta.agency:
        found = next((m for pattern in _OPENING for m in pattern.finditer(text)
                      if m.group("agency") not in _GENERIC and not m.group("agency").startswith(("本", "我", "该"))), None)
        if found:
            meta.agency = found.group("agency")
            if meta.year is None and "year" in found.re.groupindex:
                meta.year = _year(found.group("year"))
    if meta.year is None:
        match = _PERIOD.search(text)
        meta.year = int(match.group("year")) if match else None
    if meta.year is None:  # "现将2023年度政府信息公开工作报告如下": the year without the agency
        match = _REPORT_YEAR.search(text)
        meta.year = _year(match.group("year")) if match else None
    if meta.year is None:
        match = _WORK_YEAR.search(_without_titles(text))
        meta.year = _year(match.group("year")) if match else None
    if meta.year is None:
        match = _TEXT_YEAR.search(text)
        meta.year = _year(match.group("year") or match.group("end")) if match else None


_SELF_REFERENCES = (  # (pattern, kind, level): how an agency calls itself
    (re.compile(r"[我本](?:镇|乡|街道)(?![公事理法])"), "government", "township"),
    (re.compile(r"[我本](?:县|旗)(?![公事理法委级直])|我区(?![公事理法委级直])"), "government", "county"),
    (re.compile(r"我市(?![公事理法委级直])"), "government", "city"),
    (re.compile(r"[我本](?:局|委)(?![公事理法员])"), "department", None),
)


def _kind_from_self_reference(items: list[Item]) -> tuple[str, str | None]:
    """A report that never names its agency still says 我镇, 我县 or 我局; the most frequent
    one decides, a tie decides nothing. Titles in 《》 are someone else's words
    (《关于印发我市…的通知》) and do not count."""
    text = _without_titles("".join(item.text for item in items if isinstance(item, Line)))
    counts = sorted(((len(pattern.findall(text)), kind, level) for pattern, kind, level in _SELF_REFERENCES),
                    key=lambda c: -c[0])
    if counts[0][0] and counts[0][0] > counts[1][0]:
        return counts[0][1], counts[0][2]
    return "other", None


def _read_date(items: list[Item], chrome: list[Line], meta: Meta) -> None:
    """The publication date: a 发布 line of the page chrome first, then the signature, then the top."""
    dated = [(0 if re.search(r"发布|更新|日期", item.text) and not re.search(r"成文|生成|撰写", item.text) else 1, n, item)
             for n, item in enumerate(chrome)]
    lines = [item for item in items if isinstance(item, Line)]
    candidates = [item for _, _, item in sorted(dated)] + list(reversed(lines[-4:])) + lines[:6]
    for item in candidates:
        text = nfkc(item.text).strip()
        if len(text) > 60 or "报告" in text:
            continue
        match = _DATE.search(text)
        if match:
            y, m, d = int(match["y"]), int(match["m"]), int(match["d"])
            if 1 <= m <= 12 and 1 <= d <= 31:
                meta.date, meta.date_src = f"{y:04d}-{m:02d}-{d:02d}", item.src
                return


def _signature_agency(items: list[Item]) -> str:
    lines = [item for item in items if isinstance(item, Line)]
    for item in reversed(lines[-4:]):
        text = item.text.strip()
        if len(text) <= 30 and re.search(r"(政府|局|委员会|办公室|中心|办事处|厅)$", text):
            return text
    return ""
