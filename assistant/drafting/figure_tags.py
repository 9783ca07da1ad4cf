"""Figures by reference: the prompt gives each of this year's figures a short tag (〔数1〕, 〔数2〕…)
and asks the model to write the tag where the number goes; the answer's tags are rendered here
from the inputs, in the report's style (the unit, 余 for an approximate figure, a rate with its
decimals). A cooperative model therefore cannot get a number wrong; digits a model writes on its
own are checked and guarded like any other text.

Each rendered number keeps its figure id as a span (start, end, figure id) into the text. Spans
follow the text through later edits: `carry_spans` keeps those in sentences an edit did not
touch and drops the others (there the checker's binding by words applies again).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ..checks import make_mark
from ..inputs import Inputs, format_number, with_approx

Span = tuple[int, int, str]  # start, end (exclusive), figure id
TAG = re.compile(r"[〔\[【［]\s*数\s*(\d{1,3})\s*[〕\]】］]")
_APPROX_BEFORE = ("大约", "将近", "接近", "超过", "不少于", "不低于", "突破", "约", "近", "超", "逾", "达到", "达")
_APPROX_WORDS = ("大约", "将近", "接近", "超过", "不少于", "不低于", "突破", "约", "近", "超", "逾")


def tag_figures(figures: list[dict]) -> dict[str, str]:
    """Give each figure (dicts with "id") its tag, in order: {"数1": id, …}; sets f["tag"]."""
    tags = {}
    for n, fig in enumerate(figures, 1):
        fig["tag"] = f"数{n}"
        tags[fig["tag"]] = fig["id"]
    return tags


@dataclass
class Rendered:
    text: str
    spans: list[Span] = field(default_factory=list)
    rendered: int = 0  # tags replaced by their figure's value
    unknown: list[str] = field(default_factory=list)  # tags that name no figure of the prompt


def render_tags(text: str, tags: dict[str, str], inputs: Inputs) -> Rendered:
    """Replace every tag in `text` by its figure's value, written as the report writes it."""
    out: list[str] = []
    spans: list[Span] = []
    result = Rendered(text)
    pos = length = 0
    for m in TAG.finditer(text):
        before, after = text[:m.start()], text[m.end():]
        out.append(text[pos:m.start()])
        length += m.start() - pos
        figure_id = tags.get(f"数{int(m.group(1))}")
        fig = inputs.figure(figure_id) if figure_id else None
        consumed = 0
        if fig is None:
            piece = make_mark("待核实", f"数据标记“{m.group(0)}”没有对应的指标")
            result.unknown.append(m.group(0))
        elif inputs.value(fig.id) is None:
            piece = make_mark("待补", fig.label)
        else:
            piece, consumed = _written(fig, inputs, before, after)
            spans.append((length, length + len(piece), fig.id))
            result.rendered += 1
        out.append(piece)
        length += len(piece)
        pos = m.end() + consumed
    if not spans and not result.unknown and pos == 0:
        return result
    out.append(text[pos:])
    result.text = "".join(out)
    result.spans = spans
    return result


def _written(fig, inputs: Inputs, before: str, after: str) -> tuple[str, int]:
    """The figure as the sentence around the tag needs it, and how many characters after the tag it
    takes in: the unit and the approximation come from the inputs ("3万余人次", "近50件", "95%以上"),
    so a unit the model wrote after the tag is replaced, not doubled; when the sentence already says
    the figure is approximate (约/近/超 before it, 余/多/左右/以上 after it), the number is written bare."""
    number = format_number(inputs.value(fig.id), fig.decimals)
    unit = fig.unit or ""
    gap = len(after) - len(after.lstrip())
    tail = after[gap:]
    said_approx = before.rstrip().endswith(_APPROX_BEFORE) or tail.startswith(("余", "多", "左右", "以上"))
    rest = tail[1:] if tail.startswith(("余", "多")) else tail
    model_unit = ""
    if unit and (rest.startswith(unit) or (unit == "%" and rest.startswith("％"))):
        model_unit = rest[:len(unit)]
    if said_approx:  # the sentence says it: the bare number, and the unit unless the model wrote it
        return number + ("" if model_unit else unit), 0
    return with_approx(number, unit, fig.approx), gap + len(model_unit) if model_unit else 0


# -- spans through edits --------------------------------------------------------------------------------
_SENTENCE = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]|\n|$)")


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.end() > m.start()]


def carry_spans(old: str, new: str, spans: list[Span]) -> list[Span]:
    """The spans of `old` that still hold in `new`: those in sentences the edit left as they were,
    moved to their new place. A sentence that changed loses its spans."""
    if not spans:
        return []
    if old == new:
        return [tuple(s) for s in spans]
    a, b = _sentences(old), _sentences(new)
    matcher = SequenceMatcher(None, [old[s:e] for s, e in a], [new[s:e] for s, e in b], autojunk=False)
    out: list[Span] = []
    for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
        if tag != "equal":
            continue
        for k in range(i2 - i1):
            (os_, oe), (ns, _) = a[i1 + k], b[j1 + k]
            shift = ns - os_
            out.extend((s + shift, e + shift, fid) for s, e, fid in spans if os_ <= s and e <= oe)
    return out


def shift_spans(spans: list[Span], offset: int, start: int = 0, end: int | None = None) -> list[Span]:
    """Spans inside [start, end), moved by `offset` (to re-base them on a part of the text)."""
    return [(s + offset, e + offset, fid) for s, e, fid in spans if s >= start and (end is None or e <= end)]


def apply_edits(spans: list[Span], edits: list[tuple[int, int, str]]) -> list[Span]:
    """Spans after replacing text[s:e] by new for each edit (edits do not overlap; a span an edit
    touches is dropped)."""
    out = []
    for s, e, fid in spans:
        if any(es < e and s < ee or (es == ee and s < es < e) for es, ee, _ in edits):
            continue
        shift = sum(len(new) - (ee - es) for es, ee, new in edits if ee <= s)
        out.append((s + shift, e + shift, fid))
    return out
