"""Text carried over from last year's report: sentences of this report identical to last year's,
part by part, so that last year's problems, duties and plans are never handed in as this year's
unseen (the offline drafter copies parts 二–四 when this year has no notes for them; a clerk copies
too).

A pure function of this report's text and the previous report's text. Sentences are compared
after years are put on one scale (this report's year and last year's report's year are "the
report's year", the years after them "the next year"), punctuation is made full-width and white
space dropped; the phrases every report repeats (resources/standard_phrases.txt: 习近平法治思想,
取得了一定成效, 现将有关情况报告如下…) do not count as content, and a sentence with less content
than MIN_CONTENT characters left never counts. Then, per part (by meaning, in both reports):

- parts 二–五: each run of identical sentences in a paragraph with at least MIN_RUN characters of
  content is a warning — two sentences, or one long one, not a standard phrase;
- part 一, whose measures go on from year to year: a sentence identical with its statistics (a
  number that is not a year) is a warning when no inputs are given (with inputs, the figure check
  judges the number); the share of the part identical to last year, when it is at least
  PART1_SHARE, is one note (info) on the part's heading.

Headings, the opening and the sign-off are never compared: they are the same every year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..report_tree import ReportTree, parse_report
from .findings import Finding
from .quantities import find_quantities

MIN_CONTENT = 12  # characters of content a sentence needs to count at all
MIN_RUN = 40  # characters of content a run in parts 二–五 needs to be reported
PART1_SHARE = 0.5  # share of part 一's content identical to last year's that is worth a note
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]*")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\s*年)")
_HALF_TO_FULL = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"})
_NOT_CONTENT = re.compile(r"[\s，。；：、！？“”‘’《》（）〈〉【】〓\-—…·,.;:!?()\"']")
_PART_NAMES = {1: "第一部分", 2: "第二部分", 3: "第三部分", 4: "第四部分", 5: "第五部分"}
_WHAT = {2: "上年的不足和原因", 3: "上年党政主要负责人的履职情况", 4: "上年报告中的工作安排", 5: "上年的情况"}


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    key: str  # normalised, for comparing
    content: int  # characters of content (standard phrases and punctuation removed)
    line: int  # which paragraph


def check_carried_over(text: str, tree: ReportTree, previous: str, outline=None, year: int | None = None,
                       has_inputs: bool = False, previous_title: str | None = None) -> list[Finding]:
    """Findings for the sentences of `text` that stand word for word in `previous` (last year's
    report), part by part. `year` is this report's year (else the text's); nothing is compared
    when the two reports are of the same year (the same report, or a redraft of it)."""
    classify = outline.classify_heading if outline is not None else None
    year = year or tree.year
    prev_year, prev_parts = _previous_sentences(previous, classify)
    if not year or not prev_year or prev_year >= year or not prev_parts:
        return []
    label = f"《{previous_title}》" if previous_title else f"{prev_year}年的报告"
    findings: list[Finding] = []
    for part, sentences in _sentences(text, tree, year).items():
        if part is None or not sentences:
            continue
        # the same part of last year's report; all of it when it has no such part
        known = prev_parts.get(part) or frozenset().union(*prev_parts.values())
        same = [s.key in known for s in sentences]
        if part == 1:
            findings += _part_one(text, tree, sentences, same, label, year, has_inputs)
        else:
            findings += _runs(text, sentences, same, part, label, year)
    return findings


def _runs(text: str, sentences: list[_Sentence], same: list[bool], part: int, label: str, year: int) -> list[Finding]:
    out = []
    run: list[_Sentence] = []

    def close() -> None:
        content = sum(s.content for s in run)
        if run and content >= MIN_RUN:
            start, end = run[0].start, run[-1].end
            out.append(Finding(
                "carried_over", "warning", start, end, text[start:end],
                f"这段与{label}{_PART_NAMES[part]}的文字逐字相同（{len(run)}句，只改了年份）：{_WHAT[part]}"
                f"不宜原样写作{year}年的，请按本年度的实际情况改写，或核实后保留。",
                suggestion="按本年度情况改写", details={"part": part, "sentences": len(run), "previous": label}))

    for sentence, identical in zip(sentences, same):
        if identical and (not run or run[-1].line == sentence.line):
            run.append(sentence)
        elif identical:
            close()
            run = [sentence]
        else:
            close()
            run = []
    close()
    return out


def _part_one(text: str, tree: ReportTree, sentences: list[_Sentence], same: list[bool], label: str, year: int,
              has_inputs: bool) -> list[Finding]:
    out = []
    if not has_inputs:
        numbers = find_quantities(text)
        for sentence, identical in zip(sentences, same):
            if not identical:
                continue
            inside = [m for m in numbers if sentence.start <= m.start < sentence.end]
            if inside:
                shown = "、".join(text[m.start:m.end] for m in inside[:3])
                out.append(Finding(
                    "carried_over", "warning", sentence.start, sentence.end, text[sentence.start:sentence.end],
                    f"这句与{label}逐字相同，连数字（{shown}）也相同：请核对是否为{year}年的数据。",
                    suggestion=f"换成{year}年的数据", details={"part": 1, "sentences": 1, "previous": label}))
    total = sum(s.content for s in sentences)
    carried = sum(s.content for s, identical in zip(sentences, same) if identical)
    if total and carried / total >= PART1_SHARE:
        head = next((p for p in tree.sections if p.part == 1), None)
        if head is not None:
            line_end = text.find("\n", head.start)
            start, end = head.start, min(head.heading_end, len(text) if line_end < 0 else line_end)
            share = round(carried * 100 / total)
            out.append(Finding(
                "carried_over", "info", start, end, text[start:end],
                f"第一部分约 {share}% 的文字与{label}逐字相同（只改了年份或数字）：请补充{year}年新的举措和成效，"
                "删去已不是本年度的内容。", details={"part": 1, "share": share, "previous": label}))
    return out


def _sentences(text: str, tree: ReportTree, year: int) -> dict[int | None, list[_Sentence]]:
    """The body sentences of each part, headings (also a run-in "1.标题。") left out."""
    headings = [(s.start, s.heading_end) for s in tree.walk()]
    out: dict[int | None, list[_Sentence]] = {}
    for part in tree.sections:
        items = out.setdefault(part.part, [])
        body_end = part.end
        for m in _SENTENCE.finditer(text, part.line_start, body_end):
            start, end = m.span()
            for h_start, h_end in headings:
                if h_start <= start < h_end:
                    start = max(start, h_end)
            if start >= end:
                continue
            key = _normalise(text[start:end], year)
            content = _content(key)
            if content >= MIN_CONTENT:
                items.append(_Sentence(start, end, key, content, text.count("\n", 0, start)))
    return out


@lru_cache(maxsize=8)
def _previous_sentences(previous: str, classify) -> tuple[int | None, dict[int, frozenset[str]]]:
    """Last year's report: its year and, per part, its sentences normalised (kept for a batch of
    checks against the same report)."""
    tree = parse_report(previous, classify)
    year = tree.year
    if not year:
        return None, {}
    return year, {part: frozenset(s.key for s in sentences)
                  for part, sentences in _sentences(previous, tree, year).items() if part is not None}


def _normalise(sentence: str, year: int) -> str:
    """Years put on the report's scale (Y = the report's year), punctuation full-width, no spaces."""
    def shift(m: re.Match) -> str:
        offset = int(m.group(1)) - year
        return f"〈Y{offset:+d}〉" if -3 <= offset <= 3 else m.group(1)

    text = re.sub(r"[ \t\u3000]+", "", sentence.translate(_HALF_TO_FULL))
    return _YEAR.sub(shift, text).rstrip("。；！？")


def _content(key: str) -> int:
    return len(_NOT_CONTENT.sub("", _standard().sub("", key)))


@lru_cache(maxsize=1)
def _standard() -> re.Pattern:
    lines = (resources.files("assistant") / "resources" / "standard_phrases.txt").read_text(encoding="utf-8")
    phrases = [ln.strip() for ln in lines.splitlines() if ln.strip() and not ln.startswith("#")]
    return re.compile("|".join(f"(?:{p})" for p in sorted(phrases, key=len, reverse=True)) + r"|〈Y[+-]\d〉年?")
