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


# -- the outline read by meaning (issue 11): each form both ways ---------------------------------------
REPORTS = OUTLINE_DATA = __import__("pathlib").Path(__file__).parent.parent / "data" / "reports"


def report(name: str) -> str:
    return (REPORTS / f"{name}.txt").read_text(encoding="utf-8")


def loud(findings):
    return [(f.kind, f.severity, f.text) for f in findings if f.severity != "info"]


def test_theme_headings_are_part_one_by_their_areas_not_their_numerals():
    text = report("hexi-county-2024")  # 一…四 themes, 五 不足, 六 第一责任人, 七 打算
    from assistant.report_tree import parse_report

    assert [s.part for s in parse_report(text, OUTLINE.classify_heading).sections] == [1, 1, 1, 1, 2, 3, 4]
    assert loud(check_outline(text, OUTLINE)) == []
    # without its 不足 part, the themes do not stand in for it
    removed = text[:text.index("五、存在的问题和不足")] + text[text.index("六、党政主要负责人"):]
    assert [(f.kind, f.severity, f.text[:2]) for f in check_outline(removed, OUTLINE) if f.severity != "info"] == [
        ("outline_missing_part", "error", "六、"), ("outline_numbering", "warning", "六、")]


def test_a_weak_word_does_not_decide_a_heading():
    assert OUTLINE.classify_heading("深化放管服改革，依法全面履行政府职能", 1) == 1  # 履行 is weak, 政府职能 an area
    assert OUTLINE.classify_heading("党政主要负责人履行推进法治建设第一责任人职责情况", 0) == 3
    assert OUTLINE.classify_heading("区委书记、区长带头履行第一责任", 0) == 3  # 第一责任 without 人
    assert OUTLINE.classify_heading("2019年推进法治政府建设情况", 1) == 1


def test_a_heading_that_names_nothing_takes_its_part_from_its_body_and_neighbours():
    parts = OUTLINE.classify_parts([("2024年主要举措和成效", ""), ("聚焦中心大局，彰显法治担当", "全年办理案件52件，化解纠纷30件。"),
                                    ("存在的不足和原因", "一是……原因在于……"), ("下一步工作安排", "")])
    assert parts == [1, 1, 2, 4]


def test_the_first_responsible_part_first_is_at_most_a_note():
    text = report("wangchuan-district-2025")
    findings = check_outline(text, OUTLINE)
    assert loud(findings) == []
    order = [f for f in findings if f.kind == "outline_order"]
    assert [(f.severity, f.text[:9]) for f in order] == [("info", "一、党政主要负责人")]  # only the part that moved
    assert "未规定顺序" in order[0].message


def test_the_first_responsible_part_inside_part_one_is_a_note_and_gone_an_error():
    text = report("liuan-district-2024")
    findings = check_outline(text, OUTLINE)
    assert loud(findings) == []
    [note] = [f for f in findings if f.kind == "outline_missing_part"]
    assert (note.severity, note.text) == ("info", "（二）区委书记、区长带头履行第一责任") and "一、（二）" in note.message
    start = text.index("（二）区委书记")
    dropped = text[:start] + text[text.index("（三）推进依法科学民主决策"):]
    dropped = dropped.replace("（三）推进依法", "（二）推进依法").replace("（四）坚持严格", "（三）坚持严格")
    missing = [f for f in check_outline(dropped, OUTLINE) if f.kind == "outline_missing_part"]
    assert [(f.severity, "第一责任人" in f.message) for f in missing] == [("error", True)]


def test_part_three_is_read_from_its_leaders_and_a_part_without_them_warns():
    text = report("qingshi-town-2024")  # 镇党委书记、镇长…
    assert loud(check_outline(text, OUTLINE)) == []
    three = text[text.index("三、镇党委书记"):text.index("四、2025年")]
    blank = text.replace(three, "三、履行推进法治建设职责情况\n全年研究法治建设工作4次，讲法治课两次。\n")
    assert [(f.kind, f.details.get("check")) for f in check_outline(blank, OUTLINE) if f.severity != "info"] == [
        ("outline_part_content", "first_responsible")]


def test_items_numbered_straight_through_a_part_are_not_skips():
    text = report("liuan-district-2024")  # 1. 2. under (一), 3. 4. under (二) … 15.
    assert [f for f in check_outline(text, OUTLINE) if f.kind == "outline_numbering"] == []
    skipped = text.replace("\n8.规范执法行为", "\n9.规范执法行为", 1)
    [f] = [f for f in check_outline(skipped, OUTLINE) if f.kind == "outline_numbering"]
    assert (f.text, f.expected) == ("9.", "8.") and "前一个是“7.”" in f.message
    restarted = text.replace("\n3.带头研究部署", "\n1.带头研究部署", 1).replace("\n4.带头学法守法", "\n2.带头学法守法", 1)
    assert [f.text for f in check_outline(restarted, OUTLINE) if f.kind == "outline_numbering"] != []


def test_numbering_messages_never_say_number_zero_or_call_a_part_an_article():
    text = "一、主要举措和成效\n（二）依法行政\n全年办理案件52件。\n（三）化解纠纷\n化解纠纷30件。\n"
    messages = [f.message for f in check_outline(text, OUTLINE) if f.kind == "outline_numbering"]
    assert messages and all("第0条" not in m and "条" not in m.replace("一条", "") for m in messages), messages
    assert "应从“（一）”开始" in messages[0]


def test_a_subsection_dropped_against_last_years_report():
    this = report("yunxi-county-2023")
    last = this.replace("2023年", "2022年")
    assert [f for f in check_outline(this, OUTLINE, previous=last) if f.severity != "info"] == []
    start, end = this.index("（四）依法预防处置重大突发事件"), this.index("（五）依法有效化解社会矛盾纠纷")
    dropped = (this[:start] + this[end:]).replace("（五）依法有效化解社会矛盾纠纷", "（四）依法有效化解社会矛盾纠纷")
    findings = [f for f in check_outline(dropped, OUTLINE, previous=last) if f.kind == "outline_subsection"]
    assert [(f.severity, "依法预防处置重大突发事件" in f.message) for f in findings if f.severity == "warning"] == [
        ("warning", True)]
    assert any(f.severity == "info" and "（五）" in f.message for f in findings)  # renumbered against last year


def test_the_outlines_areas_part_one_does_not_cover_are_one_note():
    [note] = [f for f in check_outline(report("jiangzhou-amr-2024"), OUTLINE) if f.kind == "outline_subsection"]
    assert note.severity == "info" and "依法预防处置重大突发事件" in note.message


def test_a_section_written_for_its_place_in_the_outline_carries_its_number():
    text = "（六）依法有效化解社会矛盾纠纷\n全年化解矛盾纠纷30件。\n"
    assert check_outline(text, OUTLINE, target="一/(六)") == []
    [f] = check_outline(text.replace("（六）", "（五）"), OUTLINE, target="一/(六)")
    assert (f.kind, f.text, f.expected) == ("outline_numbering", "（五）", "（六）") and "一、（六）" in f.message
    assert check_outline(text.replace("（六）", "（五）"), OUTLINE) == []  # without a target, any start is fine
