"""Word and Markdown export: GB/T 9704 layout, fonts, page numbers and anchored comments."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from assistant.export import DocComment, export_docx, export_markdown

REPORT = Path(__file__).parents[2] / "corpus" / "reports" / "hunchun-2023-rule-of-law-report.txt"
TITLE = "珲春市2023年法治政府建设年度报告"
MEDIATION = "416件"
REGULATION = "《优化营商环境条例》"
NESTED = "优化营商"  # a comment inside the REGULATION comment


@pytest.fixture(scope="module")
def text() -> str:
    return REPORT.read_text(encoding="utf-8")


def comment_on(text: str, needle: str, note: str, within: str | None = None) -> DocComment:
    base = text.index(within) if within else 0
    start = text.index(needle, base)
    return DocComment(start, start + len(needle), note)


@pytest.fixture(scope="module")
def comments(text: str) -> list[DocComment]:
    return [
        comment_on(text, MEDIATION, "指标 mediation.accepted = 416件（输入数据）"),
        comment_on(text, REGULATION, "法规引用：国务院令第722号"),
        comment_on(text, NESTED, "核对法规全称", within=REGULATION),
    ]


@pytest.fixture(scope="module")
def document(text: str, comments: list[DocComment], tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "report.docx"
    written = export_docx(text, path, title=TITLE, comments=comments)
    assert written == path and path.stat().st_size > 0
    return docx.Document(str(path))


def east_asia(run) -> str | None:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def paragraph_starting(document, prefix: str):
    return next(p for p in document.paragraphs if p.text.startswith(prefix))


def source_lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def test_page_is_a4_with_gbt_margins(document):
    section = document.sections[0]
    measured = [section.page_width, section.page_height, section.top_margin, section.bottom_margin,
                section.left_margin, section.right_margin]
    assert [length.mm for length in measured] == pytest.approx([210, 297, 37, 35, 28, 26], abs=0.2)


def test_title_comes_first_centred_in_xiaobiaosong(document):
    title = document.paragraphs[0]
    assert title.text == TITLE
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert not title.paragraph_format.first_line_indent
    assert [(east_asia(r), r.font.size) for r in title.runs] == [("方正小标宋简体", Pt(22))]


def test_normal_style_is_fangsong_sanhao(document):
    normal = document.styles["Normal"]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.font.size == Pt(16)


def test_body_paragraph_layout(document):
    body = paragraph_starting(document, "2023年,珲春市委市政府")
    fmt = body.paragraph_format
    assert fmt.first_line_indent == Pt(32)
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert fmt.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    for run in body.runs:
        assert (east_asia(run), run.font.size, bool(run.font.bold)) == ("仿宋_GB2312", Pt(16), False)
        assert run._element.rPr.rFonts.get(qn("w:ascii"))  # digits get a font too


def test_salutation_is_flush_left(document):
    salutation = document.paragraphs[2]  # title, blank line, salutation
    assert salutation.text == "州委、州政府:"
    assert not salutation.paragraph_format.first_line_indent
    assert salutation.alignment in (None, WD_ALIGN_PARAGRAPH.LEFT)
    assert east_asia(salutation.runs[0]) == "仿宋_GB2312"


def test_heading_fonts_by_level(document):
    part = paragraph_starting(document, "一、2023年推进法治政府建设")
    section = paragraph_starting(document, "(一)依法全面履行政府职能")
    for heading, font in ((part, "黑体"), (section, "楷体_GB2312")):
        assert heading.paragraph_format.first_line_indent == Pt(32)
        assert {east_asia(run) for run in heading.runs} == {font}
        assert all(run.font.size == Pt(16) for run in heading.runs)


def test_item_title_is_bold_and_body_regular_in_one_paragraph(document):
    item = paragraph_starting(document, "1.持续推进政府职能转变。")
    first, *rest = item.runs
    assert first.text == "1.持续推进政府职能转变。" and first.font.bold
    assert rest and all(not run.font.bold for run in rest)
    assert item.text.startswith("1.持续推进政府职能转变。加快新版全流程审批系统应用")
    assert {east_asia(run) for run in item.runs} == {"仿宋_GB2312"}


def test_signoff_follows_gbt_9704_for_a_document_without_seal(document):
    """7.3.5.2: one blank line after the text, the issuer two characters from the right margin, the
    date's first character two characters right of the issuer's first."""
    blank, issuer, date = document.paragraphs[-3:]
    assert blank.text == "" and document.paragraphs[-4].text.endswith("依法履职能力。")  # right after the text
    assert (issuer.text, date.text) == ("中共珲春市委 珲春市人民政府", "2024年2月27日")
    for paragraph in (issuer, date):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT
        assert not paragraph.paragraph_format.first_line_indent
    assert issuer.paragraph_format.right_indent == Pt(32)
    # widths in characters of 三号: 13 Chinese characters and a space; 3 and 7 digits
    issuer_start = 2 + 13.5
    date_start = date.paragraph_format.right_indent.pt / 16 + 6.5
    assert issuer_start - date_start == pytest.approx(2)


def test_a_date_longer_than_the_issuer_goes_two_characters_in(tmp_path):
    text = "某局2024年法治政府建设年度报告\n一、主要举措和成效\n全年办理案件21件。\n某局\n2025年12月31日"
    document = docx.Document(str(export_docx(text, tmp_path / "short.docx")))
    issuer, date = document.paragraphs[-2:]
    assert date.paragraph_format.right_indent == Pt(32)
    # the issuer (2 characters wide) starts 2 characters left of the date (8 digits and 3 characters: 7)
    assert issuer.paragraph_format.right_indent.pt / 16 + 2 == pytest.approx(2 + 7 + 2)


def test_headings_on_a_line_of_their_own_are_kept_with_the_next_paragraph(document):
    def keep(prefix: str) -> bool:
        return bool(paragraph_starting(document, prefix).paragraph_format.keep_with_next)

    assert keep(TITLE) and keep("一、2023年推进法治政府") and keep("(一)依法全面履行政府") and keep("四、2024年度")
    assert document.paragraphs[1].paragraph_format.keep_with_next  # the blank line after the title
    assert not keep("2023年,珲春市委市政府")  # body text flows
    assert not keep("1.持续推进政府职能转变")  # an item with its text in the same paragraph


def test_every_line_lands_in_order(document, text):
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs == [TITLE, *source_lines(text)]


def footer_xml(footer) -> str:
    return footer._element.xml


@pytest.mark.parametrize("which, alignment", [("footer", "right"), ("even_page_footer", "left")])
def test_page_numbers_on_odd_and_even_pages(document, which, alignment):
    footer = getattr(document.sections[0], which)
    assert not footer.is_linked_to_previous
    xml = footer_xml(footer)
    assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
    assert "> PAGE </w:instrText>" in xml
    (paragraph,) = footer.paragraphs
    assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
    assert f'<w:jc w:val="{alignment}"/>' in xml
    assert {run.font.size for run in paragraph.runs} == {Pt(14)}
    assert {east_asia(run) for run in paragraph.runs} == {"宋体"}
    assert document.settings.odd_and_even_pages_header_footer


def commented_text(document) -> dict[int, str]:
    """The text between each comment's range start and end, read from the body XML in order."""
    open_ids: set[int] = set()
    spans: dict[int, str] = {}
    for element in document.element.body.iter():
        if element.tag == qn("w:commentRangeStart"):
            comment_id = int(element.get(qn("w:id")))
            open_ids.add(comment_id)
            spans[comment_id] = ""
        elif element.tag == qn("w:commentRangeEnd"):
            open_ids.discard(int(element.get(qn("w:id"))))
        elif element.tag == qn("w:t"):
            for comment_id in open_ids:
                spans[comment_id] += element.text or ""
    return spans


def test_comments_are_anchored_on_exactly_their_text(document, comments):
    by_id = {comment.comment_id: comment for comment in document.comments}
    assert sorted(c.text for c in by_id.values()) == sorted(c.text for c in comments)
    assert {c.author for c in by_id.values()} == {"法治报告助手"}
    anchored = {by_id[comment_id].text: span for comment_id, span in commented_text(document).items()}
    assert anchored == {
        comments[0].text: MEDIATION,
        comments[1].text: REGULATION,
        comments[2].text: NESTED,
    }


def test_comment_spans_are_clipped_or_skipped(tmp_path, text):
    heading = text.index("(一)依法全面履行政府职能")
    line_end = text.index("\n", heading)
    comments = [
        DocComment(heading + 3, line_end + 5, "跨段批注"),  # runs into the next paragraph
        DocComment(10, 10, "空"),
        DocComment(len(text) - 2, len(text) + 5, "越界"),
        DocComment(line_end, line_end + 1, "只有换行"),
    ]
    document = docx.Document(str(export_docx(text, tmp_path / "clip.docx", comments=comments)))
    assert [c.text for c in document.comments] == ["跨段批注"]
    assert list(commented_text(document).values()) == ["依法全面履行政府职能"]
    assert [p.text for p in document.paragraphs if p.text] == source_lines(text)  # no title given


INLINE = "\n".join([
    "某县2024年法治政府建设年度报告",
    "市委、市政府：",
    "一、主要举措",
    "（一）加强组织领导。全年召开专题会议3次。",
    "1. 表述规范",
    "某县人民政府",
    "2025年1月20日",
])


def test_text_title_wins_and_inline_level2_heading_switches_font(tmp_path):
    document = docx.Document(str(export_docx(INLINE, tmp_path / "inline.docx", title="不应出现的标题")))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts == source_lines(INLINE)
    assert east_asia(document.paragraphs[0].runs[0]) == "方正小标宋简体"
    heading = paragraph_starting(document, "（一）")
    assert [(run.text, east_asia(run)) for run in heading.runs] == [
        ("（一）加强组织领导。", "楷体_GB2312"),
        ("全年召开专题会议3次。", "仿宋_GB2312"),
    ]


def test_markdown_headings_and_paragraphs(text):
    markdown = export_markdown(text, title=TITLE)
    blocks = markdown.strip().split("\n\n")
    assert blocks[0] == f"# {TITLE}"
    assert blocks[1] == "州委、州政府:"
    assert "## 一、2023年推进法治政府建设的主要举措和成效" in blocks
    assert "### (一)依法全面履行政府职能" in blocks
    assert "## 四、2024年度推进法治政府建设的总体安排" in blocks
    item = next(b for b in blocks if b.startswith("1.持续推进政府职能转变。"))
    assert "加快新版全流程审批系统应用" in item
    assert blocks[-2:] == ["中共珲春市委 珲春市人民政府", "2024年2月27日"]
    assert sum(b.startswith("## ") for b in blocks) == 4
    assert sum(b.startswith("### ") for b in blocks) == 6


def test_markdown_splits_inline_heading_and_escapes_list_markers():
    blocks = export_markdown(INLINE).strip().split("\n\n")
    assert blocks[0] == "# 某县2024年法治政府建设年度报告"
    assert "### （一）加强组织领导。" in blocks
    assert "全年召开专题会议3次。" in blocks
    assert "1\\. 表述规范" in blocks
