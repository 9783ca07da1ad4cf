"""Findings: what every check reports, in one shape for the CLI, the web app and the drafting loop.

`start`/`end` are character offsets into the checked text (Python str indices, end exclusive);
`text` is the text at that span. `message` is Chinese; `suggestion` says what to write instead.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
KIND_ZH = {
    "figure_mismatch": "数字与统计不符",
    "figure_derived_mismatch": "推算数不符",
    "figure_unsupported": "数字无来源",
    "citation_unknown": "文件名称有误",
    "citation_outdated": "文件已失效或已修改",
    "citation_article_missing": "条文不存在",
    "citation_quote_mismatch": "引文与原文不符",
    "citation_unverified": "无法核对的文件",
    "citation_status_disputed": "效力状态存疑",
    "citation_number_mismatch": "文号有误",
    "citation_number_unverified": "文号无法核对",
    "citation_quote_unchecked": "引文无法核对",
    "outline_missing_part": "缺少必备部分",
    "outline_order": "部分顺序不对",
    "outline_numbering": "序号跳号或重复",
    "outline_part_content": "部分内容不全",
    "outline_subsection": "第一部分的方面",
    "inputs_wrong_year": "输入数据年度不符",
    "year_mismatch": "年份与报告年度不符",
    "draft_mark": "待处理的标记",
    "draft_replaced": "已自动更正",
    "carried_over": "与上年报告相同",
    "punctuation_halfwidth": "半角标点",
}


@dataclass
class Finding:
    kind: str
    severity: str  # error | warning | info
    start: int
    end: int
    text: str
    message: str
    figure_id: str | None = None
    expected: str | None = None
    found: str | None = None
    suggestion: str | None = None
    details: dict = field(default_factory=dict)  # extra facts (citation title, status, diff…)

    def to_dict(self) -> dict:
        data = {k: v for k, v in asdict(self).items() if v not in (None, {}, "")}
        data.setdefault("text", self.text)
        return data

    @property
    def kind_zh(self) -> str:
        return KIND_ZH.get(self.kind, self.kind)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.start, SEVERITY_ORDER.get(f.severity, 3), f.kind))


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def format_text(findings: list[Finding], text: str, name: str = "") -> str:
    """One finding per line, `file:line:col: 严重程度 kind 「text」 message → suggestion`."""
    lines = []
    for f in findings:
        line, col = line_col(text, f.start)
        where = f"{name}:{line}:{col}" if name else f"{line}:{col}"
        suggestion = f" → {f.suggestion}" if f.suggestion else ""
        lines.append(f"{where}: {SEVERITY_ZH.get(f.severity, f.severity)} [{f.kind}] 「{f.text}」 {f.message}{suggestion}")
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    lines.append(f"共 {counts['error']} 个错误、{counts['warning']} 个警告、{counts['info']} 个提示。")
    return "\n".join(lines)


def format_json(findings: list[Finding]) -> str:
    return json.dumps({"findings": [f.to_dict() for f in findings]}, ensure_ascii=False, indent=2)
