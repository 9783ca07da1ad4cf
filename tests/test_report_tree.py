"""The report tree: outline hierarchy, parts by meaning, front matter and sign-off."""
import pytest

from assistant.report_tree import parse_report, split_path


def test_seed_report_structure(seed_text):
    tree = parse_report(seed_text)
    assert tree.region == "珲春市" and tree.year == 2023
    assert tree.recipient == "州委、州政府"
    assert [s.token for s in tree.sections] == ["一", "二", "三", "四"]
    assert [s.part for s in tree.sections] == [1, 2, 3, 4]
    part1 = tree.sections[0]
    assert [c.path for c in part1.children] == [f"一/({n})" for n in "一二三四五六"]
    item = tree.find("一/(六)/2")
    assert item.title == "预防和化解矛盾纠纷"
    # the unnumbered paragraph after item 2 belongs to it
    assert "调解成功率98%" in tree.section_text(item)
    assert tree.signoff.issuer == "中共珲春市委 珲春市人民政府"
    assert tree.signoff.date == "2024年2月27日"
    assert "2024年2月27日" not in tree.section_text(tree.sections[-1])


def test_parts_recognised_by_meaning_not_numeral():
    text = ("关于2024年法治政府建设情况的报告\n"
            "一、2024年法治政府建设主要举措和成效\n做了很多工作。\n"
            "二、党政主要负责人履行推进法治建设第一责任人职责情况\n书记带头学法。\n"
            "三、存在的不足和原因\n一是……原因在于……\n"
            "四、2025年工作打算\n一是……二是……\n")
    tree = parse_report(text)
    assert [s.part for s in tree.sections] == [1, 3, 2, 4]
    assert tree.title == "关于2024年法治政府建设情况的报告"
    assert tree.year == 2024


def test_markdown_and_full_width_headings():
    text = "## 一、主要举措\n**（一）依法履职**\n1．推进改革。正文。\n2、优化服务。正文。\n### 二、存在问题\n正文\n"
    tree = parse_report(text)
    assert [s.path for s in tree.walk()] == ["一", "一/(一)", "一/(一)/1", "一/(一)/2", "二"]
    assert tree.find("一/(一)").title == "依法履职"
    assert tree.find("一/(一)/1").title == "推进改革"


def test_enumerations_and_numbers_are_not_headings():
    text = "一、主要举措\n一是加强领导。\n1.2万件案件办结。\n2023年成效明显。\n"
    tree = parse_report(text)
    assert [s.path for s in tree.walk()] == ["一"]


def test_split_path_accepts_cli_and_ui_spellings():
    assert split_path("一.(六)") == ["一", "(六)"]
    assert split_path("一/（六）/2") == ["一", "(六)", "2"]
    assert split_path("一、(六)") == ["一", "(六)"]


@pytest.mark.parametrize("text,year", [
    ("关于法治政府建设情况的报告\n深入贯彻《法治政府建设实施纲要（2021—2025年）》，2023年我县…\n一、主要举措和成效\n", 2023),
    ("法治政府建设工作报告\n依据《行政复议法》(2017年修正)开展工作。\n一、主要举措和成效\n…\n某县人民政府\n2024年3月1日", 2023),
    ("某县2022年法治政府建设年度报告\n一、主要举措和成效\n", 2022),
])
def test_the_year_is_not_taken_from_a_cited_title(text, year):
    assert parse_report(text).year == year
