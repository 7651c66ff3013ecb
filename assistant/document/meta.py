"""Report metadata from the title, preamble and signature: agency, its kind and level, year, date."""
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
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[年.\-/]\s*(?P<m>\d{1,2})\s*[月.\-/]\s*(?P<d>\d{1,2})\s*日?")
_GENERIC = {"政府", "人民政府", "本机关", "我局", "我委", "本单位", "部门", "全市", "全县", "全区"}  # not an agency name
_MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")


def _year(text: str) -> int | None:
    value = parse_chinese(text)
    return value if value and 1990 <= value <= 2100 else None


def agency_kind(agency: str) -> str:
    name = strip_brackets(agency)
    if name.endswith(("人民政府", "街道办事处", "街道", "乡", "镇")) or name.endswith("政府") and "办公" not in name:
        return "government"
    if re.search(r"(局|委员会|委|厅|办公室|办|部|署|院|队|处|所|站|监狱)$", name) and "中心" not in name[-4:]:
        return "department"
    return "other"


def agency_level(agency: str) -> str | None:
    name = nfkc(agency)
    if "街道" in name or re.search(r"[乡镇](?:人民政府|政府)?$", name) or re.search(r"[乡镇](?:人民政府|政府)", name):
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


def read_meta(items: list[Item]) -> tuple[Meta, int | None]:
    meta = Meta()
    title_index = None
    for i, item in enumerate(items[:12]):
        if not isinstance(item, Line):
            continue
        text = re.sub(r"^#+\s*", "", nfkc(item.text).strip())
        if "报告" in text and len(text) <= 80 and ("公开" in text or "年度" in text):
            meta.title = text
            title_index = i
            # A title may be broken over two lines: agency on the first, year and the rest below.
            if i > 0 and isinstance(items[i - 1], Line) and re.match(r"^" + _YEAR, text):
                above = nfkc(items[i - 1].text).strip().lstrip("#").strip()
                if len(above) <= 30 and not re.search(r"[。，,]", above):
                    meta.title = above + text
            break
    for pattern in _TITLE_PATTERNS:
        match = pattern.search(meta.title)
        if match:
            agency = match.group("agency").strip(" ：:、")
            meta.agency = "" if agency in _GENERIC else agency
            meta.year = _year(match.group("year"))
            break
    if meta.title and meta.year is None:
        match = re.search(_YEAR, meta.title)
        meta.year = _year(match.group("year")) if match else None
    _read_date(items, meta)
    if not meta.agency:
        meta.agency = _signature_agency(items)
    if meta.agency:
        meta.agency_kind = agency_kind(meta.agency)
        meta.level = agency_level(meta.agency)
    return meta, title_index


def _read_date(items: list[Item], meta: Meta) -> None:
    lines = [item for item in items if isinstance(item, Line)]
    for item in list(reversed(lines[-4:])) + lines[:6]:
        text = nfkc(item.text).strip()
        if len(text) > 40 or "报告" in text:
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
