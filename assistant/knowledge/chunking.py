"""Chunks follow the documents' structure: one per report item (or section without items) and
one per regulation article. Only a unit longer than the embedding window is split, at sentence
ends. Every chunk carries where it comes from, so a hit can be cited."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Callable

from ..outline import Outline
from ..report_tree import ReportTree, Section, display_token
from .regulations import Regulation

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;\n])")


@dataclass
class DocInfo:
    doc_id: str
    title: str
    kind: str  # report | regulation
    region: str | None = None
    year: int | None = None
    source: str | None = None  # file name the document came from
    extra: dict = field(default_factory=dict)  # status, version, dates… (regulations)


@dataclass
class Chunk:
    id: str
    doc_id: str
    seq: int
    text: str  # the unit as written (what a user reads and cites)
    search_text: str  # text with its context line (what is embedded and indexed)
    metadata: dict

    def chroma_metadata(self) -> dict:
        """Chroma accepts only str/int/float/bool values: drop the empty ones."""
        return {k: v for k, v in self.metadata.items() if v is not None and v != ""}


def make_doc_id(kind: str, title: str, region: str | None, year: int | None, version: str | None = None) -> str:
    key = f"{kind}|{title}|{region or ''}|{year or ''}|{version or ''}"
    return f"{kind[:3]}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:12]}"


def chunk_id(doc_id: str, where: str, search_text: str) -> str:
    return hashlib.sha1(f"{doc_id}\x00{where}\x00{search_text}".encode("utf-8")).hexdigest()[:24]


def split_to_window(text: str, fits: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Spans of `text` that each fit the window, cut at sentence ends (or hard cuts if one
    sentence alone is too long)."""
    if fits(text):
        return [(0, len(text))]
    pieces = [p for p in _SENTENCE_END.split(text) if p]
    spans: list[tuple[int, int]] = []
    start = pos = 0
    for piece in pieces:
        end = pos + len(piece)
        if pos > start and not fits(text[start:end]):
            spans.append((start, pos))
            start = pos
        while not fits(text[start:end]) and end - start > 1:  # one over-long sentence
            cut = start + max(1, (end - start) // 2)
            while cut > start + 1 and not fits(text[start:cut]):
                cut = start + max(1, (cut - start) // 2)
            spans.append((start, cut))
            start = cut
        pos = end
    if start < len(text):
        spans.append((start, len(text)))
    return spans


class Chunker:
    def __init__(self, count_tokens: Callable[[str], int], max_tokens: int, outline: Outline) -> None:
        self.count_tokens = count_tokens
        self.max_tokens = max_tokens - 8  # room for the "passage: " prefix
        self.outline = outline

    def _fits(self, prefix: str) -> Callable[[str], bool]:
        return lambda body: self.count_tokens(prefix + body) <= self.max_tokens

    def _emit(self, doc: DocInfo, out: list[Chunk], text: str, offset: int, prefix: str, where: str, meta: dict) -> None:
        stripped = text.strip()
        if not stripped:
            return
        lead = len(text) - len(text.lstrip())
        text = stripped
        offset += lead
        spans = split_to_window(text, self._fits(prefix))
        for n, (s, e) in enumerate(spans):
            piece = text[s:e].strip()
            if not piece:
                continue
            search_text = prefix + piece
            m = dict(meta, doc_id=doc.doc_id, title=doc.title, kind=doc.kind, region=doc.region, year=doc.year,
                     source=doc.source, start=offset + s, end=offset + e)
            if len(spans) > 1:
                m["piece"] = n + 1
            out.append(Chunk(chunk_id(doc.doc_id, where, search_text), doc.doc_id, len(out), piece, search_text, m))

    # -- reports -------------------------------------------------------------------------------
    def chunk_report(self, tree: ReportTree, doc: DocInfo) -> list[Chunk]:
        out: list[Chunk] = []
        label = doc.title
        intro = tree.text[(tree.title_span[1] if tree.title_span else 0):tree.preamble_end]
        self._emit(doc, out, intro, tree.title_span[1] if tree.title_span else 0, f"{label}：",
                   "preamble", {"part": None, "heading": "序言", "section_title": "序言"})
        for top in tree.sections:
            for unit in _units(top):
                titles = _title_chain(tree, unit)
                area = None
                if unit.part == 1 and unit.level >= 2:
                    level2 = next(s for s in tree.walk() if s.path == "/".join(unit.tokens[:2]))
                    area = self.outline.classify_subsection(level2.title, tree.body_text(level2))
                prefix = f"{label}　{' / '.join(titles)}：\n"
                body_start = unit.line_start
                body_end = unit.end if not unit.children else unit.children[0].line_start
                if unit.children and not tree.text[unit.heading_end:body_end].strip():
                    continue  # only a heading before its first item
                meta = {"part": unit.part, "heading": unit.path, "section_title": " / ".join(titles), "area": area,
                        "level": unit.level}
                self._emit(doc, out, tree.text[body_start:body_end], body_start, prefix, unit.path, meta)
        return out  # the sign-off (issuer and date) is not searchable content

    # -- regulations ---------------------------------------------------------------------------
    def chunk_regulation(self, reg: Regulation, doc: DocInfo) -> list[Chunk]:
        out: list[Chunk] = []
        extra = {k: doc.extra.get(k) for k in ("status", "version", "promulgated", "effective")}
        for art in reg.articles:
            prefix = f"《{reg.title}》{art.chapter or ''}\n"
            meta = dict(extra, article=art.label, article_no=art.number, chapter=art.chapter, part=None,
                        heading=art.label)
            self._emit(doc, out, art.text, art.start, prefix, art.label, meta)
        for part in reg.parts:
            prefix = f"《{reg.title}》{part.heading}\n"
            meta = dict(extra, article=None, chapter=part.heading, part=None, heading=part.heading)
            self._emit(doc, out, part.heading + "\n" + part.text, part.start, prefix, part.heading, meta)
        if not reg.articles and not reg.parts:
            self._emit(doc, out, reg.text, 0, f"《{reg.title}》\n", "全文", dict(extra, part=None, heading="全文"))
        return out


def _units(section: Section):
    """A section's chunk units: each item (level ≥3 leaf), or the section itself without items;
    a section's own lead text before its first child is a unit too."""
    if not section.children:
        yield section
        return
    yield section  # its lead text (may be only the heading; `_emit` skips empty bodies)
    for child in section.children:
        yield from _units(child)


def _title_chain(tree: ReportTree, unit: Section) -> list[str]:
    chain = []
    for n in range(1, len(unit.tokens) + 1):
        node = tree.find("/".join(unit.tokens[:n]))
        if node:
            chain.append(f"{display_token(node.level, node.token)}{node.title}")
    return chain
