"""The outline checker: the report's parts against the fixed outline.

- outline_missing_part (error): a required part is absent (recognised by meaning, not numeral);
  written inside another part (the 第一责任人 part as 一、（二）) it is there, so an info note;
- outline_order (the outline's `order_severity`, info for 第二十五条, which prescribes the content
  but not the order): parts out of the usual order — only the parts that moved, one finding each;
- outline_numbering (warning): a skipped or repeated number among siblings (一、二、四 / (一)(一)); items
  numbered straight through a part (1. 2. under (一), 3. under (二)) are a house style, not a skip;
- outline_part_content (warning): a part lacks what it must contain (二 without causes, 三 without
  the principal leaders' duties, 四 without next year's concrete items); a check may soften to info
  when every item is explained but no cue word occurs (二 whose problems are each elaborated); a
  part written as several themed headings (一、坚持党的领导… 二、深化放管服改革…) is checked as one;
- outline_subsection (info, or warning against the previous report): an area of part 一 that the
  previous report had and this one drops; the outline's areas part 一 does not cover (info).
A single section is checked for numbering and content only.
"""

from __future__ import annotations

import re

from ..outline import Outline, fill
from ..report_tree import ReportTree, Section, display_token, parse_report
from .findings import Finding

_ENUM = re.compile(r"[一二三四五六七八九十]+是|(?:^|\n)\s*[（(][一二三四五六七八九十]+[）)]|(?:^|\n)\s*\d+[.．、]")
_LEVEL_NAME = {1: "部分", 2: "层", 3: "条", 4: "项"}


def check_outline(text: str, outline: Outline, tree: ReportTree | None = None, scope: str = "auto",
                  year: int | None = None, previous: ReportTree | str | None = None,
                  target: str | None = None) -> list[Finding]:
    """`previous`: last year's report (text or tree), when the caller has it: a subsection of part
    一 it had and this text drops is reported. `target`: the place a single section was written for
    (一/(六)): a heading numbered otherwise is reported."""
    tree = tree or parse_report(text, outline.classify_heading)
    year = year or tree.year
    if scope == "auto":
        scope = "report" if len(tree.sections) >= 2 or tree.signoff else "section"
    findings: list[Finding] = []
    if scope == "report":
        findings += _missing_and_order(text, tree, outline, year)
    elif target:
        findings += _renumbered(text, tree, target)
    findings += _numbering(text, tree.sections, free_start=scope == "section")
    findings += _content(text, tree, outline, year)
    if scope == "report":
        if isinstance(previous, str):
            previous = parse_report(previous, outline.classify_heading)
        findings += _areas(text, tree, outline, previous)
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
        inside = _written_inside(tree, outline, part.number)
        if inside is not None:  # "（二）区委书记、区长带头履行第一责任" inside part 一: the content is there
            start, end, shown = _heading_span(text, inside)
            out.append(Finding("outline_missing_part", "info", start, end, shown,
                               f"第{part.key}部分“{part.official}”没有单列，写在了“{_path_shown(tree, inside)}”中；"
                               f"{outline.basis}要求报告包括此项内容，可考虑单列一部分。",
                               expected=part.official, details={"inside": inside.path}))
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
    out += _order(text, tree, outline)
    return out


def _written_inside(tree: ReportTree, outline: Outline, number: int) -> Section | None:
    """A subsection (level 2 or 3) whose own heading names part `number` by its keywords."""
    part = outline.part(number)
    for s in tree.walk():
        if s.level >= 2 and s.title and any(k in s.title for k in part.keywords):
            return s
    return None


def _path_shown(tree: ReportTree, section: Section) -> str:
    chain = [n for n in tree.walk() if section.path == n.path or section.path.startswith(n.path + "/")]
    return "".join(display_token(n.level, n.token) for n in chain) + section.title


def _order(text: str, tree: ReportTree, outline: Outline) -> list[Finding]:
    """Parts out of the outline's order: only those outside the longest run in order, so one
    moved part is one finding ("三 一 二 四": the 第一责任人 part moved to the front)."""
    placed = [s for s in tree.sections if s.part]
    keep = _longest_increasing([s.part for s in placed])
    out = []
    for k, s in enumerate(placed):
        if k in keep:
            continue
        start, end, shown = _heading_span(text, s)
        usual = "举措成效—不足原因—第一责任人履职—下一年度安排"
        if outline.order_severity == "info":
            message = (f"这一部分（{outline.part(s.part).official}）的位置与提纲通常的顺序（{usual}）不同；"
                       f"{outline.basis}规定了内容，未规定顺序，按本地要求即可。")
        else:
            message = f"这一部分（{outline.part(s.part).official}）应按提纲的顺序排列：{usual}。"
        out.append(Finding("outline_order", outline.order_severity, start, end, shown, message,
                           suggestion="如无本地要求，可按提纲顺序调整"))
    return out


def _longest_increasing(seq: list[int]) -> set[int]:
    """Indices of a longest non-decreasing subsequence of `seq`, keeping the earliest elements on a
    tie (so in 一 三 二 四 the later-placed 二 is the one out of place)."""
    n = len(seq)
    best = [1] * n  # longest run starting at k
    nxt = [-1] * n
    for k in range(n - 1, -1, -1):
        for j in range(k + 1, n):
            if seq[j] >= seq[k] and best[j] + 1 > best[k]:
                best[k], nxt[k] = best[j] + 1, j
    if not n:
        return set()
    k = max(range(n), key=lambda x: (best[x], -x))
    out = set()
    while k >= 0:
        out.add(k)
        k = nxt[k]
    return out


def _numbering(text: str, siblings: list[Section], free_start: bool = False) -> list[Finding]:
    """Siblings numbered 1, 2, 3…; a single section checked alone may start anywhere. Items
    numbered straight through their part ((一) 1. 2. (二) 3. 4.) are checked as one sequence."""
    out = []
    by_level: dict[int, list[Section]] = {}
    for s in siblings:
        by_level.setdefault(s.level, []).append(s)
    for level, group in by_level.items():
        out += _sequence(text, level, group, free_start)
        through = _straight_through(group)
        if through:
            out += _sequence(text, through[0].level, through, False)
            for s in group:
                out += _numbering(text, [c for c in s.children if c.level != s.level + 1])
            for item in through:
                out += _numbering(text, item.children)
        else:
            for s in group:
                out += _numbering(text, s.children)
    return out


def _renumbered(text: str, tree: ReportTree, target: str) -> list[Finding]:
    """A section written for `target` (一/(六)) whose own heading carries another number ((五))."""
    from ..report_tree import split_path

    tokens = split_path(target)
    if not tokens or not tree.sections:
        return []
    first = tree.sections[0]
    level = len(tokens)  # 一 is a part, 一/(六) a section, 一/(六)/2 an item
    want = tokens[-1]
    if first.level != level or first.token == want:
        return []
    start = first.start
    end = start + len(display_token(level, first.token))
    shown = text[start:end]
    written = display_token(level, want)
    if "(" in shown:
        written = written.replace("（", "(").replace("）", ")")
    return [Finding("outline_numbering", "warning", start, end, shown,
                    f"这一节是按提纲写的“{''.join(display_token(n + 1, tok) for n, tok in enumerate(tokens))}”，"
                    f"序号应为“{written}”，写成了“{shown}”。", expected=written, found=shown, suggestion=f"改为“{written}”",
                    details={"target": target})]


def _straight_through(group: list[Section]) -> list[Section]:
    """The children of `group` as one sequence when they are numbered straight through: each
    section's first child continues the previous section's last ((一) 1. 2. (二) 3.)."""
    kids = [[c for c in s.children if c.level == s.level + 1] for s in group]
    filled = [k for k in kids if k]
    if len(filled) < 2:
        return []
    continues = all(b[0].number == a[-1].number + 1 for a, b in zip(filled, filled[1:]))
    return [c for k in filled for c in k] if continues else []


def _sequence(text: str, level: int, group: list[Section], free_start: bool) -> list[Finding]:
    out = []
    offset = group[0].number - 1 if free_start else 0
    previous: Section | None = None
    for index, s in enumerate(group, 1 + offset):
        expected = (previous.number if previous else offset) + 1
        # flag a number that follows neither its position nor its predecessor: one finding per slip
        if s.number != expected and s.number != index:
            start = s.start
            end = start + len(display_token(level, s.token))
            shown = text[start:end]
            want = display_token(level, _token_for(level, expected))
            if "(" in shown:  # follow the document's own bracket style
                want = want.replace("（", "(").replace("）", ")")
            if previous is None:
                message = f"序号应从“{want}”开始，这里写成了“{shown}”。"
            else:
                before = text[previous.start:previous.start + len(display_token(level, previous.token))]
                if s.number == previous.number:
                    message = f"序号“{shown}”与前一个“{before}”重复，应为“{want}”。"
                elif s.number > expected:
                    message = f"序号跳号：前一个是“{before}”，这里应为“{want}”，写成了“{shown}”。"
                else:
                    message = f"序号倒退：前一个是“{before}”，这里写成了“{shown}”，应为“{want}”。"
            out.append(Finding("outline_numbering", "warning", start, end, shown, message, expected=want,
                               found=shown, suggestion=f"改为“{want}”"))
        previous = s
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
    """What each part must contain; a part written as several level-1 headings is checked as one."""
    out = []
    groups: dict[int, list[Section]] = {}
    for s in tree.sections:
        if s.part and outline.part(s.part):
            groups.setdefault(s.part, []).append(s)
    for number, sections in groups.items():
        part = outline.part(number)
        body = "\n".join(text[s.heading_end:s.end] for s in sections)
        titles = "\n".join(s.title for s in sections)
        children = [c for s in sections for c in s.children]
        for check in part.checks:
            ok = True
            where = titles + "\n" + body if check.in_heading else body
            if check.any_of:
                ok = any(fill(word, year=year) in where for word in check.any_of)
            if ok and check.pattern:
                ok = re.search(check.pattern, body) is not None
            if ok and check.min_items:
                ok = max(len(_ENUM.findall(body)), len(children)) >= check.min_items
            if not ok:
                severity, message = "warning", check.message
                soft = check.if_items_explained
                if soft and _items_explained(body, soft.min_chars):
                    severity, message = soft.severity, soft.message
                start, end, shown = _heading_span(text, sections[0])
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


def _areas(text: str, tree: ReportTree, outline: Outline, previous: ReportTree | None) -> list[Finding]:
    """Part 一's areas (the outline's subsections). Against the previous report: an area it had as a
    subsection that this text does not speak of at all is a warning, one under another number an
    info. Without it: the outline's areas this part 一 never speaks of, one info note."""
    first = [s for s in tree.sections if s.part == 1]
    part1 = outline.part(1)
    if not first or part1 is None or not part1.subsections:
        return []
    body = "\n".join(text[s.start:s.end] for s in first)
    headed = _headed_areas(text, first, outline)
    # an area part 一 speaks of: a subsection headed by it, or its words twice in the text (once
    # may be a passing word: 风险 of 风险评估 is not 突发事件)
    spoken = set(headed) | {a.key for a in part1.subsections if sum(body.count(k) for k in a.keywords if k) >= 2}
    start, end, shown = _heading_span(text, first[0])
    out = []
    if previous is not None:
        for key, was in _headed_areas(previous.text, [s for s in previous.sections if s.part == 1], outline).items():
            area = outline.subsection(key)
            old = f"{display_token(was.level, was.token)}{was.title}"
            now = headed.get(key)
            if key not in spoken:
                out.append(Finding("outline_subsection", "warning", start, end, shown,
                                   f"上一年度报告第一部分有“{old}”（{area.title}），本稿第一部分没有这方面的内容。",
                                   suggestion=f"补写“{area.title}”方面的举措和成效，或确认本年度确无此项工作",
                                   details={"area": key, "previous": was.path}))
            elif now is not None and now.level == was.level and now.token != was.token:
                s0, s1, text_now = _heading_span(text, now)
                out.append(Finding("outline_subsection", "info", s0, s1, text_now,
                                   f"这一方面（{area.title}）上一年度报告是“{old}”，本稿编为"
                                   f"“{display_token(now.level, now.token)}”。", details={"area": key, "previous": was.path}))
    else:
        absent = [a.title for a in part1.subsections if a.key not in spoken]
        if absent:
            out.append(Finding("outline_subsection", "info", start, end, shown,
                               f"第一部分没有写到《法治政府建设实施纲要》的这些方面：{'、'.join(absent)}。"
                               "如本年度确有相关工作，可以补充。", details={"areas": absent}))
    return out


def _headed_areas(text: str, parts: list[Section], outline: Outline) -> dict[str, Section]:
    """The areas of part 一 that its subsections are headed by (the first subsection of each)."""
    out: dict[str, Section] = {}
    for top in parts:
        for s in [c for c in top.children if c.level == 2] or [top]:
            key = outline.classify_subsection(s.title)
            if key and key not in out:
                out[key] = s
    return out
