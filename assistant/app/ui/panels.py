"""What the screens show for a report, as values for the components' outputs: a section (editor,
base version, marked text, findings, sources, versions, backups, an interrupted draft to recover),
the inputs tables, the knowledge-base list, the conflict screen."""

from __future__ import annotations

import gradio as gr

from ...errors import AssistantError
from ...inputs import NOTE_KINDS
from ..sections import HEAD
from ..workbench import Workbench
from .views import backups_markdown, findings_table, marked_html, sources_markdown

PUNCTUATION = "punctuation_halfwidth"


def rid_of(value) -> int | None:
    """A report id from the report dropdown's value (None when nothing usable is selected)."""
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def base_of(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class Panels:
    def __init__(self, wb: Workbench) -> None:
        self.wb = wb

    def section_choices(self, report_id):
        if report_id is None:
            return []
        return [(f"{v.label}（{v.status_zh}）", v.key) for v in self.wb.sections(report_id)]

    def load_section(self, report_id, key, note: str | None = None):
        """Values for `ui.section_outputs` (editor … message)."""
        hidden = gr.update(visible=False)
        if report_id is None or key is None:
            return ("", None, marked_html("", []), findings_table([]), "", gr.update(choices=[], value=None),
                    gr.update(choices=[], value=None), gr.update(choices=[], value=None), "", hidden, hidden, "", None,
                    "", hidden, "", note or "")
        wb = self.wb
        latest = wb.store.latest(report_id, key)
        text = latest.text if latest else ""
        findings = wb.section_findings(report_id, key) if text else []
        figure_spans = latest.figure_spans if latest else []
        versions = [(v.label, v.id) for v in wb.versions(report_id, key)]
        a = versions[1][1] if len(versions) > 1 else (versions[0][1] if versions else None)
        b = versions[0][1] if versions else None
        if note is None:
            note = f"当前：{latest.label}" + (f"　{latest.note}" if latest.note else "") if latest else \
                "这一部分还没有内容：点“起草本部分”，或在右侧对话框说“起草第X部分”。"
        inputs = wb.inputs(report_id) if figure_spans else None
        recover = wb.recoverable(report_id, key)
        if recover:
            row = recover[0]
            what = "全文" if row["target"] == "all" else wb._target_label(row["target"])
            recovery_text = (f"**上次起草“{what}”时程序停止了**，当时已收到大模型写的 {len(row['text'])} 个字（还没有检查）。"
                             "可以把它恢复为新版本（会检查并标注问题，结尾标〔未写完〕），或丢弃。")
        punct = any(f.kind == PUNCTUATION for f in findings)
        return (text, latest.version if latest else None, marked_html(text, findings, figure_spans), findings_table(findings),
                sources_markdown(latest.sources if latest else [], text, figure_spans, inputs),
                gr.update(choices=versions, value=a), gr.update(choices=versions, value=b),
                gr.update(choices=wb.citations_in(text), value=None),
                backups_markdown(wb.backups(report_id, key)),
                gr.update(visible=punct), gr.update(visible=bool(recover)),
                recovery_text if recover else "", recover[0]["id"] if recover else None,
                "", gr.update(visible=False), f"{report_id}|{key}", note)

    def findings_view(self, report_id, key, text):
        """The findings of the editor's text (as it stands, saved or not) after the inputs changed:
        values for [marked, findings table, punctuation button]; the editor is not touched."""
        if report_id is None or key is None or not (text or "").strip():
            return gr.update(), gr.update(), gr.update()
        findings = self.wb.section_findings(report_id, key, text)
        latest = self.wb.store.latest(report_id, key)
        spans = self.wb.section_figure_spans(report_id, key, text) if latest else []
        return (marked_html(text.strip("\n"), findings, spans), findings_table(findings),
                gr.update(visible=any(f.kind == PUNCTUATION for f in findings)))

    def inputs_view(self, report_id):
        wb = self.wb
        inputs = wb.inputs(report_id) if report_id is not None else None
        if inputs is None:
            return "还没有本年度输入数据：上传 YAML 或 Excel 文件，或先点“载入示例数据”看看格式。", [], []
        figures = wb.figure_rows(inputs)
        notes = [[n.section, NOTE_KINDS.get(n.kind, n.kind), n.title or "", n.text or ""] for n in inputs.notes]
        source = (wb.store.inputs(report_id) or {}).get("filename")
        number = wb.inputs_version(report_id)
        msg = (f"已载入 {len(figures)} 个指标、{len(notes)} 条工作素材（{inputs.report.region or ''}{inputs.report.year or ''}年度"
               + (f"，来自 {source}" if source else "") + "）。"
               + (f"当前是输入数据第{number}版；在表格中修改后点“保存指标”。" if number else ""))
        if inputs.warnings:
            msg += "\n\n" + "\n".join(f"- {w}" for w in inputs.warnings)
        notices = wb.inputs_notices(report_id)  # another year's or another region's figures
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
            docs = self.wb.ws.kb.documents()
        except AssistantError:
            return []
        return [[d["doc_id"], "往年报告" if d["kind"] == "report" else "法规", d["title"], self.wb.display_name(d.get("source")),
                 d["region"] or "", d["year"] or "", d["chunk_count"], d["pending"]] for d in docs]

    def doc_choices(self):
        try:
            return [(f"{d['title']}（{self.wb.display_name(d.get('source')) or d['doc_id']}）", d["doc_id"])
                    for d in self.wb.ws.kb.documents()]
        except AssistantError:
            return []

    def conflict_view(self, report_id, key, mine, note: str = ""):
        """Values for `ui.conflict_outputs`: the tab's text, the other version, a diff."""
        c = self.wb.conflict(report_id, key, mine or "")
        head = (f"### ⚠️ 保存冲突：{self.wb.section_label(key)}已在另一个窗口保存为第{c['latest']}版\n"
                "你的修改是在较早的版本上做的。两份文字都没有丢：左边是你的文字，右边是另一个窗口保存的版本，下面是两者的差别"
                "（红色删除线是对方有而你没有的，绿色是你新写的）。请选择：" + (f"\n\n{note}" if note else ""))
        return gr.update(visible=True), head, mine or "", c["theirs"], c["diff"]

    def keep_editor(self, shown, text, base) -> str:
        """Before the editor is filled with another part or report: its text is saved to the part
        it holds (`shown` = "report id|key"); a stale one is kept as a backup. Returns a note for the
        message ("" when nothing needed saving)."""
        from ..store import ConflictError

        rid, _, key = (shown or "").partition("|")
        rid = rid_of(rid)
        if rid is None or not key or self.wb.store.report(rid) is None:
            return ""
        latest = self.wb.store.latest(rid, key)
        if not (text or "").strip() or (latest and latest.text == text.strip("\n")):
            return ""
        label = self.wb.section_label(key)
        try:
            version = self.wb.save(rid, key, text, base_of(base))
        except ConflictError:
            return f"（{label}在编辑框中的修改与另一窗口保存的版本冲突，已留作备份，见该部分“版本历史”下方。）"
        return f"（{label}在编辑框中的修改已先保存为{version.label}。）"

    @staticmethod
    def no_conflict():
        return gr.update(visible=False), "", gr.update(), gr.update(), ""
