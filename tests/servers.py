"""A real `chroma run` server and a real nginx token proxy, started by a test on 127.0.0.1 free
ports and stopped by it (they can be killed, restarted on the same data and paused, to play a
server that dies or hangs)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT, free_port

NGINX_SNIPPET = ROOT / "deploy" / "nginx-chroma-proxy.conf"


def _wait_port(port: int, proc: subprocess.Popen, log: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"exited with {proc.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"port {port} did not open: {log.read_text(errors='replace')[-2000:]}")


class ChromaProcess:
    """`chroma run --path DIR --host 127.0.0.1 --port P`; a restart keeps the data and the port."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.log = self.folder / "chroma.log"
        self.exe = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
        if not self.exe:
            raise RuntimeError("the chroma CLI is missing from the virtualenv")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "ChromaProcess":
        assert self.proc is None or self.proc.poll() is not None
        with open(self.log, "a") as log:
            self.proc = subprocess.Popen([self.exe, "run", "--path", str(self.folder / "db"), "--host", "127.0.0.1",
                                          "--port", str(self.port)], stdout=log, stderr=subprocess.STDOUT,
                                         env={**os.environ, "ANONYMIZED_TELEMETRY": "False"}, start_new_session=True)
        _wait_port(self.port, self.proc, self.log)
        return self

    def kill(self) -> None:
        """Gone at once, as a crash or a pulled cable."""
        if self.proc and self.proc.poll() is None:
            self.resume()
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.resume()
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def restart(self) -> None:
        self.kill()
        self.start()

    def pause(self) -> None:
        """Hung: the port accepts connections, nothing answers."""
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)


class NginxProxy:
    """The shipped deploy/nginx-chroma-proxy.conf, run in the foreground with its own prefix, pid,
    logs and temp paths, listening on 127.0.0.1 and passing to a ChromaProcess."""

    def __init__(self, folder: Path, upstream_port: int, tokens: list[str]) -> None:
        self.folder = Path(folder)
        self.port = free_port()
        self.upstream_port = upstream_port
        self.tokens = tokens
        self.proc: subprocess.Popen | None = None
        self.exe = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "NginxProxy":
        if not self.exe:
            raise RuntimeError("nginx is missing: run scripts/system-deps.sh (make test does)")
        tmp = self.folder / "tmp"
        for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (tmp / name).mkdir(parents=True, exist_ok=True)
            os.chmod(tmp / name, 0o777)  # workers run as nobody when the tests run as root
        os.chmod(self.folder, 0o755)
        (self.folder / "tokens.map").write_text("".join(f'"{t}" 1;\n' for t in self.tokens), encoding="utf-8")
        snippet = NGINX_SNIPPET.read_text(encoding="utf-8")
        for shipped, ours in (("10.0.0.5:8000", f"127.0.0.1:{self.port}"), ("127.0.0.1:8001", f"127.0.0.1:{self.upstream_port}"),
                              ("/etc/nginx/chroma-tokens.map", str(self.folder / "tokens.map"))):
            assert shipped in snippet, shipped
            snippet = snippet.replace(shipped, ours)
        (self.folder / "chroma-proxy.conf").write_text(snippet, encoding="utf-8")
        f = self.folder
        (f / "nginx.conf").write_text(
            f"daemon off;\nworker_processes 1;\npid {f}/nginx.pid;\nerror_log {f}/error.log warn;\n"
            "events { worker_connections 64; }\n"
            f"http {{\n  access_log {f}/access.log;\n  client_body_temp_path {tmp}/body;\n"
            f"  proxy_temp_path {tmp}/proxy;\n  fastcgi_temp_path {tmp}/fastcgi;\n  uwsgi_temp_path {tmp}/uwsgi;\n"
            f"  scgi_temp_path {tmp}/scgi;\n  include {f}/chroma-proxy.conf;\n}}\n", encoding="utf-8")
        log = f / "nginx.out"
        with open(log, "a") as out:
            self.proc = subprocess.Popen([self.exe, "-p", str(f), "-c", str(f / "nginx.conf"), "-e", str(f / "error.log")],
                                         stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        _wait_port(self.port, self.proc, log)
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
