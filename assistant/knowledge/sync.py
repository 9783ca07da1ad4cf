"""Server mode: this machine's catalog kept in line with the Chroma server, both ways.

- `pull`: the server's changes into the local catalog. One ~1 ms request says whether anything
  changed (the generation marker); only then are the document records compared by revision and
  the changed ones fetched, each applied to the catalog in one transaction. A document held back
  here (ingested while the server was down, or not yet embedded) is left alone until published.
- `publish`: one local document to the server, never half-applied: its missing chunks are
  uploaded first (`add` only: idempotent), then its record is written in one request (the
  commit), then the generation is bumped and chunks no record lists are deleted. Until the commit
  readers see the previous version whole; a retry after a failure repeats every step harmlessly.
  The document's write lock on the server serialises offices writing the same document.
- `remove`: a tombstone record, then the chunks.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable

from ..errors import KnowledgeBaseError
from .bm25 import tokenize, tokenizer_fingerprint
from .catalog import Catalog, document_rev
from .chroma_server import ServerConnection
from .shared_store import INTERNAL_KEYS, LIVE, LockBusy, RecordState, SharedStore

UPLOAD_BATCH = 1000  # chunks per `add` (with their vectors: ~5 MB of JSON)
Progress = Callable[[int, int, str], None]
VectorSource = Callable[[list[dict], "Progress | None"], list[list[float]]]


@dataclass
class PullReport:
    changed: bool = False  # the generation moved (or a full comparison was asked for)
    fetched: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    held_back: list[str] = field(default_factory=list)  # differ from the server, not yet published
    skipped: list[str] = field(default_factory=list)  # changed again while being fetched
    seconds: float = 0.0


@dataclass
class PublishReport:
    published: list[str] = field(default_factory=list)
    uploaded: int = 0  # chunks sent (with their vectors)
    busy: list = field(default_factory=list)  # LockBusy: documents another office was writing


class ServerSync:
    def __init__(self, catalog: Catalog, settings, hnsw: dict) -> None:
        self.catalog = catalog
        self.conn = ServerConnection(settings)
        self.hnsw = hnsw
        owner = catalog.get_meta("office_id")
        if not owner:
            owner = uuid.uuid4().hex
            catalog.set_meta("office_id", owner)
        self.office = settings.assistant_office or socket.gethostname()
        self.store = SharedStore(self.conn, settings.assistant_collection, owner, self.office)
        self.interval = float(settings.assistant_sync_interval)
        self._checked = 0.0  # monotonic time of the last generation check
        self.lock = threading.Lock()  # one pull or publish at a time in this process

    @property
    def url(self) -> str:
        return self.conn.url or ""

    @property
    def synced_at(self) -> float | None:
        value = self.catalog.get_meta("server_synced_at")
        return float(value) if value else None

    def due(self) -> bool:
        return time.monotonic() - self._checked >= self.interval

    # -- pull ----------------------------------------------------------------------------------
    def pull(self, progress: Progress | None = None, full: bool = False) -> PullReport:
        started = time.perf_counter()
        report = PullReport()
        with self.lock:
            self._checked = time.monotonic()
            marker = self.store.marker()  # read before comparing: a commit missed below bumps it again
            if marker is None:  # nothing on the server yet
                if self.catalog.get_meta("server_kb_id"):
                    self.catalog.forget_server()  # another (an empty) server: what is here is ours to publish
                    self.catalog.set_meta("server_kb_id", "")
                self._synced("")
                return report
            kb_id, generation = marker
            if self.catalog.get_meta("server_kb_id") != kb_id:
                self.catalog.forget_server()
                self.catalog.set_meta("server_kb_id", kb_id)
                full = True
            if not full and generation == self.catalog.get_meta("server_generation"):
                self._synced(generation)
                return report
            report.changed = True
            model = self.store.model()
            if model:
                self.catalog.set_meta("embedding_model", model)
            states = self.store.states()
            local = self.catalog.local_revs()
            fetch, drop, marks, held = self._plan(states, local)
            report.held_back = held
            tok = tokenizer_fingerprint()
            for i in range(0, len(fetch), 50):
                page = fetch[i:i + 50]
                if progress:
                    progress(i, len(fetch), f"同步 从服务器下载文件 {i}/{len(fetch)}")
                records = self.store.records(page)
                chunks = self.store.chunk_rows([cid for r in records for cid in r["body"].get("chunks") or []])
                ready = []
                for record in records:
                    listed = record["body"].get("chunks") or []
                    if all(cid in chunks for cid in listed):
                        ready.append(dict(_catalog_record(record, chunks, record["meta"].get("tok") == tok),
                                          expect=local.get(record["id"])))
                    else:  # replaced meanwhile (its old chunks collected): the next pull takes the new one
                        report.skipped.append(record["id"])
                applied = self.catalog.apply_records(ready)
                report.fetched += applied
                report.skipped += [r["doc_id"] for r in ready if r["doc_id"] not in applied]
            if progress and fetch:
                progress(len(fetch), len(fetch), f"同步 已下载 {len(fetch)} 份文件")
            report.dropped = self.catalog.drop_documents({d: local[d] for d in drop})
            self._sweep([d for d in drop if d in states])
            self.catalog.set_synced(marks)
            self._synced(generation)
        report.seconds = time.perf_counter() - started
        return report

    def _plan(self, states: dict[str, RecordState], local: dict[str, str]):
        synced = self.catalog.synced_revs()
        fetch, drop, held = [], [], []
        marks: dict[str, str | None] = {}
        for doc_id, st in states.items():
            mine, was = local.get(doc_id), synced.get(doc_id)
            dirty = mine is not None and mine != was
            if st.state != LIVE:
                if mine is None:
                    if was is not None:
                        marks[doc_id] = None
                elif dirty:
                    held.append(doc_id)
                else:
                    drop.append(doc_id)
                continue
            if mine == st.rev:
                if was != st.rev:
                    marks[doc_id] = st.rev  # the same content is here already (ingested by both)
                continue
            if dirty:
                held.append(doc_id)  # ours is published later: the last commit wins
                continue
            fetch.append(doc_id)
        for doc_id, was in synced.items():
            if doc_id not in states and local.get(doc_id) == was:
                drop.append(doc_id)  # its record is gone from the server
        return fetch, drop, marks, held

    def _sweep(self, removed: list[str]) -> None:
        """Chunks a removal left on the server (its office lost the server between the tombstone
        and the delete): never read, but they would crowd dense results. A document written
        again meanwhile is left alone (under its lock, the record is read again)."""
        for doc_id in removed:
            try:
                with self.store.lock(doc_id, wait=0):
                    state = self.store.record_state(doc_id)
                    if state is not None and state.state != LIVE:
                        self.store.delete_chunks(sorted(self.store.chunk_ids_of(doc_id)))
            except KnowledgeBaseError:  # busy (someone is writing it) or down: the next removal sweeps
                return

    def _synced(self, generation: str) -> None:
        self.catalog.set_meta("server_generation", generation)
        self.catalog.set_meta("server_synced_at", str(time.time()))

    # -- publish -------------------------------------------------------------------------------
    def check_model(self, model_id: str) -> None:
        """The embedding-model guard, across every office: the server's vectors decide."""
        recorded = self.store.model()
        if recorded and recorded != model_id:
            raise KnowledgeBaseError(
                f"服务器 {self.url} 上的知识库是用向量模型“{recorded}”建立的，本机设置的模型是“{model_id}”，两者不能混用。",
                f"The knowledge base on {self.url} was built with embedding model '{recorded}'; this machine's "
                f"settings say '{model_id}'. Vectors of two models are never mixed.",
                "把本机的向量模型设置改成与服务器一致；要让全部办公室换用新模型，由一台机器运行 "
                "python -m assistant reindex --yes（重建服务器上的全部向量）。",
                "Set this machine's embeddings to the server's model; to move every office to a new model, run "
                "`python -m assistant reindex --yes` on one machine (rebuilds every vector on the server).")

    def publish(self, doc_ids: list[str], model_id: str, vectors: VectorSource,
                progress: Progress | None = None) -> PublishReport:
        """Put local documents on the server. First every chunk the server lacks is uploaded, in
        batches of UPLOAD_BATCH across documents (harmless before a commit: unlisted chunks are
        never read; only one batch is in memory at a time); then each document, as it is here
        now, is committed under its lock after checking again that its chunks are there (another
        office's commit of the same document may have collected some, or it changed here)."""
        report = PublishReport()
        # no process-wide lock while embedding: pulls go on (and leave these documents alone)
        self.check_model(model_id)
        self.store.ensure_chunks(model_id, self.hnsw)
        self.catalog.set_meta("embedding_model", model_id)
        missing_ids: list[tuple[str, str]] = []  # (doc id, chunk id) the server lacks
        for doc_id in doc_ids:
            ids = sorted(self.catalog.chunk_ids(doc_id))
            present = self.store.present(ids)
            missing_ids += [(doc_id, cid) for cid in ids if cid not in present]
        started = time.monotonic()
        total = len(missing_ids)

        def tell(done: int) -> None:
            if progress:
                rate = done / max(time.monotonic() - started, 1e-6)
                progress(done, total, f"向量化并上传 {done}/{total} 段，约 {rate:.1f} 段/秒，"
                                      f"预计还需 {(total - done) / rate if rate else 0:.0f} 秒")

        for i in range(0, total, UPLOAD_BATCH):  # the slow part (embedding), outside any lock
            wanted = missing_ids[i:i + UPLOAD_BATCH]
            rows = self.catalog.chunk_rows([cid for _, cid in wanted])
            window = [rows[cid] for _, cid in wanted if cid in rows]  # a re-ingest may have dropped some
            if window:
                self._upload(window, vectors(window, lambda d, n, _m, i=i: tell(i + d)))
                report.uploaded += len(window)
            tell(i + len(wanted))
        for n, doc_id in enumerate(doc_ids, 1):
            try:
                with self.lock:
                    self._commit(doc_id, model_id, vectors, report)
            except LockBusy as exc:
                report.busy.append(exc)
            if progress and len(doc_ids) > 1:
                progress(n, len(doc_ids), f"提交 {n}/{len(doc_ids)} 份文件")
        return report

    def _upload(self, rows: list[dict], vecs: list) -> None:
        self.store.add_chunks([r["id"] for r in rows], vecs, [r["search_text"] for r in rows],
                              [_server_meta(r) for r in rows])

    def _commit(self, doc_id: str, model_id: str, vectors: VectorSource, report: PublishReport) -> None:
        doc = self.catalog.document(doc_id)
        if doc is None:  # removed here meanwhile
            return
        rows = self.catalog.document_chunks(doc_id)
        ids = [r["id"] for r in rows]
        rev = document_rev(doc["sha256"], doc["source"], ids)
        with self.store.lock(doc_id):
            present = self.store.present(ids)
            still = [r for r in rows if r["id"] not in present]
            for i in range(0, len(still), UPLOAD_BATCH):
                window = still[i:i + UPLOAD_BATCH]
                self._upload(window, vectors(window, None))
                report.uploaded += len(window)
            self.store.commit(doc_id, _record_meta(doc, rev, len(rows), model_id), _record_body(doc, rows))
            if not self.catalog.get_meta("server_kb_id"):  # the first record of a new knowledge base
                self.catalog.set_meta("server_kb_id", self.store.kb_id())
            self.store.bump()
            self.store.collect_garbage(doc_id, set(ids))
        self.catalog.mark_published(doc_id, rev, ids)
        report.published.append(doc_id)

    # -- remove --------------------------------------------------------------------------------
    def remove(self, doc: dict) -> list[str]:
        """Remove a document for every office; returns its local chunk ids."""
        with self.lock:
            doc_id = doc["doc_id"]
            with self.store.lock(doc_id):
                state = self.store.record_state(doc_id)
                if state is not None and state.state == LIVE:
                    self.store.tombstone(doc_id, doc)
                    self.store.bump()
                self.store.delete_chunks(sorted(self.store.chunk_ids_of(doc_id)))
            return self.catalog.remove_document(doc_id)


def _chroma_meta(meta: dict) -> dict:
    return {k: v for k, v in meta.items() if v is not None and v != "" and isinstance(v, (str, int, float, bool))}


def _server_meta(row: dict) -> dict:
    """A chunk's metadata on the server: its filter fields and what a reader needs to cache it."""
    return dict(_chroma_meta(row["meta"]), chunk_seq=row["seq"], text_start=len(row["search_text"]) - len(row["text"]),
                tokens=row["tokens"])


def _record_meta(doc: dict, rev: str, chunks: int, model_id: str) -> dict:
    return {"title": doc["title"], "kind": doc["kind"], "region": doc.get("region"), "year": doc.get("year"),
            "source": doc.get("source"), "sha256": doc.get("sha256"), "rev": rev, "chunks": chunks,
            "model": model_id, "tok": tokenizer_fingerprint()}


def _record_body(doc: dict, rows: list[dict]) -> dict:
    return {"v": 2,
            "doc": {k: doc.get(k) for k in ("title", "kind", "region", "year", "source", "sha256", "extra")},
            "text": doc["text"], "chunks": [r["id"] for r in rows]}


def _catalog_record(record: dict, chunks: dict[str, tuple[str, dict]], same_tokenizer: bool) -> dict:
    """A server record and its chunks in the catalog's shape; tokens made again when the
    tokenizer differs from this machine's."""
    body, meta = record["body"], record["meta"]
    doc = body.get("doc") or {}
    rows = []
    for cid in body.get("chunks") or []:
        search_text, chunk_meta = chunks[cid]
        own = {k: v for k, v in chunk_meta.items() if k not in INTERNAL_KEYS}
        tokens = chunk_meta.get("tokens", "") if same_tokenizer else " ".join(tokenize(search_text))
        start = int(chunk_meta.get("text_start") or 0)
        rows.append((cid, int(chunk_meta.get("chunk_seq") or 0), search_text[start:], search_text, tokens, own))
    return {"doc_id": record["id"], "rev": meta.get("rev", ""), "title": doc.get("title") or meta.get("title", ""),
            "kind": doc.get("kind") or meta.get("kind", ""), "region": doc.get("region"), "year": doc.get("year"),
            "source": doc.get("source"), "sha256": doc.get("sha256"), "extra": doc.get("extra") or {},
            "text": body.get("text") or "", "chunks": rows}
