"""Run every benchmark in sequence: `python benchmarks/run_all.py [--quick] [--max-wait S] [--only NAME ...]`.

bench_ingest runs first: it fills benchmarks/.cache/vectors.sqlite3, which the others reuse.
Each script prints its own table and writes benchmarks/results/<name>.json; a summary of the
goals follows at the end. Exit code 1 when a script failed (a missed goal is not a failure).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
SCRIPTS = ["ingest", "search", "retrieval", "checks", "cli", "drafting", "app"]


def goal_line(name: str) -> str:
    path = BENCH_DIR / "results" / f"{name}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "no results"
    if "skipped" in data:
        return f"skipped: {data['skipped']}"
    if name == "drafting":
        offline = all(v["goal"]["met"] for v in data["offline"].values())
        line = f"offline < 2 s: {_met(offline)}; LLM overhead < 300 ms: {_met(data['llm']['goal']['met_new_request_p50'])}"
        if "guard" in data:
            guard = all(v["goal"]["met"] for v in data["guard"].values())
            stubborn = all(r["within_1_plus_rounds"] for m in data["calls_per_part"].values() for r in m["parts"].values())
            unmarked = data["planted_facts"]["this_code"]["unmarked"]
            line += (f"; guard < 100 ms: {_met(guard)}; stubborn ≤ 1 + rounds: {_met(stubborn)}; "
                     f"planted facts unmarked: {unmarked} ({_met(unmarked == 0)})")
        return line
    if name == "cli":
        parts = [f"{home}: one < 0.5 s {_met(r['goal']['one_met'])}, 30 < 3× one {_met(r['goal']['thirty_met'])}"
                 for home, r in data.items() if isinstance(r, dict) and "goal" in r and "one_met" in r["goal"]]
        return "; ".join(parts)
    if name == "checks":
        return (f"figures < 0.5 s: {_met(data['figures']['goal']['met'])}; "
                f"citations < 0.2 s: {_met(data['citations']['goal']['met'])}")
    goal = data.get("goal", {})
    return f"goal {_met(goal.get('met'))}"


def _met(value) -> str:
    return "n/a" if value is None else ("MET" if value else "MISSED")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--max-wait", type=float, default=None, help="passed to every script")
    parser.add_argument("--only", nargs="*", choices=SCRIPTS, help="run only these")
    args = parser.parse_args()
    failed = []
    timings = {}
    for name in args.only or SCRIPTS:
        cmd = [sys.executable, str(BENCH_DIR / f"bench_{name}.py")]
        if args.quick:
            cmd.append("--quick")
        if args.max_wait is not None:
            cmd += ["--max-wait", str(args.max_wait)]
        print(f"\n===== bench_{name} {'(quick)' if args.quick else ''} =====", flush=True)
        started = time.perf_counter()
        code = subprocess.call(cmd)
        timings[name] = time.perf_counter() - started
        if code != 0:
            failed.append(name)
            print(f"bench_{name} FAILED (exit code {code})", flush=True)
    print("\n===== summary =====")
    for name in args.only or SCRIPTS:
        status = "FAILED" if name in failed else goal_line(name)
        print(f"{name:10s} {timings[name]:7.0f} s  {status}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
