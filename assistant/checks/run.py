"""All checks in one call: figures, citations and outline, as plain functions of the text.

The CLI `check` command, the web app and the drafting loop all call `run_checks`.
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
from .outline_check import check_outline

ALL_CHECKS = ("figures", "citations", "outline")


@dataclass
class CheckContext:
    inputs: Inputs | None = None
    registry: Registry | None = None
    outline: Outline | None = None
    texts: TextLookup | None = None  # regulation texts from the knowledge base
    year: int | None = None


def run_checks(text: str, ctx: CheckContext, only: tuple[str, ...] = ALL_CHECKS, scope: str = "auto") -> list[Finding]:
    from ..outline import load_outline

    outline = ctx.outline or load_outline()
    tree = parse_report(text, outline.classify_heading)
    year = ctx.year or (ctx.inputs.report.year if ctx.inputs else None) or tree.year
    findings: list[Finding] = []
    if "figures" in only:
        findings += check_figures(text, ctx.inputs, tree)
    if "citations" in only and ctx.registry is not None:
        findings += check_citations(text, ctx.registry, year, ctx.texts)
    if "outline" in only:
        findings += check_outline(text, outline, tree, scope=scope, year=year)
    return sort_findings(findings)


def workspace_context(ws, inputs: Inputs | None = None, year: int | None = None) -> CheckContext:
    """The check context of a workspace: its registry, outline and knowledge-base texts."""
    def texts(title: str, version: str | None):
        try:
            return ws.kb.regulation(title, version)
        except Exception:  # noqa: BLE001 - a knowledge base that cannot open must not stop the checks
            return None

    return CheckContext(inputs=inputs, registry=ws.registry, outline=ws.outline, texts=texts, year=year)
