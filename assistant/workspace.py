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
        self._parsed: dict = {}  # regulation texts parsed for the checks, by (doc_id, sha256)

    @property
    def data_dir(self) -> Path:
        return self.settings.ensure_data_dir()

    @cached_property
    def kb(self):
        from .knowledge import KnowledgeBase

        return KnowledgeBase(self.settings)

    @cached_property
    def registry(self):
        from .registry import Registry

        base = self.settings.assistant_corpus_dir / "regulations" / "registry.yaml"
        return Registry.load(base, self.data_dir / "registry.yaml")

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
        """A look-up of the knowledge base's regulation texts (title, version) → Regulation | None
        for a batch of checks: the regulations are listed once and each text is parsed when first
        cited (KnowledgeBase.regulation lists them all again on every call: 40 ms with 38 texts).
        Matches as KnowledgeBase.find_regulation does: any spelling of the title, the newest
        version unless a version year is given. The knowledge base is opened on the first call."""
        from .knowledge import parse_regulation
        from .registry import normalise_title

        state: dict = {}

        def lookup(title: str, version: str | None):
            if "docs" not in state:
                docs = []
                # no knowledge base in the data folder (README: kb/catalog.sqlite3), no text to read:
                # do not open one (its modules alone take longer than the check)
                if "kb" in self.__dict__ or (self.data_dir / "kb" / "catalog.sqlite3").exists():
                    try:
                        docs = self.kb.regulation_docs()
                    except Exception:  # noqa: BLE001 - a knowledge base that cannot open must not stop the checks
                        docs = []
                state["docs"] = {}
                for d in docs:
                    state["docs"].setdefault(normalise_title(d["title"]), []).append(d)
            matches = list(state["docs"].get(normalise_title(title), []))
            if version:
                dated = [d for d in matches if str(d["extra"].get("promulgated") or "").startswith(version)
                         or str(d["extra"].get("version") or "").startswith(version)]
                matches = dated or matches
            if not matches:
                return None
            doc = max(matches, key=lambda d: str(d["extra"].get("promulgated") or ""))
            key = (doc["doc_id"], doc["sha256"] or "")
            if key not in self._parsed:  # parsed once for the workspace's life, unless the text changes
                self._parsed[key] = parse_regulation(doc["text"], doc["title"])
            return self._parsed[key]

        return lookup

    def register_regulation(self, result, status: str | None = None, promulgated: str | None = None,
                            effective: str | None = None) -> None:
        """Add an ingested regulation to the user registry (title, dates, status, article count)."""
        from .registry import CURRENT, Entry
        from .registry import short_name

        reg = result.regulation
        existing = self.registry.resolve(result.title)
        same = None
        if existing:
            same = next((e for e in existing.versions if (e.promulgated or "")[:10] == (promulgated or reg.promulgated or "")[:10]), None)
        if same and not (status or promulgated or effective):
            if reg.article_count and same.articles != reg.article_count:
                self.registry.put(same.model_copy(update={"articles": reg.article_count}))
            return
        base = same.model_dump() if same else {"title": result.title,
                                               "short_names": [n for n in [short_name(result.title)] if n]}
        base.update({
            "promulgated": promulgated or reg.promulgated or base.get("promulgated"),
            "effective": effective or reg.effective or base.get("effective"),
            "status": status or reg.status or base.get("status") or CURRENT,
            "issuer": base.get("issuer") or reg.issuer,
            "articles": reg.article_count or base.get("articles"),
        })
        self.registry.put(Entry.model_validate(base))
