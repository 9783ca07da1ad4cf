"""Finding the citations in a text: 《titles》 (〈〉 nested), a version in brackets, article
references (第X条, 第X条第X款, 第X条第(X)项, lists and ranges), "（以下简称《条例》）" and later
bare 《条例》, and quoted provisions ("…第二条规定：“…”")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...numerals import CN_NUMERAL_CHARS, article_label, parse_number

_NUM = rf"[{CN_NUMERAL_CHARS}0-9０-９]+"
_VERSION = re.compile(r"[（(]\s*(\d{4})\s*年?\s*(修正|修订|版|本|修改|制定)?\s*[）)]")
_ARTICLE = re.compile(rf"第({_NUM})条(?:之({_NUM}))?(?:第({_NUM})款)?(?:第[（(]?({_NUM})[）)]?项)?")
_JOIN = re.compile(r"[、，,和及与]|至|到|—|－|-")
# a 文号 in brackets after the title: （国务院令第724号） （国发〔2021〕1号） （主席令第九号）
_NUMBER = re.compile(r"[（(]\s*((?:[\u4e00-\u9fff]{1,14}令\s*)?第\s*[0-9０-９零〇一二三四五六七八九十百千]+\s*号"
                     r"|[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*第?\s*\d+\s*号)\s*[）)]")
_ALIAS = re.compile(r"[（(]\s*以下简称\s*[《“\"]([^》”\"]{1,30})[》”\"]\s*[）)]")
_QUOTE = re.compile(r"(?:规定|明确|指出|要求|载明|强调)[：:，,]?\s*[“\"]([^”\"]{2,600})[”\"]")


@dataclass
class ArticleRef:
    number: int
    label: str  # as written: 第二条第一款
    start: int
    end: int
    paragraph: int | None = None  # 款
    item: int | None = None  # 项


@dataclass
class Quote:
    text: str
    start: int  # of the quoted words (inside the quotation marks)
    end: int


@dataclass
class Citation:
    title: str  # as written inside 《》
    start: int  # of the whole citation (title, version, articles)
    end: int
    title_start: int
    title_end: int  # after 》
    version: str | None = None  # "2017" when written
    number: str | None = None  # the 文号 written in brackets after the title (国务院令第724号)
    number_start: int | None = None
    number_end: int | None = None
    bare: bool = False  # a law's name in running text, without 《》
    articles: list[ArticleRef] = field(default_factory=list)
    quote: Quote | None = None
    means: str | None = None  # the full title, when `title` is an abbreviation defined earlier
    defines: str | None = None  # the abbreviation this citation introduces (以下简称《条例》)

    @property
    def effective_title(self) -> str:
        return self.means or self.title


def find_titles(text: str) -> list[tuple[int, int, str]]:
    """(start, end after 》, inner title) for each top-level 《…》, nesting allowed."""
    out = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch == "《":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0:
                inner = text[start + 1:i]
                if inner.strip() and "\n" not in inner and len(inner) <= 80:
                    out.append((start, i + 1, inner.strip()))
        elif ch == "\n":
            depth = 0
    return out


def find_citations(text: str) -> list[Citation]:
    citations: list[Citation] = []
    aliases: dict[str, str] = {}
    for t_start, t_end, title in find_titles(text):
        if citations and t_start < citations[-1].end:
            continue  # inside the previous citation: its "（以下简称《条例》）"
        cit = Citation(title=title, start=t_start, end=t_end, title_start=t_start, title_end=t_end)
        pos = _read_brackets(text, t_end, cit)
        am = _ALIAS.match(text, pos)
        if am:
            cit.defines = am.group(1).strip()
            aliases[cit.defines] = title
            pos = am.end()
        pos = read_articles(text, pos, cit)
        cit.end = max(cit.end, pos)
        if title in aliases and aliases[title] != title and not cit.defines:
            cit.means = aliases[title]
        qm = _quote_nearby(text, cit.end)
        if qm:
            cit.quote = Quote(qm.group(1), qm.start(1), qm.end(1))
        citations.append(cit)
    return citations


def _read_brackets(text: str, pos: int, cit: Citation) -> int:
    """A version and a 文号 in brackets after the title, in either order: 《…》（2019年修订）（国务院令第722号）."""
    for _ in range(2):
        vm = _VERSION.match(text, pos)
        if vm and cit.version is None:
            cit.version = vm.group(1)
            pos = vm.end()
            continue
        nm = _NUMBER.match(text, pos)
        if nm and cit.number is None:
            cit.number, cit.number_start, cit.number_end = nm.group(1), nm.start(1), nm.end(1)
            pos = nm.end()
            continue
        break
    return pos


def read_articles(text: str, pos: int, cit: Citation) -> int:
    """Article references right after `pos` (第二条、第九十条, 第十条至第十二条) into `cit.articles`;
    returns where they end."""
    while True:
        m = _ARTICLE.match(text, pos)
        if not m:
            return pos
        number = parse_number(m.group(1))
        if number is None:
            return pos
        ref = ArticleRef(number, m.group(0), m.start(), m.end(),
                         parse_number(m.group(3)) if m.group(3) else None,
                         parse_number(m.group(4)) if m.group(4) else None)
        if m.group(2):
            ref.label = m.group(0)
        cit.articles.append(ref)
        pos = m.end()
        jm = _JOIN.match(text, pos)
        if jm and _ARTICLE.match(text, jm.end()):
            if jm.group(0) in ("至", "到", "—", "－", "-"):
                nxt = _ARTICLE.match(text, jm.end())
                last = parse_number(nxt.group(1)) if nxt else None
                if last and last > number and last - number < 200:
                    for n in range(number + 1, last):
                        cit.articles.append(ArticleRef(n, article_label(n), m.start(), nxt.end()))
            pos = jm.end()
            continue
        return pos


def _quote_nearby(text: str, pos: int):
    """'《条例》第二条第一款明确规定：“…”': a few words may stand between the citation and the verb,
    but not a sentence break."""
    m = _QUOTE.search(text, pos, min(len(text), pos + 640))
    if m and m.start() - pos <= 14 and not re.search(r"[。；;\n]", text[pos:m.start()]):
        return m
    return None
