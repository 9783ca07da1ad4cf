"""The chat: one message → its intent (draft, revise, check, article, search, ask, help) → an
answer streamed as it is made. A mixin of the Workbench: it drafts, revises and checks through it."""

from __future__ import annotations

import re
import time
from typing import Iterator

from ..errors import AssistantError, LLMError
from ..report_tree import parse_report, split_path
from .messages import findings_summary, help_text, llm_howto
from .sections import HEAD, TAIL


class ChatMixin:
    # -- chat -----------------------------------------------------------------------------------------
    def chat(self, report_id: int, message: str, selected: str | None, editor_text: str | None,
             base: int | None) -> Iterator[dict]:
        """Handle one chat message; yields events: {"reply": text so far} while working, and a
        final {"reply": …, "changed": [section keys], "diff": html | None}."""
        from .chat_intent import parse_intent

        message = message.strip()
        if not message:
            return
        self.store.add_message(report_id, "user", message)
        answer_id = self.store.add_message(report_id, "assistant", "……")
        report = self.report(report_id)
        subsections = self._subsections(report_id)
        intent = parse_intent(message, self.ws.outline, subsections)
        state = {"text": ""}

        def emit(text: str, **extra) -> dict:
            state["text"] = text
            self.store.update_message(answer_id, text)
            return {"reply": text, **extra}

        try:
            yield from self._handle(intent, report_id, report, selected, editor_text, base, emit)
        except (AssistantError, LLMError) as exc:
            partial = getattr(exc, "partial_text", "")
            kept = f"\n\n（已收到的部分内容已保留：{partial[:200]}…）" if partial else ""
            yield emit(f"⚠️ {exc.zh}\n{exc.en}" + (f"\n处理建议：{exc.hint_zh}" if exc.hint_zh else "") + kept)

    def _handle(self, intent, report_id, report, selected, editor_text, base, emit):
        llm = self.ws.llm
        year = report["year"]
        if intent.kind == "help":
            yield emit(help_text(llm is not None))
        elif intent.kind == "article":
            from ..knowledge import lookup_article

            found = lookup_article(self.ws, intent.title, intent.article, year)
            note = f"（{found['status_note']}）" if found.get("status_note") else ""
            yield emit(f"**{found['heading']}**{note}\n\n{found['text']}")
        elif intent.kind == "search" or (intent.kind == "ask" and llm is None):
            yield emit(self._search_reply(intent.query, year, offline_question=intent.kind == "ask"))
        elif intent.kind == "check":
            text, findings, spans = self.check(report_id)
            if not text:
                yield emit("报告还没有内容。可以说“起草全文”或“起草第一部分”。")
            else:
                yield emit(findings_summary(findings, text), changed=list(spans))
        elif intent.kind == "draft":
            target = intent.target or (selected if selected not in (None, HEAD, TAIL) else "all")
            offline = llm is None
            prefix = f"正在{'离线' if offline else '用大模型'}起草“{self._target_label(target)}”……\n\n"
            pieces: list[str] = []
            status: list[str] = []
            import queue
            import threading

            events: queue.Queue = queue.Queue()
            outcome: dict = {}

            def work() -> None:
                try:
                    outcome["result"] = self.draft(report_id, target, offline=offline or None,
                                                   on_token=lambda t: events.put(("token", t)),
                                                   on_status=lambda s: events.put(("status", s)))
                except Exception as exc:  # noqa: BLE001 - re-raised in the generator below
                    outcome["error"] = exc
                finally:
                    events.put(None)

            threading.Thread(target=work, daemon=True).start()
            last = 0.0
            while (event := events.get()) is not None:
                kind, value = event
                (pieces if kind == "token" else status).append(value if kind == "token" else f"〔{value}〕\n")
                if time.monotonic() - last > 0.15:
                    last = time.monotonic()
                    yield emit(prefix + "".join(status[-2:]) + "".join(pieces))
            if "error" in outcome:
                raise outcome["error"]
            draft, saved = outcome["result"]
            errors = sum(1 for f in draft.findings if f.severity == "error")
            warnings = sum(1 for f in draft.findings if f.severity == "warning")
            summary = "\n".join(f"· {n}" for n in draft.notes)
            preview = "" if target == "all" else "\n\n" + draft.text[:600] + ("……" if len(draft.text) > 600 else "")
            yield emit(f"已起草“{self._target_label(target)}”，保存为新版本（{'、'.join(self.section_label(k) for k in saved)}），"
                       f"左侧可查看和修改。检查结果：{errors} 个错误、{warnings} 个警告。\n{summary}{preview}", changed=saved)
        elif intent.kind == "revise":
            key = split_path(intent.target)[0] if intent.target else selected
            if key in (None, HEAD, TAIL, "all"):
                yield emit("请先在左侧选中要修改的部分（如“二”），再说明修改要求。")
                return
            if llm is None:
                yield emit("按要求改写需要大模型。当前未配置大模型：可以直接在左侧文本框中修改后点“保存”，系统会自动检查。\n\n"
                           + llm_howto())
                return
            pieces = []
            draft, version, diff = self.revise(report_id, key, editor_text if key == selected else None, intent.instruction,
                                               base, on_token=pieces.append)
            yield emit(f"已按“{intent.instruction}”改写{self.section_label(key)}，保存为{version.label}；"
                       f"改动见左侧“版本历史”（红色删除线为删去的文字，绿色为新增）。", changed=[key], diff=diff)
        else:  # ask, with an LLM
            hits = self.ws.kb.search(intent.query, k=4)
            from ..drafting import render

            prompt = render("chat.j2", question=intent.query, hits=hits)
            system = render("system.j2", region=report["region"], basis=self.ws.outline.basis)
            pieces = []
            for piece in llm.stream([{"role": "system", "content": system}, {"role": "user", "content": prompt}]):
                pieces.append(piece)
                yield emit("".join(pieces))
            sources = "\n".join(f"· {h.citation}" for h in hits)
            yield emit("".join(pieces) + (f"\n\n参考资料：\n{sources}" if sources else ""))

    def _search_reply(self, query: str, year: int | None, offline_question: bool = False) -> str:
        kind, want_year = None, None
        if "去年" in query and year:
            kind, want_year = "report", year - 1
        elif re.search(r"(报告里|报告中|往年|以前的报告)", query):
            kind = "report"
        hits = self.ws.kb.search(query, k=5, kind=kind, year=want_year) or self.ws.kb.search(query, k=5, kind=kind)
        if not hits:
            return "知识库中没有找到相关内容。可以在“知识库”页上传往年报告和法规文本。"
        head = "（未配置大模型，以下是知识库中最相关的内容）\n\n" if offline_question else ""
        lines = [f"{n}. **{h.citation}**\n{h.text[:220]}{'…' if len(h.text) > 220 else ''}" for n, h in enumerate(hits, 1)]
        return head + "\n\n".join(lines)

    def _subsections(self, report_id: int) -> dict[str, str]:
        latest = self.store.latest(report_id, "一")
        out = {}
        if latest:
            tree = parse_report(latest.text, self.ws.outline.classify_heading)
            out = {s.path: s.title for s in tree.walk() if s.level == 2}
        inputs = self.inputs(report_id)
        if inputs:
            for n in inputs.notes:
                tokens = split_path(n.section)
                if len(tokens) == 2 and n.title:
                    out.setdefault("/".join(tokens), n.title)
        return out

    def _target_label(self, target: str) -> str:
        if target == "all":
            return "全文"
        tokens = split_path(target)
        return self.section_label(tokens[0]) if len(tokens) == 1 else "、".join(tokens)

    def chat_history(self, report_id: int) -> list[dict]:
        return self.store.messages(report_id)
