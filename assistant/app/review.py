"""Review mode: the findings for reports written elsewhere — one, or the dozens of department and
township reports a 司法局 reviews every March — with one summary line per report, and their
export to Excel. `review_files` is shared by the CLI (`check` with many files and folders) and the
web app's 审阅 tab; `ReviewMixin` gives the Workbench its review methods."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..checks import ALL_CHECKS, CheckContext, Finding, ReportSummary, run_checks, summarize, workspace_context
from ..errors import AssistantError
from ..inputs import Inputs, load_inputs

REPORT_SUFFIXES = (".docx", ".txt", ".md", ".pdf")
_NOT_REPORTS = ("readme", "sources", "license", "changelog")  # notes that sit beside reports in a folder
INPUT_SUFFIXES = (".yaml", ".yml", ".xlsx")


@dataclass
class Reviewed:
    """One report checked: its text and findings, the inputs used, or why it could not be checked."""
    path: Path
    name: str
    text: str = ""
    findings: list[Finding] = field(default_factory=list)
    inputs: Path | None = None
    inputs_name: str = ""
    problem: str = ""

    @property
    def summary(self) -> ReportSummary:
        return summarize(self.name, self.findings, self.inputs_name, self.problem)

    def to_dict(self) -> dict:
        return {**self.summary.to_dict(), "file": str(self.path), "findings": [f.to_dict() for f in self.findings]}


def report_files(paths: list[Path]) -> list[Path]:
    """The reports among `paths`: files as given, folders searched (sorted, subfolders too) for
    .docx .txt .md .pdf, leaving out Word's lock files (~$…), hidden files and notes (README,
    SOURCES…)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES
                           and not p.name.startswith(("~$", ".")) and p.stem.lower() not in _NOT_REPORTS)
            out += found
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def inputs_beside(report: Path) -> Path | None:
    """Inputs with the report's own name next to it: 某县报告.docx → 某县报告.yaml / .yml / .xlsx."""
    for suffix in INPUT_SUFFIXES:
        candidate = report.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


def review_files(reports: list[Path], context: Callable[[Inputs | None], CheckContext],
                 inputs_for: Callable[[Path], Path | None] = inputs_beside, names: dict[Path, str] | None = None,
                 scope: str = "report", only: tuple[str, ...] = ALL_CHECKS,
                 progress: Callable[[int, int, str], None] | None = None) -> list[Reviewed]:
    """Check each report with its inputs (`inputs_for(report)`, None = review mode). A report that
    cannot be read, or whose inputs cannot be used, gets a line saying why; the others go on."""
    from ..knowledge import read_document

    loaded: dict[Path, Inputs | AssistantError] = {}
    out = []
    for n, path in enumerate(reports):
        name = (names or {}).get(path, path.name)
        if progress:
            progress(n, len(reports), name)
        item = Reviewed(path, name)
        out.append(item)
        try:
            item.text = read_document(path).text
        except AssistantError as exc:
            item.problem = f"无法读取：{exc.zh}"
            continue
        item.inputs = inputs_for(path)
        inputs = None
        if item.inputs is not None:
            item.inputs_name = (names or {}).get(item.inputs, item.inputs.name)
            if item.inputs not in loaded:
                try:
                    loaded[item.inputs] = load_inputs(item.inputs)
                except AssistantError as exc:
                    loaded[item.inputs] = exc
            inputs = loaded[item.inputs]
            if isinstance(inputs, AssistantError):
                item.problem = f"输入数据无法使用：{inputs.zh}"
                continue
        item.findings = run_checks(item.text, context(inputs), only=only, scope=scope)
    if progress:
        progress(len(reports), len(reports), "")
    return out


FINDING_COLUMNS = ["行", "列", "级别", "类型", "原文", "说明", "建议", "报告"]


def write_review_xlsx(path: Path, reviewed: list[Reviewed]) -> Path:
    """The findings (one row each, with the report they are in) and, for more than one report, the
    summary table (one row per report), as an Excel workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ..checks import SEVERITY_ZH, SUMMARY_HEADERS, line_col

    wb = Workbook()
    ws = wb.active
    ws.title = "检查结果"
    ws.append(FINDING_COLUMNS)
    for item in reviewed:
        for f in item.findings:
            line, col = line_col(item.text, f.start)
            ws.append([line, col, SEVERITY_ZH.get(f.severity, f.severity), f.kind_zh, f.text, f.message,
                       f.suggestion or "", item.name])
    for column, width in zip("ABCDEFGH", (6, 6, 8, 16, 30, 70, 40, 28)):
        ws.column_dimensions[column].width = width
    if len(reviewed) > 1 or any(item.problem for item in reviewed):
        summary = wb.create_sheet("汇总")
        summary.append(SUMMARY_HEADERS)
        for item in reviewed:
            summary.append(item.summary.row)
        for column, width in zip("ABCDEFGH", (30, 24, 6, 6, 6, 14, 14, 40)):
            summary.column_dimensions[column].width = width
        for cell in summary[1]:
            cell.font = Font(bold=True)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    wb.save(path)
    return path


class ReviewMixin:
    def review(self, doc_path: str | Path, inputs_path: str | Path | None = None, year: int | None = None):
        """Findings for a report written elsewhere (.docx/.txt/.md/.pdf) and optionally its inputs."""
        from ..knowledge import read_document

        stored = self.safe_upload(doc_path, set(REPORT_SUFFIXES))
        text = read_document(stored).text
        inputs = load_inputs(self.safe_upload(inputs_path, set(INPUT_SUFFIXES))) if inputs_path else None
        findings = run_checks(text, workspace_context(self.ws, inputs, year), scope="report")
        return text, findings

    def review_many(self, doc_paths: list[str | Path], inputs_paths: list[str | Path] = (), year: int | None = None,
                    progress: Callable[[int, int, str], None] | None = None) -> list[Reviewed]:
        """Many reports at once, each with the inputs file of its own name (某县报告.docx ↔ 某县报告.xlsx),
        or — for a single report — the one inputs file given."""
        names: dict[Path, str] = {}
        reports = []
        for original in doc_paths:
            stored = self.safe_upload(original, set(REPORT_SUFFIXES))
            names[stored] = Path(original).name
            reports.append(stored)
        by_stem: dict[str, Path] = {}
        for original in inputs_paths or ():
            stored = self.safe_upload(original, set(INPUT_SUFFIXES))
            names[stored] = Path(original).name
            by_stem[Path(original).stem] = stored
        only_one = next(iter(by_stem.values())) if len(by_stem) == 1 and len(reports) == 1 else None

        def inputs_for(report: Path) -> Path | None:
            return only_one or by_stem.get(Path(names[report]).stem)

        texts = self.ws.regulation_texts()  # listed and parsed once for all the reports
        return review_files(reports, lambda inputs: workspace_context(self.ws, inputs, year, texts=texts), inputs_for, names,
                            progress=progress)

    def export_review(self, text: str, findings: list[Finding], name: str = "审阅结果") -> Path:
        """One report's findings as an Excel sheet (one row per finding)."""
        return self.export_reviews([Reviewed(Path(name), name, text, findings)], name)

    def export_reviews(self, reviewed: list[Reviewed], name: str = "审阅结果") -> Path:
        """Many reports' findings and their summary as an Excel workbook under the exports folder."""
        path = self.exports / f"{re.sub(r'[^0-9A-Za-z一-鿿_-]+', '_', name)}-{time.strftime('%Y%m%d-%H%M%S')}.xlsx"
        return write_review_xlsx(path, reviewed)
