"""Text carried over from last year's report (issue 13): found part by part, sentence by sentence,
with the years put on one scale — and never on the phrases every report repeats, nor between two
different reports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant.checks import CheckContext, check_carried_over, run_checks
from assistant.inputs import load_inputs
from assistant.knowledge import read_document
from assistant.outline import load_outline
from assistant.report_tree import parse_report
from tests.conftest import ROOT, SEED_REPORT, SHARED

OUTLINE = load_outline()
INPUTS_2024 = ROOT / "corpus" / "inputs" / "hunchun-2024-sample.yaml"
SEED = SEED_REPORT.read_text(encoding="utf-8")
PROBLEMS_2023 = SEED[SEED.index("二、推进法治政府建设中存在的主要问题"):SEED.index("三、党政主要负责人")]


def copied_to_2024(text: str = SEED) -> str:
    """Last year's report with only its years moved on: what the offline drafter wrote before."""
    return text.replace("2024年2月27日", "2025年2月20日").replace("2024年", "2025年").replace("2023年", "2024年")


def carried(findings):
    return [f for f in findings if f.kind == "carried_over"]


def test_a_copied_report_is_found_part_by_part():
    text = copied_to_2024()
    found = carried(run_checks(text, CheckContext(outline=OUTLINE, previous=SEED), scope="report"))
    runs = [f for f in found if f.severity == "warning" and f.details["part"] >= 2]
    assert sorted(f.details["part"] for f in runs) == [2, 3, 4]
    two = next(f for f in runs if f.details["part"] == 2)
    assert two.text.startswith("2024年,我市法治政府建设虽然取得了一定成效") and two.text.endswith("仍有待提升。")
    assert "第二部分的文字逐字相同" in two.message and "2024年" in two.message
    # part 一 goes on from year to year: a note on its share, and (without inputs) its unchanged numbers
    note = next(f for f in found if f.severity == "info")
    assert note.details == {"part": 1, "share": 100, "previous": "2023年的报告"}
    same_numbers = [f for f in found if f.severity == "warning" and f.details["part"] == 1]
    assert any("调解成功率98%" in f.text and "连数字" in f.message for f in same_numbers)


def test_with_inputs_the_numbers_are_left_to_the_figure_check():
    inputs = load_inputs(INPUTS_2024)
    found = carried(run_checks(copied_to_2024(), CheckContext(inputs=inputs, outline=OUTLINE, previous=SEED)))
    assert not [f for f in found if f.details["part"] == 1 and f.severity == "warning"]
    assert sorted(f.details["part"] for f in found if f.severity == "warning") == [2, 3, 4]


def test_rewritten_parts_and_standard_phrases_are_not_carried_over():
    # this year's own problems, and the formulae every report repeats
    this_year = copied_to_2024().replace(PROBLEMS_2023.replace("2023年", "2024年"),
                                         "二、2024年推进法治政府建设存在的不足和原因\n2024年，我市法治政府建设取得了一定成效，"
                                         "但对照人民群众的期待，仍存在一些不足：一是基层执法队伍年轻同志占比超过六成，"
                                         "执法经验不足；二是行政复议案件集中在征地拆迁领域，源头治理还不到位。\n")
    found = carried(run_checks(this_year, CheckContext(outline=OUTLINE, previous=SEED)))
    assert 2 not in [f.details["part"] for f in found]
    # one standard sentence that stands in both is never a finding
    formula = "坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，全面贯彻落实党中央、国务院关于法治政府建设的决策部署。"
    last = "一、2023年推进法治政府建设的主要举措和成效\n" + formula + "全年受理行政复议案件16件。\n"
    now = "一、2024年推进法治政府建设的主要举措和成效\n" + formula + "全年受理行政复议案件21件，办结19件。\n"
    assert carried(run_checks(now, CheckContext(outline=OUTLINE, previous=last), scope="section")) == []


def test_the_same_year_or_no_previous_report_compares_nothing():
    assert carried(run_checks(SEED, CheckContext(outline=OUTLINE, previous=SEED))) == []
    assert carried(run_checks(copied_to_2024(), CheckContext(outline=OUTLINE))) == []


def test_a_look_up_gives_last_years_report_by_region_and_year():
    asked = []

    def lookup(region, year):
        asked.append((region, year))
        return SEED, "珲春市2023年法治政府建设年度报告"

    found = carried(run_checks(copied_to_2024(), CheckContext(outline=OUTLINE, previous_report=lookup)))
    assert asked == [("珲春市", 2024)]
    assert found and all(f.details["previous"] == "《珲春市2023年法治政府建设年度报告》" for f in found)


def _reports() -> dict[str, str]:
    files = sorted((ROOT / "tests" / "data" / "reports").glob("*.txt")) + [SEED_REPORT, ROOT / "tests" / "data" / "county-2024-report.txt"]
    dev = SHARED / "corpus" / "reports-dev"
    files += sorted(p for p in dev.glob("*.txt")) if dev.is_dir() else []
    return {p.name: read_document(p).text for p in files}


def test_no_report_is_carried_over_from_another():
    """Reports of other places share only standard phrases: compared as if one were the other's
    previous year, no sentence counts (the real openings of reports-dev too, when present)."""
    reports = _reports()
    assert len(reports) >= 10
    problems = []
    for a, text in reports.items():
        tree = parse_report(text, OUTLINE.classify_heading)
        for b, previous in reports.items():
            prev_year = parse_report(previous, OUTLINE.classify_heading).year
            if a == b or not prev_year:
                continue
            for f in check_carried_over(text, tree, previous, OUTLINE, prev_year + 1):
                problems.append(f"{a} ← {b}: {f.text[:40]}")
    assert problems == []


def test_check_finds_carried_over_text_when_last_years_report_is_in_the_knowledge_base(tmp_path):
    env = {"ASSISTANT_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "assistant", *map(str, args)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300)

    report = tmp_path / "珲春市2024年报告.txt"
    report.write_text(copied_to_2024(), encoding="utf-8")
    before = run("check", report, "--format", "json")
    assert "carried_over" not in before.stdout  # no previous report known: nothing to compare
    assert run("ingest", SEED_REPORT, "--no-embed").returncode == 0
    after = run("check", report, "--format", "json", "--inputs", INPUTS_2024)
    import json

    found = [f for f in json.loads(after.stdout)["findings"] if f["kind"] == "carried_over"]
    assert sorted(f["details"]["part"] for f in found if f["severity"] == "warning") == [2, 3, 4]
    assert all("《珲春市2023年法治政府建设年度报告》" in f["message"] for f in found)


@pytest.mark.parametrize("name", ["hexi-county-2024.txt"])
def test_a_report_of_another_region_in_the_knowledge_base_is_not_last_years(tmp_path, name):
    env = {"ASSISTANT_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "assistant", "ingest", str(SEED_REPORT), "--no-embed"], cwd=ROOT, env=env,
                   capture_output=True, timeout=300, check=True)
    path = Path(ROOT / "tests" / "data" / "reports" / name)
    out = subprocess.run([sys.executable, "-m", "assistant", "check", str(path), "--format", "json"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert "carried_over" not in out.stdout
