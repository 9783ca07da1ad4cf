"""Drafting against the fixed outline, with or without an LLM, and the check-repair-guard loop.

- Offline (no LLM configured, or asked for): `OfflineDrafter` (year-over-year update of the
  region's previous report, or composition from the inputs). Never a figure error.
- With an LLM: each part is drafted from a prompt file (prompts/draft_section.j2) carrying the
  part's place in the outline, its structure and what it must contain, this year's figures for
  it by item (each with a tag 〔数N〕 the model writes instead of the number, its previous value
  and the change), the notes, style examples from previous reports with their figures and years
  masked, and relevant regulation articles. Part 一 is drafted subsection by subsection. Every
  answer is put back in shape (`cleanup`), its tags rendered (`figure_tags`), checked, and the
  findings fed back — each with its sentence, and a fix only where the checker is sure — for at
  most N repair rounds; a repair that is cut, much shorter, or the same as before ends the loop.
  Then the final guard (`guard`) replaces what is surely wrong and marks everything else that is
  still wrong, so nothing wrong is handed over unmarked; a part still cut is marked 〔未写完〕.
- A request that fails keeps what was received: the part so far, marked 〔未写完〕, and every part
  finished before it (`Draft.error` says what failed).
Each draft carries its sources, the span → figure id map of its rendered numbers, what the guard
replaced and marked, and how many LLM requests it took.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from ..checks import Finding, make_mark, run_checks, sort_findings, workspace_context
from ..errors import AssistantError, LLMError
from ..inputs import NOTE_KINDS, Inputs, format_number
from ..outline import Part
from ..report_tree import display_token, parse_report, split_path
from .cleanup import body_of, ensure_heading
from .figure_tags import Span, carry_spans, render_tags, shift_spans, tag_figures
from .guard import guard_until_clean, needs_mark, reason
from .offline import OfflineDrafter, chinese_date
from .prompts import mask_example, render

UNFINISHED = make_mark("未写完")
_STRUCTURE_ONLY = {"outline_missing_part", "outline_order"}  # nothing a part's text can repair
_SHORTER = 0.6  # a repair answer below this share of the draft's length is rejected


def repairable(f: Finding) -> bool:
    """A finding the model is asked to fix: an error or warning about the part's own text."""
    return f.severity in ("error", "warning") and f.kind != "draft_mark" and f.kind not in _STRUCTURE_ONLY


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
    part_notes: dict[str, list[str]] = field(default_factory=dict)  # the same, by part (一 … 四) of a whole draft
    rounds: int = 0  # repair rounds used
    truncated: bool = False  # some answer stayed cut (its place is marked 〔未写完〕)
    figure_spans: list[Span] = field(default_factory=list)  # (start, end, figure id) of rendered numbers
    replaced: list[dict] = field(default_factory=list)  # what the guard replaced (found → now)
    marked: list[dict] = field(default_factory=list)  # what the guard marked 〔待核实〕
    requests: int = 0  # LLM requests made (drafts, repairs, continuations, retries)
    error: dict | None = None  # {"zh", "en", "hint_zh", "part", "section"} when a request failed part-way
    cut: bool = field(default=False, repr=False)  # the current text is from an answer that stayed cut

    @property
    def incomplete(self) -> bool:
        return self.error is not None

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("cut", None)
        data["findings"] = [f.to_dict() for f in self.findings]
        return data


class _PartFailed(Exception):
    """A request failed inside a part; `draft` holds what was written of the part (or None)."""

    def __init__(self, error: LLMError, draft: "Draft | None", target: str) -> None:
        self.error, self.draft, self.target = error, draft, target
        super().__init__(error.zh)


@dataclass
class _Task:
    """What one request is about: for the prompt, the repair prompt and the answer's tags."""

    target: str
    heading: str
    part: Part
    figures: list[dict]
    tags: dict[str, str]
    notes: list[dict]


class DraftingService:
    def __init__(self, ws, inputs: Inputs) -> None:
        self.ws = ws
        self.inputs = inputs
        self.outline = ws.outline
        self.year = inputs.report.year
        self.region = inputs.report.region
        self._previous_text: str | None = None  # last year's report, once a draft has picked it

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
        self._previous_text = prev["text"] if prev else None  # the outline check compares part 一 with it
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
        draft.findings = self.check(draft.text, "report" if section == "all" else "section", section=section)
        return draft

    def _with_llm(self, section: str, prev: dict | None, llm, on_token, on_status) -> Draft:
        targets = [p.key for p in self.outline.parts if p.required] if section == "all" else [section]
        pieces: list[tuple[str, list[Span]]] = []
        draft = Draft(section, "", "llm")
        for target in targets:
            if on_status:
                on_status(f"正在起草“{self._heading_for(target)}”……")
            try:
                part = self._llm_target(target, prev, llm, on_token, on_status)
            except _PartFailed as failed:
                self._failure(draft, failed)
                if failed.draft is None and not pieces:
                    raise failed.error from None
                if failed.draft is not None:
                    self._absorb(draft, failed.draft, pieces)
                break
            self._absorb(draft, part, pieces)
        if section == "all":
            offline = OfflineDrafter(self.inputs, self.outline, prev["text"] if prev else None)
            head = [offline.title()]
            recipient = self.inputs.report.recipient
            if recipient:
                head.append(f"{recipient}：")
            head.append(offline.outline.intro_for(self.region, self.year))
            pieces = [(line, []) for line in head] + pieces + [(line, []) for line in offline.signoff()]
        draft.text, draft.figure_spans = _join(pieces)
        # the whole text once more: what only the whole shows is marked too (never replaced here)
        marked_before = len(draft.marked)
        guarded, findings = guard_until_clean(draft.text, lambda t, sp: self.check(t, "report" if section == "all" else "section", sp, section),
                                              draft.figure_spans, replace=False)
        if guarded.changed:
            draft.replaced = _moved(draft.replaced, guarded.edits)
            draft.marked = _moved(draft.marked, guarded.edits) + guarded.marked
            draft.text, draft.figure_spans = guarded.text, guarded.spans
        draft.findings = sort_findings(findings + _replaced_findings(draft.replaced))
        if len(draft.marked) > marked_before:
            draft.notes.append(f"通篇核对又标出 {len(draft.marked) - marked_before} 处〔待核实〕。")
        return draft

    def _absorb(self, draft: Draft, part: Draft, pieces: list) -> None:
        offset = sum(len(t) + 1 for t, _ in pieces) + _head_length(draft, self)
        pieces.append((part.text, part.figure_spans))
        draft.sources += part.sources
        draft.notes += part.notes
        key = split_path(part.section)[0]
        draft.part_notes[key] = draft.part_notes.get(key, []) + part.notes
        draft.rounds += part.rounds
        draft.requests += part.requests
        draft.truncated |= part.truncated
        draft.replaced += [_shift(r, offset) for r in part.replaced]
        draft.marked += [_shift(m, offset) for m in part.marked]

    def _failure(self, draft: Draft, failed: _PartFailed) -> None:
        exc = failed.error
        label = self._heading_for(failed.target)
        kept = "已收到的文字已保留，并在中断处标了〔未写完〕" if failed.draft is not None else "这一部分没有收到任何文字"
        draft.error = {"zh": exc.zh, "en": exc.en, "hint_zh": exc.hint_zh, "part": split_path(failed.target)[0],
                       "section": failed.target}
        draft.notes.append(f"起草“{label}”时出错：{exc.zh}{kept}；之后的部分没有起草。")

    def _llm_target(self, target: str, prev: dict | None, llm, on_token, on_status) -> Draft:
        """A part or a subsection. Part 一 is drafted subsection by subsection when its figures all
        belong to a subsection (one long answer is where models cut and wander)."""
        subsections = self._subsections(target, prev)
        if not subsections:
            return self._llm_section(target, prev, llm, on_token, on_status)
        heading = self._heading_for(target)
        whole = Draft(target, heading, "llm")
        pieces: list[tuple[str, list[Span]]] = [(heading, [])]
        for sub in subsections:
            if on_status:
                on_status(f"正在起草“{self._heading_for(sub)}”……")
            try:
                part = self._llm_section(sub, prev, llm, on_token, on_status)
            except _PartFailed as failed:
                if failed.draft is not None:
                    self._absorb_sub(whole, failed.draft, pieces)
                elif len(pieces) > 1:
                    pieces.append((UNFINISHED, []))  # the part stops here
                    whole.truncated = True
                whole.text, whole.figure_spans = _join(pieces)
                raise _PartFailed(failed.error, whole if failed.draft is not None or len(pieces) > 1 else None,
                                  sub) from None
            self._absorb_sub(whole, part, pieces)
        whole.text, whole.figure_spans = _join(pieces)
        return whole

    def _absorb_sub(self, whole: Draft, part: Draft, pieces: list) -> None:
        offset = sum(len(t) + 1 for t, _ in pieces)
        pieces.append((part.text, part.figure_spans))
        for name in ("sources", "notes"):
            getattr(whole, name).extend(getattr(part, name))
        whole.rounds += part.rounds
        whole.requests += part.requests
        whole.truncated |= part.truncated
        whole.replaced += [_shift(r, offset) for r in part.replaced]
        whole.marked += [_shift(m, offset) for m in part.marked]

    def _subsections(self, target: str, prev: dict | None) -> list[str]:
        tokens = split_path(target)
        if len(tokens) != 1 or tokens[0] != (self.outline.part(1).key if self.outline.part(1) else "一"):
            return []
        key = tokens[0]
        paths = {"/".join(split_path(n.section)[:2]) for n in self.inputs.notes if split_path(n.section)[:1] == [key]}
        paths |= {"/".join(split_path(f.section)[:2]) for f in self.inputs.figures
                  if f.section and split_path(f.section)[:1] == [key]}
        paths = {p for p in paths if len(split_path(p)) == 2}
        if not paths and prev:
            tree = parse_report(prev["text"], self.outline.classify_heading)
            node = tree.part(1)
            paths = {f"{key}/{c.token}" for c in (node.children if node else []) if c.level == 2}
        if len(paths) < 2:
            return []
        # every figure of the part must have a subsection, or one request must see them all
        for fig in self.inputs.figures:
            sec = split_path(fig.section or "")
            if not sec or (sec[0] == key and len(sec) < 2):
                return []
        from ..numerals import parse_number

        return sorted(paths, key=lambda p: parse_number(split_path(p)[1].strip("()")) or 0)

    def _task(self, target: str) -> _Task:
        tokens = split_path(target)
        part = self.outline.part_by_key(tokens[0]) if tokens else None
        if part is None:
            raise AssistantError(f"提纲中没有“{target}”这一部分。", f"No section '{target}' in the outline.",
                                 "部分写作 一、二、三、四，或 一/(六) 这样的小节。", "Use 一..四 or a subsection like 一/(六).")
        figures = self._figures_for(target)
        tags = tag_figures(figures)
        return _Task(target, self._heading_for(target), part, figures, tags, self._notes_for(target))

    def _system(self) -> str:
        return render("system.j2", region=self.region, basis=self.outline.basis, year=self.year or "本",
                      issuer=self.inputs.report.issuer, recipient=self.inputs.report.recipient)

    def _llm_section(self, target: str, prev: dict | None, llm, on_token, on_status) -> Draft:
        task = self._task(target)
        level = len(split_path(target))
        examples = self._examples(task.part, task.heading, task.notes)
        articles = self._articles(task.heading, task.notes)
        user = render("draft_section.j2", year=self.year or "本", heading=task.heading, part=task.part, level=level,
                      subsection=task.heading if level > 1 else None,
                      length_min=task.part.length.min if level == 1 else 200,
                      length_max=task.part.length.max if level == 1 else 1500,
                      structure=self._structure(target), items=self._items(target, task.figures),
                      notes=task.notes, examples=examples, articles=articles)
        messages = [{"role": "system", "content": self._system()}, {"role": "user", "content": user}]
        sources = [Source(e["kind"], e["title"], e["where"], e["source_text"], e.get("doc_id")) for e in examples + articles]
        try:
            result = llm.complete(messages, on_token=on_token, on_status=on_status)
        except LLMError as exc:
            partial = self._answer(exc.partial_text, task) if (exc.partial_text or "").strip() else None
            if partial is None:
                raise _PartFailed(exc, None, target) from None
            draft = Draft(target, partial[0], "llm", figure_spans=partial[1], sources=sources, truncated=True,
                          requests=getattr(exc, "requests", 1), cut=True)
            raise _PartFailed(exc, _labelled(self._finish(draft), task.heading), target) from None
        answer = self._answer(result.text, task)
        if answer is None:  # only chatter or the heading: ask once more before giving up
            if on_status:
                on_status("大模型的回答里没有正文，正在重试……")
            try:
                again = llm.complete(messages, on_token=on_token, on_status=on_status)
            except LLMError as exc:
                raise _PartFailed(exc, None, target) from None
            again.requests += result.requests
            result, answer = again, self._answer(again.text, task)
        if answer is None:
            raise _PartFailed(LLMError("大模型的回答里没有正文（只有客套话或标题）。",
                                       "The LLM's answer has no text (only chatter or the heading).",
                                       "重试一次；若一直如此，换一个模型或缩小起草范围。",
                                       "Retry; if it persists, use another model or draft a smaller part.",
                                       partial_text=result.text), None, target)
        text, spans = answer
        draft = Draft(target, text, "llm", truncated=result.truncated, notes=_llm_notes(result), sources=sources,
                      figure_spans=spans, requests=result.requests, cut=result.truncated)
        draft = self._repair(draft, llm, messages, task, on_token, on_status)
        return _labelled(self._finish(draft), task.heading)

    def _answer(self, raw: str, task: _Task, previous: tuple[str, list[Span]] | None = None):
        """The model's answer in shape with its tags rendered: (text, spans), or None when it has no
        body. `previous` (text, spans): spans of sentences the answer kept are carried over."""
        text = ensure_heading(raw, task.heading)
        if not body_of(text):
            return None
        rendered = render_tags(text, task.tags, self.inputs)
        spans = list(rendered.spans)
        if previous is not None:
            taken = carry_spans(previous[0], rendered.text, previous[1])
            spans = sorted(spans + [s for s in taken if not any(a < s[1] and s[0] < b for a, b, _ in spans)])
        return rendered.text, spans

    def _repair(self, draft: Draft, llm, messages, task: _Task, on_token, on_status) -> Draft:
        rounds = self.ws.settings.assistant_repair_rounds
        for n in range(rounds + 1):
            findings = self.check(draft.text, "section", draft.figure_spans, task.target)
            draft.findings = findings
            todo = [f for f in findings if repairable(f)]
            if not todo or n == rounds:
                break
            if on_status:
                on_status(f"检查发现 {len(todo)} 处问题，正在第{n + 1}次修改……")
            prompt = render("repair.j2", heading=task.heading, part_key=task.part.key, year=self.year,
                            findings=[_for_repair(f, draft.text) for f in todo], figures=task.figures,
                            notes=task.notes, draft=draft.text)
            try:
                result = llm.complete(messages[:1] + [{"role": "user", "content": prompt}], on_token=on_token,
                                      on_status=on_status)
            except LLMError as exc:
                draft.requests += getattr(exc, "requests", 1)
                draft.notes.append(f"自动修改未完成：{exc.zh}（保留修改前的稿子）")
                break
            draft.requests += result.requests
            answer = self._answer(result.text, task, (draft.text, draft.figure_spans))
            why = None
            if result.truncated:
                why = "修改稿被截断"
            elif answer is None or len(body_of(answer[0])) < _SHORTER * len(body_of(draft.text)):
                why = "修改稿比原稿短得多"
            elif answer[0] == draft.text:
                why = "修改稿与原稿相同，模型没有按要求修改"
            if why:
                draft.notes.append(f"第{n + 1}次自动修改未采用：{why}；保留修改前的稿子。")
                break
            draft.text, draft.figure_spans = answer
            draft.rounds += 1
            draft.cut = False  # a repair answer that is not cut is the whole text
            draft.notes += [note for note in _llm_notes(result, "修改稿") if note not in draft.notes]
        return draft

    def _finish(self, draft: Draft) -> Draft:
        """The final guard: a part still cut gets 〔未写完〕 at the cut; sure numbers are replaced,
        everything else still wrong is marked 〔待核实〕."""
        if draft.cut:
            draft.text = draft.text.rstrip() + UNFINISHED
            draft.truncated = True
            draft.notes.append("没有写完，已在截断处标〔未写完〕。")
        guarded, findings = guard_until_clean(draft.text, lambda t, sp: self.check(t, "section", sp, draft.section),
                                              draft.figure_spans)
        draft.text, draft.figure_spans = guarded.text, guarded.spans
        draft.replaced += guarded.replaced
        draft.marked += guarded.marked
        draft.findings = sort_findings(findings + _replaced_findings(guarded.replaced))
        if guarded.replaced:
            shown = "、".join(f"“{r['found']}”→“{r['now']}”" for r in guarded.replaced[:5])
            draft.notes.append(f"最后核对：{len(guarded.replaced)} 处与统计不符的数字已改为统计数据（{shown}"
                               + ("等" if len(guarded.replaced) > 5 else "") + "）。")
        if guarded.marked:
            draft.notes.append(f"最后核对：{len(guarded.marked)} 处无法核实或有误的内容已在原处标〔待核实〕，请逐一核对后删去标记。")
        left = [f for f in findings if f.severity == "error" and not needs_mark(f) and f.kind != "draft_mark"]
        if left:
            draft.notes.append(f"仍有 {len(left)} 处结构问题，已在检查结果中列出，请人工处理。")
        return draft

    # -- revision -----------------------------------------------------------------------------------
    def revise(self, section: str, text: str, instruction: str, on_token=None, on_status=None,
               figure_spans: list[Span] | None = None) -> Draft:
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
        figures = self._figures_for(section)
        task = _Task(section, first_line, part or self.outline.parts[0], figures, tag_figures(figures),
                     self._notes_for(section))
        user = render("revise.j2", instruction=instruction, heading_token=first_line[:4], text=text,
                      figures=figures, examples=examples)
        messages = [{"role": "system", "content": self._system()}, {"role": "user", "content": user}]
        result = llm.complete(messages, on_token=on_token, on_status=on_status)
        answer = self._answer(result.text, task, (text, list(figure_spans or [])))
        if answer is None:
            raise LLMError("大模型的回答里没有正文（只有客套话或标题），原文保持不变。",
                           "The LLM's answer has no text; the section is unchanged.",
                           "重试一次，或换一种说法提出修改要求。", "Retry, or word the instruction differently.",
                           partial_text=result.text)
        draft = Draft(section, answer[0], "llm", truncated=result.truncated, notes=_llm_notes(result),
                      figure_spans=answer[1], requests=result.requests, cut=result.truncated)
        draft = self._repair(draft, llm, messages, task, on_token, on_status)
        return self._finish(draft)

    # -- helpers ------------------------------------------------------------------------------------
    def check(self, text: str, scope: str = "auto", figure_spans: list[Span] | None = None,
              section: str | None = None) -> list[Finding]:
        """The checks of a draft: with last year's report when one is followed (a whole report is
        compared with its areas), and with the place a single section was written for."""
        ctx = workspace_context(self.ws, self.inputs, self.year, figure_spans)
        ctx.previous = self._previous_text
        ctx.section = None if section in (None, "all") else "/".join(split_path(section))
        return run_checks(text, ctx, scope=scope)

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
                previous, change = self._previous(fig)
                out.append({"id": fig.id, "label": fig.label, "display": self.inputs.display(fig.id), "note": fig.basis,
                            "section": sec, "previous": previous, "change": change})
        return out

    def _previous(self, fig) -> tuple[str | None, str | None]:
        """Last year's value as written, and the change ("增加5件，增长31.3%" / "提高2.1个百分点")."""
        if fig.previous is None:
            return None, None
        unit = fig.unit or ""
        previous = format_number(fig.previous, fig.decimals) + unit
        value = self.inputs.value(fig.id)
        if value is None:
            return previous, None
        diff = value - fig.previous
        if diff == 0:
            return previous, "与上年持平"
        direction = ("提高" if diff > 0 else "降低") if unit == "%" else ("增加" if diff > 0 else "减少")
        if unit == "%":
            return previous, f"{direction}{format_number(abs(diff), 1 if diff != diff.to_integral_value() else 0)}个百分点"
        change = f"{direction}{format_number(abs(diff))}{unit}"
        if fig.previous:
            pct = (abs(diff) / fig.previous * 100).quantize(Decimal("0.1"))
            change += f"，{'增长' if diff > 0 else '下降'}{format_number(pct)}%"
        return previous, change

    def _items(self, target: str, figures: list[dict]) -> list[dict]:
        """The figures grouped by the item they belong to ("1.加强行政复议工作"), in order."""
        depth = len(split_path(target)) + 1
        groups: dict[str, list[dict]] = {}
        for f in figures:
            tokens = split_path(f["section"]) if f["section"] else []
            key = "/".join(tokens[:depth]) if len(tokens) >= depth else ""
            groups.setdefault(key, []).append(f)
        items = []
        for key, figs in groups.items():
            title = None
            if key:
                note = next((n for n in self.inputs.notes if "/".join(split_path(n.section)) == key and n.title), None)
                token = display_token(depth, split_path(key)[-1])
                title = f"{token}{note.title}" if note else token.rstrip("、.")
            items.append({"title": title, "figures": figs})
        return items

    def _structure(self, target: str) -> list[str]:
        """The headings the part or subsection is written under: its items or subsections, from the
        notes (a level below the target)."""
        tokens = split_path(target)
        depth = len(tokens) + 1
        seen: dict[str, str] = {}
        for n in self.inputs.notes:
            path = split_path(n.section)
            if len(path) == depth and path[:len(tokens)] == tokens and n.title:
                seen.setdefault("/".join(path), f"{display_token(depth, path[-1])}{n.title}")
        if not seen and len(tokens) == 1:
            part = self.outline.part_by_key(tokens[0])
            if part and part.subsections:
                return [f"（{_cn(i)}）{s.title}" for i, s in enumerate(part.subsections, 1)]
        from ..numerals import parse_number

        return [seen[k] for k in sorted(seen, key=lambda p: [parse_number(t.strip("()")) or 0 for t in split_path(p)])]

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
        units = self.inputs.extra_units
        return [{"kind": "report", "title": h.title, "where": h.section_title or h.heading or "",
                 "text": mask_example(h.text, units), "source_text": h.text, "doc_id": h.doc_id,
                 "label": f"{h.title} {h.section_title or ''}"} for h in hits]

    def _articles(self, heading: str, notes: list[dict]) -> list[dict]:
        query = heading + " " + " ".join((n["text"] or "")[:60] for n in notes)[:300]
        try:
            hits = self.ws.kb.search(query, k=3, kind="regulation")
        except AssistantError:
            return []
        return [{"kind": "regulation", "title": h.title, "where": h.article or h.heading or "", "text": h.text,
                 "source_text": h.text, "doc_id": h.doc_id, "label": f"《{h.title}》{h.article or ''}"} for h in hits]


def _llm_notes(result, what: str = "回答") -> list[str]:
    """What the client did, in one or two notes: continued, still cut, a restart trimmed."""
    notes = []
    if result.continuations:
        notes.append(f"{what}被截断，已自动续写{result.continuations}次" + ("，仍未写完。" if result.truncated else "。"))
    elif result.truncated:
        notes.append(f"{what}被截断，没有写完。")
    for note in result.notes:
        if ("从头重写" in note or "重复" in note or "没有再写出" in note) and note not in notes:
            notes.append(note)
    return notes


def _labelled(draft: Draft, heading: str) -> Draft:
    """The notes of one request's draft, each saying which part it is about."""
    short = heading if len(heading) <= 24 else heading[:24] + "…"
    draft.notes = [f"{short}：{n}" for n in draft.notes]
    return draft


def _for_repair(f: Finding, text: str) -> dict:
    """A finding as the repair prompt shows it: the sentence around it, and a fix only where the
    checker is sure (a number bound to a figure); an unsupported number is to become 〔待补：…〕."""
    start = max(text.rfind(c, 0, f.start) for c in "。！？；\n") + 1
    ends = [i for i in (text.find(c, f.end) for c in "。！？；\n") if i != -1]
    sentence = text[start:(min(ends) + 1) if ends else len(text)].strip()
    suggestion = f.suggestion
    message = f.message
    if f.kind == "figure_unsupported":
        suggestion = "删去这个数字，或改为“〔待补：指标名〕”（不要改成“多次”“较高水平”）"
    elif f.kind.startswith("figure_") and not f.figure_id:
        suggestion = None  # derived from neighbouring numbers whose names may not match: not sure
        message = reason(f) + "。若无法从本年度数据得出，改为“〔待补：指标名〕”。"
    elif f.kind == "figure_mismatch" and f.figure_id:
        suggestion = f"改为“{f.expected}”" if f.expected else suggestion
    return {"text": f.text, "message": message, "suggestion": suggestion, "sentence": sentence[:160]}


def _replaced_findings(replaced: list[dict]) -> list[Finding]:
    return [Finding("draft_replaced", "info", r["start"], r["end"], r["now"],
                    f"大模型写的“{r['found']}”与统计数据不符，已改为“{r['now']}”。", figure_id=r.get("figure_id"),
                    expected=r["now"], found=r["found"]) for r in replaced]


def _join(pieces: list[tuple[str, list[Span]]]) -> tuple[str, list[Span]]:
    texts, spans, offset = [], [], 0
    for text, own in pieces:
        texts.append(text)
        spans += shift_spans(own, offset)
        offset += len(text) + 1
    return "\n".join(texts), spans


def _shift(record: dict, offset: int) -> dict:
    return {**record, "start": record["start"] + offset, "end": record["end"] + offset}


def _moved(records: list[dict], edits: list[tuple[int, int, str]]) -> list[dict]:
    out = []
    for r in records:
        shift = sum(len(new) - (e - s) for s, e, new in edits if e <= r["start"])
        out.append(_shift(r, shift))
    return out


def _head_length(draft: Draft, service: "DraftingService") -> int:
    """The length of what `_with_llm` puts before the parts of a whole report (title, recipient,
    opening), so part offsets can be moved to the whole text; 0 for one section."""
    if draft.section != "all":
        return 0
    head = [service.inputs.report.title or service.outline.title_for(service.region, service.year)]
    if service.inputs.report.recipient:
        head.append(f"{service.inputs.report.recipient}：")
    head.append(service.outline.intro_for(service.region, service.year))
    return sum(len(h) + 1 for h in head)


def _cn(n: int) -> str:
    from ..numerals import int_to_cn

    return int_to_cn(n)


def write_draft(text: str, path, inputs: Inputs | None = None) -> None:
    """The draft as a file: .docx (GB/T 9704, each mark as a Word comment too), .md or .txt."""
    from pathlib import Path

    path = Path(path)
    if path.suffix.lower() == ".docx":
        from ..export import export_docx, mark_comments

        export_docx(text, path, comments=mark_comments(text))
    else:
        from ..export import export_markdown

        path.write_text(export_markdown(text) if path.suffix.lower() == ".md" else text, encoding="utf-8")


__all__ = ["Draft", "DraftingService", "Source", "chinese_date", "ensure_heading", "repairable", "write_draft"]
