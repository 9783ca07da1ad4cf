"""The work on one report, as the web app does it: inputs, sections and their versions,
checks, drafting, revision, export, review and the chat. The UI only calls these methods.

A report is stored as sections: "head" (title, recipient, opening paragraph), the parts of the
outline ("一" … "四", "五" when present) and "tail" (the sign-off). The whole text is their
latest versions joined by line breaks; checks run on the whole text, and each section shows the
findings that fall inside it. Each version keeps the spans of the numbers rendered from a
figure's tag (where they came from); an edit carries them over for the sentences it left alone.
"""

from __future__ import annotations

import re
import shutil
import time
import uuid
from pathlib import Path

from ..checks import Finding, run_checks, workspace_context
from ..errors import AssistantError
from ..inputs import ensure_inputs_year
from ..report_tree import split_path
from .autosave import StreamKeeper, recovered_text
from .chat import ChatMixin
from .cited import CitedDocumentsMixin
from .diffs import diff_html
from .exporting import ExportMixin
from .inputs_edit import InputsMixin, unusable_inputs_text
from .review import ReviewMixin
from .sections import HEAD, SECTION_NAMES, TAIL, SectionView, splice, split_sections
from .store import ConflictError, Store, Version
from .suggestions import replacement, same_finding

ALLOWED_UPLOADS = {".txt", ".md", ".docx", ".pdf", ".yaml", ".yml", ".xlsx"}
_STORED_PREFIX = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{6}-")  # safe_upload's prefix


class Workbench(ChatMixin, CitedDocumentsMixin, ReviewMixin, InputsMixin, ExportMixin):
    def __init__(self, ws) -> None:
        self.ws = ws
        self.store = Store(ws.data_dir / "app.sqlite3")
        self.uploads = ws.data_dir / "uploads"
        self.exports = ws.data_dir / "exports"
        self.uploads.mkdir(parents=True, exist_ok=True)
        self.exports.mkdir(parents=True, exist_ok=True)
        self.store.interrupt_unfinished()  # a chat answer cut off by a stop or a crash says so
        self.store.interrupt_autosaves()  # and a draft's stream cut off so is offered back

    # -- reports ------------------------------------------------------------------------------------
    def report_choices(self) -> list[tuple[str, int]]:
        return [(f"{r['region']} {r['year']}年", r["id"]) for r in self.store.reports()]

    def create_report(self, region: str, year: int | float | str) -> int:
        return self.store.create_report(region, _year(year))

    def rename_report(self, report_id: int, region: str, year: int | float | str) -> None:
        self.report(report_id)
        self.store.rename_report(report_id, region, _year(year))

    def delete_report(self, report_id: int) -> dict:
        report = self.report(report_id)
        self.store.delete_report(report_id)
        return report

    def last_report(self) -> int | None:
        return self.store.last_report()

    def report(self, report_id: int) -> dict:
        report = self.store.report(report_id)
        if not report:
            raise AssistantError("找不到这份报告。", "No such report.")
        return report

    # -- uploads ----------------------------------------------------------------------------------
    def safe_upload(self, path: str | Path, allowed: set[str] | None = None) -> Path:
        """Copy an upload under the data dir with a safe name, after checking its type and size; the
        file's own name is remembered, so that screens show it, never the stored name."""
        src = Path(path)
        allowed = allowed or ALLOWED_UPLOADS
        suffix = src.suffix.lower()
        if suffix not in allowed:
            kinds = "、".join(sorted(allowed))
            raise AssistantError(f"不能上传“{src.name}”：只接受 {kinds} 文件。", f"This file type cannot be uploaded: {src.name}",
                                 f"请另存为 {kinds} 格式后再上传。", "Allowed: " + ", ".join(sorted(allowed)))
        limit = self.ws.settings.assistant_max_upload_mb * 1024 * 1024
        if src.stat().st_size > limit:
            raise AssistantError(f"“{src.name}”太大（超过 {self.ws.settings.assistant_max_upload_mb} MB），不能上传。",
                                 f"File too large (over {self.ws.settings.assistant_max_upload_mb} MB): {src.name}",
                                 "请拆分文件，或请管理员调高 ASSISTANT_MAX_UPLOAD_MB。",
                                 "Split the file, or raise ASSISTANT_MAX_UPLOAD_MB.")
        stem = re.sub(r"[^\w\u4e00-\u9fff.-]+", "_", src.stem)[:60] or "upload"
        dest = self.uploads / f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}-{stem}{suffix}"
        shutil.copyfile(src, dest)
        self.store.remember_upload(dest.name, src.name)
        return dest

    def display_name(self, source: str | None) -> str:
        """The name a user gave a file (an upload's own name), for a stored path or name."""
        if not source:
            return ""
        name = Path(source).name
        return self.store.original_name(name) or _STORED_PREFIX.sub("", name)

    # -- sections -----------------------------------------------------------------------------------
    def section_keys(self, report_id: int) -> list[str]:
        keys = [HEAD] + [p.key for p in self.ws.outline.parts if p.required]
        optional = [p.key for p in self.ws.outline.parts if not p.required]
        keys += [k for k in optional if self.store.latest(report_id, k)]
        return keys + [TAIL]

    def section_label(self, key: str) -> str:
        if key in SECTION_NAMES:
            return SECTION_NAMES[key]
        part = self.ws.outline.part_by_key(key)
        return f"{key}、{part.official[4:] if part and part.official.startswith(('上一年度', '下一年度')) else (part.official if part else '')}"

    def whole_text(self, report_id: int, override: tuple[str, str] | None = None) -> tuple[str, dict[str, tuple[int, int]]]:
        """The report's text and each section's span in it; `override` puts an unsaved text in."""
        pieces, spans, offset = [], {}, 0
        for key in self.section_keys(report_id):
            if override and override[0] == key:
                text = override[1]
            else:
                latest = self.store.latest(report_id, key)
                text = latest.text if latest else ""
            text = text.strip("\n")
            if not text:
                continue
            spans[key] = (offset, offset + len(text))
            pieces.append(text)
            offset += len(text) + 1
        return "\n".join(pieces), spans

    def section_figure_spans(self, report_id: int, key: str, text: str | None = None) -> list:
        """Where the numbers of a section came from: the latest version's spans, carried over to
        `text` (an unsaved edit of it) for the sentences the edit did not touch."""
        from ..drafting import carry_spans

        latest = self.store.latest(report_id, key)
        if latest is None or not latest.figure_spans:
            return []
        if text is None:
            return list(latest.figure_spans)
        return carry_spans(latest.text, text.strip("\n"), latest.figure_spans)

    def figure_spans(self, report_id: int, spans: dict[str, tuple[int, int]],
                     override: tuple[str, str] | None = None) -> list:
        """The figure spans of every section, moved to the whole text."""
        from ..drafting import shift_spans

        out = []
        for key, (start, _end) in spans.items():
            text = override[1] if override and override[0] == key else None
            out += shift_spans(self.section_figure_spans(report_id, key, text), start)
        return out

    def check(self, report_id: int, override: tuple[str, str] | None = None) -> tuple[str, list[Finding], dict]:
        """Checks over the whole text. While required parts are still empty, the report is checked
        as a work in progress: a missing part shows as 未起草, not as an error on another part."""
        text, spans = self.whole_text(report_id, override)
        report = self.report(report_id)
        required = [p.key for p in self.ws.outline.parts if p.required]
        scope = "report" if all(k in spans for k in required) else "section"
        ctx = workspace_context(self.ws, self.inputs(report_id), report["year"], self.figure_spans(report_id, spans, override))
        findings = run_checks(text, ctx, scope=scope) if text else []
        return text, findings, spans

    def section_findings(self, report_id: int, key: str, text: str | None = None) -> list[Finding]:
        """Findings inside one section, with offsets relative to the section's text."""
        override = (key, text) if text is not None else None
        whole, findings, spans = self.check(report_id, override)
        if key not in spans:
            return []
        start, end = spans[key]
        out = []
        for f in findings:
            if start <= f.start and f.end <= end:
                out.append(Finding(**{**f.__dict__, "start": f.start - start, "end": f.end - start}))
        return out

    def sections(self, report_id: int) -> list[SectionView]:
        from ..drafting import needs_mark, unmarked

        text, findings, spans = self.check(report_id)
        left = {id(f) for f in unmarked(text, findings)}
        views = []
        for key in self.section_keys(report_id):
            latest = self.store.latest(report_id, key)
            inside = [f for f in findings if key in spans and spans[key][0] <= f.start < spans[key][1]]
            errors = [f for f in inside if f.severity == "error" and f.kind != "draft_mark"
                      and (not needs_mark(f) or id(f) in left)]
            warnings = [f for f in inside if f.severity == "warning" and f.kind != "draft_mark"]
            if not latest or not latest.text.strip():
                status = "empty"
            elif errors:
                status = "errors"
            elif any(f.kind == "draft_mark" for f in inside):
                status = "marked"
            else:
                status = "warnings" if warnings else "checked"
            views.append(SectionView(key, self.section_label(key), status, latest, inside))
        return views

    def save(self, report_id: int, key: str, text: str, base: int | None, origin: str = "edit", note: str | None = None,
             sources: list | None = None, force: bool = False, figure_spans: list | None = None) -> Version:
        """A new version, unless the text is the latest version's (then that one is returned: the
        tab's base follows, nothing is duplicated). `figure_spans` are those of `text` as given (a
        draft's); without them the latest version's are carried over to the edit (kept where its
        sentences are unchanged). A stale base raises ConflictError (the text is kept in `unsaved`)."""
        from ..drafting import shift_spans

        stripped = text.strip("\n")
        latest = self.store.latest(report_id, key)
        if latest is not None and latest.text == stripped and not force:
            return latest
        if figure_spans is None:
            figure_spans = self.section_figure_spans(report_id, key, stripped)
        else:
            lead = len(text) - len(text.lstrip("\n"))
            figure_spans = shift_spans(figure_spans, -lead, lead, lead + len(stripped))
        findings = [f.to_dict() for f in self.section_findings(report_id, key, text)]
        return self.store.save_version(report_id, key, stripped, origin, base=base, note=note, sources=sources,
                                       findings=findings, force=force, figure_spans=figure_spans)

    def save_if_changed(self, report_id: int, key: str | None, text: str | None, base: int | None) -> int | None:
        """Before anything risky (a draft, a revision, any chat action), keep what the user typed.
        Returns the tab's new base. A stale tab's edit raises ConflictError: it is never set aside
        silently (the UI shows the conflict screen; the text is also kept in `unsaved`)."""
        if key is None:
            return base
        latest = self.store.latest(report_id, key)
        if text is None or not text.strip() or (latest and latest.text == text.strip("\n")):
            return latest.version if latest else base
        return self.save(report_id, key, text, base).version

    # -- conflicts and backups ----------------------------------------------------------------------
    def conflict(self, report_id: int, key: str, mine: str) -> dict:
        """What the conflict screen shows: the tab's text, the version saved elsewhere, a diff."""
        from .diffs import diff_html

        latest = self.store.latest(report_id, key)
        theirs = latest.text if latest else ""
        return {"key": key, "mine": mine, "theirs": theirs, "latest": latest.version if latest else 0,
                "label": latest.label if latest else "", "diff": diff_html(theirs, mine.strip("\n"),
                                                                           f"另一窗口保存的{latest.label if latest else '版本'}",
                                                                           "你的文字")}

    def keep_mine(self, report_id: int, key: str, mine: str) -> Version:
        """The conflict resolved for the tab's text: saved as the newest version."""
        latest = self.store.latest(report_id, key)
        return self.save(report_id, key, mine, latest.version if latest else None, "edit",
                         "冲突时选择保留本窗口的文字")

    def backups(self, report_id: int, key: str) -> list[dict]:
        """Texts kept when a save was refused, newest first."""
        return self.store.unsaved(report_id, key)

    # -- one-click fixes ----------------------------------------------------------------------------
    def apply_finding(self, report_id: int, key: str, text: str | None, base: int | None, clicked: dict) -> Version:
        """Apply a finding's suggestion (the one clicked in the table) to the section: the editor's
        text is saved first, the finding is found again in a fresh check, its span replaced; the
        result is a new version."""
        from ..drafting import apply_edits

        self.save_if_changed(report_id, key, text, base)
        latest = self.store.latest(report_id, key)
        if latest is None:
            raise AssistantError("这一部分还没有内容。", "This section is empty.")
        found = same_finding(clicked, self.section_findings(report_id, key), latest.text)
        if found is None:
            raise AssistantError("这条问题已经不在了（文字已经改过），请看新的检查结果。",
                                 "That finding is gone (the text changed); see the new check results.")
        new = replacement(found, latest.text[found.start:found.end])
        if new is None:
            raise AssistantError("这条建议需要人工核实后修改，不能一键采纳。", "This suggestion needs a person; it cannot be applied.")
        text = latest.text[:found.start] + new + latest.text[found.end:]
        spans = apply_edits(latest.figure_spans, [(found.start, found.end, new)])
        note = f"采纳建议：「{latest.text[found.start:found.end]}」→「{new}」（{found.kind_zh}）"
        return self.save(report_id, key, text, latest.version, "apply", note, latest.sources, figure_spans=spans)

    # -- drafting and revision ----------------------------------------------------------------------
    def _service(self, report_id: int):
        from ..drafting import DraftingService

        inputs = self.inputs(report_id)
        broken = self.stored_inputs_error(report_id) if inputs is None else None
        if broken is not None:
            raise AssistantError(unusable_inputs_text(broken), "The stored inputs cannot be used: " + broken.en)
        if inputs is None:
            raise AssistantError("请先在“指标与素材”页上传本年度的输入数据（YAML 或 Excel）。",
                                 "Upload this year's inputs (YAML or Excel) on the inputs tab first.")
        ensure_inputs_year(inputs, report_year=self.report(report_id)["year"])
        return DraftingService(self.ws, inputs)

    def draft(self, report_id: int, target: str, offline: bool | None = None, on_token=None, on_status=None):
        """Draft a part, a subsection (spliced into its part) or the whole report; every section
        the draft changes gets a new version. While a model writes, its stream is kept (a crash
        loses nothing: `recoverable`). Returns (draft, saved keys, keys left unchanged)."""
        service = self._service(report_id)
        keeper = None
        if not offline and self.ws.llm is not None:
            keeper = StreamKeeper(self.store, report_id, target, on_token, on_status)
            on_token, on_status = keeper.token, keeper.status
        try:
            draft = service.draft(target, offline=offline, on_token=on_token, on_status=on_status)
            saved, same = self._save_draft(report_id, target, draft, service)
        except BaseException:
            if keeper is not None:
                keeper.close(kept=False)  # what arrived stays recoverable
            raise
        if keeper is not None:
            keeper.close(kept=True)
        return draft, saved, same

    def _save_draft(self, report_id: int, target: str, draft, service) -> tuple[list[str], list[str]]:
        from ..drafting import carry_spans, shift_spans

        sources = [s.__dict__ for s in draft.sources]
        note = "；".join(draft.notes)
        if draft.error:
            note = "〔未写完〕起草中断，已保存收到的文字；" + note
        origin = draft.mode
        saved: list[str] = []
        same: list[str] = []
        if target == "all":
            pos = 0
            for key, text in split_sections(draft.text, self.ws.outline).items():
                start = draft.text.find(text, pos)
                pos = start + len(text) if start >= 0 else pos
                spans = shift_spans(draft.figure_spans, -start, start, start + len(text)) if start >= 0 else []
                own = draft.part_notes.get(key)
                if draft.mode == "llm":  # each part keeps its own notes, not the whole draft's
                    failed = draft.error is not None and draft.error.get("part") == key
                    part_note = ("〔未写完〕起草中断，已保存收到的文字；" if failed else "") + ("；".join(own) if own else "起草全文")
                else:
                    part_note = note
                (saved if self._save_latest(report_id, key, text, origin, part_note, sources, spans) else same).append(key)
        else:
            tokens = split_path(target)
            key = tokens[0]
            text = draft.text
            spans = list(draft.figure_spans)
            if len(tokens) > 1:
                latest = self.store.latest(report_id, key)
                old = latest.text if latest else ""
                text = splice(old, "/".join(tokens), draft.text, self.ws.outline, service)
                at = text.find(draft.text.strip("\n"))
                new = shift_spans(spans, at) if at >= 0 else []
                kept = carry_spans(old, text, latest.figure_spans) if latest else []
                spans = sorted(new + [s for s in kept if not any(a < s[1] and s[0] < b for a, b, _ in new)])
            (saved if self._save_latest(report_id, key, text, origin, note, sources, spans) else same).append(key)
        return saved, same

    def _save_latest(self, report_id: int, key: str, text: str, origin: str, note: str, sources: list,
                     figure_spans: list | None = None) -> bool:
        """A draft's text as the section's newest version; False when it is the latest text already."""
        latest = self.store.latest(report_id, key)
        if latest is not None and latest.text == text.strip("\n"):
            return False
        self.save(report_id, key, text, latest.version if latest else None, origin, note, sources,
                  figure_spans=figure_spans or [])
        return True

    def revise(self, report_id: int, key: str, text: str, instruction: str, base: int | None, on_token=None,
               on_status=None):
        base = self.save_if_changed(report_id, key, text, base)
        current = self.store.latest(report_id, key)
        if current is None:
            raise AssistantError("这一部分还没有内容，请先起草。", "This section is empty; draft it first.")
        keeper = StreamKeeper(self.store, report_id, key, on_token, on_status)
        try:
            draft = self._service(report_id).revise(key, current.text, instruction, on_token=keeper.token,
                                                    on_status=keeper.status, figure_spans=current.figure_spans)
        except BaseException:
            keeper.close(kept=False)
            raise
        note = f"按要求改写：{instruction}" + ("；" + "；".join(draft.notes) if draft.notes else "")
        version = self.save(report_id, key, draft.text, current.version, "revise", note,
                            [s.__dict__ for s in draft.sources], figure_spans=draft.figure_spans)
        keeper.close(kept=True)
        return draft, version, diff_html(current.text, draft.text)

    # -- a draft cut off by a stop or a crash --------------------------------------------------------
    def recoverable(self, report_id: int, key: str | None) -> list[dict]:
        """Streams cut off mid-draft that concern this section (or the whole report)."""
        out = []
        for row in self.store.recoverable_autosaves(report_id):
            if key is None or row["target"] == "all" or split_path(row["target"])[0] == key:
                out.append(row)
        return out

    def recover(self, report_id: int, autosave_id: int) -> list[str]:
        """A cut-off stream saved as new versions of the parts it holds, marked 〔未写完〕 where it
        stops and guarded like any model text (a wrong number replaced or marked). Returns the keys."""
        from ..drafting import guard_until_clean

        row = self.store.autosave(autosave_id)
        if row is None or row["report_id"] != report_id or row["state"] != "recoverable":
            raise AssistantError("这份中断时收到的文字已经处理过了。", "That interrupted draft was already handled.")
        text = recovered_text(row["text"])
        inputs = self.inputs(report_id)
        year = self.report(report_id)["year"]

        def check(t, spans):
            return run_checks(t, workspace_context(self.ws, inputs, year, spans), scope="section")

        note = "〔未写完〕程序在起草时停止，这是当时已收到的文字（已检查并标注）"
        target = row["target"]
        if target == "all":
            pieces = {k: v for k, v in split_sections(text, self.ws.outline).items() if k not in (HEAD, TAIL)}
        else:
            tokens = split_path(target)
            if len(tokens) > 1:
                latest = self.store.latest(report_id, tokens[0])
                text = splice(latest.text if latest else "", "/".join(tokens), text, self.ws.outline,
                              self._service(report_id))
            pieces = {tokens[0]: text}
        saved = []
        for key, piece in pieces.items():
            guarded, _ = guard_until_clean(piece, check)
            if self._save_latest(report_id, key, guarded.text, "recovered", note, [], guarded.spans):
                saved.append(key)
        self.store.close_autosave(autosave_id, "recovered")
        return saved

    def discard_recovery(self, report_id: int, autosave_id: int) -> None:
        row = self.store.autosave(autosave_id)
        if row is not None and row["report_id"] == report_id:
            self.store.close_autosave(autosave_id, "discarded")

    # -- versions -----------------------------------------------------------------------------------
    def versions(self, report_id: int, key: str) -> list[Version]:
        return self.store.versions(report_id, key)

    def diff(self, a_id: int, b_id: int, mode: str = "word") -> str:
        a, b = self.store.version(a_id), self.store.version(b_id)
        if not a or not b:
            return "<p>请选择两个版本。</p>"
        return diff_html(a.text, b.text, a.label, b.label, mode=mode)

    def restore(self, report_id: int, key: str, version_id: int, base: int | None) -> Version:
        old = self.store.version(version_id)
        if not old or old.report_id != report_id or old.section != key:
            raise AssistantError("找不到要恢复的版本。", "No such version.")
        return self.save(report_id, key, old.text, base, "restore", f"恢复自{old.label}", old.sources,
                         figure_spans=old.figure_spans)


def _year(value) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError) as exc:
        raise AssistantError("年度应为四位数字。", "The year must be four digits.") from exc
