"""A shared knowledge base on a Chroma server at 100,000 chunks, against the embedded base in the
same run: moving it onto the server, a second machine joining, staying in sync, search latency,
Chroma's own lexical search, and search with the server down.

The base: the shared regulations + the sample report (vectors from benchmarks/.cache/vectors.sqlite3),
then synthetic copies up to 100,000 chunks (bench_search.add_synthetic_copies: other region/year,
new ids, the same texts and tokens, the vector plus a little noise) in an embedded data dir E.

1. Move: a copy of E, opened with ASSISTANT_CHROMA_URL set, `migrate()`s onto a `chroma run`
   started here (127.0.0.1, a free port): every document published with its stored vectors.
2. Join: a fresh data dir J syncs from the server (`sync_now`: records fetched, catalog written,
   BM25 built and saved). Baseline in the same run: the embedded way of giving a second machine
   the base (copying E's kb/ folder) and opening it (its BM25 built from the catalog).
   Then: a restart of J (saved BM25 loaded), the steady-state check (nothing changed: one
   request), one changed document published by the first office and pulled by J.
3. Search, k=5, the labelled queries in three wordings (150 strings), the query-vector cache
   emptied before each row; E and J interleaved query by query so both see the same load:
   hybrid, dense, bm25, and filtered (kind=report ~1 %, a region ~9 %, a region and a year ~5 %);
   per row, how often both give the same first hit and how much their top 5 overlap (by text: a
   synthetic copy of a chunk is the same answer); and each base's dense recall@5 against the
   exact (brute-force cosine) neighbours, 50 queries.
4. Lexical search on the server: the Search API and sparse (BM25) indexes are probed (the error
   is recorded); `where_document $contains` (an unranked filter, the server's only lexical
   primitive locally) timed against local BM25 top 50.
5. The server killed: hybrid searches on J (keywords from the cache, with a notice).

    python benchmarks/bench_server.py [--quick]   (--quick: 2 regulation files, ≥ 5,000 chunks)
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import benchlib as bl
import numpy as np
from bench_search import add_synthetic_copies, variants

NAME = "server"
GOAL_HYBRID_P95_MS = 150.0  # the same goal as the embedded base (bench_search)
GOAL_JOIN_S = 120.0  # a machine joining a 100,000-chunk base is ready to search within two minutes


def folder_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6, 1)


def server_settings(data_dir: Path, url: str, **extra):
    return bl.make_settings(data_dir, bl.SHARED_VECTOR_CACHE, assistant_chroma_url=url, assistant_sync_interval=3600,
                            assistant_office=data_dir.name, **extra)


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def printer(label: str, every: float = 10.0):
    state = {"t": 0.0}

    def progress(done: int, total: int, message: str) -> None:
        now = time.monotonic()
        if now - state["t"] >= every or done == total:
            state["t"] = now
            print(f"  {label}: {message}", flush=True)

    return progress


def interleaved(kbs: dict, queries: list[str], **kwargs) -> dict[str, list[float]]:
    """Latency of each knowledge base on each query, alternating, every query embedded afresh."""
    for kb in kbs.values():
        kb.embeddings._queries.clear()
    out: dict[str, list[float]] = {name: [] for name in kbs}
    notices = {name: 0 for name in kbs}
    same_top, shared = [], []  # do the bases answer alike? (the first two, when there are two)
    for q in queries:
        answers = []
        for name, kb in kbs.items():
            t = time.perf_counter()
            hits = kb.search(q, k=5, **kwargs)
            out[name].append(time.perf_counter() - t)
            notices[name] += bool(getattr(hits, "notice", None))
            answers.append([h.text for h in hits])  # by text: a synthetic copy of a chunk is the same answer
        if len(answers) == 2:
            a, b = answers
            same_top.append(bool(a and b and a[0] == b[0]))
            shared.append(len(set(a) & set(b)) / max(len(set(a)), len(set(b)), 1))  # distinct texts
    out["_notices"] = notices  # type: ignore[assignment]
    if same_top:
        out["_agreement"] = {"same_first_hit": round(float(np.mean(same_top)), 3),  # type: ignore[assignment]
                             "top5_overlap": round(float(np.mean(shared)), 3)}
    return out


def dense_recall(kbs: dict, queries: list[str]) -> dict[str, float]:
    """Recall@5 of each base's dense search against the exact (brute-force cosine) neighbours over
    the embedded base's stored vectors, by chunk text (a synthetic copy is the same answer)."""
    first = next(iter(kbs.values()))
    collection = first.store._collection
    ids, rows = [], []
    total = collection.count()
    for offset in range(0, total, 5000):
        got = collection.get(include=["embeddings"], limit=5000, offset=offset)
        ids += got["ids"]
        rows.append(np.asarray(got["embeddings"], dtype=np.float32))
    matrix = np.vstack(rows)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    text_of = {cid: c["text"] for cid, c in first.catalog.chunks(ids).items()}
    out: dict[str, list[float]] = {name: [] for name in kbs}
    for q in queries:
        vector = first.embeddings.embed_query_array(q)
        vector = vector / np.linalg.norm(vector)
        exact = {text_of[ids[i]] for i in np.argsort(-(matrix @ vector))[:5]}
        for name, kb in kbs.items():
            got = {text_of.get(cid, cid) for cid, _ in kb._nearest(vector, 5)}
            out[name].append(len(got & exact) / max(len(exact), 1))
    return {name: round(float(np.mean(v)), 3) for name, v in out.items()}


def lexical_probe(client, collection) -> dict:
    """Does the local server offer ranked lexical search? (the Search API; a sparse BM25 index)"""
    from chromadb import Knn, Schema, Search, SparseVectorIndexConfig

    out = {}
    try:
        collection.search(Search().rank(Knn(query=[0.1] * 384)).limit(3))
        out["search_api"] = "works"
    except Exception as exc:  # noqa: BLE001 - recorded
        out["search_api"] = f"{type(exc).__name__}: {str(exc)[:160]}"
    try:  # our own (jieba) sparse vectors would need a sparse index: Chroma's BM25 function keeps
        # whole Chinese clauses as tokens (it splits on spaces and punctuation only)
        schema = Schema()
        schema.create_index(config=SparseVectorIndexConfig(), key="sparse_probe")
        client.create_collection("probe_sparse_index", schema=schema)
        out["sparse_index"] = "created"
        client.delete_collection("probe_sparse_index")
    except Exception as exc:  # noqa: BLE001 - recorded
        out["sparse_index"] = f"{type(exc).__name__}: {str(exc)[:160]}"
    return out


def main() -> None:
    args = bl.parser(__doc__.split("\n")[0]).parse_args()
    files = bl.require_regulations(NAME, args.quick)
    target = 5000 if args.quick else 100_000
    if args.quick:
        files = files[:2]
    queries = variants(bl.load_queries(), 30 if args.quick else None)
    results: dict = {"target_chunks": target}
    from servers import ChromaProcess

    from assistant.knowledge import KnowledgeBase, ingest_paths
    from assistant.knowledge.bm25 import tokenize

    with bl.temp_dir("server-") as tmp:
        chroma = ChromaProcess(tmp / "chroma").start()
        try:
            # -- the embedded base ------------------------------------------------------------------
            kb_e, build = bl.build_corpus_kb(tmp / "E", files)
            synthetic = add_synthetic_copies(kb_e, target)
            chunks = len(kb_e.catalog.all_chunks())
            print(f"embedded base: {chunks} chunks ({synthetic['synthetic_chunks']} synthetic, {synthetic['seconds']} s)")
            results.update(chunks=chunks, build=build, synthetic=synthetic)
            kb_e.close()

            # -- 1. move a copy of it onto the server -----------------------------------------------
            copy_s, _ = timed(lambda: shutil.copytree(tmp / "E", tmp / "A"))
            kb_a = KnowledgeBase(server_settings(tmp / "A", chroma.url))
            migrate_s, moved = timed(lambda: kb_a.migrate(printer("migrate", 30)))
            print(f"migrate: {moved} in {migrate_s:.0f} s")
            results["migrate"] = {**moved, "seconds": round(migrate_s, 1),
                                  "chunks_per_s": round(moved["uploaded"] / migrate_s, 1),
                                  "server_disk_mb": folder_mb(tmp / "chroma" / "db")}

            quiet = bl.wait_quiet(args.max_wait) if args.max_wait > 0 else {}
            with bl.LoadMonitor() as load:
                # -- 2. a second machine joins ------------------------------------------------------
                kb_j = KnowledgeBase(server_settings(tmp / "J", chroma.url))
                join_s, pulled = timed(lambda: kb_j.sync_now(printer("join", 10)))
                join = {"seconds": round(join_s, 1), "pull_s": round(pulled.seconds, 1),
                        "bm25_build_and_save_s": round(join_s - pulled.seconds, 1), "documents": len(pulled.fetched),
                        "catalog_mb": round((tmp / "J" / "kb" / "catalog.sqlite3").stat().st_size / 1e6, 1),
                        "saved_bm25_mb": folder_mb(tmp / "J" / "kb" / "bm25")}
                print(f"join: {join}")
                # baseline: the embedded way (copy the folder, open it, first search builds BM25)
                shutil.rmtree(tmp / "E" / "kb" / "bm25", ignore_errors=True)  # as a copy made without it
                copy2_s, _ = timed(lambda: shutil.copytree(tmp / "E", tmp / "E2"))
                kb_e2 = KnowledgeBase(bl.make_settings(tmp / "E2", bl.SHARED_VECTOR_CACHE))
                open_s, _ = timed(kb_e2._bm25_index)
                join["baseline_embedded"] = {"copy_folder_s": round(copy2_s, 1), "bm25_build_s": round(open_s, 1),
                                             "total_s": round(copy2_s + open_s, 1), "folder_mb": folder_mb(tmp / "E2" / "kb")}
                kb_e2.close()
                shutil.rmtree(tmp / "E2", ignore_errors=True)
                # a restart of J: the saved BM25 is loaded
                kb_j.close()
                kb_j = KnowledgeBase(server_settings(tmp / "J", chroma.url))
                restart_s, _ = timed(kb_j._bm25_index)
                first_pull_s, _ = timed(kb_j.sync_now)  # the first pull of a process compares every record
                steady = []
                for _ in range(20):
                    t, report = timed(kb_j.sync_now)
                    assert not report.changed
                    steady.append(t)
                join["restart_load_bm25_s"] = round(restart_s, 2)
                join["restart_first_pull_full_compare_s"] = round(first_pull_s, 2)
                join["steady_state_check_ms"] = bl.summary_ms(steady)
                # one document changed by office A, pulled by J
                source = next(Path(f) for f in files if "第二条" in Path(f).read_text(encoding="utf-8"))
                changed = tmp / "changed" / source.name
                changed.parent.mkdir()
                text = source.read_text(encoding="utf-8")
                cut = text.index("。", text.index("第二条"))  # one article changed: one chunk replaced
                changed.write_text(text[:cut] + "（本条经修改）" + text[cut:], encoding="utf-8")
                publish_s, rep = timed(lambda: ingest_paths(kb_a, [changed], kind="regulation"))
                pull_s, report = timed(kb_j.sync_now)
                join["one_changed_document"] = {"publish_s (office A: parse, embed new chunks, upload, commit)": round(publish_s, 2),
                                                "uploaded_chunks": rep.embedded, "pull_s": round(report.seconds, 3),
                                                "pull_and_bm25_rebuild_s": round(pull_s, 2), "fetched": len(report.fetched)}
                results["join"] = join
                print(f"restart {restart_s:.2f} s, steady {join['steady_state_check_ms']}, one change {join['one_changed_document']}")

                # -- 3. search, interleaved --------------------------------------------------------
                kb_e = KnowledgeBase(bl.make_settings(tmp / "E", bl.SHARED_VECTOR_CACHE))
                kbs = {"embedded": kb_e, "server": kb_j}
                for kb in kbs.values():
                    kb._bm25_index()
                    for q in ("行政执法公示制度", "政府信息公开申请", "重大行政决策听证"):
                        kb.search(q, k=5)
                region = "长春市"
                region_year = 2020
                rows = {}
                for label, kwargs in (("hybrid", {}), ("dense", {"mode": "dense"}), ("bm25", {"mode": "bm25"}),
                                      ("hybrid, kind=report", {"kind": "report"}),
                                      (f"hybrid, region={region}", {"region": region}),
                                      (f"hybrid, region={region}, year={region_year}", {"region": region, "year": region_year})):
                    lat = interleaved(kbs, queries, **kwargs)
                    rows[label] = {name: bl.summary_ms(lat[name]) for name in kbs}
                    rows[label]["agreement"] = lat["_agreement"]
                    print(f"  {label}: embedded p95 {rows[label]['embedded']['p95_ms']} ms, server p95 "
                          f"{rows[label]['server']['p95_ms']} ms, same hits {lat['_agreement']}")
                results["search"] = {"dense_recall_vs_exact": dense_recall(kbs, queries[:50])}
                print(f"  dense recall@5 against exact neighbours: {results['search']['dense_recall_vs_exact']}")
                keep = kb_j._keyword_index()
                share = {"kind=report": float(np.mean(keep.meta["kind"] == "report")),
                         f"region={region}": float(np.mean(keep.meta["region"] == region)),
                         "region+year": float(np.mean((keep.meta["region"] == region) & (keep.meta["year"] == region_year)))}
                results["search"].update({"latency": rows, "filter_share": share, "queries_per_row": len(queries)})

                # -- 4. lexical search on the server ----------------------------------------------
                collection = kb_j.collection
                probe = lexical_probe(kb_j.sync.conn.client(), collection)
                words = [max(tokenize(q), key=len) for q in queries[:50]]
                contains = [timed(lambda w=w: collection.get(where_document={"$contains": w}, limit=50, include=[]))[0]
                            for w in words]
                index = kb_j._bm25_index()
                local = [timed(lambda q=q: index.search(q, 50))[0] for q in queries[:50]]
                results["lexical"] = {"probe": probe, "server_contains_limit50_ms": bl.summary_ms(contains),
                                      "local_bm25_top50_ms": bl.summary_ms(local)}
                print(f"lexical: {results['lexical']}")

                # -- 5. the server down --------------------------------------------------------------
                chroma.kill()
                lat = interleaved({"server down": kb_j}, queries[:50])
                results["server_down"] = {"hybrid": bl.summary_ms(lat["server down"]),
                                          "with_notice": lat["_notices"]["server down"], "queries": 50}
                print(f"server down: {results['server_down']}")
            results["machine_load"] = {"before": quiet, "during": load.result()}
            for kb in (kb_a, kb_j, kb_e):
                kb.close()
        finally:
            chroma.stop()

    lat = results["search"]["latency"]
    bl.table(["search (k=5)", "embedded p50", "embedded p95", "server p50", "server p95", "same 1st hit", "top-5 overlap"],
             [[label, r["embedded"]["p50_ms"], r["embedded"]["p95_ms"], r["server"]["p50_ms"], r["server"]["p95_ms"],
               r["agreement"]["same_first_hit"], r["agreement"]["top5_overlap"]]
              for label, r in lat.items()],
             title=f"Search latency (ms), {results['chunks']} chunks, {len(queries)} queries per row, interleaved")
    j = results["join"]
    bl.table(["step", "seconds"],
             [["move the embedded base onto the server (migrate)", results["migrate"]["seconds"]],
              ["join: pull every record", j["pull_s"]], ["join: build + save BM25", j["bm25_build_and_save_s"]],
              ["join: total", j["seconds"]],
              ["baseline, embedded: copy the kb/ folder", j["baseline_embedded"]["copy_folder_s"]],
              ["baseline, embedded: build BM25 at first search", j["baseline_embedded"]["bm25_build_s"]],
              ["restart of the joined machine: load saved BM25", j["restart_load_bm25_s"]],
              ["steady-state check, p50 (s)", round(j["steady_state_check_ms"]["p50_ms"] / 1000, 4)]],
             title="Moving, joining, staying in sync")
    hybrid = lat["hybrid"]["server"]["p95_ms"]
    met = hybrid < GOAL_HYBRID_P95_MS and j["seconds"] < GOAL_JOIN_S
    print(f"Goals: server hybrid p95 < {GOAL_HYBRID_P95_MS:.0f} ms -> {hybrid} ms; join < {GOAL_JOIN_S:.0f} s -> "
          f"{j['seconds']} s {bl.goal_text(met)}")
    results["goal"] = {"hybrid_p95_ms_max": GOAL_HYBRID_P95_MS, "join_s_max": GOAL_JOIN_S, "server_hybrid_p95_ms": hybrid,
                       "join_s": j["seconds"], "met": met}
    bl.write_results(NAME, results, args.quick)


if __name__ == "__main__":
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    # one national-articles index for every data dir of the run (built once, ~10 s)
    os.environ["ASSISTANT_NATIONAL_INDEX"] = str(bl.CACHE_DIR / "national-bm25")
    main()
