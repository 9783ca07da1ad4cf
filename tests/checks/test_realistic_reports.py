"""Three realistic reports written for the tests (tests/data/reports), each with inputs covering
every statistic: the checks must stay silent on them (no error, no warning), and each error
planted in a copy must be found, at its place, and nothing else must appear."""

import pytest

from assistant.checks import check_citations, check_figures, check_outline
from assistant.inputs import load_inputs
from assistant.outline import load_outline
from assistant.registry import load_registry
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data" / "reports"
REPORTS = {"yunxi": "yunxi-county-2023", "jiangzhou": "jiangzhou-amr-2024", "qinglan": "qinglan-justice-2024"}


@pytest.fixture(scope="module")
def registry():
    shipped = ROOT / "corpus" / "regulations"  # the registry the app uses: national laws and the catalogue too
    return load_registry(shipped / "registry.yaml", None, shipped / "lawrefbook.json")


def all_findings(name: str, text: str, registry):
    inputs = load_inputs(DATA / f"{REPORTS[name]}.yaml")
    year = inputs.report.year
    return (check_figures(text, inputs) + check_citations(text, registry, year)
            + check_outline(text, load_outline(), year=year))


def read(name: str) -> str:
    return (DATA / f"{REPORTS[name]}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", REPORTS)
def test_a_correct_report_has_no_error_or_warning(name, registry):
    findings = all_findings(name, read(name), registry)
    assert [(f.kind, f.text) for f in findings if f.severity != "info"] == []


PLANTS = [
    # (report, original, planted, finding kind, severity)
    ("yunxi", "持证执法人员812名", "持证执法人员821名", "figure_mismatch", "error"),
    ("yunxi", "调解成功率98.8%", "调解成功率97.8%", "figure_derived_mismatch", "error"),
    ("yunxi", "比上年增长8.6%", "比上年增长9.6%", "figure_derived_mismatch", "error"),
    ("yunxi", "办理事项3600余件", "办理事项3500余件", "figure_mismatch", "error"),
    ("yunxi", "受众约1.5万人次", "受众约1.6万人次", "figure_mismatch", "error"),
    ("yunxi", "共清理规范性文件52件", "共清理规范性文件53件", "figure_derived_mismatch", "error"),
    ("yunxi", "选派两名业务骨干", "选派三名业务骨干", "figure_mismatch", "error"),
    ("yunxi", "随机抽查案卷240卷", "随机抽查案卷250卷", "figure_mismatch", "error"),
    ("yunxi", "《重大行政决策程序暂行条例》", "《重大行政决策程序条例》", "citation_unknown", "warning"),
    ("yunxi", "《中华人民共和国行政处罚法》第三十三条", "《中华人民共和国行政处罚法》第八十八条",
     "citation_article_missing", "error"),
    ("yunxi", "排查近5000次", "排查5000余次", "figure_mismatch", "error"),
    ("yunxi", "累计培训1050人次", "累计培训1050人", "figure_mismatch", "error"),  # 人 is not 人次
    ("yunxi", "对照《法治政府建设实施纲要（2021—2025年）》", "对照《法治政府建设实施纲要（2021—2035年）》",
     "citation_unknown", "warning"),
    ("jiangzhou", "第三十二条、第三十三条", "第三十二条、第九十三条", "citation_article_missing", "error"),
    ("jiangzhou", "其中企业12.3万户", "其中企业13.2万户", "figure_mismatch", "error"),
    ("jiangzhou", "同比下降12.6%", "同比增长12.6%", "figure_derived_mismatch", "error"),
    ("jiangzhou", "受理消费者投诉举报4.8万件", "受理消费者投诉举报48万件", "figure_mismatch", "error"),
    ("jiangzhou", "联合抽查占比38.5%", "联合抽查占比35.8%", "figure_derived_mismatch", "error"),
    ("jiangzhou", "仅占21.3%", "仅占12.3%", "figure_derived_mismatch", "error"),
    ("jiangzhou", "《公平竞争审查条例》", "《公平竞争审查暂行条例》", "citation_unknown", "warning"),
    ("jiangzhou", "同比分别增长7.4%和5.1%", "同比分别增长4.7%和5.1%", "figure_derived_mismatch", "error"),
    ("qinglan", "第三十三条，指导当事人", "第三十六条，指导当事人", "citation_article_missing", "error"),
    ("qinglan", "调解成功5769件", "调解成功5796件", "figure_mismatch", "error"),
    ("qinglan", "综合纠错率16.8%", "综合纠错率18.6%", "figure_derived_mismatch", "error"),
    ("qinglan", "较2023年的67件减少9件", "较2023年的67件减少8件", "figure_derived_mismatch", "error"),
    ("qinglan", "比上年下降2.3个百分点", "比上年上升2.3个百分点", "figure_derived_mismatch", "error"),
    # (《法律援助条例》 itself exists: a 2003 administrative regulation)
    ("qinglan", "《中华人民共和国法律援助法》", "《中华人民共和国法律援助规定》", "citation_unknown", "warning"),
    ("qinglan", "培训行政执法人员460余人次", "培训行政执法人员近460人次", "figure_mismatch", "error"),
    ("qinglan", "受援群众1418人次，", "受援群众1418人次，办理公证事项2350件，", "figure_unsupported", "warning"),
    ("qinglan", "同比增长8.3%", "同比增长3.8%", "figure_derived_mismatch", "error"),
    ("qinglan", "仅有1名工作人员的司法所有7个，占38.9%", "仅有1名工作人员的司法所有7个，占39.8%",
     "figure_derived_mismatch", "error"),
]


@pytest.mark.parametrize("name,original,planted,kind,severity", PLANTS)
def test_a_planted_error_is_found_at_its_place(name, original, planted, kind, severity, registry):
    text = read(name)
    assert text.count(original) == 1
    changed = text.replace(original, planted)
    findings = [f for f in all_findings(name, changed, registry) if f.severity != "info"]
    at = changed.index(planted)
    here = [f for f in findings if at <= f.start and f.end <= at + len(planted)]
    assert [(f.kind, f.severity) for f in here] == [(kind, severity)], [(f.kind, f.text) for f in findings]
    assert len(findings) == 1, [(f.kind, f.text, f.message) for f in findings]
