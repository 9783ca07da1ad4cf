"""Which parts of a draft still need a person, and why: the marks left in each part and the errors
the checks still report. Shared by the CLI (`draft`'s last lines and exit status) and the web app
(the chat's summary, the part list)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..checks import Finding
from ..report_tree import parse_report
from .guard import needs_mark, unmarked

_EN = {"待核实": "to verify", "未写完": "unfinished", "待补": "to fill in", "待更新": "to update"}


@dataclass
class PartAttention:
    key: str  # 一 … 四, "head", "tail", or "" for a text without parts
    label: str  # 第一部分（一、…）
    marks: dict[str, int] = field(default_factory=dict)  # mark kind → count
    errors: int = 0  # errors that carry no mark (structure, or not guarded)

    def zh(self) -> str:
        pieces = [f"{n} 处〔{kind}〕" for kind, n in self.marks.items()]
        if self.errors:
            pieces.append(f"{self.errors} 个错误")
        return f"{self.label}：" + "、".join(pieces)

    def en(self) -> str:
        pieces = [f"{n} {_EN.get(kind, kind)}" for kind, n in self.marks.items()]
        if self.errors:
            pieces.append(f"{self.errors} error{'s' if self.errors > 1 else ''}")
        where = f"part {self.key}" if self.key not in ("", "head", "tail") else {"head": "opening", "tail": "sign-off"}.get(
            self.key, "text")
        return f"{where}: " + ", ".join(pieces)


def parts_needing_attention(text: str, findings: list[Finding], outline=None) -> list[PartAttention]:
    """Per part, in order, what still needs a person: marks by kind and other errors."""
    tree = parse_report(text, outline.classify_heading if outline is not None else None)
    parts: dict[str, PartAttention] = {}

    def where(pos: int) -> PartAttention:
        key, label = "", "正文"
        for section in tree.sections:
            if section.line_start <= pos < section.end:
                key = section.token
                title = text[section.line_start:section.heading_end].strip()
                label = f"第{key}部分（{title[:24]}{'…' if len(title) > 24 else ''}）" if section.level == 1 else title[:24]
                break
        else:
            if tree.sections and pos < tree.sections[0].line_start:
                key, label = "head", "标题与开头"
            elif tree.signoff and pos >= tree.signoff.start:
                key, label = "tail", "落款"
        return parts.setdefault(key, PartAttention(key, label))

    left = {id(f) for f in unmarked(text, findings)}
    for f in sorted(findings, key=lambda f: f.start):
        if f.kind == "draft_mark":
            entry = where(f.start)
            kind = f.details.get("mark", "待核实")
            entry.marks[kind] = entry.marks.get(kind, 0) + 1
        elif f.severity == "error" and (not needs_mark(f) or id(f) in left):  # a marked error is counted by its mark
            where(f.start).errors += 1
    return list(parts.values())


def needs_attention(findings: list[Finding]) -> bool:
    """A mark in the text, or an error: the draft is not ready to hand over."""
    return any(f.kind == "draft_mark" or f.severity == "error" for f in findings)


def attention_text(items: list[PartAttention]) -> tuple[str, str]:
    """(Chinese, English) lines naming each part that needs attention."""
    if not items:
        return "", ""
    zh = "需要处理的部分：\n" + "\n".join(f"  {item.zh()}" for item in items)
    en = "Needs attention: " + "; ".join(item.en() for item in items)
    return zh, en
