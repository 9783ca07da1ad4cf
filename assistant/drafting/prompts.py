"""Prompt files (prompts/*.j2, Jinja) and quoting of document text as data.

Text that comes from documents or users' files reaches the LLM only inside 〈资料 …〉…〈/资料〉
blocks; the system prompt tells the model such blocks are data, and `quote_data` makes sure a
document cannot close a block early and smuggle in instructions.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined


@lru_cache(maxsize=4)
def _environment(folder: str) -> Environment:
    env = Environment(loader=FileSystemLoader(folder), undefined=StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=False, autoescape=False)
    env.filters["data"] = quote_data
    return env


def render(name: str, folder: Path | None = None, **context) -> str:
    if folder is None:
        from ..settings import get_settings

        folder = get_settings().assistant_prompts_dir
    return _environment(str(folder)).get_template(name).render(**context).strip()


def quote_data(text: str) -> str:
    """Neutralise anything in `text` that looks like our data-block markers."""
    return (text or "").replace("〈资料", "〈资 料").replace("〈/资料", "〈/资 料")
