"""Exporting a report draft to Markdown: "# 标题", "## 一、…", "### （一）…", paragraphs."""

from __future__ import annotations

import re

from ..report_tree import parse_report
from .lines import WHITESPACE, Kind, report_lines

_MD_BLOCK_MARKER = re.compile(r"^(\d+)([.)])(?=\s)|^([#>+*-])")


def export_markdown(text: str, title: str | None = None) -> str:
    """The report as Markdown: "# 标题", "## 一、…", "### （一）…", everything else as paragraphs.

    An inline heading ("（一）标题。正文…") becomes the heading and a paragraph with the rest.
    """
    tree = parse_report(text)
    blocks: list[str] = []
    if title and tree.title is None:
        blocks.append(f"# {title}")
    for line in report_lines(text, tree):
        head_end = line.head_end if line.head_end is not None else line.end
        head, rest = text[line.start:head_end], text[head_end:line.end].strip(WHITESPACE)
        prefix = {Kind.TITLE: "# ", Kind.LEVEL1: "## ", Kind.LEVEL2: "### "}.get(line.kind)
        if prefix:
            blocks.append(prefix + head)
            if rest:
                blocks.append(_escape_markdown(rest))
        else:
            blocks.append(_escape_markdown(text[line.start:line.end]))
    return "\n\n".join(blocks) + "\n"


def _escape_markdown(paragraph: str) -> str:
    """Keep a paragraph from turning into a list, quote or heading ("1. …", "- …", "# …")."""
    return _MD_BLOCK_MARKER.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", paragraph, count=1)
