"""Answers the chat gives from this year's data and the registry, never from old passages:
"今年行政复议受理了多少件？" → the figure (value, label, id, last year's value) and where the draft
uses it; "《信访条例》还有效吗" → its status, since when, and what replaced it."""

from __future__ import annotations

import re

_QUESTION_WORDS = re.compile(r"(今年|本年度?|去年|上年|全年|我市|我县|我区|全市|全县|全区|一共|总共|共计|多少|几|是否|有没有|"
                             r"数量|数字|情况|请问|告诉我|查一下|了|呢|吗|的|[？?。！!，,\s])")


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def matching_figures(question: str, inputs, limit: int = 3) -> list:
    """The figures a question asks about, best first: by how many of a label's character pairs
    the question says (and what share of the label that is)."""
    asked = _QUESTION_WORDS.sub(" ", question)
    pairs = _bigrams(asked.replace(" ", "|"))
    scored = []
    for fig in inputs.figures:
        best = 0.0
        for label in fig.labels:
            grams = _bigrams(label)
            if not grams:
                continue
            hit = len(grams & pairs)
            best = max(best, hit * hit / len(grams))
        if best >= 1.0:
            scored.append((best, fig))
    scored.sort(key=lambda x: -x[0])
    if not scored:
        return []
    top = scored[0][0]
    return [fig for score, fig in scored if score >= top * 0.75][:limit]


def figure_answer(question: str, inputs, sections: list[tuple[str, str, list]], year: int | None) -> str | None:
    """Markdown for the figures a question asks about, with where each is used in the draft;
    None when no figure fits. `sections`: (label, text, figure spans) of the draft's parts."""
    figures = matching_figures(question, inputs)
    if not figures:
        return None
    lines = [f"**{year or ''}年度输入数据**（“指标与素材”页）中：" if year else "**本年度输入数据**中："]
    for fig in figures:
        shown = inputs.display(fig.id)
        previous = ""
        if fig.previous is not None:
            previous = f"；上年 {_plain(fig.previous)}{fig.unit or ''}"
        formula = f"；按公式 `{fig.formula}` 计算" if fig.formula else ""
        lines.append(f"- **{fig.label}：{shown}**（指标 `{fig.id}`{previous}{formula}）")
        places = _places(fig.id, shown, sections)
        lines += [f"  - 草稿{where}：“{context}”" for where, context in places[:3]] or ["  - 草稿中还没有用到这个数字。"]
    return "\n".join(lines)


def _plain(value) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _places(figure_id: str, shown: str, sections: list[tuple[str, str, list]]) -> list[tuple[str, str]]:
    out = []
    for label, text, spans in sections:
        found = [(s, e) for s, e, fid in spans if fid == figure_id]
        if not found and shown:
            found = [(m.start(), m.end()) for m in re.finditer(rf"(?<![\d.]){re.escape(shown)}", text)]
        for s, e in found:
            start = max(text.rfind("。", 0, s) + 1, text.rfind("\n", 0, s) + 1, s - 40)
            end = min(e + 20, len(text))
            stop = text.find("。", e)
            end = min(end, stop + 1) if stop >= 0 else end
            out.append((f"（{label}）", ("…" if start > 0 and text[start - 1] not in "。\n" else "")
                        + text[start:s] + f"**{text[s:e]}**" + text[e:end]))
    return out


def validity_answer(registry, title: str, year: int | None) -> str:
    """Markdown: is the document in force now (and for the report's year), since when, what
    replaced it."""
    from datetime import date

    res = registry.resolve(title) if registry is not None else None
    if res is None:
        return (f"法规登记表里没有《{title.strip('《》')}》，无法判断它的效力。请核对名称；"
                "如果是本地文件，请以发文机关公布的为准。")
    entry = res.entry
    dates = "，".join(x for x in (entry.number or "", f"{_cn(entry.promulgated)}公布" if entry.promulgated else "",
                                  f"{_cn(entry.effective)}起施行" if entry.effective else "") if x)
    head = f"《{entry.title}》" + (f"（{dates}）" if dates else "")
    now_out, why_now = registry.outdated(entry, None)
    successor = registry.successor(entry)
    today = date.today()
    if not now_out:
        lines = [f"{head}：**{entry.status}**（截至{today.year}年{today.month}月{today.day}日）。"]
        if res.cited_version and successor:
            lines.append(f"所问的是{res.cited_version}年版本；现行的是{successor.label}。")
    elif successor:  # what replaced it, since when: that is the why
        since = successor.effective or successor.promulgated
        lines = [f"{head}：**已不再有效**（{entry.status}" + (f"，{why_now}" if entry.expires else "") + "）。",
                 f"现行的是{successor.label}" + (f"，{_cn(since)}起施行" if since else "") + "；报告中应引用它。"]
    else:
        lines = [f"{head}：**已不再有效**，{why_now}。", "登记表中没有它的接续文件，引用前请核实是否有新的文件。"]
    if year:
        then_out, why_then = registry.outdated(entry, year)
        if then_out != now_out:
            lines.append(f"对{year}年度的报告：" + (f"已过时（{why_then}）。" if then_out else f"{year}年底时仍然有效，可以引用。"))
    as_of = registry.as_of_line() if hasattr(registry, "as_of_line") else ""
    if as_of:
        lines.append(f"<small>{as_of}</small>")
    return "\n\n".join(lines)


def _cn(value: str | None) -> str:
    if not value:
        return ""
    parts = [int(p) for p in value.split("-") if p.isdigit()]
    return "".join(f"{n}{u}" for n, u in zip(parts, "年月日"))
