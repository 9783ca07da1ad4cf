"""National laws named in running text without 《》: "组织学习中华人民共和国行政处罚法、行政许可法等12部
法律法规", "依照行政复议法第二十条". Such a name is a citation (checked for status and articles) only
when it is exactly a national law's name standing as a word:

- a full title (中华人民共和国行政处罚法) anywhere;
- a short name (行政许可法) when it follows a full title or another bare name in a list
  (、 和 及 与), stands before an article reference (第二十条), or follows a verb of citing
  (学习、贯彻、依照 …) or a non-Chinese character;

and never when the next character makes it another word (行政处罚法律, 环境保护法治, 刑法学), or
inside 《》 (those are the finder's). A bare name is never reported as unknown.
"""

from __future__ import annotations

import re

from .finder import Citation, find_titles, read_articles

# 法 followed by one of these is another word: 法律 法治 法规 法院 法官 法制 法学 法人 法定 …
_NOT_A_NAME_END = set("律治规院官制学人定庭务案条理援网宝纪警医盲")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LIST_JOINER = ("、", "和", "及", "与", "以及", "，")
_CITING = re.compile(r"(?:学习|贯彻|落实|实施|施行|执行|依据|根据|依照|按照|遵照|违反|适用|宣传|宣讲|解读|修订|修改|颁布|"
                     r"出台|新修订的|新修改的|新颁布的|对照|参照|运用|普及|组织|开展|围绕|聚焦|以)$")
_ARTICLE_NEXT = re.compile(r"第[零〇一二三四五六七八九十百千0-9０-９]+条")


def find_bare_names(text: str, names: dict[str, str], skip: list[tuple[int, int]] | None = None) -> list[Citation]:
    """Citations of national laws named without 《》. `names`: name → the title it means (the
    registry's `law_names()`); `skip`: spans already read as citations or quotations."""
    if not names:
        return []
    lengths = sorted({len(n) for n in names}, reverse=True)
    spans = [(a, b) for a, b, _ in find_titles(text)] + list(skip or [])
    out: list[Citation] = []
    for m in re.finditer(r"法典?", text):
        end = m.end()
        if end < len(text) and text[end] in _NOT_A_NAME_END:
            continue
        name = next((text[end - n:end] for n in lengths if n <= end and text[end - n:end] in names), None)
        if name is None:
            continue
        start = end - len(name)
        if any(a <= start < b or a < end <= b for a, b in spans) or out and start < out[-1].end:
            continue
        full = name.startswith("中华人民共和国")
        if not full and not _stands_as_a_name(text, start, end, out):
            continue
        cit = Citation(title=name, start=start, end=end, title_start=start, title_end=end, bare=True)
        if names[name] != name:
            cit.means = names[name]
        cit.end = max(end, read_articles(text, end, cit))
        out.append(cit)
    return out


def _stands_as_a_name(text: str, start: int, end: int, found: list[Citation]) -> bool:
    before = text[max(0, start - 8):start]
    if not before or not _CJK.match(before[-1]):
        return True
    if _ARTICLE_NEXT.match(text, end):
        return True
    if found and any(before.endswith(j) and found[-1].end == start - len(j) for j in _LIST_JOINER):
        return True  # a list: 中华人民共和国行政处罚法、行政许可法
    return bool(_CITING.search(before))
