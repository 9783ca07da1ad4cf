"""Structured inputs: YAML and XLSX, every validation problem at once with its place."""

import pytest

from assistant.errors import InputsError
from assistant.inputs import load_inputs, write_template


def test_seed_inputs_load(seed_inputs):
    assert seed_inputs.report.region == "珲春市" and seed_inputs.report.year == 2023
    assert seed_inputs.value("mediation.accepted") == 416
    assert float(seed_inputs.value("mediation.rate")) == pytest.approx(98.077, abs=0.001)
    assert seed_inputs.display("mediation.rate") == "98%"
    assert seed_inputs.value("normative.cleaned") == 34
    assert seed_inputs.display("mediation.screenings") == "5900余次"
    assert {n.kind for n in seed_inputs.notes_for("二")} == {"problem", "cause"}


BAD_YAML = """report:
  region: 某县
  year: 二〇二三
figures:
  - {id: a.count, label: 受理案件, value: 四百, unit: 件}
  - {id: a.count, label: 办结案件, value: 3, unit: 件}
  - {id: b.rate, label: 办结率, formula: "a.count / c.missing * 100", unit: "%"}
  - {id: d.loop, label: 循环, formula: "e.loop + 1", unit: 件}
  - {id: e.loop, label: 循环二, formula: "d.loop - 1", unit: 件}
  - {id: f.none, label: 没有数值, unit: 件}
  - {id: g.zero, label: 零, value: 0, unit: 件}
  - {id: h.div, label: 除零, formula: "g.zero / g.zero * 100", unit: "%"}
  - {id: i.odd, label: 怪单位, value: 3, unit: 斤}
  - {id: 编号-不合规, label: 编号不合规, value: 1, unit: 件}
notes:
  - {kind: work, text: 没写部分}
"""


def test_every_yaml_problem_reported_with_its_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_YAML, encoding="utf-8")
    with pytest.raises(InputsError) as info:
        load_inputs(path)
    problems = {(p.where.split(" ")[0], p.severity): p for p in info.value.problems}
    text = info.value.text()
    expected = {
        ("第3行", "error"): "年度应为四位数字",
        ("第5行", "error"): "不是数字",
        ("第6行", "error"): "重复",
        ("第7行", "error"): "不存在的指标：c.missing",
        ("第10行", "error"): "缺少数值",
        ("第12行", "error"): "除以零",
        ("第13行", "warning"): "不常见的单位“斤”",
        ("第14行", "error"): "只能用文字",
        ("第16行", "error"): "缺少所属部分",
    }
    for (line, severity), words in expected.items():
        assert (line, severity) in problems, (line, text)
        assert words in problems[(line, severity)].zh
    cycle = [p for p in info.value.problems if "循环" in p.zh]
    assert {p.where.split(" ")[0] for p in cycle} == {"第8行", "第9行"}
    assert all(p.en for p in info.value.problems)  # English too
    assert "10 处错误" in text  # every error counted, none hidden behind the first


def test_malformed_yaml_gives_line_and_column(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("report:\n  region: 某县\nfigures:\n  - {id: a, label: x, value: 1\n", encoding="utf-8")
    with pytest.raises(InputsError) as info:
        load_inputs(path)
    assert "不是有效的 YAML" in info.value.zh and "第5行" in info.value.zh
    assert "line 5" in info.value.en


def _workbook(tmp_path, rows, notes=()):
    from openpyxl import load_workbook

    path = write_template(tmp_path / "in.xlsx")
    wb = load_workbook(path)
    info = wb["报告信息"]
    info["B2"], info["B3"] = "某县", 2024
    for row in rows:
        wb["指标"].append(list(row))
    for row in notes:
        wb["工作情况"].append(list(row))
    wb.save(path)
    return path


def test_xlsx_template_round_trip(tmp_path):
    path = _workbook(tmp_path, [
        ("review.accepted", "行政复议机关受理行政复议案件", 52, "件", None, None, None, "一/(六)/1"),
        ("review.closed", "审结行政复议案件", 50, "件"),
        ("review.rate", "审结率", None, "%", None, "review.closed / review.accepted * 100", 1),
        ("screen", "矛盾纠纷排查", 6100, "次", "是"),
    ], notes=[("二", "原因", None, "基层法治力量薄弱"), ("四", "安排", "深化复议体制改革", "推进复议+调解")])
    inputs = load_inputs(path)
    assert inputs.report.region == "某县" and inputs.report.year == 2024
    assert inputs.display("review.rate") == "96.2%"
    assert inputs.figure("screen").approx == "约"  # 是 = about, no direction
    assert inputs.figure("review.accepted").section == "一/(六)/1"
    assert [(n.section, n.kind) for n in inputs.notes] == [("二", "cause"), ("四", "plan")]
    from openpyxl import load_workbook

    help_sheet = load_workbook(path)["填写说明"]
    assert "每行一个统计数据" in " ".join(str(c.value) for c in help_sheet["B"] if c.value)


def test_xlsx_problems_name_sheet_row_and_column(tmp_path):
    path = _workbook(tmp_path, [
        ("a", "受理", "很多", "件"),
        ("a", "受理二", 3, "件"),
        ("b", "比率", None, "%", None, "a / zz * 100"),
    ])
    with pytest.raises(InputsError) as info:
        load_inputs(path)
    wheres = [p.where for p in info.value.problems]
    assert "工作表“指标”第2行C列" in wheres  # the non-numeric value
    assert "工作表“指标”第3行A列" in wheres  # the duplicate id
    assert "工作表“指标”第4行F列" in wheres  # the unknown id in the formula


def test_damaged_xlsx_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(InputsError) as info:
        load_inputs(path)
    assert "无法打开 Excel 文件" in info.value.zh and "damaged" in info.value.en


def test_approx_written_in_chinese_and_a_bad_one_named(tmp_path):
    from assistant.inputs import load_inputs_text

    inputs = load_inputs_text("figures:\n  - {id: a, label: 排查, value: 5900, unit: 次, approx: 是}\n"
                              "  - {id: b, label: 走访, value: 190, unit: 次, approx: 否}\n")
    assert inputs.figure("a").approx == "约" and inputs.figure("b").approx is None
    with pytest.raises(InputsError) as info:
        load_inputs_text("figures:\n  - {id: a, label: 排查, value: 5900, unit: 次, approx: 也许}\n"
                         "  - {id: r, label: 比率, formula: a / 2, unit: '%'}\n")
    assert [p.zh for p in info.value.problems] == ["约数标记“也许”应为 余、近、约、以上，或 是/否"]  # and no "unknown id a"


def test_approx_says_its_direction_and_is_written_that_way():
    from assistant.inputs import load_inputs_text

    inputs = load_inputs_text(
        "figures:\n  - {id: a, label: 排查, value: 5900, unit: 次, approx: 余}\n"
        "  - {id: b, label: 意见, value: 50, unit: 件, approx: 近}\n"
        "  - {id: c, label: 受众, value: 3, unit: 万人次, approx: 余}\n"
        "  - {id: d, label: 挽回损失, value: 2100, unit: 万元, approx: 余}\n"
        "  - {id: e, label: 满意度, value: 95, unit: '%', approx: 以上}\n"
        "  - {id: f, label: 资料, value: 1.2, unit: 万份, approx: true}\n"
        "  - {id: g, label: 走访, value: 190, unit: 次, approx: 多}\n")
    assert [inputs.figure(x).approx for x in "abcdefg"] == ["余", "近", "余", "余", "以上", "约", "余"]
    assert [inputs.display(x) for x in "abcdefg"] == ["5900余次", "近50件", "3万余人次", "2100余万元", "95%以上",
                                                      "约1.2万份", "190余次"]


def test_figure_ids_may_be_chinese_in_yaml_and_excel(tmp_path):
    from assistant.inputs import load_inputs_text

    inputs = load_inputs_text("figures:\n  - {id: 复议.审结, label: 审结行政复议案件, value: 135, unit: 件}\n"
                              "  - {id: 复议.纠错, label: 行政复议纠错, value: 29, unit: 件}\n"
                              "  - {id: 复议.纠错率, label: 行政复议纠错率, formula: 复议.纠错 / 复议.审结 * 100,"
                              " unit: '%', decimals: 1}\n")
    assert inputs.display("复议.纠错率") == "21.5%"
    assert inputs.formula_text("复议.纠错率") == "行政复议纠错 ÷ 审结行政复议案件 × 100"  # labels, not ids
    path = _workbook(tmp_path, [("复议.审结", "审结行政复议案件", 135, "件"), ("复议.纠错", "行政复议纠错", 29, "件"),
                                ("复议.纠错率", "行政复议纠错率", None, "%", None, "（复议.纠错）÷复议.审结×100", 1)])
    assert load_inputs(path).display("复议.纠错率") == "21.5%"
    with pytest.raises(InputsError) as info:  # still a word: no leading digit, no spaces or signs
        load_inputs_text("figures:\n  - {id: 1复议, label: 受理, value: 3, unit: 件}\n"
                         "  - {id: 复议 受理, label: 受理, value: 3, unit: 件}\n")
    assert len(info.value.problems) == 2 and all("只能用文字" in p.zh for p in info.value.problems)


def test_a_note_for_a_part_not_in_the_outline_is_a_warning():
    from assistant.inputs import load_inputs_text

    inputs = load_inputs_text("figures: []\nnotes:\n  - {section: 七, text: 不存在的部分}\n  - {section: 一/(六), text: 有}\n")
    assert [w.where.split(" ")[0] for w in inputs.warnings] == ["第3行"] and "不在提纲中" in inputs.warnings[0].zh
