"""Quoted provisions against the article's text: "…第二条规定：“…”" quoted faithfully (possibly in
part), or a mismatch with a short diff. Where the stored text predates a later amendment of that
article (刑法's text lacks 刑法修正案（十二）), the quotation cannot be checked and is said so."""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

from ..findings import Finding
from .finder import Citation

if TYPE_CHECKING:  # a parsed text, from the knowledge base (which the checks never import)
    from ...knowledge import Regulation

_PUNCT = re.compile(r"[\s，,。；;：:、“”\"'‘’（）()《》〈〉【】\[\]！!？?…—\-]")


def normalise_words(text: str) -> str:
    return _PUNCT.sub("", text)


def check_quote(text: str, cit: Citation, reg: Regulation, title: str) -> Finding | None:
    quote = cit.quote
    said = normalise_words(quote.text)
    if not said:
        return None
    candidates = [reg.article(r.number) for r in cit.articles] if cit.articles else list(reg.articles)
    candidates = [a for a in candidates if a is not None]
    best, best_ratio, best_para = None, 0.0, ""
    for article in candidates:
        body = normalise_words(article.body)
        if said in body:
            return None  # quoted faithfully (possibly a part of the article)
        for para in article.paragraphs or [article.body]:
            ratio = difflib.SequenceMatcher(None, said, normalise_words(para), autojunk=False).ratio()
            if ratio > best_ratio:
                best, best_ratio, best_para = article, ratio, para
    stale = [r.number for r in cit.articles if r.number in reg.stale]
    if stale or best is not None and best.number in reg.stale:
        number = stale[0] if stale else best.number
        return Finding("citation_quote_unchecked", "info", quote.start, quote.end, text[quote.start:quote.end],
                       f"所存《{title}》第{number}条的文本早于《{reg.stale[number]}》的修改，引文无法核对，请对照修改后的条文。",
                       found=quote.text, details={"amended_by": reg.stale[number]})
    if best is None or (not cit.articles and best_ratio < 0.5):
        if cit.articles:
            return None
        return Finding("citation_quote_mismatch", "warning", quote.start, quote.end, text[quote.start:quote.end],
                       f"在《{title}》中找不到这段引文，请核对原文。", found=quote.text, suggestion="核对引文出处")
    diff = _diff(quote.text, best_para)
    return Finding("citation_quote_mismatch", "warning", quote.start, quote.end, text[quote.start:quote.end],
                   f"引文与《{title}》{best.label}原文不一致：{diff}", expected=best_para, found=quote.text,
                   suggestion=f"按原文改为：“{best_para}”", details={"article": best.label, "diff": diff,
                                                               "similarity": round(best_ratio, 3)})


def _diff(said: str, original: str) -> str:
    """A short human-readable difference: [-删去的-]{+原文的+}."""
    out = []
    matcher = difflib.SequenceMatcher(None, said, original, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            chunk = said[a0:a1]
            out.append(chunk if len(chunk) <= 12 else chunk[:5] + "…" + chunk[-5:])
        if op in ("delete", "replace"):
            out.append(f"[-{said[a0:a1]}-]")
        if op in ("insert", "replace"):
            out.append(f"{{+{original[b0:b1]}+}}")
    return "".join(out)
