"""What the data tabs do: 指标与素材 (upload, the figures and notes edited in their tables),
知识库 (upload with progress, list, remove after a confirmation, search) and 导出 (asks first
while errors remain, offers to fix half-width punctuation, a file of its own per export)."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from ...errors import AssistantError, InputsError
from ..chat import notice_line
from ..store import ConflictError
from ..workbench import Workbench
from .panels import Panels, base_of, rid_of
from .views import KIND_ZH, bilingual, error_text, export_check_markdown, inputs_error_text

NO_REPORT = "请先在上方新建或打开一份报告（填写地区和年度，点“新建或打开报告”）。"


def _rows(table) -> list[list]:
    return table.values.tolist() if hasattr(table, "values") else (table or [])


def inputs_tab(ui, wb: Workbench, p: Panels) -> None:
    keep = gr.update()

    def kept_note(rid) -> str:
        return "原有的输入数据保持不变。" if wb.inputs(rid) else "尚未载入任何输入数据。"

    # after the inputs change, the write tab's findings follow (the editor's text is not touched)
    findings_outputs = [ui.marked, ui.findings_df, ui.fix_section_btn]
    unchanged = (keep, keep, keep)

    def on_inputs(value, file, key, text):
        """Load an uploaded inputs file; the upload box is emptied afterwards, ready for the next
        file (the message names the file that is loaded)."""
        rid = rid_of(value)
        if file is None:
            return keep, keep, keep, keep, keep, *unchanged
        if rid is None:
            return NO_REPORT, keep, keep, keep, None, *unchanged
        try:
            wb.load_inputs_file(rid, file)
        except InputsError as exc:
            return inputs_error_text(exc, kept_note(rid)), keep, keep, keep, None, *unchanged
        except AssistantError as exc:
            return error_text(exc), keep, keep, keep, None, *unchanged
        return (*p.inputs_view(rid), gr.update(choices=p.section_choices(rid)), None, *p.findings_view(rid, key, text))

    inputs_outputs = [ui.inputs_msg, ui.figures_df, ui.notes_df, ui.sections, ui.inputs_file, *findings_outputs]
    ui.inputs_file.upload(on_inputs, [ui.report_dd, ui.inputs_file, ui.sections, ui.editor], inputs_outputs)

    def on_sample(value, key, text):
        """The sample inputs of the open report's year (and which year was loaded)."""
        rid = rid_of(value)
        if rid is None:
            return NO_REPORT, keep, keep, keep, None, *unchanged
        try:
            _, year = wb.load_sample_inputs(rid)
        except AssistantError as exc:
            return error_text(exc), keep, keep, keep, None, *unchanged
        msg, figures, notes = p.inputs_view(rid)
        return (f"已载入{year}年的示例数据。" + msg, figures, notes, gr.update(choices=p.section_choices(rid)), None,
                *p.findings_view(rid, key, text))

    ui.sample_btn.click(on_sample, [ui.report_dd, ui.sections, ui.editor], inputs_outputs)

    def on_template():
        from ...inputs import write_template

        return str(write_template(wb.exports / "法治政府建设年度报告-输入数据模板.xlsx"))

    ui.template_btn.click(on_template, None, ui.template_file)

    table_outputs = [ui.inputs_msg, ui.figures_df, ui.notes_df, ui.sections, *findings_outputs]

    def on_figures(value, table, key, text):
        rid = rid_of(value)
        if rid is None:
            return NO_REPORT, keep, keep, keep, *unchanged
        try:
            inputs = wb.save_figures(rid, _rows(table))
        except InputsError as exc:
            return (inputs_error_text(exc, "表格中的修改没有保存，输入数据保持不变；改正后再点“保存指标”。"), keep, keep, keep,
                    *unchanged)
        msg, figures, notes = p.inputs_view(rid)
        head = f"已保存为输入数据第{wb.inputs_version(rid)}版（{len(inputs.figures)} 个指标），各部分的检查结果已按新数据更新。"
        return (head + "\n\n" + msg, figures, notes, gr.update(choices=p.section_choices(rid)),
                *p.findings_view(rid, key, text))

    ui.save_figures_btn.click(on_figures, [ui.report_dd, ui.figures_df, ui.sections, ui.editor], table_outputs)

    def on_notes(value, table, key, text):
        rid = rid_of(value)
        if rid is None:
            return NO_REPORT, keep, keep, keep, *unchanged
        try:
            wb.save_notes(rid, _rows(table))
        except InputsError as exc:
            return inputs_error_text(exc, "表格中的修改没有保存。"), keep, keep, keep, *unchanged
        msg, figures, notes = p.inputs_view(rid)
        return (f"工作素材已保存为输入数据第{wb.inputs_version(rid)}版。\n\n" + msg, figures, notes,
                gr.update(choices=p.section_choices(rid)), *p.findings_view(rid, key, text))

    ui.save_notes_btn.click(on_notes, [ui.report_dd, ui.notes_df, ui.sections, ui.editor], table_outputs)


def knowledge_tab(ui, wb: Workbench, p: Panels) -> None:
    ws = wb.ws

    def on_ingest(files, kind, progress=gr.Progress()):
        from ...knowledge import ingest_paths

        if not files:
            return "请先选择文件。", gr.update(), gr.update()
        try:
            paths = [wb.safe_upload(f, {".txt", ".md", ".docx", ".pdf"}) for f in files]
        except AssistantError as exc:
            return error_text(exc), gr.update(), gr.update()
        progress(0, desc="读取与分段")

        def report_progress(done, total, msg):
            progress((done, max(total, 1)), desc=msg, unit="个文件")

        report = ingest_paths(ws.kb, paths, kind=kind or None, embed=True, progress=report_progress,
                              on_regulation=ws.register_regulation)
        lines = []
        for f, stored, original in zip(report.files, paths, files):
            name = Path(original).name
            if f.ok:
                change = "未变化" if f.unchanged else f"新增{f.added}段"
                lines.append(f"- ✓ {name} → 《{f.title}》（{'往年报告' if f.kind == 'report' else '法规'}，{f.chunks}段，{change}）")
            else:  # the file's own name, never the name it is stored under
                error = str(f.error).replace(str(stored), name).replace(stored.name, name)
                lines.append(f"- ✗ {name}：{bilingual(error)}")
        if report.embed_error:
            what = "上传到服务器未完成" if ws.kb.server_mode else "向量化未完成"
            lines.append(f"\n{what}（关键词检索已可用）：{bilingual(report.embed_error)}")
        return "\n".join(lines), p.docs_rows(), gr.update(choices=p.doc_choices())

    ui.kb_btn.click(on_ingest, [ui.kb_files, ui.kb_kind], [ui.kb_msg, ui.docs_df, ui.remove_dd])

    def on_docs():
        return p.docs_rows(), gr.update(choices=p.doc_choices())

    ui.docs_refresh.click(on_docs, None, [ui.docs_df, ui.remove_dd])
    ui.kb_tab.select(on_docs, None, [ui.docs_df, ui.remove_dd])

    def on_remove_ask(doc_id):
        if not doc_id:
            return gr.update(visible=False), "", "请先在“删除文件”中选择要删除的文件。"
        doc = ws.kb.resolve_doc(str(doc_id))
        text = (f"### 确定从知识库删除《{doc['title']}》吗？\n原文件：{wb.display_name(doc.get('source')) or '（无）'}。"
                "删除后检索和起草不再参照它；要用时需重新上传。")
        return gr.update(visible=True), text, ""

    ui.remove_btn.click(on_remove_ask, ui.remove_dd, [ui.confirm_remove, ui.confirm_remove_md, ui.kb_msg])

    def on_remove(doc_id):
        hide = gr.update(visible=False)
        if not doc_id:
            return hide, "请选择要删除的文件。", gr.update(), gr.update()
        doc = ws.kb.remove(str(doc_id))
        return hide, f"已删除《{doc['title']}》。", p.docs_rows(), gr.update(choices=p.doc_choices(), value=None)

    ui.confirm_remove_yes.click(on_remove, ui.remove_dd, [ui.confirm_remove, ui.kb_msg, ui.docs_df, ui.remove_dd])
    def on_cancel():
        return gr.update(visible=False), "已取消，没有删除。"

    ui.confirm_remove_no.click(on_cancel, None, [ui.confirm_remove, ui.kb_msg])

    def on_search(query, kind, year):
        year = str(year or "").strip()
        if not (query or "").strip():
            return "请输入要检索的内容。"
        hits = ws.kb.search(query or "", k=8, kind=kind or None, year=int(year) if year.isdigit() else None)
        note = notice_line(hits)  # a Chroma server that is down: keywords only
        if not hits:
            return note + "没有找到相关内容。"
        out = []
        for n, h in enumerate(hits, 1):
            where = " · ".join(x for x in (KIND_ZH.get(h.kind, h.kind or ""), f"{h.year}年" if h.year else "", h.region or "",
                                           f"原文件：{wb.display_name(h.source)}" if h.source else "") if x)
            out.append(f"**{n}. {h.citation}**　<small>{where}</small>\n\n> {h.text[:300]}")
        return note + "\n\n".join(out)

    ui.search_btn.click(on_search, [ui.search_tb, ui.search_kind, ui.search_year], ui.search_out)
    ui.search_tb.submit(on_search, [ui.search_tb, ui.search_kind, ui.search_year], ui.search_out)


def export_tab(ui, wb: Workbench, p: Panels) -> None:
    write = [ui.sections, *ui.section_outputs]
    keep_write = [gr.update()] * len(write)
    hide = gr.update(visible=False)
    scope_labels = {"all": "全文", "一": "第一部分", "二": "第二部分", "三": "第三部分", "四": "第四部分"}

    def presave(rid, key, text, base):
        """The editor's unsaved text goes into the export; None, or the message when it cannot."""
        try:
            wb.save_if_changed(rid, key, text, base_of(base))
        except ConflictError:
            return ("⚠️ “起草与修改”页编辑框里的修改与另一个窗口保存的版本冲突，没有导出。"
                    "请回到“起草与修改”页，点“保存并检查”处理冲突后再导出。")
        return None

    def refreshed(rid, key):
        if rid is None or key is None:
            return keep_write
        return [gr.update(choices=p.section_choices(rid), value=key), *p.load_section(rid, key)]

    def done(rid, key, path, head=""):
        return (hide, f"{head}已导出：{path.name}（每次导出都是一个新文件，不会覆盖以前的）", str(path), *refreshed(rid, key))

    def on_export_ask(value, scope, comments, fmt, key, text, base):
        """Export at once when nothing needs confirming; otherwise list the errors (and offer the
        punctuation fix) and wait for a choice."""
        rid = rid_of(value)
        if rid is None:
            return hide, "", fmt, NO_REPORT, None, *keep_write, gr.update()
        problem = presave(rid, key, text, base)
        if problem:
            return hide, "", fmt, problem, None, *keep_write, gr.update()
        check = wb.export_check(rid, scope)
        if check["errors"] or check["punctuation"]:
            md = export_check_markdown(check, scope_labels.get(scope, "全文"))
            return (gr.update(visible=True), md, fmt, "导出前请确认下面的问题。", None, *refreshed(rid, key),
                    gr.update(visible=bool(check["punctuation"])))
        path = wb.export(rid, scope, fmt, comments)
        box, msg, file, *rest = done(rid, key, path)
        return (box, "", fmt, msg, file, *rest, gr.update())

    ask_outputs = [ui.export_confirm, ui.export_confirm_md, ui.export_fmt, ui.export_msg, ui.export_file, *write,
                   ui.export_fix_btn]

    def on_export_docx(value, scope, comments, key, text, base):
        return on_export_ask(value, scope, comments, "docx", key, text, base)

    def on_export_md(value, scope, comments, key, text, base):
        return on_export_ask(value, scope, comments, "md", key, text, base)

    ask_inputs = [ui.report_dd, ui.export_scope, ui.export_comments, ui.sections, ui.editor, ui.base]
    ui.export_docx_btn.click(on_export_docx, ask_inputs, ask_outputs)
    ui.export_md_btn.click(on_export_md, ask_inputs, ask_outputs)

    def on_export(value, scope, comments, fmt, key, fix: bool = False):
        rid = rid_of(value)
        if rid is None:
            return hide, NO_REPORT, None, *keep_write
        head = ""
        if fix:
            count, changed = wb.fix_punctuation(rid, scope)
            head = (f"已把 {count} 处半角标点改为全角（{'、'.join(wb.section_label(k) for k in changed)}各保存为新版本）。"
                    if count else "")
        return done(rid, key, wb.export(rid, scope, fmt or "docx", comments), head)

    def on_export_fixed(value, scope, comments, fmt, key):
        return on_export(value, scope, comments, fmt, key, fix=True)

    done_inputs = [ui.report_dd, ui.export_scope, ui.export_comments, ui.export_fmt, ui.sections]
    done_outputs = [ui.export_confirm, ui.export_msg, ui.export_file, *write]
    ui.export_anyway_btn.click(on_export, done_inputs, done_outputs)
    ui.export_fix_btn.click(on_export_fixed, done_inputs, done_outputs)

    def on_export_cancel():
        return hide, "没有导出。请在“起草与修改”页处理上面列出的问题（点检查结果中的一行可定位到正文）。", gr.Tabs(selected="write")

    ui.export_cancel_btn.click(on_export_cancel, None, [ui.export_confirm, ui.export_msg, ui.main_tabs])
