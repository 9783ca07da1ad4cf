"""Exporting a report draft to Word (.docx, GB/T 9704-2012 layout).

The draft is plain text, one paragraph per line. Its structure comes from the report tree
(`assistant.report_tree.parse_report`), so the export styles exactly what the checkers see:

    title line            方正小标宋简体 二号, centred, followed by one blank line
    salutation "州委、州政府:"  仿宋_GB2312 三号, flush left
    一、 part heading       黑体 三号, first line indented two characters
    （一） section heading   楷体_GB2312 三号 (body text after its 。 stays 仿宋)
    1. item               "1.标题。" in bold 仿宋_GB2312, the rest of the line regular
    body, （1） sub-items   仿宋_GB2312 三号, justified, first line indented two characters
    issuer and date       仿宋_GB2312 三号, after one blank line; the issuer two characters from the
                          right margin, the date starting two characters right of the issuer's
                          start (GB/T 9704-2012 7.3.5.2, a document without seal)

A heading that stands on a line of its own (the title, 一、, （一）, an item title without body)
is kept with the next paragraph, so that it is never left alone at the foot of a page.

Every paragraph uses a fixed ("exactly") line spacing of 28.95 pt, which gives the standard's
22 lines per A4 page. Page numbers are "— 1 —" in 4号 宋体, a real PAGE field, right-aligned on
odd pages and left-aligned on even pages, one character in from the margin.

Comments (`DocComment`) are anchored by character offsets into the text: the runs are split so
that each comment covers exactly its span. Whitespace at either end of a line is layout, not
content; the paragraph formatting replaces it, so it is not copied into the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Length, Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from ..report_tree import parse_report
from .lines import Kind, Line, report_lines

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
LEVEL1_FONT = "黑体"
LEVEL2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"  # digits and Latin letters in the text

TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
PAGE_NUMBER_SIZE = Pt(14)  # 4号
LINE_SPACING = Pt(28.95)  # 22 lines on the A4 type area
INDENT = Pt(32)  # two characters of 三号
SIGNOFF_RIGHT_INDENT = Pt(64)  # four characters of 三号 (a date with no issuer above it)
CHAR = 16  # points: one character of 三号

_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


@dataclass
class DocComment:
    """A comment on `text[start:end]` (Python str offsets, end exclusive)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _RunStyle:
    font: str  # East Asian font
    size: Length = BODY_SIZE
    bold: bool = False
    latin: str = LATIN_FONT


_HEAD_STYLE = {
    Kind.TITLE: _RunStyle(TITLE_FONT, TITLE_SIZE),
    Kind.LEVEL1: _RunStyle(LEVEL1_FONT),
    Kind.LEVEL2: _RunStyle(LEVEL2_FONT),
    Kind.ITEM: _RunStyle(BODY_FONT, bold=True),
}
_BODY_STYLE = _RunStyle(BODY_FONT)


def export_docx(text: str, path: str | Path, *, title: str | None = None, comments: list[DocComment] | None = None,
                author: str = "法治报告助手") -> Path:
    """Write `text` as a GB/T 9704-formatted .docx at `path` and return the path.

    `title` is put first when the text has no title line of its own. Each comment is anchored
    on exactly `text[start:end]`; a span crossing a line break is clipped to its first
    paragraph, and empty or out-of-range spans are skipped.
    """
    path = Path(path)
    tree = parse_report(text)
    lines = report_lines(text, tree)
    anchors = _anchor_comments(lines, comments or [], len(text))

    document = Document()
    _set_up_page(document)
    _set_up_normal_style(document)
    if title and tree.title is None:
        _add_title(document, title)

    line_runs: list[list[tuple[int, int, Run]]] = []
    indents = _signoff_indents(text, lines)
    for index, line in enumerate(lines):
        cuts = {offset for anchor in anchors if anchor.line == index for offset in (anchor.start, anchor.end)}
        if line.kind is Kind.SIGNOFF and (index == 0 or lines[index - 1].kind is not Kind.SIGNOFF):
            _add_blank_line(document)  # 正文下空一行编排发文机关署名
        paragraph = document.add_paragraph()
        _format_paragraph(paragraph, line.kind, heading_only=line.head_end is None)
        if index in indents:
            paragraph.paragraph_format.right_indent = indents[index]
        line_runs.append(_add_line_runs(paragraph, text, line, cuts))
        if line.kind is Kind.TITLE:
            _add_blank_line(document, keep_with_next=True)

    for anchor in anchors:
        runs = [run for start, end, run in line_runs[anchor.line] if anchor.start <= start and end <= anchor.end]
        document.add_comment(runs, text=anchor.comment.text, author=author)

    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


@dataclass(frozen=True)
class _Anchor:
    """Where a comment goes: `text[start:end]` within `lines[line]`."""

    line: int
    start: int
    end: int
    comment: DocComment


def _anchor_comments(lines: list[Line], comments: list[DocComment], text_length: int) -> list[_Anchor]:
    """Each valid comment, clipped to the first paragraph it touches."""
    anchors = []
    for comment in comments:
        if not 0 <= comment.start < comment.end <= text_length:
            continue
        for index, line in enumerate(lines):
            start, end = max(comment.start, line.start), min(comment.end, line.end)
            if start < end:
                anchors.append(_Anchor(index, start, end, comment))
                break
    return anchors


def _set_up_page(document) -> None:
    """A4 with the standard's margins, and page numbers on odd and even pages."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    # The dashes' top edge sits 7 mm below the type area: 35 − 7 mm, less one 4号 line.
    section.footer_distance = Emu(Mm(28) - PAGE_NUMBER_SIZE)
    document.settings.odd_and_even_pages_header_footer = True
    _add_page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    section.even_page_footer.is_linked_to_previous = False
    _add_page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


def _set_up_normal_style(document) -> None:
    """Normal: 仿宋_GB2312 三号, no spacing between paragraphs; the defaults lose their theme fonts."""
    normal = document.styles["Normal"]
    normal.font.size = BODY_SIZE
    defaults = document.styles.element.find(qn("w:docDefaults"))
    default_rPrs = list(defaults.iter(qn("w:rPr"))) if defaults is not None else []
    for rPr in [*default_rPrs, normal.element.get_or_add_rPr()]:
        _set_fonts(rPr.get_or_add_rFonts(), BODY_FONT)
        _set_east_asian_language(rPr)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = LINE_SPACING
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY


def _set_east_asian_language(rPr) -> None:
    lang = rPr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rPr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _signoff_indents(text: str, lines: list[Line]) -> dict[int, Length]:
    """Right indents of the issuer and the date (GB/T 9704-2012 7.3.5.2): the issuer two characters
    from the margin, the date's first character two characters right of the issuer's; a date
    longer than that allows goes two characters from the margin and the issuer moves left."""
    sign = [i for i, line in enumerate(lines) if line.kind is Kind.SIGNOFF]
    if len(sign) < 2:
        return {}
    issuer, date = sign[-2], sign[-1]
    w_issuer = _width(text[lines[issuer].start:lines[issuer].end])
    w_date = _width(text[lines[date].start:lines[date].end])
    right_issuer = 2.0
    right_date = right_issuer + w_issuer - w_date - 2
    if right_date < 2:
        right_date = 2.0
        right_issuer = right_date + w_date + 2 - w_issuer
    return {issuer: Pt(right_issuer * CHAR), date: Pt(right_date * CHAR)}


def _width(text: str) -> float:
    """Width in characters of 三号: CJK and full-width characters one, digits, Latin letters and
    spaces half (Times New Roman)."""
    import unicodedata

    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def _format_paragraph(paragraph: Paragraph, kind: Kind, heading_only: bool = False) -> None:
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = LINE_SPACING
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    if kind is Kind.TITLE:
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.first_line_indent = Pt(0)
    elif kind is Kind.SALUTATION:
        fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
        fmt.first_line_indent = Pt(0)
    elif kind is Kind.SIGNOFF:
        fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fmt.first_line_indent = Pt(0)
        fmt.right_indent = SIGNOFF_RIGHT_INDENT
    else:
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.first_line_indent = INDENT
    if kind in (Kind.LEVEL1, Kind.LEVEL2):
        _set_outline_level(paragraph, 0 if kind is Kind.LEVEL1 else 1)
    if kind is Kind.TITLE or (heading_only and kind in (Kind.LEVEL1, Kind.LEVEL2, Kind.ITEM)):
        fmt.keep_with_next = True  # never alone at the foot of a page


def _set_outline_level(paragraph: Paragraph, level: int) -> None:
    """Show part and section headings in Word's and WPS's navigation pane."""
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level))
    paragraph._p.get_or_add_pPr().append(outline)


def _add_title(document, title: str) -> None:
    paragraph = document.add_paragraph()
    _format_paragraph(paragraph, Kind.TITLE)
    _add_run(paragraph, title, _HEAD_STYLE[Kind.TITLE])
    _add_blank_line(document, keep_with_next=True)


def _add_blank_line(document, keep_with_next: bool = False) -> None:
    paragraph = document.add_paragraph()
    _format_paragraph(paragraph, Kind.BODY)
    if keep_with_next:
        paragraph.paragraph_format.keep_with_next = True


def _add_line_runs(paragraph: Paragraph, text: str, line: Line, cuts: set[int]) -> list[tuple[int, int, Run]]:
    """Write `line` as runs split at its heading boundary and at `cuts`; returns (start, end, run)."""
    head_style = _HEAD_STYLE.get(line.kind, _BODY_STYLE)
    head_end = line.head_end if line.head_end is not None else line.end
    bounds = sorted({line.start, line.end, head_end} | {cut for cut in cuts if line.start < cut < line.end})
    runs = []
    for start, end in zip(bounds, bounds[1:]):
        style = head_style if end <= head_end else _BODY_STYLE
        runs.append((start, end, _add_run(paragraph, text[start:end], style)))
    return runs


def _add_run(paragraph: Paragraph, content: str, style: _RunStyle) -> Run:
    run = paragraph.add_run(content)
    _style_run(run, style)
    return run


def _style_run(run: Run, style: _RunStyle) -> None:
    run.font.size = style.size
    run.font.bold = style.bold or None
    _set_fonts(run._element.get_or_add_rPr().get_or_add_rFonts(), style.font, style.latin)


def _set_fonts(fonts, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Name the fonts explicitly (theme fonts would win) and render ambiguous marks such as
    “” and — with the East Asian font, as Word and WPS do for Chinese text."""
    for attr in _THEME_FONT_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")


def _add_page_number(footer, alignment: WD_ALIGN_PARAGRAPH) -> None:
    """The page number, "— 1 —" around a PAGE field, one character in from the margin."""
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.alignment = alignment
    indent = paragraph.paragraph_format
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        indent.right_indent = PAGE_NUMBER_SIZE
    else:
        indent.left_indent = PAGE_NUMBER_SIZE
    style = _RunStyle(PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE, latin=PAGE_NUMBER_FONT)
    _add_page_run(paragraph, style, text="— ")
    _add_page_run(paragraph, style, field_char="begin")
    _add_page_run(paragraph, style, instruction=" PAGE ")
    _add_page_run(paragraph, style, field_char="separate")
    _add_page_run(paragraph, style, text="1")
    _add_page_run(paragraph, style, field_char="end")
    _add_page_run(paragraph, style, text=" —")


def _add_page_run(paragraph: Paragraph, style: _RunStyle, *, text: str = "", field_char: str | None = None,
                  instruction: str | None = None) -> None:
    run = paragraph.add_run(text)
    _style_run(run, style)
    if field_char:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), field_char)
        run._r.append(element)
    if instruction:
        element = OxmlElement("w:instrText")
        element.set(qn("xml:space"), "preserve")
        element.text = instruction
        run._r.append(element)
