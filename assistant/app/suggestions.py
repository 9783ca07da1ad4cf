"""Applying a finding's suggestion in one click: which findings have a literal replacement, what it
is, and the finding of a fresh check that is the same one the clerk clicked (the text may have
moved since the table was drawn).

A suggestion is applied only when it is the exact words to write: a number bound to its figure
("改为“416件”"), a misspelt title ("改为《优化营商环境条例》"), a wrong numbering token, half-width
punctuation. Advice ("核实后改引现行有效的文件", "补充该指标，或删去/改写该数字", a year with "并核对…")
is a person's job and gets no button.
"""

from __future__ import annotations

import re

from ..checks import Finding, fix_punctuation

PUNCTUATION = "punctuation_halfwidth"
_QUOTED = re.compile(r"^改为“([^“”]{1,80})”$")
_TITLE = re.compile(r"^改为(《[^《》]{1,80}》)$")


def replacement(f: Finding | dict, text: str | None = None) -> str | None:
    """The text that replaces the finding's span, or None when it has no literal replacement.
    `text` is the span's text (needed for punctuation: every mark in it is fixed)."""
    kind = _get(f, "kind")
    suggestion = _get(f, "suggestion") or ""
    span = _get(f, "text") if text is None else text
    if kind == PUNCTUATION:
        fixed = fix_punctuation(span or "")
        return fixed if fixed != span else None
    if kind == "draft_mark" or kind.startswith("outline_") and kind != "outline_numbering":
        return None
    m = _QUOTED.match(suggestion) or _TITLE.match(suggestion)
    if not m:
        return None
    new = m.group(1)
    if kind == "citation_unknown" and span and not span.startswith("《"):
        new = new.strip("《》")
    return new if new != span else None


def describe(f: Finding | dict) -> str:
    """What applying it does, for the button's neighbour: 「461件」→「416件」."""
    new = replacement(f)
    return f"「{_get(f, 'text')}」→「{new}」" if new is not None else ""


def same_finding(target: dict, findings: list[Finding], text: str) -> Finding | None:
    """The finding in a fresh check that is the one clicked: same kind and words, nearest place."""
    candidates = [f for f in findings if f.kind == target.get("kind") and text[f.start:f.end] == target.get("text")
                  and (f.figure_id or None) == (target.get("figure_id") or None)]
    if not candidates:
        return None
    return min(candidates, key=lambda f: abs(f.start - int(target.get("start") or 0)))


def _get(f: Finding | dict, name: str):
    return f.get(name) if isinstance(f, dict) else getattr(f, name)
