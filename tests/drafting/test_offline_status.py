"""The offline draft says what it cannot know (issue 13): parts taken over from last year's report
are marked as carried over in the text and named in the draft's status, parts shorter than the
outline's minimum are named with their length, and every part has the official heading."""

from __future__ import annotations

import pytest
import yaml

from assistant.drafting import DraftingService
from assistant.inputs import load_inputs, load_inputs_text
from assistant.knowledge import ingest_paths
from tests.conftest import ROOT, SEED_REPORT

NEXT_YEAR = ROOT / "corpus" / "inputs" / "hunchun-2024-sample.yaml"
OFFICIAL_THREE = "三、2024年党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况"


@pytest.fixture()
def seeded(workspace):
    ingest_paths(workspace.kb, [SEED_REPORT], embed=False)
    return workspace


def without_notes_for(parts: tuple[str, ...]):
    data = yaml.safe_load(NEXT_YEAR.read_text(encoding="utf-8"))
    data["notes"] = [n for n in data.get("notes", []) if not str(n["section"]).startswith(parts)]
    return load_inputs_text(yaml.safe_dump(data, allow_unicode=True))


def test_parts_taken_over_from_last_year_are_marked_and_named(seeded):
    draft = DraftingService(seeded, without_notes_for(("二", "三", "四"))).draft("all", offline=True)
    mark = "〔待核实：沿用2023年报告原文，请按2024年情况改写〕"
    lines = draft.text.split("\n")
    for head in ("二、", "三、", "四、"):
        body = lines[next(i for i, ln in enumerate(lines) if ln.startswith(head)) + 1]
        assert body.endswith(mark), body[-60:]
    assert draft.text.count(mark) == 3 and mark not in draft.text.split("二、")[0]  # part 一 is not
    assert any(n.startswith("第二部分、第三部分、第四部分沿用了2023年报告的原文") for n in draft.notes)
    marks = [f for f in draft.findings if f.kind == "draft_mark" and "沿用2023年报告原文" in f.text]
    assert len(marks) == 3 and all(f.severity == "error" for f in marks)


def test_this_years_notes_leave_no_mark_and_short_parts_are_said(seeded):
    draft = DraftingService(seeded, load_inputs(NEXT_YEAR)).draft("all", offline=True)
    assert "沿用" not in draft.text
    short = [n for n in draft.notes if "提纲要求不少于" in n]
    assert [n[:4] for n in short if "300 字" in n] == ["第二部分", "第三部分", "第四部分"]
    two = next(n for n in short if n.startswith("第二部分"))
    body = draft.text.split("二、")[1].split("三、")[0].split("\n", 1)[1]
    assert f"只有 {len(''.join(body.split()))} 字" in two


def test_every_part_has_the_official_heading(seeded):
    for inputs in (load_inputs(NEXT_YEAR), without_notes_for(("二", "三", "四"))):
        text = DraftingService(seeded, inputs).draft("all", offline=True).text
        heads = [ln for ln in text.split("\n") if ln[:2] in ("一、", "二、", "三、", "四、")]
        assert heads == ["一、2024年推进法治政府建设的主要举措和成效", "二、2024年推进法治政府建设存在的不足和原因",
                         OFFICIAL_THREE, "四、2025年推进法治政府建设的主要安排"]
    one = DraftingService(seeded, without_notes_for(("三",))).draft("三", offline=True)
    assert one.text.startswith(OFFICIAL_THREE + "\n") and one.text.count("〔待核实：沿用2023年报告原文") == 1


def test_draft_out_docx_has_a_comment_for_every_finding(tmp_path):
    import subprocess
    import sys

    import docx

    env = {"ASSISTANT_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "assistant", "ingest", str(SEED_REPORT), "--no-embed"], cwd=ROOT, env=env,
                   capture_output=True, timeout=300, check=True)
    out = tmp_path / "草稿.docx"
    result = subprocess.run([sys.executable, "-m", "assistant", "draft", "--inputs", str(NEXT_YEAR), "--offline",
                             "--out", str(out)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr
    import re

    from assistant.checks import KIND_ZH

    kinds = re.findall(r"^\d+:\d+: (?:错误|警告|提示) \[(\w+)\]", result.stderr, re.M)
    kinds = [k for k in kinds if k != "draft_mark"]  # a mark has its own comment (待补：…)
    comments = [c.text for c in docx.Document(str(out)).comments]
    notes = [part for c in comments for part in re.findall(r"【[^】]+】", c)]
    assert kinds and len(notes) == len(kinds)  # one note per finding, several on one place in one comment
    assert sorted(n.split("·")[1].rstrip("】") for n in notes) == sorted(KIND_ZH[k] for k in kinds)
    assert any(c.startswith("【提示·无法核对的文件】《珲春市") for c in comments)
