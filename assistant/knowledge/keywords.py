"""The keyword side of the catalog: its BM25 index with the metadata arrays the filters use, built
from the catalog's chunks, and saved next to it when it is large.

Building it over 100,000 chunks takes 6–13 s (reading the rows and bm25s' indexing); loading a
saved one takes a fraction of a second, so a large knowledge base (a province's on a server) is
saved after each build, keyed by the catalog's identity and version, and loaded on the next start.
"""

from __future__ import annotations

import json
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .bm25 import BM25Index, tokenizer_fingerprint
from .national_texts import ingested_articles

SAVE_MIN_CHUNKS = 5000  # below this a build takes well under a second: not worth a file
_FIELDS_STR = ("kind", "region", "area", "doc_id")
_FIELDS_INT = ("year", "part")


@dataclass
class Keywords:
    index: BM25Index
    positions: dict[str, int]
    meta: dict[str, np.ndarray]
    ingested: frozenset  # the ingested regulation articles (the national search leaves them out)
    version: int

    def __len__(self) -> int:
        return len(self.index.ids)


def build(rows: list[dict], version: int) -> Keywords:
    meta = {
        "kind": np.array([r["meta"].get("kind") or "" for r in rows], dtype=object),
        "year": np.array([r["meta"].get("year") or 0 for r in rows], dtype=np.int64),
        "region": np.array([r["meta"].get("region") or "" for r in rows], dtype=object),
        "part": np.array([r["meta"].get("part") or 0 for r in rows], dtype=np.int64),
        "area": np.array([r["meta"].get("area") or "" for r in rows], dtype=object),
        "doc_id": np.array([r["doc_id"] for r in rows], dtype=object),
    }
    index = BM25Index([r["id"] for r in rows], [r["tokens"] for r in rows])
    return Keywords(index, {r["id"]: i for i, r in enumerate(rows)}, meta, ingested_articles(rows), version)


def _key(catalog_id: str, version: int) -> str:
    return f"{catalog_id}-v{version}-{tokenizer_fingerprint()}"


def save(folder: Path, catalog_id: str, keywords: Keywords) -> None:
    """Write beside the catalog (replacing older saves); a failure only costs a rebuild later."""
    if len(keywords) < SAVE_MIN_CHUNKS or not catalog_id:
        return
    target = folder / _key(catalog_id, keywords.version)
    partial = folder / f"{target.name}.partial-{threading.get_ident()}"
    try:
        keywords.index.save(partial)
        np.savez(partial / "meta.npz", **{k: (v.astype(str) if k in _FIELDS_STR else v) for k, v in keywords.meta.items()})
        (partial / "ingested.json").write_text(json.dumps(sorted(list(a) for a in keywords.ingested), ensure_ascii=False),
                                               encoding="utf-8")
        for old in folder.iterdir():
            if old != partial:
                shutil.rmtree(old, ignore_errors=True)
        partial.rename(target)
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)


def load(folder: Path, catalog_id: str, version: int) -> Keywords | None:
    target = folder / _key(catalog_id, version)
    if not catalog_id or not (target / "meta.npz").is_file():
        return None
    try:
        index = BM25Index.load(target)
        with np.load(target / "meta.npz", allow_pickle=False) as data:
            meta = {k: (data[k].astype(object) if k in _FIELDS_STR else data[k]) for k in (*_FIELDS_STR, *_FIELDS_INT)}
        ingested = frozenset(tuple(a) for a in json.loads((target / "ingested.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError):
        return None  # damaged or partial: build again
    if any(len(v) != len(index.ids) for v in meta.values()):
        return None
    return Keywords(index, {cid: i for i, cid in enumerate(index.ids)}, meta, ingested, version)
