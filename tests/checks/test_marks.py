"""Marks in a draft (〔待核实：…〕〔未写完〕〔待补：…〕〔待更新〕) are findings of their own, and their
words are never read as a statistic or a citation; the report's year where a sentence sets its
time frame."""

from pathlib import Path

import pytest

from assistant.checks import CheckContext, find_marks, make_mark, mask_marks, run_checks
from assistant.inputs import load_inputs
from assistant.registry import Registry
from tests.conftest import ROOT, SEED_REPORT, SHARED

REGISTRY = ROOT / "corpus" / "regulations" / "registry.yaml"
NEXT_YEAR = ROOT / "corpus" / "inputs" / "hunchun-2024-sample.yaml"


@pytest.fixture(scope="module")
def registry():
    return Registry.load(REGISTRY)


def test_every_mark_is_found_with_its_kind_and_note():
    text = "受理21件〔待核实：统计为19件〕，〔待补：调解案件数〕件；设施设备〔待更新〕台。全市〔未写完〕"
    marks = find_marks(text)
    assert [(m.kind, m.note) for m in marks] == [("待核实", "统计为19件"), ("待补", "调解案件数"), ("待更新", ""),
                                                 ("未写完", "")]
    assert [text[m.start:m.end] for m in marks] == ["〔待核实：统计为19件〕", "〔待补：调解案件数〕", "〔待更新〕", "〔未写完〕"]
    assert find_marks("〔一〕〔待定〕（待核实）") == []  # only our four words, only in 〔〕


def test_a_note_cannot_end_its_mark_early():
    mark = make_mark("待核实", "《行政复议法》〔2023〕修订\n见第三条")
    assert mark == "〔待核实：《行政复议法》（2023）修订 见第三条〕"
    assert [m.note for m in find_marks("x" + mark + "y")] == ["《行政复议法》（2023）修订 见第三条"]
    with pytest.raises(ValueError):
        make_mark("待定")


def test_mask_keeps_offsets():
    text = "受理21件〔待核实：统计为19件〕。"
    masked = mask_marks(text)
    assert len(masked) == len(text) and masked.startswith("受理21件") and "19" not in masked
    assert mask_marks("没有标记的文字") == "没有标记的文字"


def test_marks_are_findings_with_their_severity(registry):
    text = "二、存在的不足和原因\n一是〔待补：问题〕，究其原因，〔待核实：原因不明〕；二是人才较少，〔待更新〕名；〔未写完〕"
    findings = [f for f in run_checks(text, CheckContext(registry=registry), scope="section") if f.kind == "draft_mark"]
    assert [(f.details["mark"], f.severity) for f in findings] == [
        ("待补", "warning"), ("待核实", "error"), ("待更新", "warning"), ("未写完", "error")]
    assert all(text[f.start:f.end] == f.text for f in findings)
    assert "原因不明" in findings[1].message and "删去" in findings[1].message


def test_mark_text_is_never_read_as_a_statistic_or_a_citation(registry, seed_inputs):
    """A mark says what is wrong, with numbers, titles and article numbers in it: none of them is a
    statistic of the report or a citation of it."""
    text = ("(六)依法有效化解社会矛盾纠纷\n1.预防和化解矛盾纠纷。全市人民调解委员会共受理人民调解案件数416件"
            "〔待核实：统计为461件，按《中华人民共和国行政复议法》第九十五条（共90条）、《优化营商环境暂行条例》核对；"
            "调解成功率77%，2019年以来〕，成功化解408件。")
    findings = run_checks(text, CheckContext(inputs=seed_inputs, registry=registry), scope="section")
    assert [(f.kind, f.text) for f in findings if f.kind != "draft_mark"] == [("punctuation_halfwidth", "(六)")]  # the heading's
    assert [f.kind for f in findings if f.kind != "punctuation_halfwidth"] == ["draft_mark"]
    # the same words outside a mark are read and checked
    bare = text.replace("〔待核实：", "").replace("2019年以来〕", "2019年以来")
    kinds = {f.kind for f in run_checks(bare, CheckContext(inputs=seed_inputs, registry=registry), scope="section")}
    assert {"figure_unsupported", "citation_article_missing", "citation_unknown"} <= kinds


def test_last_years_year_where_the_sentence_sets_its_frame(registry):
    inputs = load_inputs(NEXT_YEAR)  # a 2024 report (the year drafting passes)
    text = SEED_REPORT.read_text(encoding="utf-8")  # 2023's text as it stands
    found = [(f.text, f.expected, text[f.end:f.end + 2]) for f in
             run_checks(text, CheckContext(inputs=inputs, registry=registry, year=2024), scope="report")
             if f.kind == "year_mismatch"]
    assert found == [("2023年", "2024年", ",珲"), ("2023年", "2024年", "推进"), ("2023年", "2024年", "我市"),
                     ("2023年", "2024年", ",我"), ("2024年", "2025年", "度推"), ("2024年", "2025年", ",我")]
    # checked with no year given, the text is read as the 2023 report it says it is: one finding, the inputs' year
    kinds = [f.kind for f in run_checks(text, CheckContext(inputs=inputs, registry=registry), scope="report")]
    assert "inputs_wrong_year" in kinds and "year_mismatch" not in kinds


@pytest.mark.parametrize("sentence", [
    "2023年以来，全市累计办理行政复议案件。", "较2023年增长。", "截至2023年底，全市共有。", "2023年6月，县政府开展清理。",
    "《法治政府建设实施纲要（2021—2025年）》明确要求。", "2021年至2023年，连续三年获评先进。",
])
def test_history_and_comparison_years_are_not_reported(registry, sentence):
    text = f"一、2024年推进法治政府建设的主要举措和成效\n{sentence}"
    findings = run_checks(text, CheckContext(registry=registry, year=2024), scope="section")
    assert [f for f in findings if f.kind == "year_mismatch"] == []


def test_the_plans_part_is_about_next_year(registry):
    text = "四、2025年推进法治政府建设的主要安排\n2025年，我市将重点做好以下工作：一是完善制度；二是加强培训。"
    assert [f for f in run_checks(text, CheckContext(registry=registry, year=2024), scope="section")
            if f.kind == "year_mismatch"] == []
    wrong = text.replace("2025年，", "2024年，")
    assert [(f.text, f.expected) for f in run_checks(wrong, CheckContext(registry=registry, year=2024), scope="section")
            if f.kind == "year_mismatch"] == [("2024年", "2025年")]


@pytest.mark.shared
def test_no_year_alarm_on_real_published_reports(registry):
    folder = SHARED / "corpus" / "reports-dev"
    files = sorted(folder.glob("*.txt")) if folder.exists() else []
    if not files:
        pytest.skip("needs ../shared/corpus/reports-dev (real published reports)")
    for path in files + sorted(Path(ROOT / "tests" / "data" / "reports").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert [f.text for f in run_checks(text, CheckContext(registry=registry)) if f.kind == "year_mismatch"] == [], path
