"""BM25 over jieba tokens, with stop words and punctuation removed (bm25s underneath).

The index is rebuilt from the catalog in memory; on a few thousand chunks that takes well under
a second, so a newly ingested document is searchable by keywords at once, before its vectors
are done.
"""

from __future__ import annotations

import json
import logging
import math
import re
import threading
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path

import bm25s
import jieba
import numpy as np

jieba.setLogLevel(logging.WARNING)
_init_lock = threading.Lock()
_initialised = False
_WORD = re.compile(r"[\w\u4e00-\u9fff]", re.UNICODE)


def _ensure_jieba() -> None:
    global _initialised
    if _initialised:
        return
    with _init_lock:
        if not _initialised:
            path = resources.files("assistant") / "resources" / "userdict.txt"
            with resources.as_file(path) as file:
                jieba.load_userdict(str(file))
            _initialised = True


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    text = (resources.files("assistant") / "resources" / "stopwords.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def tokenize(text: str) -> list[str]:
    """Search tokens: jieba's search mode (words and their parts), lower-cased, without
    punctuation and stop words."""
    _ensure_jieba()
    stop = stopwords()
    out = []
    for token in jieba.cut_for_search(text):
        token = token.strip().lower()
        if token and token not in stop and _WORD.search(token):
            out.append(token)
    return out


class BM25Index:
    """An immutable BM25 index over chunk ids; build a new one when the catalog changes."""

    def __init__(self, ids: list[str], token_lists: list[list[str]] | None, retriever=None) -> None:
        self.ids = list(ids)
        self._retriever = retriever or bm25s.BM25()
        if self.ids and retriever is None:
            self._retriever.index([t or [""] for t in token_lists or []], show_progress=False)

    def save(self, folder: Path) -> None:
        """Write the index to `folder` (bm25s' files plus the ids), to be loaded by `load`."""
        folder.mkdir(parents=True, exist_ok=True)
        self._retriever.save(str(folder), show_progress=False)
        (folder / "ids.json").write_text(json.dumps(self.ids, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> "BM25Index":
        ids = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
        return cls(ids, None, bm25s.BM25.load(str(folder), mmap=True, show_progress=False))

    def __len__(self) -> int:
        return len(self.ids)

    def scores(self, query: str, shared_with: "BM25Index | None" = None) -> np.ndarray:
        """BM25 of every document for the query. With `shared_with`, the terms are weighted by
        their rarity in both indexes together (their union's IDF), so that the scores of two
        indexes over different documents compare: a handful of ingested chunks would otherwise
        score far below the 25,000 national articles for the same words."""
        tokens = tokenize(query)
        if not self.ids or not tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        if shared_with is None or not len(shared_with):
            return np.asarray(self._retriever.get_scores(tokens), dtype=np.float32)
        out = np.zeros(len(self.ids), dtype=np.float32)
        n, n_all = len(self.ids), len(self.ids) + len(shared_with)
        for token, count in Counter(tokens).items():
            df = self.doc_freq(token)
            if df:
                weight = _idf(n_all, df + shared_with.doc_freq(token)) / _idf(n, df)
                out += np.float32(count * weight) * np.asarray(self._retriever.get_scores([token]), dtype=np.float32)
        return out

    def doc_freq(self, token: str) -> int:
        """How many documents hold the token."""
        if not self.ids:
            return 0
        tid = self._retriever.vocab_dict.get(token)
        if tid is None:
            return 0
        indptr = self._retriever.scores["indptr"]
        return int(indptr[tid + 1] - indptr[tid])

    def search(self, query: str, k: int = 10, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        scores = self.scores(query)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        return self.top(scores, k)

    def top(self, scores: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The k best (id, score) with a positive score."""
        positive = int(np.count_nonzero(scores > 0))
        if positive == 0:
            return []
        k = min(k, positive)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in top]


def _idf(docs: int, df: int) -> float:
    """bm25s' default (Lucene) inverse document frequency."""
    return math.log(1 + (docs - df + 0.5) / (df + 0.5))


@lru_cache(maxsize=1)
def tokenizer_fingerprint() -> str:
    """Changes when the user dictionary or the stop words change (a saved index is then rebuilt)."""
    import hashlib

    digest = hashlib.sha256()
    for name in ("userdict.txt", "stopwords.txt"):
        digest.update((resources.files("assistant") / "resources" / name).read_bytes())
    return digest.hexdigest()[:12]
