"""What the web app's components do: each event calls the Workbench and returns what the screens
show (`Panels`). One function per tab; every function is behind the error boundary (`boundary`).

Before a draft, a revision, a chat action, a one-click fix or an export, the editor's text is
saved; a tab whose base is stale gets the conflict screen instead, and nothing is done.
"""

from __future__ import annotations

import json
from pathlib import Path

import gradio as gr

from ...errors import AssistantError
from ..sections import HEAD, TAIL
from ..store import ConflictError
from ..workbench import Workbench
from .panels import Panels, base_of, rid_of
from .views import _findings_from_dicts, error_text, finding_detail, finding_rows, highlight, pick_finding

NO_REPORT = "请先在上方新建或打开一份报告（填写地区和年度，点“新建或打开报告”）。"

SELECT_JS = """
(start, end) => {
  const ta = document.querySelector('#editor textarea');
  if (!ta || start === null || end === null || start === undefined) return;
  const style = getComputedStyle(ta);
  const mirror = document.createElement('div');
  for (const p of ['fontFamily', 'fontSize', 'fontWeight', 'lineHeight', 'letterSpacing', 'paddingTop', 'paddingLeft',
                   'paddingRight', 'borderLeftWidth', 'borderRightWidth', 'boxSizing', 'wordBreak', 'overflowWrap']) {
    mirror.style[p] = style[p];
  }
  mirror.style.width = ta.clientWidth + 'px';
  mirror.style.whiteSpace = 'pre-wrap';
  mirror.style.position = 'absolute';
  mirror.style.visibility = 'hidden';
  mirror.textContent = ta.value.slice(0, start);
  document.body.appendChild(mirror);
  const top = mirror.scrollHeight;
  mirror.remove();
  ta.focus();
  ta.setSelectionRange(start, end);
  ta.scrollTop = Math.max(0, top - ta.clientHeight / 3);
  ta.scrollIntoView({block: 'nearest'});
}
"""
CHANGE_JS = """
() => {
  const changes = [...document.querySelectorAll('#diff .change')];
  const n = changes.length;
  if (!n) return;
  let i = changes.findIndex(c => c.classList.contains('current'));
  changes.forEach(c => c.classList.remove('current'));
  i = %s;
  changes[i].classList.add('current');
  changes[i].scrollIntoView({block: 'center', behavior: 'smooth'});
  const count = document.querySelector('#diff .diff-count');
  if (count) count.textContent = '第 ' + (i + 1) + ' 处，共 ' + n + ' 处改动';
}
"""


def _keep(n: int) -> list:
    return [gr.update()] * n


def _reports(ui, wb: Workbench, p: Panels) -> None:
    def pick_start(last):
        known = {r["id"] for r in wb.store.reports()}
        last = rid_of(last)
        return last if last in known else wb.last_report()

    def admin_values(rid):
        report = wb.store.report(rid) if rid is not None else None
        return (report["region"] if report else "", report["year"] if report else None)

    def on_start(last):
        rid = pick_start(last)
        return (gr.update(choices=wb.report_choices(), value=rid), *p.refresh_report(rid), p.docs_rows(),
                gr.update(choices=p.doc_choices()), *admin_values(rid), rid)

    start_outputs = [ui.report_dd, *ui.report_outputs, ui.docs_df, ui.remove_dd, ui.rename_region, ui.rename_year,
                     ui.last_report]
    ui.demo.load(on_start, ui.last_report, start_outputs)

    def opened(rid, note=""):
        """Values for `report_change` once `rid` is open (`note` is added to the section's message)."""
        out = list(p.refresh_report(rid))
        if note:
            out[len(ui.section_outputs)] = (out[len(ui.section_outputs)] or "") + note  # the message
        return (*out, *admin_values(rid), rid, *p.no_conflict())

    def on_report(value, shown, text, base):
        note = p.keep_editor(shown, text, base)  # the editor's text of the report it leaves is kept
        return opened(rid_of(value), note)

    report_change = [*ui.report_outputs, ui.rename_region, ui.rename_year, ui.last_report, *ui.conflict_outputs]
    ui.report_dd.input(on_report, [ui.report_dd, ui.shown, ui.editor, ui.base], report_change)

    def on_create(region, year, shown, text, base):
        try:
            rid = wb.create_report(region or "", year)
        except AssistantError as exc:
            return (gr.update(), *_keep(len(report_change) - len(ui.conflict_outputs)), *p.no_conflict(),
                    error_text(exc))
        note = p.keep_editor(shown, text, base)
        return (gr.update(choices=wb.report_choices(), value=rid), *opened(rid, note), "")

    ui.create_btn.click(on_create, [ui.region_tb, ui.year_nb, ui.shown, ui.editor, ui.base],
                        [ui.report_dd, *report_change, ui.report_msg])

    def on_rename(value, region, year):
        rid = rid_of(value)
        if rid is None:
            return gr.update(visible=False), "", "", NO_REPORT
        report = wb.report(rid)
        region = (region or "").strip()
        try:
            year = int(float(year))
        except (TypeError, ValueError):
            return gr.update(visible=False), "", "", "⚠️ 年度应为四位数字。"
        if not region:
            return gr.update(visible=False), "", "", "⚠️ 请填写新的地区或部门名称。"
        if (region, year) == (report["region"], report["year"]):
            return gr.update(visible=False), "", "", "名称没有变化。"
        text = (f"确定把“{report['region']} {report['year']}年”改名为“{region} {year}年”吗？"
                "报告的各版本、输入数据和对话都保留；输入数据里写的地区和年度不会跟着改。")
        return gr.update(visible=True), text, json.dumps({"action": "rename", "id": rid, "region": region, "year": year},
                                                          ensure_ascii=False), ""

    def on_delete(value):
        rid = rid_of(value)
        if rid is None:
            return gr.update(visible=False), "", "", NO_REPORT
        report = wb.report(rid)
        count = sum(len(wb.versions(rid, k)) for k in wb.section_keys(rid))
        text = (f"### 确定删除“{report['region']} {report['year']}年”吗？\n这份报告的全部内容（{count} 个版本、输入数据、对话记录）"
                "都会删除，**无法恢复**。已导出的 Word 文件仍在数据目录的 exports 文件夹里。")
        return gr.update(visible=True), text, json.dumps({"action": "delete", "id": rid}), ""

    confirm_outputs = [ui.confirm_report, ui.confirm_report_md, ui.pending_report, ui.report_msg]
    ui.rename_btn.click(on_rename, [ui.report_dd, ui.rename_region, ui.rename_year], confirm_outputs)
    ui.delete_btn.click(on_delete, ui.report_dd, confirm_outputs)

    def on_confirm_report(pending):
        action = json.loads(pending or "{}")
        hide = gr.update(visible=False)
        if action.get("action") == "rename":
            wb.rename_report(action["id"], action["region"], action["year"])
            rid, msg = action["id"], f"已改名为“{action['region']} {action['year']}年”。"
        elif action.get("action") == "delete":
            gone = wb.delete_report(action["id"])
            rid, msg = wb.last_report(), f"已删除“{gone['region']} {gone['year']}年”。"
        else:
            return (hide, "", gr.update(), *_keep(len(report_change)), "")
        return (hide, "", gr.update(choices=wb.report_choices(), value=rid), *opened(rid), msg)

    ui.confirm_report_yes.click(on_confirm_report, ui.pending_report,
                                [ui.confirm_report, ui.pending_report, ui.report_dd, *report_change, ui.report_msg])
    def on_cancel():
        return gr.update(visible=False), "", "已取消。"

    ui.confirm_report_no.click(on_cancel, None, [ui.confirm_report, ui.pending_report, ui.report_msg])


def _sections(ui, wb: Workbench, p: Panels) -> None:
    write = [ui.sections, *ui.section_outputs, *ui.conflict_outputs]

    def reload(rid, key, note=None, conflict=None):
        """Values for `write`: the section reloaded, the conflict screen shown or hidden."""
        return (gr.update(choices=p.section_choices(rid), value=key), *p.load_section(rid, key, note),
                *(conflict or p.no_conflict()))

    def message_only(text):
        return (gr.update(), *_keep(len(ui.section_outputs) - 1), text, *_keep(len(ui.conflict_outputs)))

    def conflict_only(rid, key, mine, note=""):
        return (gr.update(), *_keep(len(ui.section_outputs) - 1),
                "⚠️ 没有执行：编辑框里的修改与另一个窗口保存的版本冲突，请先在上方选择保留哪一份。",
                *p.conflict_view(rid, key, mine, note))

    def on_section(value, key, shown, text, base):
        rid = rid_of(value)
        note = p.keep_editor(shown, text, base)  # the part it leaves keeps the editor's text
        out = list(p.load_section(rid, key))
        out[-1] = (out[-1] or "") + note
        return (*out, *p.no_conflict())

    ui.sections.input(on_section, [ui.report_dd, ui.sections, ui.shown, ui.editor, ui.base],
                      [*ui.section_outputs, *ui.conflict_outputs])

    def on_reload(value, key, text):
        rid = rid_of(value)
        latest = wb.store.latest(rid, key) if rid is not None and key else None
        note = None
        if latest is not None and (text or "").strip() and text.strip("\n") != latest.text:
            wb.store.keep_unsaved(rid, key, text.strip("\n"), "reload")  # replaced on request, still kept
            note = f"已载入最新的{latest.label}；编辑框里原来的文字留作备份，见“版本历史”下方。"
        return reload(rid, key, note)

    ui.reload_btn.click(on_reload, [ui.report_dd, ui.sections, ui.editor], write)

    def on_save(value, key, text, base):
        rid = rid_of(value)
        if rid is None or key is None:
            return message_only(NO_REPORT if rid is None else "请先在“报告各部分”中选中一个部分。")
        before = wb.store.latest(rid, key)
        try:
            version = wb.save(rid, key, text, base_of(base), "edit")
        except ConflictError:
            return conflict_only(rid, key, text)
        findings = wb.section_findings(rid, key)
        errors = sum(1 for f in findings if f.severity == "error")
        warnings = sum(1 for f in findings if f.severity == "warning")
        same = before is not None and version.id == before.id
        head = f"内容没有变化（仍是{version.label}），已重新检查。" if same else f"已保存为{version.label}。"
        return reload(rid, key, f"{head}检查发现 {errors} 个错误、{warnings} 个警告。")

    ui.save_btn.click(on_save, [ui.report_dd, ui.sections, ui.editor, ui.base], write)

    def on_draft(value, key, text, base):
        rid = rid_of(value)
        if rid is None:
            yield message_only(NO_REPORT)
            return
        if key is None or key == HEAD:
            yield message_only("请先在“报告各部分”中选中要起草的部分（一、二、三、四）。")
            return
        try:
            wb.save_if_changed(rid, key, text, base_of(base))
        except ConflictError:
            yield conflict_only(rid, key, text)
            return
        yield message_only("正在起草，请稍候……（编辑框里的文字已先保存）")
        from ..chat import draft_summary

        try:
            draft, saved, same = wb.draft(rid, key if key != TAIL else "all")
        except AssistantError as exc:
            yield reload(rid, key, error_text(exc))  # the tab's base follows what was saved before
            return
        except Exception as exc:  # noqa: BLE001 - said as the boundary says it, and the tab follows its save
            from ..incidents import log_incident
            from .boundary import unknown_message

            yield reload(rid, key, "⚠️ " + unknown_message("起草本部分", log_incident(wb.ws.data_dir, "起草本部分", exc), exc))
            return
        yield reload(rid, key, draft_summary(wb, draft, key, saved, same))

    ui.draft_btn.click(on_draft, [ui.report_dd, ui.sections, ui.editor, ui.base], write)

    # -- a finding clicked, applied ------------------------------------------------------------------
    def on_pick(value, key, text, evt: gr.SelectData):
        rid = rid_of(value)
        hidden = gr.update(visible=False)
        if rid is None or key is None or evt is None:
            return "", hidden, "", None, None, gr.update()
        findings = wb.section_findings(rid, key, text) if text else []
        f = pick_finding(findings, evt.row_value)
        if f is None:
            return "这条结果已经过时（正文改过了），请先点“保存并检查”。", hidden, "", None, None, gr.update()
        from ..suggestions import replacement

        can = replacement(f, f.text) is not None
        return (finding_detail(f), gr.update(visible=can), json.dumps(f.to_dict(), ensure_ascii=False), f.start, f.end,
                gr.Tabs(selected="edit-tab"))

    ui.findings_df.select(on_pick, [ui.report_dd, ui.sections, ui.editor],
                          [ui.finding_md, ui.apply_btn, ui.picked, ui.pick_start, ui.pick_end, ui.editor_tabs]
                          ).then(None, [ui.pick_start, ui.pick_end], None, js=SELECT_JS)

    def on_apply(value, key, text, base, picked):
        rid = rid_of(value)
        if rid is None or key is None or not picked:
            return message_only("请先在检查结果中点选一条问题。")
        try:
            version = wb.apply_finding(rid, key, text, base_of(base), json.loads(picked))
        except ConflictError:
            return conflict_only(rid, key, text)
        return reload(rid, key, f"已{version.note}，保存为{version.label}。")

    ui.apply_btn.click(on_apply, [ui.report_dd, ui.sections, ui.editor, ui.base, ui.picked], write)

    def on_fix_section(value, key, text, base):
        rid = rid_of(value)
        if rid is None or key is None:
            return message_only(NO_REPORT)
        try:
            wb.save_if_changed(rid, key, text, base_of(base))
        except ConflictError:
            return conflict_only(rid, key, text)
        count, _ = wb.fix_punctuation(rid, key)
        latest = wb.store.latest(rid, key)
        return reload(rid, key, f"已把 {count} 处半角标点改为全角，保存为{latest.label}。")

    ui.fix_section_btn.click(on_fix_section, [ui.report_dd, ui.sections, ui.editor, ui.base], write)

    # -- the conflict screen -----------------------------------------------------------------------
    def on_keep_mine(value, key, mine):
        rid = rid_of(value)
        version = wb.keep_mine(rid, key, mine)
        return reload(rid, key, f"已把你的文字保存为{version.label}；另一个窗口的版本仍在版本历史中。")

    def on_take_theirs(value, key):
        rid = rid_of(value)
        latest = wb.store.latest(rid, key)
        return reload(rid, key, f"已改用另一个窗口保存的{latest.label}。你的文字留作备份，见“版本历史”下方。")

    def on_merge(value, key, mine):
        rid = rid_of(value)
        latest = wb.store.latest(rid, key)
        out = list(reload(rid, key, f"现在以{latest.label}为底稿：把两边的文字在编辑框里合并好，再点“保存并检查”。",
                          p.conflict_view(rid, key, mine, "（合并中：对照上面两份文字修改编辑框，保存后这个提示会关闭。）")))
        out[1] = mine  # the editor keeps the tab's text; its base is now the latest version
        return tuple(out)

    ui.keep_mine_btn.click(on_keep_mine, [ui.report_dd, ui.sections, ui.conflict_mine], write)
    ui.take_theirs_btn.click(on_take_theirs, [ui.report_dd, ui.sections], write)
    ui.merge_btn.click(on_merge, [ui.report_dd, ui.sections, ui.conflict_mine], write)

    # -- a draft cut off by a stop or a crash --------------------------------------------------------
    def on_recover(value, key, recovery_id, text, base):
        rid = rid_of(value)
        try:
            wb.save_if_changed(rid, key, text, base_of(base))
        except ConflictError:
            return conflict_only(rid, key, text)
        saved = wb.recover(rid, base_of(recovery_id))
        where = "、".join(wb.section_label(k) for k in saved) or "（与当前版本相同，没有另存）"
        return reload(rid, key if key in saved or not saved else saved[0],
                      f"已把中断时收到的文字恢复为新版本：{where}。请核对标注的问题，补写〔未写完〕处。")

    def on_discard(value, key, recovery_id, shown, text, base):
        rid = rid_of(value)
        note = p.keep_editor(shown, text, base)
        wb.discard_recovery(rid, base_of(recovery_id))
        return reload(rid, key, "已丢弃中断时收到的文字。" + note)

    ui.recover_btn.click(on_recover, [ui.report_dd, ui.sections, ui.recovery_id, ui.editor, ui.base], write)
    ui.discard_btn.click(on_discard, [ui.report_dd, ui.sections, ui.recovery_id, ui.shown, ui.editor, ui.base], write)


def _versions(ui, wb: Workbench, p: Panels) -> None:
    def on_diff(a, b, mode):
        try:
            return wb.diff(int(a), int(b), mode or "word") if a and b else "请选择两个版本。"
        except (TypeError, ValueError):
            return "请重新选择两个版本。"

    ui.diff_btn.click(on_diff, [ui.version_a, ui.version_b, ui.diff_mode], ui.diff_view)
    ui.diff_mode.input(on_diff, [ui.version_a, ui.version_b, ui.diff_mode], ui.diff_view)
    ui.next_change.click(None, None, None, js=CHANGE_JS % "i < 0 ? 0 : (i + 1) % n")
    ui.prev_change.click(None, None, None, js=CHANGE_JS % "i < 0 ? n - 1 : (i - 1 + n) % n")

    def on_restore(value, key, version_id, text, base):
        rid = rid_of(value)
        if rid is None or key is None or not version_id:
            return (gr.update(), *_keep(len(ui.section_outputs) - 1), "请先选择要恢复的版本 A。")
        try:
            base = wb.save_if_changed(rid, key, text, base_of(base))  # the editor's text is a version first
            version = wb.restore(rid, key, int(version_id), base)
        except ConflictError:
            return (gr.update(), *_keep(len(ui.section_outputs) - 1),
                    "⚠️ 这一部分已在另一个窗口保存过：请先点“载入最新版本”，再恢复。")
        except (TypeError, ValueError):
            return (gr.update(), *_keep(len(ui.section_outputs) - 1), "请重新选择要恢复的版本。")
        out = p.load_section(rid, key)
        return (gr.update(choices=p.section_choices(rid), value=key), *out[:-1], f"已恢复，保存为{version.label}。")

    ui.restore_btn.click(on_restore, [ui.report_dd, ui.sections, ui.version_a, ui.editor, ui.base],
                         [ui.sections, *ui.section_outputs])


def _chat(ui, wb: Workbench, p: Panels) -> None:
    rest = len(ui.section_outputs) + 2 + len(ui.conflict_outputs)

    def on_chat(value, text, history, key, editor_text, base):
        rid = rid_of(value)
        history = list(history or [])
        if not text or not text.strip():
            yield history, "", *_keep(rest)
            return
        if rid is None:
            history += [{"role": "user", "content": text}, {"role": "assistant", "content": NO_REPORT}]
            yield history, "", *_keep(rest)
            return
        history += [{"role": "user", "content": text}, {"role": "assistant", "content": "……"}]
        yield history, "", *_keep(rest)
        final: dict = {}
        for event in wb.chat(rid, text, key, editor_text, base_of(base)):
            history[-1] = {"role": "assistant", "content": event["reply"]}
            final = event
            if "conflict" in event:
                yield (history, "", gr.update(), *_keep(len(ui.section_outputs)), gr.update(),
                       *p.conflict_view(rid, key, editor_text))
                return
            yield history, "", *_keep(rest)
        changed = final.get("changed") or []
        if changed:
            show = key if key in changed else changed[0]
            yield (history, "", gr.update(choices=p.section_choices(rid), value=show), *p.load_section(rid, show),
                   final.get("diff") or gr.update(), *p.no_conflict())
        elif final.get("presaved"):  # the editor's text was saved first: the tab follows its base
            yield (history, "", gr.update(choices=p.section_choices(rid), value=key), *p.load_section(rid, key),
                   gr.update(), *p.no_conflict())
        else:
            yield history, "", *_keep(rest)

    chat_outputs = [ui.chatbot, ui.chat_in, ui.sections, *ui.section_outputs, ui.diff_view, *ui.conflict_outputs]
    chat_inputs = [ui.report_dd, ui.chat_in, ui.chatbot, ui.sections, ui.editor, ui.base]
    ui.chat_in.submit(on_chat, chat_inputs, chat_outputs)
    ui.send_btn.click(on_chat, chat_inputs, chat_outputs)

    def on_law(title, article):
        from ...knowledge import lookup_article

        try:
            found = lookup_article(wb.ws, title or "", article or "")
        except AssistantError as exc:
            from ..chat import KB_HINT

            return f"⚠️ {exc.zh}\n\n{KB_HINT}"
        note = f"（{found['status_note']}）" if found.get("status_note") else ""
        return f"**{found['heading']}**{note}\n\n" + found["text"].replace("\n", "\n\n")

    ui.law_btn.click(on_law, [ui.law_title, ui.law_article], ui.law_out)

    def on_cited(value, choice):
        rid = rid_of(value)
        year = wb.report(rid)["year"] if rid is not None else None
        return wb.citation_info(choice, year) if choice else ""

    ui.cited.input(on_cited, [ui.report_dd, ui.cited], ui.cited_out)


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


def wire(ui, wb: Workbench) -> None:
    """Connect every component's events (inside the open `gr.Blocks` the layout was built in)."""
    from .callbacks_data import export_tab, inputs_tab, knowledge_tab

    ui.conflict_outputs = [ui.conflict, ui.conflict_md, ui.conflict_mine, ui.conflict_theirs, ui.conflict_diff]
    panels = Panels(wb)
    _reports(ui, wb, panels)
    _sections(ui, wb, panels)
    _versions(ui, wb, panels)
    _chat(ui, wb, panels)
    inputs_tab(ui, wb, panels)
    knowledge_tab(ui, wb, panels)
    _review(ui, wb, panels)
    export_tab(ui, wb, panels)

