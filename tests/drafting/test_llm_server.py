"""The scripted LLM server speaks the chat-completions protocol the real clients expect.

Every test drives the real ``openai`` SDK or langchain-openai's ``ChatOpenAI`` over a
real socket on 127.0.0.1, so these tests also pin down how those clients behave on
truncated answers, cut streams, error statuses and timeouts.
"""

from __future__ import annotations

import functools
import operator
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import openai
import pytest
from langchain_openai import ChatOpenAI
from llm_server import Reply, ScriptedLLMServer

MESSAGES = [{"role": "system", "content": "你是起草助手。"}, {"role": "user", "content": "写一句话。"}]


@pytest.fixture
def server() -> Iterator[ScriptedLLMServer]:
    with ScriptedLLMServer() as srv:
        yield srv


@pytest.fixture
def client(server: ScriptedLLMServer) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=server.url, api_key="x", max_retries=0, timeout=5) as c:
        yield c


def chat_model(server: ScriptedLLMServer, **kwargs: object) -> ChatOpenAI:
    options: dict[str, object] = {"model": "test-model", "max_retries": 0, "streaming": True, "timeout": 5}
    return ChatOpenAI(base_url=server.url, api_key="x", **{**options, **kwargs})


def stream(client: openai.OpenAI, **kwargs: object) -> list:
    return list(client.chat.completions.create(model="test-model", messages=MESSAGES, stream=True, **kwargs))


# --- the protocol, through the openai SDK ------------------------------------------------


def test_models_endpoint(client: openai.OpenAI) -> None:
    assert [m.id for m in client.models.list().data] == ["test-model"]


def test_stream_returns_scripted_pieces_then_finish_reason(server: ScriptedLLMServer, client: openai.OpenAI) -> None:
    server.script(Reply(chunks=["本年度", "全面推进", "依法行政。"]))
    chunks = stream(client)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert [c.choices[0].delta.content for c in chunks[1:-1]] == ["本年度", "全面推进", "依法行政。"]
    assert [c.choices[0].finish_reason for c in chunks] == [None, None, None, None, "stop"]
    assert len({c.id for c in chunks}) == 1 and chunks[-1].model == "test-model"
    assert server.requests == [{"model": "test-model", "messages": MESSAGES, "stream": True}]


def test_stream_default_pieces_and_usage_chunk(server: ScriptedLLMServer, client: openai.OpenAI) -> None:
    server.script(Reply("一二三四五六七八九十甲乙丙丁戊己庚辛"))
    chunks = stream(client, stream_options={"include_usage": True})
    pieces = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert pieces == ["一二三四五六七八", "九十甲乙丙丁戊己", "庚辛"]
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    assert chunks[-1].usage.total_tokens == chunks[-1].usage.prompt_tokens + chunks[-1].usage.completion_tokens
    assert chunks[-2].choices[0].finish_reason == "stop"
    assert all(c.usage is None for c in chunks[:-1])


def test_non_stream_returns_text_finish_reason_and_usage(server: ScriptedLLMServer, client: openai.OpenAI) -> None:
    server.script(Reply("依法行政，建设法治政府。", finish_reason="length"))
    resp = client.chat.completions.create(model="test-model", messages=MESSAGES)
    assert resp.choices[0].message.content == "依法行政，建设法治政府。"
    assert resp.choices[0].finish_reason == "length"
    assert resp.usage is not None and resp.usage.completion_tokens > 0
    assert server.requests[0]["messages"] == MESSAGES and "stream" not in server.requests[0]


def test_stream_length_finish_reason(server: ScriptedLLMServer, client: openai.OpenAI) -> None:
    server.script(Reply("被截断的回答", finish_reason="length"))
    assert stream(client)[-1].choices[0].finish_reason == "length"


def test_script_queue_then_default(server: ScriptedLLMServer, client: openai.OpenAI) -> None:
    server.script(Reply("一"), Reply("二"))
    answers = [client.chat.completions.create(model="test-model", messages=MESSAGES).choices[0].message.content
               for _ in range(3)]
    assert answers == ["一", "二", "好的。"]
    assert len(server.requests) == 3


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "exc_type", "code"), [
    (401, openai.AuthenticationError, "invalid_api_key"),
    (429, openai.RateLimitError, "rate_limit_exceeded"),
    (500, openai.InternalServerError, "server_error"),
])
@pytest.mark.parametrize("streaming", [False, True])
def test_error_status(server: ScriptedLLMServer, client: openai.OpenAI, status: int,
                      exc_type: type[openai.APIStatusError], code: str, streaming: bool) -> None:
    server.script(Reply(status=status, error_message="scripted failure", headers={"Retry-After": "1"}))
    with pytest.raises(exc_type) as info:
        client.chat.completions.create(model="test-model", messages=MESSAGES, stream=streaming)
    assert info.value.status_code == status and info.value.code == code
    assert "scripted failure" in info.value.message
    assert info.value.response.headers["retry-after"] == "1"


def test_wrong_model_is_not_found(server: ScriptedLLMServer, client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as info:
        client.chat.completions.create(model="gpt-nonexistent", messages=MESSAGES)
    assert info.value.code == "model_not_found"
    assert "The model `gpt-nonexistent` does not exist" in info.value.message
    assert server.requests[0]["model"] == "gpt-nonexistent"


def test_hang_longer_than_timeout_times_out(server: ScriptedLLMServer, client: openai.OpenAI) -> None:
    server.script(Reply(hang=10))
    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        client.with_options(timeout=0.3).chat.completions.create(model="test-model", messages=MESSAGES)
    assert time.monotonic() - started < 2


def test_slow_first_token_times_out_a_stream(server: ScriptedLLMServer, client: openai.OpenAI) -> None:
    server.script(Reply(first_token_delay=10))
    with pytest.raises(openai.APITimeoutError):
        stream(client.with_options(timeout=0.3))


def test_first_token_delay_and_chunk_delay_are_observable(server: ScriptedLLMServer, client: openai.OpenAI) -> None:
    server.script(Reply(chunks=["a", "b", "c"], first_token_delay=0.3, chunk_delay=0.1))
    started = time.monotonic()
    arrivals = []
    for chunk in client.chat.completions.create(model="test-model", messages=MESSAGES, stream=True):
        if chunk.choices[0].delta.content:
            arrivals.append(time.monotonic() - started)
    assert arrivals[0] >= 0.3
    assert arrivals[2] - arrivals[0] >= 0.18  # two chunk_delay gaps, with scheduling slack


def test_cut_stream_ends_early_without_error_or_finish_reason(server: ScriptedLLMServer,
                                                               client: openai.OpenAI) -> None:
    # The stream body is delimited by connection close, so an abrupt close looks like a normal
    # end of body to the SDK: iteration just stops — no exception, no finish_reason.
    server.script(Reply(chunks=["一", "二", "三", "四"], cut_after=2))
    chunks = stream(client)
    assert [c.choices[0].delta.content for c in chunks] == ["", "一", "二"]
    assert all(c.choices[0].finish_reason is None for c in chunks)


def test_malformed_stream_is_a_decode_error_in_the_sdk(server: ScriptedLLMServer, client: openai.OpenAI) -> None:
    import json

    server.script(Reply(chunks=["一", "二", "三"], malformed_after=2))
    seen = []
    with pytest.raises(json.JSONDecodeError):
        for chunk in client.chat.completions.create(model="test-model", messages=MESSAGES, stream=True):
            seen.append(chunk.choices[0].delta.content)
    assert seen == ["", "一", "二"]


def test_empty_answer_streams_no_content(server: ScriptedLLMServer, client: openai.OpenAI) -> None:
    server.script(Reply(text=""))
    chunks = stream(client)
    assert [c.choices[0].delta.content for c in chunks] == ["", None] and chunks[-1].choices[0].finish_reason == "stop"


def test_a_responder_answers_when_the_queue_is_empty(server: ScriptedLLMServer, client: openai.OpenAI) -> None:
    asked = []
    server.responder = lambda body: asked.append(body["messages"][-1]["content"]) or Reply("按请求作答")
    server.script(Reply("排队的回答"))
    answers = [client.chat.completions.create(model="test-model", messages=MESSAGES).choices[0].message.content
               for _ in range(2)]
    assert answers == ["排队的回答", "按请求作答"] and asked == ["写一句话。"]


def test_connection_refused() -> None:
    with socket.socket() as reserved:  # bound but never listening: connections are refused
        reserved.bind(("127.0.0.1", 0))
        port = reserved.getsockname()[1]
        with openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="x", max_retries=0, timeout=2) as c:
            with pytest.raises(openai.APIConnectionError) as info:
                c.chat.completions.create(model="test-model", messages=MESSAGES)
    assert not isinstance(info.value, openai.APITimeoutError)


def test_stop_does_not_wait_for_hanging_handlers() -> None:
    srv = ScriptedLLMServer(Reply(hang=30)).start()
    errors: list[BaseException] = []

    def call() -> None:
        with openai.OpenAI(base_url=srv.url, api_key="x", max_retries=0, timeout=10) as c:
            try:
                c.chat.completions.create(model="test-model", messages=MESSAGES)
            except openai.APIError as exc:
                errors.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    deadline = time.monotonic() + 5
    while not srv.requests and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    srv.stop()
    caller.join(timeout=5)
    assert time.monotonic() - started < 2
    assert len(errors) == 1 and type(errors[0]) is openai.APIConnectionError  # dropped, not timed out


# --- langchain-openai's ChatOpenAI ----------------------------------------------------------


def test_chat_openai_streams_pieces_and_finish_reason(server: ScriptedLLMServer) -> None:
    server.script(Reply(chunks=["本年度", "全面推进", "依法行政。"]))
    chunks = list(chat_model(server).stream([("system", "你是起草助手。"), ("user", "写一句话。")]))
    assert [c.content for c in chunks if c.content] == ["本年度", "全面推进", "依法行政。"]
    # Observed: the finish chunk carries finish_reason; langchain-core then appends an empty
    # chunk (chunk_position="last") with empty response_metadata.
    assert chunks[-2].response_metadata["finish_reason"] == "stop"
    assert chunks[-1].content == "" and chunks[-1].response_metadata == {}
    assert functools.reduce(operator.add, chunks).response_metadata["finish_reason"] == "stop"
    assert server.requests[0]["messages"] == MESSAGES and server.requests[0]["stream"] is True


def test_chat_openai_sees_length_finish_reason(server: ScriptedLLMServer) -> None:
    server.script(Reply("被截断的回答", finish_reason="length"), Reply("被截断的回答", finish_reason="length"))
    chunks = list(chat_model(server).stream("写一句话。"))
    assert [c.response_metadata.get("finish_reason") for c in chunks[-2:]] == ["length", None]
    assert functools.reduce(operator.add, chunks).response_metadata["finish_reason"] == "length"
    assert chat_model(server).invoke("写一句话。").response_metadata["finish_reason"] == "length"


def test_chat_openai_cut_stream_ends_without_finish_reason(server: ScriptedLLMServer) -> None:
    server.script(Reply(chunks=["一", "二", "三", "四"], cut_after=2))
    chunks = list(chat_model(server).stream("写一句话。"))  # observed: no exception
    assert "".join(c.content for c in chunks) == "一二"
    assert all("finish_reason" not in c.response_metadata for c in chunks)
    assert "finish_reason" not in functools.reduce(operator.add, chunks).response_metadata


def test_chat_openai_stream_usage(server: ScriptedLLMServer) -> None:
    chunks = list(chat_model(server, stream_usage=True).stream("写一句话。"))
    assert server.requests[0]["stream_options"] == {"include_usage": True}
    usage = functools.reduce(operator.add, chunks).usage_metadata
    assert usage is not None and usage["output_tokens"] == len("好的。")


@pytest.mark.parametrize(("reply", "exc_type"), [
    (Reply(status=401), openai.AuthenticationError),
    (Reply(status=429, headers={"Retry-After": "7"}), openai.RateLimitError),
    (Reply(status=500), openai.InternalServerError),
    (Reply(hang=10), openai.APITimeoutError),
])
def test_chat_openai_errors_are_openai_exceptions(server: ScriptedLLMServer, reply: Reply,
                                                  exc_type: type[Exception]) -> None:
    server.script(reply)
    with pytest.raises(exc_type):  # langchain-openai re-raises subclasses of the SDK's exceptions
        list(chat_model(server, timeout=0.3).stream("写一句话。"))


def test_chat_openai_wrong_model(server: ScriptedLLMServer) -> None:
    with pytest.raises(openai.NotFoundError):
        chat_model(server, model="qwen-max").invoke("写一句话。")


# --- command line ---------------------------------------------------------------------------


def test_runs_as_a_script() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    script = Path(__file__).parents[1] / "llm_server.py"
    proc = subprocess.Popen([sys.executable, str(script), "--port", str(port), "--text", "脚本回答"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert f"http://127.0.0.1:{port}/v1" in (proc.stdout.readline() if proc.stdout else "")
        with openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="x", max_retries=0, timeout=5) as c:
            assert "".join(ch.choices[0].delta.content or "" for ch in stream(c)) == "脚本回答"
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=5)
    assert proc.returncode == 0
