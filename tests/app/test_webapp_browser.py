"""The web app end to end: the real `python app.py` as a subprocess, driven in Debian's Chromium
through Playwright. Offline drafting, checking, versions and restore; the Word export opened with
python-docx; a restart on the same data dir; streaming chat and a revision with a scripted LLM
(tests/llm_server.py). Screenshots of the main screens go to test-artifacts/screenshots/.

The browser only talks to 127.0.0.1: every other request is aborted.
"""

from __future__ import annotations

import re
import time

import docx
import pytest
from app_process import AppProcess
from conftest import SEED_INPUTS
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt
from llm_server import Reply
from playwright.sync_api import expect
from webui import (NEXT_YEAR_INPUTS, PART1_LABEL, PART2, PART2_SHORTER, REGION, REPORT_LABEL, SAMPLE_REPORT_TITLE, SLOW, YEAR,  # noqa: F401
                   bot_messages, browser, dropdown_options, editor, llm_app, llm_server, load_sample_inputs,
                   offline_app, open_2024_report, open_app, open_report, open_versions, page, select_section, send_chat, shot, tab,
                   wait_idle)

pytestmark = pytest.mark.browser


# -- offline -------------------------------------------------------------------------------------------------
def test_offline_draft_check_highlight_and_restore(page, offline_app):
    open_app(page, offline_app)
    expect(page.locator("#status")).to_contain_text("未配置")
    shot(page, "01-start-page")
    open_report(page)

    # the sample inputs, uploaded as a user would
    tab(page, "指标与素材")
    page.locator("#inputs-upload input[type=file]").set_input_files(str(SEED_INPUTS))
    expect(page.locator("#figures")).to_contain_text("mediation.accepted")
    expect(page.locator("#inputs-message")).to_contain_text("已载入 27 个指标")
    shot(page, "02-inputs")
    tab(page, "起草与修改")

    # offline drafting of part 一 (the year-over-year update of last year's report)
    expect(page.locator("#sections")).to_contain_text(PART1_LABEL)
    select_section(page, "一")
    page.locator("#draft-section").click()
    expect(editor(page)).to_have_value(re.compile(r"^一、2023年推进法治政府建设的主要举措和成效\n"), timeout=SLOW)
    drafted = editor(page).input_value()
    assert "416件" in drafted and "调解成功率98%" in drafted
    expect(page.locator("#message")).to_contain_text("更新")

    # a wrong figure typed by hand is caught on save
    editor(page).fill(drafted.replace("416件", "461件"))
    page.locator("#save").click()
    findings = page.locator("#findings")
    expect(findings).to_contain_text("461件")
    expect(findings).to_contain_text("数字与统计不符")
    expect(page.locator("#message")).to_contain_text("已保存为第2版")
    expect(page.locator("#sections")).to_contain_text(f"{PART1_LABEL}（有错误）")
    shot(page, "03-draft-with-findings")

    # ... and marked in the text with the 错误 colour
    tab(page, "检查标注")
    marked = page.locator("#highlight")
    expect(marked).to_contain_text("461件")
    wrong = marked.locator("mark.sev-error").filter(has_text=re.compile(r"^461件错误$"))
    expect(wrong).to_have_count(1)
    expect(wrong).to_have_css("background-color", "rgb(255, 212, 212)")  # the 错误 colour
    expect(wrong.locator(".tag")).to_have_text("错误")  # the category is written next to the marked text
    # the marked number flows in its paragraph (one line high, the words around it in the same paragraph)
    assert wrong.bounding_box()["height"] < 40
    paragraph = wrong.locator("xpath=ancestor::p[1]")
    expect(paragraph).to_contain_text(re.compile(r"\S461件错误\S"))
    shot(page, "04-highlight")
    tab(page, "编辑正文")

    # version history: A is the previous version, B the current one
    open_versions(page)
    expect(page.locator("#version-a input")).to_have_value(re.compile("^第1版"))
    expect(page.locator("#version-b input")).to_have_value(re.compile("^第2版"))
    page.locator("#diff-btn").click()
    expect(page.locator("#diff .diff-body del").first).to_be_visible()
    expect(page.locator("#diff .diff-body ins").first).to_be_visible()
    shot(page, "05-version-diff")

    page.locator("#restore-btn").click()
    expect(page.locator("#message")).to_contain_text("已恢复，保存为第3版")
    expect(editor(page)).not_to_have_value(re.compile("461件"))
    assert "416件" in editor(page).input_value()
    expect(findings).not_to_contain_text("461件")
    expect(page.locator("#version-b input")).to_have_value(re.compile("^第3版"))


def test_knowledge_base_lists_and_searches_the_sample_report(page, offline_app):
    open_app(page, offline_app)
    tab(page, "知识库")
    docs = page.locator("#docs")
    expect(docs).to_contain_text("往年报告")
    page.locator("#search-box textarea, #search-box input").first.fill("人民调解案件")
    page.locator("#search-btn").click()
    expect(page.locator("#search-results")).to_contain_text(SAMPLE_REPORT_TITLE, timeout=SLOW)
    shot(page, "06-knowledge-base")


def test_export_word_with_comments(page, offline_app, tmp_path):
    open_app(page, offline_app)
    open_report(page)
    load_sample_inputs(page)
    send_chat(page, "起草全文")
    expect(bot_messages(page).last).to_contain_text("已起草“全文”", timeout=SLOW)

    tab(page, "导出")
    page.locator("#export-comments input[type=checkbox]").check()
    page.locator("#export-docx").click()
    # the sample report's half-width , ; : ( ) came into the draft: the export offers to fix them first
    confirm = page.locator("#export-confirm")
    expect(confirm).to_contain_text("处半角标点", timeout=SLOW)
    expect(confirm).not_to_contain_text("个错误")
    expect(page.locator("#export-file a[href*='docx']")).to_have_count(0)  # nothing exported yet
    shot(page, "07-export-confirm")
    page.locator("#export-fix").click()
    message = page.locator("#export-message")
    expect(message).to_contain_text(re.compile(r"已把 \d+ 处半角标点改为全角"), timeout=SLOW)
    expect(message).to_contain_text(re.compile(r"已导出：珲春市2023年法治政府建设年度报告-审核批注版-\d{8}-\d{6}(-\d+)?\.docx"))
    expect(confirm).to_be_hidden()
    link = page.locator("#export-file a[href*='docx']")
    expect(link).to_be_visible()
    shot(page, "07-export")
    with page.expect_download() as info:
        link.click()
    path = tmp_path / "report.docx"
    info.value.save_as(path)
    document = docx.Document(str(path))
    body_text = "\n".join(p.text for p in document.paragraphs)
    assert not re.search(r"[,;:()?!]", body_text), "half-width punctuation left after the fix"
    assert "（一）" in body_text and "：" in body_text

    # a plain export right after: nothing left to confirm, and a file of its own (the commented one stays)
    page.locator("#export-comments input[type=checkbox]").uncheck()
    page.locator("#export-docx").click()
    expect(message).to_contain_text(re.compile(r"已导出：珲春市2023年法治政府建设年度报告-\d{8}-\d{6}(-\d+)?\.docx"), timeout=SLOW)
    expect(confirm).to_be_hidden()
    exported = sorted(p.name for p in (offline_app.data_dir / "exports").glob("珲春市2023年*.docx"))
    assert any("审核批注版" in n for n in exported) and any("审核批注版" not in n for n in exported), exported

    section = document.sections[0]
    measured = [section.page_width, section.page_height, section.top_margin, section.bottom_margin,
                section.left_margin, section.right_margin]
    assert [length.mm for length in measured] == pytest.approx([210, 297, 37, 35, 28, 26], abs=0.5)

    def east_asia(run) -> str | None:
        return run._element.rPr.rFonts.get(qn("w:eastAsia"))

    title = document.paragraphs[0]
    assert title.text == SAMPLE_REPORT_TITLE
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert {(east_asia(r), r.font.size) for r in title.runs} == {("方正小标宋简体", Pt(22))}

    text = "\n".join(p.text for p in document.paragraphs)
    assert "调解成功率98%" in text and "416件" in text and "461件" not in text

    body = next(p for p in document.paragraphs if "调解成功率98%" in p.text)
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert body.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    runs = [r for r in body.runs if r.text.strip()]
    assert runs and all((east_asia(r), r.font.size) == ("仿宋_GB2312", Pt(16)) for r in runs)

    part = next(p for p in document.paragraphs if p.text.startswith("一、"))
    assert {east_asia(r) for r in part.runs if r.text.strip()} == {"黑体"}
    subsection = next(p for p in document.paragraphs if re.match(r"^[（(]一[)）]", p.text))
    assert {east_asia(r) for r in subsection.runs if r.text.strip()} == {"楷体_GB2312"}

    comments = list(document.comments)
    assert comments, "export with comments on has no Word comments"
    assert any("人民调解委员会受理人民调解案件" in c.text and "一致" in c.text and "mediation" not in c.text for c in comments)


def test_bad_inputs_are_listed_and_the_loaded_ones_kept(page, offline_app, tmp_path):
    open_app(page, offline_app)
    open_report(page, "珲春市（输入测试）")
    load_sample_inputs(page, force=True)
    bad = tmp_path / "bad-inputs.yaml"
    bad.write_text("report:\n  region: 珲春市\n  year: 2023\nfigures:\n"
                   "  - {id: a, label: 受理案件, value: 很多, unit: 件}\n"
                   "  - {id: a, label: 办结案件, value: 3, unit: 件}\n", encoding="utf-8")
    tab(page, "指标与素材")
    page.locator("#inputs-upload input[type=file]").set_input_files(str(bad))
    message = page.locator("#inputs-message")
    expect(message).to_contain_text("第5行", timeout=SLOW)  # every problem, with its line
    expect(message).to_contain_text("第6行")
    expect(message).to_contain_text("原有的输入数据保持不变")
    expect(page.locator("#figures")).to_contain_text("mediation.accepted")  # nothing lost
    expect(page.locator("#notes")).to_contain_text("原因")  # note kinds in Chinese
    shot(page, "10-inputs-problems")


def test_review_a_word_report_and_export_its_findings(page, offline_app, tmp_path, seed_text):
    from openpyxl import load_workbook

    planted = seed_text.replace("成功化解408件", "成功化解480件", 1).replace(
        "调解涉企纠纷79件。", "调解涉企纠纷79件。严格执行《中华人民共和国行政复议法》第九十五条。", 1)
    document = docx.Document()
    for line in planted.split("\n"):
        document.add_paragraph(line)
    report = tmp_path / "外单位报告.docx"
    document.save(report)

    open_app(page, offline_app)
    tab(page, "审阅")
    page.locator("#review-upload input[type=file]").set_input_files(str(report))
    page.locator("#review-inputs input[type=file]").set_input_files(str(SEED_INPUTS))
    wait_idle(page)
    page.locator("#review-btn").click()
    expect(page.locator("#review-message")).to_contain_text("审阅完毕：2 个错误、0 个警告", timeout=SLOW)
    findings = page.locator("#review-findings")
    expect(findings).to_contain_text("480件")
    expect(findings).to_contain_text("第九十五条")
    wrong = page.locator("#review-highlight .token.highlighted").filter(
        has=page.locator(".text", has_text=re.compile(r"^\s*480件\s*$")))
    expect(wrong).to_have_count(1)
    shot(page, "11-review")

    page.locator("#review-export").click()
    link = page.locator("#review-file a[href*='xlsx']")
    expect(link).to_be_visible(timeout=SLOW)
    with page.expect_download() as info:
        link.click()
    path = tmp_path / "review.xlsx"
    info.value.save_as(path)
    rows = list(load_workbook(path)["检查结果"].iter_rows(values_only=True))
    assert rows[0][:5] == ("行", "列", "级别", "类型", "原文")
    errors = [row for row in rows[1:] if row[2] == "错误"]
    assert sorted(row[4] for row in errors) == sorted(["480件", "第九十五条"]), errors
    line = planted[:planted.index("成功化解480件")].count("\n") + 1
    assert any(row[4] == "480件" and row[0] == line for row in errors)


def test_review_many_reports_with_one_table_exported_to_excel(page, offline_app, tmp_path):
    """Review season: several reports at once, inputs matched by name, one summary table, each
    report's findings on demand, the table and findings exported to Excel."""
    from openpyxl import load_workbook

    from conftest import ROOT

    data = ROOT / "tests" / "data" / "reports"
    reports = []
    for name in ("hexi-county-2024", "liuan-district-2024"):
        text = (data / f"{name}.txt").read_text(encoding="utf-8")
        if name.startswith("liuan"):
            text = text.replace("调解成功5291件", "调解成功5219件")
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
        reports.append(str(tmp_path / f"{name}.txt"))
    open_app(page, offline_app)
    tab(page, "审阅")
    page.locator("#review-upload input[type=file]").set_input_files(reports)
    page.locator("#review-inputs input[type=file]").set_input_files([str(data / "hexi-county-2024.yaml"),
                                                                      str(data / "liuan-district-2024.yaml")])
    wait_idle(page)
    page.locator("#review-btn").click()
    expect(page.locator("#review-message")).to_contain_text("审阅完毕：2 份报告，共 1 个错误", timeout=SLOW)
    summary = page.locator("#review-summary")
    expect(summary).to_contain_text("hexi-county-2024.txt")
    expect(summary).to_contain_text("liuan-district-2024.yaml")
    page.locator("#review-pick input").click()
    page.get_by_role("option", name="liuan-district-2024.txt").click()
    expect(page.locator("#review-findings")).to_contain_text("5219件")
    shot(page, "12-review-many")
    page.locator("#review-export").click()
    link = page.locator("#review-file a[href*='xlsx']")
    expect(link).to_be_visible(timeout=SLOW)
    with page.expect_download() as info:
        link.click()
    path = tmp_path / "review.xlsx"
    info.value.save_as(path)
    book = load_workbook(path)
    assert [row[0] for row in book["汇总"].iter_rows(min_row=2, values_only=True)] == [
        "hexi-county-2024.txt", "liuan-district-2024.txt"]
    errors = [row for row in book["检查结果"].iter_rows(min_row=2, values_only=True) if row[2] == "错误"]
    assert [(row[4], row[7]) for row in errors] == [("5219件", "liuan-district-2024.txt")]


def test_the_sample_button_loads_the_sample_of_the_reports_year(page, offline_app):
    open_app(page, offline_app)
    open_report(page, REGION, 2024)
    tab(page, "指标与素材")
    page.locator("#load-sample").click()
    expect(page.locator("#inputs-message")).to_contain_text("已载入2024年的示例数据", timeout=SLOW)
    expect(page.locator("#inputs-message")).to_contain_text("珲春市2024年度")
    tab(page, "起草与修改")
    open_report(page, REGION, 2026)
    tab(page, "指标与素材")
    page.locator("#load-sample").click()
    expect(page.locator("#inputs-message")).to_contain_text("没有2026年的示例数据", timeout=SLOW)


def test_knowledge_base_upload_search_and_remove(page, offline_app, tmp_path):
    title = "某市文明行为促进条例"
    law = tmp_path / "文明行为促进条例.md"
    law.write_text(f"# {title}\n\n第一条　为了培育和践行社会主义核心价值观，引导和促进文明行为，制定本条例。\n\n"
                   "第二条　本市行政区域内文明行为的促进和保障工作，适用本条例。\n", encoding="utf-8")
    broken = tmp_path / "损坏的文件.docx"
    broken.write_bytes(b"PK\x03\x04 not really a Word file")

    open_app(page, offline_app)
    tab(page, "知识库")
    page.locator("#kb-upload input[type=file]").set_input_files([str(law), str(broken)])
    wait_idle(page)
    page.locator("#kb-kind").get_by_text("法规", exact=True).click()
    page.locator("#kb-ingest").click()
    kb_message = page.locator("#kb-message")
    expect(kb_message).to_contain_text(f"✓ 文明行为促进条例.md → 《{title}》（法规，2段", timeout=SLOW)
    expect(kb_message).to_contain_text("✗ 损坏的文件.docx")  # a clear error for the broken file, the rest goes in
    expect(kb_message).not_to_contain_text(re.compile(r"\d{8}-\d{6}-[0-9a-f]{6}"))  # never the stored name
    docs = page.locator("#docs")
    expect(docs).to_contain_text(title)
    expect(docs).to_contain_text("文明行为促进条例.md")  # the file's own name is listed
    expect(docs).to_contain_text(SAMPLE_REPORT_TITLE)

    page.locator("#search-box textarea, #search-box input").first.fill("文明行为的促进和保障适用哪里")
    page.locator("#search-btn").click()
    expect(page.locator("#search-results")).to_contain_text(title, timeout=SLOW)
    shot(page, "12-knowledge-base-upload")

    page.locator("#remove-doc input").click()
    page.locator("[role=listbox] [role=option]").filter(has_text=title).click()
    page.locator("#remove-btn").click()
    confirm = page.locator("#confirm-remove")
    expect(confirm).to_contain_text(f"确定从知识库删除《{title}》吗")  # asked first, with the file's own name
    expect(confirm).to_contain_text("原文件：文明行为促进条例.md")
    shot(page, "12b-knowledge-base-remove-confirm")
    page.locator("#confirm-remove-no").click()
    expect(confirm).to_be_hidden()
    expect(kb_message).to_contain_text("已取消，没有删除")
    expect(docs).to_contain_text(title)
    page.locator("#remove-btn").click()
    page.locator("#confirm-remove-yes").click()
    expect(kb_message).to_contain_text(f"已删除《{title}》")
    expect(docs).not_to_contain_text(title)
    expect(docs).to_contain_text(SAMPLE_REPORT_TITLE)


# -- restart -------------------------------------------------------------------------------------------------
def test_everything_is_back_after_a_restart(page, tmp_path, vector_cache):
    app = AppProcess(tmp_path / "data", vector_cache)
    try:
        app.start()
        open_app(page, app)
        open_report(page)
        load_sample_inputs(page)
        select_section(page, "一")
        page.locator("#draft-section").click()
        expect(editor(page)).to_have_value(re.compile("^一、"), timeout=SLOW)
        editor(page).fill(editor(page).input_value().replace("416件", "461件"))
        page.locator("#save").click()
        expect(page.locator("#message")).to_contain_text("已保存为第2版")
        send_chat(page, "检查全文")
        expect(bot_messages(page).last).to_contain_text("检查完毕")

        app.restart()
        open_app(page, app)
        expect(page.locator("#report input")).to_have_value(REPORT_LABEL)
        expect(page.locator("#sections")).to_contain_text(f"{PART1_LABEL}（有错误）")
        expect(page.locator("#sections input[value='一']")).to_be_checked()
        expect(editor(page)).to_have_value(re.compile(r"^一、[\s\S]*461件"))
        expect(page.locator("#findings")).to_contain_text("461件")
        open_versions(page)
        versions = dropdown_options(page, "version-a")
        assert len(versions) >= 2 and versions[0].startswith("第2版") and versions[-1].startswith("第1版"), versions
        chat = page.locator("#chat")
        expect(chat.locator("[data-testid=user]")).to_have_count(1)
        expect(chat.locator("[data-testid=user]")).to_have_text("检查全文")
        expect(bot_messages(page)).to_contain_text(["检查完毕"])
        tab(page, "指标与素材")
        expect(page.locator("#figures")).to_contain_text("mediation.accepted")
    finally:
        app.stop()


# -- with an LLM (the scripted server on 127.0.0.1) ---------------------------------------------------------
def test_chat_answer_streams_in(page, llm_app, llm_server):
    open_app(page, llm_app)
    status = page.locator("#status")
    expect(status).to_contain_text(f"已配置 test-model（{llm_server.url}）")
    expect(status.locator("a")).to_have_count(0)  # the endpoint is shown as code, not a link that eats the "）"
    open_report(page)
    chunks = ["根据《重大行政决策程序暂行条例》，", "决策事项涉及特定群体利益的，", "决策承办单位应当与相关人民团体、",
              "社会组织以及群众代表进行沟通协商，", "充分听取意见；", "专业性、技术性较强的，应当组织专家论证；",
              "对社会稳定、公共安全等方面可能造成不利影响的，", "应当组织听证。"]
    answer = "".join(chunks)
    llm_server.script(Reply(chunks=chunks, chunk_delay=0.2))
    asked = len(llm_server.requests)
    send_chat(page, "重大行政决策要不要听证")

    message = bot_messages(page).last
    expect(message).to_contain_text(chunks[0], timeout=SLOW)
    seen = set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        text = message.inner_text()
        seen.add(text)
        if answer in text:
            break
        time.sleep(0.05)
    partial = [t for t in seen if chunks[0] in t and answer not in t]
    assert partial, "the answer appeared at once, not streamed"
    expect(message).to_contain_text(answer)
    assert len(llm_server.requests) == asked + 1
    assert "重大行政决策要不要听证" in llm_server.requests[-1]["messages"][-1]["content"]
    shot(page, "08-chat-streamed")


def test_revision_by_instruction_shows_its_diff(page, llm_app, llm_server):
    open_app(page, llm_app)
    open_report(page, "珲春市（改写测试）")  # a report of its own: nothing left by the chat test
    load_sample_inputs(page)
    select_section(page, "二")

    llm_server.script(Reply(text=PART2))
    page.locator("#draft-section").click()
    expect(editor(page)).to_have_value(PART2, timeout=SLOW)
    open_versions(page)
    expect(page.locator("#version-b input")).to_have_value(re.compile("^第1版"))

    llm_server.script(Reply(text=PART2_SHORTER))
    asked = len(llm_server.requests)
    send_chat(page, "精简一些")
    expect(bot_messages(page).last).to_contain_text("已按“精简一些”改写", timeout=SLOW)
    expect(editor(page)).to_have_value(PART2_SHORTER)
    assert len(llm_server.requests) == asked + 1  # valid answer: no repair round
    assert "精简一些" in llm_server.requests[-1]["messages"][-1]["content"]

    diff = page.locator("#diff")
    expect(diff.locator(".diff-body del").first).to_be_visible()
    expect(diff.locator(".diff-body ins").first).to_be_visible()
    expect(page.locator("#version-b input")).to_have_value(re.compile("^第2版"))
    shot(page, "09-revision-diff")
    assert len(dropdown_options(page, "version-b")) == 2


# -- the final guard, seen by a user -------------------------------------------------------------------------
def test_a_sloppy_models_draft_is_marked_and_the_ui_says_where(page, llm_app, llm_server, tmp_path):
    from llm_server import SloppyModel

    open_2024_report(page, llm_app, "珲春市（标记测试）")
    llm_server.responder = SloppyModel()
    try:
        send_chat(page, "起草全文")
        message = bot_messages(page).last
        expect(message).to_contain_text("需要处理的部分", timeout=SLOW)
        for part in ("第一部分", "第二部分", "第三部分", "第四部分"):
            expect(message).to_contain_text(part)
        sections = page.locator("#sections")
        expect(sections).to_contain_text("二、推进法治政府建设存在的不足和原因（有标记待处理）")
        expect(sections).to_contain_text("四、推进法治政府建设的主要安排（有标记待处理）")
        select_section(page, "四")
        expect(editor(page)).to_have_value(re.compile("〔待核实：年份应为2025年"))
        assert "以上内容供参考" not in editor(page).input_value()
        expect(page.locator("#findings")).to_contain_text("待处理的标记")
        tab(page, "检查标注")
        mark = page.locator("#highlight mark.sev-error").filter(has_text="〔未写完〕")
        expect(mark).to_have_count(1)
        expect(mark.locator(".tag")).to_have_text("错误")
        shot(page, "13-guarded-draft")
        tab(page, "编辑正文")

        tab(page, "导出")
        page.locator("#export-docx").click()
        expect(page.locator("#export-confirm")).to_contain_text("个错误，确定要导出吗", timeout=SLOW)  # asked first
        page.locator("#export-anyway").click()
        link = page.locator("#export-file a[href*='docx']")
        expect(link).to_be_visible(timeout=SLOW)
        with page.expect_download() as info:
            link.click()
        path = tmp_path / "marked.docx"
        info.value.save_as(path)
        document = docx.Document(str(path))
        text = "\n".join(p.text for p in document.paragraphs)
        marks = text.count("〔待核实") + text.count("〔未写完〕")
        assert marks > 20 and sum(c.text.startswith(("待核实：", "未写完：")) for c in document.comments) == marks
    finally:
        llm_server.responder = None


def test_an_obedient_models_draft_ends_clean(page, llm_app, llm_server):
    from llm_server import ObedientModel

    open_2024_report(page, llm_app, "珲春市（守规矩的模型）")
    llm_server.responder = ObedientModel(mistake=True)
    try:
        select_section(page, "一")
        page.locator("#draft-section").click()
        expect(editor(page)).to_have_value(re.compile(r"^一、2024年推进法治政府建设的主要举措和成效\n（一）"), timeout=SLOW)
        expect(page.locator("#sections")).to_contain_text(f"{PART1_LABEL}（已检查）")
        assert "〔" not in editor(page).input_value() and "452件" in editor(page).input_value()
        expect(page.locator("#message")).to_contain_text("0 处标记、0 个错误、0 个警告")
        page.locator("#sources-panel").get_by_text("所用资料（往年报告段落、法规条文）与数字来源").click()
        expect(page.locator("#sources")).to_contain_text("本版数字的来源")
        expect(page.locator("#sources")).to_contain_text("mediation.accepted")
    finally:
        llm_server.responder = None


def test_a_draft_that_breaks_keeps_what_was_streamed(page, llm_app, llm_server):
    open_2024_report(page, llm_app, "珲春市（中断测试）")
    streamed = "二、2024年推进法治政府建设存在的不足和原因\n一是法治意识有待提高，究其原因，个别单位学习停留在表面；二是"
    llm_server.script(Reply(chunks=[streamed[:30], streamed[30:], "人才较少。"], cut_after=2),
                      Reply(status=500), Reply(status=500), Reply(status=500))
    select_section(page, "二")
    send_chat(page, "起草第二部分")
    expect(bot_messages(page).last).to_contain_text("中断", timeout=SLOW)
    expect(bot_messages(page).last).to_contain_text("已保存为新版本")
    expect(editor(page)).to_have_value(streamed + "〔未写完〕")
    expect(page.locator("#sections")).to_contain_text("（有标记待处理）")
