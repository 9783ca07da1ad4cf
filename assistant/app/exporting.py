"""Handing the report in: what to ask before an export (errors still in the text, half-width
punctuation that can be fixed in one go), the fix itself (a new version of each part it changes),
and the export, each to a file of its own. A mixin of the Workbench."""

from __future__ import annotations

import re
import time
from pathlib import Path

from ..errors import AssistantError

PUNCTUATION = "punctuation_halfwidth"


class ExportMixin:
    def _scope_text(self, report_id: int, scope: str):
        text, findings, spans = self.check(report_id)
        if scope == "all":
            return text, findings, spans
        if scope not in spans:
            raise AssistantError("这一部分还没有内容。", "This part is empty.")
        start, end = spans[scope]
        return text, [f for f in findings if start <= f.start < end], {scope: spans[scope]}

    def export_check(self, report_id: int, scope: str = "all") -> dict:
        """Before an export: {"errors": [(part label, finding)], "punctuation": marks to fix,
        "paragraphs": paragraphs holding them}."""
        text, findings, spans = self._scope_text(report_id, scope)
        if not text.strip():
            raise AssistantError("报告还没有内容，无法导出。", "The report is empty; nothing to export.")

        def part_of(f) -> str:
            key = next((k for k, (s, e) in spans.items() if s <= f.start < e), None)
            return self.section_label(key) if key else ""

        errors = [(part_of(f), f) for f in findings if f.severity == "error"]
        punct = [f for f in findings if f.kind == PUNCTUATION]
        return {"errors": errors, "punctuation": sum(len(f.details.get("fixes", [])) for f in punct),
                "paragraphs": len(punct)}

    def fix_punctuation(self, report_id: int, scope: str = "all") -> tuple[int, list[str]]:
        """Every half-width mark in Chinese text of the report (or one part) written full-width;
        each part it changes gets a new version. Returns (marks fixed, parts changed)."""
        from ..checks import find_halfwidth, fix_punctuation
        from ..drafting import apply_edits

        keys = [k for k in self.section_keys(report_id) if scope == "all" or k == scope]
        total, changed = 0, []
        for key in keys:
            latest = self.store.latest(report_id, key)
            if latest is None:
                continue
            fixes = find_halfwidth(latest.text)
            if not fixes:
                continue
            new = fix_punctuation(latest.text, fixes)
            spans = apply_edits(latest.figure_spans, [(f.start, f.end, f.new) for f in fixes])
            self.save(report_id, key, new, latest.version, "proofread", f"标点更正：{len(fixes)} 处半角标点改为全角",
                      latest.sources, figure_spans=spans)
            total += len(fixes)
            changed.append(key)
        return total, changed

    def export(self, report_id: int, scope: str = "all", fmt: str = "docx", comments: bool = False) -> Path:
        """The report (or one part) as Word or Markdown, in a file of its own (never overwriting an
        earlier export: a plain and a commented export of the same minute are two files)."""
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
        if comments and fmt == "docx":
            name += "-审核批注版"
        if fmt == "md":
            path = self._export_path(name, ".md")
            path.write_text(export_markdown(text), encoding="utf-8")
            return path
        notes = review_comments(text, self.inputs(report_id), self.ws.registry, report["year"], figure_spans) \
            if comments else mark_comments(text)  # the marks are always comments
        path = self._export_path(name, ".docx")
        export_docx(text, path, comments=notes)
        return path

    def _export_path(self, name: str, suffix: str) -> Path:
        stem = re.sub(r"[^\w\u4e00-\u9fff-]+", "_", name) + "-" + time.strftime("%Y%m%d-%H%M%S")
        n = 1
        while True:  # reserved by creating it, so two exports in the same second get two files
            path = self.exports / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
            try:
                path.touch(exist_ok=False)
                return path
            except FileExistsError:
                n += 1
