"""Prompt files (prompts/*.j2, Jinja) and quoting of document text as data.

Text that comes from documents or users' files reaches the LLM only as data: block bodies inside
〈资料 …〉…〈/资料〉, attribute values in the block header, and one-line fields (titles, headings,
labels, citations). The system prompt tells the model such blocks are data, and the filters make
sure nothing in them can close a block early or open one, including look-alike markers
(〈／资料〉, </资料>, ＜ /资 料〉…), or end an attribute or a 【section】 of the prompt:

    {{ text | data }}    block body: every marker-like 〈资料 / 〈/资料 loses its bracket
    {{ label | attr }}   attribute value: also no quote, no 〈〉, no line break
    {{ title | inline }} a one-line field outside a block: also no 【】 and no line break

`mask_example` takes the figures and years out of a previous report's paragraph, so the model
keeps its style but cannot copy last year's facts.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

# an opening angle of any look-alike form, optional spaces and a slash of any form, then 资料
# (with spaces or zero-width characters between the two characters)
_ANGLES = "〈<＜﹤‹⟨〈❬❮"
_SLASHES = "/／⁄∕\\\\＼⧸"
_SPACE = r"[\s\u200b\u200c\u200d\u2060\ufeff]*"
_MARKER = re.compile(rf"[{_ANGLES}]{_SPACE}(?:[{_SLASHES}]{_SPACE})?资{_SPACE}料"
                     rf"|[《«]{_SPACE}[{_SLASHES}]{_SPACE}资{_SPACE}料")  # 《/资料》: a title never starts with a slash
_CLOSE_ANGLES = "〉>＞﹥›⟩〉❭❯»"


@lru_cache(maxsize=4)
def _environment(folder: str) -> Environment:
    env = Environment(loader=FileSystemLoader(folder), undefined=StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=False, autoescape=False)
    env.filters["data"] = quote_data
    env.filters["attr"] = quote_attr
    env.filters["inline"] = quote_inline
    return env


def render(name: str, folder: Path | None = None, **context) -> str:
    if folder is None:
        from ..settings import get_settings

        folder = get_settings().assistant_prompts_dir
    return _environment(str(folder)).get_template(name).render(**context).strip()


def quote_data(text) -> str:
    """Neutralise anything in `text` that looks like our data-block markers: the angle before
    资料 becomes a plain bracket, so no form of 〈资料 or 〈/资料 is left."""
    return _MARKER.sub(lambda m: "（" + m.group(0)[1:], str(text or ""))


def quote_attr(text) -> str:
    """A value for an attribute of a block header (来源="…"): no quote can end it, no angle can
    end the header, no line break."""
    text = quote_data(text)
    text = re.sub(rf"[{_CLOSE_ANGLES}]", "）", re.sub(rf"[{_ANGLES}]", "（", text)).replace("【", "［").replace("】", "］")
    text = text.replace('"', "'").replace("＂", "'").replace("“", "‘").replace("”", "’")
    return re.sub(r"\s+", " ", text).strip()


def quote_inline(text) -> str:
    """A one-line field placed outside a block (a heading, a title, a label): markers
    neutralised, no line break, no 【】 that would start a section of the prompt."""
    text = quote_data(text).replace("【", "［").replace("】", "］")
    return re.sub(r"\s+", " ", text).strip()


_EXAMPLE_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?=\s*年)")
_TITLE = re.compile(r"《[^《》]*(?:《[^《》]*》[^《》]*)*》")


def mask_example(text: str, extra_units: tuple[str, ...] = ()) -> str:
    """A previous report's paragraph with its figures and years replaced by ×: "受理16件" →
    "受理××件", "2023年" → "××××年". The wording and structure stay as an example of style."""
    from ..checks import find_quantities

    text = str(text or "")
    chars = list(text)
    for m in find_quantities(text, extra_units):
        for i in range(m.num_start, m.num_end):
            if not chars[i].isspace():
                chars[i] = "×"
    masked = "".join(chars)
    titles = [m.span() for m in _TITLE.finditer(masked)]  # a document's name stays as it is
    return _EXAMPLE_YEAR.sub(lambda m: m.group(0) if any(a <= m.start() < b for a, b in titles) else "×" * len(m.group(0)),
                             masked)
