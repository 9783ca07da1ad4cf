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
        answer_id = self.store.add_message(report_id, "assistant", "……", state="working")
        state = {"text": "……", "done": False}

        def emit(text: str, **extra) -> dict:
            state["text"] = text
            self.store.update_message(answer_id, text)
            return {"reply": text, **extra}

        try:
            report = self.report(report_id)
            subsections = self._subsections(report_id)
            intent = parse_intent(message, self.ws.outline, subsections)
            yield from self._handle(intent, report_id, report, selected, editor_text, base, emit)
            state["done"] = True
        except (AssistantError, LLMError) as exc:
            partial = getattr(exc, "partial_text", "")
            kept = f"\n\n已收到的内容（没有保存为新版本，可复制使用）：\n{partial}" if partial.strip() else ""
            state["done"] = True
            yield emit(f"⚠️ {exc.zh}\n{exc.en}" + (f"\n处理建议：{exc.hint_zh}" if exc.hint_zh else "") + kept)
        except Exception as exc:  # noqa: BLE001 - an unexpected fault is said in the chat, never a bare toast
            state["done"] = True
            yield emit(f"⚠️ 处理这条消息时出错：{type(exc).__name__}: {exc}\n"
                       f"Internal error while handling this message: {type(exc).__name__}: {exc}\n"
                       "已完成的内容已保存；可以重新发送这条消息。")
        finally:
            if state["done"]:
                self.store.update_message(answer_id, state["text"], "done")
            else:  # the page went away or the work stopped half-way: say so in the history
                self.store.interrupt_message(answer_id)

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
            yield emit(draft_summary(self, draft, target, saved), changed=saved)
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
            notes = "".join(f"\n· {n}" for n in draft.notes)
            yield emit(f"已按“{intent.instruction}”改写{self.section_label(key)}，保存为{version.label}；"
                       f"改动见左侧“版本历史”（红色删除线为删去的文字，绿色为新增）。{notes}{attention_lines(self, draft)}",
                       changed=[key], diff=diff)
        else:  # ask, with an LLM
            hits = self.ws.kb.search(intent.query, k=4)
            from ..drafting import render

            prompt = render("chat.j2", question=intent.query, hits=hits)
            system = render("system.j2", region=report["region"], basis=self.ws.outline.basis, year=year)
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


def attention_lines(wb, draft) -> str:
    """"需要处理的部分：…" for a draft's marks and errors, or nothing."""
    from ..drafting import attention_text, parts_needing_attention

    zh, _ = attention_text(parts_needing_attention(draft.text, draft.findings, wb.ws.outline))
    return f"\n\n{zh}\n（标记在正文里：处理后删去标记，再点“保存并检查”。）" if zh else ""


def draft_summary(wb, draft, target: str, saved: list[str]) -> str:
    """What the chat says after a draft: saved where, what the guard did, which parts need attention."""
    label = wb._target_label(target)
    where = "、".join(wb.section_label(k) for k in saved)
    errors = sum(1 for f in draft.findings if f.severity == "error" and f.kind != "draft_mark")
    marks = sum(1 for f in draft.findings if f.kind == "draft_mark")
    warnings = sum(1 for f in draft.findings if f.severity == "warning" and f.kind != "draft_mark")
    summary = "".join(f"\n· {n}" for n in draft.notes)
    if draft.error:
        head = (f"⚠️ 起草“{label}”中断：{draft.error['zh']}\n{draft.error['en']}\n"
                f"已写完的部分和中断前收到的文字已保存为新版本（{where or '无'}），中断处标有〔未写完〕。")
    else:
        head = f"已起草“{label}”，保存为新版本（{where}），左侧可查看和修改。"
    head += f"检查结果：{marks} 处标记、{errors} 个错误、{warnings} 个警告。"
    return head + summary + attention_lines(wb, draft)
