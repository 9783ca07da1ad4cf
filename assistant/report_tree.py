"""The report tree: one data model for a report's structure, shared by every stage.

A report is plain text; the tree is derived from it and points into it by character offsets
(Python str indices, end exclusive), so a finding, a chunk or a section always maps back to the
exact text the user sees. Numbering follows the official style:

    一、 part (level 1)     （一）/(一) section (level 2)     1. / 1．/ 1、 item (level 3)     （1） sub-item (level 4)

`path` joins the normalised tokens with "/": "一/(六)/1".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from .numerals import parse_number

# A heading may be wrapped in Markdown: "## 一、…", "**（一）…**", "- 1. …" is not a heading.
_MD_PREFIX = re.compile(r"^[ \t\u3000]*(?:#{1,6}[ \t]+)?(?:\*\*|__)?[ \t\u3000]*")
_LEVELS = (
    (1, re.compile(r"([一二三四五六七八九十]{1,3})[、．.](?![一二三四五六七八九十])")),
    (2, re.compile(r"[（(]([一二三四五六七八九十]{1,3})[）)]")),
    (3, re.compile(r"(\d{1,2})(?:[．、]|\.(?!\d))")),
    (4, re.compile(r"[（(](\d{1,2})[）)]")),
)
_TITLE_STOP = "。；;：:！？!?"
_MAX_TITLE = 60
DATE_LINE = re.compile(r"^[ \t\u3000]*(\d{4}|[〇零一二三四五六七八九]{4})年(\d{1,2}|[〇零一二三四五六七八九十]{1,3})月"
                       r"(\d{1,2}|[〇零一二三四五六七八九十]{1,3})日[ \t\u3000]*$")
_REGION = re.compile(
    r"((?:[\u4e00-\u9fff]{2,8}?(?:省|自治区))?[\u4e00-\u9fff]{1,10}?"
    r"(?:自治州|自治县|特别行政区|市|州|县|区|旗|盟|省|自治区))"
    r"(?=委|人民政府|政府|党委|司法局|法治|\d|二〇|年度|的|全面|各级|坚持|深入|以习)"
)
_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})年")
ASIDE = re.compile(r"《[^》]*》|〈[^〉]*〉|[（(][^）)]*[）)]")


def normalise_token(level: int, raw: str) -> str:
    """The path token of a heading: '六' (level 1), '(六)' (2), '3' (3), '(3)' (4)."""
    value = raw.strip()
    if level in (2, 4):
        return f"({value})"
    return value


def split_path(path: str) -> list[str]:
    """'一.(六)' / '一/(六)' / '一、（六）' → ['一', '(六)']; accepts the CLI's and the UI's spellings."""
    path = path.strip().replace("（", "(").replace("）", ")").replace("、", "/")
    parts: list[str] = []
    for piece in re.split(r"[/.\s]+", path):
        piece = piece.strip()
        if not piece:
            continue
        # "一(六)" written without a separator
        parts.extend(p for p in re.split(r"(?=\()", piece) if p)
    return parts


def display_token(level: int, token: str) -> str:
    """How a path token is written in a heading: '一' → '一、', '(六)' → '（六）', '2' → '2.'."""
    if level == 1:
        return f"{token}、"
    if level in (2, 4):
        return token.replace("(", "（").replace(")", "）")
    return f"{token}."


def join_path(tokens: list[str]) -> str:
    return "/".join(tokens)


@dataclass
class Section:
    """One numbered unit of the report: a part (一、), a section ((一)), an item (1.) or sub-item ((1))."""

    level: int
    token: str  # normalised numbering token: '一', '(一)', '1', '(1)'
    number: int  # the token's value: 1, 2, …
    title: str  # the heading text without its numbering
    start: int  # offset of the heading's first character (after Markdown markers)
    line_start: int  # offset of the heading line (including Markdown markers)
    heading_end: int  # where the heading ends and the body begins
    end: int  # end of the whole section (exclusive)
    path: str = ""
    part: int | None = None  # 1–4 (5 optional) by meaning, inherited by descendants
    children: list["Section"] = field(default_factory=list)

    def walk(self) -> Iterator["Section"]:
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def tokens(self) -> list[str]:
        return self.path.split("/")


@dataclass
class Signoff:
    start: int
    end: int
    issuer: str | None
    date: str | None


@dataclass
class ReportTree:
    text: str
    title: str | None = None
    title_span: tuple[int, int] | None = None
    recipient: str | None = None  # 主送机关, e.g. "州委、州政府"
    region: str | None = None
    year: int | None = None
    sections: list[Section] = field(default_factory=list)  # level-1 parts, in order
    signoff: Signoff | None = None
    preamble_end: int = 0  # offset where the first part starts

    def walk(self) -> Iterator[Section]:
        for section in self.sections:
            yield from section.walk()

    def find(self, path: str) -> Section | None:
        want = split_path(path)
        for section in self.walk():
            if section.tokens == want:
                return section
        return None

    def part(self, number: int) -> Section | None:
        for section in self.sections:
            if section.part == number:
                return section
        return None

    def section_text(self, section: Section) -> str:
        return self.text[section.line_start:section.end]

    def body_text(self, section: Section) -> str:
        return self.text[section.heading_end:section.end]

    def section_at(self, offset: int) -> Section | None:
        """The deepest section containing `offset`."""
        found = None
        for section in self.walk():
            if section.line_start <= offset < section.end:
                found = section
        return found

    @property
    def preamble(self) -> str:
        return self.text[:self.preamble_end]


def _strip_markup(line: str) -> tuple[str, int]:
    m = _MD_PREFIX.match(line)
    skip = m.end() if m else 0
    return line[skip:], skip


def match_heading(line: str) -> tuple[int, str, int] | None:
    """(level, raw token, length of the numbering) when the line starts with a heading number."""
    stripped, _ = _strip_markup(line)
    for level, pattern in _LEVELS:
        m = pattern.match(stripped)
        if m:
            rest = stripped[m.end():]
            # "一是…", "1.2万件…" and a bare number are not headings
            if not rest.strip() or rest.lstrip("*_ ").startswith(("是", "要", "%", "％")):
                return None
            return level, m.group(1), m.end()
    return None


def _heading_title(rest: str, level: int) -> tuple[str, int]:
    """The heading's title in `rest` (the line after the numbering) and how many characters it
    takes. An inline heading ("1.持续推进政府职能转变。加快…") ends at its first stop mark;
    otherwise the heading is the whole line. A long item with no early stop has no title."""
    line = rest.split("\n", 1)[0]
    body = line.rstrip(" \t\u3000")
    stop = next((i for i, ch in enumerate(body) if ch in _TITLE_STOP), None)
    if stop is not None and stop <= _MAX_TITLE and stop < len(body.rstrip("*_")) - 1:
        return body[:stop].strip("*_ \u3000"), stop + 1
    if level <= 2 or len(body) <= _MAX_TITLE:
        return body.strip("*_ \u3000").rstrip(_TITLE_STOP), len(line)
    return "", 0


def parse_report(text: str, classify=None) -> ReportTree:
    """Parse a report's text into its tree. `classify(title, position) -> part` maps level-1
    headings to the required parts by meaning (the outline's classifier by default)."""
    if classify is None:
        from .outline import load_outline

        classify = load_outline().classify_heading
    tree = ReportTree(text=text)
    tree.signoff = _find_signoff(text)
    body_limit = tree.signoff.start if tree.signoff else len(text)

    flat: list[Section] = []
    offset = 0
    for line in text.split("\n"):
        line_start = offset
        offset += len(line) + 1
        if line_start >= body_limit:
            break
        hit = match_heading(line)
        if not hit:
            continue
        level, raw, token_len = hit
        number = parse_number(raw)
        if number is None:
            continue
        _, skip = _strip_markup(line)
        rest = line[skip + token_len:]
        title, title_len = _heading_title(rest, level)
        start = line_start + skip
        heading_end = start + token_len + title_len
        if title_len == len(rest):
            heading_end = min(line_start + len(line) + 1, len(text))
        flat.append(Section(level, normalise_token(level, raw), number, title.strip(), start, line_start,
                            heading_end, body_limit))
    # Nest: a heading closes every open heading of the same or a deeper level.
    stack: list[Section] = []
    for section in flat:
        while stack and stack[-1].level >= section.level:
            closed = stack.pop()
            closed.end = section.line_start
            _trim_end(text, closed)
        if stack:
            stack[-1].children.append(section)
        else:
            tree.sections.append(section)
        stack.append(section)
    for open_section in stack:
        open_section.end = body_limit
        _trim_end(text, open_section)
    # Paths and parts: a whole-report classifier (the outline's `classify_parts`) sees every
    # level-1 heading with its body, so a heading that names nothing is read by its content and
    # neighbours; a plain `classify(title, position)` sees one heading at a time.
    tops = [s for s in tree.sections if s.level == 1]
    whole = getattr(getattr(classify, "__self__", None), "classify_parts", None)
    if whole is not None:
        parts = whole([(s.title, text[s.heading_end:s.end]) for s in tops], list(range(len(tops))))
    else:
        parts = [classify(s.title, position) for position, s in enumerate(tops)]
    by_section = {id(s): p for s, p in zip(tops, parts)}
    for top in tree.sections:
        top.part = by_section.get(id(top))
        for section in top.walk():
            section.part = top.part
    for top in tree.sections:
        _assign_paths(top, [])
    tree.preamble_end = tree.sections[0].line_start if tree.sections else body_limit
    _read_front(tree)
    return tree


def _trim_end(text: str, section: Section) -> None:
    section.end = max(section.heading_end, section.end)


def _assign_paths(section: Section, prefix: list[str]) -> None:
    tokens = prefix + [section.token]
    section.path = join_path(tokens)
    for child in section.children:
        _assign_paths(child, tokens)


def _find_signoff(text: str) -> Signoff | None:
    lines = text.rstrip().split("\n")
    if not lines or not DATE_LINE.match(lines[-1]):
        return None
    date_line = lines[-1].strip()
    end = len(text.rstrip())
    date_start = end - len(lines[-1])
    start, issuer = date_start, None
    if len(lines) >= 2:
        prev = lines[-2].strip()
        if prev and len(prev) <= 40 and "。" not in prev and not match_heading(prev) and not prev.endswith(("：", ":")):
            issuer = prev
            start = date_start - len(lines[-2]) - 1
    return Signoff(start=start, end=len(text), issuer=issuer, date=date_line)


def _read_front(tree: ReportTree) -> None:
    """Title, recipient, region and year from the first lines (the parts stay untouched)."""
    pre = tree.preamble
    offset = 0
    for line in pre.split("\n"):
        stripped = line.strip().strip("#*_ ").strip()
        if not stripped:
            offset += len(line) + 1
            continue
        if stripped.endswith(("：", ":")) and len(stripped) <= 40:
            tree.recipient = stripped.rstrip("：:")
        elif len(stripped) <= 60 and "。" not in stripped and ("报告" in stripped or "法治" in stripped):
            tree.title = stripped
            tree.title_span = (offset + line.index(stripped[0]), offset + line.index(stripped[0]) + len(stripped))
        break
    # the year: the title's, else the first year of the opening lines outside cited titles and
    # brackets (《纲要（2021—2025年）》, (2017年修正) are other documents' years), else the year
    # before the sign-off date (a report is signed early the next year)
    m = _YEAR.search(ASIDE.sub(" ", tree.title or "")) or _YEAR.search(ASIDE.sub(" ", pre[:600]))
    signed = _YEAR.search(tree.signoff.date or "") if tree.signoff else None
    if m:
        tree.year = int(m.group(1))
    elif signed:
        tree.year = int(signed.group(1)) - 1
    elif m := _YEAR.search(ASIDE.sub(" ", tree.text[:600])):
        tree.year = int(m.group(1))
    tree.region = detect_region(tree.title or "") or detect_region(pre[:600] or tree.text[:600])


def detect_region(text: str) -> str | None:
    m = _REGION.search(text.replace("\n", " "))
    if not m:
        return None
    region = m.group(1)
    # "吉林省珲春市" → the most specific unit, "珲春市"
    inner = re.match(r"[\u4e00-\u9fff]{2,8}?(?:省|自治区)(.{2,}(?:市|州|县|区|旗|盟))$", region)
    return inner.group(1) if inner else region
