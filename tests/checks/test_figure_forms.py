"""Ways real reports write their figures, each both ways: the correct text gives nothing, and an
error planted in the same form is found at its place (issue 11)."""

import pytest

from assistant.checks import check_figures, run_checks, CheckContext
from assistant.inputs import load_inputs_text


def inputs(*figures: str, year: int = 2024):
    return load_inputs_text(f"report: {{region: 某县, year: {year}}}\nfigures:\n" + "".join(f"  - {f}\n" for f in figures))


def found(text, planted, inp=None):
    """The findings at the planted text (and every finding)."""
    findings = check_figures(text, inp)
    at = text.index(planted)
    return [(f.kind, f.text) for f in findings if at <= f.start and f.end <= at + len(planted)], findings


def both_ways(text: str, original: str, planted: str, kind: str, inp=None):
    assert [(f.kind, f.text, f.message) for f in check_figures(text, inp)] == []
    changed = text.replace(original, planted)
    here, every = found(changed, planted, inp)
    assert [k for k, _ in here] == [kind], [(f.kind, f.text, f.message) for f in every]
    assert len(every) == 1, [(f.kind, f.text, f.message) for f in every]
    return every[0]


NEIGHBOURS = inputs("{id: t.sessions, label: 组织行政执法人员专题培训, value: 8, unit: 期}",
                    "{id: t.people, label: 参加专题培训的行政执法人员, value: 620, unit: 人}",
                    "{id: j.meetings, label: 召开联席会议, value: 12, unit: 次}",
                    "{id: j.departments, label: 联席会议涉及部门, value: 26, unit: 个}",
                    "{id: j.cases, label: 联席会议协调处理的执法案件, value: 143, unit: 件}",
                    "{id: clue.in, label: 受理群众举报违法用地线索, value: 17, unit: 件}",
                    "{id: clue.out, label: 办结群众举报违法用地线索, value: 17, unit: 件}",
                    "{id: land.lots, label: 供应国有建设用地, value: 35, unit: 宗}",
                    "{id: land.area, label: 供应国有建设用地面积, value: 2176, unit: 亩}",
                    "{id: lawyers, label: 持证执法人员中具有法律职业资格的, value: 97, unit: 名}",
                    "{id: lawyers.share, label: 具有法律职业资格的执法人员占比, value: 7.2, unit: '%'}",
                    "{id: other, label: 审核行政合同, value: 96, unit: 份}")
NEIGHBOUR_TEXT = ("组织行政执法人员专题培训8期，620人参加。建立行政执法协调监督联席会议制度，全年召开联席会议12次，涉及部门26个，案件143件。"
                  "受理群众举报违法用地线索17件，办结17件。供应国有建设用地35宗、2176亩。"
                  "全县持证执法人员中具有法律职业资格的仅97名，占7.2%。审核行政合同96份。")


@pytest.mark.parametrize("original,planted", [
    ("8期，620人参加", "8期，602人参加"), ("涉及部门26个", "涉及部门28个"), ("案件143件", "案件134件"),
    ("办结17件", "办结15件"), ("35宗、2176亩", "35宗、2716亩"), ("占7.2%", "占2.7%"),
])
def test_a_number_whose_subject_is_in_the_neighbouring_clause(original, planted):
    finding = both_ways(NEIGHBOUR_TEXT, original, planted, "figure_mismatch", NEIGHBOURS)
    assert finding.text in planted


def test_a_neighbour_clause_does_not_bind_two_numbers_to_one_figure():
    """"受理17件，办结17件": each figure once per sentence, so the second number is not 受理's too."""
    one = inputs("{id: clue.in, label: 受理群众举报违法用地线索, value: 17, unit: 件}")
    findings = check_figures("受理群众举报违法用地线索17件，办结17件。", one)
    assert [(f.kind, f.text, f.start) for f in findings] == [("figure_unsupported", "17件", 18)]


MAGNITUDE = ("{id: audience, label: 法治宣传活动受众, value: 3, unit: 万人次, approx: 余}",
             "{id: files, label: 数字化整理档案, value: 13000, unit: 卷}",
             "{id: visits, label: 平台访问量, value: 392, unit: 万人次, approx: 余}",
             "{id: exam, label: 参加学法用法考试, value: 11900, unit: 人}")


@pytest.mark.parametrize("text,original,planted", [
    ("法治宣传活动受众超3万人次。", "超3万人次", "超30万人次"),
    ("数字化整理档案1.3万卷。", "1.3万卷", "13万卷"),
    ("全年平台访问量392万余人次。", "392万余人次", "39.2万余人次"),
    ("组织全区1.19万人参加学法用法考试。", "1.19万人", "11.9万人"),
])
def test_a_number_whose_magnitude_is_in_its_unit(text, original, planted):
    finding = both_ways(text, original, planted, "figure_mismatch", inputs(*MAGNITUDE))
    assert finding.expected == original  # the suggestion in the text's own style


def test_the_suggestion_keeps_the_significant_digits_and_places_yu_after_wan():
    inp = inputs(*MAGNITUDE)
    [f] = check_figures("全年平台访问量39.2万余人次。", inp)
    assert (f.expected, f.message) == ("392万余人次", "“平台访问量”数值应为392万余人次，正文写的是“39.2万余人次”。")
    [f] = check_figures("法治宣传活动受众超30万人次。", inp)
    assert "3万余人次" in f.message


@pytest.mark.parametrize("approx,right,wrong", [
    ("true", ["近50件", "50余件", "约50件", "50件"], ["近40件", "60余件"]),  # about 50: either way
    ("余", ["50余件", "50多件", "超过50件"], ["近50件"]),
    ("近", ["近50件", "将近50件"], ["50余件"]),
    ("约", ["近50件", "50余件"], ["约70件"]),
])
def test_an_approximate_source_says_its_direction(approx, right, wrong):
    inp = inputs(f"{{id: a, label: 出具书面法律意见, value: 50, unit: 件, approx: {approx}}}")
    for text in right:
        assert check_figures(f"出具书面法律意见{text}。", inp) == [], text
    for text in wrong:
        assert [f.kind for f in check_figures(f"出具书面法律意见{text}。", inp)] == ["figure_mismatch"], text


def test_an_approximate_rate_is_checked_with_what_about_allows():
    inp = inputs("{id: got, label: 审结行政复议案件, value: 135, unit: 件}",
                 "{id: fixed, label: 行政复议纠错, value: 29, unit: 件}",
                 "{id: rate, label: 行政复议纠错率, formula: fixed / got * 100, decimals: 1, unit: '%'}")
    text = "审结行政复议案件135件，行政复议纠错29件，纠错率约21.5%。"
    both_ways(text, "约21.5%", "约19.2%", "figure_derived_mismatch", inp)
    assert check_figures(text.replace("约21.5%", "约21.4%"), inp) == []  # about: a digit either way
    assert check_figures(text.replace("约21.5%", "约21.6%"), inp) == []
    # without inputs, from the counts beside it
    assert check_figures(text) == []
    assert [(f.kind, f.expected) for f in check_figures(text.replace("约21.5%", "约19.2%"))] == [
        ("figure_derived_mismatch", "约21.5%")]


def test_figure_ids_in_chinese_and_messages_by_label():
    inp = inputs("{id: 复议.审结, label: 审结行政复议案件, value: 135, unit: 件}",
                 "{id: 复议.撤销, label: 行政复议撤销, value: 20, unit: 件}",
                 "{id: 复议.变更, label: 行政复议变更, value: 9, unit: 件}",
                 "{id: 复议.纠错率, label: 行政复议纠错率, formula: (复议.撤销 + 复议.变更) / 复议.审结 * 100, decimals: 1,"
                 " unit: '%'}")
    text = "审结行政复议案件135件，其中行政复议撤销20件、行政复议变更9件，行政复议纠错率21.5%。"
    finding = both_ways(text, "纠错率21.5%", "纠错率19.2%", "figure_derived_mismatch", inp)
    assert finding.figure_id == "复议.纠错率"
    assert "（（行政复议撤销 + 行政复议变更） ÷ 审结行政复议案件 × 100）" in finding.message.replace("(", "（").replace(")", "）")
    assert "复议." not in finding.message


@pytest.mark.parametrize("text,original,planted", [
    ("随机抽查案卷240卷。", "240卷", "250卷"), ("办理带押过户2360笔。", "2360笔", "2630笔"),
    ("供应国有建设用地35宗。", "35宗", "53宗"), ("征收房屋326户。", "326户", "362户"),
    ("完成土地征收14批。", "14批", "41批"), ("开展主题宣传活动12场次。", "12场次", "21场次"),
])
def test_measure_words_are_counts(text, original, planted):
    label = text[:text.index(original)]
    unit = original.lstrip("0123456789")
    inp = inputs(f"{{id: a, label: {label}, value: {original[:len(original) - len(unit)]}, unit: {unit}}}")
    both_ways(text, original, planted, "figure_mismatch", inp)


@pytest.mark.parametrize("text,original,planted", [
    ("开展“法润柳岸”法治文艺演出48场次。", "48场次", "84场次"),  # a quoted name before the number
    ("组织学习行政处罚法、行政许可法、土地管理法等12部法律法规。", "12部", "21部"),  # examples before 等
    ("汛前汛中排查地质灾害隐患点146处。", "146处", "164处"),  # scene-setting before the label's phrase
])
def test_words_that_set_the_scene_do_not_make_a_wrong_number_unsupported(text, original, planted):
    label = {"48场次": "法治文艺演出", "12部": "组织学习法律法规", "146处": "排查地质灾害隐患点"}[original]
    unit = original.lstrip("0123456789")
    inp = inputs(f"{{id: a, label: {label}, value: {original[:len(original) - len(unit)]}, unit: {unit}}}")
    both_ways(text, original, planted, "figure_mismatch", inp)


def test_words_right_at_a_number_still_name_another_statistic():
    inp = inputs("{id: a, label: 人民调解成功化解案件, value: 480, unit: 件}")
    [f] = check_figures("全年成功化解物业纠纷64件。", inp)
    assert f.kind == "figure_unsupported"


YOY = ("{id: windows, label: 县政务服务中心综合窗口, value: 18, unit: 个, previous: 32}",
       "{id: fines, label: 行政处罚罚没款, value: 1864.3, unit: 万元, previous: 2113.6}",
       "{id: drop, label: 涉企行政检查次数同比下降, value: 27.5, unit: '%'}")


@pytest.mark.parametrize("original,planted", [
    ("由上年的32个整合为18个", "由上年的32个整合为16个"),  # 整合为: last year's value, then this year's
    ("同比下降11.8%", "同比下降18.1%"),  # a change is the change of the figure before it
    ("同比下降11.8%", "同比增长11.8%"),
])
def test_last_year_and_changes_are_not_taken_by_other_figures(original, planted):
    text = "县政务服务中心综合窗口由上年的32个整合为18个。罚没款1864.3万元，同比下降11.8%。涉企行政检查次数同比下降27.5%。"
    finding = both_ways(text, original, planted, "figure_mismatch" if "16个" in planted else "figure_derived_mismatch",
                        inputs(*YOY))
    assert finding.figure_id == ("windows" if "16个" in planted else "fines")


def test_a_range_of_days_is_a_date_not_a_duration():
    inp = inputs("{id: a, label: 涉企行政检查, value: 216, unit: 次}")
    assert check_figures("每月1日至20日原则上不开展涉企现场检查，全年涉企行政检查216次。", inp) == []
    assert [f.text for f in check_figures("办理时限压缩至20日。", inp)] == ["20日"]


RATES = ("全年区人民政府收到行政复议申请176件，较上年增加21件，受理163件，审结158件，纠错23件，纠错率14.6%。"
         "完成食品安全监督抽检2860批，检出不合格样品54批，抽检合格率98.1%。"
         "开展行政执法案卷评查，评查案卷420卷，评出优秀案卷36卷，案卷合格率96.2%。")


@pytest.mark.parametrize("original,planted,expected", [
    ("纠错率14.6%", "纠错率16.4%", "14.6%"),  # several possible bases: 审结 is the likeliest
    ("抽检合格率98.1%", "抽检合格率98.6%", "98.1%"),  # 不合格 for 合格率: the complement
])
def test_a_rate_over_its_counts_without_inputs(original, planted, expected):
    finding = both_ways(RATES, original, planted, "figure_derived_mismatch")
    assert finding.expected == expected and finding.suggestion == f"改为“{expected}”"


def test_a_rate_named_otherwise_than_its_counts_is_left_alone():
    """"评出优秀案卷36卷，案卷合格率96.2%": 案卷 names both counts, so neither is the rate's part."""
    assert check_figures(RATES.replace("96.2%", "50%")) == []


def test_a_rate_without_a_sure_base_gets_no_confident_suggestion():
    text = "收到申请120件，受理110件，纠错20件，纠错率15%。"  # 20/120 or 20/110: neither fits, neither is certain
    [f] = check_figures(text)
    assert f.kind == "figure_derived_mismatch" and f.expected is None
    assert f.suggestion == "核对该比率及其依据的数字" and "“110件”" in f.message and "“120件”" in f.message


def test_a_share_of_two_counts_with_other_names_is_not_computed():
    """"网上申请占比62%" against 9件/21件 of two unrelated counts: nothing, let alone a suggestion."""
    text = "受理行政复议申请21件，办结9件，网上申请占比62%。"
    assert check_figures(text) == []
    inp = inputs("{id: a, label: 受理行政复议申请, value: 21, unit: 件}", "{id: b, label: 办结, value: 9, unit: 件}")
    assert [(f.kind, f.text) for f in check_figures(text, inp)] == [("figure_unsupported", "62%")]


def test_a_rate_built_on_unsupported_counts_is_not_right_by_them():
    text = "调解纠纷268件，调解成功263件，调解成功率98.1%。"
    assert check_figures(text) == []  # review mode: it follows from the counts
    inp = inputs("{id: other, label: 审核行政合同, value: 96, unit: 份}")
    assert [(f.kind, f.text) for f in check_figures(text, inp)] == [
        ("figure_unsupported", "268件"), ("figure_unsupported", "263件"), ("figure_unsupported", "98.1%")]
    both = inputs("{id: a, label: 调解纠纷, value: 268, unit: 件}", "{id: b, label: 调解成功, value: 263, unit: 件}")
    assert check_figures(text, both) == []  # counts supported: the rate follows from them


def test_inputs_of_another_year_are_an_error_naming_both_years():
    inp = inputs("{id: a, label: 审核行政合同, value: 96, unit: 份}", year=2023)
    text = "某县2025年法治政府建设年度报告\n县委、县政府：\n2025年，全县审核行政合同96份。\n"
    [f] = [f for f in run_checks(text, CheckContext(inputs=inp), only=("figures",)) if f.kind == "inputs_wrong_year"]
    assert (f.kind, f.severity, f.text) == ("inputs_wrong_year", "error", "某县2025年法治政府建设年度报告")
    # one root cause, one finding: the years the text rightly states are not marked as wrong too
    assert [g.kind for g in run_checks(text, CheckContext(inputs=inp), only=("figures",))] == ["inputs_wrong_year"]
    assert "2023年" in f.message and "2025年" in f.message
    assert run_checks(text.replace("2025", "2023"), CheckContext(inputs=inp), only=("figures",)) == []
    [f] = [f for f in run_checks(text.replace("2025", "2023"), CheckContext(inputs=inp, year=2024), only=("figures",))
           if f.kind == "inputs_wrong_year"]
    assert "2024年" in f.message  # the year the caller gives


def test_a_part_alone_states_no_report_year():
    """Part 四 drafted or saved alone speaks of the next year: that is not the report's year."""
    inp = inputs("{id: a, label: 审核行政合同, value: 96, unit: 份}", year=2024)
    text = "四、2025年推进法治政府建设的主要安排\n2025年，一是深化复议改革；二是加强执法监督。\n"
    assert run_checks(text, CheckContext(inputs=inp), only=("figures",)) == []
