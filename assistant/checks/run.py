"""All checks in one call: figures, citations and outline, as plain functions of the text.

The CLI `check` command, the web app and the drafting loop all call `run_checks`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..inputs import Inputs, year_mismatches
from ..outline import Outline
from ..registry import Registry
from ..report_tree import ReportTree, parse_report
from .citations.check import TextLookup, check_citations
from .figures import check_figures
from .findings import Finding, sort_findings
from .outline_check import check_outline

ALL_CHECKS = ("figures", "citations", "outline")


@dataclass
class CheckContext:
    inputs: Inputs | None = None
    registry: Registry | None = None
    outline: Outline | None = None
    texts: TextLookup | None = None  # regulation texts from the knowledge base
    year: int | None = None  # the report's year, when the caller knows it (the open report, --year)
    previous: str | None = None  # last year's report, when the caller follows one (drafting)
    section: str | None = None  # the place a single section was written for (一/(六)), when known


def run_checks(text: str, ctx: CheckContext, only: tuple[str, ...] = ALL_CHECKS, scope: str = "auto") -> list[Finding]:
    from ..outline import load_outline

    outline = ctx.outline or load_outline()
    tree = parse_report(text, outline.classify_heading)
    year = ctx.year or (ctx.inputs.report.year if ctx.inputs else None) or tree.year
    findings: list[Finding] = []
    if ctx.inputs is not None:
        findings += wrong_year(text, tree, ctx.inputs, ctx.year)
    if "figures" in only:
        findings += check_figures(text, ctx.inputs, tree)
    if "citations" in only and ctx.registry is not None:
        findings += check_citations(text, ctx.registry, year, ctx.texts)
    if "outline" in only:
        findings += check_outline(text, outline, tree, scope=scope, year=year, previous=ctx.previous,
                                  target=ctx.section)
    return sort_findings(findings)


def wrong_year(text: str, tree: ReportTree, inputs: Inputs, year: int | None) -> list[Finding]:
    """Inputs of another year than the report's text (or the year given): an error naming both,
    at the title (or the first mention of the text's year)."""
    out = []
    for mismatch in year_mismatches(inputs.report.year, text_year=_stated_year(tree), report_year=year):
        first_line = text.find("\n")
        start, end = tree.title_span or (0, first_line if first_line > 0 else len(text))
        if tree.title_span is None and mismatch.other == "报告正文":
            at = text.find(f"{mismatch.other_year}年")
            start, end = (at, at + 5) if at >= 0 else (start, end)
        out.append(Finding("inputs_wrong_year", "error", start, end, text[start:end], mismatch.zh,
                           expected=f"{mismatch.other_year}年的输入数据", found=f"{mismatch.inputs_year}年的输入数据",
                           suggestion=f"换用{mismatch.other_year}年的输入数据",
                           details={"inputs_year": mismatch.inputs_year, "year": mismatch.other_year}))
    return out


def workspace_context(ws, inputs: Inputs | None = None, year: int | None = None,
                      texts: TextLookup | None = None) -> CheckContext:
    """The check context of a workspace: its registry, outline and knowledge-base texts. A batch
    of checks passes one `texts` (ws.regulation_texts()) to every context, so that the texts are
    listed and parsed once for all of them."""
    if texts is None:
        texts = ws.regulation_texts()
    return CheckContext(inputs=inputs, registry=ws.registry, outline=ws.outline, texts=texts, year=year)


def _stated_year(tree: ReportTree) -> int | None:
    """The year the report says it is of: in its title or its opening, before the first part. A
    part alone ("四、2025年推进法治政府建设的主要安排") states no report year (its 2025 is the next)."""
    import re

    from ..report_tree import ASIDE

    for words in (tree.title or "", tree.preamble[:600]):
        m = re.search(r"(?<!\d)(20\d{2}|19\d{2})年", ASIDE.sub(" ", words))
        if m:
            return int(m.group(1))
    return None
