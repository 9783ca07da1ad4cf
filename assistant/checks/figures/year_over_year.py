"""Year over year, for figures with `previous`: last year's value where the sentence says so
("比上年的12件", "由上年的52%提升至65%") and a change against the figure stated before it
("增加4件", "同比增长33.3%", "提高2.1个百分点", "是上年的1.1倍"), including its direction."""

from __future__ import annotations

import re

from ...inputs import Figure, Inputs, format_number
from ...report_tree import ReportTree
from ...units import MULTIPLE, PERCENT, POINTS, compatible, split_unit
from ..findings import Finding
from ..quantities import Mention, clause_bounds, sentence_bounds
from .binding import MIN_WORDS, Binding, FigureBinder, to_base
from .lists import Respectively, respectively
from .wording import restate

_PREVIOUS_MARK = re.compile(r"上年|去年|上一年|前一年|同期|同比")
# last year's value, then this year's: "由上年的52%提升至65%", "由上年的32个整合为18个"
_CHANGE_TO = re.compile(r"\s*(?:提高|提升|增加|增长|上升|下降|降低|减少|压缩|缩短|升|降)(?:到|至)"
                        r"|\s*(?:整合|调整|精简|压减|合并|缩减|优化|扩大|增加|减少|变|降|升)(?:为|成|到|至)")
_UP = ("增加", "增长", "提高", "上升", "提升", "增幅", "多")
_DOWN = ("减少", "下降", "降低", "压缩", "缩短", "降幅", "少")


def check_year_over_year(text: str, mentions: list[Mention], bindings: dict[int, Binding], binder: FigureBinder,
                         tree: ReportTree | None, done: set[int]) -> list[tuple[Finding | None, int]]:
    """Last year's value and the change against it, for figures whose `previous` is given:
    "受理16件，比上年的12件增加4件" / "同比增长33.3%" / "提高2.1个百分点" / "是上年的1.1倍".
    Returns (finding, or None when right; the mention's index)."""
    inputs = binder.inputs
    if not any(f.previous is not None for f in inputs.figures):
        return []
    year = inputs.report.year
    lists = respectively(text, mentions)
    out = []
    for i, m in enumerate(mentions):
        if i in done:
            continue
        a, _ = clause_bounds(text, m.start, m.end)
        s0, _ = sentence_bounds(text, m.start, m.end)
        before = text[a:m.start]
        if i in lists:  # "同比分别增加60件、52件": the change word is at 分别, not in 52件's own clause
            before = text[min(a, lists[i].at):m.start]
        change = next((w for w in _UP + _DOWN if w in before), None)
        marked = _PREVIOUS_MARK.search(text[s0:m.start]) or (year and f"{year - 1}年" in text[s0:m.start])
        base = _stated_before(mentions, bindings, lists, i, s0)
        if m.base_unit == MULTIPLE and marked and base is not None:  # "是上年的1.1倍"
            result = _multiple(text, m, base.figure, inputs)
        elif change is None and marked and (_PREVIOUS_MARK.search(before) or (year and f"{year - 1}年" in before)):
            fig = _last_year_figure(text, mentions, bindings, binder, tree, i, base)
            result = _last_year_value(text, m, fig) if fig is not None else False
        elif change is not None and marked and base is not None:
            result = _change(text, m, base.figure, inputs, change)
        else:
            result = False
        if result is not False:
            out.append((result, i))
    return out


def _stated_before(mentions: list[Mention], bindings: dict[int, Binding], lists: dict[int, Respectively],
                   i: int, s0: int) -> Binding | None:
    """The figure stated last before mention `i` in its sentence, if it has last year's value; in a
    分别 list ("5.2万户、8460户，同比分别增长7.4%和5.1%") the figure in the same place before 分别."""
    base = next((bindings[j] for j in range(i - 1, -1, -1) if j in bindings and mentions[j].start >= s0), None)
    if i in lists:
        listed = [j for j in range(i) if j in bindings and s0 <= mentions[j].start < lists[i].at]
        if len(listed) >= lists[i].size:
            base = bindings[listed[len(listed) - lists[i].size + lists[i].index]]
    return base if base is not None and base.figure.previous is not None else None


def _last_year_figure(text: str, mentions: list[Mention], bindings: dict[int, Binding], binder: FigureBinder,
                      tree: ReportTree | None, i: int, base: Binding | None) -> Figure | None:
    """Whose last-year value mention `i` is: the figure stated before it ("受理16件，比上年的12件…"),
    the one right after a change-to ("由上年的52%提升至65%"), else the one its words fit."""
    fig = base.figure if base is not None else None
    then_now = _CHANGE_TO.match(text, mentions[i].end)
    if then_now and i + 1 < len(mentions) and mentions[i + 1].start == then_now.end():
        following = bindings.get(i + 1)
        fig = following.figure if following is not None and following.figure.previous is not None else None
    if fig is None:
        cands = [c for c in binder.candidates(text, mentions[i], tree, use_values=False, previous_values=True)
                 if c.figure.previous is not None]
        fig = cands[0].figure if cands and cands[0].words >= MIN_WORDS else None
    return fig


def _last_year_value(text: str, m: Mention, fig: Figure) -> Finding | None | bool:
    """None when `m` states the figure's last-year value, a finding when it does not, False when
    the units do not compare."""
    if not compatible(fig.unit, m.unit):
        return False
    if m.allows(to_base(fig, fig.previous)):
        return None
    shown = format_number(fig.previous) + (fig.unit or "")
    return Finding("figure_mismatch", "error", m.start, m.end, text[m.start:m.end],
                   f"“{fig.label}”上年数值应为{shown}，正文写的是“{m.text}”。", figure_id=fig.id,
                   expected=shown, found=m.text, suggestion=f"改为“{shown}”", details={"previous": str(fig.previous)})


def _multiple(text: str, m: Mention, fig: Figure, inputs: Inputs) -> Finding | None | bool:
    """"是上年的1.1倍": None when right, a finding when wrong, False when it cannot be computed."""
    now, then = to_base(fig, inputs.value(fig.id)), to_base(fig, fig.previous)
    if now is None or not then:
        return False
    times = now / then
    if m.allows(times):
        return None
    stated = restate(m, text, times)
    return Finding("figure_derived_mismatch", "error", m.start, m.end, text[m.start:m.end],
                   f"“{fig.label}”本年{inputs.display(fig.id)}、上年{format_number(fig.previous)}"
                   f"{fig.unit or ''}，是上年的{stated}，正文写的是“{m.text}”。", figure_id=fig.id,
                   expected=stated, found=m.text, suggestion=f"改为“{stated}”")


def _change(text: str, m: Mention, fig: Figure, inputs: Inputs, change: str) -> Finding | None | bool:
    """"增加4件" / "同比增长33.3%" / "提高2.1个百分点" against value − previous, direction included:
    None when right, a finding when wrong, False when it does not compare."""
    now, then = to_base(fig, inputs.value(fig.id)), to_base(fig, fig.previous)
    if now is None or then is None:
        return False
    if m.base_unit == PERCENT and split_unit(fig.unit)[0] != PERCENT:
        if then == 0:
            return False
        expected = abs(now - then) / then * 100
    elif m.base_unit == POINTS or (m.base_unit == PERCENT and split_unit(fig.unit)[0] == PERCENT):
        expected = abs(now - then)
    elif compatible(fig.unit, m.unit):
        expected = abs(now - then)
    else:
        return False
    wrong_way = (change in _UP and now < then) or (change in _DOWN and now > then)
    if m.allows(expected) and not wrong_way:
        return None
    way = "增加" if now > then else ("减少" if now < then else "持平")
    stated = restate(m, text, expected)
    return Finding("figure_derived_mismatch", "error", m.start, m.end, text[m.start:m.end],
                   f"“{fig.label}”本年{inputs.display(fig.id)}、上年"
                   f"{format_number(fig.previous)}{fig.unit or ''}，比上年{way}{stated}，正文写的是“{change}{m.text}”。",
                   figure_id=fig.id, expected=stated if not wrong_way else f"{way}{stated}", found=m.text,
                   suggestion=f"改为“{way}{stated}”" if wrong_way else f"改为“{stated}”",
                   details={"value": str(inputs.value(fig.id)), "previous": str(fig.previous)})

