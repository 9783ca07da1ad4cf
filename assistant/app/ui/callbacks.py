"""What the web app's components do: each event calls the Workbench and returns what the
screens show (`Panels`). One function per tab."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from ...errors import AssistantError, InputsError
from ...inputs import NOTE_KINDS
from ..sections import HEAD
from ..store import ConflictError
from ..workbench import Workbench
from .views import KIND_ZH, _findings_from_dicts, error_text, finding_rows, highlight, sources_markdown


class Panels:
    """What the screens show for a report, as values for the components' outputs."""

    def __init__(self, wb: Workbench) -> None:
        self.wb = wb

    def section_choices(self, report_id):
        if report_id is None:
            return []
        return [(f"{v.label}（{v.status_zh}）", v.key) for v in self.wb.sections(report_id)]

    def load_section(self, report_id, key):
        """editor text, base version, highlight, findings table, sources, version choices,
        cited documents, message."""
        if report_id is None or key is None:
            return "", None, [], [], "", gr.update(choices=[]), gr.update(choices=[]), gr.update(choices=[]), ""
        latest = self.wb.store.latest(report_id, key)
        text = latest.text if latest else ""
        findings = self.wb.section_findings(report_id, key) if text else []
        figure_spans = latest.figure_spans if latest else []
        versions = [(v.label, v.id) for v in self.wb.versions(report_id, key)]
        a = versions[1][1] if len(versions) > 1 else (versions[0][1] if versions else None)
        b = versions[0][1] if versions else None
        note = f"当前：{latest.label}" + (f"　{latest.note}" if latest and latest.note else "") if latest else \
            "这一部分还没有内容：点“起草本部分”，或在右侧对话框说“起草第X部分”。"
        inputs = self.wb.inputs(report_id) if figure_spans else None
        return (text, latest.version if latest else None, highlight(text, findings, figure_spans), finding_rows(findings),
                sources_markdown(latest.sources if latest else [], text, figure_spans, inputs),
                gr.update(choices=versions, value=a),
                gr.update(choices=versions, value=b), gr.update(choices=self.wb.citations_in(text), value=None), note)

    def inputs_view(self, report_id):
        inputs = self.wb.inputs(report_id) if report_id is not None else None
        if inputs is None:
            return "还没有本年度输入数据：上传 YAML 或 Excel 文件，或先点“载入示例数据”看看格式。", [], []
        figures = [[f.id, f.label, inputs.display(f.id), f.unit or "", f.formula or "", f.section or ""] for f in inputs.figures]
        notes = [[n.section, NOTE_KINDS.get(n.kind, n.kind), n.title or "", n.text or ""] for n in inputs.notes]
        source = (self.wb.store.inputs(report_id) or {}).get("filename")
        msg = (f"已载入 {len(figures)} 个指标、{len(notes)} 条工作素材（{inputs.report.region or ''}{inputs.report.year or ''}年度"
               + (f"，来自 {source}" if source else "") + "）。")
        if inputs.warnings:
            msg += "\n\n" + "\n".join(f"- {w}" for w in inputs.warnings)
        notices = self.wb.inputs_notices(report_id)
        if notices:
            msg = "\n".join(f"⚠️ {n}" for n in notices) + "\n\n" + msg
        return msg, figures, notes

    def refresh_report(self, report_id, key=None):
        choices = self.section_choices(report_id)
        keys = [c[1] for c in choices]
        if key not in keys:
            key = next((k for k in keys if k != HEAD and self.wb.store.latest(report_id, k)), keys[1] if len(keys) > 1 else None)
        history = self.wb.chat_history(report_id) if report_id is not None else []
        return (gr.update(choices=choices, value=key), *self.load_section(report_id, key), history, *self.inputs_view(report_id))

    def docs_rows(self):
        try:
            return [[d["doc_id"], "往年报告" if d["kind"] == "report" else "法规", d["title"], d["region"] or "",
                     d["year"] or "", d["chunk_count"], d["pending"]] for d in self.wb.ws.kb.documents()]
        except AssistantError:
            return []

    def doc_choices(self):
        try:
            return [(f"{d['title']}（{d['doc_id']}）", d["doc_id"]) for d in self.wb.ws.kb.documents()]
        except AssistantError:
            return []


def _reports(ui, wb: Workbench, p: Panels) -> None:
    def on_start():
        choices = wb.report_choices()
        rid = choices[0][1] if choices else None
        return (gr.update(choices=choices, value=rid), rid, *p.refresh_report(rid), p.docs_rows(), gr.update(choices=p.doc_choices()))

    def on_report(rid):
        return (rid, *p.refresh_report(rid))

    def on_create(region, year):
        try:
            rid = wb.create_report(region or "", year)
        except AssistantError as exc:
            gr.Warning(exc.zh)
            return (gr.update(), gr.update(), *([gr.update()] * len(ui.report_outputs)))
        return (gr.update(choices=wb.report_choices(), value=rid), rid, *p.refresh_report(rid))

    ui.demo.load(on_start, None, [ui.report_dd, ui.report_id, *ui.report_outputs, ui.docs_df, ui.remove_dd])
    ui.report_dd.input(on_report, ui.report_dd, [ui.report_id, *ui.report_outputs])
    ui.create_btn.click(on_create, [ui.region_tb, ui.year_nb], [ui.report_dd, ui.report_id, *ui.report_outputs])


def _sections(ui, wb: Workbench, p: Panels) -> None:
    ui.sections.input(lambda rid, key: (*p.load_section(rid, key), gr.update(visible=False)), [ui.report_id, ui.sections],
                   [*ui.section_outputs, ui.force_btn])
    ui.reload_btn.click(lambda rid, key: (*p.load_section(rid, key), gr.update(visible=False)), [ui.report_id, ui.sections],
                     [*ui.section_outputs, ui.force_btn])

    def on_save(rid, key, text, base_version, force=False):
        if rid is None or key is None:
            gr.Warning("请先选择或新建报告，并选中一个部分。")
            return (gr.update(), *([gr.update()] * len(ui.section_outputs)), gr.update())
        try:
            version = wb.save(rid, key, text, base_version, "edit", force=force)
        except ConflictError as exc:
            return (gr.update(), *[gr.update()] * (len(ui.section_outputs) - 1), error_text(exc), gr.update(visible=True))
        except AssistantError as exc:
            return (gr.update(), *[gr.update()] * (len(ui.section_outputs) - 1), error_text(exc), gr.update())
        out = p.load_section(rid, key)
        findings = wb.section_findings(rid, key)
        errors = sum(1 for f in findings if f.severity == "error")
        msg = f"已保存为{version.label}。检查发现 {errors} 个错误、{sum(1 for f in findings if f.severity == 'warning')} 个警告。"
        return (gr.update(choices=p.section_choices(rid), value=key), *out[:-1], msg, gr.update(visible=False))

    ui.save_btn.click(on_save, [ui.report_id, ui.sections, ui.editor, ui.base], [ui.sections, *ui.section_outputs, ui.force_btn])
    ui.force_btn.click(lambda *a: on_save(*a, force=True), [ui.report_id, ui.sections, ui.editor, ui.base],
                    [ui.sections, *ui.section_outputs, ui.force_btn])

    def on_draft(rid, key, text, base_version):
        if rid is None or key is None or key == HEAD:
            gr.Warning("请先选中要起草的部分（一、二、三、四）。")
            yield (gr.update(), *([gr.update()] * len(ui.section_outputs)))
            return
        wb.save_if_changed(rid, key, text, base_version)
        yield (gr.update(), *([gr.update()] * (len(ui.section_outputs) - 1)), "正在起草，请稍候……")
        try:
            draft, _ = wb.draft(rid, key if key != "tail" else "all")
        except AssistantError as exc:
            yield (gr.update(), *([gr.update()] * (len(ui.section_outputs) - 1)), error_text(exc))
            return
        out = p.load_section(rid, key)
        from ..chat import draft_summary

        yield (gr.update(choices=p.section_choices(rid), value=key), *out[:-1], draft_summary(wb, draft, key, [key]))

    ui.draft_btn.click(on_draft, [ui.report_id, ui.sections, ui.editor, ui.base], [ui.sections, *ui.section_outputs])


def _versions(ui, wb: Workbench, p: Panels) -> None:
    ui.diff_btn.click(lambda a, b: wb.diff(a, b) if a and b else "请选择两个版本。", [ui.version_a, ui.version_b], ui.diff_view)

    def on_restore(rid, key, version_id, base_version):
        try:
            version = wb.restore(rid, key, version_id, base_version)
        except AssistantError as exc:
            return (gr.update(), *([gr.update()] * (len(ui.section_outputs) - 1)), error_text(exc))
        out = p.load_section(rid, key)
        return (gr.update(choices=p.section_choices(rid), value=key), *out[:-1], f"已恢复，保存为{version.label}。")

    ui.restore_btn.click(on_restore, [ui.report_id, ui.sections, ui.version_a, ui.base], [ui.sections, *ui.section_outputs])


def _chat(ui, wb: Workbench, p: Panels) -> None:
    def on_chat(rid, text, history, key, editor_text, base_version):
        history = list(history or [])
        if not text or not text.strip():
            yield history, "", *([gr.update()] * (len(ui.section_outputs) + 2))
            return
        if rid is None:
            history += [{"role": "user", "content": text},
                        {"role": "assistant", "content": "请先在上方新建或打开一份报告（地区＋年度）。"}]
            yield history, "", *([gr.update()] * (len(ui.section_outputs) + 2))
            return
        history += [{"role": "user", "content": text}, {"role": "assistant", "content": "……"}]
        yield history, "", *([gr.update()] * (len(ui.section_outputs) + 2))
        final: dict = {}
        for event in wb.chat(rid, text, key, editor_text, base_version):
            history[-1] = {"role": "assistant", "content": event["reply"]}
            final = event
            yield history, "", *([gr.update()] * (len(ui.section_outputs) + 2))
        changed = final.get("changed") or []
        if changed:
            show = key if key in changed else changed[0]
            out = p.load_section(rid, show)
            yield (history, "", gr.update(choices=p.section_choices(rid), value=show), *out,
                   final.get("diff") or gr.update())
        else:
            yield history, "", *([gr.update()] * (len(ui.section_outputs) + 2))

    chat_outputs = [ui.chatbot, ui.chat_in, ui.sections, *ui.section_outputs, ui.diff_view]
    ui.chat_in.submit(on_chat, [ui.report_id, ui.chat_in, ui.chatbot, ui.sections, ui.editor, ui.base], chat_outputs)
    ui.send_btn.click(on_chat, [ui.report_id, ui.chat_in, ui.chatbot, ui.sections, ui.editor, ui.base], chat_outputs)

    def on_law(title, article):
        from ...knowledge import lookup_article

        try:
            found = lookup_article(wb.ws, title or "", article or "")
        except AssistantError as exc:
            return error_text(exc)
        note = f"（{found['status_note']}）" if found.get("status_note") else ""
        return f"**{found['heading']}**{note}\n\n" + found["text"].replace("\n", "\n\n")

    ui.law_btn.click(on_law, [ui.law_title, ui.law_article], ui.law_out)

    def on_cited(rid, choice):
        year = wb.report(rid)["year"] if rid is not None else None
        return wb.citation_info(choice, year) if choice else ""

    ui.cited.input(on_cited, [ui.report_id, ui.cited], ui.cited_out)


def _inputs(ui, wb: Workbench, p: Panels) -> None:
    def on_inputs(rid, file):
        """Load an uploaded inputs file; the upload box is emptied afterwards, ready for the next file
        (the ui.message names the file that is loaded)."""
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
        return (*p.inputs_view(rid), gr.update(choices=p.section_choices(rid)), None)

    inputs_outputs = [ui.inputs_msg, ui.figures_df, ui.notes_df, ui.sections, ui.inputs_file]
    ui.inputs_file.upload(on_inputs, [ui.report_id, ui.inputs_file], inputs_outputs)
    def on_sample(rid):
        """The sample inputs of the open report's year (and which year was loaded)."""
        keep = gr.update()
        if rid is None:
            return "请先新建或打开一份报告。", keep, keep, keep, None
        try:
            _, year = wb.load_sample_inputs(rid)
        except AssistantError as exc:
            return error_text(exc), keep, keep, keep, None
        msg, figures, notes = p.inputs_view(rid)
        return f"已载入{year}年的示例数据。" + msg, figures, notes, gr.update(choices=p.section_choices(rid)), None

    ui.sample_btn.click(on_sample, ui.report_id, inputs_outputs)

    def on_template():
        from ...inputs import write_template

        return str(write_template(wb.exports / "法治政府建设年度报告-输入数据模板.xlsx"))

    ui.template_btn.click(on_template, None, ui.template_file)

    def on_notes(rid, table):
        rows = table.values.tolist() if hasattr(table, "values") else (table or [])
        try:
            wb.save_notes(rid, rows)
        except InputsError as exc:
            return "⚠️ " + exc.zh + "\n\n" + "\n".join(f"- {p}" for p in exc.problems), gr.update(), gr.update()
        except AssistantError as exc:
            return error_text(exc), gr.update(), gr.update()
        return p.inputs_view(rid)

    ui.save_notes_btn.click(on_notes, [ui.report_id, ui.notes_df], [ui.inputs_msg, ui.figures_df, ui.notes_df])


def _knowledge_base(ui, wb: Workbench, p: Panels) -> None:
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
        return "\n".join(lines), p.docs_rows(), gr.update(choices=p.doc_choices())

    ui.kb_btn.click(on_ingest, [ui.kb_files, ui.kb_kind], [ui.kb_msg, ui.docs_df, ui.remove_dd])
    ui.docs_refresh.click(lambda: (p.docs_rows(), gr.update(choices=p.doc_choices())), None, [ui.docs_df, ui.remove_dd])
    ui.kb_tab.select(lambda: (p.docs_rows(), gr.update(choices=p.doc_choices())), None, [ui.docs_df, ui.remove_dd])

    def on_remove(doc_id):
        if not doc_id:
            return "请选择要删除的文件。", gr.update(), gr.update()
        try:
            doc = ws.kb.remove(doc_id)
        except AssistantError as exc:
            return error_text(exc), gr.update(), gr.update()
        return f"已删除《{doc['title']}》。", p.docs_rows(), gr.update(choices=p.doc_choices(), value=None)

    ui.remove_btn.click(on_remove, ui.remove_dd, [ui.kb_msg, ui.docs_df, ui.remove_dd])

    def on_search(query, kind, year):
        year = str(year or "").strip()
        try:
            hits = ws.kb.search(query or "", k=8, kind=kind or None, year=int(year) if year.isdigit() else None)
        except AssistantError as exc:
            return error_text(exc)
        note = f"⚠️ {hits.notice}\n\n" if getattr(hits, "notice", None) else ""  # server down: keywords only
        if not hits:
            return note + "没有找到相关内容。"
        return note + "\n\n".join(f"**{n}. {h.citation}**　<small>{KIND_ZH.get(h.kind, h.kind)} · {h.year or ''} · {h.region or ''} · "
                           f"来源 {h.source or h.doc_id}，字符 {h.start}–{h.end}</small>\n\n> {h.text[:300]}"
                           for n, h in enumerate(hits, 1))

    ui.search_btn.click(on_search, [ui.search_tb, ui.search_kind, ui.search_year], ui.search_out)
    ui.search_tb.submit(on_search, [ui.search_tb, ui.search_kind, ui.search_year], ui.search_out)


def _review(ui, wb: Workbench, p: Panels) -> None:
    def shown(state, name):
        """The highlighted text and findings table of one reviewed report."""
        item = next((r for r in (state or {}).get("reports", []) if r["name"] == name), None)
        if item is None:
            return [], []
        findings = _findings_from_dicts(item["findings"])
        return highlight(item["text"], findings), finding_rows(findings)

    def on_review(files, inputs_files, year, progress=gr.Progress()):
        empty = ("请上传要审阅的报告。", [], gr.update(choices=[], value=None), [], [], None)
        files = [files] if isinstance(files, str) else list(files or [])
        inputs_files = [inputs_files] if isinstance(inputs_files, str) else list(inputs_files or [])
        if not files:
            return empty
        year = str(year or "").strip()

        def report_progress(done, total, name):
            progress((done, max(total, 1)), desc=f"正在检查 {name}" if name else "检查完毕")

        try:
            reviewed = wb.review_many(files, inputs_files, int(year) if year.isdigit() else None, report_progress)
        except AssistantError as exc:
            return (error_text(exc), *empty[1:])
        state = {"reports": [{"name": r.name, "text": r.text, "findings": [f.to_dict() for f in r.findings],
                              "inputs": r.inputs_name, "problem": r.problem} for r in reviewed]}
        summaries = [r.summary for r in reviewed]
        counts = [sum(getattr(s, k) for s in summaries) for k in ("errors", "warnings", "infos")]
        if len(reviewed) == 1:
            msg = f"审阅完毕：{counts[0]} 个错误、{counts[1]} 个警告、{counts[2]} 个提示。"
        else:
            msg = (f"审阅完毕：{len(reviewed)} 份报告，共 {counts[0]} 个错误、{counts[1]} 个警告、{counts[2]} 个提示；"
                   f"{sum(1 for s in summaries if s.errors)} 份有错误。")
        problems = [f"- {r.name}：{r.problem}" for r in reviewed if r.problem]
        if problems:
            msg += "\n\n未能检查：\n" + "\n".join(problems)
        first = reviewed[0].name
        return (msg, [s.row for s in summaries], gr.update(choices=[r.name for r in reviewed], value=first),
                *shown(state, first), state)

    ui.review_btn.click(on_review, [ui.review_file, ui.review_inputs, ui.review_year],
                        [ui.review_msg, ui.review_summary, ui.review_pick, ui.review_marked, ui.review_df, ui.review_state])
    ui.review_pick.input(shown, [ui.review_state, ui.review_pick], [ui.review_marked, ui.review_df])

    def on_review_export(state):
        from ..review import Reviewed

        if not state:
            return None
        reviewed = [Reviewed(Path(r["name"]), r["name"], r["text"], _findings_from_dicts(r["findings"]),
                             inputs_name=r.get("inputs") or "", problem=r.get("problem") or "") for r in state["reports"]]
        return str(wb.export_reviews(reviewed))

    ui.review_export_btn.click(on_review_export, ui.review_state, ui.review_export_file)


def _export(ui, wb: Workbench, p: Panels) -> None:
    def on_export(rid, scope, comments, fmt):
        if rid is None:
            return "请先新建或打开一份报告。", None
        try:
            path = wb.export(rid, scope, fmt, comments)
        except AssistantError as exc:
            return error_text(exc), None
        return f"已导出：{path.name}", str(path)

    ui.export_docx_btn.click(lambda r, s, c: on_export(r, s, c, "docx"), [ui.report_id, ui.export_scope, ui.export_comments],
                          [ui.export_msg, ui.export_file])
    ui.export_md_btn.click(lambda r, s, c: on_export(r, s, c, "md"), [ui.report_id, ui.export_scope, ui.export_comments],
                        [ui.export_msg, ui.export_file])


def wire(ui, wb: Workbench) -> None:
    """Connect every component's events (inside the open `gr.Blocks` the layout was built in)."""
    panels = Panels(wb)
    _reports(ui, wb, panels)
    _sections(ui, wb, panels)
    _versions(ui, wb, panels)
    _chat(ui, wb, panels)
    _inputs(ui, wb, panels)
    _knowledge_base(ui, wb, panels)
    _review(ui, wb, panels)
    _export(ui, wb, panels)
