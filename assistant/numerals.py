"""Chinese and Arabic numerals: conversions shared by the parsers and the checkers.

Written here rather than with cn2an: its import alone takes longer (0.3–0.4 s) than a whole
`check`, and the forms reports use are few: 三十六, 一百零八, 两, 三万五, 九十八点五, 一二三 (digit by
digit), 壹佰 (financial). `tests/test_numerals.py` holds them against cn2an.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

CN_DIGITS = "零〇一二三四五六七八九两"
CN_UNITS = "十百千万亿"
CN_NUMERAL_CHARS = CN_DIGITS + CN_UNITS + "壹贰叁肆伍陆柒捌玖拾佰仟"
CN_NUMERAL_RE = f"[{CN_NUMERAL_CHARS}]+"

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")
_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
          "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG = {"万": 10 ** 4, "亿": 10 ** 8}
_WRITE_DIGITS = "零一二三四五六七八九"
_GROUPS = ("", "万", "亿", "万亿")


def to_halfwidth_digits(text: str) -> str:
    """Full-width digits, point, comma and percent sign to ASCII; same length, so offsets hold."""
    return text.translate(_FULLWIDTH)


@lru_cache(maxsize=4096)
def cn_to_number(text: str) -> Decimal | None:
    """'三十六' → 36, '一百零八' → 108, '两' → 2, '九十八点五' → 98.5; None when not a numeral."""
    text = text.strip()
    if not text:
        return None
    whole, _, fraction = text.partition("点")
    value = _cn_integer(whole)
    if value is None:
        return None
    if not _:
        return Decimal(value)
    if not fraction or any(ch not in _DIGIT for ch in fraction):
        return None
    return Decimal(f"{value}." + "".join(str(_DIGIT[ch]) for ch in fraction))


def _cn_integer(text: str) -> int | None:
    """An integer in Chinese numerals, or None: 一百零八, 三万五 (= 35000), 一二三 (= 123)."""
    if not text or any(ch not in _DIGIT and ch not in _SMALL and ch not in _BIG for ch in text):
        return None
    if all(ch in _DIGIT for ch in text):  # 五, 一二三: digit by digit
        return int("".join(str(_DIGIT[ch]) for ch in text))
    result, section, number = 0, 0, None
    last_unit, after_zero = None, False
    for ch in text:
        if ch in _DIGIT:
            if number is not None and _DIGIT[ch] != 0:
                return None  # two digits in a row inside a unit form: 三四十
            if _DIGIT[ch] == 0:
                after_zero, number = True, None
                continue
            number = _DIGIT[ch]
        elif ch in _SMALL:
            unit = _SMALL[ch]
            if number is None and unit != 10:
                return None  # 百, 千 with no digit before them
            section += (1 if number is None else number) * unit
            number, last_unit, after_zero = None, unit, False
        else:
            unit = _BIG[ch]
            if number is None and section == 0 and result == 0:
                return None  # a bare 万 / 亿
            group = section + (number or 0)
            result = (result + group) * unit if unit == 10 ** 8 else result + group * unit
            section, number, last_unit, after_zero = 0, None, unit, False
    if number is not None:
        # 三万五 = 35000, 两千五 = 2500: a last digit right after a unit counts one unit lower
        section += number * (last_unit // 10) if last_unit and not after_zero and last_unit > 10 else number
    return result + section


def cn_to_int(text: str) -> int | None:
    value = cn_to_number(text)
    if value is None or value != value.to_integral_value():
        return None
    return int(value)


def int_to_cn(value: int) -> str:
    """108 → '一百零八', 10 → '十', 110 → '一百一十', 100000 → '十万' (the form used in article
    numbers and outline numbering)."""
    value = int(value)
    if value < 0:
        return "负" + int_to_cn(-value)
    if value == 0:
        return "零"
    groups = []
    while value:
        groups.append(value % 10000)
        value //= 10000
    out, gap = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            gap = bool(out)
            continue
        if out and (gap or group < 1000):
            out += "零"
        out += _four_digits(group) + _GROUPS[index]
        gap = False
    return out[1:] if out.startswith("一十") else out


def _four_digits(group: int) -> str:
    out, zero = "", False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = group // unit % 10
        if digit == 0:
            zero = bool(out)
            continue
        out += ("零" if zero else "") + _WRITE_DIGITS[digit] + name
        zero = False
    return out


def parse_number(token: str) -> int | None:
    """A numbering token's value: '六' → 6, '12' → 12, '１２' → 12."""
    token = unicodedata.normalize("NFKC", token).strip()
    if token.isdigit():
        return int(token)
    return cn_to_int(token)


ARTICLE_RE = re.compile(rf"第([{CN_NUMERAL_CHARS}0-9０-９]+)条")


def article_number(label: str) -> int | None:
    """'第二十五条' → 25, '第108条' → 108, '二十五' → 25."""
    m = ARTICLE_RE.search(label)
    token = m.group(1) if m else label.strip()
    return parse_number(token)


def article_label(number: int) -> str:
    """25 → '第二十五条'."""
    return f"第{int_to_cn(number)}条"
