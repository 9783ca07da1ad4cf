"""The knowledge base on a Chroma server: the shared source of truth of every office pointed at it.

Three collections per knowledge base name N (ASSISTANT_COLLECTION):

- `N`: the chunks. Id = chunk id (a content hash), vector = its E5 embedding, document = its
  search text, metadata = the filter fields (kind, region, year, part, heading, article, title,
  source, doc_id…) plus what a reader needs to cache it: `chunk_seq`, `text_start` (where the text
  starts in the search text) and `tokens` (its jieba tokens; not indexed). The collection's
  metadata records the embedding model; its HNSW settings are the embedded base's.
- `N__docs`: one record per document. Id = doc id; metadata = title, kind, region, year, source,
  sha256, `rev` (a hash of the content and the chunk ids), chunk count, model, tokenizer, when and
  by which office, `state` (live or deleted: a tombstone); document = JSON of the full text, the
  extra fields and the chunk ids (the manifest). The collection's metadata holds the knowledge
  base's id and its `generation`, a random value rewritten after every commit (the change marker).
- `N__locks`: one record per document being written (id = doc id, owner, since when by the
  server's clock). `add` of an existing id is ignored by Chroma, so adding one is a
  create-if-absent: whoever's owner reads back holds the lock.

A write commits by writing the document record, after every chunk it lists is on the server;
readers use only chunks a committed record lists, so a document is never seen half-written.

Records are kept small (no chunk texts) and their collection is compacted every few writes: the
local Chroma re-reads every write not yet compacted on each request (1000 by default), so 100 KB
records made each request ~50 ms slower per record written.
"""

from __future__ import annotations

import json
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from ..errors import KnowledgeBaseError
from .chroma_server import ServerConnection

SCHEMA = 1
LEASE_SECONDS = 600.0  # a lock older than this (server clock) is taken for a crashed writer's
LOCK_WAIT_SECONDS = 120.0  # how long a writer waits for another office writing the same document
RECORDS_PAGE = 50  # document records fetched per request (each holds a full text)
CHUNKS_PAGE = 1000  # chunks fetched per request (texts, metadata and tokens, no vectors)
RECORDS_SYNC_THRESHOLD = 10  # writes between two compactions of the records' collection
INTERNAL_KEYS = ("chunk_seq", "text_start", "tokens")  # chunk metadata that is not the chunk's own
LIVE, DELETED = "live", "deleted"


@dataclass(frozen=True)
class RecordState:
    rev: str
    state: str
    tok: str


class LockBusy(KnowledgeBaseError):
    """Another office is writing the same document."""


class SharedStore:
    def __init__(self, conn: ServerConnection, name: str, owner: str, office: str) -> None:
        self.conn = conn
        self.name = name
        self.docs_name = f"{name}__docs"
        self.locks_name = f"{name}__locks"
        self.owner = owner  # this data dir's id: a retry after a crash reclaims its own lock
        self.office = office
        self._cols: dict[str, object] = {}

    # -- collections ---------------------------------------------------------------------------
    def _get(self, name: str):
        col = self._cols.get(name)
        if col is not None:
            return col
        from chromadb.errors import NotFoundError

        try:
            col = self.conn.call(lambda: self.conn.client().get_collection(name, embedding_function=None),
                                 "读取集合 / get collection")
        except KnowledgeBaseError as exc:
            if isinstance(exc.__cause__, NotFoundError) or "does not exist" in str(exc.__cause__ or ""):
                return None
            raise
        self._cols[name] = col
        return col

    def _create(self, name: str, metadata: dict, **options):
        """Create a collection or get the one another office created first."""
        col = self._get(name)
        if col is not None:
            return col
        client = self.conn.client()
        try:
            col = self.conn.call(lambda: client.create_collection(name, metadata=metadata, embedding_function=None,
                                                                  **options), "创建集合 / create collection")
        except KnowledgeBaseError as exc:
            if "already exists" not in str(exc.__cause__ or ""):
                raise
            col = self._get(name)
        self._cols[name] = col
        return col

    def forget(self) -> None:
        """Drop cached collection handles (after a collection was deleted and made again)."""
        self._cols.clear()

    def _call(self, name: str, fn, what: str):
        """fn(collection) with one retry when the collection was made again meanwhile."""
        col = self._get(name)
        if col is None:
            return None
        try:
            return self.conn.call(lambda: fn(col), what)
        except KnowledgeBaseError as exc:
            if "does not exist" not in str(exc.__cause__ or "") and "NotFound" not in type(exc.__cause__).__name__:
                raise
            self._cols.pop(name, None)
            col = self._get(name)
            return None if col is None else self.conn.call(lambda: fn(col), what)

    def chunks(self):
        return self._get(self.name)

    def ensure_chunks(self, model: str, hnsw: dict):
        """The chunks' collection: the embedded base's HNSW settings, no index on the tokens."""
        from chromadb import HnswIndexConfig, Schema, StringInvertedIndexConfig, VectorIndexConfig

        schema = Schema()
        schema.create_index(config=VectorIndexConfig(space=hnsw.get("hnsw:space", "cosine"), hnsw=HnswIndexConfig(
            max_neighbors=hnsw.get("hnsw:M", 16), ef_construction=hnsw.get("hnsw:construction_ef", 100),
            ef_search=hnsw.get("hnsw:search_ef", 100))))
        schema.delete_index(config=StringInvertedIndexConfig(), key="tokens")
        return self._create(self.name, {"embedding_model": model, "schema": SCHEMA}, schema=schema)

    def ensure_docs(self):
        return self._create(self.docs_name, {"kb_id": uuid.uuid4().hex, "schema": SCHEMA, "generation": ""},
                            configuration={"hnsw": {"batch_size": RECORDS_SYNC_THRESHOLD,
                                                    "sync_threshold": RECORDS_SYNC_THRESHOLD}})

    def drop_chunks(self) -> None:
        client = self.conn.client()
        try:
            self.conn.call(lambda: client.delete_collection(self.name), "删除集合 / delete collection")
        except KnowledgeBaseError as exc:
            if "does not exist" not in str(exc.__cause__ or "") and "NotFound" not in type(exc.__cause__).__name__:
                raise
        self._cols.pop(self.name, None)

    # -- markers and model ---------------------------------------------------------------------
    def marker(self) -> tuple[str, str] | None:
        """(knowledge base id, generation), or None when nothing was ever written."""
        self._cols.pop(self.docs_name, None)  # fresh metadata: get_collection is one ~1 ms request
        col = self._get(self.docs_name)
        if col is None:
            return None
        meta = col.metadata or {}
        return str(meta.get("kb_id") or ""), str(meta.get("generation") or "")

    def kb_id(self) -> str:
        return str((self.ensure_docs().metadata or {}).get("kb_id") or "")

    def model(self) -> str | None:
        """The embedding model of the server's vectors (None: no vectors yet)."""
        self._cols.pop(self.name, None)
        col = self._get(self.name)
        return None if col is None else (col.metadata or {}).get("embedding_model")

    def bump(self) -> None:
        """A new generation after a commit: every reader sees a value it has not seen."""
        col = self.ensure_docs()
        meta = {k: v for k, v in (col.metadata or {}).items() if not k.startswith("hnsw:")}
        meta["generation"] = uuid.uuid4().hex
        self.conn.call(lambda: col.modify(metadata=meta), "更新变更标记 / bump the generation")

    # -- document records ----------------------------------------------------------------------
    def states(self) -> dict[str, RecordState]:
        got = self._call(self.docs_name, lambda c: c.get(include=["metadatas"]), "读取文件清单 / list records")
        if not got:
            return {}
        return {i: RecordState(str(m.get("rev", "")), str(m.get("state", LIVE)), str(m.get("tok", "")))
                for i, m in zip(got["ids"], got["metadatas"] or [])}

    def records(self, ids: list[str]) -> list[dict]:
        """Live records with their bodies, in pages."""
        out = []
        for i in range(0, len(ids), RECORDS_PAGE):
            page = ids[i:i + RECORDS_PAGE]
            got = self._call(self.docs_name, lambda c: c.get(ids=page, include=["metadatas", "documents"]),
                             "下载文件 / fetch records")
            for doc_id, meta, body in zip(got["ids"], got["metadatas"], got["documents"]):
                if meta.get("state", LIVE) != LIVE:
                    continue
                out.append({"id": doc_id, "meta": meta, "body": json.loads(body or "{}")})
        return out

    def chunk_rows(self, ids: list[str]) -> dict[str, tuple[str, dict]]:
        """{chunk id: (search text, metadata)} of the chunks the server holds, in pages."""
        out: dict[str, tuple[str, dict]] = {}
        for i in range(0, len(ids), CHUNKS_PAGE):
            page = ids[i:i + CHUNKS_PAGE]
            got = self._call(self.name, lambda c: c.get(ids=page, include=["documents", "metadatas"]),
                             "下载段落 / fetch chunks")
            if got:
                out.update((cid, (doc, meta)) for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"]))
        return out

    def record_state(self, doc_id: str) -> RecordState | None:
        got = self._call(self.docs_name, lambda c: c.get(ids=[doc_id], include=["metadatas"]), "读取文件记录 / get record")
        if not got or not got["ids"]:
            return None
        m = got["metadatas"][0]
        return RecordState(str(m.get("rev", "")), str(m.get("state", LIVE)), str(m.get("tok", "")))

    def commit(self, doc_id: str, meta: dict, body: dict) -> None:
        """The switch readers see: one request writes the whole record."""
        col = self.ensure_docs()
        meta = dict(meta, state=LIVE, by=self.office, updated_at=time.time())
        meta = {k: v for k, v in meta.items() if v is not None and v != ""}
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        self.conn.call(lambda: col.upsert(ids=[doc_id], embeddings=[[1.0]], metadatas=[meta], documents=[text]),
                       "提交文件记录 / commit the record")

    def tombstone(self, doc_id: str, meta: dict) -> None:
        col = self.ensure_docs()
        keep = {k: meta[k] for k in ("title", "kind", "region", "year") if meta.get(k) not in (None, "")}
        keep.update(state=DELETED, rev="", by=self.office, updated_at=time.time())
        self.conn.call(lambda: col.upsert(ids=[doc_id], embeddings=[[1.0]], metadatas=[keep], documents=["{}"]),
                       "删除文件记录 / tombstone the record")

    # -- chunks --------------------------------------------------------------------------------
    def present(self, ids: list[str]) -> set[str]:
        """Which of these chunk ids the server holds."""
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            page = ids[i:i + 500]
            got = self._call(self.name, lambda c: c.get(ids=page, include=[]), "检查已上传的段落 / check chunks")
            if got:
                found.update(got["ids"])
        return found

    def add_chunks(self, ids: list[str], vectors, documents: list[str], metadatas: list[dict]) -> None:
        """`add`, never `upsert`: an id already there is left as it is (and costs nothing), while
        upserting existing vectors is ~30× slower with our HNSW settings."""
        col = self.chunks()
        self.conn.call(lambda: col.add(ids=ids, embeddings=vectors, documents=documents, metadatas=metadatas),
                       "上传段落 / upload chunks")

    def chunk_ids_of(self, doc_id: str) -> set[str]:
        got = self._call(self.name, lambda c: c.get(where={"doc_id": doc_id}, include=[]), "列出段落 / list chunks")
        return set(got["ids"]) if got else set()

    def delete_chunks(self, ids: list[str]) -> None:
        for i in range(0, len(ids), 500):
            page = ids[i:i + 500]
            self._call(self.name, lambda c: c.delete(ids=page), "删除段落 / delete chunks")

    def collect_garbage(self, doc_id: str, keep: set[str]) -> int:
        """Chunks of the document that no committed record lists (an old version's, or a crashed
        writer's uploads)."""
        stale = sorted(self.chunk_ids_of(doc_id) - keep)
        self.delete_chunks(stale)
        return len(stale)

    # -- locks ---------------------------------------------------------------------------------
    @contextmanager
    def lock(self, doc_id: str, wait: float = LOCK_WAIT_SECONDS):
        """Hold the document's write lock (create-if-absent on the server)."""
        col = self._create(self.locks_name, {"schema": SCHEMA})
        deadline = time.monotonic() + wait
        while True:
            now = self.conn.server_time()
            self.conn.call(lambda: col.add(ids=[doc_id], embeddings=[[1.0]],
                                           metadatas=[{"owner": self.owner, "office": self.office, "since": now}]),
                           "加写锁 / take the lock")
            got = self.conn.call(lambda: col.get(ids=[doc_id], include=["metadatas"]), "加写锁 / take the lock")
            if got["ids"]:
                holder = got["metadatas"][0]
                if holder.get("owner") == self.owner:
                    break
                if now - float(holder.get("since") or 0) > LEASE_SECONDS:  # a crashed writer's: take it over
                    stale = holder.get("owner")
                    self.conn.call(lambda: col.delete(ids=[doc_id], where={"owner": stale}), "解除过期的锁 / stale lock")
                    continue
                if time.monotonic() > deadline:
                    raise LockBusy(f"办公室“{holder.get('office') or '?'}”正在写入同一份文件（{doc_id}），请稍后重试。",
                                   f"Office '{holder.get('office') or '?'}' is writing the same document ({doc_id}); retry later.",
                                   "稍后运行 python -m assistant embed 继续上传。", "Run `python -m assistant embed` later.")
            time.sleep(0.3)
        try:
            yield
        finally:
            try:
                self.conn.call(lambda: col.delete(ids=[doc_id], where={"owner": self.owner}), "释放写锁 / release the lock")
            except KnowledgeBaseError:
                pass  # the server went away: the lease expires, and this data dir reclaims it anyway

    # -- search --------------------------------------------------------------------------------
    def count(self) -> int:
        got = self._call(self.name, lambda c: c.count(), "计数 / count")
        return int(got or 0)

    def query(self, vector: list[float], k: int, where: dict | None = None, ids: list[str] | None = None):
        return self._call(self.name, lambda c: c.query(query_embeddings=[vector], n_results=k, where=where, ids=ids,
                                                       include=["distances"]), "向量检索 / vector search")

    def embeddings_of(self, ids: list[str]):
        return self._call(self.name, lambda c: c.get(ids=ids, include=["embeddings"]), "读取向量 / get vectors")
