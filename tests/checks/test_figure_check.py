"""The figure checker over the seed report and over texts written here: every planted error is
found at its span, and nothing else is reported."""

import json
import subprocess
import sys

import pytest

from assistant.checks import check_figures, find_quantities
from tests.conftest import ROOT, SEED_INPUTS, SEED_REPORT


def test_seed_report_with_its_inputs_is_clean(seed_text, seed_inputs):
    assert check_figures(seed_text, seed_inputs) == []
    assert len(find_quantities(seed_text)) == 27  # every statistic of the report was found


PLANTS = [
    # (original, planted, kind, expected)
    ("受理人民调解案件数416件", "受理人民调解案件数461件", "figure_mismatch", "416件"),  # digit swap
    ("审核2185件", "审核2158件", "figure_mismatch", "2185件"),
    ("成功化解408件", "成功化解480件", "figure_mismatch", "408件"),
    ("调解成功率98%", "调解成功率96%", "figure_derived_mismatch", "98%"),  # wrong rate
    ("排查5900余次", "排查6000余次", "figure_mismatch", "5900余次"),  # wrong approximate form
    ("走访企业190余次", "走访企业超过200次", "figure_mismatch", "超过190次"),
    ("排查5900余次", "排查5400余次", "figure_mismatch", "5900余次"),  # approximate, lower
    ("走访企业190余次", "走访企业180余次", "figure_mismatch", "190余次"),  # ... just below
    ("资料3500余份", "资料近3200份", "figure_mismatch", "3500余份"),
    ("走访企业190余次", "走访企业约180次", "figure_mismatch", "约190次"),
    ("工作人员2名", "工作人员三名", "figure_mismatch", "两名"),  # Chinese numeral
    ("完成全市36个部门", "完成全市三十八个部门", "figure_mismatch", "三十六个"),
    ("现行有效的34件", "现行有效的35件", "figure_derived_mismatch", "34件"),  # wrong total
    ("剩余28件", "剩余27件", "figure_mismatch", "28件"),
    ("比例77%", "比例百分之七十", "figure_mismatch", "百分之七十七"),
]


@pytest.mark.parametrize("original,planted,kind,expected", PLANTS)
def test_planted_error_found_at_its_span_and_nothing_else(seed_text, seed_inputs, original, planted, kind, expected):
    assert original in seed_text
    text = seed_text.replace(original, planted, 1)
    findings = check_figures(text, seed_inputs)
    assert len(findings) == 1, [(f.kind, f.text) for f in findings]
    f = findings[0]
    assert f.kind == kind and f.severity == "error"
    offset = text.index(planted)
    assert text[f.start:f.end] == f.text
    assert offset <= f.start and f.end <= offset + len(planted)
    assert f.expected == expected and f.figure_id


def _figures_not_in_formulas():
    import re

    import yaml

    data = yaml.safe_load(SEED_INPUTS.read_text(encoding="utf-8"))
    used = {name for f in data["figures"] if f.get("formula") for name in re.findall(r"[a-z_][\w.]*", f["formula"])}
    return [f["id"] for f in data["figures"] if f["id"] not in used and not f.get("formula")]


@pytest.mark.parametrize("dropped", _figures_not_in_formulas())
def test_a_number_whose_figure_is_missing_is_unsupported_not_a_mismatch(seed_text, seed_inputs, dropped):
    """Take one figure out of the inputs: its number in the report must become a warning
    (no source), never an error that "corrects" it to another figure with similar words."""
    import copy

    inputs = copy.deepcopy(seed_inputs)
    inputs.figures = [f for f in inputs.figures if f.id != dropped]
    inputs.__post_init__()
    findings = check_figures(seed_text, inputs)
    assert [(f.kind, f.severity) for f in findings] == [("figure_unsupported", "warning")], \
        [(f.kind, f.text, f.figure_id) for f in findings]
    assert findings[0].text.startswith(seed_text[findings[0].start:findings[0].end])


def test_inserted_unsupported_sentence_is_a_warning(seed_text, seed_inputs):
    text = seed_text.replace("调解涉企纠纷79件。", "调解涉企纠纷79件。新建法治文化公园12个，培训执法人员300余人次。", 1)
    findings = check_figures(text, seed_inputs)
    assert [(f.kind, f.severity, f.text) for f in findings] == [
        ("figure_unsupported", "warning", "12个"), ("figure_unsupported", "warning", "300余人次")]


@pytest.mark.parametrize("text", [
    "调解成功率98.1%。", "调解成功率98.08%。", "调解成功率百分之九十八。",  # more precise or in words
    "开展矛盾纠纷排查近6000次。", "开展矛盾纠纷排查约5900次。", "开展矛盾纠纷排查5900次左右。",
    "开展矛盾纠纷排查约6000次。", "开展矛盾纠纷排查5900次以上。", "调解成功率达95%以上。",  # 以上: at least
    "人民调解委员会共受理人民调解案件数四百一十六件。", "人民调解委员会共受理人民调解案件数4１6件。",
])
def test_correct_wordings_are_not_mismatches(seed_inputs, text):
    assert check_figures(text, seed_inputs) == []


NON_STATISTICS = [
    "开展普法活动数十场，压实两个责任，实现三个转变，办好十件实事。",  # vague counts and slogans
    "热线7×24小时服务，打造15分钟公共法律服务圈，连续3年位列全市前3名，近3年来持续向好。",
    "2023年，我市推进法治政府建设；2024年2月27日报送，3月份公开。",
    "深入学习贯彻党的二十大和二十届二中全会精神，落实《法治政府建设实施纲要（2021—2025年）》。",
    "一是加强领导；二是健全机制。（一）依法履职（二）科学决策 1.完善制度。",
    "落实第一责任人职责，发挥“第一道防线”作用，坚持和发展新时代“枫桥经验”，杜绝“一刀切”。",
    "深入推进行政执法三项制度，落实“三重一大”制度，增强“四个意识”、做到“两个维护”。",
    "依照《行政复议法》第二十五条和厅字〔2019〕28号文件，按吉政发〔2023〕5号要求。",
    "开通12345政务服务便民热线，推进5G网络覆盖，改造二楼审批区域，实现一窗受理、一网通办。",
    "落实“调解惠企助推企业发展10项举措”，推进十四五规划实施，开展八五普法。",
    "千家万户、十分重视、一批典型、一系列措施、一次性告知、一把手负总责。",
]


@pytest.mark.parametrize("text", NON_STATISTICS)
def test_non_statistics_are_left_alone(seed_inputs, text):
    assert find_quantities(text) == []
    assert check_figures(text, seed_inputs) == []


def test_number_forms_are_read():
    found = {(m.text, str(m.base_value), m.base_unit, m.approx) for m in find_quantities(
        "受理1,255件，投入3.5亿元和1200万元，百分之九十八，两名，三十六个，一百零八件，1.2万件，超过5000人次，"
        "近6000次，约300人，100件左右，15个工作日，提高3.2个百分点，1000多万元，３６件。")}
    assert ("1,255件", "1255", "件", None) in found
    assert ("3.5亿元", "350000000.0", "元", None) in found
    assert ("1200万元", "12000000", "元", None) in found
    assert ("百分之九十八", "98", "%", None) in found
    assert ("两名", "2", "名", None) in found
    assert ("1.2万件", "12000.0", "件", None) in found
    assert ("超过5000人次", "5000", "人次", "above") in found
    assert ("近6000次", "6000", "次", "near") in found
    assert ("约300人", "300", "人", "about") in found
    assert ("100件左右", "100", "件", "about") in found
    assert ("3.2个百分点", "3.2", "个百分点", None) in found
    assert ("1000多万元", "10000000", "元", "above") in found
    assert ("３６件", "36", "件", None) in found


def test_checks_without_inputs_rates_and_totals():
    text = ("全年受理行政复议案件52件，审结48件，审结率96%。"
            "清理规范性文件34件，其中废止6件，剩余27件继续有效。"
            "受理信访事项120件，其中网上信访80件、来访50件。"
            "受理案件100件，办结90件，办结率90%，同比增长12%。")
    findings = check_figures(text)
    assert [(f.kind, f.text, f.expected) for f in findings] == [
        ("figure_derived_mismatch", "96%", "92%"),  # 48/52 = 92.3%
        ("figure_derived_mismatch", "34件", "33件"),  # 6 + 27
        ("figure_derived_mismatch", "120件", "130件"),  # parts exceed the total
    ]


def test_rate_beside_bound_counts_without_a_formula(seed_inputs):
    text = "人民调解委员会共受理人民调解案件数416件，人民调解成功化解案件408件，化解率96%。"
    findings = check_figures(text, seed_inputs)
    assert [(f.kind, f.text, f.expected) for f in findings] == [("figure_derived_mismatch", "96%", "98%")]


def test_check_cli_json_and_exit_codes(tmp_path, seed_text):
    bad = tmp_path / "bad.txt"
    bad.write_text(seed_text.replace("成功化解408件", "成功化解480件"), encoding="utf-8")
    env = {"ASSISTANT_DATA_DIR": str(tmp_path / "d"), "PATH": "/usr/bin:/bin"}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "assistant", "check", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)

    ok = run(str(SEED_REPORT), "--inputs", str(SEED_INPUTS), "--format", "json")  # every check
    assert ok.returncode == 0, ok.stderr
    assert {f["severity"] for f in json.loads(ok.stdout)["findings"]} == {"info"}
    result = run(str(bad), "--inputs", str(SEED_INPUTS), "--only", "figures", "--format", "json")
    assert result.returncode == 1
    (finding,) = json.loads(result.stdout)["findings"]
    assert {"kind", "severity", "start", "end", "text", "message", "figure_id", "expected", "found"} <= set(finding)
    text = bad.read_text(encoding="utf-8")
    assert text[finding["start"]:finding["end"]] == finding["text"] == "480件"
    plain = run(str(bad), "--inputs", str(SEED_INPUTS), "--only", "figures")
    line = text[:finding["start"]].count("\n") + 1
    assert f"bad.txt:{line}:" in plain.stdout and "480件" in plain.stdout
    broken = tmp_path / "broken.yaml"
    broken.write_text("figures: [", encoding="utf-8")
    result = run(str(bad), "--inputs", str(broken))
    assert result.returncode == 2 and "Traceback" not in result.stderr and "YAML" in result.stderr
    result = run(str(tmp_path / "missing.docx"))
    assert result.returncode == 2 and "文件不存在" in result.stderr


def test_docx_offsets_are_paragraphs_joined_by_newlines(tmp_path, seed_text, seed_inputs):
    import docx

    from assistant.knowledge import read_document

    d = docx.Document()
    for line in seed_text.replace("成功化解408件", "成功化解480件").split("\n"):
        d.add_paragraph(line)
    d.save(tmp_path / "r.docx")
    text = read_document(tmp_path / "r.docx").text
    (f,) = check_figures(text, seed_inputs)
    assert text[f.start:f.end] == "480件"


COUNTY = (ROOT / "tests" / "data" / "county-2024-report.txt").read_text(encoding="utf-8")


OTHER_RATES = ("全年共办理法律援助案件100件，结案95件，结案率95%，群众满意率98%。\n"
               "12345热线共受理群众诉求2000件，办结1990件，回访满意率96.5%。\n"
               "全市共排查矛盾纠纷500件，调处化解490件，化解率98%，其中涉企纠纷占比20%。\n")


def test_people_and_cases_in_either_measure_word():
    from assistant.inputs import load_inputs_text

    inputs = load_inputs_text("figures:\n"
                              "  - {id: lawyers, label: 执业律师, value: 45, unit: 名}\n"
                              "  - {id: lawyers.new, label: 新增执业律师, value: 5, unit: 人}\n"
                              "  - {id: consult, label: 提供法律咨询, value: 1200, unit: 人次}\n"
                              "  - {id: cases, label: 办理法律援助案件, value: 16, unit: 件}\n")
    assert check_figures("全市执业律师45人，新增执业律师5名，提供法律咨询1200人次，办理法律援助案件16起。", inputs) == []
    wrong = check_figures("全市执业律师46位，提供法律咨询1200人。", inputs)
    assert [(f.kind, f.text, f.expected) for f in wrong] == [("figure_mismatch", "46位", "45位"),
                                                             ("figure_mismatch", "1200人", "1200人次")]
    assert "单位是“人次”" in wrong[1].message  # people are not attendances
    assert [f.kind for f in check_figures("提供法律咨询1300人。", inputs)] == ["figure_unsupported"]


YOY_INPUTS = ("report: {region: 某县, year: 2024}\nfigures:\n"
              "  - {id: review.accepted, label: 受理行政复议案件, value: 16, previous: 12, unit: 件}\n"
              "  - {id: review.rate, label: 行政复议纠错率, value: 14.5, previous: 12.4, unit: '%'}\n")


@pytest.mark.parametrize("text", [
    "全年受理行政复议案件16件，比上年的12件增加4件。",
    "全年受理行政复议案件16件，同比增长33.3%。",
    "全年受理行政复议案件16件，较去年增长33%。",
    "行政复议纠错率14.5%，同比提高2.1个百分点。",
    "全年受理行政复议案件16件，是上年的1.3倍。",
])
def test_year_over_year_changes_that_add_up(text):
    from assistant.inputs import load_inputs_text

    assert check_figures(text, load_inputs_text(YOY_INPUTS)) == []


@pytest.mark.parametrize("text,found,expected", [
    ("全年受理行政复议案件16件，比上年的13件增加4件。", "13件", "12件"),  # last year's value itself
    ("全年受理行政复议案件16件，比上年的12件增加5件。", "5件", "4件"),
    ("全年受理行政复议案件16件，同比增长50%。", "50%", "33%"),
    ("全年受理行政复议案件16件，比上年减少4件。", "4件", "增加4件"),  # the wrong way
    ("行政复议纠错率14.5%，同比提高1.1个百分点。", "1.1个百分点", "2.1个百分点"),
    ("全年受理行政复议案件16件，较2023年的13件增加4件。", "13件", "12件"),  # last year named by its year
    ("全年受理行政复议案件16件，同比增幅达50%。", "50%", "33%"),
    ("全年受理行政复议案件16件，是上年的1.5倍。", "1.5倍", "1.3倍"),
])
def test_year_over_year_changes_that_do_not(text, found, expected):
    from assistant.inputs import load_inputs_text

    findings = check_figures(text, load_inputs_text(YOY_INPUTS))
    assert [(f.text, f.expected, f.severity) for f in findings] == [(found, expected, "error")]


AT_LEAST_INPUTS = ("figures:\n  - {id: a, label: 新设立经营主体, value: 15600, unit: 户}\n"
                   "  - {id: b, label: 出庭应诉率, value: 96.5, unit: '%'}\n"
                   "  - {id: c, label: 培训行政执法人员, value: 460, unit: 人次, approx: 余}\n")


@pytest.mark.parametrize("text,wrong", [
    ("新设立经营主体超1.5万户。", None), ("新设立经营主体突破1.5万户。", None), ("新设立经营主体不少于1.5万户。", None),
    ("出庭应诉率达到百分之九十以上。", None), ("全年培训行政执法人员460余人次。", None),
    ("新设立经营主体超1.6万户。", "超1.6万户"), ("出庭应诉率达到百分之九十九以上。", "百分之九十九以上"),
    ("全年培训行政执法人员近460人次。", "近460人次"),  # the source says 余: above 460
])
def test_at_least_and_above(text, wrong):
    from assistant.inputs import load_inputs_text

    findings = check_figures(text, load_inputs_text(AT_LEAST_INPUTS))
    assert [f.text for f in findings if f.kind == "figure_mismatch"] == ([wrong] if wrong else [])
    assert len(findings) == (1 if wrong else 0)


def test_figures_that_differ_only_by_a_name_said_elsewhere_in_the_sentence():
    """Every department has a 审查行政合同 figure; the number's own clause does not say which, the
    sentence does (in another clause): that department's figure is meant."""
    from assistant.inputs import load_inputs_text

    depts = ["市场监督管理局", "交通运输局", "税务局", "商务局"]
    inputs = load_inputs_text("figures:\n" + "".join(
        f"  - {{id: d{k}, label: {d}审查行政合同, value: {10 + k}, unit: 份}}\n"
        f"  - {{id: t{k}, label: {d}培训执法人员, value: {100 + k}, unit: 人次}}\n" for k, d in enumerate(depts)))
    text = "全年市场监督管理局培训执法人员100人次，审查行政合同17份。全年交通运输局培训执法人员101人次，审查行政合同11份。"
    findings = check_figures(text, inputs)
    assert [(f.text, f.figure_id, f.expected) for f in findings] == [("17份", "d0", "10份")]


def test_a_unit_only_the_inputs_use_is_read_and_checked():
    from assistant.inputs import load_inputs_text

    inputs = load_inputs_text("figures:\n  - {id: grain, label: 发放救济粮, value: 500, unit: 斤}\n")
    assert inputs.warnings and "斤" in inputs.warnings[0].zh  # still named as an unusual unit
    findings = check_figures("全年发放救济粮600斤。", inputs)
    assert [(f.kind, f.text, f.expected) for f in findings] == [("figure_mismatch", "600斤", "500斤")]


RESPECTIVELY_INPUTS = ("report: {region: 某县, year: 2024}\nfigures:\n"
                      "  - {id: received, label: 新接收社区矫正对象, value: 172, unit: 名}\n"
                      "  - {id: released, label: 依法解除社区矫正对象, value: 165, unit: 名}\n"
                      "  - {id: founded, label: 新设立经营主体, value: 5.2, unit: 万户, previous: 4.84}\n"
                      "  - {id: closed, label: 办理企业注销, value: 8460, unit: 户, previous: 8049}\n")


def test_numbers_listed_with_fenbie_go_with_their_items():
    from assistant.inputs import load_inputs_text

    inputs = load_inputs_text(RESPECTIVELY_INPUTS)
    right = ("全年新接收、依法解除社区矫正对象分别为172名、165名。"
             "新设立经营主体5.2万户、办理企业注销8460户，同比分别增长7.4%和5.1%。")
    assert check_figures(right, inputs) == []
    swapped = right.replace("分别为172名、165名", "分别为165名、172名").replace("7.4%和5.1%", "5.1%和7.4%")
    assert [(f.text, f.expected) for f in check_figures(swapped, inputs)] == [
        ("165名", "172名"), ("172名", "165名"), ("5.1%", "7.4%"), ("7.4%", "5.1%")]


MORE_YOY = ("report: {year: 2024}\nfigures:\n"
            "  - {id: o, label: 网上可办率, value: 98.7, unit: '%', previous: 96.6}\n"
            "  - {id: s, label: 即办件占比, value: 65, unit: '%', previous: 52}\n"
            "  - {id: legal, label: 办理法律援助案件, value: 1236, unit: 件, previous: 1141}\n"
            "  - {id: crim, label: 刑事法律援助案件占比, value: 41.4, unit: '%'}\n"
            "  - {id: civil, label: 民事法律援助案件占比, value: 56.5, unit: '%'}\n"
            "  - {id: got, label: 收到行政复议申请, value: 156, unit: 件, previous: 96}\n"
            "  - {id: took, label: 受理行政复议申请, value: 142, unit: 件, previous: 90}\n"
            "  - {id: suits, label: 行政诉讼一审案件, value: 58, unit: 件, previous: 67}\n"
            "  - {id: lost, label: 败诉率, value: 5.2, unit: '%', previous: 7.5}\n")
MORE_YOY_TEXT = ("网上可办率达98.7%，即办件占比由上年的52%提升至65%。"
                 "办理法律援助案件由上年的1141件增加到1236件，其中刑事、民事案件分别占41.4%、56.5%。"
                 "收到行政复议申请156件、受理行政复议申请142件，同比分别增加60件、52件。"
                 "行政诉讼一审案件58件，败诉率5.2%，分别比上年下降9件和2.3个百分点。")


def test_more_ways_of_writing_last_year_and_lists():
    from assistant.inputs import load_inputs_text

    inputs = load_inputs_text(MORE_YOY)
    assert check_figures(MORE_YOY_TEXT, inputs) == []
    wrong = (MORE_YOY_TEXT.replace("上年的52%", "上年的50%").replace("56.5%", "65.5%")
             .replace("60件、52件", "60件、25件").replace("9件和2.3个百分点", "9件和3.2个百分点"))
    assert [(f.text, f.expected) for f in check_figures(wrong, inputs)] == [
        ("50%", "52%"), ("65.5%", "56.5%"), ("25件", "52件"), ("3.2个百分点", "2.3个百分点")]


@pytest.mark.parametrize("text", [
    "审结63件，其中维持41件、撤销6件、确认违法3件、驳回复议申请8件、调解和解后终止5件，另有5件正在审理中。",
    "全市执法人员746名，其中具有法律专业背景的159名，仅占21.3%。",
    "全县18个司法所中，仅有1名工作人员的司法所有7个，占38.9%。",
])
def test_lists_and_shares_that_add_up(text):
    assert check_figures(text) == []


def test_shares_that_do_not_add_up():
    findings = check_figures("全市执法人员746名，其中具有法律专业背景的159名，仅占23.1%。")
    assert [(f.kind, f.text, f.expected) for f in findings] == [("figure_derived_mismatch", "23.1%", "21.3%")]


def test_rates_not_made_of_the_counts_beside_them_are_left_alone():
    """A survey result (满意率), a second rate, a share of a subset (其中…占比) are not the counts' ratio."""
    assert check_figures(OTHER_RATES) == []
    wrong = OTHER_RATES.replace("结案率95%", "结案率90%")
    assert [(f.kind, f.text, f.expected) for f in check_figures(wrong)] == [
        ("figure_derived_mismatch", "90%", "95%")]


def test_a_realistic_report_without_inputs_has_no_false_alarm():
    """A report written for the tests in the usual register: rates, shares, 其中-lists, 万件,
    thousands separators, plans with 以上 — all consistent, so nothing may be flagged."""
    assert check_figures(COUNTY) == []


@pytest.mark.parametrize("original,planted,expected", [
    ("败诉率9.3%", "9.8%", "9.3%"),
    ("调解成功率98.4%", "96.4%", "98.4%"),
    ("出庭应诉率100%", "90%", "100%"),
])
def test_rates_in_a_realistic_report(original, planted, expected):
    text = COUNTY.replace(original, original.replace(expected, planted), 1)
    (finding,) = check_figures(text)
    assert (finding.kind, finding.text, finding.expected) == ("figure_derived_mismatch", planted, expected)


def test_overlapping_categories_in_separate_clauses_are_not_a_wrong_total():
    text = "共受理案件100件，其中涉企案件60件，涉及群众切身利益的案件50件。共受理信访120件，其中网上信访80件、来访50件。"
    assert [(f.text, f.expected) for f in check_figures(text)] == [("120件", "130件")]
