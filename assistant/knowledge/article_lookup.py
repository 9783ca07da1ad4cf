"""Looking up one article of a regulation: 《行政复议法》 第二条 → its text, with the title resolved
through the registry (short names, variants) and its status noted. Used by the CLI `article`
command, the chat and the web app's citation panel."""

from __future__ import annotations

from ..errors import NotFound
from ..numerals import article_number
from ..registry import split_cited_version


def lookup_article(ws, title: str, article: str | int, report_year: int | None = None) -> dict:
    """{"title", "article", "heading", "text", "paragraphs", "status_note", "source"} or NotFound."""
    raw_title, version = split_cited_version(title.strip().strip("《》"))
    number = article if isinstance(article, int) else article_number(str(article))
    if not number:
        raise NotFound(f"看不懂条号“{article}”，请写成“第二条”或“2”。", f"Cannot read the article number '{article}'.",
                       "例如：article 《行政复议法》 第二条", "e.g. article 《行政复议法》 第二条")
    resolution = ws.registry.resolve(title, report_year)
    full_title = resolution.entry.title if resolution else raw_title
    doc = ws.kb.find_regulation(full_title, version)
    if doc is None and (as_cited := ws.kb.find_regulation(raw_title, version)) is not None:
        full_title, doc = raw_title, as_cited  # ingested under a title the registry does not know
    if resolution and doc is None:
        raise NotFound(f"登记表中有《{full_title}》，但知识库中没有《{full_title}》的文本。",
                       f"The registry knows 《{full_title}》 but its text is not in the knowledge base.",
                       "先把法规文本加入知识库：python -m assistant ingest 文件 --kind regulation",
                       "Add the text first: python -m assistant ingest FILE --kind regulation")
    reg, art = ws.kb.article(full_title, number, version)
    note = ""
    if resolution:
        outdated, why = ws.registry.outdated(resolution.entry, report_year)
        note = why if outdated else f"{resolution.entry.status}"
    if version and doc is not None and not any(
            str(doc["extra"].get(k) or "").startswith(version) for k in ("promulgated", "version")):
        shown = str(doc["extra"].get("promulgated") or "")[:4] or "现有"
        note = (f"知识库中没有{version}年版本的文本，以下是{shown}年版本的条文，条号和内容可能不同。"
                + (f"所引版本：{note}" if note else ""))
    return {
        "title": reg.title,
        "article": art.label,
        "number": art.number,
        "heading": f"《{reg.title}》{art.label}" + (f"（{art.chapter}）" if art.chapter else ""),
        "text": art.text,
        "paragraphs": art.paragraphs,
        "status_note": note,
        "chapter": art.chapter,
    }
