"""Putting a model's answer back in the shape of a report section: code fences, Markdown and
chatter before the heading or after the text ("好的，以下是……", "以上内容供参考，如需调整请告诉我")
dropped, the expected heading first. Pure functions of the answer text."""

from __future__ import annotations

import re

_FENCE = re.compile(r"^```[a-z]*\s*$|^```\s*$", re.M)
_TOKEN = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、])")
_LEADING_CHATTER = re.compile(r"(以下是|如下|好的|当然|没问题|根据您|根据你|为您|我将|下面是)")
# what a chat model says to the user after the text; never words of a report
_TRAILING_CHATTER = re.compile(
    r"(以上(?:内容|文字|草稿|文稿|稿件|部分|即为|是|为)[^。\n]{0,20}?(?:参考|修改|调整|补充|完善)"
    r"|仅供参考|如需(?:调整|修改|补充|进一步|完善|帮助|我)|如有(?:需要|疑问|其他|任何)"
    r"|请(?:告诉|告知|随时|根据实际情况(?:修改|调整|补充))|希望(?:对您|对你|以上|这|能)"
    r"|可以根据(?:实际|具体)情况(?:修改|调整|补充)|您可以|你可以|欢迎(?:提出|指正)"
    r"|(?:注|说明|备注)[：:]\s*(?:以上|本文|文中|此|数据|数字|部分))")
_SENTENCE = re.compile(r"[^。！？!?\n]*[。！？!?]?")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")


def ensure_heading(text: str, heading: str) -> str:
    """Keep the model's answer in the outline: drop code fences and chatter before the heading
    and after the text; the heading line is the expected heading, word for word (the model's own
    is kept only when the expected one is still 〔待补〕), put first when the model left it out."""
    text = strip_trailing_chatter(_FENCE.sub("", text).strip())
    token = _TOKEN.match(heading)
    lines = text.split("\n")
    if token:
        mark = token.group(1)
        variants = {mark, mark.replace("（", "(").replace("）", ")"), mark.replace("(", "（").replace(")", "）")}
        for i, line in enumerate(lines[:4]):
            clean = line.strip().lstrip("#* ").strip()
            if any(clean.startswith(v) for v in variants):
                # the heading as given (the outline's official wording), unless none is known yet
                lines[i] = clean.rstrip("*") if "〔" in heading else heading
                return "\n".join(lines[i:]).strip()
    # chatter such as "好的，以下是……：" before the text
    while lines and _LEADING_CHATTER.search(lines[0]) and len(lines[0]) < 40:
        lines.pop(0)
    return (heading + "\n" + "\n".join(lines).strip()).strip()


def strip_trailing_chatter(text: str) -> str:
    """Drop what the model says to the user after the text: whole trailing lines of chatter
    (and separator rules), then chatter sentences at the end of the last line."""
    lines = text.rstrip().split("\n")
    while lines and (not lines[-1].strip() or _RULE.match(lines[-1])
                     or all(_is_chatter(x) for x in _SENTENCE.findall(lines[-1]) if x.strip().strip("（）()*_ "))):
        lines.pop()
    if not lines:
        return ""
    last = lines[-1]
    sentences = [s for s in _SENTENCE.findall(last) if s]
    while len(sentences) > 1:
        if _is_chatter(sentences[-1]):
            sentences.pop()
        elif len(sentences) > 2 and not sentences[-1].strip().strip("）)*_ ") and _is_chatter(sentences[-2]):
            del sentences[-2:]  # "（注：……。）": the note and its closing bracket
        else:
            break
    lines[-1] = "".join(sentences)
    return "\n".join(lines).rstrip()


def _is_chatter(sentence: str) -> bool:
    s = sentence.replace("*", "").replace("_", "").strip().strip("（）() ")
    return bool(s) and len(s) <= 80 and bool(_TRAILING_CHATTER.search(s))


def body_of(text: str) -> str:
    """The text without its first (heading) line."""
    return text.split("\n", 1)[1].strip() if "\n" in text else ""
