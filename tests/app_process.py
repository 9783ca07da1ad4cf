"""The web app as a real subprocess (`python app.py --host 127.0.0.1 --port P`) for browser tests.

Each app gets its own data dir; the vector cache is shared across the session so the sample
corpus is embedded once. Nothing the app writes leaves the given folders (Gradio's upload and
download cache goes under the data dir's parent too).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, free_port, wait_for_http  # tests/ is on sys.path (rootdir conftest)

# settings that would change what the app does if they leaked in from the developer's shell
_CLEARED = ("ASSISTANT_CHROMA_URL", "ASSISTANT_EMBEDDINGS", "ASSISTANT_EMBEDDINGS_BASE_URL", "OPENAI_BASE_URL",
            "OPENAI_API_KEY", "ASSISTANT_LLM_MODEL", "ASSISTANT_USER", "ASSISTANT_PASSWORD", "ASSISTANT_SEED_PATHS",
            "GRADIO_SERVER_NAME", "GRADIO_SERVER_PORT", "GRADIO_SHARE")


class AppProcess:
    """Start, stop and restart the app on a data dir; `url` is valid while it runs."""

    def __init__(self, data_dir: Path, vector_cache: Path, env: dict[str, str] | None = None,
                 startup_timeout: float = 90.0, host: str = "127.0.0.1") -> None:
        self.host = host  # another loopback address (127.0.0.2) is "exposed" to the app: login required
        self.data_dir = Path(data_dir)
        self.vector_cache = Path(vector_cache)
        self.extra_env = dict(env or {})
        self.startup_timeout = startup_timeout
        self.proc: subprocess.Popen | None = None
        self.port: int | None = None
        self.log_path = self.data_dir.parent / f"{self.data_dir.name}-app.log"
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
        env.update({
            "ASSISTANT_DATA_DIR": str(self.data_dir),
            "ASSISTANT_VECTOR_CACHE": str(self.vector_cache),
            # blank overrides a developer's .env (the settings treat blank as unset)
            "OPENAI_BASE_URL": "", "ASSISTANT_LLM_MODEL": "", "ASSISTANT_CHROMA_URL": "",
            "GRADIO_TEMP_DIR": str(self.data_dir.parent / f"{self.data_dir.name}-gradio-tmp"),
            "GRADIO_ANALYTICS_ENABLED": "False",
            "PYTHONUNBUFFERED": "1",
        })
        env.update(self.extra_env)
        return env

    def start(self, port: int | None = None) -> "AppProcess":
        assert self.proc is None, "already running"
        self.port = port or free_port()
        self.starts += 1
        log = open(self.log_path, "a", encoding="utf-8")
        log.write(f"\n===== start {self.starts} on port {self.port} =====\n")
        log.flush()
        self.proc = subprocess.Popen([sys.executable, "app.py", "--host", self.host, "--port", str(self.port)],
                                     cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT)
        log.close()
        try:
            wait_for_http(self.url, timeout=self.startup_timeout)
        except RuntimeError as exc:
            self.stop()
            raise RuntimeError(f"{exc}\n--- app log ---\n{self.log_tail()}") from None
        if self.proc.poll() is not None:  # someone else answered on that port
            raise RuntimeError(f"the app exited at start\n--- app log ---\n{self.log_tail()}")
        return self

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

    def restart(self, same_port: bool = False) -> "AppProcess":
        """Stop and start again; `same_port` keeps the address, so that an open tab stays on it."""
        port = self.port if same_port else None
        self.stop()
        return self.start(port)

    def kill(self) -> None:
        """kill -9: no clean-up, no goodbye."""
        if self.proc is None:
            return
        self.proc.kill()
        self.proc.wait(10)
        self.proc = None

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return "(no log)"

    def __enter__(self) -> "AppProcess":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
