"""Notes for reviewers attached to the exported Word file, as Word comments: each mark left in the
text (〔待核实：…〕, 〔未写完〕, 〔待补：…〕, 〔待更新〕, always), and on request every finding of the
checks (what is wrong and what to write instead), each figure's label and value (a formula by the
labels of the figures it uses) and each citation's status as of the report's year. A number
rendered from a figure's tag (a span of the stored version) names that figure without guessing;
other numbers are bound by their words.

A finding about a number or a citation goes into that number's or citation's comment (one comment
per place, the status first, then what the checks found); any other finding — a sentence carried
over from last year, a year of the wrong report, a missing part — is a comment of its own on its
words. The findings are the caller's (the same the user saw), else the checks are run here."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..checks import (KIND_ZH, SEVERITY_ZH, CheckContext, FigureBinder, Finding, find_citations, find_marks,
                      find_quantities, mask_marks, run_checks)
from ..inputs import Inputs
from ..registry import CURRENT, Registry
from ..report_tree import parse_report
from .word import DocComment

_MARK_NOTES = {
    "待核实": "待核实：{note}。核实后改正原文并删去标记。",
    "未写完": "未写完：这里的内容被截断或中断，请补写完整后删去标记。",
    "待补": "待补：{note}（输入数据中没有），补上后删去标记。",
    "待更新": "待更新：这个数字没有本年度对应指标，更新后删去标记。",
}


def mark_comments(text: str) -> list[DocComment]:
    """One comment per mark, on the mark itself."""
    return [DocComment(m.start, m.end, _MARK_NOTES[m.kind].format(note=m.note or "此处内容"))
            for m in find_marks(text)]


@dataclass
class _Note:
    start: int
    end: int
    parts: list[str] = field(default_factory=list)
    finding: bool = False  # made for a finding's own span: a home only for findings of that very span

    def comment(self) -> DocComment:
        return DocComment(self.start, self.end, "；".join(dict.fromkeys(self.parts)))


def finding_comments(text: str, findings: list[Finding]) -> list[DocComment]:
    """The marks and every finding as comments, without the notes on each number and citation (a
    draft's file: what still needs a person, nothing else)."""
    comments = mark_comments(text)
    notes: list[_Note] = []
    for f in sorted(findings, key=lambda f: (f.start, f.end)):
        if f.kind == "draft_mark":
            continue
        start, end = _span(text, f)
        home = next((n for n in notes if (n.start, n.end) == (start, end)), None)
        if home is None:
            home = _Note(start, end)
            notes.append(home)
        home.parts.append(finding_note(f))
    return sorted(comments + [n.comment() for n in notes], key=lambda c: (c.start, c.end))


def review_comments(text: str, inputs: Inputs | None, registry: Registry | None, year: int | None,
                    figure_spans: list | None = None, *, findings: list[Finding] | None = None,
                    context: CheckContext | None = None) -> list[DocComment]:
    """Every mark, every finding, every number and every citation of `text` as a comment.
    `findings`: the checks' findings on this text (else they are computed with `context`, or a
    context of the inputs, registry and year given)."""
    if findings is None:
        ctx = context or CheckContext(inputs=inputs, registry=registry, year=year, figure_spans=figure_spans)
        findings = run_checks(text, ctx)
    comments: list[DocComment] = mark_comments(text)
    masked = mask_marks(text)
    notes: list[_Note] = _number_notes(text, masked, inputs, figure_spans)
    notes += _citation_notes(masked, registry, year, findings)
    for f in sorted(findings, key=lambda f: (f.start, f.end)):
        if f.kind == "draft_mark":
            continue  # the mark's own comment says it
        start, end = _span(text, f)
        # a number's or a citation's note takes the findings on it; a paragraph-wide finding (a
        # punctuation note) never swallows the sentences' findings inside it
        home = next((n for n in notes if n.finding and (n.start, n.end) == (start, end)), None) or next(
            (n for n in notes if not n.finding and n.start <= start and end <= n.end), None) or next(
            (n for n in notes if not n.finding and start <= n.start and n.end <= end
             and end - start <= 2 * (n.end - n.start) + 10), None)
        if home is None:
            home = _Note(start, end, finding=True)
            notes.append(home)
        home.parts.append(finding_note(f))
    comments += [n.comment() for n in notes if n.parts]
    return sorted(comments, key=lambda c: (c.start, c.end))


def finding_note(f: Finding) -> str:
    """A finding as a reviewer's note: severity and kind, the message, and what to write."""
    note = f"【{SEVERITY_ZH.get(f.severity, f.severity)}·{KIND_ZH.get(f.kind, f.kind)}】{f.message.rstrip('。')}"
    if f.suggestion and f.suggestion not in f.message:
        note += f"（建议：{f.suggestion}）"
    return note


def _span(text: str, f: Finding) -> tuple[int, int]:
    """The finding's span, or for an empty one (a place, not words) the line it stands on."""
    start, end = max(0, min(f.start, len(text))), max(0, min(f.end, len(text)))
    if start < end:
        return start, end
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", line_start)
    return line_start, len(text) if line_end < 0 else line_end


def _number_notes(text: str, masked: str, inputs: Inputs | None, figure_spans: list | None) -> list[_Note]:
    mentions = find_quantities(masked, inputs.extra_units if inputs is not None else ())
    bindings = FigureBinder(inputs).bind(masked, mentions, parse_report(text)) if inputs and inputs.figures else {}
    spans = [tuple(s) for s in figure_spans or []]
    out = []
    for i, m in enumerate(mentions):
        tagged = next((fid for s, e, fid in spans if s < m.end and m.start < e), None) if inputs else None
        fig = inputs.figure(tagged) if tagged else None
        b = bindings.get(i)
        if fig is not None:
            note = f"指标“{fig.label}”= {inputs.display(fig.id)}，由数据标记生成"
            if b is not None and b.figure.id == fig.id and not b.consistent:
                note += "，但与正文写法不一致！"
            elif b is not None and b.figure.id != fig.id:
                note += f"；按文字看像是“{b.figure.label}”，请核对"
        elif b is None:
            note = "未在本年度输入数据中找到对应指标，请核实来源。" if inputs else "未提供输入数据，未核对。"
        else:
            mark = "一致" if b.consistent else "不一致！"
            note = f"指标“{b.figure.label}”= {inputs.display(b.figure.id)}，{mark}"
            fig = b.figure
        if fig is not None and fig.formula:
            note += f"；按 {inputs.formula_text(fig.id)} 计算"
        out.append(_Note(m.start, m.end, [note]))
    return out


def _citation_notes(masked: str, registry: Registry | None, year: int | None, findings: list[Finding]) -> list[_Note]:
    """Each citation's status as of the report's year: 现行有效 only when it is in force and no
    finding says otherwise; a title the registry lacks gets what the checks found (the suggested
    title of a slip, a local document that cannot be verified) instead of a bare 'not listed'."""
    if registry is None:
        return []
    out = []
    for cit in find_citations(masked):
        about = [f for f in findings if f.kind.startswith("citation_") and cit.start <= f.start and f.end <= cit.end]
        res = registry.resolve(cit.effective_title + (f"（{cit.version}年）" if cit.version else ""), year)
        if res is None:
            # the findings (a slip with the title meant, a local document…) say what is known
            note = None if about else "登记表未收录，无法核对标题和效力。"
        else:
            e = res.entry
            outdated, why = registry.outdated(e, year)
            disputed = any(f.kind == "citation_status_disputed" for f in about)
            if outdated:
                status = why
            elif disputed:
                status = "效力状态存疑（各来源说法不一）"
            elif e.status == CURRENT:
                status = "现行有效"
            else:
                status = f"{year}年底仍有效（现{e.status}）" if year else e.status
            dates = "，".join(x for x in (f"{e.promulgated}公布" if e.promulgated else "",
                                          f"{e.effective}施行" if e.effective else "") if x)
            note = f"《{e.title}》：{status}" + (f"（{dates}）" if dates else "")
        out.append(_Note(cit.start, cit.end, [note] if note else []))
    return out
