"""The citation checker: does every cited document exist, under that title, still in force, with
that article, and with those words?

Findings:
- citation_unknown (warning): resolves to nothing, resembling registry titles (suggested);
- citation_outdated (warning): repealed, expired or superseded as of the report's year;
- citation_article_missing (error): no such article (or paragraph) in the current text;
- citation_quote_mismatch (warning): the quoted words differ from the article (with a diff);
- citation_unverified (info): a local document, or a title unlike any in the registry.

`texts(title, version)` returns the parsed Regulation when its text is in the knowledge base
(None otherwise); without it, article numbers are checked against the registry's article counts
and quotations are not checked.
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, Callable

from ...registry import Registry, misspelling_of
from ..findings import Finding
from .finder import Citation, find_citations

if TYPE_CHECKING:  # a parsed text, from the knowledge base (which the checks never import)
    from ...knowledge import Regulation

TextLookup = Callable[[str, "str | None"], "Regulation | None"]

_LOCAL_PREFIX = re.compile(r"^[\u4e00-\u9fff]{1,10}?(?:省|自治区|市|自治州|州|县|自治县|区|旗|盟)")
_LOCAL_SUFFIX = ("方案", "细则", "流程", "通知", "要点", "意见", "办法", "计划", "规划", "制度", "清单", "措施",
                 "指引", "目录", "标准", "规则", "决定", "纪要", "安排", "机制", "预案", "条例", "规定")
_PUNCT = re.compile(r"[\s，,。；;：:、“”\"'‘’（）()《》〈〉【】\[\]！!？?…—\-]")


def check_citations(text: str, registry: Registry, report_year: int | None = None,
                    texts: TextLookup | None = None) -> list[Finding]:
    findings: list[Finding] = []
    citations = find_citations(text)
    quoted = [(c.quote.start, c.quote.end) for c in citations if c.quote]
    for cit in citations:
        if any(a <= cit.start < b for a, b in quoted):
            continue  # a title inside a quoted provision is the law's words, not the report's citation
        findings.extend(check_citation(text, cit, registry, report_year, texts))
    return findings


def check_citation(text: str, cit: Citation, registry: Registry, report_year: int | None,
                   texts: TextLookup | None) -> list[Finding]:
    title = cit.effective_title
    cited = f"{title}（{cit.version}年）" if cit.version else title
    res = registry.resolve(cited, report_year)
    span = (cit.title_start, cit.title_end)
    shown = text[span[0]:span[1]]
    if res is None:
        reg = texts(title, cit.version) if texts else None
        if reg is not None:  # in the knowledge base though not in the registry
            return _check_articles_and_quote(text, cit, reg, None)
        return [_unknown_or_unverified(cit, title, shown, span, registry)]
    entry = res.entry
    out: list[Finding] = []
    outdated, why = registry.outdated(entry, report_year)
    if outdated:
        successor = registry.successor(entry)
        what = "所引版本" if cit.version else "所引文件"
        suggestion = f"改引{successor.label}" if successor else "核实后改引现行有效的文件"
        out.append(Finding("citation_outdated", "warning", span[0], span[1], shown,
                           f"{what}{entry.label if cit.version else '《' + entry.title + '》'}{why}。", expected=successor.title if successor else None,
                           found=shown, suggestion=suggestion,
                           details={"title": entry.title, "status": entry.status, "promulgated": entry.promulgated,
                                    "successor": successor.title if successor else None}))
    current = registry.in_force(res.versions or [entry], report_year) or entry
    reg = texts(current.title, None) if texts else None
    out.extend(_check_articles_and_quote(text, cit, reg, current.articles, current.title))
    return out


def _unknown_or_unverified(cit: Citation, title: str, shown: str, span: tuple[int, int], registry: Registry) -> Finding:
    similar = [(t, score) for t, score in registry.similar(title) if misspelling_of(title, t)]
    local = bool(_LOCAL_PREFIX.match(title)) and title.endswith(_LOCAL_SUFFIX)
    if similar and not local and not cit.means:
        names = "、".join(f"《{t}》" for t, _ in similar)
        return Finding("citation_unknown", "warning", span[0], span[1], shown,
                       f"登记表中没有{shown}，是否指{names}？", expected=similar[0][0], found=shown,
                       suggestion=f"改为《{similar[0][0]}》",
                       details={"candidates": [t for t, _ in similar]})
    why = "地方或部门文件" if local else "未收录的文件"
    return Finding("citation_unverified", "info", span[0], span[1], shown,
                   f"{shown}是{why}，登记表中无可核对的信息，请人工确认标题和文号。", found=shown,
                   details={"local": local})


def _check_articles_and_quote(text: str, cit: Citation, reg: Regulation | None, article_count: int | None,
                              title: str | None = None) -> list[Finding]:
    out: list[Finding] = []
    title = reg.title if reg else (title or cit.effective_title)
    count = reg.article_count if reg and reg.articles else article_count
    for ref in cit.articles:
        if any(f.start < ref.end and ref.start < f.end for f in out):
            continue  # one finding per reference: "第八十九条至第九十二条" is one
        missing = None
        written = text[ref.start:ref.end]
        if count and ref.number > count:
            missing = (f"《{title}》共{count}条，没有{ref.label}。" if written.startswith(ref.label) else
                       f"《{title}》共{count}条，“{written}”超出条文范围（没有{ref.label}）。")
        elif reg and ref.paragraph:
            article = reg.article(ref.number)
            if article and ref.paragraph > len(article.paragraphs):
                missing = f"《{title}》{article.label}只有{len(article.paragraphs)}款，没有第{ref.paragraph}款。"
        if missing:
            out.append(Finding("citation_article_missing", "error", ref.start, ref.end, text[ref.start:ref.end],
                               missing, found=ref.label, suggestion="核对条文序号",
                               details={"title": title, "articles": count}))
    if cit.quote and reg and reg.articles and not out:
        finding = _check_quote(text, cit, reg, title)
        if finding:
            out.append(finding)
    return out


def normalise_words(text: str) -> str:
    return _PUNCT.sub("", text)


def _check_quote(text: str, cit: Citation, reg: Regulation, title: str) -> Finding | None:
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
