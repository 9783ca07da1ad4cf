"""`python -m assistant check` from the command line, as a reviewer runs it: wall time of one report,
and of 30 reports in one call, against a bare interpreter start in the same run.

Reports: the eight realistic reports of tests/data/reports with their inputs (one report: hexi,
3,987 characters, 112 figures; 30 reports: the eight over and over, each with its inputs beside it).
Two data folders: a fresh one (no knowledge base) and one whose knowledge base holds the shared
regulation texts (ingested with --no-embed; the check reads them to verify articles and quotations),
which is how the team works. Median of 7 runs (3 with --quick) of each command, alternated so
that a change in the machine's load affects all of them alike. Also timed: importing the knowledge
base's module (which the text look-up opens: numpy, jieba/bm25s and langchain_core come with it,
though reading a text needs only the catalog and the article parser, timed too).

Goals: one report < 0.5 s wall; 30 reports in one call < 3 × one report.

    python benchmarks/bench_cli.py [--quick]
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import benchlib as bl

NAME = "cli"
GOAL_ONE_S = 0.5
GOAL_MANY_RATIO = 3.0
REPORTS = bl.ROOT / "tests" / "data" / "reports"
ONE = "hexi-county-2024"


def wall(cmd: list[str], env: dict) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=bl.ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr[-500:]}")
    return elapsed


def main() -> None:
    args = bl.parser(__doc__.split("\n")[0]).parse_args()
    runs = 3 if args.quick else 7
    quiet = bl.wait_quiet(args.max_wait) if args.max_wait > 0 else {}
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        tmp = Path(tmp)
        many = tmp / "30份报告"
        many.mkdir()
        names = sorted(p.stem for p in REPORTS.glob("*.txt"))
        for n in range(30):
            name = names[n % len(names)]
            shutil.copy(REPORTS / f"{name}.txt", many / f"{n + 1:02d}-{name}.txt")
            shutil.copy(REPORTS / f"{name}.yaml", many / f"{n + 1:02d}-{name}.yaml")
        homes = {"fresh": tmp / "fresh"}
        if bl.REGULATIONS_DIR.is_dir():
            homes["with_regulations"] = tmp / "kb"
            env = {**bl.clean_env(), "ASSISTANT_DATA_DIR": str(homes["with_regulations"]), "HF_HUB_OFFLINE": "1"}
            subprocess.run([py, "-m", "assistant", "ingest", str(bl.REGULATIONS_DIR), "--kind", "regulation", "--no-embed"],
                           cwd=bl.ROOT, env=env, capture_output=True, check=True)
        commands = {
            "bare": [py, "-c", "pass"],
            "one": [py, "-m", "assistant", "check", str(REPORTS / f"{ONE}.txt"), "--inputs", str(REPORTS / f"{ONE}.yaml")],
            "thirty": [py, "-m", "assistant", "check", str(many)],
            "import_kb": [py, "-c", "import assistant.knowledge.base"],
            "import_texts": [py, "-c", "import assistant.knowledge.catalog, assistant.knowledge.regulations"],
        }
        results: dict = {}
        with bl.LoadMonitor() as load:
            for home_name, home in homes.items():
                env = {**bl.clean_env(), "ASSISTANT_DATA_DIR": str(home), "HF_HUB_OFFLINE": "1"}
                for cmd in commands.values():  # warm the file cache
                    wall(cmd, env)
                times: dict[str, list[float]] = {k: [] for k in commands}
                for _ in range(runs):
                    for key, cmd in commands.items():
                        times[key].append(wall(cmd, env))
                med = {k: statistics.median(v) for k, v in times.items()}
                results[home_name] = {
                    **{f"{k}_median_s": round(v, 3) for k, v in med.items()},
                    **{f"{k}_runs_s": [round(x, 3) for x in v] for k, v in times.items()},
                    "one_minus_bare_s": round(med["one"] - med["bare"], 3),
                    "thirty_over_one": round(med["thirty"] / med["one"], 2),
                    "goal": {"one_max_s": GOAL_ONE_S, "one_met": med["one"] < GOAL_ONE_S,
                             "thirty_max_ratio": GOAL_MANY_RATIO, "thirty_met": med["thirty"] < GOAL_MANY_RATIO * med["one"]},
                }
    rows = []
    for home_name, r in results.items():
        rows += [[home_name, "bare interpreter (python -c pass)", r["bare_median_s"] * 1000, "", ""],
                 ["", f"check one report ({ONE}, with inputs)", r["one_median_s"] * 1000, f"< {GOAL_ONE_S * 1000:.0f} ms",
                  bl.goal_text(r["goal"]["one_met"])],
                 ["", "check 30 reports in one call", r["thirty_median_s"] * 1000,
                  f"< {GOAL_MANY_RATIO:.0f} × one = {GOAL_MANY_RATIO * r['one_median_s'] * 1000:.0f} ms",
                  bl.goal_text(r["goal"]["thirty_met"])],
                 ["", "import assistant.knowledge.base", r["import_kb_median_s"] * 1000, "", ""],
                 ["", "import knowledge.catalog + regulations", r["import_texts_median_s"] * 1000, "", ""]]
    bl.table(["data folder", "command", "median ms", "goal", ""], rows, title=f"check from the command line, median of {runs}")
    for home_name, r in results.items():
        print(f"{home_name}: one report − bare interpreter = {r['one_minus_bare_s'] * 1000:.0f} ms; "
              f"30 reports = {r['thirty_over_one']} × one")
    bl.write_results(NAME, {**results, "goal": {"met": all(r["goal"]["one_met"] and r["goal"]["thirty_met"]
                                                           for r in results.values())},
                            "machine_load": {"before": quiet, "during": load.result()}}, args.quick)


if __name__ == "__main__":
    main()
