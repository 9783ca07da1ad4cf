"""Citations: extraction and every finding kind, over texts written here, with the registry."""

import pytest

from assistant.checks import check_citations, find_citations
from assistant.knowledge import parse_regulation
from assistant.registry import Entry, load_registry
from tests.conftest import PLAIN_REGULATION, ROOT, shared_regulation

SHIPPED = ROOT / "corpus" / "regulations" / "registry.yaml"


@pytest.fixture(scope="module")
def registry():
    reg = load_registry(SHIPPED, None, SHIPPED.parent / "lawrefbook.json")  # the registry the app uses
    reg.put(Entry(title="示例行政执法监督条例", promulgated="2022-03-01", effective="2022-05-01", articles=7), save=False)
    reg.put(Entry(title="示例行政执法监督条例", promulgated="2015-01-01", status="已修改"), save=False)
    return reg


@pytest.fixture(scope="module")
def texts():
    sample = parse_regulation(PLAIN_REGULATION)

    def lookup(title, version):
        return sample if "示例行政执法监督条例" in title else None

    return lookup


def kinds(findings):
    return [(f.kind, f.severity, f.text) for f in findings]


def test_extraction_forms():
    text = ("依照《中华人民共和国行政复议法》第二条、第九十条和《最高人民法院关于适用〈中华人民共和国行政诉讼法〉的解释》，"
            "执行《重大行政决策程序暂行条例》（以下简称《条例》）。《条例》第十条第二款规定：“决策事项应当公开。”"
            "《行政复议法》（2017年修正）第三十条第（一）项，《规章制定程序条例》第十条至第十二条。")
    cits = find_citations(text)
    assert [c.title for c in cits] == ["中华人民共和国行政复议法", "最高人民法院关于适用〈中华人民共和国行政诉讼法〉的解释",
                                       "重大行政决策程序暂行条例", "条例", "行政复议法", "规章制定程序条例"]
    assert [a.number for a in cits[0].articles] == [2, 90]
    assert cits[2].defines == "条例"
    assert cits[3].means == "重大行政决策程序暂行条例"
    assert (cits[3].articles[0].number, cits[3].articles[0].paragraph) == (10, 2)
    assert cits[3].quote.text == "决策事项应当公开。"
    assert cits[4].version == "2017" and cits[4].articles[0].item == 1
    assert [a.number for a in cits[5].articles] == [10, 11, 12]


def test_seed_report_has_no_citation_warning(seed_text, registry, texts):
    findings = check_citations(seed_text, registry, 2023, texts)
    assert {f.severity for f in findings} == {"info"}
    assert all(f.kind == "citation_unverified" and f.details["local"] for f in findings)
    assert len(findings) == 4  # the four 珲春市 documents


def test_unknown_title_suggests_the_nearest(registry, texts):
    findings = check_citations("认真贯彻《优化营商环境暂行条例》。", registry, 2024, texts)
    assert kinds(findings) == [("citation_unknown", "warning", "《优化营商环境暂行条例》")]
    assert findings[0].expected == "优化营商环境条例"
    assert findings[0].suggestion == "改为《优化营商环境条例》"
    # only the kind of document is wrong: still a slip
    findings = check_citations("依照《政府信息公开规定》和《行政处罚条例》办理。", registry, 2024, texts)
    assert [(f.kind, f.expected) for f in findings] == [
        ("citation_unknown", "中华人民共和国政府信息公开条例"), ("citation_unknown", "中华人民共和国行政处罚法")]


def test_a_different_document_with_a_similar_name_is_not_a_misspelling(registry, texts):
    """Names a few characters apart but of other documents (another plan period, another subject)
    are never a warning that suggests the wrong title: unknown ones are info, known ones pass."""
    text = ("落实《法治社会建设实施纲要（2020—2025年）》，落实《最高人民法院关于审理行政赔偿案件适用法律问题的解释》，"
            "执行《行政法规制定程序条例》，落实《最高人民法院关于审理行政赔偿案件若干问题的规定》。")
    assert [(f.kind, f.severity) for f in check_citations(text, registry, 2024, texts)] == [
        ("citation_unverified", "info")] * 2  # the last two are in the catalogue


def test_short_full_and_variant_titles_resolve(registry, texts):
    text = ("《行政复议法》《中华人民共和国行政复议法》《法治政府建设实施纲要(2021-2025年)》"
            "《法治政府建设实施纲要（2021－2025年）》《最高人民法院关于适用《中华人民共和国行政诉讼法》的解释》")
    assert check_citations(text, registry, 2024, texts) == []


@pytest.mark.parametrize("text,year,successor", [
    ("依照《信访条例》办理。", 2023, None),
    ("依照《法规规章备案条例》备案。", 2025, "法规规章备案审查条例"),
    ("依照《行政复议法》（2017年修正）办理。", 2024, "中华人民共和国行政复议法"),
    ("落实《法治政府建设实施纲要（2015—2020年）》。", 2023, "法治政府建设实施纲要（2021—2025年）"),
    ("落实《法治政府建设实施纲要（2021—2025年）》。", 2026, None),
    ("对照《示例行政执法监督条例》（2015年）整改。", 2023, "示例行政执法监督条例"),
])
def test_outdated_as_of_the_report_year(registry, texts, text, year, successor):
    findings = check_citations(text, registry, year, texts)
    assert [(f.kind, f.severity) for f in findings] == [("citation_outdated", "warning")]
    assert findings[0].details["successor"] == successor


def test_not_outdated_before_the_change(registry, texts):
    assert check_citations("依照《法规规章备案条例》备案。", registry, 2023, texts) == []
    assert check_citations("落实《法治政府建设实施纲要（2021—2025年）》。", registry, 2025, texts) == []
    # the 2023 revision of the law took effect on 2024-01-01: in 2023 the 2017 text was the one in force
    assert check_citations("依照《中华人民共和国行政复议法》（2017年修正）第二十八条作出决定。", registry, 2023, texts) == []


def test_article_missing(registry, texts):
    findings = check_citations("按照《示例行政执法监督条例》第五条、第二百条和第二条第三款。", registry, 2023, texts)
    assert kinds(findings) == [("citation_article_missing", "error", "第二百条"),
                               ("citation_article_missing", "error", "第二条第三款")]
    assert "共108条" in findings[0].message and "只有2款" in findings[1].message
    ranged = check_citations("依据《示例行政执法监督条例》第一百零七条至第一百一十条。", registry, 2023, texts)
    assert kinds(ranged) == [("citation_article_missing", "error", "第一百零七条至第一百一十条")]  # one per reference
    assert "没有第一百零九条" in ranged[0].message


def test_article_missing_from_registry_count_without_text(registry):
    findings = check_citations("《中华人民共和国行政复议法》第九十一条规定了施行日期。", registry, 2024, None)
    assert kinds(findings) == [("citation_article_missing", "error", "第九十一条")]
    assert "共90条" in findings[0].message


def test_quote_mismatch_shows_the_difference(registry, texts):
    text = "《示例行政执法监督条例》第五条规定：“行政执法机关作出重大执法决定前，应当进行审核。”"
    (finding,) = check_citations(text, registry, 2023, texts)
    assert finding.kind == "citation_quote_mismatch" and finding.severity == "warning"
    assert text[finding.start:finding.end] == "行政执法机关作出重大执法决定前，应当进行审核。"
    assert "{+法制+}" in finding.details["diff"]
    assert finding.expected.startswith("行政执法机关作出重大执法决定前，应当进行法制审核")


def test_faithful_quote_and_abbreviation(registry, texts):
    text = ("严格执行《示例行政执法监督条例》（以下简称《条例》）。《条例》第三条明确规定：“行政执法监督应当坚持公开、公平、公正的原则。”"
            "《条例》第九百条。")
    findings = check_citations(text, registry, 2023, texts)
    assert kinds(findings) == [("citation_article_missing", "error", "第九百条")]


def test_local_and_unlisted_documents_are_info(registry, texts):
    text = "按《珲春市法治宣传教育实施方案》《延边州行政执法工作要点》开展，学习《习近平法治思想学习纲要》。"
    findings = check_citations(text, registry, 2024, texts)
    assert [(f.kind, f.severity) for f in findings] == [("citation_unverified", "info")] * 3


def test_shared_text_quote_and_articles(registry):
    reg = parse_regulation(shared_regulation("中华人民共和国行政复议法.md").read_text(encoding="utf-8"))
    lookup = lambda title, version: reg if "行政复议法" in title else None  # noqa: E731
    ok = "《行政复议法》第二条规定：“公民、法人或者其他组织认为行政机关的行政行为侵犯其合法权益，向行政复议机关提出行政复议申请，行政复议机关办理行政复议案件，适用本法。”"
    assert check_citations(ok, registry, 2024, lookup) == []
    cut = ok.replace("行政复议机关办理行政复议案件，", "")
    assert kinds(check_citations(cut, registry, 2024, lookup))[0][0] == "citation_quote_mismatch"


def test_titles_inside_a_quoted_provision_are_not_citations(registry):
    reg = parse_regulation("# 示例行政执法监督条例\n\n第一条 本条例自2022年5月1日起施行，《示例旧办法》同时废止。\n")
    text = "《示例行政执法监督条例》第一条规定：“本条例自2022年5月1日起施行，《示例旧办法》同时废止。”"
    lookup = lambda t, v: reg if "示例行政执法监督条例" in t else None  # noqa: E731
    assert check_citations(text, registry, 2023, lookup) == []
    assert [f.kind for f in check_citations("依照《示例旧办法》办理。", registry, 2023, lookup)] == ["citation_unverified"]
