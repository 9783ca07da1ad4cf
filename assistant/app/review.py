"""Review mode: the findings for a report written elsewhere, and their export to Excel. A mixin
of the Workbench."""

from __future__ import annotations

import re
import time
from pathlib import Path

from ..checks import Finding, run_checks, workspace_context
from ..inputs import load_inputs


class ReviewMixin:
    def review(self, doc_path: str | Path, inputs_path: str | Path | None = None, year: int | None = None):
        """Findings for a report written elsewhere (.docx/.txt/.md/.pdf) and optionally its inputs."""
        from ..knowledge import read_document

        stored = self.safe_upload(doc_path, {".docx", ".txt", ".md", ".pdf"})
        text = read_document(stored).text
        inputs = load_inputs(self.safe_upload(inputs_path, {".yaml", ".yml", ".xlsx"})) if inputs_path else None
        findings = run_checks(text, workspace_context(self.ws, inputs, year), scope="report")
        return text, findings

    def export_review(self, text: str, findings: list[Finding], name: str = "审阅结果") -> Path:
        """The review's findings as an Excel sheet (one row per finding)."""
        from openpyxl import Workbook
        from openpyxl.styles import Font

        from ..checks import SEVERITY_ZH, line_col

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
