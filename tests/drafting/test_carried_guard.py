"""A model that hands in last year's text as this year's (issue 13): with last year's report in the
knowledge base, the copied passage is sent back for repair and, if the model keeps it, marked by
the final guard where it stands."""

from __future__ import annotations

import pytest
from llm_server import Reply, ScriptedLLMServer

from assistant.drafting import DraftingService
from assistant.inputs import load_inputs
from assistant.knowledge import ingest_paths
from tests.conftest import ROOT, SEED_REPORT

NEXT_YEAR = ROOT / "corpus" / "inputs" / "hunchun-2024-sample.yaml"
SEED = SEED_REPORT.read_text(encoding="utf-8")
COPIED = ("二、2024年推进法治政府建设存在的不足和原因\n"
          + SEED[SEED.index("2023年,我市法治政府建设虽然"):SEED.index("\n三、")].replace("2023年", "2024年"))


@pytest.fixture()
def llm_workspace(workspace, monkeypatch):
    from assistant.settings import Settings
    from assistant.workspace import Workspace

    ingest_paths(workspace.kb, [SEED_REPORT], embed=False)
    with ScriptedLLMServer() as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("ASSISTANT_LLM_MODEL", "test-model")
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        monkeypatch.setenv("ASSISTANT_LLM_TIMEOUT", "5")
        ws = Workspace(Settings(_env_file=None))
        ws.__dict__["kb"] = workspace.kb
        ws.server = server
        yield ws


def test_last_years_problems_copied_by_the_model_are_sent_back_then_marked(llm_workspace):
    llm_workspace.server.script(Reply(text=COPIED), Reply(text=COPIED))
    draft = DraftingService(llm_workspace, load_inputs(NEXT_YEAR)).draft("二")
    repair = llm_workspace.server.requests[1]["messages"][-1]["content"]
    assert "逐字相同" in repair
    assert draft.text.endswith("法治队伍建设仍有待提升。〔待核实：与上年报告相同（按本年度情况改写）〕"), draft.text[-80:]
    assert any(f.kind == "carried_over" for f in draft.findings)


def test_this_years_own_problems_pass(llm_workspace):
    own = ("二、2024年推进法治政府建设存在的不足和原因\n一是基层执法队伍中年轻同志占比超过六成，执法经验不足，究其原因，"
           "近两年新招录人员集中到岗，岗前培训跟不上；二是行政复议案件集中在征地拆迁领域，究其原因，源头治理还不到位。")
    llm_workspace.server.script(Reply(text=own))
    draft = DraftingService(llm_workspace, load_inputs(NEXT_YEAR)).draft("二")
    assert draft.text == own and not [f for f in draft.findings if f.kind == "carried_over"]
