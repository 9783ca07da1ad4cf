"""The citation checker: does every cited document exist, under that title, still in force, with
that article, that 文号 and those words?

Citations are the 《titles》 the finder reads (a notice 《…关于印发〈X〉的通知》 resolves as X too) and
national laws named without 《》 in running text (`bare_names`). Findings:
- citation_unknown (warning): resolves to nothing and is a slip of a known title, or reads as a
  national law or administrative regulation, which the registry holds in full (`unknown`);
- citation_outdated (warning): repealed, expired or superseded as of the report's year — unless the
  sentence itself says so (原《合同法》, 《合同法》同时废止);
- citation_status_disputed (info): the sources disagree on whether it is in force;
- citation_article_missing (error): no such article (or paragraph) in the text in force;
- citation_number_mismatch (warning) / citation_number_unverified (info): the 文号 (`numbers`);
- citation_quote_mismatch (warning) / citation_quote_unchecked (info): quotations (`quotes`);
- citation_unverified (info): a local, internal or central policy document the registry lacks.

`texts(title, version)` returns the parsed Regulation (an ingested text, or a national law's text
from the dependency), None when there is none; without it, article numbers are checked against
the registry's article counts and quotations are not checked.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

from ...registry import Registry, Resolution, inner_title
from ..findings import Finding
from .bare_names import find_bare_names
from .finder import Citation, find_citations
from .numbers import check_number
from .quotes import check_quote
from .unknown import unknown_or_unverified

if TYPE_CHECKING:  # a parsed text, from the knowledge base (which the checks never import)
    from ...knowledge import Regulation

TextLookup = Callable[[str, "str | None"], "Regulation | None"]

# the sentence itself tells the document is gone: 原《合同法》, 《合同法》同时废止, 废止了…
_SAYS_GONE_AFTER = re.compile(r"[^，。；;\n]{0,24}?(?:同时废止|废止|失效|被取代|所取代|代替|替代|停止施行|不再施行|不再适用)")
_SAYS_GONE_BEFORE = re.compile(r"(?:原|原来的|旧|废止了?|取代了?|代替了?|替代了?)$")


def check_citations(text: str, registry: Registry, report_year: int | None = None,
                    texts: TextLookup | None = None) -> list[Finding]:
    findings: list[Finding] = []
    found = find_citations(text)
    quoted = [(c.quote.start, c.quote.end) for c in found if c.quote]
    # a title inside a quoted provision is the law's words, not the report's citation
    citations = [c for c in found if not any(a <= c.start < b for a, b in quoted)]
    bare = find_bare_names(text, registry.law_names(), skip=quoted + [(c.start, c.end) for c in citations])
    for cit in sorted(citations + bare, key=lambda c: c.start):
        findings.extend(check_citation(text, cit, registry, report_year, texts))
    return findings


def check_citation(text: str, cit: Citation, registry: Registry, report_year: int | None,
                   texts: TextLookup | None) -> list[Finding]:
    title = cit.effective_title
    res = _resolve(registry, title, cit.version, report_year)
    span = (cit.title_start, cit.title_end)
    shown = text[span[0]:span[1]]
    if res is None:
        reg = texts(title, cit.version) if texts else None
        if reg is not None:  # a text without a registry entry (an ingested local regulation)
            return _check_articles_and_quote(text, cit, reg, None)
        if cit.bare:
            return []
        slip = _inner_slip(text, cit, title, registry)
        return [slip or unknown_or_unverified(cit, title, shown, span, registry)]
    out: list[Finding] = []
    number_finding, named = check_number(text, cit, res)
    if number_finding:
        out.append(number_finding)
    entry = named or res.entry  # a 文号 of an older version means that version
    if entry.disputed:
        out.append(Finding("citation_status_disputed", "info", span[0], span[1], shown,
                           f"《{entry.title}》效力状态存疑：{entry.disputed}，请核实后再引用。", found=shown,
                           details={"title": entry.title, "disputed": entry.disputed}))
    outdated, why = registry.outdated(entry, report_year)
    if outdated and not _says_gone(text, cit):
        successor = registry.successor(entry)
        what = "所引版本" if cit.version or named else "所引文件"
        suggestion = f"改引{successor.label}" if successor else "核实后改引现行有效的文件"
        out.append(Finding("citation_outdated", "warning", span[0], span[1], shown,
                           f"{what}{entry.label if cit.version or named else '《' + entry.title + '》'}{why}。",
                           expected=successor.title if successor else None, found=shown, suggestion=suggestion,
                           details={"title": entry.title, "status": entry.status, "promulgated": entry.promulgated,
                                    "successor": successor.title if successor else None, "bare": cit.bare}))
    current = registry.in_force(res.versions or [entry], report_year) or entry
    reg = texts(current.title, None) if texts else None
    out.extend(_check_articles_and_quote(text, cit, reg, current.articles, current.title))
    return out


def _resolve(registry: Registry, title: str, version: str | None, year: int | None) -> Resolution | None:
    """The title as cited, or the document a notice issues (《…关于印发〈X〉的通知》 → X)."""
    for candidate in (title, inner_title(title)):
        if candidate:
            res = registry.resolve(f"{candidate}（{version}年）" if version else candidate, year)
            if res:
                return res
    return None


def _inner_slip(text: str, cit: Citation, title: str, registry: Registry) -> Finding | None:
    """A notice nobody registers (《…关于印发〈X〉的通知》) whose 〈X〉 reads as a slip of a known
    title, or as a national title that does not exist: reported at 〈X〉, as for X cited alone."""
    inner = inner_title(title)
    at = text.find(inner, cit.title_start, cit.title_end) if inner else -1
    if at < 0:
        return None
    start, end = (at - 1, at + len(inner) + 1) if text[at - 1:at] in "〈<《" else (at, at + len(inner))
    finding = unknown_or_unverified(cit, inner, text[start:end], (start, end), registry)
    return finding if finding.severity != "info" else None


def _says_gone(text: str, cit: Citation) -> bool:
    return bool(_SAYS_GONE_AFTER.match(text, cit.end) or _SAYS_GONE_BEFORE.search(text, max(0, cit.start - 4), cit.start))


def _check_articles_and_quote(text: str, cit: Citation, reg: Regulation | None, article_count: int | None,
                              title: str | None = None) -> list[Finding]:
    out: list[Finding] = []
    title = reg.title if reg else (title or cit.effective_title)
    # the larger of the text's and the registry's count: an excerpt never makes a real article "missing"
    count = max(reg.article_count if reg and reg.articles else 0, article_count or 0) or None
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
        finding = check_quote(text, cit, reg, title)
        if finding:
            out.append(finding)
    return out
