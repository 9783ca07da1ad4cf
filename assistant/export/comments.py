"""Notes for reviewers attached to the exported Word file, as Word comments: each mark left in the
text (〔待核实：…〕, 〔未写完〕, 〔待补：…〕, 〔待更新〕, always), and on request each figure's label and
value (a formula by the labels of the figures it uses) and each citation's status. A number
rendered from a figure's tag (a span of the stored version) names that figure without guessing;
other numbers are bound by their words."""

from __future__ import annotations

from ..checks import FigureBinder, find_citations, find_marks, find_quantities, mask_marks
from ..inputs import Inputs
from ..registry import Registry
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


def review_comments(text: str, inputs: Inputs | None, registry: Registry | None, year: int | None,
                    figure_spans: list | None = None) -> list[DocComment]:
    comments: list[DocComment] = mark_comments(text)
    masked = mask_marks(text)
    mentions = find_quantities(masked, inputs.extra_units if inputs is not None else ())
    bindings = FigureBinder(inputs).bind(masked, mentions, parse_report(text)) if inputs and inputs.figures else {}
    spans = [tuple(s) for s in figure_spans or []]
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
        comments.append(DocComment(m.start, m.end, note))
    if registry is not None:
        for cit in find_citations(masked):
            res = registry.resolve(cit.effective_title + (f"（{cit.version}年）" if cit.version else ""), year)
            if res is None:
                note = "登记表未收录，无法核对标题和效力。"
            else:
                outdated, why = registry.outdated(res.entry, year)
                e = res.entry
                dates = "，".join(x for x in (f"{e.promulgated}公布" if e.promulgated else "",
                                              f"{e.effective}施行" if e.effective else "") if x)
                note = f"《{e.title}》：{why if outdated else e.status}" + (f"（{dates}）" if dates else "")
            comments.append(DocComment(cit.title_start, cit.title_end, note))
    return sorted(comments, key=lambda c: c.start)
