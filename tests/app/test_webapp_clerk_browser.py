"""A clerk's day in the browser (issue 13) and nothing lost (issue 12): the chat answers this
year's figures from the inputs and a document's validity from the registry; a finding is clicked,
selected in the text and applied; the version diff by words, counted, with jumps; a report renamed
and deleted after a confirmation, and the last one reopened after a reload; a figure corrected in
the inputs table; an export that asks first while errors remain; the editor's text saved before a
draft; a stale tab's edit shown on the conflict screen; a save after a server restart; a draft cut
by kill -9 offered back after the restart; an unexpected error said in Chinese and logged; an
upload refused in Chinese. Real app processes, Debian's Chromium; screenshots under
test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
import time

import pytest
from app_process import AppProcess
from llm_server import Reply
from playwright.sync_api import Page, expect
from webui import (NEXT_YEAR_INPUTS, PART1_LABEL, SLOW, bot_messages, browser, dropdown_options, editor,  # noqa: F401
                   llm_app, llm_server, load_sample_inputs, offline_app, open_2024_report, open_app, open_report,
                   open_versions, page, select_section, send_chat, shot, tab, wait_idle)

pytestmark = pytest.mark.browser

# the registry as a user corrected it (data/registry.yaml): 《信访条例》 replaced by 《信访工作条例》
USER_REGISTRY = """\
regulations:
  - title: 信访条例
    kind: 行政法规
    issuer: 国务院
    number: 国务院令第431号
    promulgated: '2005-01-10'
    effective: '2005-05-01'
    status: 已废止
    superseded_by: 信访工作条例
"""


def choose(page: Page, elem_id: str, text: str) -> None:
    """Pick the option of a dropdown that contains `text`."""
    options = page.locator(f"#{elem_id} [role=option]")
    page.locator(f"#{elem_id} input").click()
    expect(options.first).to_be_visible()
    options.filter(has_text=text).first.click()
    expect(page.locator(f"#{elem_id} [role=option]")).to_have_count(0)


def findings_row(page: Page, text: str):
    return page.locator("#findings [role=gridcell]").filter(has_text=text).first


def toast(page: Page):
    return page.locator("[data-testid=toast-body]").last


# -- the chat answers from this year's data ----------------------------------------------------------------
@pytest.fixture(scope="module")
def registry_app(tmp_path_factory, vector_cache):
    data = tmp_path_factory.mktemp("registry") / "data"
    data.mkdir(parents=True)
    (data / "registry.yaml").write_text(USER_REGISTRY, encoding="utf-8")
    with AppProcess(data, vector_cache) as app:
        yield app


def test_the_chat_answers_figures_from_the_inputs_and_validity_from_the_registry(page, registry_app):
    open_2024_report(page, registry_app, "珲春市（问答测试）")
    send_chat(page, "你好")
    expect(bot_messages(page).last).to_contain_text("我可以帮您起草")  # what it can do, not passages
    send_chat(page, "搜索 行政执法")  # a long answer: the best hit in view, the others folded
    found = bot_messages(page).last
    expect(found.locator("details summary")).to_contain_text(re.compile(r"另有 \d+ 条相关内容"))
    expect(found.locator("details")).not_to_have_attribute("open", "")
    shot(page, "32-chat-search")

    send_chat(page, "今年行政复议受理了多少件？")
    answer = bot_messages(page).last
    expect(answer).to_contain_text("行政复议机关受理行政复议案件：21件")
    expect(answer).to_contain_text("review.accepted")
    expect(answer).to_contain_text("草稿中还没有用到这个数字")
    assert "16件" not in answer.inner_text()  # last year's report says 16件; this year's input is 21

    select_section(page, "一")
    page.locator("#draft-section").click()
    expect(editor(page)).to_have_value(re.compile("^一、2024年"), timeout=SLOW)
    send_chat(page, "今年行政复议受理了多少件？")
    answer = bot_messages(page).last
    expect(answer).to_contain_text("草稿（第一部分）：")  # where the draft uses it
    expect(answer.locator("strong").filter(has_text="21件")).not_to_have_count(0)
    shot(page, "20-chat-figure-answer")

    send_chat(page, "《信访条例》还有效吗")
    answer = bot_messages(page).last
    expect(answer).to_contain_text("已不再有效")
    expect(answer).to_contain_text("现行的是《信访工作条例》")
    expect(answer).to_contain_text("2022年5月1日起施行")
    send_chat(page, "《优化营商环境条例》还有效吗")
    expect(bot_messages(page).last).to_contain_text("现行有效")
    shot(page, "21-chat-validity-answer")


# -- a finding clicked, applied; the export asks first; the word diff ------------------------------------
def test_a_finding_is_selected_applied_and_the_export_asks_first(page, offline_app):
    open_app(page, offline_app)  # the first test of this app: no report yet
    expect(page.locator("#report input")).to_have_value("")
    page.locator("#draft-section").click()
    expect(page.locator("#message")).to_contain_text("请先在上方新建或打开一份报告")
    open_report(page, "珲春市（建议测试）")
    load_sample_inputs(page)
    select_section(page, "一")
    page.locator("#draft-section").click()
    expect(editor(page)).to_have_value(re.compile(r"^一、2023年"), timeout=SLOW)
    drafted = editor(page).input_value()
    assert "成功化解408件" in drafted and "持续推进政府职能转变" in drafted
    planted = drafted.replace("成功化解408件", "成功化解480件").replace("持续推进政府职能转变", "大力推进政府职能转变")
    editor(page).fill(planted)
    page.locator("#save").click()
    expect(page.locator("#message")).to_contain_text("已保存为第2版")
    expect(page.locator("#sections")).to_contain_text(f"{PART1_LABEL}（有错误）")

    # the error row stands out by colour
    wrong = findings_row(page, "480件")
    expect(wrong).to_have_css("background-color", "rgb(253, 226, 226)")
    # the export lists the error and asks first
    tab(page, "导出")
    page.locator("#export-docx").click()
    confirm = page.locator("#export-confirm")
    expect(confirm).to_contain_text("还有 1 个错误，确定要导出吗", timeout=SLOW)
    expect(confirm).to_contain_text("数字与统计不符「480件」")
    expect(page.locator("#export-file a[href*='docx']")).to_have_count(0)
    shot(page, "22-export-asks-first")
    page.locator("#export-cancel").click()
    expect(page.locator("#sections")).to_be_visible()  # back on 起草与修改
    expect(confirm).to_be_hidden()

    # clicking the finding selects its place in the editor; its suggestion is applied in one click
    findings_row(page, "480件").click()
    detail = page.locator("#finding-detail")
    expect(detail).to_contain_text("可一键采纳：「480件」→「408件」")
    apply = page.locator("#apply-finding")
    expect(apply).to_be_visible()
    selected = page.wait_for_function(
        "() => { const t = document.querySelector('#editor textarea');"
        " return t && document.activeElement === t && t.value.slice(t.selectionStart, t.selectionEnd); }")
    assert selected.json_value() == "480件"
    shot(page, "23-finding-selected")
    apply.click()
    expect(page.locator("#message")).to_contain_text("已采纳建议：「480件」→「408件」")
    expect(page.locator("#message")).to_contain_text("保存为第3版")
    assert "成功化解408件" in editor(page).input_value() and "大力推进" in editor(page).input_value()
    expect(page.locator("#sections")).not_to_contain_text(f"{PART1_LABEL}（有错误）")

    # the diff of version 1 and version 2, by words: two changes, each a whole word, counted, with jumps
    open_versions(page)
    choose(page, "version-a", "第1版")
    choose(page, "version-b", "第2版")
    page.locator("#diff-btn").click()
    diff = page.locator("#diff")
    expect(diff.locator(".diff-count")).to_have_text("共 2 处改动（按词比较）")
    changes = diff.locator(".change")
    expect(changes).to_have_count(2)
    expect(changes.nth(1).locator("del")).to_have_text("408件")
    expect(changes.nth(1).locator("ins")).to_have_text("480件")
    expect(changes.nth(0).locator("del")).to_have_text("持续")
    page.locator("#next-change").click()
    expect(changes.nth(0)).to_have_class(re.compile("current"))
    page.locator("#next-change").click()
    expect(changes.nth(1)).to_have_class(re.compile("current"))
    expect(diff.locator(".diff-count")).to_have_text("第 2 处，共 2 处改动")
    page.locator("#prev-change").click()
    expect(changes.nth(0)).to_have_class(re.compile("current"))
    shot(page, "24-word-diff")
    page.locator("#diff-mode").get_by_text("按句", exact=True).click()
    expect(diff.locator(".diff-count")).to_contain_text("按句比较")

    # with the error gone, the export asks only about punctuation
    tab(page, "导出")
    page.locator("#export-docx").click()
    expect(confirm).to_contain_text("处半角标点", timeout=SLOW)
    expect(confirm).not_to_contain_text("个错误")
    page.locator("#export-anyway").click()
    expect(page.locator("#export-message")).to_contain_text("已导出：", timeout=SLOW)


# -- reports: rename and delete ask first; the last one reopens --------------------------------------------
def test_a_report_is_renamed_and_deleted_after_a_confirmation(page, offline_app):
    open_app(page, offline_app)
    tab(page, "帮助")
    help_page = page.locator("#help")
    expect(help_page).to_contain_text("各页说明")
    expect(help_page.locator("pre")).to_contain_text("OPENAI_BASE_URL=")  # one setting per line, readable
    expect(help_page.locator("a[href='https://platform.deepseek.com/']")).to_have_text("DeepSeek")
    shot(page, "31-help")
    tab(page, "起草与修改")
    open_report(page, "删除测试县", 2023)
    open_report(page, "另一个县", 2023)
    open_report(page, "删除测试县", 2023)  # opened again (the newest report is the other one)
    page.reload()
    wait_idle(page)
    expect(page.locator("#report input")).to_have_value("删除测试县 2023年")  # the report this browser worked on last

    page.locator("#report-admin").get_by_text("管理当前报告（改名、删除）").click()
    page.locator("#rename-region input, #rename-region textarea").first.fill("删除测试县（改名）")
    page.locator("#rename-report").click()
    confirm = page.locator("#confirm-report")
    expect(confirm).to_contain_text("确定把“删除测试县 2023年”改名为“删除测试县（改名） 2023年”吗")
    page.locator("#confirm-report-yes").click()
    expect(page.locator("#report-message")).to_contain_text("已改名")
    expect(page.locator("#report input")).to_have_value("删除测试县（改名） 2023年")

    page.locator("#delete-report").click()
    expect(confirm).to_contain_text("确定删除“删除测试县（改名） 2023年”吗")
    expect(confirm).to_contain_text("无法恢复")
    shot(page, "25-delete-report-confirm")
    page.locator("#confirm-report-no").click()
    expect(confirm).to_be_hidden()
    assert "删除测试县（改名） 2023年" in dropdown_options(page, "report")
    page.locator("#delete-report").click()
    page.locator("#confirm-report-yes").click()
    expect(page.locator("#report-message")).to_contain_text("已删除“删除测试县（改名） 2023年”")
    expect(page.locator("#report input")).not_to_have_value("删除测试县（改名） 2023年")
    assert "删除测试县（改名） 2023年" not in dropdown_options(page, "report")


# -- a figure corrected in the inputs table ------------------------------------------------------------------
def edit_cell(page: Page, table: str, row_text: str, column: int, value: str) -> None:
    row = page.locator(f"#{table} [role=gridcell]").filter(has_text=re.compile(rf"^\s*{re.escape(row_text)}\s*$")).first
    index = row.get_attribute("data-row")
    cell = page.locator(f"#{table} [data-testid=cell-{index}-{column}]")
    cell.dblclick()
    box = cell.locator("textarea")
    box.fill(value)
    box.press("Enter")
    expect(cell).to_contain_text(value)


def test_a_figure_is_corrected_in_the_table(page, offline_app):
    open_app(page, offline_app)
    open_report(page, "珲春市（指标表）")
    load_sample_inputs(page, force=True)
    select_section(page, "一")
    page.locator("#draft-section").click()
    expect(editor(page)).to_have_value(re.compile("乡镇政务延伸事项33项"), timeout=SLOW)

    tab(page, "指标与素材")
    message = page.locator("#inputs-message")
    edit_cell(page, "figures", "services.township_items", 2, "很多")
    page.locator("#save-figures").click()
    expect(message).to_contain_text("表格中的修改没有保存")  # validated as an upload is
    expect(message).to_contain_text("services.township_items")

    load_sample_inputs(page, force=True)
    tab(page, "指标与素材")
    edit_cell(page, "figures", "services.township_items", 2, "35")
    page.locator("#save-figures").click()
    expect(message).to_contain_text(re.compile(r"已保存为输入数据第\d+版（27 个指标）"))
    expect(page.locator("#figures [data-testid=cell-0-7]")).to_have_text("35项")  # how the report writes it
    shot(page, "26-figure-edited")
    expect(page.locator("#sections")).to_contain_text(f"{PART1_LABEL}（有错误）")  # the draft still says 33项
    tab(page, "起草与修改")
    select_section(page, "一")
    expect(findings_row(page, "33项")).to_be_visible()


# -- nothing lost ---------------------------------------------------------------------------------------------
def test_the_editors_text_is_saved_before_a_draft(page, offline_app):
    open_app(page, offline_app)
    open_report(page, "珲春市（先保存）")
    load_sample_inputs(page)
    select_section(page, "二")
    page.locator("#draft-section").click()
    expect(editor(page)).to_have_value(re.compile("^二、"), timeout=SLOW)
    mine = editor(page).input_value() + "\n我加的一段话，还没有保存。"
    editor(page).fill(mine)
    send_chat(page, "起草第二部分")  # would replace the editor's text
    expect(bot_messages(page).last).to_contain_text("已起草", timeout=SLOW)
    open_versions(page)
    expect(page.locator("#version-a input")).to_have_value(re.compile("^第2版 · 手工修改"))  # the edit, saved first
    expect(page.locator("#version-b input")).to_have_value(re.compile("^第3版 · 离线起草"))
    page.locator("#diff-btn").click()
    expect(page.locator("#diff del")).to_contain_text(["我加的一段话，还没有保存。"])

    # switching to another part keeps the text typed in this one
    editor(page).fill(editor(page).input_value() + "\n切换前写的。")
    select_section(page, "三")
    expect(page.locator("#message")).to_contain_text("在编辑框中的修改已先保存为第4版")
    select_section(page, "二")
    expect(editor(page)).to_have_value(re.compile("切换前写的。$"))
    # 载入最新版本 over an edit keeps the edit as a backup
    editor(page).fill(editor(page).input_value() + "\n载入前写的。")
    page.locator("#reload").click()
    expect(page.locator("#message")).to_contain_text("编辑框里原来的文字留作备份")
    expect(page.locator("#backups")).to_contain_text("载入前写的。")


def test_a_stale_tab_gets_the_conflict_screen(browser, offline_app):
    contexts = [browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN") for _ in range(2)]
    a, b = (c.new_page() for c in contexts)
    try:
        for tab_page in (a, b):
            tab_page.set_default_timeout(20_000)
            open_app(tab_page, offline_app)
            open_report(tab_page, "珲春市（两个窗口）")
        load_sample_inputs(a)
        select_section(a, "二")
        a.locator("#draft-section").click()
        expect(editor(a)).to_have_value(re.compile("^二、"), timeout=SLOW)
        select_section(b, "二")
        expect(editor(b)).to_have_value(re.compile("^二、"))
        original = editor(a).input_value()

        editor(a).fill(original + "\n甲窗口的修改。")
        a.locator("#save").click()
        expect(a.locator("#message")).to_contain_text("已保存为第2版")

        editor(b).fill(original + "\n乙窗口的修改。")
        b.locator("#draft-section").click()  # a risky step from a stale tab: nothing is done
        conflict = b.locator("#conflict")
        expect(conflict).to_contain_text("保存冲突", timeout=SLOW)
        expect(b.locator("#conflict-mine textarea")).to_have_value(re.compile("乙窗口的修改。$"))
        expect(b.locator("#conflict-theirs textarea")).to_have_value(re.compile("甲窗口的修改。$"))
        expect(b.locator("#conflict-diff .change del")).to_have_text(["甲"])  # only the words that differ
        expect(b.locator("#conflict-diff .change ins")).to_have_text(["乙"])
        expect(editor(b)).to_have_value(re.compile("乙窗口的修改。$"))  # the editor keeps the text
        shot(b, "27-conflict-screen")
        b.locator("#keep-mine").click()
        expect(b.locator("#message")).to_contain_text("已把你的文字保存为第3版")
        expect(conflict).to_be_hidden()
        b.locator("#save").click()  # the tab's base followed its save: no false conflict
        expect(b.locator("#message")).to_contain_text("内容没有变化")

        a.locator("#save").click()  # now tab A is the stale one
        expect(a.locator("#conflict")).to_contain_text("保存冲突")
        a.locator("#take-theirs").click()
        expect(editor(a)).to_have_value(re.compile("乙窗口的修改。$"))
        open_versions(a)
        expect(a.locator("#backups")).to_contain_text("甲窗口的修改")  # kept, and shown
    finally:
        for c in contexts:
            c.close()


def test_an_open_tab_saves_after_a_server_restart(page, tmp_path, vector_cache):
    app = AppProcess(tmp_path / "data", vector_cache)
    try:
        app.start()
        open_app(page, app)
        open_report(page, "珲春市（重启测试）")
        load_sample_inputs(page)
        select_section(page, "二")
        page.locator("#draft-section").click()
        expect(editor(page)).to_have_value(re.compile("^二、"), timeout=SLOW)
        editor(page).fill(editor(page).input_value() + "\n重启前写的一句话。")
        app.restart(same_port=True)  # the tab stays open on the same address
        page.locator("#save").click()
        expect(page.locator("#message")).to_contain_text("已保存为第2版", timeout=SLOW)
        expect(page.locator("[data-testid=toast-body]")).to_have_count(0)  # no English "not in the list of choices"
        send_chat(page, "检查全文")
        expect(bot_messages(page).last).to_contain_text("检查完毕", timeout=SLOW)
        page.reload()
        wait_idle(page)
        expect(page.locator("#report input")).to_have_value("珲春市（重启测试） 2023年")
        select_section(page, "二")
        expect(editor(page)).to_have_value(re.compile("重启前写的一句话。$"))
    finally:
        app.stop()


def test_a_draft_cut_by_kill_9_is_offered_back_after_the_restart(page, tmp_path, vector_cache, llm_server):
    env = {"OPENAI_BASE_URL": llm_server.url, "ASSISTANT_LLM_MODEL": "test-model", "OPENAI_API_KEY": "sk-test",
           "ASSISTANT_LLM_TIMEOUT": "30"}
    app = AppProcess(tmp_path / "data", vector_cache, env)
    streamed = ["二、2024年推进法治政府建设存在的不足和原因\n", "一是法治意识有待提高，", "究其原因，个别单位学习停留在表面；",
                "二是专业人才队伍仍需加强，", "究其原因，法律专业人才较少；", "三是基层力量薄弱。"]
    try:
        app.start()
        open_2024_report(page, app, "珲春市（强行停止）")
        select_section(page, "二")
        llm_server.script(Reply(chunks=streamed, chunk_delay=1.5))
        send_chat(page, "起草第二部分")
        expect(bot_messages(page).last).to_contain_text("究其原因，个别单位学习停留在表面；", timeout=SLOW)
        time.sleep(0.8)  # the stream is written down every quarter of a second
        app.kill()  # kill -9 mid-draft
        page.goto("about:blank")
        app.restart(same_port=True)
        open_app(page, app)
        expect(page.locator("#report input")).to_have_value("珲春市（强行停止） 2024年")
        select_section(page, "二")
        recovery = page.locator("#recovery")
        expect(recovery).to_contain_text("上次起草“二、推进法治政府建设存在的不足和原因”时程序停止了")
        expect(bot_messages(page).last).to_contain_text("〔已中断")  # the chat says so too
        shot(page, "28-recover-after-kill")
        page.locator("#recover-btn").click()
        expect(page.locator("#message")).to_contain_text("已把中断时收到的文字恢复为新版本")
        expect(editor(page)).to_have_value(re.compile(r"^二、2024年推进法治政府建设存在的不足和原因\n一是法治意识有待提高，"
                                                      r"究其原因，个别单位学习停留在表面；.*〔未写完〕$", re.S))
        expect(recovery).to_be_hidden()
        expect(page.locator("#sections")).to_contain_text("（有标记待处理）")
    finally:
        app.stop()


def test_a_stale_tab_revising_gets_the_conflict_screen(browser, llm_app, llm_server):
    contexts = [browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN") for _ in range(2)]
    a, b = (c.new_page() for c in contexts)
    try:
        open_2024_report(a, llm_app, "珲春市（改写冲突）")
        select_section(a, "二")
        llm_server.script(Reply(text="二、2024年推进法治政府建设存在的不足和原因\n一是法治意识有待提高，究其原因，学习不深。"))
        a.locator("#draft-section").click()
        expect(editor(a)).to_have_value(re.compile("^二、"), timeout=SLOW)
        open_app(b, llm_app)
        open_report(b, "珲春市（改写冲突）", 2024)
        select_section(b, "二")
        editor(a).fill(editor(a).input_value() + "甲改的。")
        a.locator("#save").click()
        expect(a.locator("#message")).to_contain_text("已保存为第2版")
        editor(b).fill(editor(b).input_value() + "乙改的。")
        asked = len(llm_server.requests)
        send_chat(b, "精简一些")
        expect(bot_messages(b).last).to_contain_text("这条消息没有执行", timeout=SLOW)
        expect(b.locator("#conflict")).to_contain_text("保存冲突")
        expect(b.locator("#conflict-mine textarea")).to_have_value(re.compile("乙改的。$"))
        assert len(llm_server.requests) == asked  # nothing was sent to the model
    finally:
        for c in contexts:
            c.close()


# -- errors said in Chinese -----------------------------------------------------------------------------------
def test_an_unexpected_error_is_said_in_chinese_and_logged(page, tmp_path, vector_cache):
    app = AppProcess(tmp_path / "data", vector_cache)
    try:
        app.start()
        open_app(page, app)
        open_report(page, "珲春市（出错测试）")
        load_sample_inputs(page)
        select_section(page, "二")
        page.locator("#draft-section").click()
        expect(editor(page)).to_have_value(re.compile("^二、"), timeout=SLOW)

        tab(page, "指标与素材")  # an upload of the wrong kind: refused in Chinese
        bad = tmp_path / "程序.exe"
        bad.write_bytes(b"MZ")
        page.locator("#inputs-upload input[type=file]").set_input_files(str(bad))
        expect(toast(page)).to_contain_text("不能上传 程序.exe：这里只接受", timeout=SLOW)
        shot(page, "30-upload-refused", full_page=False)
        expect(toast(page)).not_to_contain_text("Invalid file type")
        expect(toast(page).locator(".toast-title")).to_have_text(re.compile(r"^\s*(请注意|出错了)\s*$"))
        page.locator("[data-testid=toast-close]").first.click()

        exports = app.data_dir / "exports"  # a folder that cannot be written: an error nobody planned for
        for old in exports.iterdir():
            old.unlink()
        exports.rmdir()
        exports.write_text("不是文件夹", encoding="utf-8")
        tab(page, "导出")
        choose(page, "export-scope", "第二部分")
        page.locator("#export-md").click()
        confirm = page.locator("#export-confirm")
        expect(confirm.or_(toast(page))).to_be_visible(timeout=SLOW)
        if confirm.is_visible():
            page.locator("#export-anyway").click()
        message = toast(page)
        expect(message).to_contain_text("“导出 Markdown”时出现意外错误（记录编号 E-", timeout=SLOW)
        expect(message.locator(".toast-title")).to_have_text("出错了")
        expect(message).not_to_contain_text("Traceback")
        shot(page, "29-unexpected-error", full_page=False)
        number = re.search(r"E-[0-9A-F]{6}", message.inner_text()).group()
        log = (app.data_dir / "logs" / "errors.log").read_text(encoding="utf-8")
        assert number in log and "Traceback" in log and "NotADirectoryError" in log
    finally:
        app.stop()
