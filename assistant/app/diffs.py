"""Differences between two versions of a section, as HTML: by words (jieba), by sentences or by
characters; every change is numbered (for "上一处/下一处") and counted."""

from __future__ import annotations

import difflib
import html
import re

MODES = {"word": "按词", "sentence": "按句", "char": "按字"}
_SENTENCE = re.compile(r"[^。！？；\n]*[。！？；]|[^。！？；\n]+|\n")


def tokens(text: str, mode: str = "word") -> list[str]:
    """The units a diff compares: jieba's words (a number with its measure word stays one change:
    21件 → 25件, never 2~~1~~5件), sentences, or characters."""
    if mode == "char":
        return list(text)
    if mode == "sentence":
        return _SENTENCE.findall(text)
    import jieba

    jieba.setLogLevel(60)
    out: list[str] = []
    for word in jieba.lcut(text, HMM=False):
        if out and _joins(out[-1], word):
            out[-1] += word
        else:
            out.append(word)
    return out


def _joins(before: str, word: str) -> bool:
    """A number and the unit or measure word after it, or the digits of one number, are one unit."""
    number = re.fullmatch(r"[\d.,%]+", before) is not None
    return number and (re.fullmatch(r"[\d.,%]+", word) is not None or (len(word) <= 2 and re.fullmatch(r"[\u4e00-\u9fff%]+", word) is not None
                                                                   and word[0] in _UNITS))


_UNITS = set("件个次人名位项家所场期份台万亿元年月日天户起宗批套篇条类余多%")


def diff_html(old: str, new: str, old_label: str = "修改前", new_label: str = "修改后", mode: str = "word") -> str:
    """A compact inline diff: deletions struck through in red, insertions in green, each change
    numbered (`data-change`), with the count in the legend."""
    a, b = tokens(old, mode), tokens(new, mode)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    body, changes = [], 0
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            body.append(html.escape("".join(a[a0:a1])))
            continue
        changes += 1
        piece = []
        if op in ("delete", "replace"):
            piece.append(f"<del>{html.escape(''.join(a[a0:a1]))}</del>")
        if op in ("insert", "replace"):
            piece.append(f"<ins>{html.escape(''.join(b[b0:b1]))}</ins>")
        body.append(f'<span class="change" id="change-{changes}" data-change="{changes}">{"".join(piece)}</span>')
    count = f"共 {changes} 处改动（{MODES.get(mode, mode)}比较）" if changes else "两个版本相同，没有改动。"
    legend = (f'<div class="diff-legend"><del>{html.escape(old_label)}</del> → <ins>{html.escape(new_label)}</ins>'
              f'　<span class="diff-count" data-changes="{changes}">{count}</span></div>')
    return f'<div class="diff">{legend}<div class="diff-body">{"".join(body).replace(chr(10), "<br>")}</div></div>'
