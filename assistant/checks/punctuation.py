"""公文 punctuation: half-width , ; : ? ! ( ) written in Chinese text, found and fixed.

A report copied from a web page, a PDF or a model's answer often carries half-width marks
("2023年,我市…", "(一)依法全面履行…"); GB/T 15834 and the 公文 house style write them full-width
(，；：？！（）). This is proofreading, not a fact: the finding is a note (`info`), one per
paragraph (so a pasted report gives a line per paragraph, not one per comma), with every mark it
covers in `details["fixes"]`, and `fix_punctuation` corrects them all.

Only marks in Chinese context are touched. A mark between two digits (1,000 · 8:30 · 3:2), in a
web address, or between Latin words ("Hello, world") is left as it is; a pair of brackets is
converted when its content or either side of it is Chinese ("(一)", "(街道)", "(2021-2025年)"),
so "(ISO 9001)" in a Latin sentence stays. Spaces after a converted mark are dropped (a full-width
mark carries its own space: "完成, 并且" → "完成，并且"), except before a Latin word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .findings import Finding

KIND = "punctuation_halfwidth"
FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef“”‘’《》〈〉〔〕【】—…·]")
_URL = re.compile(r"(?:https?://|www\.)[^\s\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+|[\w.+-]+@[\w-]+\.[\w.]+")
_SPACES = " \t\u00a0"


@dataclass(frozen=True)
class PunctFix:
    start: int
    end: int  # exclusive; covers spaces dropped after the mark
    old: str
    new: str


def _is_cjk(ch: str | None) -> bool:
    return bool(ch) and _CJK.match(ch) is not None


def find_halfwidth(text: str) -> list[PunctFix]:
    """Every half-width mark in Chinese context, in text order."""
    if not text or not any(ch in FULL for ch in text):
        return []
    protected = [False] * len(text)
    for m in _URL.finditer(text):
        for i in range(m.start(), m.end()):
            protected[i] = True
    converted: set[int] = set(_brackets(text, protected))
    fixes: list[PunctFix] = []
    for i, ch in enumerate(text):
        if ch not in FULL or protected[i]:
            continue
        if ch in "()":
            if i in converted:
                fixes.append(_fix(text, i))
            continue
        before = _neighbour(text, i, -1)
        after = _neighbour(text, i, 1)
        if before is not None and after is not None and text[before].isdigit() and text[after].isdigit():
            continue  # 1,000 · 8:30 · 3:2
        if _context(text, before, converted) or _context(text, after, converted):
            fixes.append(_fix(text, i))
    return fixes


def _neighbour(text: str, i: int, step: int) -> int | None:
    """The index of the nearest character on the same line that is not a space, or None."""
    j = i + step
    while 0 <= j < len(text) and text[j] in _SPACES:
        j += step
    return j if 0 <= j < len(text) and text[j] != "\n" else None


def _context(text: str, j: int | None, converted: set[int]) -> bool:
    return j is not None and (_is_cjk(text[j]) or j in converted)


def _brackets(text: str, protected: list[bool]) -> list[int]:
    """The half-width brackets to convert: pairs (half- or full-width, on one line) whose content or
    either side is Chinese, and lone half-width brackets next to Chinese."""
    out: list[int] = []
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    lone: list[int] = []
    for i, ch in enumerate(text):
        if ch == "\n":
            lone += [j for j in stack if text[j] == "("]
            stack = []
        elif ch in "(（" and not protected[i]:
            stack.append(i)
        elif ch in ")）" and not protected[i]:
            if stack:
                pairs.append((stack.pop(), i))
            elif ch == ")":
                lone.append(i)
    lone += [j for j in stack if text[j] == "("]
    for a, b in pairs:
        if text[a] == "（" and text[b] == "）":
            continue
        inner = text[a + 1:b]
        before, after = _neighbour(text, a, -1), _neighbour(text, b, 1)
        if _CJK.search(inner) or _is_cjk(text[before] if before is not None else None) \
                or _is_cjk(text[after] if after is not None else None) or _numbering(text, a, inner):
            out += [k for k in (a, b) if text[k] in "()"]
    for i in lone:
        if any(_is_cjk(text[j]) for j in (_neighbour(text, i, -1), _neighbour(text, i, 1)) if j is not None):
            out.append(i)
    return sorted(out)


def _numbering(text: str, start: int, inner: str) -> bool:
    """"(1)" at the start of a line: a numbered item, written （1） in 公文."""
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip() and bool(re.fullmatch(r"\d{1,2}", inner))


def _fix(text: str, i: int) -> PunctFix:
    end = i + 1
    while end < len(text) and text[end] in _SPACES:
        end += 1
    if end < len(text) and text[end].isascii() and text[end].isalpha():
        end = i + 1  # keep the space before a Latin word
    if end == len(text) or text[end] == "\n":
        end = i + 1
    return PunctFix(i, end, text[i:end], FULL[text[i]])


def fix_punctuation(text: str, fixes: list[PunctFix] | None = None) -> str:
    """`text` with every half-width mark in Chinese context written full-width."""
    fixes = find_halfwidth(text) if fixes is None else fixes
    if not fixes:
        return text
    out, pos = [], 0
    for f in fixes:
        out.append(text[pos:f.start])
        out.append(f.new)
        pos = f.end
    out.append(text[pos:])
    return "".join(out)


def check_punctuation(text: str) -> list[Finding]:
    """One note per paragraph that holds half-width marks in Chinese text."""
    by_line: dict[int, list[PunctFix]] = {}
    for f in find_halfwidth(text):
        by_line.setdefault(text.rfind("\n", 0, f.start) + 1, []).append(f)
    out = []
    for fixes in by_line.values():
        start, end = fixes[0].start, fixes[-1].end
        marks = "".join(f"「{m}」" for m in dict.fromkeys(f.old[0] for f in fixes))
        out.append(Finding(
            KIND, "info", start, end, text[start:end],
            f"这一段有 {len(fixes)} 处半角标点{marks}，公文中应使用全角标点。",
            suggestion="改为全角标点（可一键更正）",
            details={"fixes": [[f.start - start, f.end - start, f.new] for f in fixes]}))
    return out
