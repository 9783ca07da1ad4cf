"""The knowledge base's catalog: documents and chunks in SQLite under the data dir.

Chroma holds the vectors; the catalog holds the text, the structure and the state of each chunk
(embedded or not). BM25 is built from here, so keyword search works before vectors exist, and an
interrupted embedding run resumes where it stopped.

With a Chroma server the catalog is this machine's cache of the server's documents:
`server_docs` holds the revision of each document as last synced from (or published to) the
server. A document whose own revision (`document_rev` of its content and chunk ids) differs is
held back here (ingested while the server was down, or not yet embedded) and published by
`embed`; `embedded` then means "on the server".
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path

from .chunking import Chunk, DocInfo

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    region TEXT,
    year INTEGER,
    source TEXT,
    sha256 TEXT,
    text TEXT NOT NULL,
    extra TEXT NOT NULL DEFAULT '{}',
    added_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    text TEXT NOT NULL,
    search_text TEXT NOT NULL,
    tokens TEXT NOT NULL,
    meta TEXT NOT NULL,
    embedded INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE INDEX IF NOT EXISTS chunks_pending ON chunks(embedded);
CREATE TABLE IF NOT EXISTS kb_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS server_docs (doc_id TEXT PRIMARY KEY, rev TEXT NOT NULL);
"""


def document_rev(sha256: str | None, source: str | None, chunk_ids) -> str:
    """A document's revision: its text's hash, its source and its chunks (ids are content hashes)."""
    digest = hashlib.sha1(f"{sha256 or ''}\x00{source or ''}".encode("utf-8"))
    for cid in sorted(chunk_ids):
        digest.update(b"\x00" + cid.encode("ascii", "replace"))
    return digest.hexdigest()[:20]


class Catalog:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(SCHEMA)
        self.lock = threading.RLock()

    # -- meta ----------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self.lock:
            row = self._db.execute("SELECT value FROM kb_meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO kb_meta VALUES (?, ?)", (key, value))

    @property
    def version(self) -> int:
        """Bumped on every change; the BM25 index is rebuilt when it moves."""
        return int(self.get_meta("version") or 0)

    def _bump(self) -> None:
        self._db.execute("INSERT OR REPLACE INTO kb_meta VALUES ('version', ?)", (str(self.version + 1),))

    # -- documents -----------------------------------------------------------------------------
    def document(self, doc_id: str) -> dict | None:
        with self.lock:
            row = self._db.execute("SELECT * FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return _doc_row(row) if row else None

    def documents(self, kind: str | None = None) -> list[dict]:
        query = ("SELECT d.*, (SELECT COUNT(*) FROM chunks c WHERE c.doc_id=d.doc_id) AS chunk_count, "
                 "(SELECT COUNT(*) FROM chunks c WHERE c.doc_id=d.doc_id AND c.embedded=0) AS pending "
                 "FROM documents d")
        args: tuple = ()
        if kind:
            query += " WHERE kind=?"
            args = (kind,)
        query += " ORDER BY kind, year DESC, title"
        with self.lock:
            return [_doc_row(r) for r in self._db.execute(query, args)]

    def chunk_ids(self, doc_id: str) -> set[str]:
        with self.lock:
            return {r[0] for r in self._db.execute("SELECT id FROM chunks WHERE doc_id=?", (doc_id,))}

    def replace_document(self, doc: DocInfo, text: str, sha256: str, chunks: list[Chunk],
                         tokens: dict[str, list[str]]) -> tuple[list[str], list[str]]:
        """Store a document and its chunks; returns (added chunk ids, removed chunk ids)."""
        with self.lock, self._db:
            old = {r[0]: r[1] for r in self._db.execute("SELECT id, embedded FROM chunks WHERE doc_id=?", (doc.doc_id,))}
            self._db.execute(
                "INSERT INTO documents (doc_id, title, kind, region, year, source, sha256, text, extra, added_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(doc_id) DO UPDATE SET title=excluded.title, "
                "kind=excluded.kind, region=excluded.region, year=excluded.year, source=excluded.source, "
                "sha256=excluded.sha256, text=excluded.text, extra=excluded.extra",
                (doc.doc_id, doc.title, doc.kind, doc.region, doc.year, doc.source, sha256, text,
                 json.dumps(doc.extra, ensure_ascii=False), time.time()))
            new_ids = [c.id for c in chunks]
            removed = [cid for cid in old if cid not in set(new_ids)]
            if removed:
                self._db.executemany("DELETE FROM chunks WHERE id=?", [(cid,) for cid in removed])
            added = []
            for c in chunks:
                if c.id in old:
                    self._db.execute("UPDATE chunks SET seq=?, meta=? WHERE id=?",
                                     (c.seq, json.dumps(c.metadata, ensure_ascii=False), c.id))
                    continue
                added.append(c.id)
                self._db.execute("INSERT INTO chunks (id, doc_id, seq, text, search_text, tokens, meta, embedded) "
                                 "VALUES (?,?,?,?,?,?,?,0)",
                                 (c.id, c.doc_id, c.seq, c.text, c.search_text, " ".join(tokens[c.id]),
                                  json.dumps(c.metadata, ensure_ascii=False)))
            if added or removed or not old:
                self._bump()
        return added, removed

    def remove_document(self, doc_id: str) -> list[str]:
        with self.lock, self._db:
            ids = [r[0] for r in self._db.execute("SELECT id FROM chunks WHERE doc_id=?", (doc_id,))]
            self._db.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
            self._db.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))
            self._db.execute("DELETE FROM server_docs WHERE doc_id=?", (doc_id,))
            self._bump()
        return ids

    # -- chunks --------------------------------------------------------------------------------
    def pending_chunks(self, limit: int | None = None) -> list[dict]:
        query = "SELECT id, doc_id, search_text, meta FROM chunks WHERE embedded=0 ORDER BY doc_id, seq"
        if limit:
            query += f" LIMIT {int(limit)}"
        with self.lock:
            return [dict(r, meta=json.loads(r["meta"])) for r in self._db.execute(query)]

    def count_pending(self) -> int:
        with self.lock:
            return self._db.execute("SELECT COUNT(*) FROM chunks WHERE embedded=0").fetchone()[0]

    def mark_embedded(self, ids: list[str], value: int = 1) -> None:
        with self.lock, self._db:
            self._db.executemany("UPDATE chunks SET embedded=? WHERE id=?", [(value, i) for i in ids])

    def mark_all_pending(self) -> None:
        with self.lock, self._db:
            self._db.execute("UPDATE chunks SET embedded=0")

    def all_chunks(self) -> list[dict]:
        """Every chunk with its tokens and metadata (to build the BM25 index)."""
        with self.lock:
            rows = self._db.execute("SELECT id, doc_id, tokens, meta, embedded FROM chunks ORDER BY doc_id, seq").fetchall()
        return [{"id": r["id"], "doc_id": r["doc_id"], "tokens": r["tokens"].split(" ") if r["tokens"] else [],
                 "meta": json.loads(r["meta"]), "embedded": r["embedded"]} for r in rows]

    def chunks(self, ids: list[str]) -> dict[str, dict]:
        out: dict[str, dict] = {}
        with self.lock:
            for i in range(0, len(ids), 500):
                batch = ids[i:i + 500]
                marks = ",".join("?" * len(batch))
                for r in self._db.execute(f"SELECT id, doc_id, text, search_text, meta FROM chunks WHERE id IN ({marks})", batch):
                    out[r["id"]] = {"id": r["id"], "doc_id": r["doc_id"], "text": r["text"],
                                    "search_text": r["search_text"], "meta": json.loads(r["meta"])}
        return out

    def chunks_of(self, doc_id: str) -> list[dict]:
        with self.lock:
            rows = self._db.execute("SELECT id, text, meta FROM chunks WHERE doc_id=? ORDER BY seq", (doc_id,)).fetchall()
        return [{"id": r["id"], "text": r["text"], "meta": json.loads(r["meta"])} for r in rows]

    # -- the server's copy (server mode) --------------------------------------------------------
    def synced_revs(self) -> dict[str, str]:
        with self.lock:
            return {r[0]: r[1] for r in self._db.execute("SELECT doc_id, rev FROM server_docs")}

    def local_revs(self) -> dict[str, str]:
        """Each document's own revision, from its content hash, source and chunk ids."""
        with self.lock:
            docs = {r[0]: (r[1], r[2]) for r in self._db.execute("SELECT doc_id, sha256, source FROM documents")}
            ids: dict[str, list[str]] = {d: [] for d in docs}
            for doc_id, cid in self._db.execute("SELECT doc_id, id FROM chunks"):
                ids.setdefault(doc_id, []).append(cid)
        return {d: document_rev(sha, source, ids.get(d, ())) for d, (sha, source) in docs.items()}

    def unpublished(self) -> list[str]:
        """Documents held back on this machine: not on the server as they are here."""
        synced = self.synced_revs()
        return sorted(d for d, rev in self.local_revs().items() if synced.get(d) != rev)

    def document_chunks(self, doc_id: str) -> list[dict]:
        """Every chunk of a document with all its fields (to publish it)."""
        with self.lock:
            rows = self._db.execute("SELECT id, seq, text, search_text, tokens, meta, embedded FROM chunks "
                                    "WHERE doc_id=? ORDER BY seq", (doc_id,)).fetchall()
        return [dict(r, meta=json.loads(r["meta"])) for r in rows]

    def chunk_rows(self, ids: list[str]) -> dict[str, dict]:
        """Chunks by id with all their fields (to publish them)."""
        out: dict[str, dict] = {}
        with self.lock:
            for i in range(0, len(ids), 500):
                batch = ids[i:i + 500]
                marks = ",".join("?" * len(batch))
                for r in self._db.execute(f"SELECT id, seq, text, search_text, tokens, meta, embedded FROM chunks "
                                          f"WHERE id IN ({marks})", batch):
                    out[r["id"]] = dict(r, meta=json.loads(r["meta"]))
        return out

    def mark_published(self, doc_id: str, rev: str, ids: list[str]) -> None:
        """The document as it was read (`ids`, `rev`) is on the server."""
        with self.lock, self._db:
            self._db.executemany("UPDATE chunks SET embedded=1 WHERE id=?", [(i,) for i in ids])
            self._db.execute("INSERT OR REPLACE INTO server_docs VALUES (?, ?)", (doc_id, rev))

    def _rev_now(self, doc_id: str) -> str | None:
        row = self._db.execute("SELECT sha256, source FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        if row is None:
            return None
        ids = [r[0] for r in self._db.execute("SELECT id FROM chunks WHERE doc_id=?", (doc_id,))]
        return document_rev(row[0], row[1], ids)

    def apply_records(self, records: list[dict]) -> list[str]:
        """Documents as the server has them, each replacing this machine's copy, in one
        transaction; returns the ids applied. A record: {"doc_id", "rev", "expect" (this machine's
        revision when the pull was planned: a document ingested here since then is left alone),
        "title", "kind", "region", "year", "source", "sha256", "text", "extra",
        "chunks": [(id, seq, text, search_text, tokens, meta)]}."""
        applied: list[str] = []
        if not records:
            return applied
        with self.lock, self._db:
            for rec in records:
                if self._rev_now(rec["doc_id"]) != rec.get("expect"):
                    continue
                applied.append(rec["doc_id"])
                self._db.execute("DELETE FROM chunks WHERE doc_id=?", (rec["doc_id"],))
                self._db.execute(
                    "INSERT INTO documents (doc_id, title, kind, region, year, source, sha256, text, extra, added_at) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(doc_id) DO UPDATE SET title=excluded.title, "
                    "kind=excluded.kind, region=excluded.region, year=excluded.year, source=excluded.source, "
                    "sha256=excluded.sha256, text=excluded.text, extra=excluded.extra",
                    (rec["doc_id"], rec["title"], rec["kind"], rec.get("region"), rec.get("year"), rec.get("source"),
                     rec.get("sha256"), rec["text"], json.dumps(rec.get("extra") or {}, ensure_ascii=False), time.time()))
                self._db.executemany(
                    "INSERT OR REPLACE INTO chunks (id, doc_id, seq, text, search_text, tokens, meta, embedded) "
                    "VALUES (?,?,?,?,?,?,?,1)",
                    [(cid, rec["doc_id"], seq, text, search_text, tokens, json.dumps(meta, ensure_ascii=False))
                     for cid, seq, text, search_text, tokens, meta in rec["chunks"]])
                self._db.execute("INSERT OR REPLACE INTO server_docs VALUES (?, ?)", (rec["doc_id"], rec["rev"]))
            if applied:
                self._bump()
        return applied

    def drop_documents(self, expected: dict[str, str]) -> list[str]:
        """Documents removed on the server (by any office), each only if this machine's copy is
        still the revision the pull saw ({doc_id: rev}); returns the ids dropped."""
        dropped = []
        if not expected:
            return dropped
        with self.lock, self._db:
            for doc_id, rev in expected.items():
                if self._rev_now(doc_id) != rev:
                    continue
                self._db.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
                self._db.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))
                self._db.execute("DELETE FROM server_docs WHERE doc_id=?", (doc_id,))
                dropped.append(doc_id)
            if dropped:
                self._bump()
        return dropped

    def set_synced(self, revs: dict[str, str | None]) -> None:
        """Record (or, for None, forget) the server's revision of documents."""
        with self.lock, self._db:
            for doc_id, rev in revs.items():
                if rev is None:
                    self._db.execute("DELETE FROM server_docs WHERE doc_id=?", (doc_id,))
                else:
                    self._db.execute("INSERT OR REPLACE INTO server_docs VALUES (?, ?)", (doc_id, rev))
                    self._db.execute("UPDATE chunks SET embedded=1 WHERE doc_id=?", (doc_id,))

    def forget_server(self) -> None:
        """Another server (or none): every document here is this machine's own again."""
        with self.lock, self._db:
            self._db.execute("DELETE FROM server_docs")

    def close(self) -> None:
        self._db.close()


def _doc_row(row: sqlite3.Row) -> dict:
    d = dict(row)
    d["extra"] = json.loads(d.get("extra") or "{}")
    return d
