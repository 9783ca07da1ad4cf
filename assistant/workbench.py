"""The work on one report, as the web app does it: inputs, sections and their versions,
checks, drafting, revision, export, review and the chat. The UI only calls these methods.

A report is stored as sections: "head" (title, recipient, opening paragraph), the parts of the
outline ("一" … "四", "五" when present) and "tail" (the sign-off). The whole text is their
latest versions joined by line breaks; checks run on the whole text, and each section shows the
findings that fall inside it.
"""

from __future__ import annotations

import difflib
import html
import re
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import yaml

from .checks import run_checks, workspace_context
from .errors import AssistantError, InputsError, LLMError
from .findings import Finding, has_errors
from .inputs import Inputs, load_inputs, load_inputs_text
from .report_tree import parse_report, split_path
from .store import ConflictError, Store, Version

HEAD, TAIL = "head", "tail"
SECTION_NAMES = {HEAD: "标题与开头", TAIL: "落款"}
ALLOWED_UPLOADS = {".txt", ".md", ".docx", ".pdf", ".yaml", ".yml", ".xlsx"}


@dataclass
class SectionView:
    key: str
    label: str  # "一、主要举措和成效"
    status: str  # empty | drafted | errors | checked
    version: Version | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def status_zh(self) -> str:
        return {"empty": "未起草", "drafted": "已起草", "errors": "有错误", "checked": "已检查"}[self.status]


class Workbench:
    def __init__(self, ws) -> None:
        self.ws = ws
        self.store = Store(ws.data_dir / "app.sqlite3")
        self.uploads = ws.data_dir / "uploads"
        self.exports = ws.data_dir / "exports"
        self.uploads.mkdir(parents=True, exist_ok=True)
        self.exports.mkdir(parents=True, exist_ok=True)

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
        if inputs.report.region is None:
            inputs.report.region = report["region"]
        if inputs.report.year is None:
            inputs.report.year = report["year"]
        self.store.save_inputs(report_id, yaml.safe_dump(inputs.to_yaml_dict(), allow_unicode=True, sort_keys=False),
                               Path(path).name)
        return inputs

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

    def check(self, report_id: int, override: tuple[str, str] | None = None) -> tuple[str, list[Finding], dict]:
        """Checks over the whole text. While required parts are still empty, the report is checked
        as a work in progress: a missing part shows as 未起草, not as an error on another part."""
        text, spans = self.whole_text(report_id, override)
        report = self.report(report_id)
        required = [p.key for p in self.ws.outline.parts if p.required]
        scope = "report" if all(k in spans for k in required) else "section"
        findings = run_checks(text, workspace_context(self.ws, self.inputs(report_id), report["year"]), scope=scope) \
            if text else []
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
        text, findings, spans = self.check(report_id)
        views = []
        for key in self.section_keys(report_id):
            latest = self.store.latest(report_id, key)
            inside = [f for f in findings if key in spans and spans[key][0] <= f.start < spans[key][1]]
            status = "empty" if not latest or not latest.text.strip() else ("errors" if has_errors(inside) else "checked")
            views.append(SectionView(key, self.section_label(key), status, latest, inside))
        return views

    def save(self, report_id: int, key: str, text: str, base: int | None, origin: str = "edit", note: str | None = None,
             sources: list | None = None, force: bool = False) -> Version:
        findings = [f.to_dict() for f in self.section_findings(report_id, key, text)]
        return self.store.save_version(report_id, key, text.strip("\n"), origin, base=base, note=note, sources=sources,
                                       findings=findings, force=force)

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
        from .drafting import DraftingService

        inputs = self.inputs(report_id)
        if inputs is None:
            raise AssistantError("请先在“指标与素材”页上传本年度的输入数据（YAML 或 Excel）。",
                                 "Upload this year's inputs (YAML or Excel) on the inputs tab first.")
        return DraftingService(self.ws, inputs)

    def draft(self, report_id: int, target: str, offline: bool | None = None, on_token=None, on_status=None):
        """Draft a part, a subsection (spliced into its part) or the whole report; every draft is
        saved as a new version of the sections it changes. Returns (draft, saved keys)."""
        service = self._service(report_id)
        draft = service.draft(target, offline=offline, on_token=on_token, on_status=on_status)
        sources = [s.__dict__ for s in draft.sources]
        note = "；".join(draft.notes)
        origin = draft.mode
        saved: list[str] = []
        if target == "all":
            for key, text in split_sections(draft.text, self.ws.outline).items():
                self._save_latest(report_id, key, text, origin, note, sources)
                saved.append(key)
        else:
            tokens = split_path(target)
            key = tokens[0]
            text = draft.text
            if len(tokens) > 1:
                latest = self.store.latest(report_id, key)
                text = splice(latest.text if latest else "", "/".join(tokens), draft.text, self.ws.outline, service)
            self._save_latest(report_id, key, text, origin, note, sources)
            saved.append(key)
        return draft, saved

    def _save_latest(self, report_id: int, key: str, text: str, origin: str, note: str, sources: list) -> Version:
        latest = self.store.latest(report_id, key)
        return self.save(report_id, key, text, latest.version if latest else None, origin, note, sources)

    def revise(self, report_id: int, key: str, text: str, instruction: str, base: int | None, on_token=None,
               on_status=None):
        base = self.save_if_changed(report_id, key, text, base)
        current = self.store.latest(report_id, key)
        if current is None:
            raise AssistantError("这一部分还没有内容，请先起草。", "This section is empty; draft it first.")
        draft = self._service(report_id).revise(key, current.text, instruction, on_token=on_token, on_status=on_status)
        version = self.save(report_id, key, draft.text, current.version, "revise", f"按要求改写：{instruction}",
                            [s.__dict__ for s in draft.sources])
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
        return self.save(report_id, key, old.text, base, "restore", f"恢复自{old.label}", old.sources)

    # -- export and review ---------------------------------------------------------------------------
    def export(self, report_id: int, scope: str = "all", fmt: str = "docx", comments: bool = False) -> Path:
        from .annotations import review_comments
        from .export_docx import export_docx, export_markdown

        report = self.report(report_id)
        text, spans = self.whole_text(report_id)
        if scope != "all":
            if scope not in spans:
                raise AssistantError("这一部分还没有内容。", "This part is empty.")
            text = text[spans[scope][0]:spans[scope][1]]
        if not text.strip():
            raise AssistantError("报告还没有内容，无法导出。", "The report is empty; nothing to export.")
        name = f"{report['region']}{report['year']}年法治政府建设年度报告" + ("" if scope == "all" else f"-第{scope}部分")
        name = re.sub(r"[^\w\u4e00-\u9fff-]+", "_", name)
        if fmt == "md":
            path = self.exports / f"{name}.md"
            path.write_text(export_markdown(text), encoding="utf-8")
            return path
        notes = review_comments(text, self.inputs(report_id), self.ws.registry, report["year"]) if comments else None
        path = self.exports / f"{name}.docx"
        export_docx(text, path, comments=notes)
        return path

    def review(self, doc_path: str | Path, inputs_path: str | Path | None = None, year: int | None = None):
        """Findings for a report written elsewhere (.docx/.txt/.md/.pdf) and optionally its inputs."""
        from .documents import read_document

        stored = self.safe_upload(doc_path, {".docx", ".txt", ".md", ".pdf"})
        text = read_document(stored).text
        inputs = load_inputs(self.safe_upload(inputs_path, {".yaml", ".yml", ".xlsx"})) if inputs_path else None
        findings = run_checks(text, workspace_context(self.ws, inputs, year), scope="report")
        return text, findings

    def export_review(self, text: str, findings: list[Finding], name: str = "审阅结果") -> Path:
        """The review's findings as an Excel sheet (one row per finding)."""
        from openpyxl import Workbook
        from openpyxl.styles import Font

        from .findings import SEVERITY_ZH, line_col

        wb = Workbook()
        ws = wb.active
        ws.title = "检查结果"
        ws.append(["行", "列", "级别", "类型", "原文", "说明", "建议"])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for f in findings:
            line, col = line_col(text, f.start)
            ws.append([line, col, SEVERITY_ZH.get(f.severity, f.severity), f.kind_zh, f.text, f.message, f.suggestion or ""])
        for column, width in zip("ABCDEFG", (6, 6, 8, 16, 30, 70, 40)):
            ws.column_dimensions[column].width = width
        path = self.exports / f"{re.sub(r'[^0-9A-Za-z一-鿿_-]+', '_', name)}-{time.strftime('%Y%m%d-%H%M%S')}.xlsx"
        wb.save(path)
        return path

    # -- chat -----------------------------------------------------------------------------------------
    def chat(self, report_id: int, message: str, selected: str | None, editor_text: str | None,
             base: int | None) -> Iterator[dict]:
        """Handle one chat message; yields events: {"reply": text so far} while working, and a
        final {"reply": …, "changed": [section keys], "diff": html | None}."""
        from .chat_intent import parse_intent

        message = message.strip()
        if not message:
            return
        self.store.add_message(report_id, "user", message)
        answer_id = self.store.add_message(report_id, "assistant", "……")
        report = self.report(report_id)
        subsections = self._subsections(report_id)
        intent = parse_intent(message, self.ws.outline, subsections)
        state = {"text": ""}

        def emit(text: str, **extra) -> dict:
            state["text"] = text
            self.store.update_message(answer_id, text)
            return {"reply": text, **extra}

        try:
            yield from self._handle(intent, report_id, report, selected, editor_text, base, emit)
        except (AssistantError, LLMError) as exc:
            partial = getattr(exc, "partial_text", "")
            kept = f"\n\n（已收到的部分内容已保留：{partial[:200]}…）" if partial else ""
            yield emit(f"⚠️ {exc.zh}\n{exc.en}" + (f"\n处理建议：{exc.hint_zh}" if exc.hint_zh else "") + kept)

    def _handle(self, intent, report_id, report, selected, editor_text, base, emit):
        llm = self.ws.llm
        year = report["year"]
        if intent.kind == "help":
            yield emit(help_text(llm is not None))
        elif intent.kind == "article":
            from .article_lookup import lookup_article

            found = lookup_article(self.ws, intent.title, intent.article, year)
            note = f"（{found['status_note']}）" if found.get("status_note") else ""
            yield emit(f"**{found['heading']}**{note}\n\n{found['text']}")
        elif intent.kind == "search" or (intent.kind == "ask" and llm is None):
            yield emit(self._search_reply(intent.query, year, offline_question=intent.kind == "ask"))
        elif intent.kind == "check":
            text, findings, spans = self.check(report_id)
            if not text:
                yield emit("报告还没有内容。可以说“起草全文”或“起草第一部分”。")
            else:
                yield emit(findings_summary(findings, text), changed=list(spans))
        elif intent.kind == "draft":
            target = intent.target or (selected if selected not in (None, HEAD, TAIL) else "all")
            offline = llm is None
            prefix = f"正在{'离线' if offline else '用大模型'}起草“{self._target_label(target)}”……\n\n"
            pieces: list[str] = []
            status: list[str] = []
            import queue
            import threading

            events: queue.Queue = queue.Queue()
            outcome: dict = {}

            def work() -> None:
                try:
                    outcome["result"] = self.draft(report_id, target, offline=offline or None,
                                                   on_token=lambda t: events.put(("token", t)),
                                                   on_status=lambda s: events.put(("status", s)))
                except Exception as exc:  # noqa: BLE001 - re-raised in the generator below
                    outcome["error"] = exc
                finally:
                    events.put(None)

            threading.Thread(target=work, daemon=True).start()
            last = 0.0
            while (event := events.get()) is not None:
                kind, value = event
                (pieces if kind == "token" else status).append(value if kind == "token" else f"〔{value}〕\n")
                if time.monotonic() - last > 0.15:
                    last = time.monotonic()
                    yield emit(prefix + "".join(status[-2:]) + "".join(pieces))
            if "error" in outcome:
                raise outcome["error"]
            draft, saved = outcome["result"]
            errors = sum(1 for f in draft.findings if f.severity == "error")
            warnings = sum(1 for f in draft.findings if f.severity == "warning")
            summary = "\n".join(f"· {n}" for n in draft.notes)
            preview = "" if target == "all" else "\n\n" + draft.text[:600] + ("……" if len(draft.text) > 600 else "")
            yield emit(f"已起草“{self._target_label(target)}”，保存为新版本（{'、'.join(self.section_label(k) for k in saved)}），"
                       f"左侧可查看和修改。检查结果：{errors} 个错误、{warnings} 个警告。\n{summary}{preview}", changed=saved)
        elif intent.kind == "revise":
            key = split_path(intent.target)[0] if intent.target else selected
            if key in (None, HEAD, TAIL, "all"):
                yield emit("请先在左侧选中要修改的部分（如“二”），再说明修改要求。")
                return
            if llm is None:
                yield emit("按要求改写需要大模型。当前未配置大模型：可以直接在左侧文本框中修改后点“保存”，系统会自动检查。\n\n"
                           + llm_howto())
                return
            pieces = []
            draft, version, diff = self.revise(report_id, key, editor_text if key == selected else None, intent.instruction,
                                               base, on_token=pieces.append)
            yield emit(f"已按“{intent.instruction}”改写{self.section_label(key)}，保存为{version.label}；"
                       f"改动见左侧“版本历史”（红色删除线为删去的文字，绿色为新增）。", changed=[key], diff=diff)
        else:  # ask, with an LLM
            hits = self.ws.kb.search(intent.query, k=4)
            from .prompts import render

            prompt = render("chat.j2", question=intent.query, hits=hits)
            system = render("system.j2", region=report["region"], basis=self.ws.outline.basis)
            pieces = []
            for piece in llm.stream([{"role": "system", "content": system}, {"role": "user", "content": prompt}]):
                pieces.append(piece)
                yield emit("".join(pieces))
            sources = "\n".join(f"· {h.citation}" for h in hits)
            yield emit("".join(pieces) + (f"\n\n参考资料：\n{sources}" if sources else ""))

    def _search_reply(self, query: str, year: int | None, offline_question: bool = False) -> str:
        kind, want_year = None, None
        if "去年" in query and year:
            kind, want_year = "report", year - 1
        elif re.search(r"(报告里|报告中|往年|以前的报告)", query):
            kind = "report"
        hits = self.ws.kb.search(query, k=5, kind=kind, year=want_year) or self.ws.kb.search(query, k=5, kind=kind)
        if not hits:
            return "知识库中没有找到相关内容。可以在“知识库”页上传往年报告和法规文本。"
        head = "（未配置大模型，以下是知识库中最相关的内容）\n\n" if offline_question else ""
        lines = [f"{n}. **{h.citation}**\n{h.text[:220]}{'…' if len(h.text) > 220 else ''}" for n, h in enumerate(hits, 1)]
        return head + "\n\n".join(lines)

    def _subsections(self, report_id: int) -> dict[str, str]:
        latest = self.store.latest(report_id, "一")
        out = {}
        if latest:
            tree = parse_report(latest.text, self.ws.outline.classify_heading)
            out = {s.path: s.title for s in tree.walk() if s.level == 2}
        inputs = self.inputs(report_id)
        if inputs:
            for n in inputs.notes:
                tokens = split_path(n.section)
                if len(tokens) == 2 and n.title:
                    out.setdefault("/".join(tokens), n.title)
        return out

    def _target_label(self, target: str) -> str:
        if target == "all":
            return "全文"
        tokens = split_path(target)
        return self.section_label(tokens[0]) if len(tokens) == 1 else "、".join(tokens)

    # -- citations ------------------------------------------------------------------------------------
    def citations_in(self, text: str) -> list[tuple[str, str]]:
        """The documents and articles a text cites, as (label, "title|article") choices."""
        from .citations import find_citations

        seen, out = set(), []
        for cit in find_citations(text or ""):
            title = cit.effective_title + (f"（{cit.version}年）" if cit.version else "")
            refs = [a.label for a in cit.articles] or [""]
            for ref in refs:
                key = f"{title}|{ref}"
                if key not in seen:
                    seen.add(key)
                    out.append((f"《{title}》{ref}", key))
        return out

    def citation_info(self, choice: str, year: int | None = None) -> str:
        """Markdown for a cited document or article: its text when the knowledge base has it,
        and what the registry says of it."""
        from .article_lookup import lookup_article

        title, _, article = (choice or "").partition("|")
        if not title:
            return ""
        lines = []
        res = self.ws.registry.resolve(title, year)
        if res:
            e = res.entry
            outdated, why = self.ws.registry.outdated(e, year)
            dates = "，".join(x for x in (f"{e.promulgated}公布" if e.promulgated else "",
                                          f"{e.effective}施行" if e.effective else "") if x)
            lines.append(f"**《{e.title}》** {e.number or ''}　{dates}　"
                         + (f"⚠️ {why}" if outdated else f"✓ {e.status}"))
        else:
            lines.append(f"**《{title}》**：登记表未收录，无法核对标题和效力。")
        if article:
            try:
                found = lookup_article(self.ws, title, article, year)
                lines.append(f"**{found['heading']}**\n\n" + found["text"].replace("\n", "\n\n"))
            except AssistantError as exc:
                lines.append(exc.zh)
        return "\n\n".join(lines)

    def chat_history(self, report_id: int) -> list[dict]:
        return self.store.messages(report_id)


# -- helpers ----------------------------------------------------------------------------------------
def split_sections(text: str, outline) -> dict[str, str]:
    """A whole report's text → {"head": …, "一": …, …, "tail": …}."""
    tree = parse_report(text, outline.classify_heading)
    out: dict[str, str] = {}
    head = text[:tree.preamble_end].strip("\n")
    if head:
        out[HEAD] = head
    for section in tree.sections:
        part = outline.part(section.part) if section.part else None
        key = part.key if part else section.token
        out[key] = text[section.line_start:section.end].strip("\n")
    if tree.signoff:
        out[TAIL] = text[tree.signoff.start:tree.signoff.end].strip("\n")
    return out


def splice(part_text: str, path: str, new_text: str, outline, service=None) -> str:
    """Put a drafted subsection into its part: replace the subsection with the same path, or
    append it (with the part's heading first when the part is empty)."""
    if not part_text.strip():
        key = split_path(path)[0]
        heading = service._heading_for(key) if service else key + "、"
        return heading + "\n" + new_text.strip("\n")
    tree = parse_report(part_text, outline.classify_heading)
    node = tree.find(path)
    if node is None:
        return part_text.rstrip("\n") + "\n" + new_text.strip("\n")
    return part_text[:node.line_start] + new_text.strip("\n") + "\n" + part_text[node.end:].lstrip("\n")


def diff_html(old: str, new: str, old_label: str = "修改前", new_label: str = "修改后") -> str:
    """A compact inline diff: deletions struck through in red, insertions in green."""
    out = [f'<div class="diff"><div class="diff-legend"><del>{html.escape(old_label)}</del> → <ins>{html.escape(new_label)}</ins></div>']
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    body = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            body.append(html.escape(old[a0:a1]))
        if op in ("delete", "replace"):
            body.append(f"<del>{html.escape(old[a0:a1])}</del>")
        if op in ("insert", "replace"):
            body.append(f"<ins>{html.escape(new[b0:b1])}</ins>")
    out.append('<div class="diff-body">' + "".join(body).replace("\n", "<br>") + "</div></div>")
    return "".join(out)


def findings_summary(findings: list[Finding], text: str) -> str:
    from .findings import SEVERITY_ZH, line_col

    if not findings:
        return "检查完毕：数字、引用和提纲都没有发现问题。"
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    lines = [f"检查完毕：{counts['error']} 个错误、{counts['warning']} 个警告、{counts['info']} 个提示。"]
    for f in findings[:30]:
        line, _ = line_col(text, f.start)
        lines.append(f"- 第{line}行 {SEVERITY_ZH[f.severity]}「{f.text}」：{f.message}" + (f" → {f.suggestion}" if f.suggestion else ""))
    if len(findings) > 30:
        lines.append(f"……另有 {len(findings) - 30} 条，见左侧检查结果表。")
    return "\n".join(lines)


def llm_howto() -> str:
    return ("配置大模型：在启动前设置环境变量（或写入 .env 文件）\n"
            "OPENAI_BASE_URL=https://api.deepseek.com/v1（或通义千问、本地 vLLM/Ollama 的地址）\n"
            "OPENAI_API_KEY=你的密钥\nASSISTANT_LLM_MODEL=模型名称\n然后重新启动 make run。")


def help_text(has_llm: bool) -> str:
    lines = ["可以这样说：",
             "· “起草全文” / “起草第二部分” / “起草一、(六)”：按提纲起草，起草后自动检查并保存为新版本",
             "· “检查全文”：核对数字、引用的法规和提纲",
             "· “《行政复议法》第二条”：查看法规条文",
             "· “去年报告里人民调解那部分怎么写的” / “搜索 行政复议申请期限”：检索知识库",
             "· 选中左侧某一部分后说“精简一些”“语气更正式”“把原因写具体”：按要求改写"]
    if not has_llm:
        lines.append("\n当前未配置大模型：起草使用离线方式（按去年报告更新数字，或按输入素材组织），检查、查询、检索都可正常使用；按要求改写需要大模型。\n"
                     + llm_howto())
    return "\n".join(lines)
