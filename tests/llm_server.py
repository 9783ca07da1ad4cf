"""A scripted, real-HTTP stand-in for an OpenAI-compatible chat-completions endpoint.

Stdlib only.  Tests queue :class:`Reply` objects; each ``POST /v1/chat/completions``
pops one (or uses the server's default) and answers it over a real socket, so the
``openai`` SDK and ``langchain-openai`` exercise their whole HTTP stack: streaming
(SSE), error statuses, slow first tokens, hangs and connections cut mid-stream.

    with ScriptedLLMServer() as server:
        server.script(Reply("你好", chunks=["你", "好"]), Reply(status=429, headers={"Retry-After": "1"}))
        client = openai.OpenAI(base_url=server.url, api_key="x", max_retries=0)

Rules for ``POST /v1/chat/completions`` (in this order):
  1. the next scripted reply is popped (the default when the queue is empty);
  2. ``hang`` then ``first_token_delay`` are slept before anything is sent;
  3. a reply with ``status != 200`` answers with an OpenAI-style error body;
  4. otherwise a request for another model than ``model`` gets 404 ``model_not_found``;
  5. otherwise the text is answered, as SSE when the request has ``"stream": true``.

Manual use / benchmarks:  ``python tests/llm_server.py --port 8010 --text "…" --delay 0.2``
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# status -> (error type, error code, default message), shaped like OpenAI's own errors
_ERRORS: dict[int, tuple[str, str | None, str]] = {
    400: ("invalid_request_error", None, "Bad request"),
    401: ("invalid_request_error", "invalid_api_key", "Incorrect API key provided"),
    403: ("invalid_request_error", "unsupported_country_region_territory", "Forbidden"),
    404: ("invalid_request_error", "model_not_found", "Not found"),
    429: ("requests", "rate_limit_exceeded", "Rate limit reached for requests"),
    500: ("server_error", "server_error", "The server had an error while processing your request"),
    503: ("server_error", "service_unavailable", "The engine is currently overloaded"),
}


@dataclass
class Reply:
    """One scripted answer.  ``chunks``, when given, is the answer (``text`` is then ignored)."""

    text: str = "好的。"
    chunks: list[str] | None = None  # stream deltas; default: 8-character pieces of `text`
    finish_reason: str = "stop"  # "stop" or "length" (a truncated answer)
    status: int = 200  # != 200: answer with an OpenAI-style error JSON body
    error_message: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # e.g. {"Retry-After": "1"} with 429
    first_token_delay: float = 0.0  # seconds before the first byte of the answer
    chunk_delay: float = 0.0  # seconds between stream chunks
    hang: float = 0.0  # seconds to sleep before answering at all (client timeouts)
    cut_after: int | None = None  # streaming only: close after this many content chunks, no [DONE]

    def pieces(self) -> list[str]:
        if self.chunks is not None:
            return list(self.chunks)
        return [self.text[i : i + 8] for i in range(0, len(self.text), 8)]

    def content(self) -> str:
        return "".join(self.pieces())


class _HTTPServer(ThreadingHTTPServer):
    """Tracks open connections so ``stop()`` can cut keep-alive and sleeping handlers."""

    daemon_threads = True
    owner: ScriptedLLMServer

    def __init__(self, addr: tuple[str, int], owner: ScriptedLLMServer) -> None:
        self.owner = owner
        self.open_sockets: set[socket.socket] = set()
        self.sockets_lock = threading.Lock()
        super().__init__(addr, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.sockets_lock:
            self.open_sockets.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.sockets_lock:
            self.open_sockets.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], OSError):  # dropped connections are expected here
            super().handle_error(request, client_address)


class ScriptedLLMServer:
    """OpenAI-compatible chat server on 127.0.0.1 answering scripted :class:`Reply` objects."""

    def __init__(
        self, default: Reply | None = None, model: str = "test-model", *,
        host: str = "127.0.0.1", port: int = 0, verbose: bool = False,
    ) -> None:
        self.default = default or Reply()
        self.model = model
        self.verbose = verbose
        self.requests: list[dict[str, Any]] = []  # every JSON body received, in order
        self._addr = (host, port)
        self._queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    def script(self, *replies: Reply) -> None:
        """Queue replies; each chat request pops one, then ``default`` is used."""
        with self._lock:
            self._queue.extend(replies)

    def next_reply(self) -> Reply:
        with self._lock:
            return self._queue.popleft() if self._queue else self.default

    def record(self, body: dict[str, Any]) -> None:
        with self._lock:
            self.requests.append(body)

    def sleep(self, seconds: float) -> bool:
        """Sleep unless the server stops first; return True if it is still running."""
        return seconds <= 0 or not self._stopping.wait(seconds)

    def start(self) -> ScriptedLLMServer:
        self._stopping.clear()
        self._httpd = _HTTPServer(self._addr, self)
        host, port = self._httpd.server_address[:2]
        self.url = f"http://{host}:{port}/v1"
        # a short poll interval keeps shutdown() fast (the default waits up to 0.5 s)
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, wake sleeping handlers and cut every open connection."""
        if self._httpd is None:
            return
        self._stopping.set()
        self._httpd.shutdown()
        with self._httpd.sockets_lock:
            for sock in list(self._httpd.open_sockets):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> ScriptedLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive like real servers; streams send Connection: close
    server: _HTTPServer

    @property
    def llm(self) -> ScriptedLLMServer:
        return self.server.owner

    def log_message(self, format: str, *args: Any) -> None:
        if self.llm.verbose:
            super().log_message(format, *args)

    def send_json(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def send_error_json(self, status: int, message: str | None = None, headers: dict[str, str] | None = None) -> None:
        kind, code, default_message = _ERRORS.get(status, ("api_error", None, f"HTTP {status}"))
        error = {"message": message or default_message, "type": kind, "param": None, "code": code}
        self.send_json(status, {"error": error}, headers)

    def do_GET(self) -> None:
        if self.path.split("?")[0].rstrip("/") == "/v1/models":
            model = {"id": self.llm.model, "object": "model", "created": 0, "owned_by": "test"}
            self.send_json(200, {"object": "list", "data": [model]})
        else:
            self.send_error_json(404, f"Unknown path {self.path}")

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.split("?")[0].rstrip("/") != "/v1/chat/completions":
            return self.send_error_json(404, f"Unknown path {self.path}")
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return self.send_error_json(400, "Request body is not valid JSON")
        self.llm.record(body)
        reply = self.llm.next_reply()
        try:
            if not (self.llm.sleep(reply.hang) and self.llm.sleep(reply.first_token_delay)):
                self.close_connection = True  # stopped while sleeping
            elif reply.status != 200:
                self.send_error_json(reply.status, reply.error_message, reply.headers)
            elif body.get("model") != self.llm.model:
                self.send_error_json(404, f"The model `{body.get('model')}` does not exist")
            elif body.get("stream"):
                self.stream(body, reply)
            else:
                self.answer(body, reply)
        except OSError:  # the client gave up (e.g. timed out) or stop() cut the connection
            self.close_connection = True

    def usage(self, body: dict[str, Any], reply: Reply) -> dict[str, int]:
        """Rough token counts: one token per ~2 characters of prompt, one per answer character."""
        prompt = sum(len(str(m.get("content") or "")) for m in body.get("messages") or [])
        prompt_tokens, completion_tokens = max(1, prompt // 2), len(reply.content())
        return {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens}

    def answer(self, body: dict[str, Any], reply: Reply) -> None:
        message = {"role": "assistant", "content": reply.content(), "refusal": None}
        self.send_json(200, {
            "id": f"chatcmpl-{uuid.uuid4().hex[:24]}", "object": "chat.completion",
            "created": int(time.time()), "model": self.llm.model,
            "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": reply.finish_reason}],
            "usage": self.usage(body, reply),
        }, reply.headers)

    def stream(self, body: dict[str, Any], reply: Reply) -> None:
        self.close_connection = True  # the body ends when the connection closes
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        base = {"id": f"chatcmpl-{uuid.uuid4().hex[:24]}", "object": "chat.completion.chunk",
                "created": int(time.time()), "model": self.llm.model}

        def send(payload: dict[str, Any] | str) -> None:
            data = payload if isinstance(payload, str) else json.dumps({**base, **payload}, ensure_ascii=False)
            self.wfile.write(f"data: {data}\n\n".encode())
            self.wfile.flush()

        def choice(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
            return {"choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}]}

        send(choice({"role": "assistant", "content": ""}))
        pieces = reply.pieces() if reply.cut_after is None else reply.pieces()[: reply.cut_after]
        for n, piece in enumerate(pieces):
            if n and not self.llm.sleep(reply.chunk_delay):
                return
            send(choice({"content": piece}))
        if reply.cut_after is not None:  # abrupt end: no finish chunk, no [DONE]
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        send(choice({}, reply.finish_reason))
        if (body.get("stream_options") or {}).get("include_usage"):
            send({"choices": [], "usage": self.usage(body, reply)})
        send("[DONE]")


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve a scripted OpenAI-compatible chat endpoint forever.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8010)
    parser.add_argument("--model", default="test-model")
    parser.add_argument("--text", default=Reply.text, help="the answer to every request")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds between stream chunks")
    parser.add_argument("--first-token-delay", type=float, default=0.0)
    args = parser.parse_args()
    default = Reply(text=args.text, chunk_delay=args.delay, first_token_delay=args.first_token_delay)
    server = ScriptedLLMServer(default, args.model, host=args.host, port=args.port, verbose=True).start()
    print(f"Serving model {args.model!r} at {server.url} (Ctrl-C to stop)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
