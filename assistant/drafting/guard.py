"""The final guard on a model's text: nothing wrong leaves the drafting stage unmarked.

Applied after the last repair round to every LLM draft and revision. A pure function of the text
and the findings the checks report on it:
- a number that contradicts its figure, where the checker is sure (a `figure_mismatch` or an
  inputs formula's `figure_derived_mismatch`, bound to a figure, with the value to write), is
  replaced by the figure's value written in the sentence's style;
- every other error or warning about a fact (a number with no source, a derived rate that does
  not follow, an outdated, misspelt or nonexistent citation, a year of the wrong report year, and
  whatever kinds the checks add later) is marked in place with 〔待核实：what is wrong〕 right
  after the words it concerns.
Structure findings (outline_*) are reported, not marked: they are about what is missing, not about
words that stand in the text. A finding that already has its mark is left alone, so guarding
twice changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..checks import KIND_ZH, Finding, make_mark, mark_at
from .figure_tags import Span, apply_edits

_SURE = {"figure_mismatch", "figure_derived_mismatch"}
_AFTER_TITLE = re.compile(r"(?:[（(][^（）()\n《》]{1,30}[）)])?"
                          r"(?:[、和及至到]?第[零〇一二三四五六七八九十百千两\d]+[条款项])*")
_MORE_REFS = re.compile(r"(?:第[零〇一二三四五六七八九十百千两\d]+[款项])*")


@dataclass
class GuardResult:
    text: str
    spans: list[Span] = field(default_factory=list)  # figure spans, moved with the edits
    replaced: list[dict] = field(default_factory=list)  # {start, end, found, now, figure_id, message}
    marked: list[dict] = field(default_factory=list)  # {start, end (the mark), text, kinds, mark}
    edits: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, new) in the input text

    @property
    def changed(self) -> bool:
        return bool(self.replaced or self.marked)


def needs_mark(f: Finding) -> bool:
    """An error or warning about words in the text (not the outline, not a mark itself)."""
    return f.severity in ("error", "warning") and f.kind != "draft_mark" and not f.kind.startswith("outline_")


def replaceable(f: Finding, spans: list[Span] | None = None) -> bool:
    """The checker is sure of the value: a number bound to a figure, with the text to write. A number
    the model wrote from another figure's tag is not replaced (the tag and the words disagree)."""
    if f.kind not in _SURE or not f.figure_id or not f.expected:
        return False
    return not any(s < f.end and f.start < e and fid != f.figure_id for s, e, fid in spans or [])


def guard_text(text: str, findings: list[Finding], spans: list[Span] | None = None, replace: bool = True) -> GuardResult:
    """`text` with sure numbers replaced and every other fact finding marked where it stands."""
    spans = [tuple(s) for s in spans or []]
    edits: list[tuple[int, int, str]] = []
    replaced: list[tuple[Finding, str]] = []
    reasons: dict[int, list[Finding]] = {}
    for f in sorted(findings, key=lambda f: (f.start, f.end)):
        if not needs_mark(f) or not 0 <= f.start <= f.end <= len(text):
            continue
        if any(es < f.end and f.start < ee for es, ee, _ in edits):
            continue  # one root cause, one edit
        if replace and replaceable(f, spans):
            edits.append((f.start, f.end, f.expected))
            replaced.append((f, f.expected))
            continue
        point = mark_point(text, f)
        point = next((ee for es, ee, _ in edits if es < point < ee), point)  # not inside a replaced number
        existing = mark_at(text, point)
        if existing is not None and existing.kind == "待核实":
            continue  # already marked
        reasons.setdefault(point, []).append(f)
    for point, group in reasons.items():
        notes = []
        for f in group:
            note = reason(f)
            if note not in notes:
                notes.append(note)
        edits.append((point, point, make_mark("待核实", "；".join(notes))))
    edits.sort(key=lambda e: (e[0], e[1]))
    out, pos, shift = [], 0, 0
    result = GuardResult(text)
    new_spans: list[Span] = []
    by_start = {f.start: (f, now) for f, now in replaced}
    for s, e, new in edits:
        out.append(text[pos:s])
        start = s + shift
        if s == e:
            group = reasons[s]
            result.marked.append({"start": start, "end": start + len(new), "mark": new,
                                  "text": "、".join(dict.fromkeys(text[f.start:f.end] for f in group)),
                                  "kinds": [f.kind for f in group]})
        else:
            f, now = by_start[s]
            result.replaced.append({"start": start, "end": start + len(now), "found": text[s:e], "now": now,
                                    "figure_id": f.figure_id, "message": f.message})
            new_spans.append((start, start + len(now), f.figure_id))
        out.append(new)
        shift += len(new) - (e - s)
        pos = e
    out.append(text[pos:])
    result.text = "".join(out)
    result.spans = sorted(apply_edits(spans, edits) + new_spans)
    result.edits = edits
    return result


def unmarked(text: str, findings: list[Finding]) -> list[Finding]:
    """The fact findings on `text` that carry no mark: what the guard still has to do."""
    out = []
    for f in findings:
        if not needs_mark(f):
            continue
        mark = mark_at(text, mark_point(text, f))
        if mark is None or mark.kind != "待核实":
            out.append(f)
    return out


def mark_point(text: str, f: Finding) -> int:
    """Where the mark of a finding goes: right after its words — after the whole 《title》 with its
    version and articles for a citation, after 第…款…项 for an article."""
    pos = f.end
    line_start = text.rfind("\n", 0, pos) + 1
    if text.rfind("《", line_start, pos) > text.rfind("》", line_start, pos):
        close = text.find("》", pos)
        newline = text.find("\n", pos)
        if close != -1 and (newline == -1 or close < newline):
            pos = close + 1
    if pos and text[pos - 1] == "》":
        pos = _AFTER_TITLE.match(text, pos).end()
    return _MORE_REFS.match(text, pos).end()


def reason(f: Finding) -> str:
    """What is wrong, in a few words, for the mark."""
    kind = f.kind
    if kind == "figure_unsupported":
        return "本年度统计数据中没有这个数"
    if kind == "figure_mismatch":
        return f"与统计数据不符，统计为{f.expected}" if f.expected else "与统计数据不符"
    if kind == "figure_derived_mismatch":
        return f"与推算结果不符，应为{f.expected}" if f.figure_id and f.expected else "与前后数字推算的结果不符，请核对来源"
    if kind == "citation_outdated":
        return "该文件已失效或已修改" + (f"，现行为《{f.expected}》" if f.expected else "")
    if kind == "citation_unknown":
        return "文件名称有误" + (f"，是否为《{f.expected}》" if f.expected else "")
    if kind == "citation_article_missing":
        return f.message.rstrip("。") if len(f.message) <= 40 else "该条文不存在"
    if kind == "citation_quote_mismatch":
        return "引文与原文不符"
    if kind == "year_mismatch":
        return f"年份应为{f.expected}，请核对是否为本年度情况" if f.expected else "年份与报告年度不符"
    text = KIND_ZH.get(kind, kind)
    if f.suggestion and len(f.suggestion) <= 30:
        text += f"（{f.suggestion}）"
    return text


def guard_until_clean(text: str, check, spans: list[Span] | None = None, replace: bool = True,
                      passes: int = 3) -> tuple[GuardResult, list[Finding]]:
    """Guard, check again, and guard what the new check still finds (marking only, after the first
    pass), until nothing is left unmarked. `check` is a function (text, figure spans) → findings. Returns the
    combined result (positions in the final text) and the findings on the final text."""
    total = GuardResult(text, [tuple(s) for s in spans or []])
    findings = check(text, total.spans)
    for n in range(passes):
        step = guard_text(total.text, findings, total.spans, replace=replace and n == 0)
        if not step.changed:
            break

        def moved(record: dict) -> dict:
            shift = sum(len(new) - (e - s) for s, e, new in step.edits if e <= record["start"])
            return {**record, "start": record["start"] + shift, "end": record["end"] + shift}

        total.replaced = [moved(r) for r in total.replaced] + step.replaced
        total.marked = [moved(m) for m in total.marked] + step.marked
        total.text, total.spans = step.text, step.spans
        findings = check(total.text, total.spans)
    return total, findings
