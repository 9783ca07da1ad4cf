"""`python -m assistant draft` as a user runs it, against the scripted OpenAI-compatible server on
127.0.0.1: a model that ignores every instruction, one that follows them, and faults. The output
file never states a wrong fact unmarked, the exit status and stderr say which parts need
attention, and what was received is written even when a request fails."""

from __future__ import annotations

import subprocess
import sys

import docx
import pytest
from llm_server import CONTINUE_MARK, ObedientModel, Reply, ScriptedLLMServer, SloppyModel, last_user, unmarked_plants

from assistant.inputs import load_inputs
from tests.conftest import ROOT

INPUTS = ROOT / "corpus" / "inputs" / "hunchun-2024-sample.yaml"


@pytest.fixture()
def server():
    with ScriptedLLMServer() as srv:
        yield srv


def run_draft(server, tmp_path, vector_cache, *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "ASSISTANT_DATA_DIR": str(tmp_path / "data"),
           "ASSISTANT_VECTOR_CACHE": str(vector_cache), "OPENAI_BASE_URL": server.url, "ASSISTANT_LLM_MODEL": "test-model",
           "OPENAI_API_KEY": "sk-test", "ASSISTANT_LLM_TIMEOUT": "10", "ASSISTANT_LLM_MAX_RETRIES": "1"}
    return subprocess.run([sys.executable, "-m", "assistant", "draft", "--inputs", str(INPUTS), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def docx_text(path) -> tuple[str, list[str]]:
    document = docx.Document(str(path))
    return "\n".join(p.text for p in document.paragraphs), [c.text for c in document.comments]


def test_a_sloppy_model_leaves_nothing_wrong_unmarked_in_the_file(server, tmp_path, vector_cache):
    model = SloppyModel()
    server.responder = model
    out = tmp_path / "报告.docx"
    result = run_draft(server, tmp_path, vector_cache, "--out", str(out))
    assert result.returncode == 1, result.stderr
    text, comments = docx_text(out)
    inputs = load_inputs(INPUTS)
    values = {format(inputs.value(f.id).normalize(), "f") for f in inputs.figures}
    found = unmarked_plants(text, model.planted, values)
    assert found["unmarked"] == [] and len(found["marked"]) >= 20, found["unmarked"]
    assert "以上内容供参考" not in text
    # every mark is a Word comment too
    marks = text.count("〔待核实") + text.count("〔未写完〕")
    assert marks >= 30 and sum(c.startswith(("待核实：", "未写完：")) for c in comments) == marks
    # which parts, and what, in Chinese and English
    assert "需要处理的部分：" in result.stderr and "Needs attention: part 一:" in result.stderr
    for part in ("第一部分", "第二部分", "第三部分", "第四部分"):
        assert part in result.stderr
    assert "Traceback" not in result.stderr


def test_an_obedient_model_ends_clean_and_exits_0(server, tmp_path, vector_cache):
    server.responder = ObedientModel(mistake=True)
    out = tmp_path / "报告.md"
    result = run_draft(server, tmp_path, vector_cache, "--out", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "〔" not in text and "需要处理" not in result.stderr
    assert "452件" in text and "6100余次" in text


@pytest.mark.parametrize("then,said", [
    (Reply(status=500), ("起草未完成", "Drafting did not finish", "500")),
    (Reply(status=401), ("起草未完成", "Drafting did not finish", "401")),
    (Reply(hang=30), ("起草未完成", "Drafting did not finish", "超时")),  # longer than ASSISTANT_LLM_TIMEOUT (10 s)
    # garbage after some text is a cut like any other: continued again, then left marked
    (Reply(chunks=["三是", "完善"], malformed_after=1), ("仍未写完", "〔未写完〕")),
], ids=["500", "401", "hang", "malformed"])
def test_a_stream_that_breaks_in_part_four_still_writes_what_it_has(server, tmp_path, vector_cache, then, said):
    """Part 四 is cut off, and its continuation fails (a server error, a refused key, a hang, a
    stream that turns to garbage): parts 一–三 and what part 四 had are written, marked."""
    obedient = ObedientModel()

    def respond(body):
        prompt = last_user(body)
        if "【本部分】四、" in prompt:
            return Reply(chunks=["四、2025年推进法治政府建设的主要安排\n", "一是坚持党对法治政府建设的领导。", "二是"], cut_after=2)
        if CONTINUE_MARK in prompt:
            return then
        return obedient(body)

    server.responder = respond
    out = tmp_path / "报告.docx"
    result = run_draft(server, tmp_path, vector_cache, "--section", "all", "--out", str(out))
    assert result.returncode == 1
    text, comments = docx_text(out)
    assert [line[:2] for line in text.split("\n") if line[:2] in ("一、", "二、", "三、", "四、")] == ["一、", "二、", "三、", "四、"]
    assert "一是坚持党对法治政府建设的领导。" in text and "〔未写完〕" in text and any(c.startswith("未写完") for c in comments)
    assert all(words in result.stdout + result.stderr for words in said), result.stdout + result.stderr
    assert "内部错误：" not in result.stderr and "Traceback" not in result.stderr  # the CLI's last-resort message


@pytest.mark.parametrize("reply,words", [(Reply(text="x", malformed_after=0), ("数据格式不对", "malformed stream")),
                                         (Reply(text=""), ("空回答", "empty answer"))])
def test_malformed_and_empty_answers_are_clear_errors(server, tmp_path, vector_cache, reply, words):
    server.default = reply
    out = tmp_path / "part2.md"
    result = run_draft(server, tmp_path, vector_cache, "--section", "二", "--out", str(out))
    assert result.returncode == 2 and not out.exists()
    assert words[0] in result.stderr and words[1] in result.stderr
    assert "内部错误：" not in result.stderr and "JSONDecodeError:" not in result.stderr
    assert len(server.requests) == 2  # retried once (ASSISTANT_LLM_MAX_RETRIES=1)
