"""One line per checked report, for review season: errors, warnings, notes, the parts missing and
the citations that could not be verified. The CLI's table, the web app's 审阅 table and the Excel
export all show these columns."""

from __future__ import annotations

from dataclasses import dataclass, field

from .findings import Finding

SUMMARY_HEADERS = ["报告", "输入数据", "错误", "警告", "提示", "缺少的部分", "无法核对的引用", "说明"]


@dataclass
class ReportSummary:
    name: str
    inputs: str = ""  # the inputs file used ("" = none: review mode)
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    missing_parts: list[str] = field(default_factory=list)  # the outline's part keys: 二, 三…
    unverified: int = 0  # citations that could not be verified (not in the registry)
    problem: str = ""  # why the report could not be checked (unreadable file, bad inputs)

    @property
    def row(self) -> list:
        return [self.name, self.inputs or "（无）", self.errors, self.warnings, self.infos,
                "、".join(self.missing_parts) or "—", self.unverified, self.problem]

    def to_dict(self) -> dict:
        return {"report": self.name, "inputs": self.inputs or None, "errors": self.errors, "warnings": self.warnings,
                "infos": self.infos, "missing_parts": self.missing_parts, "unverified_citations": self.unverified,
                **({"problem": self.problem} if self.problem else {})}


def summarize(name: str, findings: list[Finding], inputs: str = "", problem: str = "") -> ReportSummary:
    out = ReportSummary(name, inputs, problem=problem)
    for f in findings:
        if f.severity == "error":
            out.errors += 1
        elif f.severity == "warning":
            out.warnings += 1
        else:
            out.infos += 1
        if f.kind == "outline_missing_part" and f.severity == "error":
            out.missing_parts.append(_part_key(f))
        if f.kind == "citation_unverified":
            out.unverified += 1
    return out


def _part_key(f: Finding) -> str:
    """'补写“三、…”部分' → 三 (the part the finding says is missing)."""
    suggestion = f.suggestion or ""
    at = suggestion.find("“")
    if at >= 0 and len(suggestion) > at + 1:
        return suggestion[at + 1]
    return f.expected or "?"


def format_table(rows: list[ReportSummary]) -> str:
    """A plain-text table (CJK characters count as two columns), then the totals."""
    table = [SUMMARY_HEADERS[:-1]] + [[str(x) for x in r.row[:-1]] for r in rows]
    widths = [max(_width(row[c]) for row in table) for c in range(len(table[0]))]
    lines = []
    for k, row in enumerate(table):
        lines.append("  ".join(cell + " " * (widths[c] - _width(cell)) for c, cell in enumerate(row)).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        if r.problem:
            lines.append(f"！{r.name}：{r.problem}")
    total = (sum(r.errors for r in rows), sum(r.warnings for r in rows), sum(r.infos for r in rows))
    lines.append(f"共 {len(rows)} 份报告：{total[0]} 个错误、{total[1]} 个警告、{total[2]} 个提示"
                 f"；{sum(1 for r in rows if r.errors)} 份有错误，{sum(1 for r in rows if r.problem)} 份无法检查。")
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
