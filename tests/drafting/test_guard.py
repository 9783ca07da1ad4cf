"""The drafting stage's pure parts: the final guard, the answer's clean-up and the figure tags."""

from pathlib import Path

import pytest

from assistant.checks import CheckContext, Finding, find_marks, run_checks
from assistant.drafting import (carry_spans, ensure_heading, guard_text, guard_until_clean, render_tags,
                                strip_trailing_chatter, tag_figures, unmarked)
from assistant.inputs import load_inputs
from assistant.registry import Registry
from tests.conftest import ROOT, SEED_REPORT

REGISTRY = ROOT / "corpus" / "regulations" / "registry.yaml"
NEXT_YEAR = ROOT / "corpus" / "inputs" / "hunchun-2024-sample.yaml"
SUBSECTION = ("(六)依法有效化解社会矛盾纠纷\n"
              "1.加强行政复议工作。2023年我市行政复议机关受理行政复议案件16件，已审结19件。"
              "全年共开展法治宣传活动137场次。共排查各类风险隐患300件，化解270件，化解率95%。"
              "严格落实《法治政府建设实施纲要（2015—2020年）》，依据《中华人民共和国行政复议法》第九十五条第二款的规定，"
              "认真贯彻《优化营商环境暂行条例》。")


@pytest.fixture(scope="module")
def ctx():
    return CheckContext(inputs=load_inputs(NEXT_YEAR), registry=Registry.load(REGISTRY))


def check(ctx, text, spans=None):
    return run_checks(text, CheckContext(inputs=ctx.inputs, registry=ctx.registry, figure_spans=spans), scope="section")


def test_sure_numbers_are_replaced_everything_else_is_marked_where_it_stands(ctx):
    findings = check(ctx, SUBSECTION)
    result = guard_text(SUBSECTION, findings)
    text = result.text
    assert [(r["found"], r["now"], r["figure_id"]) for r in result.replaced] == [("16件", "21件", "review.accepted")]
    assert "受理行政复议案件21件，已审结19件" in text
    assert "2023年〔待核实：年份应为2024年" in text
    assert "137场次〔待核实：本年度统计数据中没有这个数〕" in text
    assert "化解率95%〔待核实：" in text
    # a citation's mark follows the whole title, its version and its articles
    assert "《法治政府建设实施纲要（2015—2020年）》〔待核实：该文件已失效或已修改，现行为《法治政府建设实施纲要（2021—2025年）》〕" in text
    assert "第九十五条第二款〔待核实：《中华人民共和国行政复议法》共90条，没有第九十五条第二款〕" in text
    assert "《优化营商环境暂行条例》〔待核实：文件名称有误，是否为《优化营商环境条例》〕" in text
    assert all(text[m["start"]:m["end"]] == m["mark"] for m in result.marked)
    assert all(text[r["start"]:r["end"]] == r["now"] for r in result.replaced)
    assert result.spans == [(text.index("21件"), text.index("21件") + 3, "review.accepted")]
    # what is left: every fact finding carries its mark
    assert unmarked(text, check(ctx, text, result.spans)) == []


def test_guarding_twice_changes_nothing(ctx):
    once, findings = guard_until_clean(SUBSECTION, lambda t, sp: check(ctx, t, sp))
    again = guard_text(once.text, findings, once.spans)
    assert not again.changed and again.text == once.text
    assert unmarked(once.text, findings) == []


def test_a_number_from_another_figures_tag_is_marked_not_replaced(ctx):
    """The tag says 行政复议已审结 (19件), the words say 受理: the two disagree, so nobody is sure."""
    text = "1.加强行政复议工作。全市行政复议机关受理行政复议案件19件。"
    at = text.index("19件")
    spans = [(at, at + 3, "review.closed")]
    findings = check(ctx, text, spans)
    assert [(f.kind, f.figure_id) for f in findings] == [("figure_mismatch", "review.accepted")]
    result = guard_text(text, findings, spans)
    assert not result.replaced and "19件〔待核实：与统计数据不符，统计为21件〕" in result.text


def test_a_tag_rendered_number_is_never_unsupported(ctx):
    text = "1.加强行政复议工作。受理21件。"
    at = text.index("21件")
    assert [f.kind for f in check(ctx, text)] == ["figure_unsupported"]  # by words alone, "受理" names nothing
    assert check(ctx, text, [(at, at + 3, "review.accepted")]) == []


def test_any_kind_the_checks_add_later_is_marked_and_outline_findings_are_not():
    text = "严格执行《优化营商环境条例》（国务院令第724号）。\n一、主要举措"
    title_end = text.index("》") + 1
    findings = [Finding("citation_kind_added_later", "warning", text.index("《"), title_end, "《优化营商环境条例》",
                        "某项新检查", suggestion="改为“国务院令第722号”"),
                Finding("outline_missing_part", "error", 0, 3, "严格执", "缺少第二部分"),
                Finding("citation_unverified", "info", 4, 8, "优化营商", "无法核对")]
    result = guard_text(text, findings)
    assert result.text == ("严格执行《优化营商环境条例》（国务院令第724号）〔待核实：citation_kind_added_later（改为“国务院令第722号”）〕。"
                           "\n一、主要举措")
    assert len(find_marks(result.text)) == 1


def test_a_document_number_that_contradicts_the_registry_is_marked(ctx):
    """The registry has 国务院令第722号 for 《优化营商环境条例》: a draft saying 第724号 is marked where it stands."""
    text = "1.优化营商环境。严格执行《优化营商环境条例》（国务院令第724号），持续深化“放管服”改革。"
    findings = check(ctx, text)
    assert [f.kind for f in findings] == ["citation_number_mismatch"]
    result, left = guard_until_clean(text, lambda t, spans: check(ctx, t, spans))
    assert [f.kind for f in left] == ["draft_mark"]
    assert "国务院令第724号" in result.text and len(find_marks(result.text)) == 1
    mark = find_marks(result.text)[0]
    assert "722" in result.text[mark.start:mark.end]


def test_a_derived_rate_is_never_replaced_by_a_guess():
    text = "受理网上申请9件，受理复议案件21件，网上申请占比62%。"
    f = Finding("figure_derived_mismatch", "error", text.index("62%"), text.index("62%") + 3, "62%", "按前文计算应为43%",
                expected="43%", suggestion="改为“43%”")
    result = guard_text(text, [f])
    assert not result.replaced and "62%〔待核实：与前后数字推算的结果不符，请核对来源〕" in result.text


# -- clean-up -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("tail", ["以上内容供参考，如需调整请告诉我。", "\n\n以上内容仅供参考。", "\n---\n如有需要，我可以进一步修改。",
                                  "希望对您有帮助！", "\n（注：文中数据为示例，请根据实际情况修改。）", "\n**说明**：以上数据请核实。"])
def test_trailing_chatter_is_removed(tail):
    body = "四、2025年推进法治政府建设的主要安排\n一是完善制度；二是加强培训。"
    assert strip_trailing_chatter(body + tail) == body
    assert ensure_heading(body + tail, "四、2025年推进法治政府建设的主要安排") == body


def test_a_reports_own_last_words_are_not_chatter():
    text = SEED_REPORT.read_text(encoding="utf-8").strip()
    assert strip_trailing_chatter(text) == text
    closing = "四、安排\n全力推动法治政府建设工作迈上新台阶，为建设法治政府作出新的更大贡献。如有未尽事宜另行报告。"
    assert strip_trailing_chatter(closing) == closing


# -- figure tags ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def inputs():
    return load_inputs(NEXT_YEAR)


def test_tags_are_rendered_in_the_reports_style(inputs):
    figures = [{"id": i} for i in ("review.accepted", "mediation.screenings", "mediation.rate", "enterprise.visits")]
    tags = tag_figures(figures)
    assert [f["tag"] for f in figures] == ["数1", "数2", "数3", "数4"]
    text = "受理〔数1〕，开展排查〔数2〕，成功率〔数3〕，走访企业约〔数4〕，又〔数1〕件，另有【数 1】和〔数9〕。"
    rendered = render_tags(text, tags, inputs)
    assert rendered.text.startswith("受理21件，开展排查6100余次，成功率97%，走访企业约210次，又21件，另有21件和〔待核实：")
    assert rendered.unknown == ["〔数9〕"] and rendered.rendered == 6
    assert [(rendered.text[s:e], fid) for s, e, fid in rendered.spans] == [
        ("21件", "review.accepted"), ("6100余次", "mediation.screenings"), ("97%", "mediation.rate"),
        ("210次", "enterprise.visits"), ("21件", "review.accepted"), ("21件", "review.accepted")]
    assert render_tags("没有标记", tags, inputs).text == "没有标记"


def test_tags_write_an_approximate_figure_in_its_own_direction_and_unit():
    from assistant.inputs import load_inputs_text

    approx = load_inputs_text("""
report: {region: 某县, year: 2024}
figures:
  - {id: a, label: 参与法治宣传群众, value: 3, unit: 万人次, approx: 余}
  - {id: b, label: 办理行政复议案件, value: 50, unit: 件, approx: 近}
  - {id: c, label: 群众满意率, value: 95, unit: "%", approx: 以上}
""")
    tags = tag_figures([{"id": "a"}, {"id": "b"}, {"id": "c"}])
    text = "参与群众〔数1〕，办理〔数2〕件，满意率〔数3〕，另有约〔数2〕件。"
    rendered = render_tags(text, tags, approx)
    assert rendered.text == "参与群众3万余人次，办理近50件，满意率95%以上，另有约50件。"
    assert [rendered.text[s:e] for s, e, _ in rendered.spans] == ["3万余人次", "近50件", "95%以上", "50"]


def test_spans_follow_an_edit_only_where_the_sentence_is_unchanged():
    old = "一是受理21件。二是审结19件。三是调解9件。"
    spans = [(4, 7, "review.accepted"), (12, 15, "review.closed"), (20, 22, "review.mediated")]
    new = "前言一句。一是受理21件。二是审结了20件。三是调解9件。"
    moved = carry_spans(old, new, spans)
    assert [(new[s:e], fid) for s, e, fid in moved] == [("21件", "review.accepted"), ("9件", "review.mediated")]
    assert carry_spans(old, old, spans) == spans and carry_spans(old, new, []) == []


def test_guard_on_a_whole_year_old_report_is_fast_enough_to_run_always(ctx):
    """Not a timing assertion (benchmarks/ measures it): the guard of a whole report leaves nothing
    unmarked and its marks are all of the checker's findings."""
    text = Path(SEED_REPORT).read_text(encoding="utf-8")
    result, findings = guard_until_clean(text, lambda t, sp: run_checks(
        t, CheckContext(inputs=ctx.inputs, registry=ctx.registry, figure_spans=sp), scope="report"))
    assert result.replaced and unmarked(result.text, findings) == []
