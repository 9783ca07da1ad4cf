"""Normalising document titles so that spelling variants of one title compare equal.

《中华人民共和国行政复议法》 = 《行政复议法》; （2021—2025年） = (2021-2025年); 〈〉 = 《》 inside
a title; spaces and full-width/half-width forms do not matter.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

PRC = "中华人民共和国"
_DASHES = re.compile(r"[—–－‐‑‒―~～至]+")
_VERSION = re.compile(r"[（(]\s*(\d{4})\s*年?\s*(修正|修订|版|本|修改)?\s*[）)]\s*$")
_PERIOD = re.compile(r"[（(]\s*(\d{4})\s*年?\s*[—–－\-~～至]+\s*(\d{4})\s*年?\s*[）)]")


@lru_cache(maxsize=65536)  # a pure function of a few thousand titles, asked for on every look-up
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


_NOTICE = re.compile(r"(?:印发|转发|发布)[《〈<]([^《》〈〉<>]+)[》〉>](?:的)?(?:通知|函)$")


def inner_title(title: str) -> str | None:
    """The document a notice issues: 《…关于印发〈法治政府建设与责任落实督察工作规定〉的通知》 →
    法治政府建设与责任落实督察工作规定; None for any other title."""
    m = _NOTICE.search(title.strip())
    return m.group(1).strip() if m else None
