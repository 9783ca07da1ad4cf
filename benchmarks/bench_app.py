"""The web app: start to first page, and memory with 10 concurrent browser sessions.

(a) Start: the sample corpus is indexed into a data dir first (vectors from the shared cache),
then `python app.py --port P` is started with that ASSISTANT_DATA_DIR; measured from process
start until GET / answers 200 and until Gradio's config (GET /config, and GET /gradio_api/info)
answers. 3 runs, goal < 5 s. Baseline, alternating with the app's runs: benchmarks/minimal_gradio_app.py,
an almost empty gr.Blocks app started the same way, to show how much of the time is Gradio's.

(b) Memory: the app is started on a fresh indexed data dir; its VmRSS (/proc/PID/status) is read
when it has gone idle; then 10 concurrent sessions in Debian's Chromium (Playwright, headless;
every request off 127.0.0.1 is aborted) each create a report (#new-region, #new-year,
#create-report), load the sample inputs (#load-sample on 指标与素材) and send "起草全文" in
#chat-input (offline drafting), waiting for "已起草“全文”". VmRSS is sampled every 0.1 s during
the sessions; VmRSS and VmHWM are read after. Printed: idle RSS, peak RSS, per-session increase.

    python benchmarks/bench_app.py [--quick]   (--quick: 1 start each, 3 sessions)
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import benchlib as bl

NAME = "app"
GOAL_START_S = 5.0
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SLOW_MS = 300_000


def app_env(data_dir: Path) -> dict[str, str]:
    env = bl.clean_env()
    env.update({
        "ASSISTANT_DATA_DIR": str(data_dir), "ASSISTANT_VECTOR_CACHE": str(bl.SHARED_VECTOR_CACHE),
        # blank overrides a developer's .env (the settings treat blank as unset)
        "OPENAI_BASE_URL": "", "ASSISTANT_LLM_MODEL": "", "ASSISTANT_CHROMA_URL": "",
        "GRADIO_TEMP_DIR": str(data_dir.parent / f"{data_dir.name}-gradio-tmp"),
        "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1",
    })
    return env


def index_sample_corpus(data_dir: Path) -> dict:
    """What the app indexes on its first start (corpus/reports), done beforehand."""
    from assistant.knowledge import KnowledgeBase, ingest_paths

    kb = KnowledgeBase(bl.make_settings(data_dir, bl.SHARED_VECTOR_CACHE))
    report = ingest_paths(kb, [bl.ROOT / "corpus" / "reports"])
    info = {"chunks": sum(f.chunks for f in report.files), "pending": kb.pending(), "failed": [f.error for f in report.failed]}
    kb.close()
    return info


class Server:
    """A started process (the app or the baseline), stopped by its own pid."""

    def __init__(self, cmd: list[str], env: dict[str, str], log_path: Path) -> None:
        self.port = bl.free_port()
        self.cmd = [c.replace("{port}", str(self.port)) for c in cmd]
        self.env = env
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start_and_time(self, timeout: float = 120.0) -> dict:
        log = open(self.log_path, "a", encoding="utf-8")
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(self.cmd, cwd=bl.ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        found: dict[str, float] = {}
        paths = ("/", "/config", "/gradio_api/info")
        while time.perf_counter() - t0 < timeout and len(found) < len(paths):
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.cmd} exited with {self.proc.returncode}:\n{self.log_tail()}")
            for path in paths:
                if path not in found and (path == "/" or "/" in found):
                    if bl.http_status(self.url + path, timeout=5) == 200:
                        found[path] = time.perf_counter() - t0
            time.sleep(0.02)
        if "/" not in found:
            self.stop()
            raise RuntimeError(f"{self.cmd} did not answer in {timeout} s:\n{self.log_tail()}")
        config = min((found[p] for p in ("/config", "/gradio_api/info") if p in found), default=None)
        return {"page_s": round(found["/"], 3), "config_s": round(config, 3) if config else None,
                "config_path_s": round(found.get("/config", float("nan")), 3),
                "api_info_s": round(found.get("/gradio_api/info", float("nan")), 3),
                "rss_mib_at_first_page": bl.proc_status(self.proc.pid).get("VmRSS")}

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.proc = None

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return "(no log)"


def process_cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_process_idle(pid: int, max_wait: float = 90.0, below: float = 0.05) -> float:
    """Wait until the process uses < `below` cores over a 2 s window; returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < max_wait:
        a = process_cpu_s(pid)
        time.sleep(2.0)
        if (process_cpu_s(pid) - a) / 2.0 < below:
            break
    return time.monotonic() - started


# -- (a) start-up --------------------------------------------------------------------------------------------
def startup(tmp: Path, runs: int) -> dict:
    data = tmp / "start" / "data"
    indexed = index_sample_corpus(data)
    env = app_env(data)
    out: dict = {"indexed": indexed, "app": [], "baseline": []}
    for _ in range(runs):
        for label, cmd in (("app", [sys.executable, "app.py", "--host", "127.0.0.1", "--port", "{port}"]),
                           ("baseline", [sys.executable, str(bl.BENCH_DIR / "minimal_gradio_app.py"), "{port}"])):
            server = Server(cmd, env, tmp / f"{label}.log")
            try:
                out[label].append(server.start_and_time())
            finally:
                server.stop()
    return out


# -- (b) memory with concurrent sessions ---------------------------------------------------------------------
def _is_local(url: str) -> bool:
    return url.startswith(("data:", "blob:", "about:")) or urlparse(url).hostname in ("127.0.0.1", "localhost")


async def one_session(browser, url: str, n: int) -> dict:
    from playwright.async_api import expect

    region = f"测试市{n:02d}"
    ctx = await browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    await ctx.route(lambda u: not _is_local(u), lambda route: route.abort())  # nothing leaves the machine
    ctx.set_default_timeout(SLOW_MS)
    page = await ctx.new_page()
    marks: dict[str, float] = {}
    t0 = time.perf_counter()
    try:
        await page.goto(url, wait_until="load")
        await page.wait_for_selector("#sections")
        await page.wait_for_function("() => !document.querySelector('[data-testid=status-tracker]:not(.hide)')")
        marks["page"] = time.perf_counter() - t0
        await page.locator("#new-region textarea, #new-region input").first.fill(region)
        await page.locator("#new-year input").fill("2023")
        await page.locator("#create-report").click()
        await expect(page.locator("#report input")).to_have_value(f"{region} 2023年", timeout=SLOW_MS)
        await expect(page.locator("#sections")).to_contain_text("落款", timeout=SLOW_MS)
        marks["report"] = time.perf_counter() - t0
        await page.get_by_role("tab", name="指标与素材", exact=True).click()
        await page.locator("#load-sample").click()
        await expect(page.locator("#inputs-message")).to_contain_text("已载入", timeout=SLOW_MS)
        marks["inputs"] = time.perf_counter() - t0
        await page.get_by_role("tab", name="起草与修改", exact=True).click()
        box = page.locator("#chat-input textarea")
        await box.fill("起草全文")
        await box.press("Enter")
        await expect(page.locator("#chat [data-testid=bot]").last).to_contain_text("已起草“全文”", timeout=SLOW_MS)
        marks["drafted"] = time.perf_counter() - t0
        return {"session": n, "ok": True, **{k: round(v, 2) for k, v in marks.items()}, "_ctx": ctx}
    except Exception as exc:  # noqa: BLE001 - reported, the other sessions go on
        return {"session": n, "ok": False, "error": f"{type(exc).__name__}: {str(exc)[:300]}",
                **{k: round(v, 2) for k, v in marks.items()}, "_ctx": ctx}


async def drive_sessions(url: str, sessions: int, after_sessions) -> tuple[list[dict], float]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS)
        t = time.perf_counter()
        results = await asyncio.gather(*(one_session(browser, url, n + 1) for n in range(sessions)))
        elapsed = time.perf_counter() - t
        contexts = [r.pop("_ctx") for r in results]
        # the sessions stay open (their state lives in the server) until the memory was read
        after_sessions()
        for ctx in contexts:
            await ctx.close()
        await browser.close()
    return list(results), elapsed


def memory(tmp: Path, sessions: int) -> dict:
    data = tmp / "memory" / "data"
    indexed = index_sample_corpus(data)
    server = Server([sys.executable, "app.py", "--host", "127.0.0.1", "--port", "{port}"], app_env(data), tmp / "memory-app.log")
    out: dict = {"indexed": indexed, "sessions": sessions}
    try:
        out["start"] = server.start_and_time()
        pid = server.proc.pid
        out["waited_for_idle_s"] = round(wait_process_idle(pid), 1)
        idle = bl.proc_status(pid)
        out["idle"] = idle
        peak = {"rss": idle.get("VmRSS", 0.0)}
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                rss = bl.proc_status(pid).get("VmRSS")
                if rss:
                    peak["rss"] = max(peak["rss"], rss)
                stop.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()

        def after_sessions() -> None:
            out["after_sessions"] = bl.proc_status(pid)

        results, elapsed = asyncio.run(drive_sessions(server.url, sessions, after_sessions))
        stop.set()
        sampler.join()
        out["sessions_wall_s"] = round(elapsed, 1)
        out["results"] = results
        out["peak_rss_sampled_mib"] = peak["rss"]
        time.sleep(5)
        out["5s_after_browser_closed"] = bl.proc_status(pid)
    finally:
        server.stop()
    ok = sum(1 for r in out.get("results", []) if r["ok"])
    idle_rss = out["idle"]["VmRSS"]
    after = out.get("after_sessions", {})
    out.update({
        "sessions_ok": ok, "idle_rss_mib": idle_rss,
        "peak_rss_mib": max(out.get("peak_rss_sampled_mib", 0.0), after.get("VmHWM", 0.0)),
        "rss_after_sessions_mib": after.get("VmRSS"),
        "per_session_increase_mib": round((after.get("VmRSS", idle_rss) - idle_rss) / sessions, 1),
        "per_session_peak_increase_mib": round((max(out.get("peak_rss_sampled_mib", 0.0), after.get("VmHWM", 0.0))
                                                - idle_rss) / sessions, 1),
    })
    return out


def main() -> None:
    args = bl.parser(__doc__.split("\n")[0]).parse_args()
    runs, sessions = (1, 3) if args.quick else (3, 10)
    if shutil.which("chromium") is None:
        print("note: Debian's chromium is missing (/usr/bin/chromium): part (b) is skipped")
    quiet = bl.wait_quiet(args.max_wait) if args.max_wait > 0 else {}
    with bl.temp_dir("app-") as tmp:
        with bl.LoadMonitor() as load_a:
            start = startup(tmp, runs)
        mem = None
        if shutil.which("chromium"):
            with bl.LoadMonitor() as load_b:
                mem = memory(tmp, sessions)

    def med(label: str, key: str) -> float:
        values = [r[key] for r in start[label] if r.get(key) is not None]
        return sorted(values)[len(values) // 2] if values else float("nan")

    app_page, app_config = med("app", "page_s"), med("app", "config_s")
    base_page, base_config = med("baseline", "page_s"), med("baseline", "config_s")
    met = max(r["page_s"] for r in start["app"]) < GOAL_START_S and all(
        (r["config_s"] or 99) < GOAL_START_S for r in start["app"])
    bl.table(["process", "runs: GET / 200 (s)", "runs: config (s)", "median /", "median config", "RSS at first page MiB"],
             [[label, " ".join(f"{r['page_s']:.2f}" for r in start[label]),
               " ".join(f"{r['config_s']:.2f}" for r in start[label] if r["config_s"]),
               med(label, "page_s"), med(label, "config_s"), med(label, "rss_mib_at_first_page")]
              for label in ("app", "baseline")],
             title="(a) Start to first page (config: the first of GET /config and GET /gradio_api/info to answer)")
    print(f"ours over the bare Gradio app: {app_page - base_page:.2f} s to the first page, "
          f"{app_config - base_config:.2f} s to the config")
    print(f"Goal: app start < {GOAL_START_S:.0f} s (every run, page and config) -> {bl.goal_text(met)}")
    if mem:
        bl.table(["measure", "value"], [
            ["sessions completed", f"{mem['sessions_ok']}/{sessions} in {mem['sessions_wall_s']} s"],
            ["idle RSS (MiB)", mem["idle_rss_mib"]],
            ["peak RSS during sessions (MiB, sampled / VmHWM)",
             f"{mem.get('peak_rss_sampled_mib')} / {mem.get('after_sessions', {}).get('VmHWM')}"],
            ["RSS after the sessions, pages still open (MiB)", mem["rss_after_sessions_mib"]],
            ["RSS 5 s after the browser closed (MiB)", mem.get("5s_after_browser_closed", {}).get("VmRSS")],
            ["per-session increase (after - idle) / n (MiB)", mem["per_session_increase_mib"]],
            ["per-session increase at peak (MiB)", mem["per_session_peak_increase_mib"]],
        ], title=f"(b) Memory of the app process with {sessions} concurrent sessions (offline drafting)")
        steps = ("page", "report", "inputs", "drafted")
        bl.table(["session", "ok"] + [f"{s} at (s)" for s in steps] + ["error"],
                 [[r["session"], r["ok"], *[r.get(s, "") for s in steps], r.get("error", "")[:80]] for r in mem["results"]])
    bl.write_results(NAME, {
        "startup": start, "startup_median": {"app_page_s": app_page, "app_config_s": app_config,
                                             "baseline_page_s": base_page, "baseline_config_s": base_config},
        "goal": {"max_start_s": GOAL_START_S, "met": met}, "memory": mem,
        "machine_load": {"before": quiet, "startup": load_a.result(), "memory": load_b.result() if mem else None},
    }, args.quick)


if __name__ == "__main__":
    main()
