"""The LLM client: any OpenAI-compatible chat endpoint (DeepSeek, Qwen, GLM, vLLM, Ollama…)
through langchain-openai, streamed, with the failures users meet turned into clear messages.

- 401 / 404 / 400: not retried; the message says which setting to check.
- 429 (Retry-After honoured, capped), 5xx, a refused connection and a timeout before the first
  token: retried a few times with backoff, each wait reported through `on_status`.
- A truncated answer (finish_reason "length", or a stream that ends with no finish reason) is
  continued up to `max_continuations` times; if it is still cut, the result says so
  (`truncated=True`), it is never cut silently.
- A continuation that restarts from the beginning or repeats the end of what was written is
  trimmed to what is new (`merge_continuation`).
- A malformed stream (data that is not the protocol's JSON) and an empty answer are faults like
  the others: retried before the first token, then a clear message.
- A stream that breaks after some text: the text received so far is kept (`LLMError.partial_text`).
No token counting here: tiktoken would try to download its tables.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator

import openai

from ..errors import LLMError

TokenCallback = Callable[[str], None]
StatusCallback = Callable[[str], None]
CONTINUE_PROMPT = "你的上一条回答因长度限制被截断了。请从中断处直接接着写，不要重复已经写过的内容，也不要加任何说明。"


@dataclass
class LLMResult:
    text: str
    finish_reason: str | None
    continuations: int = 0
    truncated: bool = False  # still cut after every continuation
    retries: int = 0
    requests: int = 0  # HTTP requests made (first answer, continuations, retries)
    first_token_s: float | None = None
    elapsed_s: float = 0.0
    notes: list[str] = field(default_factory=list)  # what happened, for the user (Chinese)


class LLMClient:
    def __init__(self, base_url: str, model: str, api_key: str | None = None, *, timeout: float = 120.0,
                 max_retries: int = 2, temperature: float = 0.3, max_tokens: int | None = None,
                 max_continuations: int = 2, max_retry_wait: float = 30.0) -> None:
        from langchain_openai import ChatOpenAI

        self.base_url = base_url
        self.model = model
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_continuations = max_continuations
        self.max_retry_wait = max_retry_wait
        # max_retries=0: retries happen here, where they can be reported and text is never duplicated
        # max_tokens goes in the body as `max_tokens`, which DeepSeek, Qwen, GLM, vLLM and Ollama all read;
        # ChatOpenAI's own max_tokens would be sent as `max_completion_tokens`, which some of them ignore
        self.max_tokens = max_tokens
        self._chat = ChatOpenAI(base_url=base_url, api_key=api_key or "not-needed", model=model, timeout=timeout,
                                max_retries=0, streaming=True, temperature=temperature, stream_usage=False,
                                extra_body={"max_tokens": max_tokens} if max_tokens else None)

    @classmethod
    def from_settings(cls, settings) -> "LLMClient":
        return cls(settings.openai_base_url, settings.assistant_llm_model, settings.openai_api_key,
                   timeout=settings.assistant_llm_timeout, max_retries=settings.assistant_llm_max_retries,
                   temperature=settings.assistant_llm_temperature, max_tokens=settings.assistant_llm_max_tokens,
                   max_continuations=settings.assistant_max_continuations)

    # -- public ---------------------------------------------------------------------------------
    def complete(self, messages: list, on_token: TokenCallback | None = None,
                 on_status: StatusCallback | None = None) -> LLMResult:
        """Stream an answer to `messages` (LangChain messages or role/content dicts), calling
        `on_token` for each piece of text; continue truncated answers."""
        started = time.monotonic()
        messages = _as_messages(messages)
        result = LLMResult(text="", finish_reason=None)
        conversation = list(messages)
        for attempt in range(self.max_continuations + 1):
            try:
                piece, finish, retries, first = self._stream_once(conversation, on_token, on_status, result.text)
            except LLMError as exc:
                exc.partial_text = result.text + exc.partial_text[len(result.text):] if exc.partial_text else result.text
                exc.requests = result.requests + 1
                raise
            result.retries += retries
            result.requests += 1 + retries
            if result.first_token_s is None and first is not None:
                result.first_token_s = first - started
            if attempt and not piece.strip():  # the model has nothing to add: what was written stays cut
                result.truncated = True
                result.notes.append("续写时模型没有再写出内容，回答仍不完整。")
                break
            if attempt:
                merged, how = merge_continuation(result.text, piece)
                if how:
                    result.notes.append(how)
                result.text = merged
            else:
                result.text += piece
            result.finish_reason = finish
            if finish not in ("length", None):
                break
            why = "长度限制" if finish == "length" else "连接提前结束"
            if attempt == self.max_continuations:
                result.truncated = True
                result.notes.append(f"回答因{why}被截断，已续写{result.continuations}次仍未写完；请缩小范围或调高 max_tokens。")
                break
            result.continuations += 1
            note = f"回答因{why}被截断，正在自动续写（第{result.continuations}次）"
            result.notes.append(note)
            if on_status:
                on_status(note)
            from langchain_core.messages import AIMessage, HumanMessage

            conversation = list(messages) + [AIMessage(content=result.text), HumanMessage(content=CONTINUE_PROMPT)]
        result.elapsed_s = time.monotonic() - started
        return result

    def stream(self, messages: list, on_status: StatusCallback | None = None) -> Iterator[str]:
        """Yield text pieces as they arrive (a generator over `complete`)."""
        import queue
        import threading

        pieces: queue.Queue = queue.Queue()
        outcome: dict = {}

        def run() -> None:
            try:
                outcome["result"] = self.complete(messages, on_token=pieces.put, on_status=on_status)
            except LLMError as exc:
                outcome["error"] = exc
            finally:
                pieces.put(None)

        threading.Thread(target=run, daemon=True).start()
        while (piece := pieces.get()) is not None:
            yield piece
        if "error" in outcome:
            raise outcome["error"]
        self.last_result = outcome.get("result")

    # -- one streamed request, with retries before the first token ------------------------------------
    def _stream_once(self, messages, on_token, on_status, so_far: str):
        retries = 0
        while True:
            text, finish, first = "", None, None
            try:
                for chunk in self._chat.stream(messages):
                    content = chunk.content if isinstance(chunk.content, str) else ""
                    if content:
                        if first is None:
                            first = time.monotonic()
                        text += content
                        if on_token:
                            on_token(content)
                    finish = chunk.response_metadata.get("finish_reason") or finish
                if not text.strip() and not so_far:
                    raise _EmptyAnswer()
                return text, finish, retries, first
            except Exception as exc:  # noqa: BLE001 - mapped below; anything unknown is re-raised
                error = self._translate(exc, so_far + text)
                if text.strip():  # the stream broke mid-answer: keep the text, continue from it
                    return text, None, retries, first
                if not error.retryable or retries >= self.max_retries:
                    raise error from exc
                retries += 1
                wait = self._retry_wait(exc, retries)
                if on_status:
                    on_status(f"{error.zh.split('。')[0]}，{wait:.0f}秒后第{retries}次重试…")
                time.sleep(wait)

    def _retry_wait(self, exc: Exception, attempt: int) -> float:
        headers = getattr(getattr(exc, "response", None), "headers", None) or {}
        retry_after = headers.get("retry-after") if hasattr(headers, "get") else None
        if retry_after:
            try:
                return min(float(retry_after), self.max_retry_wait)
            except ValueError:
                pass
        return min(2.0 ** (attempt - 1), self.max_retry_wait)

    def _translate(self, exc: Exception, partial: str) -> LLMError:
        where = f"{self.base_url}（模型 {self.model}）"
        status = getattr(exc, "status_code", None)
        if isinstance(exc, _EmptyAnswer):
            return LLMError(f"大模型返回了空回答（没有任何文字）。{where}", f"The LLM returned an empty answer ({self.base_url}).",
                            "稍后重试；若一直如此，检查模型名称和服务状态，或缩小起草范围。",
                            "Retry later; if it persists, check the model and the service, or draft a smaller part.",
                            retryable=True, partial_text=partial)
        if isinstance(exc, (json.JSONDecodeError, ValueError, KeyError, TypeError, IndexError)) \
                and not isinstance(exc, openai.APIError):
            return LLMError(f"大模型服务返回的数据格式不对，无法读取（{type(exc).__name__}）。{where}",
                            f"The LLM endpoint sent a malformed stream ({type(exc).__name__}) at {self.base_url}.",
                            "稍后重试；若一直如此，确认该服务兼容 OpenAI 的流式接口（OPENAI_BASE_URL 通常以 /v1 结尾）。",
                            "Retry later; if it persists, check that the endpoint speaks OpenAI's streaming API "
                            "(OPENAI_BASE_URL usually ends in /v1).", retryable=True, partial_text=partial)
        if isinstance(exc, openai.AuthenticationError):
            return LLMError(f"大模型服务拒绝了请求：API 密钥无效或没有权限（401）。{where}",
                            f"The LLM endpoint rejected the API key (401) at {self.base_url}.",
                            "检查 OPENAI_API_KEY 设置。", "Check OPENAI_API_KEY.", status=401, partial_text=partial)
        if isinstance(exc, openai.NotFoundError):
            return LLMError(f"大模型服务找不到模型“{self.model}”或接口地址不对（404）。",
                            f"The endpoint does not know model '{self.model}' or the URL is wrong (404).",
                            "检查 ASSISTANT_LLM_MODEL 和 OPENAI_BASE_URL（通常以 /v1 结尾）。",
                            "Check ASSISTANT_LLM_MODEL and OPENAI_BASE_URL (it usually ends in /v1).",
                            status=404, partial_text=partial)
        if isinstance(exc, openai.RateLimitError):
            return LLMError("大模型服务请求过于频繁或额度已用完（429）。", "The LLM endpoint is rate limiting (429).",
                            "稍后再试，或检查账户额度。", "Try again later or check the account's quota.",
                            retryable=True, status=429, partial_text=partial)
        if isinstance(exc, openai.APITimeoutError):
            return LLMError(f"大模型服务响应超时（超过{self.timeout:.0f}秒）。{where}",
                            f"The LLM endpoint timed out after {self.timeout:.0f}s.",
                            "稍后重试；本地模型可调大 ASSISTANT_LLM_TIMEOUT。",
                            "Retry; for a slow local model raise ASSISTANT_LLM_TIMEOUT.",
                            retryable=True, partial_text=partial)
        if isinstance(exc, openai.APIConnectionError):
            return LLMError(f"连接不上大模型服务：{self.base_url}。",
                            f"Cannot connect to the LLM endpoint at {self.base_url}.",
                            "确认服务已启动、地址正确；不用大模型也可以离线起草和检查。",
                            "Check the service is running and the URL; offline drafting and checks work without it.",
                            retryable=True, partial_text=partial)
        if isinstance(exc, openai.InternalServerError) or (status and status >= 500):
            return LLMError(f"大模型服务内部错误（{status or 500}）。", f"The LLM endpoint failed ({status or 500}).",
                            "稍后重试。", "Try again later.", retryable=True, status=status, partial_text=partial)
        if isinstance(exc, openai.BadRequestError):
            return LLMError(f"大模型服务不接受这个请求（400）：{_short(exc)}", f"The LLM endpoint refused the request (400): {_short(exc)}",
                            "内容可能过长：请缩小起草范围。", "The prompt may be too long: draft a smaller part.",
                            status=400, partial_text=partial)
        if isinstance(exc, openai.APIError):
            return LLMError(f"大模型服务出错：{_short(exc)}", f"LLM endpoint error: {_short(exc)}",
                            retryable=True, status=status, partial_text=partial)
        raise exc


class _EmptyAnswer(Exception):
    """A stream that ended normally with no text at all."""


_MIN_OVERLAP = 6


def merge_continuation(so_far: str, piece: str) -> tuple[str, str | None]:
    """`so_far` + the continuation `piece`, without what the piece repeats: a restart from the
    beginning (the piece begins with the text's first line or opening) is aligned on the end of
    what was written, or taken whole if it is a longer rewrite; a piece that repeats the end of
    the text is trimmed by the overlap. Returns (text, a note for the user or None)."""
    head = so_far.lstrip()[:20]
    stripped = piece.lstrip()
    first_line = so_far.strip().split("\n", 1)[0]
    restarted = bool(head) and (stripped.startswith(head) or (len(first_line) >= 4 and stripped.startswith(first_line)))
    if restarted:
        tail = so_far.rstrip()[-20:]
        at = stripped.rfind(tail) if len(tail) >= _MIN_OVERLAP else -1
        if at != -1:
            return so_far + stripped[at + len(tail):], "续写时模型从头重写了，已去掉重复的部分。"
        if len(stripped) > len(so_far.strip()):
            return stripped, "续写时模型从头重写了，已改用重写的完整文字。"
        return so_far, "续写时模型从头重写且没有写得更多，续写内容未采用。"
    limit = min(len(so_far), len(piece), 400)
    for size in range(limit, _MIN_OVERLAP - 1, -1):
        if so_far.endswith(piece[:size]):
            return so_far + piece[size:], "续写时模型重复了已写的结尾，已去掉重复的部分。"
    return so_far + piece, None


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) <= 200 else text[:200] + "…"


def _as_messages(messages: list) -> list:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    out = []
    for m in messages:
        if isinstance(m, dict):
            cls = {"system": SystemMessage, "assistant": AIMessage}.get(m.get("role"), HumanMessage)
            out.append(cls(content=m.get("content", "")))
        else:
            out.append(m)
    return out
