"""Inputs of the wrong year: this year's figures must be the report's year's. A 2025 report checked
or drafted with the 2023 inputs would state 2023's figures as 2025's, so every place that puts
inputs and a report together asks `year_mismatches` first: `run_checks` (the report's text and
the year given), the web app (the open report), `draft` (the previous report it follows).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputsError
from .model import Problem


@dataclass
class YearMismatch:
    """The inputs' year against another year that should be the same (or, for a previous report,
    earlier)."""
    inputs_year: int
    other_year: int
    other: str  # what the other year is the year of, in Chinese: 报告 (the one worked on), 报告正文, 参照的往年报告
    severity: str = "error"  # error | warning

    @property
    def zh(self) -> str:
        if self.other == "参照的往年报告":
            if self.other_year == self.inputs_year:
                return (f"参照的往年报告也是{self.other_year}年的，与输入数据同一年度：如果要起草"
                        f"{self.inputs_year + 1}年的报告，请换用{self.inputs_year + 1}年的输入数据。")
            return (f"输入数据是{self.inputs_year}年的，参照的往年报告却是{self.other_year}年的："
                    f"输入数据比参照的报告还早，请换用本年度的输入数据。")
        return (f"输入数据是{self.inputs_year}年的，而{self.other}是{self.other_year}年的：用别的年度的数据核对或起草，"
                f"会把{self.inputs_year}年的数字当成{self.other_year}年的。请换用{self.other_year}年的输入数据"
                f"（如果是{self.other}沿用了往年的年份，则改正{self.other}）。")

    @property
    def en(self) -> str:
        what = {"报告正文": "the report's text", "报告": "the report",
                "参照的往年报告": "the previous report used"}.get(self.other, self.other)
        if self.other == "参照的往年报告" and self.other_year == self.inputs_year:
            return f"The previous report used is of {self.other_year}, the same year as the inputs."
        return f"The inputs are of {self.inputs_year} but {what} is of {self.other_year}."


def year_mismatches(inputs_year: int | None, *, text_year: int | None = None, report_year: int | None = None,
                    previous_year: int | None = None) -> list[YearMismatch]:
    """Every year that does not go with the inputs' year: the report's text (`text_year`) or the
    report being worked on (`report_year`) of another year is an error; a previous report to follow
    that is newer than the inputs is an error, one of the same year a warning."""
    if not inputs_year:
        return []
    out = []
    if report_year and report_year != inputs_year:
        out.append(YearMismatch(inputs_year, report_year, "报告"))
    if text_year and text_year != inputs_year and text_year != report_year:
        out.append(YearMismatch(inputs_year, text_year, "报告正文"))
    if previous_year and previous_year >= inputs_year:
        out.append(YearMismatch(inputs_year, previous_year, "参照的往年报告",
                                "error" if previous_year > inputs_year else "warning"))
    return out


def ensure_inputs_year(inputs, *, report_year: int | None = None, previous: dict | None = None) -> list[str]:
    """For commands that draft: raise InputsError when the inputs are of another year than the
    report (or older than the previous report followed); return the warnings to show."""
    found = year_mismatches(inputs.report.year, report_year=report_year,
                            previous_year=(previous or {}).get("year"))
    errors = [m for m in found if m.severity == "error"]
    if errors:
        raise InputsError(errors[0].zh, errors[0].en,
                          problems=[Problem("输入数据 report.year", m.zh, m.en) for m in errors])
    return [m.zh for m in found]


def sample_for_year(folder: Path, year: int | None) -> Path | None:
    """The sample inputs file in `folder` whose report year is `year` (corpus/inputs/*.yaml)."""
    import yaml

    for path in sorted(folder.glob("*.y*ml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        if str((data.get("report") or {}).get("year", "")).strip() == str(year):
            return path
    return None


def sample_years(folder: Path) -> list[int]:
    """The report years of the sample inputs in `folder`."""
    import yaml

    years = []
    for path in sorted(folder.glob("*.y*ml")):
        try:
            year = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("report", {}).get("year")
        except (OSError, yaml.YAMLError, AttributeError):
            continue
        if isinstance(year, int):
            years.append(year)
    return sorted(set(years))
