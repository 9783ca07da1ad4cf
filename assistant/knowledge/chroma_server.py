"""The connection to a Chroma server (ASSISTANT_CHROMA_URL): the token header, a timeout, and
what a failure means.

chromadb's HTTP client waits for ever by default and raises httpx's own exceptions; here every
call goes through `ServerConnection.call`, which turns them into the knowledge base's errors:

- `ServerUnavailable`: nothing answers (refused, reset, timed out, cut mid-request). The server
  is then left alone for `ASSISTANT_CHROMA_RETRY_AFTER` seconds, so a search that falls back to
  keywords does not wait for the timeout every time.
- `ServerRefused`: the reverse proxy refused the token (Chroma 1.x has no authentication of its
  own; a proxy in front of it checks `Authorization: Bearer …` or `X-Chroma-Token`).

A request that failed may still have been applied (a batch in flight when the server died is
found complete after its restart): callers write idempotently.
"""

from __future__ import annotations

import threading
import time
from typing import Callable, TypeVar
from urllib.parse import urlparse

from ..errors import KnowledgeBaseError

T = TypeVar("T")


class ServerUnavailable(KnowledgeBaseError):
    """The Chroma server does not answer."""


class ServerRefused(KnowledgeBaseError):
    """The Chroma server (its proxy) refused this machine's token."""


def _is_transport(exc: BaseException) -> bool:
    import httpx

    seen = 0
    while exc is not None and seen < 6:
        if isinstance(exc, (httpx.TransportError, ConnectionError, TimeoutError)):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _is_auth(exc: BaseException) -> bool:
    from chromadb.errors import ChromaAuthError

    return isinstance(exc, ChromaAuthError) or "AuthError" in type(exc).__name__


class ServerConnection:
    """One chromadb HttpClient for a knowledge base, created on first use and kept (httpx
    reconnects by itself after a server restart)."""

    def __init__(self, settings) -> None:
        self.url = settings.assistant_chroma_url
        parsed = urlparse(self.url or "")
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise KnowledgeBaseError(f"Chroma 服务地址无效：{self.url}", f"Invalid Chroma URL: {self.url}",
                                     "格式如 http://127.0.0.1:8000", "Use the form http://127.0.0.1:8000")
        self.host = parsed.hostname
        self.ssl = parsed.scheme == "https"
        self.port = parsed.port or (443 if self.ssl else 8000)
        self.timeout = float(settings.assistant_chroma_timeout)
        self.retry_after = float(settings.assistant_chroma_retry_after)
        token = settings.assistant_chroma_token
        self.headers: dict[str, str] = {}
        if token:
            if settings.assistant_chroma_token_header == "X-Chroma-Token":
                self.headers["X-Chroma-Token"] = token
            else:
                self.headers["Authorization"] = f"Bearer {token}"
        self._client = None
        self._lock = threading.Lock()
        self.down_since: float | None = None
        self.last_error: KnowledgeBaseError | None = None
        self._retry_at = 0.0

    # -- state ---------------------------------------------------------------------------------
    @property
    def down(self) -> bool:
        return self.down_since is not None

    def _mark_down(self, error: KnowledgeBaseError) -> KnowledgeBaseError:
        if self.down_since is None:
            self.down_since = time.time()
        self.last_error = error
        self._retry_at = time.monotonic() + self.retry_after
        return error

    def _mark_up(self) -> None:
        self.down_since = None
        self.last_error = None

    def unavailable(self, what: str = "", exc: BaseException | None = None) -> ServerUnavailable:
        detail = f"（{type(exc).__name__}）" if exc is not None else ""
        return ServerUnavailable(
            f"连接不上 Chroma 服务器 {self.url}{detail}{'：' + what if what else ''}。",
            f"Cannot reach the Chroma server at {self.url}{' (' + type(exc).__name__ + ')' if exc else ''}"
            f"{': ' + what if what else ''}.",
            "确认服务器已启动、网络畅通（chroma run --host 127.0.0.1 --port …，前面的代理也要在运行）；"
            "恢复后运行 python -m assistant embed 把本机未上传的文件补传到服务器。关键词检索仍可用（用本机最近一次同步的内容）。",
            "Check that the server (and its proxy) is running and reachable; once it is back, run "
            "`python -m assistant embed` to upload what this machine holds back. Keyword search keeps "
            "working on this machine's last synced copy.")

    def refused(self) -> ServerRefused:
        has_token = bool(self.headers)
        return ServerRefused(
            f"Chroma 服务器 {self.url} 拒绝访问：{'访问令牌不对' if has_token else '没有设置访问令牌'}。",
            f"The Chroma server at {self.url} refused access: {'wrong token' if has_token else 'no token set'}.",
            "在 .env 或环境变量中设置服务器管理员给的 ASSISTANT_CHROMA_TOKEN（代理要求 X-Chroma-Token 时再设 "
            "ASSISTANT_CHROMA_TOKEN_HEADER=X-Chroma-Token）。",
            "Set ASSISTANT_CHROMA_TOKEN to the token the server's administrator gave you "
            "(and ASSISTANT_CHROMA_TOKEN_HEADER=X-Chroma-Token if the proxy wants that header).")

    # -- calls ---------------------------------------------------------------------------------
    def client(self):
        """The chromadb client; raises ServerUnavailable / ServerRefused."""
        if self._client is not None:
            return self._client
        if self.down and time.monotonic() < self._retry_at:
            raise self.last_error  # type: ignore[misc]
        with self._lock:
            if self._client is None:
                self._client = self._connect()
        return self._client

    def _connect(self):
        import chromadb
        import httpx
        from chromadb.config import Settings as ChromaSettings

        timeout = httpx.Timeout(self.timeout, connect=min(self.timeout, 5.0))
        scheme = "https" if self.ssl else "http"
        # the client's constructor already talks to the server, without a timeout: ask first
        try:
            answer = httpx.get(f"{scheme}://{self.host}:{self.port}/api/v2/heartbeat", headers=self.headers,
                               timeout=timeout)
        except httpx.HTTPError as exc:
            raise self._mark_down(self.unavailable(exc=exc)) from exc
        if answer.status_code in (401, 403):
            raise self._mark_down(self.refused())
        try:
            client = chromadb.HttpClient(host=self.host, port=self.port, ssl=self.ssl, headers=dict(self.headers),
                                         settings=ChromaSettings(anonymized_telemetry=False))
        except Exception as exc:  # noqa: BLE001 - classified below
            raise self._classify(exc, "") from exc
        session = getattr(getattr(client, "_server", None), "_session", None)
        if session is not None:  # private, but the only way to bound a request's time
            session.timeout = timeout
        self._mark_up()
        return client

    def check(self) -> None:
        """Raise the last failure while the back-off lasts (nothing is sent)."""
        if self.down and time.monotonic() < self._retry_at and self.last_error is not None:
            raise self.last_error

    def call(self, fn: Callable[[], T], what: str = "") -> T:
        """Run one request (or a few) against the server, with its failures classified."""
        self.check()
        self.client()
        try:
            result = fn()
        except KnowledgeBaseError:
            raise
        except Exception as exc:  # noqa: BLE001 - classified below
            raise self._classify(exc, what) from exc
        self._mark_up()
        return result

    def _classify(self, exc: Exception, what: str) -> KnowledgeBaseError:
        if _is_auth(exc):
            return self._mark_down(self.refused())
        if _is_transport(exc) or (isinstance(exc, ValueError) and "Could not connect" in str(exc)):
            return self._mark_down(self.unavailable(what, exc))
        return KnowledgeBaseError(
            f"Chroma 服务器返回错误{('（' + what + '）') if what else ''}：{type(exc).__name__}: {exc}",
            f"The Chroma server answered with an error{(' (' + what + ')') if what else ''}: {type(exc).__name__}: {exc}",
            "稍后重试；若持续出现，请服务器管理员查看 chroma 的日志。",
            "Retry later; if it persists, ask the server's administrator to look at chroma's log.")

    def server_time(self) -> float:
        """The server's clock in seconds (shared by every office; used for lock leases)."""
        return self.call(lambda: self.client().heartbeat(), "heartbeat") / 1e9
