"""The Gradio web app. It only wires components to the Workbench; no logic lives here.

Tabs: 起草与修改 (sections, editor, findings, sources, versions, chat), 指标与素材 (inputs),
知识库 (upload, list, remove, search), 审阅 (check a report written elsewhere), 导出 (Word/Markdown).
"""

from __future__ import annotations

from . import privacy  # noqa: F401  (analytics off before gradio is imported)

import threading
import time
from pathlib import Path

import gradio as gr

from .errors import AssistantError, InputsError
from .findings import SEVERITY_ORDER, SEVERITY_ZH, Finding
from .inputs import NOTE_KINDS
from .store import ConflictError
from .workbench import HEAD, Workbench, llm_howto

CSS = """
.diff del { background: #fde2e2; color: #a61b1b; }
.diff ins { background: #dcf5dc; color: #176b17; text-decoration: none; }
.diff-legend { color: #666; margin-bottom: .5em; }
.diff-body { line-height: 1.9; white-space: normal; }
#message p { margin: .2em 0; }
"""
KIND_ZH = {"report": "往年报告", "regulation": "法规"}
SEVERITY_COLORS = {"错误": "#ff6b6b", "警告": "#ffb347", "提示": "#9ec5fe"}
FINDING_HEADERS = ["级别", "类型", "原文", "说明", "建议"]
FINDING_WIDTHS = ["8%", "14%", "18%", "38%", "22%"]
SAMPLE_INPUTS = Path(__file__).resolve().parent.parent / "corpus" / "inputs" / "hunchun-2023.yaml"


# -- small converters ---------------------------------------------------------------------------------
def highlight(text: str, findings: list[Finding]) -> list[tuple[str, str | None]]:
    """Text cut into (piece, label) for gr.HighlightedText; overlapping findings keep the first."""
    pieces, pos = [], 0
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if f.start < pos or f.end <= f.start or f.end > len(text):
            continue
        if f.start > pos:
            pieces.append((text[pos:f.start], None))
        pieces.append((text[f.start:f.end], SEVERITY_ZH.get(f.severity, f.severity)))
        pos = f.end
    if pos < len(text):
        pieces.append((text[pos:], None))
    return pieces


def finding_rows(findings: list[Finding]) -> list[list[str]]:
    """Errors first, then warnings, then notes; in text order within each."""
    ordered = sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), f.start))
    return [[SEVERITY_ZH.get(f.severity, f.severity), f.kind_zh, f.text, f.message, f.suggestion or ""] for f in ordered]


def _findings_from_dicts(items: list[dict] | None) -> list[Finding]:
    return [Finding(**{k: v for k, v in d.items() if k in Finding.__dataclass_fields__}) for d in items or []]


def sources_markdown(sources: list[dict]) -> str:
    if not sources:
        return "这一版没有引用知识库资料（手工修改或没有可参照的资料）。"
    out = []
    for s in sources:
        label = f"《{s['title']}》{s['where']}" if s.get("kind") == "regulation" else f"{s['title']} {s.get('where', '')}"
        text = (s.get("text") or "").replace("\n", " ")
        out.append(f"**{label}**\n\n> {text[:400]}{'…' if len(text) > 400 else ''}")
    return "\n\n".join(out)


def error_text(exc: AssistantError) -> str:
    hint = f"\n\n处理建议：{exc.hint_zh}" if exc.hint_zh else ""
    return f"⚠️ {exc.zh}\n\n{exc.en}{hint}"


# -- the app ----------------------------------------------------------------------------------------------
def build_app(workbench: Workbench) -> gr.Blocks:
    ws = workbench.ws
    wb = workbench

    def llm_status() -> str:
        if ws.settings.llm_configured:
            return f"大模型：已配置 `{ws.settings.assistant_llm_model}`（`{ws.settings.openai_base_url}`）"
        return "大模型：**未配置**（离线模式：起草、检查、查询、检索照常可用；按要求改写需配置大模型，见“帮助”）"

    # ---- refresh helpers (return tuples matching the output lists below) ----
    def section_choices(report_id):
        if report_id is None:
            return []
        return [(f"{v.label}（{v.status_zh}）", v.key) for v in wb.sections(report_id)]

    def load_section(report_id, key):
        """editor text, base version, highlight, findings table, sources, version choices,
        cited documents, message."""
        if report_id is None or key is None:
            return "", None, [], [], "", gr.update(choices=[]), gr.update(choices=[]), gr.update(choices=[]), ""
        latest = wb.store.latest(report_id, key)
        text = latest.text if latest else ""
        findings = wb.section_findings(report_id, key) if text else []
        versions = [(v.label, v.id) for v in wb.versions(report_id, key)]
        a = versions[1][1] if len(versions) > 1 else (versions[0][1] if versions else None)
        b = versions[0][1] if versions else None
        note = f"当前：{latest.label}" + (f"　{latest.note}" if latest and latest.note else "") if latest else \
            "这一部分还没有内容：点“起草本部分”，或在右侧对话框说“起草第X部分”。"
        return (text, latest.version if latest else None, highlight(text, findings), finding_rows(findings),
                sources_markdown(latest.sources if latest else []), gr.update(choices=versions, value=a),
                gr.update(choices=versions, value=b), gr.update(choices=wb.citations_in(text), value=None), note)

    def inputs_view(report_id):
        inputs = wb.inputs(report_id) if report_id is not None else None
        if inputs is None:
            return "还没有本年度输入数据：上传 YAML 或 Excel 文件，或先点“载入示例数据”看看格式。", [], []
        figures = [[f.id, f.label, inputs.display(f.id), f.unit or "", f.formula or "", f.section or ""] for f in inputs.figures]
        notes = [[n.section, NOTE_KINDS.get(n.kind, n.kind), n.title or "", n.text or ""] for n in inputs.notes]
        source = (wb.store.inputs(report_id) or {}).get("filename")
        msg = (f"已载入 {len(figures)} 个指标、{len(notes)} 条工作素材（{inputs.report.region or ''}{inputs.report.year or ''}年度"
               + (f"，来自 {source}" if source else "") + "）。")
        if inputs.warnings:
            msg += "\n\n" + "\n".join(f"- {w}" for w in inputs.warnings)
        return msg, figures, notes

    def refresh_report(report_id, key=None):
        choices = section_choices(report_id)
        keys = [c[1] for c in choices]
        if key not in keys:
            key = next((k for k in keys if k != HEAD and wb.store.latest(report_id, k)), keys[1] if len(keys) > 1 else None)
        history = wb.chat_history(report_id) if report_id is not None else []
        return (gr.update(choices=choices, value=key), *load_section(report_id, key), history, *inputs_view(report_id))

    with gr.Blocks(title="法治政府建设年度报告起草助手") as demo:
        report_id = gr.State(None)
        base = gr.State(None)
        gr.Markdown("# 法治政府建设年度报告起草助手\n按《法治政府建设与责任落实督察工作规定》第二十五条的提纲起草、核对数字和法规引用，导出符合公文格式的 Word 文件。")
        gr.Markdown(llm_status(), elem_id="status")
        with gr.Row():
            report_dd = gr.Dropdown(label="当前报告", choices=wb.report_choices(), elem_id="report", scale=2)
            region_tb = gr.Textbox(label="地区或部门", placeholder="如：珲春市", elem_id="new-region", scale=2)
            now = time.localtime()  # from October on, staff prepare the current year's report
            year_nb = gr.Number(label="年度", value=now.tm_year if now.tm_mon >= 10 else now.tm_year - 1, precision=0,
                                elem_id="new-year", scale=1)
            create_btn = gr.Button("新建或打开报告", elem_id="create-report", scale=1)
        with gr.Tabs():
            with gr.Tab("起草与修改", id="write"):
                with gr.Row():
                    with gr.Column(scale=3):
                        sections = gr.Radio(label="报告各部分（点击切换）", choices=[], elem_id="sections")
                        with gr.Tabs():
                            with gr.Tab("编辑正文", id="edit-tab"):
                                editor = gr.Textbox(label="正文（可直接修改，改完点“保存并检查”）", lines=16, max_lines=40,
                                                    elem_id="editor")
                            with gr.Tab("检查标注", id="marked-tab", elem_id="marked-tab"):
                                marked = gr.HighlightedText(label="检查结果在正文中的位置", color_map=SEVERITY_COLORS,
                                                            show_legend=False, show_inline_category=True,
                                                            combine_adjacent=False, elem_id="highlight")
                        with gr.Row():
                            save_btn = gr.Button("保存并检查", variant="primary", elem_id="save")
                            draft_btn = gr.Button("起草本部分", elem_id="draft-section")
                            reload_btn = gr.Button("载入最新版本", elem_id="reload")
                            force_btn = gr.Button("仍然保存", visible=False, variant="stop", elem_id="force-save")
                        message = gr.Markdown(elem_id="message")
                        findings_df = gr.Dataframe(headers=FINDING_HEADERS, label="检查结果", interactive=False, wrap=True,
                                                   column_widths=FINDING_WIDTHS, elem_id="findings")
                        with gr.Accordion("所用资料（往年报告段落、法规条文）", open=False):
                            sources_md = gr.Markdown(elem_id="sources")
                        with gr.Accordion("版本历史（比较与恢复）", open=False, elem_id="versions-panel"):
                            with gr.Row():
                                version_a = gr.Dropdown(label="版本 A（较早）", choices=[], elem_id="version-a")
                                version_b = gr.Dropdown(label="版本 B（较新）", choices=[], elem_id="version-b")
                            with gr.Row():
                                diff_btn = gr.Button("比较 A 与 B", elem_id="diff-btn")
                                restore_btn = gr.Button("恢复版本 A", elem_id="restore-btn")
                            diff_view = gr.HTML(elem_id="diff")
                    with gr.Column(scale=2):
                        chatbot = gr.Chatbot(label="对话（起草、修改、检查、查法规、搜知识库）", height=520, elem_id="chat")
                        chat_in = gr.Textbox(show_label=False, elem_id="chat-input",
                                             placeholder="例如：起草第二部分 / 精简一些 / 检查全文 / 《行政复议法》第二条")
                        send_btn = gr.Button("发送", variant="primary", elem_id="send")
                        with gr.Accordion("本部分引用的文件（点选查看原文和效力）", open=False):
                            cited = gr.Dropdown(label="引用", choices=[], elem_id="cited")
                            cited_out = gr.Markdown(elem_id="cited-out")
                        with gr.Accordion("法规条文查询", open=False):
                            law_title = gr.Textbox(label="法规名称", placeholder="行政复议法", elem_id="law-title")
                            law_article = gr.Textbox(label="条", placeholder="第二条", elem_id="law-article")
                            law_btn = gr.Button("查看条文", elem_id="law-btn")
                            law_out = gr.Markdown(elem_id="law-out")
            with gr.Tab("指标与素材", id="inputs"):
                with gr.Row():
                    inputs_file = gr.File(label="上传本年度输入数据（.yaml / .yml / .xlsx）", file_types=[".yaml", ".yml", ".xlsx"],
                                          elem_id="inputs-upload")
                    with gr.Column():
                        sample_btn = gr.Button("载入示例数据（珲春市2023年）", elem_id="load-sample")
                        template_btn = gr.Button("生成空白 Excel 模板", elem_id="template-btn")
                        template_file = gr.File(label="模板下载", interactive=False, elem_id="template-file")
                inputs_msg = gr.Markdown(elem_id="inputs-message")
                figures_df = gr.Dataframe(headers=["编号", "指标名称", "数值", "单位", "公式", "所属部分"], label="本年度指标",
                                          interactive=False, wrap=True, elem_id="figures")
                notes_df = gr.Dataframe(headers=["所属部分", "类型", "标题", "内容"], label="各部分工作素材（可直接编辑）",
                                        interactive=True, wrap=True, elem_id="notes")
                save_notes_btn = gr.Button("保存工作素材", elem_id="save-notes")
            with gr.Tab("知识库", id="kb") as kb_tab:
                with gr.Row():
                    kb_files = gr.File(label="上传往年报告或法规（.txt .md .docx .pdf，可多选）", file_count="multiple",
                                       file_types=[".txt", ".md", ".docx", ".pdf"], elem_id="kb-upload")
                    with gr.Column():
                        kb_kind = gr.Radio(label="类别", choices=[("自动识别", ""), ("往年报告", "report"), ("法规", "regulation")],
                                           value="", elem_id="kb-kind")
                        kb_btn = gr.Button("加入知识库", variant="primary", elem_id="kb-ingest")
                kb_msg = gr.Markdown(elem_id="kb-message")
                docs_df = gr.Dataframe(headers=["编号", "类别", "标题", "地区", "年度", "段数", "待向量化"], label="知识库中的文件",
                                       interactive=False, elem_id="docs")
                docs_refresh = gr.Button("刷新列表", size="sm", elem_id="docs-refresh")
                with gr.Row():
                    remove_dd = gr.Dropdown(label="删除文件", choices=[], elem_id="remove-doc")
                    remove_btn = gr.Button("删除", variant="stop", elem_id="remove-btn")
                with gr.Row():
                    search_tb = gr.Textbox(label="检索", placeholder="行政复议申请的受理期限", elem_id="search-box", scale=3)
                    search_kind = gr.Radio(label="范围", choices=[("全部", ""), ("往年报告", "report"), ("法规", "regulation")],
                                           value="", scale=2)
                    search_year = gr.Textbox(label="年度（可不填）", placeholder="如 2023", scale=1, elem_id="search-year")
                    search_btn = gr.Button("检索", scale=1, elem_id="search-btn")
                search_out = gr.Markdown(elem_id="search-results")
            with gr.Tab("审阅", id="review"):
                gr.Markdown("上传别处写好的报告（.docx/.txt），可附上其输入数据，得到全部检查结果。")
                with gr.Row():
                    review_file = gr.File(label="报告文件", file_types=[".docx", ".txt", ".md", ".pdf"], elem_id="review-upload")
                    review_inputs = gr.File(label="输入数据（可选）", file_types=[".yaml", ".yml", ".xlsx"], elem_id="review-inputs")
                    review_year = gr.Textbox(label="报告年度（可不填）", placeholder="如 2024", elem_id="review-year")
                review_btn = gr.Button("开始审阅", variant="primary", elem_id="review-btn")
                review_msg = gr.Markdown(elem_id="review-message")
                review_marked = gr.HighlightedText(label="问题位置", color_map=SEVERITY_COLORS, show_legend=False,
                                                   show_inline_category=True, combine_adjacent=False,
                                                   elem_id="review-highlight")
                review_df = gr.Dataframe(headers=FINDING_HEADERS, label="检查结果", interactive=False, wrap=True,
                                         column_widths=FINDING_WIDTHS, elem_id="review-findings")
                review_state = gr.State(None)
                review_export_btn = gr.Button("导出检查结果（Excel）", elem_id="review-export")
                review_export_file = gr.File(label="下载", interactive=False, elem_id="review-file")
            with gr.Tab("导出", id="export"):
                export_scope = gr.Dropdown(label="范围", choices=[("全文", "all"), ("第一部分", "一"), ("第二部分", "二"),
                                                                ("第三部分", "三"), ("第四部分", "四")], value="all",
                                           elem_id="export-scope")
                export_comments = gr.Checkbox(label="在 Word 中用批注标出每个数字对应的指标、每个引用的效力状态（供审核用）",
                                              value=False, elem_id="export-comments")
                with gr.Row():
                    export_docx_btn = gr.Button("导出 Word（GB/T 9704 公文格式）", variant="primary", elem_id="export-docx")
                    export_md_btn = gr.Button("导出 Markdown", elem_id="export-md")
                export_msg = gr.Markdown(elem_id="export-message")
                export_file = gr.File(label="下载", interactive=False, elem_id="export-file")
            with gr.Tab("帮助", id="help"):
                gr.Markdown(HELP)

        section_outputs = [editor, base, marked, findings_df, sources_md, version_a, version_b, cited, message]
        report_outputs = [sections, *section_outputs, chatbot, inputs_msg, figures_df, notes_df]

        # ---- reports ----
        def on_start():
            choices = wb.report_choices()
            rid = choices[0][1] if choices else None
            return (gr.update(choices=choices, value=rid), rid, *refresh_report(rid), docs_rows(), gr.update(choices=doc_choices()))

        def on_report(rid):
            return (rid, *refresh_report(rid))

        def on_create(region, year):
            try:
                rid = wb.create_report(region or "", year)
            except AssistantError as exc:
                gr.Warning(exc.zh)
                return (gr.update(), gr.update(), *([gr.update()] * len(report_outputs)))
            return (gr.update(choices=wb.report_choices(), value=rid), rid, *refresh_report(rid))

        demo.load(on_start, None, [report_dd, report_id, *report_outputs, docs_df, remove_dd])
        report_dd.input(on_report, report_dd, [report_id, *report_outputs])
        create_btn.click(on_create, [region_tb, year_nb], [report_dd, report_id, *report_outputs])

        # ---- sections ----
        sections.input(lambda rid, key: (*load_section(rid, key), gr.update(visible=False)), [report_id, sections],
                       [*section_outputs, force_btn])
        reload_btn.click(lambda rid, key: (*load_section(rid, key), gr.update(visible=False)), [report_id, sections],
                         [*section_outputs, force_btn])

        def on_save(rid, key, text, base_version, force=False):
            if rid is None or key is None:
                gr.Warning("请先选择或新建报告，并选中一个部分。")
                return (gr.update(), *([gr.update()] * len(section_outputs)), gr.update())
            try:
                version = wb.save(rid, key, text, base_version, "edit", force=force)
            except ConflictError as exc:
                return (gr.update(), *[gr.update()] * (len(section_outputs) - 1), error_text(exc), gr.update(visible=True))
            except AssistantError as exc:
                return (gr.update(), *[gr.update()] * (len(section_outputs) - 1), error_text(exc), gr.update())
            out = load_section(rid, key)
            findings = wb.section_findings(rid, key)
            errors = sum(1 for f in findings if f.severity == "error")
            msg = f"已保存为{version.label}。检查发现 {errors} 个错误、{sum(1 for f in findings if f.severity == 'warning')} 个警告。"
            return (gr.update(choices=section_choices(rid), value=key), *out[:-1], msg, gr.update(visible=False))

        save_btn.click(on_save, [report_id, sections, editor, base], [sections, *section_outputs, force_btn])
        force_btn.click(lambda *a: on_save(*a, force=True), [report_id, sections, editor, base],
                        [sections, *section_outputs, force_btn])

        def on_draft(rid, key, text, base_version):
            if rid is None or key is None or key == HEAD:
                gr.Warning("请先选中要起草的部分（一、二、三、四）。")
                yield (gr.update(), *([gr.update()] * len(section_outputs)))
                return
            wb.save_if_changed(rid, key, text, base_version)
            yield (gr.update(), *([gr.update()] * (len(section_outputs) - 1)), "正在起草，请稍候……")
            try:
                draft, _ = wb.draft(rid, key if key != "tail" else "all")
            except AssistantError as exc:
                yield (gr.update(), *([gr.update()] * (len(section_outputs) - 1)), error_text(exc))
                return
            out = load_section(rid, key)
            yield (gr.update(choices=section_choices(rid), value=key), *out[:-1], "；".join(draft.notes) or "已起草。")

        draft_btn.click(on_draft, [report_id, sections, editor, base], [sections, *section_outputs])

        # ---- versions ----
        diff_btn.click(lambda a, b: wb.diff(a, b) if a and b else "请选择两个版本。", [version_a, version_b], diff_view)

        def on_restore(rid, key, version_id, base_version):
            try:
                version = wb.restore(rid, key, version_id, base_version)
            except AssistantError as exc:
                return (gr.update(), *([gr.update()] * (len(section_outputs) - 1)), error_text(exc))
            out = load_section(rid, key)
            return (gr.update(choices=section_choices(rid), value=key), *out[:-1], f"已恢复，保存为{version.label}。")

        restore_btn.click(on_restore, [report_id, sections, version_a, base], [sections, *section_outputs])

        # ---- chat ----
        def on_chat(rid, text, history, key, editor_text, base_version):
            history = list(history or [])
            if not text or not text.strip():
                yield history, "", *([gr.update()] * (len(section_outputs) + 2))
                return
            if rid is None:
                history += [{"role": "user", "content": text},
                            {"role": "assistant", "content": "请先在上方新建或打开一份报告（地区＋年度）。"}]
                yield history, "", *([gr.update()] * (len(section_outputs) + 2))
                return
            history += [{"role": "user", "content": text}, {"role": "assistant", "content": "……"}]
            yield history, "", *([gr.update()] * (len(section_outputs) + 2))
            final: dict = {}
            for event in wb.chat(rid, text, key, editor_text, base_version):
                history[-1] = {"role": "assistant", "content": event["reply"]}
                final = event
                yield history, "", *([gr.update()] * (len(section_outputs) + 2))
            changed = final.get("changed") or []
            if changed:
                show = key if key in changed else changed[0]
                out = load_section(rid, show)
                yield (history, "", gr.update(choices=section_choices(rid), value=show), *out,
                       final.get("diff") or gr.update())
            else:
                yield history, "", *([gr.update()] * (len(section_outputs) + 2))

        chat_outputs = [chatbot, chat_in, sections, *section_outputs, diff_view]
        chat_in.submit(on_chat, [report_id, chat_in, chatbot, sections, editor, base], chat_outputs)
        send_btn.click(on_chat, [report_id, chat_in, chatbot, sections, editor, base], chat_outputs)

        def on_law(title, article):
            from .article_lookup import lookup_article

            try:
                found = lookup_article(ws, title or "", article or "")
            except AssistantError as exc:
                return error_text(exc)
            note = f"（{found['status_note']}）" if found.get("status_note") else ""
            return f"**{found['heading']}**{note}\n\n" + found["text"].replace("\n", "\n\n")

        law_btn.click(on_law, [law_title, law_article], law_out)

        def on_cited(rid, choice):
            year = wb.report(rid)["year"] if rid is not None else None
            return wb.citation_info(choice, year) if choice else ""

        cited.input(on_cited, [report_id, cited], cited_out)

        # ---- inputs ----
        def on_inputs(rid, file):
            """Load an uploaded inputs file; the upload box is emptied afterwards, ready for the next file
            (the message names the file that is loaded)."""
            keep = gr.update()
            if file is None:
                return keep, keep, keep, keep, keep
            if rid is None:
                return "请先新建或打开一份报告。", keep, keep, keep, None
            try:
                wb.load_inputs_file(rid, file)
            except InputsError as exc:
                problems = "\n".join(f"- {p}" for p in exc.problems)
                kept = ("原有的输入数据保持不变。 The inputs loaded before are kept." if wb.inputs(rid)
                        else "尚未载入任何输入数据。 No inputs are loaded yet.")
                return f"⚠️ {exc.zh}\n\n{problems}\n\n{exc.en}\n\n{kept}", keep, keep, keep, None
            except AssistantError as exc:
                return error_text(exc), keep, keep, keep, None
            return (*inputs_view(rid), gr.update(choices=section_choices(rid)), None)

        inputs_outputs = [inputs_msg, figures_df, notes_df, sections, inputs_file]
        inputs_file.upload(on_inputs, [report_id, inputs_file], inputs_outputs)
        sample_btn.click(lambda rid: on_inputs(rid, str(SAMPLE_INPUTS)), report_id, inputs_outputs)

        def on_template():
            from .inputs import write_template

            return str(write_template(wb.exports / "法治政府建设年度报告-输入数据模板.xlsx"))

        template_btn.click(on_template, None, template_file)

        def on_notes(rid, table):
            rows = table.values.tolist() if hasattr(table, "values") else (table or [])
            try:
                wb.save_notes(rid, rows)
            except InputsError as exc:
                return "⚠️ " + exc.zh + "\n\n" + "\n".join(f"- {p}" for p in exc.problems), gr.update(), gr.update()
            except AssistantError as exc:
                return error_text(exc), gr.update(), gr.update()
            return inputs_view(rid)

        save_notes_btn.click(on_notes, [report_id, notes_df], [inputs_msg, figures_df, notes_df])

        # ---- knowledge base ----
        def docs_rows():
            try:
                return [[d["doc_id"], "往年报告" if d["kind"] == "report" else "法规", d["title"], d["region"] or "",
                         d["year"] or "", d["chunk_count"], d["pending"]] for d in ws.kb.documents()]
            except AssistantError:
                return []

        def doc_choices():
            try:
                return [(f"{d['title']}（{d['doc_id']}）", d["doc_id"]) for d in ws.kb.documents()]
            except AssistantError:
                return []

        def on_ingest(files, kind, progress=gr.Progress()):
            from .ingest import ingest_paths

            if not files:
                return "请先选择文件。", gr.update(), gr.update()
            try:
                paths = [wb.safe_upload(f, {".txt", ".md", ".docx", ".pdf"}) for f in files]
            except AssistantError as exc:
                return error_text(exc), gr.update(), gr.update()
            progress(0, desc="读取与分段")

            def report_progress(done, total, msg):
                progress((done, max(total, 1)), desc=msg)

            report = ingest_paths(ws.kb, paths, kind=kind or None, embed=True, progress=report_progress,
                                  on_regulation=ws.register_regulation)
            lines = []
            for f, original in zip(report.files, files):
                name = Path(original).name
                if f.ok:
                    change = "未变化" if f.unchanged else f"新增{f.added}段"
                    lines.append(f"- ✓ {name} → 《{f.title}》（{'往年报告' if f.kind == 'report' else '法规'}，{f.chunks}段，{change}）")
                else:
                    lines.append(f"- ✗ {name}：{f.error}")
            if report.embed_error:
                lines.append(f"\n向量化未完成（关键词检索已可用）：{report.embed_error}")
            return "\n".join(lines), docs_rows(), gr.update(choices=doc_choices())

        kb_btn.click(on_ingest, [kb_files, kb_kind], [kb_msg, docs_df, remove_dd])
        docs_refresh.click(lambda: (docs_rows(), gr.update(choices=doc_choices())), None, [docs_df, remove_dd])
        kb_tab.select(lambda: (docs_rows(), gr.update(choices=doc_choices())), None, [docs_df, remove_dd])

        def on_remove(doc_id):
            if not doc_id:
                return "请选择要删除的文件。", gr.update(), gr.update()
            try:
                doc = ws.kb.remove(doc_id)
            except AssistantError as exc:
                return error_text(exc), gr.update(), gr.update()
            return f"已删除《{doc['title']}》。", docs_rows(), gr.update(choices=doc_choices(), value=None)

        remove_btn.click(on_remove, remove_dd, [kb_msg, docs_df, remove_dd])

        def on_search(query, kind, year):
            year = str(year or "").strip()
            try:
                hits = ws.kb.search(query or "", k=8, kind=kind or None, year=int(year) if year.isdigit() else None)
            except AssistantError as exc:
                return error_text(exc)
            if not hits:
                return "没有找到相关内容。"
            return "\n\n".join(f"**{n}. {h.citation}**　<small>{KIND_ZH.get(h.kind, h.kind)} · {h.year or ''} · {h.region or ''} · "
                               f"来源 {h.source or h.doc_id}，字符 {h.start}–{h.end}</small>\n\n> {h.text[:300]}"
                               for n, h in enumerate(hits, 1))

        search_btn.click(on_search, [search_tb, search_kind, search_year], search_out)
        search_tb.submit(on_search, [search_tb, search_kind, search_year], search_out)

        # ---- review ----
        def on_review(file, inputs_file_, year):
            if file is None:
                return "请上传要审阅的报告。", [], [], None
            try:
                year = str(year or "").strip()
                text, findings = wb.review(file, inputs_file_, int(year) if year.isdigit() else None)
            except InputsError as exc:
                return "⚠️ " + exc.zh + "\n\n" + "\n".join(f"- {p}" for p in exc.problems), [], [], None
            except AssistantError as exc:
                return error_text(exc), [], [], None
            counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
            msg = f"审阅完毕：{counts['error']} 个错误、{counts['warning']} 个警告、{counts['info']} 个提示。"
            return msg, highlight(text, findings), finding_rows(findings), {"text": text, "findings": [f.to_dict() for f in findings]}

        review_btn.click(on_review, [review_file, review_inputs, review_year], [review_msg, review_marked, review_df, review_state])

        def on_review_export(state):
            if not state:
                return None
            return str(wb.export_review(state["text"], _findings_from_dicts(state["findings"])))

        review_export_btn.click(on_review_export, review_state, review_export_file)

        # ---- export ----
        def on_export(rid, scope, comments, fmt):
            if rid is None:
                return "请先新建或打开一份报告。", None
            try:
                path = wb.export(rid, scope, fmt, comments)
            except AssistantError as exc:
                return error_text(exc), None
            return f"已导出：{path.name}", str(path)

        export_docx_btn.click(lambda r, s, c: on_export(r, s, c, "docx"), [report_id, export_scope, export_comments],
                              [export_msg, export_file])
        export_md_btn.click(lambda r, s, c: on_export(r, s, c, "md"), [report_id, export_scope, export_comments],
                            [export_msg, export_file])
    return demo


HELP = f"""
### 第一次使用
1. 在上方填写地区（或部门）和年度，点“新建或打开报告”。
2. 到“指标与素材”页上传本年度的统计数据和工作素材（YAML 或 Excel；可先下载空白模板，或点“载入示例数据”看看格式）。
3. 回到“起草与修改”页，选中一个部分点“起草本部分”，或在右侧对话框说“起草全文”。
4. 在文本框里修改，点“保存并检查”：数字与统计不符、法规名称或条文有误、已失效的文件、缺少必备部分都会标出来。
5. 到“导出”页下载 Word 文件（A4，仿宋三号正文，黑体、楷体标题，页码居外侧）。

### 数据保存在哪里
所有数据（报告、每一版、对话、上传的文件、知识库）都在数据目录（默认 `./data`，设置 `ASSISTANT_DATA_DIR` 可更改）。
备份：停止程序后复制整个数据目录即可。

### 大模型
{llm_howto()}
"""


def launch(workbench: Workbench, host: str, port: int, *, block: bool = True, quiet: bool = False) -> gr.Blocks:
    """Start the app (returns once it serves when `block` is False; then call
    `demo.block_thread()`). Any address other than loopback requires a login from the settings."""
    settings = workbench.ws.settings
    auth = None
    if host not in ("127.0.0.1", "localhost", "::1"):
        if not (settings.assistant_user and settings.assistant_password):
            raise AssistantError(
                f"绑定到 {host} 会让其他电脑访问本程序，必须先设置登录用户名和密码（ASSISTANT_USER、ASSISTANT_PASSWORD）。",
                f"Binding to {host} exposes the app; set ASSISTANT_USER and ASSISTANT_PASSWORD first.")
        auth = (settings.assistant_user, settings.assistant_password)
    demo = build_app(workbench)
    demo.queue(default_concurrency_limit=4)
    demo.launch(server_name=host, server_port=port, auth=auth, auth_message="请输入用户名和密码",
                prevent_thread_lock=not block, quiet=quiet, share=False, show_error=True, css=CSS,
                max_file_size=f"{settings.assistant_max_upload_mb}mb",
                allowed_paths=[str(workbench.exports)], footer_links=["settings"])
    return demo


def start_background_indexing(ws) -> threading.Thread:
    """Index the sample corpus (and ASSISTANT_SEED_PATHS) on first start: keywords at once,
    vectors in the background."""
    import os

    from .ingest import ingest_paths

    def run() -> None:
        paths = [ws.settings.assistant_corpus_dir / "reports"]
        paths += [Path(p) for p in ws.settings.assistant_seed_paths.split(os.pathsep) if p.strip()]
        try:
            ingest_paths(ws.kb, [p for p in paths if p.exists()], on_regulation=ws.register_regulation)
            ws.kb.embed_pending()
        except Exception as exc:  # noqa: BLE001 - indexing must never stop the app
            print(f"知识库初始化未完成 / knowledge base indexing stopped: {exc}", flush=True)

    thread = threading.Thread(target=run, daemon=True, name="corpus-indexing")
    thread.start()
    return thread
