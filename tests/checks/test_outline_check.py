"""Outline checks against the outline YAML: missing parts, order, numbering, part content."""

from assistant.checks import check_outline
from assistant.outline import load_outline

OUTLINE = load_outline()


def kinds(findings):
    return [(f.kind, f.severity, f.text) for f in findings]


def test_seed_report_only_notes_implicit_causes(seed_text):
    # the seed's part 二 explains each problem but never says "原因": a note, not a warning
    findings = [f for f in check_outline(seed_text, OUTLINE) if f.kind != "outline_subsection"]
    assert kinds(findings) == [("outline_part_content", "info", "二、推进法治政府建设中存在的主要问题")]
    assert findings[0].details["check"] == "causes"


def test_bare_problem_list_warns_even_when_another_is_explained():
    head = "二、存在的不足和原因\n主要表现在：一是法治意识有待提高，个别单位学习停留在表面，依法行政意识有待提升；"
    bare = head + "二是专业人才队伍仍需加强。\n"
    [finding] = check_outline(bare, OUTLINE)
    assert (finding.kind, finding.severity, finding.details["check"]) == ("outline_part_content", "warning", "causes")
    explained = head + "二是专业人才队伍仍需加强，具有法律职业资格的执法人员占比不高。\n"
    assert kinds(check_outline(explained, OUTLINE)) == [("outline_part_content", "info", "二、存在的不足和原因")]
    subsections = ("二、存在的不足和原因\n（一）法治意识有待提高\n个别单位学法停留在表面，依法行政意识不强。\n"
                   "（二）人才队伍仍需加强\n")
    assert check_outline(subsections, OUTLINE)[0].severity == "warning"


def test_missing_part_is_an_error(seed_text):
    text = seed_text[:seed_text.index("三、党政")] + seed_text[seed_text.index("四、2024"):]
    findings = check_outline(text, OUTLINE)
    assert ("outline_missing_part", "error") in [(f.kind, f.severity) for f in findings]
    missing = next(f for f in findings if f.kind == "outline_missing_part")
    assert "第一责任人" in missing.message
    assert missing.suggestion == "补写“三、2023年党政主要负责人履行推进法治建设第一责任人职责情况”部分"


def test_order_by_meaning(seed_text):
    two = seed_text[seed_text.index("二、推进"):seed_text.index("三、党政")]
    three = seed_text[seed_text.index("三、党政"):seed_text.index("四、2024")]
    swapped = seed_text.replace(two + three, three.replace("三、", "二、", 1) + two.replace("二、", "三、", 1))
    findings = [f for f in check_outline(swapped, OUTLINE) if f.kind == "outline_order"]
    assert len(findings) == 1 and findings[0].text.startswith("三、推进法治政府建设中存在的主要问题")


def test_skipped_and_repeated_numbers(seed_text):
    text = seed_text.replace("(三)完善依法行政制度体系", "(四)完善依法行政制度体系", 1)
    text = text.replace("2.健全依法决策咨询机制", "1.健全依法决策咨询机制", 1)
    findings = [f for f in check_outline(text, OUTLINE) if f.kind == "outline_numbering"]
    assert [(f.text, f.expected) for f in findings] == [("(四)", "(三)"), ("1.", "2.")]


def test_part_content_checks():
    text = ("一、2024年主要举措和成效\n全年办理复议案件52件。\n"
            "二、存在的不足和原因\n一是执法人员不足。\n"
            "三、党政主要负责人履行推进法治建设第一责任人职责情况\n主要负责人带头学法。\n"
            "四、下一步工作安排\n继续努力。\n")
    findings = [f for f in check_outline(text, OUTLINE, year=2024) if f.kind != "outline_subsection"]
    assert [(f.kind, f.details["check"]) for f in findings] == [
        ("outline_part_content", "causes"), ("outline_part_content", "concrete")]
    better = text.replace("一是执法人员不足。", "一是执法人员不足，原因在于编制有限。").replace(
        "继续努力。", "2025年，一是深化复议改革；二是加强执法监督。")
    assert [f for f in check_outline(better, OUTLINE, year=2024) if f.kind != "outline_subsection"] == []


def test_a_single_section_is_not_missing_parts():
    text = "二、存在的不足和原因\n一是基层力量薄弱，主要原因是人员编制不足。\n"
    assert check_outline(text, OUTLINE) == []
