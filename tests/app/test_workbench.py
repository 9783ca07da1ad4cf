"""The web app's service layer without a browser: sections, versions, checks, export, review, chat."""

import docx
import pytest

from assistant.app import ConflictError, Workbench, diff_html, split_sections
from assistant.errors import AssistantError, InputsError
from assistant.knowledge import ingest_paths
from tests.conftest import ROOT, SEED_INPUTS, SEED_REPORT

NEXT_YEAR = ROOT / "corpus" / "inputs" / "hunchun-2024-sample.yaml"


@pytest.fixture()
def bench(workspace):
    ingest_paths(workspace.kb, [SEED_REPORT])
    wb = Workbench(workspace)
    rid = wb.create_report("珲春市", 2023)
    wb.load_inputs_file(rid, SEED_INPUTS)
    return wb, rid


def test_whole_report_draft_is_split_into_sections(bench, seed_text):
    wb, rid = bench
    draft, saved, _ = wb.draft(rid, "all", offline=True)
    assert saved == ["head", "一", "二", "三", "四", "tail"]
    text, spans = wb.whole_text(rid)
    assert text == draft.text
    assert text[spans["二"][0]:spans["二"][1]].startswith("二、")
    views = wb.sections(rid)
    assert [v.status for v in views] == ["checked"] * 6
    assert views[1].label.startswith("一、")


def test_subsection_draft_is_spliced_into_its_part(bench):
    wb, rid = bench
    wb.draft(rid, "all", offline=True)
    drafted = wb.store.latest(rid, "一")
    head, _, rest = drafted.text.partition("(六)依法有效化解社会矛盾纠纷")
    edited = wb.save(rid, "一", head + "(六)依法有效化解社会矛盾纠纷\n（待重写）\n" + rest[rest.find("(七)"):],
                     drafted.version)
    draft, saved, same = wb.draft(rid, "一/(六)", offline=True)
    after = wb.store.latest(rid, "一")
    assert (saved, same) == (["一"], []) and after.version == edited.version + 1
    assert after.text == drafted.text  # the subsection is back in its place, the rest as it was
    assert after.text.count("(六)依法有效化解社会矛盾纠纷") == 1


def test_a_draft_identical_to_the_latest_version_saves_nothing(bench):
    wb, rid = bench
    wb.draft(rid, "all", offline=True)
    versions = {k: wb.store.latest(rid, k).version for k in wb.section_keys(rid)}
    draft, saved, same = wb.draft(rid, "二", offline=True)
    assert (saved, same) == ([], ["二"]) and wb.store.latest(rid, "二").version == versions["二"]
    assert "没有另存新版本" in reply(wb, rid, "起草第二部分")["reply"]
    assert {k: wb.store.latest(rid, k).version for k in wb.section_keys(rid)} == versions


def test_findings_are_relative_to_the_section(bench):
    wb, rid = bench
    wb.draft(rid, "all", offline=True)
    part1 = wb.store.latest(rid, "一")
    planted = part1.text.replace("416件", "461件")
    version = wb.save(rid, "一", planted, part1.version)
    findings = wb.section_findings(rid, "一")
    errors = [f for f in findings if f.severity == "error"]
    assert len(errors) == 1 and planted[errors[0].start:errors[0].end] == "461件"
    assert [f["text"] for f in version.findings if f["severity"] == "error"] == ["461件"]  # stored with the version
    assert next(v for v in wb.sections(rid) if v.key == "一").status == "errors"
    restored = wb.restore(rid, "一", part1.id, version.version)
    assert "461件" not in restored.text and restored.origin == "restore"
    diff = wb.diff(version.id, restored.id)
    body = diff.split('class="diff-body">', 1)[1]
    assert body.count("<del>") == 1 and body.count("<ins>") == 1  # only the planted digits differ


def test_two_tabs_conflict(bench):
    wb, rid = bench
    wb.draft(rid, "二", offline=True)
    base = wb.store.latest(rid, "二").version
    wb.save(rid, "二", "二、甲的修改", base)
    with pytest.raises(ConflictError):
        wb.save(rid, "二", "二、乙的修改", base)


def test_export_word_with_comments_and_markdown(bench):
    wb, rid = bench
    wb.draft(rid, "all", offline=True)
    path = wb.export(rid, "all", "docx", comments=True)
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "调解成功率98%" in text
    comments = [c.text for c in document.comments]
    assert any("调解成功率" in c and "一致" in c and "mediation" not in c for c in comments)  # labels, not ids
    assert any("优化营商环境条例" in c and "现行有效" in c for c in comments)
    md = wb.export(rid, "二", "md")
    assert md.read_text(encoding="utf-8").startswith("## 二、")


def test_review_a_report_written_elsewhere(bench, tmp_path, seed_text):
    wb, _ = bench
    d = docx.Document()
    for line in seed_text.replace("成功化解408件", "成功化解480件").split("\n"):
        d.add_paragraph(line)
    d.save(tmp_path / "别处的报告.docx")
    text, findings = wb.review(tmp_path / "别处的报告.docx", SEED_INPUTS)
    errors = [f for f in findings if f.severity == "error"]
    assert [f.text for f in errors] == ["480件"]
    sheet = wb.export_review(text, findings)
    from openpyxl import load_workbook

    rows = list(load_workbook(sheet).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("行", "列", "级别", "类型") and any("480件" in str(r) for r in rows)


def test_uploads_are_checked_and_stored_safely(bench, tmp_path):
    wb, _ = bench
    bad = tmp_path / "run.exe"
    bad.write_bytes(b"MZ")
    with pytest.raises(AssistantError) as info:
        wb.safe_upload(bad)
    assert "不能上传“run.exe”：只接受" in info.value.zh and info.value.hint_zh
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (wb.ws.settings.assistant_max_upload_mb * 1024 * 1024 + 1))
    with pytest.raises(AssistantError):
        wb.safe_upload(big)
    odd = tmp_path / "../报告 (终稿)；rm -rf.txt"
    odd.write_text("内容", encoding="utf-8")
    stored = wb.safe_upload(odd)
    assert stored.parent == wb.uploads and ";" not in stored.name and " " not in stored.name
    assert wb.display_name(str(stored)) == "报告 (终稿)；rm -rf.txt"  # what screens show: the file's own name
    assert wb.display_name("uploads/20250101-120000-abc123-去年报告.docx") == "去年报告.docx"


def reply(wb, rid, message, selected=None, editor=None, base=None):
    events = list(wb.chat(rid, message, selected, editor, base))
    return events[-1]


def test_chat_offline(bench):
    wb, rid = bench
    done = reply(wb, rid, "起草第二部分")
    assert done["changed"] == ["二"] and "已起草" in done["reply"]
    assert wb.store.latest(rid, "二").text.startswith("二、")
    assert "检查完毕" in reply(wb, rid, "检查全文")["reply"]
    assert "人民调解" in reply(wb, rid, "去年报告里人民调解那部分怎么写的")["reply"]
    assert "大模型" in reply(wb, rid, "精简一些", selected="二")["reply"]
    answer = reply(wb, rid, "《优化营商环境条例》第一条")["reply"]
    assert "知识库中没有《优化营商环境条例》的文本" in answer  # a clear message, not a crash
    history = wb.chat_history(rid)
    assert history[0] == {"role": "user", "content": "起草第二部分"} and len(history) == 10


def test_split_sections_and_diff():
    text = "某县2024年报告\n县委：\n开头。\n一、举措\n正文\n二、不足和原因\n正文\n某县人民政府\n2025年1月1日"
    from assistant.outline import load_outline

    parts = split_sections(text, load_outline())
    assert list(parts) == ["head", "一", "二", "tail"]
    assert parts["tail"] == "某县人民政府\n2025年1月1日"
    html = diff_html("精简前的文字", "精简后的文字")
    assert "<del>前</del>" in html and "<ins>后</ins>" in html


def test_cited_documents_of_a_section(bench, tmp_path):
    from tests.conftest import PLAIN_REGULATION

    wb, rid = bench
    reg = tmp_path / "条例.md"
    reg.write_text(PLAIN_REGULATION, encoding="utf-8")
    ingest_paths(wb.ws.kb, [reg], on_regulation=wb.ws.register_regulation, embed=False)
    text = "严格执行《示例行政执法监督条例》第五条，学习《行政复议法》（2017年修正），落实《珲春市某某方案》。"
    choices = wb.citations_in(text)
    assert [label for label, _ in choices] == ["《示例行政执法监督条例》第五条", "《行政复议法（2017年）》", "《珲春市某某方案》"]
    assert "⚠️" in wb.citation_info(choices[1][1], 2024)  # the 2017 version is outdated
    info = wb.citation_info(choices[0][1], 2023)
    assert "✓ 现行有效" in info and "未经审核或者审核未通过的，不得作出决定" in info
    assert "登记表未收录" in wb.citation_info(choices[2][1], 2023)


def test_inputs_of_another_year_are_refused_at_once(bench, tmp_path):
    from assistant.errors import InputsError

    wb, rid = bench
    other = wb.create_report("珲春市", 2025)
    with pytest.raises(InputsError) as info:
        wb.load_inputs_file(other, SEED_INPUTS)
    assert "输入数据是2023年的" in info.value.zh and "2025年" in info.value.zh
    assert wb.inputs(other) is None  # nothing loaded
    with pytest.raises(AssistantError) as info:  # drafting with none is told too
        wb.draft(other, "all", offline=True)
    # inputs of the year, of another region: loaded, and told
    elsewhere = wb.create_report("鹤溪县", 2023)
    wb.load_inputs_file(elsewhere, SEED_INPUTS)
    assert any("珲春市" in n and "鹤溪县" in n for n in wb.inputs_notices(elsewhere))
    assert wb.inputs_notices(rid) == []


def test_inputs_stored_before_of_another_year_stop_the_draft_and_fail_the_check(bench):
    import yaml

    wb, rid = bench
    other = wb.create_report("珲春市", 2025)
    data = yaml.safe_load(SEED_INPUTS.read_text(encoding="utf-8"))
    wb.store.save_inputs(other, yaml.safe_dump(data, allow_unicode=True), "old.yaml")  # as an older version stored them
    assert any("2023年" in n and "2025年" in n for n in wb.inputs_notices(other))
    with pytest.raises(AssistantError) as info:
        wb.draft(other, "all", offline=True)
    assert "输入数据是2023年的" in info.value.zh


def test_the_sample_button_loads_the_sample_of_the_reports_year(bench):
    wb, _ = bench
    for year, figures in ((2023, 27), (2024, None)):
        rid = wb.create_report("珲春市", year)
        inputs, loaded = wb.load_sample_inputs(rid)
        assert loaded == year and inputs.report.year == year and wb.inputs(rid).report.year == year
    rid = wb.create_report("珲春市", 2026)
    with pytest.raises(AssistantError) as info:
        wb.load_sample_inputs(rid)
    assert "没有2026年的示例数据" in info.value.zh and "2023年、2024年" in info.value.zh


def test_review_many_reports_with_inputs_matched_by_name(bench, tmp_path):
    import shutil

    from openpyxl import load_workbook

    from tests.conftest import ROOT

    wb, _ = bench
    data = ROOT / "tests" / "data" / "reports"
    docs, inputs = [], []
    for name in ("hexi-county-2024", "wangchuan-district-2025"):
        shutil.copy(data / f"{name}.txt", tmp_path / f"{name}.txt")
        shutil.copy(data / f"{name}.yaml", tmp_path / f"{name}.yaml")
        docs.append(tmp_path / f"{name}.txt")
        inputs.append(tmp_path / f"{name}.yaml")
    planted = tmp_path / "某局报告.txt"
    planted.write_text((data / "yunxi-county-2023.txt").read_text(encoding="utf-8").replace("持证执法人员812名", "持证执法人员821名"),
                       encoding="utf-8")
    reviewed = wb.review_many(docs + [planted], inputs)
    assert [(r.name, r.inputs_name, r.summary.errors, r.summary.warnings) for r in reviewed] == [
        ("hexi-county-2024.txt", "hexi-county-2024.yaml", 0, 0), ("wangchuan-district-2025.txt", "wangchuan-district-2025.yaml", 0, 0),
        ("某局报告.txt", "", 0, 0)]  # no inputs: review mode, the number cannot be checked
    sheet = wb.export_reviews(reviewed)
    book = load_workbook(sheet)
    assert book.sheetnames == ["检查结果", "汇总"]
    assert [r[0] for r in book["汇总"].iter_rows(min_row=2, values_only=True)] == [r.name for r in reviewed]


# -- with an LLM (the scripted server on 127.0.0.1) ------------------------------------------------------
@pytest.fixture()
def llm_bench(workspace, monkeypatch):
    from llm_server import ScriptedLLMServer

    from assistant.settings import Settings
    from assistant.workspace import Workspace

    ingest_paths(workspace.kb, [SEED_REPORT])
    with ScriptedLLMServer() as server:
        for key, value in {"OPENAI_BASE_URL": server.url, "ASSISTANT_LLM_MODEL": "test-model", "OPENAI_API_KEY": "sk-test",
                           "ASSISTANT_LLM_TIMEOUT": "5", "ASSISTANT_LLM_MAX_RETRIES": "1"}.items():
            monkeypatch.setenv(key, value)
        ws = Workspace(Settings(_env_file=None))
        ws.__dict__["kb"] = workspace.kb
        wb = Workbench(ws)
        rid = wb.create_report("珲春市", 2024)
        wb.load_inputs_file(rid, NEXT_YEAR)
        yield wb, rid, server


def test_a_sloppy_draft_shows_which_parts_need_attention(llm_bench):
    from llm_server import SloppyModel

    wb, rid, server = llm_bench
    server.responder = SloppyModel()
    done = reply(wb, rid, "起草全文")
    assert done["changed"] == ["head", "一", "二", "三", "四", "tail"]
    assert "需要处理的部分：" in done["reply"] and "第四部分" in done["reply"] and "〔未写完〕" in done["reply"]
    status = {v.key: v.status_zh for v in wb.sections(rid)}
    assert status == {"head": "已检查", "一": "有标记待处理", "二": "有标记待处理", "三": "有标记待处理", "四": "有标记待处理",
                      "tail": "已检查"}
    findings = wb.section_findings(rid, "二")
    assert any(f.kind == "draft_mark" and f.kind_zh == "待处理的标记" for f in findings)
    # the marks are Word comments even without the review comments
    document = docx.Document(str(wb.export(rid, "all", "docx", comments=False)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.count("〔待核实") == sum(c.text.startswith("待核实：") for c in document.comments) > 10


def test_where_numbers_came_from_is_kept_through_an_edit(llm_bench):
    from llm_server import ObedientModel

    wb, rid, server = llm_bench
    server.responder = ObedientModel()
    wb.draft(rid, "一")
    version = wb.store.latest(rid, "一")
    inputs = wb.inputs(rid)
    assert len(version.figure_spans) == len(inputs.figures)
    assert all(version.text[s:e] == inputs.display(fid) for s, e, fid in version.figure_spans)
    assert next(v for v in wb.sections(rid) if v.key == "一").status == "checked"
    # the clerk rewrites one sentence: only its number loses its source
    edited = version.text.replace("全市人民调解成功化解案件437件。", "全市人民调解成功化解纠纷437件。")
    saved = wb.save(rid, "一", edited, version.version)
    assert len(saved.figure_spans) == len(version.figure_spans) - 1
    assert all(saved.text[s:e] == inputs.display(fid) for s, e, fid in saved.figure_spans)
    assert "mediation.resolved" not in {fid for *_, fid in saved.figure_spans}
    document = docx.Document(str(wb.export(rid, "一", "docx", comments=True)))
    assert sum("由数据标记生成" in c.text for c in document.comments) == len(saved.figure_spans)


@pytest.mark.parametrize("then", ["500", "401", "hang", "malformed"])
def test_a_draft_that_fails_is_kept_as_a_version_marked_unfinished(llm_bench, then):
    """Cut off, then its continuation fails (a server error, a refused key, a hang past the
    timeout, a stream that turns to garbage at once): what arrived is a version, marked."""
    from llm_server import Reply

    wb, rid, server = llm_bench
    streamed = "二、2024年推进法治政府建设存在的不足和原因\n一是法治意识有待提高，究其原因，个别单位学习停留在表面；二是"
    failing = {"500": Reply(status=500), "401": Reply(status=401), "hang": Reply(hang=8),  # ASSISTANT_LLM_TIMEOUT=5
               "malformed": Reply(text="x", malformed_after=0)}[then]
    server.script(Reply(chunks=[streamed[:40], streamed[40:], "专业人才较少。"], cut_after=2), failing, failing)
    done = reply(wb, rid, "起草第二部分")
    latest = wb.store.latest(rid, "二")
    assert latest.text == streamed + "〔未写完〕"  # every streamed character, not a preview
    assert latest.note.startswith("〔未写完〕起草中断")
    assert "起草“二、推进法治政府建设存在的不足和原因”中断" in done["reply"] and "已保存为新版本" in done["reply"]
    assert wb.store.messages(rid)[-1]["content"] == done["reply"]


def test_stored_inputs_that_no_longer_load_are_said_not_taken_for_missing(bench):
    """Inputs stored before a rule they break existed (a value of 1e28): the inputs tab says what
    is wrong, and a draft says so instead of "upload the inputs first"."""
    import re

    wb, rid = bench
    text = wb.store.inputs(rid)["yaml"]
    broken = re.sub(r"(value:\s*)[0-9.]+", r"\g<1>1e28", text, count=1)
    assert broken != text
    wb.store.save_inputs(rid, broken, "旧数据.yaml")
    notices = wb.inputs_notices(rid)
    assert len(notices) == 1 and "已保存的输入数据不能使用" in notices[0] and "超出合理范围" in notices[0], notices
    with pytest.raises(AssistantError) as info:
        wb.draft(rid, "二", offline=True)
    assert "已保存的输入数据不能使用" in info.value.zh and "请先" not in info.value.zh


@pytest.mark.parametrize("answer,said", [("empty", "空回答"), ("malformed", "数据格式不对")])
def test_a_chat_step_that_fails_after_the_pre_save_still_moves_the_tabs_base(llm_bench, answer, said):
    """The editor's text is saved, then the model answers nothing usable (an empty answer, a
    malformed stream): the reply says so, the message is not left "working", and the reply carries
    the new base, so the tab's next save is not taken for another window's."""
    from llm_server import Reply

    wb, rid, server = llm_bench
    wb.draft(rid, "二", offline=True)
    v1 = wb.store.latest(rid, "二")
    bad = Reply(text="") if answer == "empty" else Reply(text="x", malformed_after=0)
    server.script(*[bad] * 6)
    events = list(wb.chat(rid, "起草第二部分", "二", v1.text + "我加的。", v1.version))
    last = events[-1]
    assert last["reply"].startswith("⚠️") and said in last["reply"], last["reply"]
    assert wb.store.messages(rid)[-1]["content"] == last["reply"]  # kept as said, not "……" or 〔已中断〕
    assert last["base"] == v1.version + 1 and last["presaved"] == ["二"]
    saved = wb.save(rid, "二", v1.text + "我加的。再加一句。", last["base"])  # no conflict with itself
    assert saved.version == v1.version + 2


def test_a_chat_answer_cut_off_says_it_was_interrupted(llm_bench):
    from llm_server import Reply

    wb, rid, server = llm_bench
    server.script(Reply(chunks=["根据《重大行政决策程序暂行条例》，", "应当组织听证。"], chunk_delay=2))
    events = wb.chat(rid, "重大行政决策要不要听证", None, None, None)
    first = next(events)
    assert "根据" in first["reply"]
    events.close()  # the browser tab went away
    last = wb.store.messages(rid)[-1]["content"]
    assert last.startswith("根据《重大行政决策程序暂行条例》，") and "〔已中断" in last
    # a message left "working" by a crash is marked when the app starts again
    message = wb.store.add_message(rid, "assistant", "正在用大模型起草“全文”……", state="working")
    Workbench(wb.ws)
    assert wb.store.messages(rid)[-1]["content"].startswith("正在用大模型起草“全文”……\n\n〔已中断")
    assert message


# -- nothing lost ---------------------------------------------------------------------------------------
def test_a_stale_tab_is_refused_before_any_risky_step_and_its_text_kept(bench):
    wb, rid = bench
    wb.draft(rid, "二", offline=True)
    v1 = wb.store.latest(rid, "二")
    wb.save(rid, "二", v1.text + "甲窗口。", v1.version)
    with pytest.raises(ConflictError):
        wb.save_if_changed(rid, "二", v1.text + "乙窗口。", v1.version)
    assert wb.backups(rid, "二")[0]["text"] == v1.text + "乙窗口。"  # kept, and listed for the screen
    events = list(wb.chat(rid, "起草第二部分", "二", v1.text + "乙窗口。", v1.version))
    assert "conflict" in events[-1] and "没有执行" in events[-1]["reply"]
    assert wb.store.latest(rid, "二").version == 2  # the draft did not run
    view = wb.conflict(rid, "二", v1.text + "乙窗口。")
    assert view["theirs"].endswith("甲窗口。") and view["latest"] == 2 and "<ins>乙</ins>" in view["diff"]
    kept = wb.keep_mine(rid, "二", v1.text + "乙窗口。")
    assert kept.version == 3 and kept.text.endswith("乙窗口。")


def test_the_editors_text_is_saved_before_a_chat_action_and_the_base_follows(bench):
    wb, rid = bench
    wb.draft(rid, "二", offline=True)
    v1 = wb.store.latest(rid, "二")
    events = list(wb.chat(rid, "检查全文", "二", v1.text + "我加的。", v1.version))
    assert events[-1]["base"] == 2 and events[-1]["presaved"] == ["二"]
    assert wb.store.latest(rid, "二").text.endswith("我加的。")
    events = list(wb.chat(rid, "今年行政复议受理了多少件", "二", v1.text + "我加的。", 2))
    assert events[-1]["base"] == 2 and events[-1]["presaved"] == []  # nothing new to save


def test_a_draft_stream_cut_off_is_recovered_guarded_and_marked(bench):
    wb, rid = bench
    autosave = wb.store.start_autosave(rid, "二")
    wb.store.update_autosave(autosave, "二、2023年推进法治政府建设存在的不足和原因\n一是法治意识有待提高，全年新增问题〔数3〕件；二是")
    Workbench(wb.ws)  # the next start
    [row] = wb.recoverable(rid, "二")
    assert wb.recoverable(rid, "三") == []
    assert wb.recover(rid, row["id"]) == ["二"]
    text = wb.store.latest(rid, "二").text
    assert text.endswith("二是〔未写完〕") and "〔待补：数字〕" in text  # the unrendered tag is marked, not left
    assert wb.store.latest(rid, "二").origin == "recovered" and wb.recoverable(rid, "二") == []
    with pytest.raises(AssistantError):
        wb.recover(rid, row["id"])


# -- one-click fixes, the export, the inputs table ---------------------------------------------------------
def test_a_suggestion_is_applied_as_a_new_version(bench):
    wb, rid = bench
    wb.draft(rid, "一", offline=True)
    v1 = wb.store.latest(rid, "一")
    planted = v1.text.replace("成功化解408件", "成功化解480件")
    [wrong] = [f for f in wb.section_findings(rid, "一", planted) if f.severity == "error"]
    applied = wb.apply_finding(rid, "一", planted, v1.version, wrong.to_dict())
    assert applied.version == 3 and applied.origin == "apply"  # the edit was saved first (2), then applied (3)
    assert wb.store.version(applied.id).text == v1.text and "「480件」→「408件」" in applied.note
    punct = next(f for f in wb.section_findings(rid, "一") if f.kind == "punctuation_halfwidth")
    fixed = wb.apply_finding(rid, "一", None, applied.version, punct.to_dict())
    assert "（一）依法全面履行政府职能" in fixed.text and "(一)" in applied.text and len(fixed.text) == len(applied.text)
    unverified = next(f for f in wb.section_findings(rid, "一") if f.kind == "citation_unverified")
    with pytest.raises(AssistantError, match="人工"):
        wb.apply_finding(rid, "一", None, fixed.version, {**unverified.to_dict(), "suggestion": "核实"})


def test_the_export_asks_first_fixes_punctuation_and_never_overwrites(bench):
    wb, rid = bench
    wb.draft(rid, "all", offline=True)
    part1 = wb.store.latest(rid, "一")
    wb.save(rid, "一", part1.text.replace("416件", "461件"), part1.version)
    check = wb.export_check(rid)
    assert [(part, f.text) for part, f in check["errors"]] == [("一、推进法治政府建设的主要举措和成效", "461件")]
    assert check["punctuation"] > 70 and check["paragraphs"] > 10
    count, changed = wb.fix_punctuation(rid)
    assert count == check["punctuation"] and "一" in changed
    assert wb.export_check(rid)["punctuation"] == 0
    first = wb.export(rid, "all", "docx", comments=True)
    second = wb.export(rid, "all", "docx", comments=False)
    third = wb.export(rid, "all", "docx", comments=False)
    assert len({first, second, third}) == 3 and all(p.exists() for p in (first, second, third))
    assert "审核批注版" in first.name and "审核批注版" not in second.name


def test_figures_edited_in_the_table_are_validated_and_versioned(bench):
    wb, rid = bench
    inputs = wb.inputs(rid)
    rows = wb.figure_rows(inputs)
    row = next(r for r in rows if r[0] == "mediation.accepted")
    assert row[2] == "416" and row[7] == "416件"
    row[2] = "很多"
    with pytest.raises(InputsError) as info:
        wb.save_figures(rid, rows)
    assert any("mediation.accepted" in str(p) or "很多" in str(p) for p in info.value.problems)
    assert wb.inputs(rid).display("mediation.accepted") == "416件" and wb.inputs_version(rid) == 1
    row[2] = "420"
    saved = wb.save_figures(rid, rows)
    assert saved.display("mediation.accepted") == "420件" and wb.inputs_version(rid) == 2
    rate = saved.figure("mediation.rate")
    assert rate.formula and rate.decimals == inputs.figure("mediation.rate").decimals  # what the table hides is kept


def test_a_section_with_a_warning_says_so(bench):
    wb, rid = bench
    wb.draft(rid, "all", offline=True)
    part2 = wb.store.latest(rid, "二")
    wb.save(rid, "二", part2.text + "\n全年新建示范点99个。", part2.version)
    assert next(v for v in wb.sections(rid) if v.key == "二").status_zh == "有警告"


def test_reports_are_renamed_deleted_and_the_last_one_found(bench):
    wb, rid = bench
    other = wb.create_report("某县", 2024)
    assert wb.last_report() == other
    wb.rename_report(other, "某县（改名）", 2024)
    assert wb.report(other)["region"] == "某县（改名）"
    assert wb.delete_report(other)["region"] == "某县（改名）"
    assert wb.last_report() == rid
    with pytest.raises(AssistantError):
        wb.report(other)


# -- the chat answers from this year's data --------------------------------------------------------------
def test_the_chat_answers_figures_validity_and_greetings(bench):
    wb, rid = bench
    answer = reply(wb, rid, "今年人民调解成功率是多少")["reply"]
    assert "调解成功率：98%" in answer and "mediation.rate" in answer and "草稿中还没有用到" in answer
    wb.draft(rid, "一", offline=True)
    answer = reply(wb, rid, "今年人民调解成功率是多少")["reply"]
    assert "草稿（第一部分）：" in answer and "**98%**" in answer
    assert "没有找到与这个问题对应的指标" in reply(wb, rid, "今年建了多少座桥")["reply"]
    answer = reply(wb, rid, "《法治政府建设实施纲要（2015—2020年）》还能引用吗")["reply"]
    assert "已不再有效" in answer and "《法治政府建设实施纲要（2021—2025年）》" in answer
    assert "现行有效" in reply(wb, rid, "优化营商环境条例还有效吗")["reply"]
    assert "我可以帮您" in reply(wb, rid, "你好")["reply"]
    answer = reply(wb, rid, "《优化营商环境条例》第一条")["reply"]
    assert "python -m" not in answer and "知识库" in answer  # the hint points to the tab, not a command


def test_an_unclear_request_gets_help_and_a_search_keeps_the_best_hit_first(bench):
    wb, rid = bench
    answer = reply(wb, rid, "嗯嗯那个弄一下吧")["reply"]
    assert answer.startswith("没太明白您的意思") and "起草全文" in answer  # what it can do, not passages
    answer = reply(wb, rid, "搜索 行政执法")["reply"]
    best, _, rest = answer.partition("<details>")
    assert "行政执法" in best and "<summary>另有" in answer and "行政执法" in rest  # the others folded away
    assert "hunchun-2023-rule-of-law-report.txt" in best  # the file's own name, no empty fields
    assert "· ·" not in answer
