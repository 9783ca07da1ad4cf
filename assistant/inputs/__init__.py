"""The inputs: this year's statistics (figures) and work notes, read from YAML or Excel and
validated (every problem at once, each with its place); `years` tells inputs of another year."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

_NAMES = {
    "Inputs": ".model",
    "Figure": ".model",
    "Note": ".model",
    "ReportInfo": ".model",
    "Problem": ".model",
    "NOTE_KINDS": ".model",
    "NOTE_KIND_BY_ZH": ".model",
    "format_number": ".model",
    "tidy_text": ".model",
    "load_inputs": ".files",
    "load_inputs_text": ".files",
    "write_template": ".excel",
    "read_xlsx": ".excel",
    "validate": ".validation",
    "Formula": ".formulas",
    "FormulaError": ".formulas",
    "YearMismatch": ".years",
    "year_mismatches": ".years",
    "ensure_inputs_year": ".years",
    "sample_for_year": ".years",
    "sample_years": ".years",
    "parse_approx": ".model",
    "with_approx": ".model",
}
__all__ = list(_NAMES)
__getattr__, __dir__ = lazy_names(__name__, _NAMES)

if TYPE_CHECKING:
    from .model import Inputs, Figure, Note, ReportInfo, Problem, NOTE_KINDS, NOTE_KIND_BY_ZH, format_number, tidy_text
    from .files import load_inputs, load_inputs_text
    from .excel import write_template, read_xlsx
    from .validation import validate
    from .formulas import Formula, FormulaError
    from .years import YearMismatch, year_mismatches, ensure_inputs_year, sample_for_year, sample_years
    from .model import parse_approx, with_approx
