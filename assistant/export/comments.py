"""Notes for reviewers attached to the exported Word file: each figure's label and value and
each citation's status, as Word comments."""

from __future__ import annotations

from ..checks import FigureBinder, find_citations, find_quantities
from ..inputs import Inputs
from ..registry import Registry
from ..report_tree import parse_report
from .word import DocComment


def review_comments(text: str, inputs: Inputs | None, registry: Registry | None, year: int | None) -> list[DocComment]:
    comments: list[DocComment] = []
    mentions = find_quantities(text, inputs.extra_units if inputs is not None else ())
    bindings = FigureBinder(inputs).bind(text, mentions, parse_report(text)) if inputs and inputs.figures else {}
    for i, m in enumerate(mentions):
        b = bindings.get(i)
        if b is None:
            note = "未在本年度输入数据中找到对应指标，请核实来源。" if inputs else "未提供输入数据，未核对。"
        else:
            mark = "一致" if b.consistent else "不一致！"
            note = f"指标“{b.figure.label}”= {inputs.display(b.figure.id)}，{mark}"
            if b.figure.formula:
                note += f"；按 {inputs.formula_text(b.figure.id)} 计算"
        comments.append(DocComment(m.start, m.end, note))
    if registry is not None:
        for cit in find_citations(text):
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
