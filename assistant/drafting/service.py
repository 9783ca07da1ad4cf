"""Drafting against the fixed outline, with or without an LLM, and the check-and-repair loop.

- Offline (no LLM configured, or asked for): `OfflineDrafter` (year-over-year update of the
  region's previous report, or composition from the inputs). Never a figure error.
- With an LLM: each part is drafted from a prompt file (prompts/draft_section.j2) carrying the
  part's place in the outline and what it must contain, this year's figures and notes for it,
  style examples from previous reports (retrieved from the knowledge base, marked as examples
  whose figures are not this year's) and relevant regulation articles. Every draft then goes
  through the figure, citation and outline checks; the findings are fed back for at most N
  repair rounds, and whatever is still wrong is returned with the draft, never hidden.
Each draft carries its sources: the report sections and articles that were used.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from ..checks import Finding, run_checks, workspace_context
from ..errors import AssistantError, LLMError
from ..inputs import NOTE_KINDS, Inputs
from ..outline import Part
from ..report_tree import display_token, parse_report, split_path
from .offline import OfflineDrafter, chinese_date
from .prompts import render

REPAIRABLE = {"figure_mismatch", "figure_derived_mismatch", "figure_unsupported", "citation_unknown",
              "citation_outdated", "citation_article_missing", "citation_quote_mismatch", "outline_numbering",
              "outline_part_content"}


@dataclass
class Source:
    kind: str  # report | regulation
    title: str
    where: str  # heading path or article
    text: str
    doc_id: str | None = None

    @property
    def label(self) -> str:
        return f"《{self.title}》{self.where}" if self.kind == "regulation" else f"{self.title} {self.where}"


@dataclass
class Draft:
    section: str  # all | 一 | 一/(六)
    text: str
    mode: str  # offline | llm
    findings: list[Finding] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what happened, for the user
    rounds: int = 0  # repair rounds used
    truncated: bool = False

    def to_dict(self) -> dict:
        data = asdict(self)
        data["findings"] = [f.to_dict() for f in self.findings]
        return data


class DraftingService:
    def __init__(self, ws, inputs: Inputs) -> None:
        self.ws = ws
        self.inputs = inputs
        self.outline = ws.outline
        self.year = inputs.report.year
        self.region = inputs.report.region

    # -- the previous report ----------------------------------------------------------------------
    def previous_report(self, ref: str | None = None) -> dict | None:
        """The region's latest report in the knowledge base with a year not after this one
        (last year's first); `ref` picks one by id or title."""
        try:
            if ref:
                return self.ws.kb.resolve_doc(ref)
            reports = [d for d in self.ws.kb.documents("report") if not self.region or d["region"] == self.region]
        except AssistantError:
            return None
        if self.year:
            earlier = [d for d in reports if d["year"] and d["year"] < self.year]
            same = [d for d in reports if d["year"] == self.year]
            reports = sorted(earlier, key=lambda d: d["year"], reverse=True) or same
        return reports[0] if reports else None

    # -- drafting ---------------------------------------------------------------------------------
    def draft(self, section: str = "all", offline: bool | None = None, on_token=None, on_status=None,
              previous: str | None = None) -> Draft:
        llm = None if offline else self.ws.llm
        if offline is False and llm is None:
            raise AssistantError("没有配置大模型，无法在线起草。", "No LLM is configured.",
                                 "设置 OPENAI_BASE_URL 和 ASSISTANT_LLM_MODEL，或使用离线起草。",
                                 "Set OPENAI_BASE_URL and ASSISTANT_LLM_MODEL, or draft offline.")
        prev = self.previous_report(previous)
        if llm is None:
            return self._offline(section, prev)
        return self._with_llm(section, prev, llm, on_token, on_status)

    def _offline(self, section: str, prev: dict | None) -> Draft:
        drafter = OfflineDrafter(self.inputs, self.outline, prev["text"] if prev else None)
        result = drafter.whole() if section == "all" else drafter.section(section)
        notes = []
        if prev and (result.updated or result.stale):
            notes.append(f"参照往年报告《{prev['title']}》更新：{result.updated} 处数字已换成本年度数据"
                         + (f"，{result.stale} 处没有对应指标，已标“〔待更新〕”" if result.stale else ""))
        elif not prev:
            notes.append("知识库中没有本地区往年报告，按提纲和输入数据组织成文。")
        if result.composed:
            notes.append("以下部分按本年度素材组织：" + "、".join(f"第{k}部分" for k in result.composed))
        if result.corrected:
            notes.append(f"最后核对时更正了 {result.corrected} 处数字。")
        sources = []
        if prev:
            sources.append(Source("report", prev["title"], "全文" if section == "all" else section,
                                  prev["text"][:300], prev["doc_id"]))
        draft = Draft(section, result.text, "offline", sources=sources, notes=notes)
        draft.findings = self.check(draft.text, "report" if section == "all" else "section")
        return draft

    def _with_llm(self, section: str, prev: dict | None, llm, on_token, on_status) -> Draft:
        targets = [p.key for p in self.outline.parts if p.required] if section == "all" else [section]
        pieces: list[str] = []
        draft = Draft(section, "", "llm")
        for target in targets:
            if on_status:
                on_status(f"正在起草“{self._heading_for(target)}”……")
            part_draft = self._llm_section(target, prev, llm, on_token, on_status)
            pieces.append(part_draft.text)
            draft.sources += part_draft.sources
            draft.notes += part_draft.notes
            draft.rounds += part_draft.rounds
            draft.truncated |= part_draft.truncated
        if section == "all":
            offline = OfflineDrafter(self.inputs, self.outline, prev["text"] if prev else None)
            head = [offline.title()]
            recipient = self.inputs.report.recipient
            if recipient:
                head.append(f"{recipient}：")
            head.append(offline.outline.intro_for(self.region, self.year))
            draft.text = "\n".join(head + pieces + offline.signoff())
        else:
            draft.text = "\n".join(pieces)
        draft.findings = self.check(draft.text, "report" if section == "all" else "section")
        return draft

    def _llm_section(self, target: str, prev: dict | None, llm, on_token, on_status) -> Draft:
        tokens = split_path(target)
        part = self.outline.part_by_key(tokens[0])
        if part is None:
            raise AssistantError(f"提纲中没有“{target}”这一部分。", f"No section '{target}' in the outline.",
                                 "部分写作 一、二、三、四，或 一/(六) 这样的小节。", "Use 一..四 or a subsection like 一/(六).")
        heading = self._heading_for(target)
        level = len(tokens)
        figures = self._figures_for(target)
        notes = self._notes_for(target)
        examples = self._examples(part, heading, notes)
        articles = self._articles(heading, notes)
        system = render("system.j2", region=self.region, basis=self.outline.basis)
        user = render("draft_section.j2", year=self.year or "本", heading=heading, part=part, level=level,
                      subsection=heading if level > 1 else None,
                      length_min=part.length.min if level == 1 else 200, length_max=part.length.max if level == 1 else 1500,
                      figures=figures, notes=notes, examples=examples, articles=articles)
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        result = llm.complete(messages, on_token=on_token, on_status=on_status)
        text = ensure_heading(result.text, heading)
        draft = Draft(target, text, "llm", truncated=result.truncated, notes=list(result.notes),
                      sources=[Source(e["kind"], e["title"], e["where"], e["text"], e.get("doc_id"))
                               for e in examples + articles])
        return self._repair(draft, llm, messages, figures, on_token, on_status)

    def _repair(self, draft: Draft, llm, messages, figures, on_token, on_status) -> Draft:
        rounds = self.ws.settings.assistant_repair_rounds
        for n in range(rounds + 1):
            findings = [f for f in self.check(draft.text, "section") if f.kind in REPAIRABLE]
            draft.findings = findings
            if not findings or n == rounds:
                break
            if on_status:
                on_status(f"检查发现 {len(findings)} 处问题，正在第{n + 1}次修改……")
            prompt = render("repair.j2", findings=findings, figures=figures, draft=draft.text)
            try:
                result = llm.complete(messages[:1] + [{"role": "user", "content": prompt}], on_token=on_token,
                                      on_status=on_status)
            except LLMError as exc:
                draft.notes.append(f"自动修改未完成：{exc.zh}")
                break
            draft.text = ensure_heading(result.text, draft.text.split("\n", 1)[0])
            draft.rounds += 1
            draft.truncated |= result.truncated
            draft.notes += result.notes
        if draft.findings:
            draft.notes.append(f"仍有 {len(draft.findings)} 处问题未解决，已在检查结果中列出，请人工核对。")
        return draft

    # -- revision -----------------------------------------------------------------------------------
    def revise(self, section: str, text: str, instruction: str, on_token=None, on_status=None) -> Draft:
        """An instruction (精简一些, 语气更正式…) applied by the LLM to one section's text."""
        llm = self.ws.llm
        if llm is None:
            raise AssistantError("按要求改写需要大模型；当前没有配置，可直接在文本框中手工修改。",
                                 "Revising by instruction needs an LLM; edit the text by hand instead.",
                                 "设置 OPENAI_BASE_URL 和 ASSISTANT_LLM_MODEL。", "Set OPENAI_BASE_URL and ASSISTANT_LLM_MODEL.")
        tokens = split_path(section)
        part = self.outline.part_by_key(tokens[0]) if tokens else None
        first_line = text.strip().split("\n", 1)[0]
        examples = self._examples(part, first_line, []) if part else []
        system = render("system.j2", region=self.region, basis=self.outline.basis)
        user = render("revise.j2", instruction=instruction, heading_token=first_line[:4], text=text,
                      figures=self._figures_for(section), examples=examples)
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        result = llm.complete(messages, on_token=on_token, on_status=on_status)
        draft = Draft(section, ensure_heading(result.text, first_line), "llm", truncated=result.truncated,
                      notes=list(result.notes))
        return self._repair(draft, llm, messages, self._figures_for(section), on_token, on_status)

    # -- helpers ------------------------------------------------------------------------------------
    def check(self, text: str, scope: str = "auto") -> list[Finding]:
        return run_checks(text, workspace_context(self.ws, self.inputs, self.year), scope=scope)

    def _heading_for(self, target: str) -> str:
        tokens = split_path(target)
        part = self.outline.part_by_key(tokens[0])
        if len(tokens) == 1 and part:
            return f"{display_token(1, part.key)}{part.heading_for(self.year)}"
        notes = self.inputs.notes_for("/".join(tokens))
        title = next((n.title for n in notes if n.title), None)
        if title is None and len(tokens) == 2:
            prev = self.previous_report()
            node = parse_report(prev["text"], self.outline.classify_heading).find(target) if prev else None
            title = node.title if node else "〔待补：小标题〕"
        return f"{display_token(len(tokens), tokens[-1])}{title}"

    def _figures_for(self, target: str) -> list[dict]:
        prefix = "/".join(split_path(target))
        key = split_path(target)[0] if target else ""
        out = []
        for fig in self.inputs.figures:
            sec = "/".join(split_path(fig.section)) if fig.section else ""
            if sec == prefix or sec.startswith(prefix + "/") or (not sec and key == "一"):
                out.append({"id": fig.id, "label": fig.label, "display": self.inputs.display(fig.id), "note": fig.basis})
        return out

    def _notes_for(self, target: str) -> list[dict]:
        prefix = "/".join(split_path(target))
        return [{"title": n.title, "text": n.text, "kind": n.kind, "kind_zh": NOTE_KINDS.get(n.kind, n.kind)}
                for n in self.inputs.notes if "/".join(split_path(n.section)) == prefix
                or "/".join(split_path(n.section)).startswith(prefix + "/")]

    def _examples(self, part: Part, heading: str, notes: list[dict]) -> list[dict]:
        query = heading + " " + " ".join(n["title"] or "" for n in notes)[:200]
        try:
            hits = self.ws.kb.search(query, k=3, kind="report", part=part.number, region=self.region) or \
                self.ws.kb.search(query, k=3, kind="report", part=part.number)
        except AssistantError:
            return []
        return [{"kind": "report", "title": h.title, "where": h.section_title or h.heading or "", "text": h.text,
                 "doc_id": h.doc_id, "label": f"{h.title} {h.section_title or ''}"} for h in hits]

    def _articles(self, heading: str, notes: list[dict]) -> list[dict]:
        query = heading + " " + " ".join((n["text"] or "")[:60] for n in notes)[:300]
        try:
            hits = self.ws.kb.search(query, k=3, kind="regulation")
        except AssistantError:
            return []
        return [{"kind": "regulation", "title": h.title, "where": h.article or h.heading or "", "text": h.text,
                 "doc_id": h.doc_id, "label": f"《{h.title}》{h.article or ''}"} for h in hits]


_FENCE = re.compile(r"^```[a-z]*\s*$|^```\s*$", re.M)


def ensure_heading(text: str, heading: str) -> str:
    """Keep the model's answer in the outline: drop code fences and chatter before the heading,
    and put the expected heading first when the model left it out."""
    text = _FENCE.sub("", text).strip()
    token = re.match(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、])", heading)
    lines = text.split("\n")
    if token:
        mark = token.group(1)
        variants = {mark, mark.replace("（", "(").replace("）", ")"), mark.replace("(", "（").replace(")", "）")}
        for i, line in enumerate(lines[:4]):
            clean = line.strip().lstrip("#* ").strip()
            if any(clean.startswith(v) for v in variants):
                lines[i] = clean.rstrip("*")
                return "\n".join(lines[i:]).strip()
    # chatter such as "好的，以下是……：" before the text
    while lines and re.search(r"(以下是|如下|好的|当然)", lines[0]) and len(lines[0]) < 40:
        lines.pop(0)
    return heading + "\n" + "\n".join(lines).strip()


def write_draft(text: str, path, inputs: Inputs | None = None) -> None:
    from pathlib import Path

    path = Path(path)
    if path.suffix.lower() == ".docx":
        from ..export import export_docx

        export_docx(text, path)
    else:
        from ..export import export_markdown

        path.write_text(export_markdown(text) if path.suffix.lower() == ".md" else text, encoding="utf-8")


__all__ = ["Draft", "DraftingService", "Source", "chinese_date", "ensure_heading", "write_draft"]
