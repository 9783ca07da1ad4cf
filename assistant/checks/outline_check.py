"""The outline checker: the report's parts against the fixed outline.

- outline_missing_part (error): a required part is absent (recognised by meaning, not numeral);
- outline_order (warning): parts out of the outline's order;
- outline_numbering (warning): a skipped or repeated number among siblings (一、二、四 / (一)(一));
- outline_part_content (warning): a part lacks what it must contain (二 without causes, 三 without
  the principal leaders' duties, 四 without next year's concrete items); a check may soften to info
  when every item is explained but no cue word occurs (二 whose problems are each elaborated).
A single section is checked for numbering and content only.
"""

from __future__ import annotations

import re

from ..outline import Outline, fill
from ..report_tree import ReportTree, Section, display_token, parse_report
from .findings import Finding

_ENUM = re.compile(r"[一二三四五六七八九十]+是|(?:^|\n)\s*[（(][一二三四五六七八九十]+[）)]|(?:^|\n)\s*\d+[.．、]")


def check_outline(text: str, outline: Outline, tree: ReportTree | None = None, scope: str = "auto",
                  year: int | None = None) -> list[Finding]:
    tree = tree or parse_report(text, outline.classify_heading)
    year = year or tree.year
    if scope == "auto":
        scope = "report" if len(tree.sections) >= 2 or tree.signoff else "section"
    findings: list[Finding] = []
    if scope == "report":
        findings += _missing_and_order(text, tree, outline, year)
    findings += _numbering(text, tree.sections, free_start=scope == "section")
    findings += _content(text, tree, outline, year)
    return findings


def _heading_span(text: str, section: Section) -> tuple[int, int, str]:
    end = text.find("\n", section.start)
    end = len(text) if end < 0 else end
    end = min(end, section.start + 60)
    return section.start, end, text[section.start:end]


def _missing_and_order(text: str, tree: ReportTree, outline: Outline, year: int | None) -> list[Finding]:
    out = []
    present = [s.part for s in tree.sections if s.part]
    for part in outline.required_parts:
        if part.number in present:
            continue
        after = [s for s in tree.sections if s.part and s.part > part.number]
        anchor = after[0] if after else (tree.sections[-1] if tree.sections else None)
        if anchor:
            start, end, shown = _heading_span(text, anchor)
        else:
            first = text.find("\n")
            start, end = 0, len(text) if first < 0 else first
            shown = text[start:end]
        out.append(Finding("outline_missing_part", "error", start, end, shown,
                           f"缺少第{part.key}部分“{part.official}”（{outline.basis}要求报告包括此项内容）。",
                           expected=part.official, suggestion=f"补写“{part.key}、{fill(part.heading, year=year)}”部分"))
    highest = 0
    for s in tree.sections:
        if not s.part:
            continue
        if s.part < highest:
            start, end, shown = _heading_span(text, s)
            out.append(Finding("outline_order", "warning", start, end, shown,
                               f"这一部分（{outline.part(s.part).official}）应排在前面：报告各部分应按"
                               f"“举措成效—不足原因—第一责任人履职—下一年度安排”的顺序。",
                               suggestion="调整各部分顺序"))
        highest = max(highest, s.part)
    return out


def _numbering(text: str, siblings: list[Section], free_start: bool = False) -> list[Finding]:
    """Siblings numbered 1, 2, 3…; a single section checked alone may start anywhere."""
    out = []
    by_level: dict[int, list[Section]] = {}
    for s in siblings:
        by_level.setdefault(s.level, []).append(s)
    for level, group in by_level.items():
        offset = group[0].number - 1 if free_start else 0
        previous = offset
        for index, s in enumerate(group, 1 + offset):
            expected = previous + 1
            # flag a number that follows neither its position nor its predecessor: one finding per slip
            if s.number != expected and s.number != index:
                start = s.start
                end = start + len(display_token(level, s.token))
                shown = text[start:end]
                want = display_token(level, _token_for(level, expected))
                if "(" in shown:  # follow the document's own bracket style
                    want = want.replace("（", "(").replace("）", ")")
                if s.number == previous:
                    message = f"序号“{shown}”与上一条重复，应为“{want}”。"
                elif s.number > expected:
                    message = f"序号跳号：上一条是第{previous}条，这里应为“{want}”，写成了“{shown}”。"
                else:
                    message = f"序号倒退：上一条是第{previous}条，这里写成了“{shown}”，应为“{want}”。"
                out.append(Finding("outline_numbering", "warning", start, end, shown, message, expected=want,
                                   found=shown, suggestion=f"改为“{want}”"))
            previous = s.number
        for s in group:
            out += _numbering(text, s.children)
    return out


def _token_for(level: int, number: int) -> str:
    from ..numerals import int_to_cn

    if level == 1:
        return int_to_cn(number)
    if level == 2:
        return f"({int_to_cn(number)})"
    if level == 4:
        return f"({number})"
    return str(number)


def _content(text: str, tree: ReportTree, outline: Outline, year: int | None) -> list[Finding]:
    out = []
    for s in tree.sections:
        part = outline.part(s.part) if s.part else None
        if not part:
            continue
        body = text[s.heading_end:s.end]
        for check in part.checks:
            ok = True
            where = s.title + "\n" + body if check.in_heading else body
            if check.any_of:
                ok = any(fill(word, year=year) in where for word in check.any_of)
            if ok and check.pattern:
                ok = re.search(check.pattern, body) is not None
            if ok and check.min_items:
                ok = max(len(_ENUM.findall(body)), len(s.children)) >= check.min_items
            if not ok:
                severity, message = "warning", check.message
                soft = check.if_items_explained
                if soft and _items_explained(body, soft.min_chars):
                    severity, message = soft.severity, soft.message
                start, end, shown = _heading_span(text, s)
                out.append(Finding("outline_part_content", severity, start, end, shown,
                                   fill(message, year=year), suggestion=part.must_contain,
                                   details={"check": check.id, "part": part.key}))
    return out


_HEADLINE_END = re.compile(r"[，,；;：:。\n]")


def _items_explained(body: str, min_chars: int) -> bool:
    """Every enumerated item (一是…, (一)…, 1.…) says more than its headline clause."""
    starts = [m.start() for m in _ENUM.finditer(body)]
    if not starts:
        return False
    for start, end in zip(starts, starts[1:] + [len(body)]):
        item = body[start:end].strip()
        cut = _HEADLINE_END.search(item)
        rest = item[cut.end():] if cut else ""
        if len(re.sub(r"[\s，,；;：:。、]", "", rest)) < min_chars:
            return False
    return True
