"""All checks in one call: figures, citations, outline and punctuation, as plain functions of the text.

The CLI `check` command, the web app and the drafting loop all call `run_checks`. Marks left in
the text (〔待核实：…〕, 〔未写完〕, 〔待补：…〕, 〔待更新〕, see `marks`) are findings of their own,
and the figure and citation checks read the text with the marks masked, so a mark's words are
never taken for a statistic or a citation. With last year's report in the context (`previous`,
or the workspace's look-up in the knowledge base), sentences carried over from it word for word
are found too (`carried_over`, with the outline checks).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..inputs import Inputs, year_mismatches
from ..outline import Outline
from ..registry import Registry
from ..report_tree import ReportTree, parse_report
from .carried_over import check_carried_over
from .citations.check import TextLookup, check_citations
from .figures import check_figures
from .findings import Finding, sort_findings
from .marks import check_marks, mask_marks
from .outline_check import check_outline
from .punctuation import check_punctuation
from .report_year import check_report_year

ALL_CHECKS = ("figures", "citations", "outline", "punctuation")


@dataclass
class CheckContext:
    inputs: Inputs | None = None
    registry: Registry | None = None
    outline: Outline | None = None
    texts: TextLookup | None = None  # regulation texts from the knowledge base
    year: int | None = None  # the report's year, when the caller knows it (the open report, --year)
    previous: str | None = None  # last year's report, when the caller follows one (drafting)
    # a look-up of last year's report by (region, year of the checked report) → (text, title) or None,
    # for the comparison with last year's text (carried_over) when `previous` is not given; the
    # workspace's looks in the knowledge base
    previous_report: Callable[[str | None, int | None], tuple[str, str | None] | None] | None = None
    section: str | None = None  # the place a single section was written for (一/(六)), when known
    # (start, end, figure id) of numbers rendered from a figure's tag (drafting/figure_tags): such a
    # number is that figure by construction, so it is never "unsupported"
    figure_spans: list | None = None


def run_checks(text: str, ctx: CheckContext, only: tuple[str, ...] = ALL_CHECKS, scope: str = "auto") -> list[Finding]:
    from ..outline import load_outline

    outline = ctx.outline or load_outline()
    tree = parse_report(text, outline.classify_heading)
    year = ctx.year or (ctx.inputs.report.year if ctx.inputs else None) or tree.year
    findings: list[Finding] = check_marks(text)
    masked = mask_marks(text)
    wrong = wrong_year(text, tree, ctx.inputs, ctx.year) if ctx.inputs is not None else []
    findings += wrong
    if wrong and not ctx.year:  # inputs of another year are one finding: the text is read as of its own year
        year = stated_year(tree) or year
    if "figures" in only:
        findings += _tagged_are_supported(check_figures(masked, ctx.inputs, tree), ctx)
        findings += check_report_year(masked, tree, year, ctx.inputs.report.region if ctx.inputs else None)
    if "citations" in only and ctx.registry is not None:
        findings += check_citations(masked, ctx.registry, year, ctx.texts)
    if masked is not text:
        for f in findings:  # a span that touches a mark shows the text as written
            f.text = text[f.start:f.end]
    if "outline" in only:
        findings += check_outline(text, outline, tree, scope=scope, year=year, previous=ctx.previous,
                                  target=ctx.section)
        findings += _carried_over(masked, tree, ctx, outline, year)
    if "punctuation" in only:  # proofreading notes (half-width marks in Chinese text)
        findings += check_punctuation(text)
    return sort_findings(findings)


def _carried_over(masked: str, tree: ReportTree, ctx: CheckContext, outline: Outline, year: int | None) -> list[Finding]:
    """This report's sentences that stand word for word in last year's report (`ctx.previous`, else
    the look-up's for the report's region and year)."""
    previous, title = ctx.previous, None
    if previous is None and ctx.previous_report is not None and year:
        region = (ctx.inputs.report.region if ctx.inputs else None) or tree.region
        found = ctx.previous_report(region, year)
        if found:
            previous, title = found
    if not previous:
        return []
    return check_carried_over(masked, tree, previous, outline, year, has_inputs=ctx.inputs is not None,
                              previous_title=title)


def _tagged_are_supported(findings: list[Finding], ctx: CheckContext) -> list[Finding]:
    if not ctx.figure_spans or ctx.inputs is None:
        return findings
    spans = [(s, e, fid) for s, e, fid in ctx.figure_spans if ctx.inputs.figure(fid) is not None]
    return [f for f in findings if not (f.kind == "figure_unsupported"
                                        and any(s <= f.start < e or f.start <= s < f.end for s, e, _ in spans))]


def wrong_year(text: str, tree: ReportTree, inputs: Inputs, year: int | None) -> list[Finding]:
    """Inputs of another year than the report's text (or the year given): an error naming both,
    at the title (or the first mention of the text's year)."""
    out = []
    for mismatch in year_mismatches(inputs.report.year, text_year=stated_year(tree), report_year=year):
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


def stated_year(tree: ReportTree) -> int | None:
    """The year the report says it is of: in its title or its opening, before the first part. A
    part alone ("四、2025年推进法治政府建设的主要安排") states no report year (its 2025 is the next)."""
    import re

    from ..report_tree import ASIDE

    for words in (tree.title or "", tree.preamble[:600]):
        m = re.search(r"(?<!\d)(20\d{2}|19\d{2})年", ASIDE.sub(" ", words))
        if m:
            return int(m.group(1))
    return None


def workspace_context(ws, inputs: Inputs | None = None, year: int | None = None,
                      figure_spans: list | None = None, texts: TextLookup | None = None) -> CheckContext:
    """The check context of a workspace: its registry, outline, knowledge-base texts and last year's
    report. A batch of checks passes one `texts` (ws.regulation_texts()) to every context, so that
    the texts are listed and parsed once for all of them."""
    if texts is None:
        texts = ws.regulation_texts()
    return CheckContext(inputs=inputs, registry=ws.registry, outline=ws.outline, texts=texts, year=year,
                        figure_spans=figure_spans, previous_report=previous_reports(ws))


def previous_reports(ws) -> Callable[[str | None, int | None], tuple[str, str | None] | None]:
    """Last year's report of a region in the workspace's knowledge base: the region's latest report
    of an earlier year (None without a region, a year, or a knowledge base — one is never opened
    just for this: its modules alone take longer than a check). Kept on the workspace per
    catalog version, so a batch of checks or a drafting loop reads the catalog once."""
    cache = ws.__dict__.setdefault("_previous_reports", {})

    def lookup(region: str | None, year: int | None):
        if not region or not year:
            return None
        try:
            catalog = ws.catalog_for_checks()
            if catalog is None:
                return None
            key = (region, year, catalog.version)
            if key not in cache:
                earlier = [d for d in catalog.documents("report") if d["region"] == region and d["year"]
                           and d["year"] < year and d.get("text")]
                best = max(earlier, key=lambda d: d["year"], default=None)
                cache[key] = (best["text"], best["title"]) if best else None
            return cache[key]
        except Exception:  # noqa: BLE001 - a knowledge base that cannot open must not stop the checks
            return None

    return lookup
