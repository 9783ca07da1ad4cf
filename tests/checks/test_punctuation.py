"""公文 punctuation: half-width marks in Chinese text are a proofreading note with a fix."""

import re

import pytest

from assistant.checks import CheckContext, check_punctuation, find_halfwidth, fix_punctuation, run_checks
from tests.conftest import SEED_REPORT, SHARED


def test_marks_in_chinese_text_become_full_width():
    text = ("2023年,我市以习近平法治思想为指导,现将情况汇报如下:\n(一)依法全面履行政府职能\n"
            "全市各乡镇(街道)便民服务中心;《法治政府建设实施纲要(2021-2025年)》,扎实推进。是否?是!\n(1)第一项")
    assert fix_punctuation(text) == (
        "2023年，我市以习近平法治思想为指导，现将情况汇报如下：\n（一）依法全面履行政府职能\n"
        "全市各乡镇（街道）便民服务中心；《法治政府建设实施纲要（2021-2025年）》，扎实推进。是否？是！\n（1）第一项")


def test_numbers_addresses_and_latin_text_are_left_alone():
    text = "实现1,000项, 8:30开门,比例3:2。Hello, world (ISO 9001). 见 https://a.gov.cn/x,y 网站。"
    assert fix_punctuation(text) == "实现1,000项，8:30开门，比例3:2。Hello, world (ISO 9001). 见 https://a.gov.cn/x,y 网站。"
    assert fix_punctuation("完成, 并且 Word, Excel") == "完成，并且 Word, Excel"


def test_one_note_per_paragraph_with_every_fix():
    text = "一、举措\n2023年,我市(街道)推进:落实。\n没有问题的一段。\n二是,原因"
    findings = check_punctuation(text)
    assert [f.severity for f in findings] == ["info", "info"] and {f.kind for f in findings} == {"punctuation_halfwidth"}
    first = findings[0]
    assert first.text == ",我市(街道)推进:" and "4 处半角标点「,」「(」「)」「:」" in first.message
    fixed = first.text
    for start, end, new in reversed(first.details["fixes"]):
        fixed = fixed[:start] + new + fixed[end:]
    assert fixed == fix_punctuation(first.text) == "，我市（街道）推进："
    assert findings[1].text == ","


def test_run_checks_reports_them_and_the_fixed_text_has_none():
    text = SEED_REPORT.read_text(encoding="utf-8")
    findings = [f for f in run_checks(text, CheckContext()) if f.kind == "punctuation_halfwidth"]
    assert len(findings) > 20 and all(f.severity == "info" for f in findings)
    assert sum(len(f.details["fixes"]) for f in findings) == len(find_halfwidth(text)) > 70
    fixed = fix_punctuation(text)
    assert not re.search(r"[,;:()?!]", fixed)
    assert len(fixed) == len(text)  # the seed has no spaces after its marks: one character for one
    assert not [f for f in run_checks(fixed, CheckContext()) if f.kind == "punctuation_halfwidth"]
    assert not [f for f in run_checks(text, CheckContext(), only=("figures", "outline"))
                if f.kind == "punctuation_halfwidth"]


def test_real_reports_are_fixed_without_touching_anything_else():
    folder = SHARED / "corpus" / "reports-dev"
    if not folder.exists():
        pytest.skip("needs ../shared/corpus/reports-dev (real published reports)")
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        fixed = fix_punctuation(text)
        assert not re.search(r"[,;:()?!]", fixed), path.name  # every one was in Chinese context
        assert re.sub(r"[，；：？！（）]", "", fixed) == re.sub(r"[，；：？！（）,;:?!()]", "", text), path.name
        assert all(f.severity == "info" for f in check_punctuation(text))
