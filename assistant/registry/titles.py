"""Normalising document titles so that spelling variants of one title compare equal.

《中华人民共和国行政复议法》 = 《行政复议法》; （2021—2025年） = (2021-2025年); 〈〉 = 《》 inside
a title; spaces and full-width/half-width forms do not matter.
"""

from __future__ import annotations

import re
import unicodedata

PRC = "中华人民共和国"
_DASHES = re.compile(r"[—–－‐‑‒―~～至]+")
_VERSION = re.compile(r"[（(]\s*(\d{4})\s*年?\s*(修正|修订|版|本|修改)?\s*[）)]\s*$")
_PERIOD = re.compile(r"[（(]\s*(\d{4})\s*年?\s*[—–－\-~～至]+\s*(\d{4})\s*年?\s*[）)]")


def normalise_title(title: str) -> str:
    """A comparison key: NFKC, no spaces, unified brackets and dashes, no 中华人民共和国 prefix,
    a period written as (2021-2025年)."""
    t = unicodedata.normalize("NFKC", title).strip().strip("《》<>")
    t = t.replace("〈", "《").replace("〉", "》").replace("<", "《").replace(">", "》")
    t = re.sub(r"\s+", "", t)
    t = _PERIOD.sub(lambda m: f"({m.group(1)}-{m.group(2)}年)", t)
    t = _DASHES.sub("-", t)
    t = t.replace(PRC, "")
    return t


def split_cited_version(title: str) -> tuple[str, str | None]:
    """'行政复议法(2017年修正)' → ('行政复议法', '2017'); a period is not a version."""
    t = title.strip()
    m = _VERSION.search(t)
    if m and not _PERIOD.search(t[m.start():]):
        return t[: m.start()].strip(), m.group(1)
    return t, None


def short_name(title: str) -> str | None:
    """The usual short form: the title without 中华人民共和国."""
    if title.startswith(PRC) and len(title) > len(PRC) + 1:
        return title[len(PRC):]
    return None


def misspelling_of(cited: str, title: str) -> bool:
    """Whether `cited` reads as a slip in writing `title`: the same plan period (if any) and a
    base title a couple of characters away (《优化营商环境暂行条例》 for 《优化营商环境条例》), not a
    different document with a similar name (《法治社会建设实施纲要（2020—2025年）》 is not
    《法治政府建设实施纲要（2021—2025年）》; 《行政法规制定程序条例》 is not 《规章制定程序条例》)."""
    from rapidfuzz.distance import Levenshtein

    a, b = normalise_title(split_cited_version(cited)[0]), normalise_title(title)
    period_a, period_b = _NORMAL_PERIOD.search(a), _NORMAL_PERIOD.search(b)
    base_a, base_b = _NORMAL_PERIOD.sub("", a), _NORMAL_PERIOD.sub("", b)
    if period_a and (not period_b or period_a.group(0) != period_b.group(0)):
        return base_a == base_b  # the same document with a period no version of it has: (2021—2035年)
    stem_a, stem_b = _TYPE_WORD.sub("", base_a), _TYPE_WORD.sub("", base_b)
    if stem_a and stem_a == stem_b:  # only the kind of document differs: 《政府信息公开规定》 for …条例
        return True
    ops = Levenshtein.editops(base_a, base_b)
    replaced = sum(1 for op in ops if op[0] == "replace")
    # a slip adds, drops or mistypes a character or two; two characters replaced make another
    # subject (《…审理行政赔偿案件…》 is not 《…审理行政协议案件…》)
    return len(ops) <= max(2, len(base_b) // 8) and replaced <= 1


_NORMAL_PERIOD = re.compile(r"\(\d{4}-\d{4}年\)")
_TYPE_WORD = re.compile(r"(?:实施条例|实施细则|暂行条例|暂行规定|暂行办法|条例|规定|办法|细则|决定|意见|法)$")

