"""Retrieval quality on benchmarks/retrieval_queries.yaml: BM25 only, dense only, hybrid (fused).

The knowledge base holds the shared regulation texts and the sample report (vectors from the
shared cache benchmarks/.cache/vectors.sqlite3; whatever is missing there is embedded once).
For each mode: recall@5 (any target in the top 5) and MRR@10. A hit matches a regulation target
by normalised title (assistant.registry.normalise_title) and article label, a report target by
heading path. The baselines are BM25 only and dense only, in the same run; the goal is that
hybrid beats both on both measures. Reference rows rank by exact (brute-force) cosine over the
stored vectors, alone and fused with BM25 the way kb.search fuses (re-implemented here: the union
of 50 candidates each, min-max normalised BM25 score and cosine, equal weights),
to show what Chroma's approximate vector index loses, if anything.

    python benchmarks/bench_retrieval.py [--quick]   (--quick: 12 queries, only their regulations)
"""

from __future__ import annotations

import benchlib as bl
import numpy as np

NAME = "retrieval"
MODES = ("bm25", "dense", "hybrid")
K_METRIC = 10
K_DIAG = 50


def matches(hit, target: dict) -> bool:
    from assistant.registry import normalise_title

    if target["kind"] == "regulation":
        return (hit.kind == "regulation" and normalise_title(hit.title) == normalise_title(target["title"])
                and (hit.article or "") == target["article"])
    return hit.kind == "report" and (hit.heading or "") == target["heading"]


def first_rank(hits, targets) -> int | None:
    for rank, hit in enumerate(hits, 1):
        if any(matches(hit, t) for t in targets):
            return rank
    return None


def metrics(ranks: list[int | None]) -> dict:
    n = len(ranks)
    return {"recall@5": round(sum(1 for r in ranks if r and r <= 5) / n, 4),
            "mrr@10": round(sum(1 / r for r in ranks if r and r <= 10) / n, 4),
            "hits@5": sum(1 for r in ranks if r and r <= 5), "queries": n}


def show_rank(r: int | None, limit: int = K_DIAG) -> str:
    return str(r) if r else f">{limit}"


def main() -> None:
    args = bl.parser(__doc__.split("\n")[0]).parse_args()
    files = bl.require_regulations(NAME, args.quick)
    from assistant.registry import normalise_title

    queries = bl.load_queries()
    if args.quick:
        queries = queries[:12]
        wanted = {normalise_title(t["title"]) for q in queries for t in q["targets"] if t["kind"] == "regulation"}
        files = [f for f in files if normalise_title(f.stem) in wanted]
    quiet = bl.wait_quiet(args.max_wait) if args.max_wait > 0 else {}

    with bl.temp_dir("retrieval-") as tmp:
        kb, build = bl.build_corpus_kb(tmp / "data", files)
        print(f"knowledge base: {build['chunks']} chunks in {build['seconds']} s "
              f"({build['newly_embedded']} texts embedded, the rest from the shared cache)")

        # which targets exist in the index at all (a label error would make a query unanswerable)
        rows = kb.catalog.all_chunks()
        present_articles = {(normalise_title(r["meta"].get("title", "")), r["meta"].get("article"))
                            for r in rows if r["meta"].get("kind") == "regulation"}
        present_headings = {r["meta"].get("heading") for r in rows if r["meta"].get("kind") == "report"}
        unreachable = []
        for q in queries:
            for t in q["targets"]:
                ok = ((normalise_title(t["title"]), t["article"]) in present_articles if t["kind"] == "regulation"
                      else t["heading"] in present_headings)
                if not ok:
                    unreachable.append((q["query"], t))

        # exact cosine reference over every stored vector
        got = kb.store._collection.get(include=["embeddings"])
        ids = got["ids"]
        matrix = np.asarray(got["embeddings"], dtype=np.float32)
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
        id_pos = {cid: i for i, cid in enumerate(ids)}
        bm25 = kb._bm25_index()
        bm25_pos = {cid: i for i, cid in enumerate(bm25.ids)}

        with bl.LoadMonitor() as load:
            ranks = {m: [] for m in MODES}
            ranks_diag = {m: [] for m in MODES}
            exact_ranks, hybrid_exact_ranks, ann_overlap = [], [], []
            for q in queries:
                top = {}
                for mode in MODES:
                    hits = kb.search(q["query"], k=K_METRIC, mode=mode)
                    ranks[mode].append(first_rank(hits, q["targets"]))
                    top[mode] = [h.id for h in hits]
                    diag = kb.search(q["query"], k=K_DIAG, mode=mode)
                    ranks_diag[mode].append(first_rank(diag, q["targets"]))
                    top[mode + "50"] = [h.id for h in diag]
                vector = kb.embeddings.embed_query_array(q["query"])
                order = np.argsort(-(matrix @ vector))[:K_DIAG]
                exact_ids = [ids[i] for i in order]
                rows_by_id = kb.catalog.chunks(exact_ids + top["bm2550"])
                rows_by_id.update(kb.national.rows(top["bm2550"]))  # national articles (no vectors)
                exact_ranks.append(first_rank([_as_hit(rows_by_id[c]) for c in exact_ids if c in rows_by_id], q["targets"]))
                ann_overlap.append(len(set(top["dense"]) & set(exact_ids[:K_METRIC])) / K_METRIC)
                # kb.search's hybrid fusion (as of this writing: union of the 50 best of each
                # retriever, min-max normalised BM25 score and cosine, equal weights), fed the exact list
                cos = {ids[i]: float(c) for i, c in zip(order, (matrix @ vector)[order])}
                # kb.search's BM25 side: the catalog's and the national articles' (joint IDF); a
                # national article has no vector and counts as the lowest cosine
                national = dict(kb._national_candidates(q["query"], K_DIAG, {}, bm25))
                candidates = list(dict.fromkeys(top["bm2550"] + exact_ids))
                for cid in candidates:
                    if cid not in cos and cid in id_pos:
                        cos[cid] = float(matrix[id_pos[cid]] @ vector)
                scores = bm25.scores(q["query"], kb.national.ensure())
                lexical = _min_max({c: float(scores[bm25_pos[c]]) if c in bm25_pos else national.get(c, 0.0)
                                    for c in candidates})
                lowest = min(cos.values())
                semantic = _min_max({c: cos.get(c, lowest) for c in candidates})
                fused = sorted(candidates, key=lambda c: (-(0.5 * lexical[c] + 0.5 * semantic[c]), c))[:K_METRIC]
                hybrid_exact_ranks.append(first_rank([_as_hit(rows_by_id[c]) for c in fused if c in rows_by_id],
                                                     q["targets"]))

        results = {m: metrics(ranks[m]) for m in MODES}
        exact_metrics = metrics(exact_ranks)
        hybrid_exact_metrics = metrics(hybrid_exact_ranks)
        ann_recall = round(sum(ann_overlap) / len(ann_overlap), 3)
        rows_out = [[m, results[m]["recall@5"], results[m]["mrr@10"], f"{results[m]['hits@5']}/{len(queries)}"]
                    for m in MODES]
        rows_out.append(["dense, exact cosine (reference)", exact_metrics["recall@5"], exact_metrics["mrr@10"],
                         f"{exact_metrics['hits@5']}/{len(queries)}"])
        rows_out.append(["hybrid fusion with exact dense (reference)", hybrid_exact_metrics["recall@5"],
                         hybrid_exact_metrics["mrr@10"], f"{hybrid_exact_metrics['hits@5']}/{len(queries)}"])
        bl.table(["mode", "recall@5", "MRR@10", "top-5 hits"], rows_out,
                 title=f"Retrieval quality, {len(queries)} labelled queries, {build['chunks']} chunks")

        print(f"vector index recall@10 (Chroma HNSW top 10 vs exact top 10, mean overlap): {ann_recall}")
        h, b, d = results["hybrid"], results["bm25"], results["dense"]
        beats = {measure: h[measure] > b[measure] and h[measure] > d[measure] for measure in ("recall@5", "mrr@10")}
        goal_met = all(beats.values())
        print(f"\nGoal: hybrid beats BM25-only and dense-only on recall@5 and MRR@10 -> {bl.goal_text(goal_met)}")
        for measure in ("recall@5", "mrr@10"):
            print(f"  {measure}: hybrid {h[measure]} vs bm25 {b[measure]}, dense {d[measure]}"
                  f" -> {'beats both' if beats[measure] else 'does NOT beat both'}")

        misses = []
        for i, q in enumerate(queries):
            if not (ranks["hybrid"][i] and ranks["hybrid"][i] <= 5):
                misses.append({"n": i + 1, "query": q["query"], "targets": q["targets"],
                               **{f"rank_{m}": ranks_diag[m][i] for m in MODES}, "rank_exact": exact_ranks[i]})
        print(f"\nQueries hybrid misses (no target in its top 5): {len(misses)}")
        bl.table(["#", "query", "bm25", "dense", "hybrid", "exact"],
                 [[m["n"], m["query"][:34],
                   show_rank(m["rank_bm25"]), show_rank(m["rank_dense"]), show_rank(m["rank_hybrid"]),
                   show_rank(m["rank_exact"])] for m in misses])

        # where hybrid loses to a single mode (reciprocal rank within the top 10)
        def rr(r):
            return 1 / r if r and r <= K_METRIC else 0.0

        losses = []
        for i, q in enumerate(queries):
            best_single = max(("bm25", "dense"), key=lambda m: rr(ranks[m][i]))
            loss = rr(ranks[best_single][i]) - rr(ranks["hybrid"][i])
            if loss > 0:
                losses.append({"n": i + 1, "query": q["query"], "better_mode": best_single, "loss_rr": round(loss, 3),
                               **{f"rank_{m}": ranks[m][i] for m in MODES}})
        losses.sort(key=lambda x: -x["loss_rr"])
        if losses:
            bl.table(["#", "query", "better", "bm25", "dense", "hybrid", "RR lost"],
                     [[x["n"], x["query"][:34], x["better_mode"], show_rank(x["rank_bm25"], K_METRIC),
                       show_rank(x["rank_dense"], K_METRIC), show_rank(x["rank_hybrid"], K_METRIC), x["loss_rr"]]
                      for x in losses],
                     title="Queries where hybrid ranks the target lower than the better single mode (top 10)")
        if unreachable:
            print(f"\nWARNING: {len(unreachable)} targets are not in the index (label or parsing problem):")
            for query, t in unreachable:
                print(f"  {query[:40]} -> {t}")

        bl.write_results(NAME, {
            "queries": len(queries), "chunks": build["chunks"], "build": build,
            "modes": results,  # latency: see bench_search.py
            "dense_exact_reference": exact_metrics, "hybrid_exact_dense_reference": hybrid_exact_metrics,
            "chroma_ann_recall_at_10": ann_recall,
            "goal": {"hybrid_beats_both": beats, "met": goal_met},
            "hybrid_misses": misses, "hybrid_losses": losses,
            "unreachable_targets": [{"query": q, "target": t} for q, t in unreachable],
            "per_query_ranks": [{"query": q["query"], **{m: ranks[m][i] for m in MODES}, "exact": exact_ranks[i],
                                 "hybrid_exact": hybrid_exact_ranks[i]}
                                for i, q in enumerate(queries)],
            "machine_load": {"before": quiet, "during": load.result()},
        }, args.quick)
        kb.close()


def _min_max(scores: dict[str, float]) -> dict[str, float]:
    low, high = min(scores.values(), default=0.0), max(scores.values(), default=0.0)
    return {c: (v - low) / (high - low) if high > low else 1.0 for c, v in scores.items()}


class _as_hit:  # the fields `matches` reads, from a catalog row
    def __init__(self, row: dict) -> None:
        m = row["meta"]
        self.kind, self.title, self.article, self.heading = m.get("kind"), m.get("title", ""), m.get("article"), m.get("heading")


if __name__ == "__main__":
    main()
