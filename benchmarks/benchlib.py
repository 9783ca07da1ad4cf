"""Shared helpers for the benchmark scripts (not a test module, not part of the library).

Every script: `python benchmarks/bench_x.py [--quick]`; prints a small table and writes its
figures to benchmarks/results/<name>.json. Baselines are measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import sys
import tempfile
import time
import unicodedata
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
for _p in (str(ROOT), str(ROOT / "tests")):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import assistant.privacy  # noqa: E402,F401  (telemetry off before chromadb/gradio are imported)

CACHE_DIR = BENCH_DIR / ".cache"
RESULTS_DIR = BENCH_DIR / "results"
SHARED_VECTOR_CACHE = CACHE_DIR / "vectors.sqlite3"  # reused across runs and scripts (content-hash keyed)
SHARED_DIR = Path(os.environ.get("ASSISTANT_SHARED_DIR", ROOT.parent / "shared"))
REGULATIONS_DIR = SHARED_DIR / "corpus" / "regulations"
SAMPLE_REPORT = ROOT / "corpus" / "reports" / "hunchun-2023-rule-of-law-report.txt"
INPUTS_2023 = ROOT / "corpus" / "inputs" / "hunchun-2023.yaml"
INPUTS_2024 = ROOT / "corpus" / "inputs" / "hunchun-2024-sample.yaml"
REGISTRY_YAML = ROOT / "corpus" / "regulations" / "registry.yaml"
QUERIES_YAML = BENCH_DIR / "retrieval_queries.yaml"

# settings from the caller's environment must not leak into a benchmark (an LLM endpoint, a Chroma server…)
_LEAKY_ENV = ("ASSISTANT_DATA_DIR", "ASSISTANT_CHROMA_URL", "ASSISTANT_VECTOR_CACHE", "ASSISTANT_EMBEDDINGS",
              "ASSISTANT_EMBEDDINGS_BASE_URL", "ASSISTANT_COLLECTION", "ASSISTANT_SEED_PATHS", "ASSISTANT_EMBED_BATCH",
              "OPENAI_BASE_URL", "OPENAI_API_KEY", "ASSISTANT_LLM_MODEL", "ASSISTANT_REPAIR_ROUNDS")


def clean_env() -> dict[str, str]:
    """os.environ without the settings a benchmark fixes itself (also applied to this process)."""
    for key in _LEAKY_ENV:
        os.environ.pop(key, None)
    return dict(os.environ)


clean_env()


# -- arguments, output ----------------------------------------------------------------------------------
def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help="a smaller, faster run (for a smoke test)")
    p.add_argument("--max-wait", type=float, default=300.0,
                   help="seconds to wait for other processes to go quiet before measuring (0: do not wait)")
    return p


def machine_info() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        first = Path("/proc/meminfo").read_text().splitlines()[0]
        mem = f"{int(first.split()[1]) // 1024} MiB"
    except (OSError, IndexError, ValueError):
        pass
    return {"cores": os.cpu_count(), "cpu": cpu, "memory": mem, "python": platform.python_version(),
            "platform": platform.platform()}


def code_version() -> dict:
    """The commit measured, and whether the library had uncommitted changes (read-only git)."""
    import subprocess

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {"commit": git("rev-parse", "--short", "HEAD"),
            "uncommitted_library_changes": bool(git("status", "--porcelain", "--", "assistant", "app.py"))}


def write_results(name: str, payload: dict, quick: bool = False) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    data = {"benchmark": name, "date": time.strftime("%Y-%m-%d %H:%M:%S"), "quick": quick,
            "machine": machine_info(), "code": code_version(), **payload}
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nfigures written to {path.relative_to(ROOT)}")
    return path


def skip(name: str, reason: str, quick: bool = False) -> None:
    """Print why the benchmark cannot run here, record it, and exit 0."""
    print(f"SKIPPED {name}: {reason}")
    write_results(name, {"skipped": reason}, quick)
    sys.exit(0)


def require_regulations(name: str, quick: bool = False) -> list[Path]:
    files = sorted(REGULATIONS_DIR.glob("*.md")) if REGULATIONS_DIR.is_dir() else []
    if not files:
        skip(name, f"needs the shared regulation texts at {REGULATIONS_DIR} (../shared/corpus/regulations "
                   "relative to the repository; set ASSISTANT_SHARED_DIR to point elsewhere)", quick)
    return files


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(headers: list[str], rows: list[list], title: str | None = None) -> None:
    cells = [[_fmt(c) for c in row] for row in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values):
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip()

    if title:
        print(f"\n{title}")
    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for r in cells:
        print(line(r))


def _fmt(value) -> str:
    if isinstance(value, float):
        if value == 0:
            return "0"
        if abs(value) >= 100:
            return f"{value:.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        if abs(value) >= 1:
            return f"{value:.2f}"
        return f"{value:.3f}"
    return "" if value is None else str(value)


def goal_text(met: bool | None) -> str:
    return "n/a" if met is None else ("MET" if met else "MISSED")


# -- statistics ---------------------------------------------------------------------------------------------
def percentile(values: list[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def summary_ms(seconds: list[float]) -> dict:
    """n, p50, p95, min, max, mean in milliseconds."""
    ms = [s * 1000 for s in seconds]
    return {"n": len(ms), "p50_ms": round(percentile(ms, 50), 2), "p95_ms": round(percentile(ms, 95), 2),
            "min_ms": round(min(ms), 2), "max_ms": round(max(ms), 2), "mean_ms": round(statistics.fmean(ms), 2)}


def median_time(fn, runs: int, warmup: int = 1) -> tuple[float, list[float], object]:
    """(median seconds, every run's seconds, last result) of `fn()` after `warmup` calls."""
    result = None
    for _ in range(warmup):
        result = fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times, result


# -- memory -------------------------------------------------------------------------------------------------
def proc_status(pid: int | str = "self") -> dict[str, float]:
    """VmRSS, VmHWM (peak RSS), VmSize of a process, in MiB."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM", "VmSize", "VmPeak"):
                out[key] = round(int(rest.split()[0]) / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    return out


# -- other load on the machine -----------------------------------------------------------------------------
# The machine has 2 cores and may be shared (other sessions running tests): every benchmark
# records how busy the machine was besides itself, and by default waits for a quiet moment first.
def _cpu_sample() -> tuple[float, int, int, float]:
    """(monotonic time, total jiffies, idle jiffies, this process' CPU seconds incl. reaped children)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    idle = fields[3] + fields[4]
    t = os.times()
    return time.monotonic(), sum(fields), idle, t.user + t.system + t.children_user + t.children_system


def busy_cores(seconds: float = 2.0, exclude_self: bool = True) -> float:
    """How many cores the rest of the machine keeps busy, sampled over `seconds`."""
    a = _cpu_sample()
    time.sleep(seconds)
    b = _cpu_sample()
    return _other_cores(a, b) if exclude_self else _busy(a, b)


def _busy(a, b) -> float:
    total, idle = b[1] - a[1], b[2] - a[2]
    return (total - idle) / total * (os.cpu_count() or 1) if total > 0 else 0.0


def _other_cores(a, b) -> float:
    wall = max(b[0] - a[0], 1e-6)
    return max(0.0, _busy(a, b) - (b[3] - a[3]) / wall)


def wait_quiet(max_wait: float = 300.0, threshold: float = 0.25) -> dict:
    """Wait (up to `max_wait` s) until other processes use less than `threshold` cores."""
    started = time.monotonic()
    other = busy_cores(2.0)
    announced = False
    while other >= threshold and time.monotonic() - started < max_wait:
        if not announced:
            print(f"(the machine is busy: other processes use {other:.2f} cores; waiting up to {max_wait:.0f} s "
                  "for a quieter moment)", flush=True)
            announced = True
        other = busy_cores(5.0)
    waited = time.monotonic() - started
    if other >= threshold:
        print(f"(still busy after {waited:.0f} s: {other:.2f} other cores; measuring anyway, figures may be slower)")
    return {"waited_s": round(waited, 1), "other_cores_before": round(other, 2)}


class LoadMonitor:
    """Records the machine's load around a measured block: average cores used by other processes
    (everything but this process and its reaped children), and the load averages."""

    def __init__(self) -> None:
        self.a = self.b = None

    def __enter__(self) -> "LoadMonitor":
        self.loadavg_start = os.getloadavg()
        self.a = _cpu_sample()
        return self

    def __exit__(self, *exc) -> None:
        self.b = _cpu_sample()
        self.loadavg_end = os.getloadavg()

    def result(self) -> dict:
        return {"other_processes_avg_cores": round(_other_cores(self.a, self.b), 2),
                "machine_busy_avg_cores": round(_busy(self.a, self.b), 2),
                "loadavg_1min_start": round(self.loadavg_start[0], 2), "loadavg_1min_end": round(self.loadavg_end[0], 2)}


# -- the library, set up for a benchmark -------------------------------------------------------------------
def make_settings(data_dir: Path, vector_cache: Path | None = None, **overrides):
    from assistant.settings import Settings

    values = {"assistant_data_dir": Path(data_dir), "assistant_vector_cache": vector_cache,
              "assistant_chroma_url": None, "openai_base_url": None, "openai_api_key": None,
              "assistant_llm_model": None, "assistant_embeddings": "local"}
    values.update(overrides)
    return Settings(_env_file=None, **values)


@contextmanager
def temp_dir(prefix: str):
    """A scratch directory under benchmarks/.cache/tmp (removed afterwards)."""
    base = CACHE_DIR / "tmp"
    base.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=base))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def build_corpus_kb(data_dir: Path, regulations: list[Path] | None, report: bool = True,
                    vector_cache: Path = SHARED_VECTOR_CACHE, embedder=None):
    """A knowledge base with the regulations and the sample report, vectors from the shared cache
    (texts missing from it are embedded once and stay cached). Returns (kb, info dict)."""
    from assistant.knowledge import KnowledgeBase, ingest_paths

    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    kb = KnowledgeBase(make_settings(data_dir, vector_cache), embedder=embedder)
    started = time.perf_counter()
    reports = []
    if regulations:
        reports.append(ingest_paths(kb, list(regulations), kind="regulation"))
    if report:
        reports.append(ingest_paths(kb, [SAMPLE_REPORT], kind="report"))
    failed = [f"{f.path}: {f.error}" for r in reports for f in r.failed]
    embed_errors = [r.embed_error for r in reports if r.embed_error]
    info = {"seconds": round(time.perf_counter() - started, 2), "chunks": len(kb.catalog.all_chunks()),
            "newly_embedded": kb.embeddings.embedded_count, "failed_files": failed, "embed_errors": embed_errors}
    if failed or embed_errors:
        print("WARNING: ingest problems:", failed, embed_errors)
    return kb, info


def load_queries() -> list[dict]:
    import yaml

    return yaml.safe_load(QUERIES_YAML.read_text(encoding="utf-8"))["queries"]


# -- processes and HTTP --------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_status(url: str, timeout: float = 2.0) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            resp.read()
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except Exception:  # noqa: BLE001 - not up yet
        return None
