"""Marks in a draft: visible notes in the text itself that something still needs a person.

    〔待核实：…〕  something stated is wrong or unsupported; the note says what (error)
    〔未写完〕     the text was cut here (the model's answer ended or broke off) (error)
    〔待补：…〕    a fact the inputs do not give, e.g. 〔待补：行政复议案件数〕 (warning)
    〔待更新〕     a number from last year with no counterpart this year (offline drafter) (warning)

A mark is part of the text, so it survives copying, export and editing; it is cleared by fixing
what it says and deleting it. `run_checks` reports every remaining mark as a `draft_mark`
finding, and the other checks never read a mark's words as a statistic or a citation
(`mask_marks`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .findings import Finding

VERIFY, UNFINISHED, MISSING, STALE = "待核实", "未写完", "待补", "待更新"
SEVERITY = {VERIFY: "error", UNFINISHED: "error", MISSING: "warning", STALE: "warning"}
_MARK = re.compile(r"〔(待核实|未写完|待补|待更新)(?:[：:]([^〔〕\n]*))?〕")
MASK_CHAR = "〓"  # a typesetter's placeholder: no digit, no clause break, no title mark
_MESSAGES = {
    VERIFY: "标有〔待核实〕：{note}。核实后改正原文，并删去这个标记。",
    UNFINISHED: "这里没有写完（大模型的回答被截断或中断）：请补写完整，并删去这个标记。",
    MISSING: "需要补充{note}（输入数据和素材中没有）：补上后删去这个标记。",
    STALE: "这个数字没有本年度的对应指标：更新为本年度数据后删去这个标记。",
}


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str  # 待核实 | 未写完 | 待补 | 待更新
    note: str = ""

    @property
    def severity(self) -> str:
        return SEVERITY[self.kind]


def find_marks(text: str) -> list[Mark]:
    """Every mark in `text`, in order."""
    return [Mark(m.start(), m.end(), m.group(1), (m.group(2) or "").strip()) for m in _MARK.finditer(text or "")]


def make_mark(kind: str, note: str | None = None) -> str:
    """The text of a mark; the note is cleaned so that it cannot end the mark early."""
    if kind not in SEVERITY:
        raise ValueError(f"unknown mark kind {kind!r}")
    note = re.sub(r"\s+", " ", (note or "").replace("〔", "（").replace("〕", "）")).strip()
    return f"〔{kind}：{note}〕" if note else f"〔{kind}〕"


def mask_marks(text: str) -> str:
    """`text` with every mark replaced by as many placeholder characters: the same offsets, and
    nothing inside a mark can be read as a number, a year or a title."""
    if "〔" not in text:
        return text
    return _MARK.sub(lambda m: MASK_CHAR * (m.end() - m.start()), text)


def mark_at(text: str, pos: int) -> Mark | None:
    """The mark that starts at `pos` (spaces skipped), if any."""
    while pos < len(text) and text[pos] in " \u3000":
        pos += 1
    m = _MARK.match(text, pos)
    return Mark(m.start(), m.end(), m.group(1), (m.group(2) or "").strip()) if m else None


def check_marks(text: str) -> list[Finding]:
    """One finding per mark still in the text."""
    out = []
    for mark in find_marks(text):
        note = mark.note or ("此处内容" if mark.kind == VERIFY else "")
        message = _MESSAGES[mark.kind].format(note=f"“{note}”" if note and mark.kind == MISSING else note)
        out.append(Finding("draft_mark", mark.severity, mark.start, mark.end, text[mark.start:mark.end], message,
                           suggestion="处理后删去标记", details={"mark": mark.kind, "note": mark.note}))
    return out
