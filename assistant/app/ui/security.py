"""Guards in front of the web app (ASGI middleware, installed through Gradio's `app_kwargs`):

- **Host header**: only a request addressed to this server is answered — loopback names when it
  is bound to loopback; when it is bound to one address, that address; when bound to every
  interface, an IP literal or this machine's names. `ASSISTANT_ALLOWED_HOSTS` adds names (the
  office proxy's). A page on another site that resolves its own name to this machine (DNS
  rebinding) gets 400.
- **Login throttle**: after a few wrong passwords from one address for one user name, that pair
  must wait (doubling up to 15 minutes) — even the right password is refused while it waits.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import threading
import time
from urllib.parse import parse_qs

LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1"}
FREE_FAILURES = 5  # wrong passwords allowed before the first wait
FIRST_WAIT, LONGEST_WAIT = 30.0, 900.0
FORGET_AFTER = 3600.0


def allowed_hosts(host: str, extra: str | None = None) -> tuple[set[str], bool]:
    """(names a Host header may carry, whether any IP literal is fine) for a bound address."""
    names = set(LOOPBACK_NAMES)
    any_ip = False
    if host in ("0.0.0.0", "::", ""):
        any_ip = True
        for name in (socket.gethostname(), socket.getfqdn()):
            if name:
                names.add(name.lower())
    elif host not in LOOPBACK_NAMES:
        names.add(host.lower())
    for name in (extra or "").replace("，", ",").split(","):
        if name.strip():
            names.add(name.strip().lower())
    return names, any_ip


def host_of(header: str) -> str:
    """The host part of a Host header ("[::1]:7860" → "::1", "a.b:80" → "a.b")."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    if header.count(":") == 1:
        return header.split(":")[0]
    return header


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


class HostCheck:
    def __init__(self, app, names: set[str], any_ip: bool) -> None:
        self.app, self.names, self.any_ip = app, names, any_ip

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket"):
            headers = dict(scope.get("headers") or [])
            host = host_of(headers.get(b"host", b"").decode("latin-1"))
            if host not in self.names and not (self.any_ip and _is_ip(host)):
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                body = ("<!doctype html><meta charset=utf-8><title>拒绝访问</title>"
                        "<p>拒绝访问：请求的地址（Host）不是本程序的地址。请使用管理员提供的网址访问。</p>"
                        "<p>Refused: the Host header does not name this server.</p>").encode("utf-8")
                await _respond(send, 400, body, "text/html; charset=utf-8")
                return
        await self.app(scope, receive, send)


class Throttle:
    """Failures per key (address, user name) and when the key may try again."""

    def __init__(self, clock=time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._state: dict[tuple, list] = {}  # key → [failures, blocked until, last failure]

    def wait(self, key: tuple) -> float:
        """Seconds the key must still wait (0 = may try)."""
        with self._lock:
            state = self._state.get(key)
            return max(0.0, state[1] - self.clock()) if state else 0.0

    def failed(self, key: tuple) -> float:
        """Record a wrong password; returns the wait it now has."""
        now = self.clock()
        with self._lock:
            for k in [k for k, s in self._state.items() if now - s[2] > FORGET_AFTER]:
                del self._state[k]
            state = self._state.setdefault(key, [0, 0.0, now])
            state[0] += 1
            state[2] = now
            over = state[0] - FREE_FAILURES
            if over >= 0:
                state[1] = now + min(LONGEST_WAIT, FIRST_WAIT * 2 ** over)
            return max(0.0, state[1] - now)

    def succeeded(self, key: tuple) -> None:
        with self._lock:
            self._state.pop(key, None)


class LoginThrottle:
    """Throttles POST /login by (client address, user name)."""

    def __init__(self, app, throttle: Throttle | None = None) -> None:
        self.app = app
        self.throttle = throttle or Throttle()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "POST" or scope.get("path", "").rstrip("/") != "/login":
            await self.app(scope, receive, send)
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        user = (parse_qs(body.decode("utf-8", "replace")).get("username") or [""])[0].strip()
        client = (scope.get("client") or ("?", 0))[0]
        key = (client, user)
        wait = self.throttle.wait(key)
        if wait > 0:
            await _respond(send, 429, json.dumps({"detail": f"登录失败次数过多，请 {int(wait) + 1} 秒后再试。"
                                                             f" Too many failed logins; try again in {int(wait) + 1} s."},
                                                 ensure_ascii=False).encode("utf-8"), "application/json",
                           [(b"retry-after", str(int(wait) + 1).encode())])
            return
        status: dict = {}
        replayed = False

        async def replay():
            nonlocal replayed
            if replayed:
                return await receive()  # after the body: the client's disconnect, when it comes
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def watch(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        await self.app(scope, replay, watch)
        if status.get("code") == 200:
            self.throttle.succeeded(key)
        elif status.get("code") in (400, 401, 403):
            self.throttle.failed(key)


async def _respond(send, status: int, body: bytes, content_type: str, extra: list | None = None) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode()),
                            *(extra or [])]})
    await send({"type": "http.response.body", "body": body})
