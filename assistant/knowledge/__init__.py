"""The knowledge base: reading documents, their structure (report parts, regulation articles),
chunks, the catalog, embeddings, BM25, hybrid search, ingest, importers and article look-up;
embedded, or shared by many offices on a Chroma server (chroma_server, shared_store, sync)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

_NAMES = {
    "KnowledgeBase": ".base",
    "Hit": ".base",
    "Progress": ".base",
    "SearchResults": ".base",
    "ServerUnavailable": ".chroma_server",
    "ServerRefused": ".chroma_server",
    "ingest_paths": ".ingest",
    "ingest_file": ".ingest",
    "IngestReport": ".ingest",
    "FileResult": ".ingest",
    "read_document": ".documents",
    "DocumentText": ".documents",
    "SUPPORTED_SUFFIXES": ".documents",
    "parse_regulation": ".regulations",
    "Regulation": ".regulations",
    "Article": ".regulations",
    "LocalE5Embedder": ".embeddings",
    "VectorCache": ".embeddings",
    "make_embedder": ".embeddings",
    "Chunk": ".chunking",
    "DocInfo": ".chunking",
    "Chunker": ".chunking",
    "import_lawrefbook": ".importers",
    "entries_from_index": ".importers",
    "lookup_article": ".article_lookup",
    "Catalog": ".catalog",
    "RegulationTexts": ".regulation_texts",
}
__all__ = list(_NAMES)
__getattr__, __dir__ = lazy_names(__name__, _NAMES)

if TYPE_CHECKING:
    from .base import KnowledgeBase, Hit, Progress, SearchResults
    from .chroma_server import ServerUnavailable, ServerRefused
    from .ingest import ingest_paths, ingest_file, IngestReport, FileResult
    from .documents import read_document, DocumentText, SUPPORTED_SUFFIXES
    from .regulations import parse_regulation, Regulation, Article
    from .embeddings import LocalE5Embedder, VectorCache, make_embedder
    from .chunking import Chunk, DocInfo, Chunker
    from .importers import import_lawrefbook, entries_from_index
    from .article_lookup import lookup_article
    from .catalog import Catalog
    from .regulation_texts import RegulationTexts
