"""Differences between two versions of a section, as HTML."""

from __future__ import annotations

import difflib
import html


def diff_html(old: str, new: str, old_label: str = "修改前", new_label: str = "修改后") -> str:
    """A compact inline diff: deletions struck through in red, insertions in green."""
    out = [f'<div class="diff"><div class="diff-legend"><del>{html.escape(old_label)}</del> → <ins>{html.escape(new_label)}</ins></div>']
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    body = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            body.append(html.escape(old[a0:a1]))
        if op in ("delete", "replace"):
            body.append(f"<del>{html.escape(old[a0:a1])}</del>")
        if op in ("insert", "replace"):
            body.append(f"<ins>{html.escape(new[b0:b1])}</ins>")
    out.append('<div class="diff-body">' + "".join(body).replace("\n", "<br>") + "</div></div>")
    return "".join(out)
