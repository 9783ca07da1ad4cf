"""The figure checker: every number in the text traced to the structured inputs.

Numbers are tied to figures by `binding`; a number that disagrees with a figure and is described
by other words is a different statistic, so it is unsupported, not a mismatch.

Findings:
- figure_mismatch (error): a bound number whose value disagrees with its figure;
- figure_derived_mismatch (error): a rate/share/sum/difference that disagrees with what its parts
  give (the inputs' formula, or two counts beside a rate, or parts after 其中 and a total);
- figure_unsupported (warning): a statistic with no counterpart in the inputs.
With no inputs, only the checks that need none run.
"""

from __future__ import annotations

from ...inputs import Inputs
from ...report_tree import ReportTree, parse_report
from ..findings import Finding
from ..quantities import Mention, find_quantities
from .binding import Binding, FigureBinder
from .rates import rate_from_counts
from .totals import parts_and_total
from .wording import expected_text
from .year_over_year import check_year_over_year


# -- the checks --------------------------------------------------------------------------------------
def check_figures(text: str, inputs: Inputs | None = None, tree: ReportTree | None = None,
                  mentions: list[Mention] | None = None) -> list[Finding]:
    if mentions is None:
        mentions = find_quantities(text, inputs.extra_units if inputs is not None else ())
    if not mentions:
        return []
    if tree is None:
        tree = parse_report(text)
    findings: list[Finding] = []
    flagged: set[int] = set()
    supported: set[int] = set()
    bindings: dict[int, Binding] = {}
    if inputs is not None and inputs.figures:
        binder = FigureBinder(inputs)
        bindings = binder.bind(text, mentions, tree)
        for i, b in bindings.items():
            m = mentions[i]
            supported.add(i)
            if b.consistent:
                continue
            flagged.add(i)
            fig = b.figure
            expected = expected_text(fig, inputs, m, text)
            derived = inputs.formula(fig.id) is not None
            what = "推算得出的" if derived else ""
            findings.append(Finding(
                kind="figure_derived_mismatch" if derived else "figure_mismatch",
                severity="error", start=m.start, end=m.end, text=text[m.start:m.end],
                message=f"“{fig.label}”{what}数值应为{inputs.display(fig.id)}" +
                        (f"（{inputs.formula_text(fig.id)}）" if derived else "") +
                        f"，正文写的是“{m.text}”。",
                figure_id=fig.id, expected=expected, found=m.text, suggestion=f"改为“{expected}”",
                details={"input_value": str(inputs.value(fig.id)), "unit": fig.unit}))
    # derived checks that need no inputs: a rate against its counts, parts after 其中 and their total
    related = [(r.finding, r.members, r.rate, r.sure) for r in rate_from_counts(text, mentions, bindings, inputs)]
    related += [(finding, members, i, True) for finding, members, i in parts_and_total(text, mentions)]
    for finding, members, i, sure in related:
        if finding is None:
            # it follows from the numbers beside it — if those are surely its parts, and (with inputs)
            # are themselves supported: a rate built on an unsupported count is not right by that
            if sure and (inputs is None or members - {i} <= supported | flagged):
                supported.add(i)
        elif not members & flagged:  # one root cause, one finding
            findings.append(finding)
            flagged |= members
    if inputs is not None and inputs.figures:
        for finding, i in check_year_over_year(text, mentions, bindings, binder, tree, supported | flagged):
            supported.add(i)
            if finding is not None:
                findings.append(finding)
                flagged.add(i)
        for i, m in enumerate(mentions):
            if i in supported or i in flagged:
                continue
            fig = binder.other_unit(text, m, tree)
            if fig is not None:  # "培训执法人员1050人" for 1050人次: the number is right, the unit is not
                flagged.add(i)
                shown = inputs.display(fig.id)
                findings.append(Finding(
                    kind="figure_mismatch", severity="error", start=m.start, end=m.end, text=text[m.start:m.end],
                    message=f"“{fig.label}”的单位是“{fig.unit}”，正文写成了“{m.unit}”（{m.text}）。",
                    figure_id=fig.id, expected=shown, found=m.text, suggestion=f"改为“{shown}”",
                    details={"unit": fig.unit}))
    if inputs is not None:
        for i, m in enumerate(mentions):
            if i in supported or i in flagged:
                continue
            findings.append(Finding(
                kind="figure_unsupported", severity="warning", start=m.start, end=m.end, text=text[m.start:m.end],
                message=f"“{m.text}”在本年度统计数据中找不到对应指标：请核实来源，或补充到输入数据中。",
                found=m.text, suggestion="补充该指标，或删去/改写该数字"))
    return sorted(findings, key=lambda f: (f.start, f.end))


