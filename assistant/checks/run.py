"""All checks in one call: figures, citations, outline and punctuation, as plain functions of the text.

The CLI `check` command, the web app and the drafting loop all call `run_checks`. Marks left in
the text (〔待核实：…〕, 〔未写完〕, 〔待补：…〕, 〔待更新〕, see `marks`) are findings of their own,
and the figure and citation checks read the text with the marks masked, so a mark's words are
never taken for a statistic or a citation.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..inputs import Inputs
from ..outline import Outline
from ..registry import Registry
from ..report_tree import parse_report
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
    year: int | None = None
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
    if "figures" in only:
        findings += _tagged_are_supported(check_figures(masked, ctx.inputs, tree), ctx)
        findings += check_report_year(masked, tree, year, ctx.inputs.report.region if ctx.inputs else None)
    if "citations" in only and ctx.registry is not None:
        findings += check_citations(masked, ctx.registry, year, ctx.texts)
    if masked is not text:
        for f in findings:  # a span that touches a mark shows the text as written
            f.text = text[f.start:f.end]
    if "outline" in only:
        findings += check_outline(text, outline, tree, scope=scope, year=year)
    if "punctuation" in only:  # proofreading notes (half-width marks in Chinese text)
        findings += check_punctuation(text)
    return sort_findings(findings)


def _tagged_are_supported(findings: list[Finding], ctx: CheckContext) -> list[Finding]:
    if not ctx.figure_spans or ctx.inputs is None:
        return findings
    spans = [(s, e, fid) for s, e, fid in ctx.figure_spans if ctx.inputs.figure(fid) is not None]
    return [f for f in findings if not (f.kind == "figure_unsupported"
                                        and any(s <= f.start < e or f.start <= s < f.end for s, e, _ in spans))]


def workspace_context(ws, inputs: Inputs | None = None, year: int | None = None,
                      figure_spans: list | None = None) -> CheckContext:
    """The check context of a workspace: its registry, outline and knowledge-base texts."""
    def texts(title: str, version: str | None):
        try:
            return ws.kb.regulation(title, version)
        except Exception:  # noqa: BLE001 - a knowledge base that cannot open must not stop the checks
            return None

    return CheckContext(inputs=inputs, registry=ws.registry, outline=ws.outline, texts=texts, year=year,
                        figure_spans=figure_spans)
