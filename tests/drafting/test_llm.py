"""The LLM client against a real HTTP OpenAI-compatible server on 127.0.0.1 (scripted answers):
streaming, errors, retries, timeouts and truncated answers."""

import time

import pytest
from llm_server import Reply, ScriptedLLMServer

from assistant.drafting import CONTINUE_PROMPT, LLMClient
from assistant.errors import LLMError
from tests.conftest import free_port


@pytest.fixture()
def server():
    with ScriptedLLMServer() as srv:
        yield srv


def client(url, **kw):
    kw.setdefault("timeout", 5)
    kw.setdefault("max_retries", 2)
    return LLMClient(url, "test-model", "sk-test", **kw)


def test_streamed_answer_arrives_in_pieces(server):
    server.script(Reply(text="一、2024年主要举措和成效", chunks=["一、", "2024年", "主要举措", "和成效"]))
    pieces = []
    result = client(server.url).complete([{"role": "user", "content": "写"}], on_token=pieces.append)
    assert pieces == ["一、", "2024年", "主要举措", "和成效"]
    assert result.text == "一、2024年主要举措和成效" and result.finish_reason == "stop"
    assert server.requests[0]["stream"] is True
    assert server.requests[0]["messages"] == [{"role": "user", "content": "写"}]


def test_slow_first_token_within_the_timeout(server):
    server.script(Reply(text="好的", first_token_delay=0.6))
    result = client(server.url, timeout=3).complete([{"role": "user", "content": "x"}])
    assert result.text == "好的" and result.first_token_s >= 0.6


@pytest.mark.parametrize("status,words,hint", [(401, "API 密钥无效", "OPENAI_API_KEY"), (400, "不接受这个请求", "缩小")])
def test_client_errors_are_not_retried(server, status, words, hint):
    server.script(Reply(status=status))
    with pytest.raises(LLMError) as info:
        client(server.url).complete([{"role": "user", "content": "x"}])
    assert words in info.value.zh and hint in info.value.hint_zh and info.value.en
    assert len(server.requests) == 1


def test_unknown_model_is_404(server):
    with pytest.raises(LLMError) as info:
        LLMClient(server.url, "no-such-model", "k", timeout=5).complete([{"role": "user", "content": "x"}])
    assert info.value.status == 404 and "ASSISTANT_LLM_MODEL" in info.value.hint_zh


def test_429_waits_for_retry_after_then_succeeds(server):
    server.script(Reply(status=429, headers={"Retry-After": "1"}), Reply(text="成功"))
    notes = []
    started = time.monotonic()
    result = client(server.url).complete([{"role": "user", "content": "x"}], on_status=notes.append)
    assert result.text == "成功" and result.retries == 1
    assert time.monotonic() - started >= 1.0
    assert len(notes) == 1 and "429" in notes[0] and "1秒后第1次重试" in notes[0]


def test_500_retried_then_reported(server):
    server.script(Reply(status=500), Reply(status=500), Reply(status=500))
    with pytest.raises(LLMError) as info:
        client(server.url, max_retries=2, max_retry_wait=0.1).complete([{"role": "user", "content": "x"}])
    assert "内部错误（500）" in info.value.zh and len(server.requests) == 3


def test_connection_refused():
    with pytest.raises(LLMError) as info:
        client(f"http://127.0.0.1:{free_port()}/v1", max_retries=1, max_retry_wait=0.1).complete(
            [{"role": "user", "content": "x"}])
    assert "连接不上大模型服务" in info.value.zh and "离线起草" in info.value.hint_zh


def test_timeout_is_reported(server):
    server.script(Reply(hang=3), Reply(hang=3))
    with pytest.raises(LLMError) as info:
        client(server.url, timeout=0.5, max_retries=1, max_retry_wait=0.1).complete([{"role": "user", "content": "x"}])
    assert "超时" in info.value.zh and len(server.requests) == 2


def test_length_cut_is_continued(server):
    server.script(Reply(text="一、主要举措。（一）依法", finish_reason="length"), Reply(text="全面履行政府职能。"))
    notes = []
    result = client(server.url).complete([{"role": "user", "content": "写第一部分"}], on_status=notes.append)
    assert result.text == "一、主要举措。（一）依法全面履行政府职能。"
    assert result.continuations == 1 and not result.truncated
    follow_up = server.requests[1]["messages"]
    assert follow_up[-2] == {"role": "assistant", "content": "一、主要举措。（一）依法"}
    assert follow_up[-1]["content"] == CONTINUE_PROMPT
    assert "长度限制" in notes[0]


def test_still_cut_after_every_continuation_is_reported(server):
    server.script(*[Reply(text=f"第{n}段", finish_reason="length") for n in range(3)])
    result = client(server.url, max_continuations=2).complete([{"role": "user", "content": "x"}])
    assert result.truncated and result.text == "第0段第1段第2段"
    assert "仍未写完" in result.notes[-1]


def test_stream_cut_without_finish_reason_is_continued(server):
    server.script(Reply(text="一二三四五六", chunks=["一二", "三四", "五六"], cut_after=2), Reply(text="五六。"))
    result = client(server.url).complete([{"role": "user", "content": "x"}])
    assert result.text == "一二三四五六。" and result.continuations == 1


def test_partial_text_kept_when_the_endpoint_dies(server):
    server.script(Reply(text="已经写好的部分", chunks=["已经写好", "的部分"], cut_after=1),
                  Reply(status=500), Reply(status=500))
    with pytest.raises(LLMError) as info:
        client(server.url, max_retries=1, max_retry_wait=0.1).complete([{"role": "user", "content": "x"}])
    assert info.value.partial_text == "已经写好"


def test_stream_generator(server):
    server.script(Reply(text="甲乙丙", chunks=["甲", "乙", "丙"]))
    llm = client(server.url)
    assert list(llm.stream([{"role": "user", "content": "x"}])) == ["甲", "乙", "丙"]
    assert llm.last_result.text == "甲乙丙"


def test_max_tokens_is_sent_as_max_tokens(server):
    client(server.url, max_tokens=3000).complete([{"role": "user", "content": "x"}])
    client(server.url).complete([{"role": "user", "content": "x"}])
    assert server.requests[0]["max_tokens"] == 3000 and "max_completion_tokens" not in server.requests[0]
    assert "max_tokens" not in server.requests[1]


def test_malformed_stream_is_retried_then_answered(server):
    server.script(Reply(text="半截", malformed_after=0), Reply(text="正常的回答"))
    notes = []
    result = client(server.url, max_retry_wait=0.1).complete([{"role": "user", "content": "x"}], on_status=notes.append)
    assert result.text == "正常的回答" and result.retries == 1 and len(server.requests) == 2
    assert "数据格式不对" in notes[0]


def test_malformed_stream_every_time_is_a_clear_bilingual_error(server):
    server.script(*[Reply(text="x", malformed_after=0)] * 3)
    with pytest.raises(LLMError) as info:
        client(server.url, max_retries=2, max_retry_wait=0.1).complete([{"role": "user", "content": "x"}])
    assert "数据格式不对" in info.value.zh and "malformed stream" in info.value.en and info.value.hint_zh
    assert len(server.requests) == 3


def test_malformed_stream_after_some_text_keeps_it_and_continues(server):
    server.script(Reply(chunks=["一、主要举措", "。（一）依法"], malformed_after=1), Reply(text="行政。"))
    result = client(server.url).complete([{"role": "user", "content": "x"}])
    assert result.text == "一、主要举措行政。" and result.continuations == 1


def test_empty_answer_is_retried_then_reported(server):
    server.script(Reply(text=""), Reply(text="  \n"), Reply(text=""))
    with pytest.raises(LLMError) as info:
        client(server.url, max_retries=2, max_retry_wait=0.1).complete([{"role": "user", "content": "x"}])
    assert "空回答" in info.value.zh and "empty answer" in info.value.en and len(server.requests) == 3
    server.script(Reply(text=""), Reply(text="第二次有了"))
    assert client(server.url, max_retry_wait=0.1).complete([{"role": "user", "content": "x"}]).text == "第二次有了"


def test_a_continuation_that_restarts_is_aligned_on_what_was_written(server):
    whole = "二、存在的不足和原因\n一是法治意识有待提高，究其原因，学习停留在表面；二是人才较少，究其原因，编制不足。"
    server.script(Reply(text=whole[:40], finish_reason="length"), Reply(text=whole))
    result = client(server.url).complete([{"role": "user", "content": "x"}])
    assert result.text == whole and not result.truncated
    assert any("从头重写" in n for n in result.notes)


def test_a_continuation_that_repeats_the_end_is_trimmed(server):
    server.script(Reply(text="一是法治意识有待提高，究其原因", finish_reason="length"),
                  Reply(text="有待提高，究其原因，学习停留在表面。"))
    result = client(server.url).complete([{"role": "user", "content": "x"}])
    assert result.text == "一是法治意识有待提高，究其原因，学习停留在表面。"
    assert any("重复了已写的结尾" in n for n in result.notes)


def test_merge_continuation():
    from assistant.drafting import merge_continuation

    assert merge_continuation("一、标题\n正文甲乙丙", "丁戊。") == ("一、标题\n正文甲乙丙丁戊。", None)
    # a restart that says no more than before is not taken
    assert merge_continuation("一、标题\n正文甲乙丙丁戊", "一、标题\n正文甲")[0] == "一、标题\n正文甲乙丙丁戊"
    # a restart rewritten in other words, longer: the rewrite is the answer
    text, note = merge_continuation("一、标题\n正文甲乙丙", "一、标题\n另一种写法的完整正文，比原来的长。")
    assert text == "一、标题\n另一种写法的完整正文，比原来的长。" and "改用" in note
