"""Chinese and Arabic numerals: conversions shared by the parsers and the checkers (cn2an underneath)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import cn2an

CN_DIGITS = "零〇一二三四五六七八九两"
CN_UNITS = "十百千万亿"
CN_NUMERAL_CHARS = CN_DIGITS + CN_UNITS + "壹贰叁肆伍陆柒捌玖拾佰仟"
CN_NUMERAL_RE = f"[{CN_NUMERAL_CHARS}]+"

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")


def to_halfwidth_digits(text: str) -> str:
    """Full-width digits, point, comma and percent sign to ASCII; same length, so offsets hold."""
    return text.translate(_FULLWIDTH)


@lru_cache(maxsize=4096)
def cn_to_number(text: str) -> Decimal | None:
    """'三十六' → 36, '一百零八' → 108, '两' → 2, '九十八点五' → 98.5; None when not a numeral."""
    text = text.strip()
    if not text:
        return None
    try:
        value = cn2an.cn2an(text, "normal")
    except (ValueError, KeyError, IndexError):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:  # pragma: no cover - cn2an returns int/float
        return None


def cn_to_int(text: str) -> int | None:
    value = cn_to_number(text)
    if value is None or value != value.to_integral_value():
        return None
    return int(value)


def int_to_cn(value: int) -> str:
    """108 → '一百零八' (the form used in article numbers and outline numbering)."""
    return cn2an.an2cn(int(value), "low")


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
