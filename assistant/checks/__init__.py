"""The checks: pure functions of (text, inputs, registry, outline) → findings, shared by the CLI,
the web app and the drafting loop. Figures (`figures`), citations (`citations`), the outline
(`outline_check`), text carried over from last year's report (`carried_over`), 公文 punctuation
(`punctuation`), all behind `run_checks`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

_NAMES = {
    "run_checks": ".run",
    "CheckContext": ".run",
    "ALL_CHECKS": ".run",
    "workspace_context": ".run",
    "Finding": ".findings",
    "KIND_ZH": ".findings",
    "SEVERITY_ORDER": ".findings",
    "SEVERITY_ZH": ".findings",
    "sort_findings": ".findings",
    "has_errors": ".findings",
    "line_col": ".findings",
    "format_text": ".findings",
    "format_json": ".findings",
    "Mention": ".quantities",
    "find_quantities": ".quantities",
    "check_figures": ".figures",
    "FigureBinder": ".figures",
    "Binding": ".figures",
    "restate": ".figures",
    "expected_text": ".figures",
    "find_citations": ".citations",
    "find_titles": ".citations",
    "Citation": ".citations",
    "check_citations": ".citations",
    "TextLookup": ".citations",
    "check_outline": ".outline_check",
    "summarize": ".summary",
    "ReportSummary": ".summary",
    "SUMMARY_HEADERS": ".summary",
    "format_table": ".summary",
    "wrong_year": ".run",
    "check_report_year": ".report_year",
    "Mark": ".marks",
    "find_marks": ".marks",
    "make_mark": ".marks",
    "mask_marks": ".marks",
    "mark_at": ".marks",
    "check_marks": ".marks",
    "check_carried_over": ".carried_over",
    "previous_reports": ".run",
    "check_punctuation": ".punctuation",
    "find_halfwidth": ".punctuation",
    "fix_punctuation": ".punctuation",
    "PunctFix": ".punctuation",
}
__all__ = list(_NAMES)
__getattr__, __dir__ = lazy_names(__name__, _NAMES)

if TYPE_CHECKING:
    from .run import run_checks, CheckContext, ALL_CHECKS, workspace_context
    from .findings import Finding, KIND_ZH, SEVERITY_ORDER, SEVERITY_ZH, sort_findings, has_errors, line_col, format_text, format_json
    from .quantities import Mention, find_quantities
    from .figures import check_figures, FigureBinder, Binding, restate, expected_text
    from .citations import find_citations, find_titles, Citation, check_citations, TextLookup
    from .outline_check import check_outline
    from .summary import summarize, ReportSummary, SUMMARY_HEADERS, format_table
    from .run import wrong_year
    from .report_year import check_report_year
    from .marks import Mark, find_marks, make_mark, mask_marks, mark_at, check_marks
    from .carried_over import check_carried_over
    from .run import previous_reports
    from .punctuation import check_punctuation, find_halfwidth, fix_punctuation, PunctFix
