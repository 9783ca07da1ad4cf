"""A scripted, real-HTTP stand-in for an OpenAI-compatible chat-completions endpoint.

Stdlib only.  Tests queue :class:`Reply` objects; each ``POST /v1/chat/completions``
pops one (or uses the server's default) and answers it over a real socket, so the
``openai`` SDK and ``langchain-openai`` exercise their whole HTTP stack: streaming
(SSE), error statuses, slow first tokens, hangs and connections cut mid-stream.

    with ScriptedLLMServer() as server:
        server.script(Reply("你好", chunks=["你", "好"]), Reply(status=429, headers={"Retry-After": "1"}))
        client = openai.OpenAI(base_url=server.url, api_key="x", max_retries=0)

Rules for ``POST /v1/chat/completions`` (in this order):
  1. the next scripted reply is popped; when the queue is empty, the ``responder`` (a function of
     the request body, e.g. :class:`SloppyModel` or :class:`ObedientModel`) answers, else the default;
  2. ``hang`` then ``first_token_delay`` are slept before anything is sent;
  3. a reply with ``status != 200`` answers with an OpenAI-style error body;
  4. otherwise a request for another model than ``model`` gets 404 ``model_not_found``;
  5. otherwise the text is answered, as SSE when the request has ``"stream": true``.

Faults: ``status`` (an error body), ``hang``/``first_token_delay`` (timeouts), ``cut_after`` (the
connection closes mid-stream), ``malformed_after`` (a data line that is not JSON, then close),
``Reply(text="")`` (an empty answer), ``finish_reason="length"`` (truncated).

Models (responders) that behave like real ones:
- :class:`SloppyModel`: copies last year's section (the 2023 sample report, its numbers and its
  year), invents counts and a miscomputed rate, cites a plan that has expired, an article that
  does not exist and a misspelt title, adds chatter, ignores repair requests (answers the draft
  back), is always cut by ``finish_reason=length`` and restarts from the beginning when asked to
  continue. It records what it planted (``planted``) so a test can check none survives unmarked.
- :class:`ObedientModel`: writes this year's notes with the figure tags of the prompt (〔数N〕) — or,
  with ``tags=False``, each figure's value in digits —, optionally one wrong digit in its first
  answer, and applies every fix a repair request names.

Manual use / benchmarks:  ``python tests/llm_server.py --port 8010 --text "…" --delay 0.2``
(``--mode sloppy`` or ``--mode obedient`` answers as those models).
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import sys
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

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
    malformed_after: int | None = None  # streaming only: after this many content chunks, a line that is not JSON

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
        responder: Callable[[dict[str, Any]], Reply | None] | None = None,
    ) -> None:
        self.default = default or Reply()
        self.responder = responder
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

    def next_reply(self, body: dict[str, Any] | None = None) -> Reply:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
            responder = self.responder
        reply = responder(body or {}) if responder is not None else None
        return reply or self.default

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
        reply = self.llm.next_reply(body)
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
        if reply.malformed_after is not None:
            pieces = pieces[: reply.malformed_after]
        for n, piece in enumerate(pieces):
            if n and not self.llm.sleep(reply.chunk_delay):
                return
            send(choice({"content": piece}))
        if reply.malformed_after is not None:  # a proxy's HTML, a half-written line: not the protocol's JSON
            send("{\"id\": \"chatcmpl-broken\", \"choices\": [{\"delta\": {\"content\": \"断")
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if reply.cut_after is not None:  # abrupt end: no finish chunk, no [DONE]
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        send(choice({}, reply.finish_reason))
        if (body.get("stream_options") or {}).get("include_usage"):
            send({"choices": [], "usage": self.usage(body, reply)})
        send("[DONE]")

# -- models that behave like real ones ------------------------------------------------------------
SEED_REPORT = Path(__file__).resolve().parents[1] / "corpus" / "reports" / "hunchun-2023-rule-of-law-report.txt"
CONTINUE_MARK = "被截断了。请从中断处直接接着写"
_HEADING = re.compile(r"【本部分】(.+)")
_TOKEN = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_NUMBER = re.compile(r"(?<![\d.×])(\d+(?:\.\d+)?)(余)?(人次|场次|件|项|个|名|次|份|台|%)")
_FRAME_YEAR = re.compile(r"(?:^|(?<=[。\n]))((?:19|20)\d{2})年(?=[,，]|我市|全市)")


def last_user(body: dict[str, Any]) -> str:
    users = [m for m in body.get("messages") or [] if m.get("role") == "user"]
    return str(users[-1].get("content") or "") if users else ""


def block(prompt: str, kind: str) -> str | None:
    """The body of the 〈资料 类型="kind"〉 block of a prompt."""
    m = re.search(rf'〈资料 类型="{kind}"〉\n(.*?)\n〈/资料〉', prompt, re.S)
    return m.group(1) if m else None


def _token(heading: str) -> str:
    m = _TOKEN.match(heading.strip())
    return m.group(1).replace("（", "(").replace("）", ")") if m else ""


class SloppyModel:
    """A model that ignores every instruction (see the module's docstring). Thread-safe."""

    CHATTER = "以上内容供参考，如需调整请告诉我。"

    def __init__(self, truncate: bool = True, restart: bool = True, ignore_repairs: bool = True,
                 cut_at: float = 0.8) -> None:
        self.truncate, self.restart, self.ignore_repairs, self.cut_at = truncate, restart, ignore_repairs, cut_at
        self.seed = SEED_REPORT.read_text(encoding="utf-8")
        self.planted: list[dict[str, str]] = []  # {"heading", "before", "fact", "what"}
        self.answers: dict[str, str] = {}  # first line → the whole answer it was cut from
        self.calls: dict[str, int] = {"draft": 0, "repair": 0, "continue": 0, "revise": 0, "other": 0}
        self._lock = threading.Lock()

    def __call__(self, body: dict[str, Any]) -> Reply:
        prompt = last_user(body)
        with self._lock:
            if CONTINUE_MARK in prompt:
                self.calls["continue"] += 1
                so_far = next((m["content"] for m in reversed(body.get("messages") or []) if m.get("role") == "assistant"), "")
                whole = self.answers.get(so_far.split("\n", 1)[0], so_far)
                if self.restart:  # starts again from the top, and is cut again
                    return Reply(whole, finish_reason="length" if self.truncate else "stop")
                return Reply(whole[len(so_far):] or "。", finish_reason="stop")
            if "自动检查" in prompt and block(prompt, "待修改草稿") is not None:
                self.calls["repair"] += 1
                draft = block(prompt, "待修改草稿") or ""
                return Reply(draft if self.ignore_repairs else draft)
            if "修改要求" in prompt and block(prompt, "当前文稿") is not None:
                self.calls["revise"] += 1
                text = block(prompt, "当前文稿") or ""
                return Reply(text + "全年共开展专项督查活动47场次。\n" + self.CHATTER)
            heading = _HEADING.search(prompt)
            if heading is None:
                self.calls["other"] += 1
                return Reply("根据《中华人民共和国行政复议法》第九十五条，应当听证。" + self.CHATTER)
            self.calls["draft"] += 1
            whole = self._draft(heading.group(1).strip())
            first = whole.split("\n", 1)[0]
            self.answers[first] = whole
            if not self.truncate:
                return Reply(whole)
            return Reply(whole[: max(len(first) + 8, int(len(whole) * self.cut_at))], finish_reason="length")

    def _seed_section(self, token: str) -> str | None:
        lines = self.seed.split("\n")
        level1 = token.endswith("、")
        for i, line in enumerate(lines):
            if _token(line) == token:
                out = [line]
                for nxt in lines[i + 1:]:
                    t = _token(nxt)
                    if (t and (t.endswith("、") or (not level1 and t.startswith("(")))) or nxt.startswith("中共"):
                        break
                    out.append(nxt)
                return "\n".join(out)
        return None

    def _draft(self, heading: str) -> str:
        token = _token(heading)
        copied = self._seed_section(token) or heading + "\n围绕本年度重点任务，扎实推进各项工作。"
        body_lines = copied.split("\n")
        n = len(self.answers)
        invented = [f"全年共开展法治宣传活动{137 + n}场次，覆盖群众{2600 + 11 * n}人次。"]
        if token.startswith("(") or token == "一、":
            invented.append("共排查各类风险隐患300件，化解270件，化解率95%。")
        invented.append("严格落实《法治政府建设实施纲要（2015—2020年）》，依据《中华人民共和国行政复议法》第九十五条的规定，"
                        "认真贯彻《优化营商环境暂行条例》。")
        text = "\n".join(body_lines) + "".join(invented) + "\n" + self.CHATTER
        self._record(heading, copied, "".join(invented))
        return text

    def _record(self, heading: str, copied: str, invented: str) -> None:
        body = copied.split("\n", 1)[1] if "\n" in copied else ""
        quoted = [(m.start(), m.end()) for m in re.finditer(r"“[^”]*”|《[^》]*》", body)]
        for m in _NUMBER.finditer(body):
            if body[m.end():m.end() + 1] == "年" or any(a <= m.start() < b for a, b in quoted):
                continue
            before = re.split(r"[\d,，。、；]", body[max(0, m.start() - 4):m.start()])[-1]
            self.planted.append({"heading": heading, "before": before, "fact": m.group(0), "what": "往年数字",
                                 "value": m.group(1)})
        for m in _FRAME_YEAR.finditer(body):
            self.planted.append({"heading": heading, "before": "", "fact": m.group(0), "what": "往年年份",
                                 "value": m.group(1), "after": body[m.end():m.end() + 2]})
        for m in re.finditer(r"(\d+)(场次|人次)", invented):
            self.planted.append({"heading": heading, "before": invented[max(0, m.start() - 3):m.start()],
                                 "fact": m.group(0), "what": "编造的数字", "value": m.group(1)})
        if "化解率95%" in invented:
            self.planted.append({"heading": heading, "before": "化解率", "fact": "95%", "what": "算错的比率", "value": "95"})
        for fact, what in (("《法治政府建设实施纲要（2015—2020年）》", "已失效的文件"),
                           ("《中华人民共和国行政复议法》第九十五条", "不存在的条文"), ("《优化营商环境暂行条例》", "名称有误的文件")):
            self.planted.append({"heading": heading, "before": "", "fact": fact, "what": what, "value": ""})


class ObedientModel:
    """A model that does what it is told: this year's notes, every figure by its tag, no chatter;
    with ``mistake`` its first answer writes one figure's digits wrong, which the repair fixes."""

    def __init__(self, mistake: bool = False, tags: bool = True) -> None:
        self.mistake, self.tags = mistake, tags  # tags=False: writes each figure's value itself
        self.mistakes: list[str] = []
        self.calls: dict[str, int] = {"draft": 0, "repair": 0, "continue": 0, "revise": 0, "other": 0}
        self._lock = threading.Lock()

    def __call__(self, body: dict[str, Any]) -> Reply:
        prompt = last_user(body)
        with self._lock:
            if CONTINUE_MARK in prompt:
                self.calls["continue"] += 1
                return Reply("。")
            if "自动检查" in prompt and block(prompt, "待修改草稿") is not None:
                self.calls["repair"] += 1
                return Reply(self._repair(prompt))
            if "修改要求" in prompt and block(prompt, "当前文稿") is not None:
                self.calls["revise"] += 1
                return Reply(block(prompt, "当前文稿") or "")
            heading = _HEADING.search(prompt)
            if heading is None:
                self.calls["other"] += 1
                return Reply("知识库中没有找到相关内容。")
            self.calls["draft"] += 1
            return Reply(self._draft(heading.group(1).strip(), prompt))

    @staticmethod
    def _repair(prompt: str) -> str:
        text = block(prompt, "待修改草稿") or ""
        for found, fix in re.findall(r"「([^」]+)」：[^\n]*?（改法：改为“([^”]+)”）", prompt):
            text = text.replace(found, fix, 1)
        return text

    def _draft(self, heading: str, prompt: str) -> str:
        notes = []
        for line in (block(prompt, "本年度工作素材") or "").split("\n"):
            if not line.strip():
                continue
            kind = re.search(r"（(问题|原因|履职|安排|其他)）$", line)
            line = re.sub(r"（(问题|原因|履职|安排|其他)）$", "", line)
            title, _, text = line.partition("：") if "：" in line[:30] else ("", "", line)
            notes.append({"title": title, "text": text, "kind": kind.group(1) if kind else "举措"})
        data = prompt.split("【本年度数据", 1)[1].split("【本年度工作素材】", 1)[0] if "【本年度数据" in prompt else ""
        groups: list[tuple[str, list[tuple[str, str, str]]]] = [("", [])]
        for line in data.split("\n"):
            fig = re.match(r"- 〔(数\d+)〕([^：]+)：([^（\n]+)", line)
            if fig:
                groups[-1][1].append(fig.groups())
            elif re.match(r"^\d+\..+：$", line):
                groups.append((line.rstrip("："), []))
        token = _token(heading)
        lines = [heading]
        if token in ("二、",):
            problems = [n["text"] for n in notes if n["kind"] == "问题"]
            causes = [n["text"] for n in notes if n["kind"] == "原因"]
            items = [f"{'一二三四五六'[i]}是{p.rstrip('。')}，究其原因，{(causes[i] if i < len(causes) else '有待分析').rstrip('。')}"
                     for i, p in enumerate(problems)]
            lines.append("本年度法治政府建设取得了一定成效，但仍存在一些不足：" + "；".join(items) + "。")
        elif token in ("三、", "四、"):
            lead = "党政主要负责人切实履行推进法治建设第一责任人职责。" if token == "三、" else "下一年度重点做好以下工作："
            lines.append(lead + "".join(f"{'一二三四五六'[i]}是{n['title'] or ''}。{n['text']}" for i, n in enumerate(notes)))
        else:
            by_title = {n["title"]: n["text"] for n in notes}
            figures_of = dict(groups)
            structure = re.findall(r"^- (\d+\..+)$", prompt.split("【本年度数据", 1)[0], re.M)
            for title in structure or [t for t, _ in groups if t]:
                name = re.sub(r"^\d+\.", "", title)
                sentence = by_title.get(name, "") or "扎实推进各项工作。"
                sentence += "".join(self._figure(label, tag, shown) for tag, label, shown in figures_of.get(title, []))
                lines.append(f"{title}。{sentence}")
            if figures_of.get(""):
                lines.append("".join(self._figure(label, tag, shown) for tag, label, shown in figures_of[""]))
            if len(lines) == 1:
                lines.append("".join(n["text"] for n in notes) or "扎实推进各项工作。")
        return "\n".join(lines)

    def _figure(self, label: str, tag: str, shown: str) -> str:
        if self.mistake and not self.mistakes:
            m = re.match(r"(\d+)(.*)", shown.strip())
            if m:
                wrong = f"{int(m.group(1)) + 1}{m.group(2)}"
                self.mistakes.append(wrong)
                return f"全市{label}{wrong}。"
        return f"全市{label}〔{tag}〕。" if self.tags else f"全市{label}{shown.strip()}。"


def unmarked_plants(text: str, planted: list[dict[str, str]], this_year: set[str] = frozenset(),
                    window: int = 16) -> dict[str, list[dict[str, str]]]:
    """Which planted facts are in `text` with no 〔待核实 mark right after them (within `window`
    characters, in the same clause), which are marked, and which are gone (replaced or dropped).
    Numbers whose value is one of this year's (`this_year`, as written) are not wrong: left out."""
    out: dict[str, list[dict[str, str]]] = {"unmarked": [], "marked": [], "gone": [], "not_wrong": []}
    seen: set[tuple[str, str]] = set()
    for fact in planted:
        key = (fact["before"], fact["fact"])
        if key in seen:
            continue
        seen.add(key)
        if fact["what"] == "往年数字" and fact["value"] in this_year:
            out["not_wrong"].append(fact)
            continue
        needle = re.escape(fact["before"] + fact["fact"])
        if fact.get("after"):  # a year is the fact only where it sets the time frame: "2023年，我市"
            needle += f"(?=〔待核实|{re.escape(fact['after'])})"
        places = [m.end() for m in re.finditer(needle, text)]
        if not places:
            out["gone"].append(fact)
            continue
        marked = all(re.match(rf"[^。；\n]{{0,{window}}}?〔待核实", text[end:]) for end in places)
        out["marked" if marked else "unmarked"].append(fact)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve a scripted OpenAI-compatible chat endpoint forever.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8010)
    parser.add_argument("--model", default="test-model")
    parser.add_argument("--text", default=Reply.text, help="the answer to every request")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds between stream chunks")
    parser.add_argument("--first-token-delay", type=float, default=0.0)
    parser.add_argument("--mode", choices=["scripted", "sloppy", "obedient"], default="scripted",
                        help="answer every request as --text (scripted), or as SloppyModel / ObedientModel")
    args = parser.parse_args()
    default = Reply(text=args.text, chunk_delay=args.delay, first_token_delay=args.first_token_delay)
    responder = {"sloppy": SloppyModel, "obedient": ObedientModel}.get(args.mode)
    server = ScriptedLLMServer(default, args.model, host=args.host, port=args.port, verbose=True,
                               responder=responder() if responder else None).start()
    print(f"Serving model {args.model!r} at {server.url} (Ctrl-C to stop)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
