"""Chinese numerals, both ways: 十二 / 一百零五 / 二〇二一 -> int, and 33 -> 三十三."""
from __future__ import annotations

import unicodedata

DIGITS = "零一二三四五六七八九"
_VALUES = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def parse_chinese(text: str) -> int | None:
    """十二, 两, 一百零五, 二〇二一 (read digit by digit) and plain digits; None when not a numeral."""
    text = unicodedata.normalize("NFKC", text.strip())
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _VALUES and ch not in _UNITS and ch != "万" for ch in text):
        return None
    if not any(ch in _UNITS or ch == "万" for ch in text):
        return int("".join(str(_VALUES[ch]) for ch in text))
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in _VALUES:
            digit = _VALUES[ch]
        elif ch in _UNITS:
            section += (digit or 1) * _UNITS[ch]
            digit = 0
        else:  # 万
            total += (section + digit) * 10000
            section, digit = 0, 0
    return total + section + digit


def to_chinese(number: int) -> str:
    """33 -> 三十三, 105 -> 一百零五, 110 -> 一百一十 (0..999), as article numbers are written."""
    if number < 10:
        return DIGITS[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")
    hundreds, rest = divmod(number, 100)
    if rest == 0:
        tail = ""
    elif rest < 10:
        tail = "零" + DIGITS[rest]
    else:
        tail = ("一" if rest < 20 else "") + to_chinese(rest)
    return DIGITS[hundreds] + "百" + tail
