"""A report as the web app stores it: sections "head" (title, recipient, opening paragraph), the
parts of the outline ("一" … "四", "五" when present) and "tail" (the sign-off); splitting a whole
text into them and putting a drafted subsection back into its part."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..checks import Finding
from ..report_tree import parse_report, split_path
from .store import Version

HEAD, TAIL = "head", "tail"
SECTION_NAMES = {HEAD: "标题与开头", TAIL: "落款"}


@dataclass
class SectionView:
    key: str
    label: str  # "一、主要举措和成效"
    status: str  # empty | drafted | errors | marked (marks left to clear) | warnings | checked
    version: Version | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def status_zh(self) -> str:
        return {"empty": "未起草", "drafted": "已起草", "errors": "有错误", "marked": "有标记待处理",
                "warnings": "有警告", "checked": "已检查"}[self.status]


def split_sections(text: str, outline) -> dict[str, str]:
    """A whole report's text → {"head": …, "一": …, …, "tail": …}."""
    tree = parse_report(text, outline.classify_heading)
    out: dict[str, str] = {}
    head = text[:tree.preamble_end].strip("\n")
    if head:
        out[HEAD] = head
    for section in tree.sections:
        part = outline.part(section.part) if section.part else None
        key = part.key if part else section.token
        out[key] = text[section.line_start:section.end].strip("\n")
    if tree.signoff:
        out[TAIL] = text[tree.signoff.start:tree.signoff.end].strip("\n")
    return out


def splice(part_text: str, path: str, new_text: str, outline, service=None) -> str:
    """Put a drafted subsection into its part: replace the subsection with the same path, or
    append it (with the part's heading first when the part is empty)."""
    if not part_text.strip():
        key = split_path(path)[0]
        heading = service._heading_for(key) if service else key + "、"
        return heading + "\n" + new_text.strip("\n")
    tree = parse_report(part_text, outline.classify_heading)
    node = tree.find(path)
    if node is None:
        return part_text.rstrip("\n") + "\n" + new_text.strip("\n")
    return part_text[:node.line_start] + new_text.strip("\n") + "\n" + part_text[node.end:].lstrip("\n")
