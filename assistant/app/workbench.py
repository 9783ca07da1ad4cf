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

import yaml

from ..checks import Finding, run_checks, workspace_context
from ..errors import AssistantError, InputsError
from ..inputs import Inputs, ensure_inputs_year, load_inputs, load_inputs_text, year_mismatches
from ..report_tree import split_path
from .chat import ChatMixin
from .cited import CitedDocumentsMixin
from .diffs import diff_html
from .review import ReviewMixin
from .sections import HEAD, SECTION_NAMES, TAIL, SectionView, splice, split_sections
from .store import ConflictError, Store, Version

ALLOWED_UPLOADS = {".txt", ".md", ".docx", ".pdf", ".yaml", ".yml", ".xlsx"}


class Workbench(ChatMixin, CitedDocumentsMixin, ReviewMixin):
    def __init__(self, ws) -> None:
        self.ws = ws
        self.store = Store(ws.data_dir / "app.sqlite3")
        self.uploads = ws.data_dir / "uploads"
        self.exports = ws.data_dir / "exports"
        self.uploads.mkdir(parents=True, exist_ok=True)
        self.exports.mkdir(parents=True, exist_ok=True)
        self.store.interrupt_unfinished()  # a chat answer cut off by a stop or a crash says so

    # -- reports ------------------------------------------------------------------------------------
    def report_choices(self) -> list[tuple[str, int]]:
        return [(f"{r['region']} {r['year']}年", r["id"]) for r in self.store.reports()]

    def create_report(self, region: str, year: int | float | str) -> int:
        try:
            year = int(float(year))
        except (TypeError, ValueError) as exc:
            raise AssistantError("年度应为四位数字。", "The year must be four digits.") from exc
        return self.store.create_report(region, year)

    def report(self, report_id: int) -> dict:
        report = self.store.report(report_id)
        if not report:
            raise AssistantError("找不到这份报告。", "No such report.")
        return report

    # -- inputs -------------------------------------------------------------------------------------
    def safe_upload(self, path: str | Path, allowed: set[str] | None = None) -> Path:
        """Copy an upload under the data dir with a safe name, after checking its type and size."""
        src = Path(path)
        suffix = src.suffix.lower()
        if suffix not in (allowed or ALLOWED_UPLOADS):
            raise AssistantError(f"不支持上传这种文件：{src.name}", f"This file type cannot be uploaded: {src.name}",
                                 "可上传 " + "、".join(sorted(allowed or ALLOWED_UPLOADS)), "Allowed: " + ", ".join(sorted(allowed or ALLOWED_UPLOADS)))
        limit = self.ws.settings.assistant_max_upload_mb * 1024 * 1024
        if src.stat().st_size > limit:
            raise AssistantError(f"文件太大（超过 {self.ws.settings.assistant_max_upload_mb} MB）：{src.name}",
                                 f"File too large (over {self.ws.settings.assistant_max_upload_mb} MB): {src.name}")
        stem = re.sub(r"[^\w\u4e00-\u9fff.-]+", "_", src.stem)[:60] or "upload"
        dest = self.uploads / f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}-{stem}{suffix}"
        shutil.copyfile(src, dest)
        return dest

    def load_inputs_file(self, report_id: int, path: str | Path) -> Inputs:
        """Validate and store inputs for the report; raises InputsError listing every problem."""
        stored = self.safe_upload(path, {".yaml", ".yml", ".xlsx"})
        inputs = load_inputs(stored)
        report = self.report(report_id)
        ensure_inputs_year(inputs, report_year=report["year"])  # another year's figures are refused at once
        if inputs.report.region is None:
            inputs.report.region = report["region"]
        if inputs.report.year is None:
            inputs.report.year = report["year"]
        self.store.save_inputs(report_id, yaml.safe_dump(inputs.to_yaml_dict(), allow_unicode=True, sort_keys=False),
                               Path(path).name)
        return inputs

    def load_sample_inputs(self, report_id: int) -> tuple[Inputs, int]:
        """Load the sample inputs (corpus/inputs) of the open report's year; returns them and the
        year loaded. Without a sample of that year, says which years there are."""
        from ..inputs import sample_for_year, sample_years

        folder = self.ws.settings.assistant_corpus_dir / "inputs"
        year = self.report(report_id)["year"]
        path = sample_for_year(folder, year)
        if path is None:
            years = "、".join(f"{y}年" for y in sample_years(folder)) or "无"
            raise AssistantError(f"没有{year}年的示例数据（示例数据有：{years}）。示例数据是别的年度的，不能用于{year}年的报告；"
                                 "要试用示例，请新建或打开示例年度的报告（如 珲春市 2023）。",
                                 f"There are no sample inputs for {year} (samples: {years}).")
        return self.load_inputs_file(report_id, path), year

    def inputs_notices(self, report_id: int) -> list[str]:
        """What does not go with the open report in its stored inputs: another year (loaded before
        this was refused), another region."""
        inputs, report = self.inputs(report_id), self.report(report_id)
        if inputs is None:
            return []
        out = [m.zh for m in year_mismatches(inputs.report.year, report_year=report["year"])]
        region = (inputs.report.region or "").strip()
        if region and report["region"] and region not in report["region"] and report["region"] not in region:
            out.append(f"输入数据是{region}的，当前报告是{report['region']}的：请确认用的是本地区的数据。")
        return out

    def inputs(self, report_id: int) -> Inputs | None:
        row = self.store.inputs(report_id)
        if not row:
            return None
        try:
            return load_inputs_text(row["yaml"])
        except InputsError:
            return None

    def save_notes(self, report_id: int, rows: list[list]) -> Inputs:
        """Replace the work notes with the edited table (section, kind, title, text)."""
        inputs = self.inputs(report_id)
        if inputs is None:
            raise AssistantError("请先上传本年度的输入数据。", "Upload this year's inputs first.")
        data = inputs.to_yaml_dict()
        data["notes"] = [{"section": str(r[0]).strip(), "kind": str(r[1] or "work").strip(), "title": r[2] or None,
                          "text": r[3] or None} for r in rows if r and str(r[0] or "").strip()]
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        checked = load_inputs_text(text)
        self.store.save_inputs(report_id, text, (self.store.inputs(report_id) or {}).get("filename"))
        return checked

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
            if not latest or not latest.text.strip():
                status = "empty"
            else:
                status = "errors" if errors else ("marked" if any(f.kind == "draft_mark" for f in inside) else "checked")
            views.append(SectionView(key, self.section_label(key), status, latest, inside))
        return views

    def save(self, report_id: int, key: str, text: str, base: int | None, origin: str = "edit", note: str | None = None,
             sources: list | None = None, force: bool = False, figure_spans: list | None = None) -> Version:
        """A new version. `figure_spans` are those of `text` as given (a draft's); without them the
        latest version's are carried over to the edit (kept where its sentences are unchanged)."""
        from ..drafting import shift_spans

        stripped = text.strip("\n")
        if figure_spans is None:
            figure_spans = self.section_figure_spans(report_id, key, stripped)
        else:
            lead = len(text) - len(text.lstrip("\n"))
            figure_spans = shift_spans(figure_spans, -lead, lead, lead + len(stripped))
        findings = [f.to_dict() for f in self.section_findings(report_id, key, text)]
        return self.store.save_version(report_id, key, stripped, origin, base=base, note=note, sources=sources,
                                       findings=findings, force=force, figure_spans=figure_spans)

    def save_if_changed(self, report_id: int, key: str, text: str | None, base: int | None) -> int | None:
        """Before anything risky (an LLM call), keep what the user typed. Returns the new base."""
        latest = self.store.latest(report_id, key)
        if text is None or not text.strip() or (latest and latest.text == text.strip("\n")):
            return latest.version if latest else base
        try:
            return self.save(report_id, key, text, base).version
        except ConflictError:
            return self.store.latest(report_id, key).version

    # -- drafting and revision ----------------------------------------------------------------------
    def _service(self, report_id: int):
        from ..drafting import DraftingService

        inputs = self.inputs(report_id)
        if inputs is None:
            raise AssistantError("请先在“指标与素材”页上传本年度的输入数据（YAML 或 Excel）。",
                                 "Upload this year's inputs (YAML or Excel) on the inputs tab first.")
        ensure_inputs_year(inputs, report_year=self.report(report_id)["year"])
        return DraftingService(self.ws, inputs)

    def draft(self, report_id: int, target: str, offline: bool | None = None, on_token=None, on_status=None):
        """Draft a part, a subsection (spliced into its part) or the whole report; every draft is
        saved as a new version of the sections it changes. Returns (draft, saved keys)."""
        from ..drafting import carry_spans, shift_spans

        service = self._service(report_id)
        draft = service.draft(target, offline=offline, on_token=on_token, on_status=on_status)
        sources = [s.__dict__ for s in draft.sources]
        note = "；".join(draft.notes)
        if draft.error:
            note = "〔未写完〕起草中断，已保存收到的文字；" + note
        origin = draft.mode
        saved: list[str] = []
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
                self._save_latest(report_id, key, text, origin, part_note, sources, spans)
                saved.append(key)
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
            self._save_latest(report_id, key, text, origin, note, sources, spans)
            saved.append(key)
        return draft, saved

    def _save_latest(self, report_id: int, key: str, text: str, origin: str, note: str, sources: list,
                     figure_spans: list | None = None) -> Version:
        latest = self.store.latest(report_id, key)
        return self.save(report_id, key, text, latest.version if latest else None, origin, note, sources,
                         figure_spans=figure_spans or [])

    def revise(self, report_id: int, key: str, text: str, instruction: str, base: int | None, on_token=None,
               on_status=None):
        base = self.save_if_changed(report_id, key, text, base)
        current = self.store.latest(report_id, key)
        if current is None:
            raise AssistantError("这一部分还没有内容，请先起草。", "This section is empty; draft it first.")
        draft = self._service(report_id).revise(key, current.text, instruction, on_token=on_token, on_status=on_status,
                                                figure_spans=current.figure_spans)
        note = f"按要求改写：{instruction}" + ("；" + "；".join(draft.notes) if draft.notes else "")
        version = self.save(report_id, key, draft.text, current.version, "revise", note,
                            [s.__dict__ for s in draft.sources], figure_spans=draft.figure_spans)
        return draft, version, diff_html(current.text, draft.text)

    # -- versions -----------------------------------------------------------------------------------
    def versions(self, report_id: int, key: str) -> list[Version]:
        return self.store.versions(report_id, key)

    def diff(self, a_id: int, b_id: int) -> str:
        a, b = self.store.version(a_id), self.store.version(b_id)
        if not a or not b:
            return "<p>请选择两个版本。</p>"
        return diff_html(a.text, b.text, a.label, b.label)

    def restore(self, report_id: int, key: str, version_id: int, base: int | None) -> Version:
        old = self.store.version(version_id)
        if not old or old.report_id != report_id or old.section != key:
            raise AssistantError("找不到要恢复的版本。", "No such version.")
        return self.save(report_id, key, old.text, base, "restore", f"恢复自{old.label}", old.sources,
                         figure_spans=old.figure_spans)

    # -- export and review ---------------------------------------------------------------------------
    def export(self, report_id: int, scope: str = "all", fmt: str = "docx", comments: bool = False) -> Path:
        from ..drafting import shift_spans
        from ..export import export_docx, export_markdown, mark_comments, review_comments

        report = self.report(report_id)
        text, spans = self.whole_text(report_id)
        figure_spans = self.figure_spans(report_id, spans)
        if scope != "all":
            if scope not in spans:
                raise AssistantError("这一部分还没有内容。", "This part is empty.")
            start, end = spans[scope]
            text = text[start:end]
            figure_spans = shift_spans(figure_spans, -start, start, end)
        if not text.strip():
            raise AssistantError("报告还没有内容，无法导出。", "The report is empty; nothing to export.")
        name = f"{report['region']}{report['year']}年法治政府建设年度报告" + ("" if scope == "all" else f"-第{scope}部分")
        name = re.sub(r"[^\w\u4e00-\u9fff-]+", "_", name)
        if fmt == "md":
            path = self.exports / f"{name}.md"
            path.write_text(export_markdown(text), encoding="utf-8")
            return path
        notes = review_comments(text, self.inputs(report_id), self.ws.registry, report["year"], figure_spans) \
            if comments else mark_comments(text)  # the marks are always comments
        path = self.exports / f"{name}.docx"
        export_docx(text, path, comments=notes)
        return path
