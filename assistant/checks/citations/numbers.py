"""The 文号 written in brackets after a title, against the registry's: 《优化营商环境条例》（国务院令第724号）
when the registry says 国务院令第722号 is a warning. A number the registry does not have is never
an alarm: with no number known nothing is said; a number that matches another version of the
document means that version (《保障中小企业款项支付条例》（国务院令第728号） is the 2020 text); and
where the registry cannot know every version's number (some versions have none, or the number it
has is a revision's: 国务院令第695号（2017年修订）), a differing number is only an info."""

from __future__ import annotations

import re
import unicodedata

from ...numerals import parse_number
from ...registry import Entry, Resolution
from ..findings import Finding
from .finder import Citation

_CORE = re.compile(r"^(.*?号)")
_SERIAL = re.compile(r"第\s*([0-9零〇一二三四五六七八九十百千]+)\s*号")
_OPEN, _CLOSE = "[［【(（〔", "]］】)）〕"


def number_key(number: str) -> str:
    """A comparison key: 第九号 = 第9号; 〔〕[]（） alike; no spaces; 中华人民共和国主席令 = 主席令; a
    remark after the number (（2017年修订）) ignored."""
    t = unicodedata.normalize("NFKC", number).strip()
    t = re.sub(r"\s+", "", t).removeprefix("中华人民共和国")
    m = _CORE.match(t)
    t = m.group(1) if m else t
    t = t.translate(str.maketrans(_OPEN + _CLOSE, "〔" * len(_OPEN) + "〕" * len(_CLOSE)))
    return _SERIAL.sub(lambda s: f"第{parse_number(s.group(1)) or s.group(1)}号", t).replace("〕第", "〕")


def check_number(text: str, cit: Citation, res: Resolution) -> tuple[Finding | None, Entry | None]:
    """(a finding on the cited 文号, or None; the version the number names when it is another one)."""
    if not cit.number:
        return None, None
    versions = res.versions or [res.entry]
    numbered = [v for v in versions if v.number]
    if not numbered:
        return None, None
    cited = number_key(cit.number)
    for version in numbered:
        if number_key(version.number) == cited:
            return None, (version if version is not res.entry and not cit.version else None)
    entry = res.entry if res.entry.number else numbered[0]
    known = "、".join(dict.fromkeys(v.number for v in numbered))
    partial = len(numbered) < len(versions) or any(re.search(r"修订|修正|修改", v.number) for v in numbered)
    span = (cit.number_start, cit.number_end)
    written = text[span[0]:span[1]]
    if partial:
        return Finding("citation_number_unverified", "info", span[0], span[1], written,
                       f"登记表记载《{entry.title}》的文号为{known}，所引“{written}”可能是其他版本的文号，请核对。",
                       expected=entry.number, found=written, details={"title": entry.title, "numbers": known}), None
    correct = _CORE.match(unicodedata.normalize("NFKC", entry.number).strip())
    return Finding("citation_number_mismatch", "warning", span[0], span[1], written,
                   f"《{entry.title}》的文号是{entry.number}，不是{written}。", expected=entry.number, found=written,
                   suggestion=f"改为{correct.group(1) if correct else entry.number}",
                   details={"title": entry.title, "numbers": known}), None
