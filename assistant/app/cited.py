"""The documents a section cites: the choices for the panel, and what the registry and the
knowledge base say of each (status, dates, the article's text). A mixin of the Workbench."""

from __future__ import annotations

from ..errors import AssistantError


class CitedDocumentsMixin:
    # -- citations ------------------------------------------------------------------------------------
    def citations_in(self, text: str) -> list[tuple[str, str]]:
        """The documents and articles a text cites, as (label, "title|article") choices."""
        from ..checks import find_citations

        seen, out = set(), []
        for cit in find_citations(text or ""):
            title = cit.effective_title + (f"（{cit.version}年）" if cit.version else "")
            refs = [a.label for a in cit.articles] or [""]
            for ref in refs:
                key = f"{title}|{ref}"
                if key not in seen:
                    seen.add(key)
                    out.append((f"《{title}》{ref}", key))
        return out

    def citation_info(self, choice: str, year: int | None = None) -> str:
        """Markdown for a cited document or article: its text when the knowledge base has it,
        and what the registry says of it."""
        from ..knowledge import lookup_article

        title, _, article = (choice or "").partition("|")
        if not title:
            return ""
        lines = []
        res = self.ws.registry.resolve(title, year)
        if res:
            e = res.entry
            outdated, why = self.ws.registry.outdated(e, year)
            dates = "，".join(x for x in (f"{e.promulgated}公布" if e.promulgated else "",
                                          f"{e.effective}施行" if e.effective else "") if x)
            lines.append(f"**《{e.title}》** {e.number or ''}　{dates}　"
                         + (f"⚠️ {why}" if outdated else f"✓ {e.status}")
                         + (f"　？效力状态存疑：{e.disputed}，请核实" if e.disputed else ""))
        else:
            lines.append(f"**《{title}》**：登记表未收录，无法核对标题和效力。")
        if article:
            try:
                found = lookup_article(self.ws, title, article, year)
                lines.append(f"**{found['heading']}**\n\n" + found["text"].replace("\n", "\n\n"))
            except AssistantError as exc:
                lines.append(exc.zh)
        lines.append(f"<small>{self.ws.registry.as_of_line()}更新方法见“帮助”。</small>")
        return "\n\n".join(lines)
