"""The chat: one message → its intent (draft, revise, check, article, validity, fact, search, ask,
help) → an answer streamed as it is made. A mixin of the Workbench: it drafts, revises and checks
through it.

Before any action the editor's text is saved (a stale tab gets the conflict screen, and nothing
is done); this year's numbers are answered from this year's inputs, a document's validity from
the registry, a greeting with what the assistant can do — never with old passages that happen to
share words.
"""

from __future__ import annotations

import re
import time
from typing import Iterator

from ..errors import AssistantError, LLMError
from ..report_tree import parse_report, split_path
from .messages import findings_summary, help_text, llm_howto, unclear_text
from .sections import HEAD, TAIL
from .store import ConflictError

KB_HINT = "可以在“知识库”页上传这部法规的文本（.txt .md .docx .pdf），上传后就能在这里查看条文。"


class ChatMixin:
    # -- chat -----------------------------------------------------------------------------------------
    def chat(self, report_id: int, message: str, selected: str | None, editor_text: str | None,
             base: int | None) -> Iterator[dict]:
        """Handle one chat message; yields events: {"reply": text so far} while working, and a
        final {"reply": …, "changed": [section keys], "diff": html | None, "base": the selected
        section's version after the pre-save, "presaved": [the selected key] when the editor's text
        was saved first}; {"conflict": …} when the editor's text is stale (then nothing is done)."""
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

        new_base, presaved = base, []  # the tab's base, moved by the pre-save even when the step then fails
        try:
            report = self.report(report_id)
            try:
                before = self.store.latest(report_id, selected) if selected else None
                new_base = self.save_if_changed(report_id, selected, editor_text, base)
            except ConflictError as exc:
                state["done"] = True
                yield emit("⚠️ 你在编辑框里的修改还没有保存：这一部分已在另一个窗口保存为"
                           f"第{exc.latest}版。为了不覆盖任何一方，这条消息没有执行。请在左侧的“保存冲突”中选择保留哪一份，"
                           "然后重新发送。", conflict={"key": selected, "mine": editor_text})
                return
            presaved = [selected] if selected and new_base != (before.version if before else None) else []
            subsections = self._subsections(report_id)
            intent = parse_intent(message, self.ws.outline, subsections)
            last: dict = {}
            for event in self._handle(intent, report_id, report, selected, editor_text, new_base, emit):
                last = event
                yield event
            # the last event again, with the tab's base after the pre-save (the tab follows its save)
            yield {**last, "base": new_base, "presaved": presaved}
            state["done"] = True
        except (AssistantError, LLMError) as exc:
            partial = getattr(exc, "partial_text", "")
            kept = f"\n\n已收到的内容（没有保存为新版本，可复制使用）：\n{partial}" if partial.strip() else ""
            state["done"] = True
            hint = exc.hint_zh if exc.hint_zh and "python -m" not in exc.hint_zh else ""
            yield emit(f"⚠️ {exc.zh}" + (f"\n处理建议：{hint}" if hint else "") + kept
                       + f"\n\n<details><summary>详细信息（English）</summary>{exc.en}</details>",
                       base=new_base, presaved=presaved)
        except Exception as exc:  # noqa: BLE001 - an unexpected fault is said in the chat, never a bare toast
            state["done"] = True
            from .incidents import log_incident

            incident = log_incident(self.ws.data_dir, "对话", exc)
            yield emit(f"⚠️ 处理这条消息时出现意外错误（记录编号 {incident}）。已完成的内容都已保存；可以重新发送这条消息。"
                       f"如果再次出现，请把数据目录下 logs/errors.log 交给管理员。\n\n<details><summary>详细信息（English）</summary>"
                       f"Unexpected error while handling this message ({type(exc).__name__}); logged as {incident}.</details>",
                       base=new_base, presaved=presaved)
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
            yield emit(self._article_reply(intent.title, intent.article, year))
        elif intent.kind == "validity":
            from .chat_facts import validity_answer

            yield emit(validity_answer(self.ws.registry, intent.title, year))
        elif intent.kind == "fact":
            yield emit(self._fact_reply(report_id, intent.query, year))
        elif intent.kind == "search" or (intent.kind == "ask" and llm is None):
            yield emit(self._search_reply(intent.query, year, offline_question=intent.kind == "ask"))
        elif intent.kind == "check":
            text, findings, spans = self.check(report_id)
            if not text:
                yield emit("报告还没有内容。可以说“起草全文”或“起草第一部分”。")
            else:
                yield emit(findings_summary(findings, text), changed=list(spans))
        elif intent.kind == "draft":
            yield from self._draft_reply(intent, report_id, selected, emit)
        elif intent.kind == "revise":
            key = split_path(intent.target)[0] if intent.target else selected
            if key in (None, HEAD, TAIL, "all"):
                yield emit("请先在左侧选中要修改的部分（如“二”），再说明修改要求。")
                return
            if llm is None:
                yield emit("按要求改写需要大模型。当前未配置大模型：可以直接在左侧文本框中修改后点“保存并检查”，系统会自动检查。\n\n"
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
            found = self.ws.kb.search(intent.query, k=4)
            notice = notice_line(found)
            hits = self._related(intent.query, found)
            from ..drafting import render

            prompt = render("chat.j2", question=intent.query, hits=hits)
            system = render("system.j2", region=report["region"], basis=self.ws.outline.basis, year=year)
            pieces = []
            for piece in llm.stream([{"role": "system", "content": system}, {"role": "user", "content": prompt}]):
                pieces.append(piece)
                yield emit(notice + "".join(pieces))
            sources = "\n".join(f"· {h.citation}" for h in hits)
            yield emit(notice + "".join(pieces) + (f"\n\n参考资料：\n{sources}" if sources else ""))

    def _draft_reply(self, intent, report_id, selected, emit):
        import queue
        import threading

        llm = self.ws.llm
        target = intent.target or (selected if selected not in (None, HEAD, TAIL) else "all")
        offline = llm is None
        prefix = f"正在{'离线' if offline else '用大模型'}起草“{self._target_label(target)}”……\n\n"
        pieces: list[str] = []
        status: list[str] = []
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
        draft, saved, same = outcome["result"]
        yield emit(draft_summary(self, draft, target, saved, same), changed=saved + same)

    def _article_reply(self, title: str, article: str, year: int | None) -> str:
        from ..errors import NotFound
        from ..knowledge import lookup_article

        try:
            found = lookup_article(self.ws, title, article, year)
        except NotFound as exc:  # the look-up's own hint may name a command; a clerk gets the tab
            return f"{exc.zh}\n\n{KB_HINT}"
        note = f"（{found['status_note']}）" if found.get("status_note") else ""
        return f"**{found['heading']}**{note}\n\n{found['text']}"

    def _fact_reply(self, report_id: int, question: str, year: int | None) -> str:
        from .chat_facts import figure_answer

        inputs = self.inputs(report_id)
        if inputs is None:
            return "这份报告还没有本年度的输入数据：请先在“指标与素材”页上传统计数据（YAML 或 Excel），然后再问。"
        sections = []
        for key in self.section_keys(report_id):
            latest = self.store.latest(report_id, key)
            if latest and latest.text.strip():
                sections.append((self.section_label(key).split("、")[0] if key not in (HEAD, TAIL)
                                 else self.section_label(key), latest.text, latest.figure_spans))
        answer = figure_answer(question, inputs, [(_part_name(label), text, spans) for label, text, spans in sections], year)
        if answer is None:
            return (f"{year or '本'}年度输入数据里没有找到与这个问题对应的指标（共 {len(inputs.figures)} 个指标，见“指标与素材”页）。"
                    "往年报告里的数字不是今年的，不能直接用；请把这个指标补进输入数据。")
        return answer

    def _search_reply(self, query: str, year: int | None, offline_question: bool = False) -> str:
        kind, want_year = None, None
        if "去年" in query and year:
            kind, want_year = "report", year - 1
        elif re.search(r"(报告里|报告中|往年|以前的报告)", query):
            kind = "report"
        found = self.ws.kb.search(query, k=5, kind=kind, year=want_year) or self.ws.kb.search(query, k=5, kind=kind)
        notice = notice_line(found)  # a Chroma server that is down: keywords only, from the last sync
        hits = self._related(query, found)
        if not hits:
            if offline_question:
                return notice + unclear_text(self.ws.llm is not None)
            return notice + "知识库中没有找到相关内容。可以在“知识库”页上传往年报告和法规文本。"
        head = notice + ("（未配置大模型，以下是知识库中最相关的内容）\n\n" if offline_question else "")
        best, rest = hits[0], hits[1:]
        out = head + f"**{best.citation}**　<small>{self._where(best)}</small>\n\n{_clip(best.text, 400)}"
        if rest:
            more = "\n\n".join(f"{n}. **{h.citation}**　<small>{self._where(h)}</small>\n\n{_clip(h.text, 220)}"
                               for n, h in enumerate(rest, 2))
            out += f"\n\n<details><summary>另有 {len(rest)} 条相关内容（点开查看）</summary>\n\n{more}\n\n</details>"
        return out

    def _where(self, hit) -> str:
        """Where a hit comes from, for a clerk: kind, year, region, the file's own name."""
        kinds = {"report": "往年报告", "regulation": "法规"}
        parts = [kinds.get(hit.kind, hit.kind or ""), f"{hit.year}年" if hit.year else "", hit.region or "",
                 self.display_name(hit.source)]
        return " · ".join(p for p in parts if p)

    @staticmethod
    def _related(query: str, hits: list) -> list:
        """Hits that share a word with the question (dense search always returns something; a
        passage with none of the question's words is not an answer)."""
        import jieba

        jieba.setLogLevel(60)
        words = {w for w in jieba.lcut(query) if len(w) >= 2 and re.search(r"[\u4e00-\u9fff]", w)}
        words -= {"什么", "怎么", "如何", "哪些", "是否", "可以", "需要", "一下", "这个", "那个", "我们", "你们", "请问",
                  "帮我", "告诉", "知道", "今年", "去年", "报告"}
        if not words:
            return []
        return [h for h in hits if any(w in h.text or w in (h.title or "") for w in words)]

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


def _clip(text: str, n: int) -> str:
    return text[:n] + ("…" if len(text) > n else "")


def _part_name(label: str) -> str:
    return {"一": "第一部分", "二": "第二部分", "三": "第三部分", "四": "第四部分", "五": "第五部分"}.get(label, label)


def attention_lines(wb, draft) -> str:
    """"需要处理的部分：…" for a draft's marks and errors, or nothing."""
    from ..drafting import attention_text, parts_needing_attention

    zh, _ = attention_text(parts_needing_attention(draft.text, draft.findings, wb.ws.outline))
    return f"\n\n{zh}\n（标记在正文里：处理后删去标记，再点“保存并检查”。）" if zh else ""


def draft_summary(wb, draft, target: str, saved: list[str], same: list[str] | None = None) -> str:
    """What the chat says after a draft: saved where, what the guard did, which parts need attention."""
    label = wb._target_label(target)
    where = "、".join(wb.section_label(k) for k in saved)
    errors = sum(1 for f in draft.findings if f.severity == "error" and f.kind != "draft_mark")
    marks = sum(1 for f in draft.findings if f.kind == "draft_mark")
    warnings = sum(1 for f in draft.findings if f.severity == "warning" and f.kind != "draft_mark")
    summary = "".join(f"\n· {n}" for n in draft.notes)
    unchanged = "、".join(wb.section_label(k) for k in same or [])
    if draft.error:
        head = (f"⚠️ 起草“{label}”中断：{draft.error['zh']}\n"
                f"已写完的部分和中断前收到的文字已保存为新版本（{where or '无'}），中断处标有〔未写完〕。"
                + (f"处理建议：{draft.error['hint_zh']}" if draft.error.get("hint_zh") else ""))
    elif not saved:
        head = f"已起草“{label}”：与当前版本完全相同，没有另存新版本。"
    else:
        head = f"已起草“{label}”，保存为新版本（{where}），左侧可查看和修改。"
        if unchanged:
            head += f"（{unchanged}与当前版本相同，没有另存。）"
    head += f"检查结果：{marks} 处标记、{errors} 个错误、{warnings} 个警告。"
    english = (f"\n\n<details><summary>详细信息（English）</summary>{draft.error['en']}</details>"
               if draft.error and draft.error.get("en") else "")
    return head + summary + attention_lines(wb, draft) + english


def notice_line(results) -> str:
    """The search's notice (a Chroma server that is down: keyword search over the last synced
    copy), as the first line of a chat answer; "" when there is none."""
    notice = getattr(results, "notice", None)
    return f"⚠️ {notice}\n\n" if notice else ""
