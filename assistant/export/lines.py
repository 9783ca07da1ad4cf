"""The report as lines of the Word layout: each paragraph of the text with its kind (title,
salutation, part heading, section heading, item, body, sign-off) and, for an inline heading
("（一）标题。正文…"), where its heading ends. The Word and Markdown exports both start here."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ..report_tree import ReportTree, Section, parse_report

WHITESPACE = " \t\r\u3000"


class Kind(Enum):
    """What a line of the report is; decides its paragraph and run formatting."""

    TITLE = "title"
    SALUTATION = "salutation"
    LEVEL1 = "level1"
    LEVEL2 = "level2"
    ITEM = "item"
    BODY = "body"
    SIGNOFF = "signoff"


@dataclass(frozen=True)
class Line:
    """One paragraph of the report: `text[start:end]`; `head_end` ends an inline heading's title."""

    kind: Kind
    start: int
    end: int
    head_end: int | None = None


def report_lines(text: str, tree: ReportTree | None = None) -> list[Line]:
    """The non-empty lines of `text`, classified by the report tree, in order."""
    tree = tree or parse_report(text)
    sections = {section.line_start: section for section in tree.walk()}
    lines: list[Line] = []
    offset = 0
    for raw in text.split("\n"):
        line_start, offset = offset, offset + len(raw) + 1
        start, end = _strip_span(text, line_start, line_start + len(raw))
        if start == end:
            continue
        lines.append(_classify(text, tree, sections.get(line_start), start, end, lines))
    return lines


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in WHITESPACE:
        start += 1
    while end > start and text[end - 1] in WHITESPACE:
        end -= 1
    return start, end


def _classify(text: str, tree: ReportTree, section: Section | None, start: int, end: int,
              previous: list[Line]) -> Line:
    if tree.title_span and start <= tree.title_span[0] < end:
        return Line(Kind.TITLE, *tree.title_span)
    if tree.signoff and start >= tree.signoff.start:
        return Line(Kind.SIGNOFF, start, end)
    if section is not None and (section.level < 3 or (section.level == 3 and section.title)):
        kind = {1: Kind.LEVEL1, 2: Kind.LEVEL2, 3: Kind.ITEM}[section.level]
        head_end = section.heading_end if section.heading_end < end else None
        return Line(kind, section.start, end, head_end)
    if _is_salutation(text[start:end], start, tree, previous):
        return Line(Kind.SALUTATION, start, end)
    return Line(Kind.BODY, start, end)


def _is_salutation(content: str, start: int, tree: ReportTree, previous: list[Line]) -> bool:
    """主送机关: a short line ending with a colon, before any body text (the tree's rule)."""
    before_body = all(line.kind is Kind.TITLE for line in previous)
    return before_body and start < tree.preamble_end and len(content) <= 40 and content.endswith(("：", ":"))


# --- Word -----------------------------------------------------------------------------------
