"""Offline drafting: a deterministic drafter that needs no LLM and never writes a wrong figure.

Two ways, per part:
- Year-over-year update: take the part from the region's previous report, tie each of its
  numbers to this year's figures by words and unit (the checker's binding), write in this year's
  value in the same style ("5900余次" stays an approximation), and replace a number with no
  counterpart this year by 〔待更新〕 rather than keep a stale figure. Years move too (the report
  year in the title and part 一, the plan year in part 四).
- Composition from the inputs where no previous report covers a part: outline headings, the
  work notes as sentences, the figures as sentences.
Every part is headed by the outline's official heading for this year (last year's wording of a
heading is not kept). Finally the figure checker runs over the draft; anything it still finds
wrong is replaced by the inputs' value (or 〔待核实〕), so an offline draft has no figure error.
What the draft cannot know is said, in the text and in `OfflineResult.notes` (the draft's
status): a part taken over from last year's report because this year has no notes for it is
marked 〔待核实：沿用…年报告原文…〕 after each passage the carried-over check finds (last year's
problems, duties and plans are not this year's), and a part shorter than the outline's minimum
is named with its length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..checks import (FigureBinder, Mention, check_carried_over, check_figures, find_quantities, make_mark, mask_marks,
                      restate)
from ..inputs import Figure, Inputs, Note
from ..outline import Outline
from ..report_tree import ReportTree, display_token, parse_report, split_path

STALE = "〔待更新〕"
_YEAR = re.compile(r"(?<!\d)(19|20)(\d{2})(?=\s*年)")
_TITLE = re.compile(r"《[^《》]*(?:《[^《》]*》[^《》]*)*》")


@dataclass
class OfflineResult:
    text: str
    updated: int = 0  # numbers updated from this year's inputs
    stale: int = 0  # numbers with no counterpart, marked 〔待更新〕
    composed: list[str] = field(default_factory=list)  # parts written from the inputs alone
    corrected: int = 0  # numbers the final check had to correct
    carried: list[str] = field(default_factory=list)  # parts (keys) marked as carried over from last year
    short: list[tuple[str, int, int]] = field(default_factory=list)  # (part key, characters, outline minimum)
    notes: list[str] = field(default_factory=list)  # what the draft's status says about the text


class OfflineDrafter:
    def __init__(self, inputs: Inputs, outline: Outline, previous_text: str | None = None) -> None:
        self.inputs = inputs
        self.outline = outline
        self.year = inputs.report.year
        self.region = inputs.report.region or ""
        self.previous: ReportTree | None = parse_report(previous_text, outline.classify_heading) if previous_text else None
        self.prev_year = (self.previous.year if self.previous else None) or (self.year - 1 if self.year else None)
        self._bindings: dict[int, object] | None = None
        self._mentions: list[Mention] = []

    # -- public ---------------------------------------------------------------------------------
    def whole(self) -> OfflineResult:
        result = OfflineResult("")
        blocks = [self.title()]
        recipient = self.inputs.report.recipient or (self.previous.recipient if self.previous else None)
        if recipient:
            blocks.append(f"{recipient}：")
        blocks.append(self._intro(result))
        position = 0
        for part in self.outline.parts:
            if not part.required and not self._has_material(part.number):
                continue
            position += 1
            blocks.append(self._part(part.number, position, result))
        blocks.extend(self.signoff())
        result.text = "\n".join(b for b in blocks if b is not None and b != "")
        return self._said(self._final_check(result))

    def section(self, path: str) -> OfflineResult:
        """One part ('二') or subsection ('一/(六)'), as it would stand in the whole report."""
        tokens = split_path(path)
        result = OfflineResult("")
        part = self.outline.part_by_key(tokens[0])
        number = part.number if part else None
        if len(tokens) == 1 and part is not None:
            position = [p.number for p in self.outline.parts].index(number) + 1
            result.text = self._part(number, position, result)
            return self._said(self._final_check(result))
        node = self.previous.find(path) if self.previous else None
        if node is not None:
            result.text = self._update(self.previous.section_text(node).rstrip("\n"), node.line_start, result)
        else:
            result.text = self._compose_subsection(tokens, result)
        return self._said(self._final_check(result))

    def title(self) -> str:
        return self.inputs.report.title or self.outline.title_for(self.region, self.year)

    def signoff(self) -> list[str]:
        issuer = self.inputs.report.issuer or (self.previous.signoff.issuer if self.previous and self.previous.signoff else None)
        return [issuer or "〔待补：落款单位〕", chinese_date(self.inputs.report.date) or "〔待补：成文日期〕"]

    # -- parts ------------------------------------------------------------------------------------
    def _has_material(self, number: int) -> bool:
        part = self.outline.part(number)
        if self.previous and self.previous.part(number):
            return True
        return any(split_path(n.section)[0] == part.key for n in self.inputs.notes)

    def _part(self, number: int, position: int, result: OfflineResult) -> str:
        """Part 一 follows last year's report (its structure, this year's numbers); parts 二–四
        are written from this year's notes when there are any (problems, duties and plans
        change every year), else last year's part is updated."""
        token = self.outline.heading_token(1, position)
        node = self.previous.part(number) if self.previous else None
        key = self.outline.part(number).key
        if number >= 2 and any(split_path(n.section)[0] == key for n in self.inputs.notes):
            node = None
        if node is not None:
            text = self._update(self.previous.section_text(node).rstrip("\n"), node.line_start, result)
            # the official heading, numbered for its place in this report ("三、党政主要负责人履行推进法治建设
            # 第一责任人的情况" of last year becomes "三、2024年党政主要负责人履行…，加强法治政府建设的有关情况")
            heading = token + self.outline.part(number).heading_for(self.year)
            first, newline, rest = text.partition("\n")
            if node.heading_end >= node.line_start + len(first):  # the heading is a line of its own
                return heading + newline + rest
            old = display_token(1, node.token)
            return token + text[len(old):] if text.startswith(old) else text
            
        result.composed.append(self.outline.part(number).key)
        return self._compose_part(number, token, result)

    def _intro(self, result: OfflineResult) -> str:
        if self.previous is not None:
            tree = self.previous
            start = tree.title_span[1] if tree.title_span else 0
            lines = tree.text[start:tree.preamble_end].split("\n")
            recipient = (tree.recipient or "").strip()
            keep = [ln for ln in lines if ln.strip() and not (recipient and ln.strip().rstrip("：:") == recipient)]
            if keep:
                offset = tree.text.index(keep[0], start)
                return self._update("\n".join(keep), offset, result)
        return self.outline.intro_for(self.region, self.year)

    # -- year-over-year update ------------------------------------------------------------------
    def _prev_bindings(self):
        if self._bindings is None:
            text = self.previous.text
            self._mentions = find_quantities(text, self.inputs.extra_units)
            same_year = self.prev_year == self.year
            binder = FigureBinder(self.inputs)
            self._bindings = binder.bind(text, self._mentions, self.previous, use_values=same_year,
                                         previous_values=not same_year)
        return self._bindings

    def _update(self, chunk: str, offset: int, result: OfflineResult) -> str:
        """`chunk` is previous-report text starting at `offset`; returns it with this year's
        figures and years."""
        text = self.previous.text
        end = offset + len(chunk)
        bindings = self._prev_bindings()
        edits: list[tuple[int, int, str]] = []
        for i, m in enumerate(self._mentions):
            if m.start < offset or m.end > end:
                continue
            binding = bindings.get(i)
            if binding is None:
                edits.append((m.start, m.end, STALE + m.unit))
                result.stale += 1
                continue
            fig = binding.figure
            value = self.inputs.value(fig.id)
            edits.append((m.start, m.end, restate(m, text, value, fig.unit, approx_source=fig.approx)))
            result.updated += 1
        edits += self._year_edits(text, offset, end)
        edits.sort()
        out, pos = [], offset
        for s, e, new in edits:
            if s < pos:
                continue
            out.append(text[pos:s])
            out.append(new)
            pos = e
        out.append(text[pos:end])
        return "".join(out)

    def _year_edits(self, text: str, start: int, end: int) -> list[tuple[int, int, str]]:
        if not self.year or not self.prev_year or self.year == self.prev_year:
            return []
        shift = {self.prev_year: self.year, self.prev_year + 1: self.year + 1}
        titles = [m.span() for m in _TITLE.finditer(text, start, end)]
        edits = []
        for m in _YEAR.finditer(text, start, end):
            if any(a <= m.start() < b for a, b in titles):
                continue
            year = int(m.group(0))
            if year in shift:
                edits.append((m.start(), m.end(), str(shift[year])))
        return edits

    # -- composition from the inputs --------------------------------------------------------------
    def _figures_in(self, prefix: str, exact: bool = False) -> list[Figure]:
        out = []
        for fig in self.inputs.figures:
            sec = (fig.section or "").replace("（", "(").replace("）", ")").replace(".", "/")
            if (sec == prefix) if exact else (sec == prefix or sec.startswith(prefix + "/")):
                out.append(fig)
        return out

    def _figure_sentence(self, figures: list[Figure]) -> str:
        if not figures:
            return ""
        parts = [f"{fig.label}{self.inputs.display(fig.id)}" for fig in figures]
        return "全年" + "，".join(parts) + "。"

    def _notes(self, section: str, kinds: tuple[str, ...] | None = None) -> list[Note]:
        return self.inputs.notes_for(section, kinds)

    def _compose_part(self, number: int, token: str, result: OfflineResult) -> str:
        part = self.outline.part(number)
        heading = token + part.heading_for(self.year)
        year, region = self.year or "本", self.region or "本地区"
        if number == 1:
            return self._compose_part1(heading, result)
        if number == 2:
            problems = self._notes(part.key, ("problem",))
            causes = self._notes(part.key, ("cause",))
            if not problems and not causes:
                return f"{heading}\n〔待补：本年度法治政府建设存在的不足和原因〕"
            lines = [f"{year}年，{region}法治政府建设取得了一定成效，但对照法治政府建设的标准和人民群众的期待，仍存在一些不足："]
            items = []
            for i, problem in enumerate(problems):
                sentence = f"{_ordinal(i + 1)}是{_strip_stop(problem.text or problem.title or '')}"
                if i < len(causes):
                    sentence += f"，究其原因，{_strip_stop(causes[i].text or '')}"
                items.append(sentence)
            for cause in causes[len(problems):]:
                items.append(f"{_ordinal(len(items) + 1)}是究其原因，{_strip_stop(cause.text or '')}")
            return heading + "\n" + lines[0] + "；".join(items) + "。"
        if number == 3:
            duties = self._notes(part.key)
            lead = f"{region}党政主要负责人切实履行推进法治建设第一责任人职责，"
            if not duties:
                return f"{heading}\n{lead}〔待补：党政主要负责人履职的具体情况〕"
            return heading + "\n" + lead + _enumerate(duties)
        if number == 4:
            plans = self._notes(part.key)
            next_year = f"{self.year + 1}年" if self.year else "下一年度"
            lead = f"{next_year}，{region}将坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，重点做好以下工作："
            if not plans:
                return f"{heading}\n{lead}〔待补：下一年度的具体安排〕"
            return heading + "\n" + lead + _enumerate(plans)
        notes = self._notes(part.key)
        body = "".join((n.text or "") for n in notes) or "〔待补〕"
        return heading + "\n" + body

    def _compose_part1(self, heading: str, result: OfflineResult) -> str:
        subsections = sorted({"/".join(split_path(n.section)[:2]) for n in self.inputs.notes
                              if n.section.startswith("一/") or n.section.startswith("一.")} |
                             {"/".join(split_path(f.section)[:2]) for f in self.inputs.figures
                              if f.section and split_path(f.section)[0] == "一" and len(split_path(f.section)) > 1},
                             key=_path_key)
        lines = [heading]
        if not subsections:
            sentence = self._figure_sentence(self.inputs.figures)
            lines.append(sentence or "〔待补：本年度推进法治政府建设的主要举措和成效〕")
            return "\n".join(lines)
        for n, path in enumerate(subsections, 1):
            lines.append(self._compose_subsection(split_path(path), result, number=n))
        return "\n".join(lines)

    def _compose_subsection(self, tokens: list[str], result: OfflineResult, number: int | None = None) -> str:
        path = "/".join(tokens)
        level = len(tokens)
        own = self._notes(path)
        title = next((n.title for n in own if n.title), None)
        if title is None and level == 2:
            area = self.outline.subsection(tokens[1]) if tokens[1] in [s.key for s in self.outline.part(1).subsections] else None
            title = area.title if area else "〔待补：小标题〕"
        token = self.outline.heading_token(2, number) if number and level == 2 else display_token(level, tokens[-1])
        lines = [f"{token}{title or ''}"]
        items = sorted({"/".join(split_path(n.section)[:3]) for n in self.inputs.notes if n.section.startswith(path + "/")}
                       | {"/".join(split_path(f.section)[:3]) for f in self.inputs.figures
                          if f.section and f.section.replace(".", "/").startswith(path + "/")}, key=_path_key)
        body = " ".join(n.text for n in own if n.text)
        direct = self._figure_sentence(self._figures_in(path, exact=True))
        if body or direct:
            lines.append((body + direct).strip())
        for k, item in enumerate(items, 1):
            notes = self._notes(item)
            item_title = next((n.title for n in notes if n.title), None)
            text = "".join(n.text or "" for n in notes)
            sentence = self._figure_sentence(self._figures_in(item))
            head = f"{k}." + (f"{item_title}。" if item_title else "")
            lines.append(head + text + sentence)
        if len(lines) == 1:
            lines.append("〔待补：本项工作的举措和成效〕")
        return "\n".join(lines)

    # -- the guarantee ----------------------------------------------------------------------------
    def _final_check(self, result: OfflineResult) -> OfflineResult:
        for _round in range(3):
            errors = [f for f in check_figures(result.text, self.inputs) if f.severity == "error"]
            if not errors:
                return result
            text = result.text
            for f in sorted(errors, key=lambda f: f.start, reverse=True):
                replacement = f.expected if _round < 2 and f.expected else "〔待核实〕"
                text = text[:f.start] + replacement + text[f.end:]
                result.corrected += 1
            result.text = text
        return result


    # -- what the draft cannot know -------------------------------------------------------------
    def _said(self, result: OfflineResult) -> OfflineResult:
        """Marks after passages carried over from last year's report into parts 二–五, and the
        draft's notes: those parts, and the parts shorter than the outline's minimum."""
        if self.previous is not None and self.year and self.prev_year and self.prev_year < self.year:
            tree = parse_report(result.text, self.outline.classify_heading)
            found = [f for f in check_carried_over(result.text, tree, self.previous.text, self.outline, self.year,
                                                   has_inputs=True)
                     if f.severity == "warning" and f.details.get("part", 1) >= 2]
            mark = make_mark("待核实", f"沿用{self.prev_year}年报告原文，请按{self.year}年情况改写")
            for f in sorted(found, key=lambda f: f.end, reverse=True):
                result.text = result.text[:f.end] + mark + result.text[f.end:]
            result.carried = sorted({self.outline.part(f.details["part"]).key for f in found},
                                    key=lambda k: [p.key for p in self.outline.parts].index(k))
        if result.carried:
            parts = "、".join(f"第{k}部分" for k in result.carried)
            result.notes.append(f"{parts}沿用了{self.prev_year}年报告的原文（本年度没有这些部分的素材），"
                                f"已在原处标〔待核实〕：上年的问题、履职情况和安排不是{self.year}年的，请按本年度情况改写。")
        result.short = self._short_parts(result.text)
        for key, length, minimum in result.short:
            result.notes.append(f"第{key}部分只有 {length} 字，提纲要求不少于 {minimum} 字：素材不足，请补充本年度的具体情况。")
        return result

    def _short_parts(self, text: str) -> list[tuple[str, int, int]]:
        """(key, characters of its body, the outline's minimum) of each part shorter than that."""
        tree = parse_report(text, self.outline.classify_heading)
        masked = mask_marks(text)  # a mark is not text of the part
        out = []
        for section in tree.sections:
            part = self.outline.part(section.part) if section.part else None
            if part is None or not part.length.min:
                continue
            length = len(re.sub(r"[\s〓]", "", masked[section.heading_end:section.end]))
            if length < part.length.min:
                out.append((part.key, length, part.length.min))
        return out


def _enumerate(notes: list[Note]) -> str:
    """"一是{title}。{text}二是…": the way reports list duties and plans."""
    return "".join(f"{_ordinal(i)}是{_strip_stop(n.title)}。{n.text or ''}" if n.title else f"{_ordinal(i)}是{n.text or ''}"
                   for i, n in enumerate(notes, 1))


def _ordinal(n: int) -> str:
    from ..numerals import int_to_cn

    return int_to_cn(n)


def _strip_stop(text: str) -> str:
    return text.strip().rstrip("。；;，,")


def _path_key(path: str) -> list[int]:
    from ..numerals import parse_number

    return [parse_number(t.strip("()")) or 0 for t in split_path(path)]


def chinese_date(value: str | None) -> str | None:
    """'2024-02-27' → '2024年2月27日'; a date already in Chinese is kept."""
    if not value:
        return None
    m = re.match(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", str(value))
    if m:
        return f"{int(m.group(1))}年{int(m.group(2))}月{int(m.group(3))}日"
    return str(value).strip()

