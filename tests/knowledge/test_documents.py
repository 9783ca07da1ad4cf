"""Reading documents: encodings, .docx, .pdf, and clear errors for what cannot be read."""

import pytest

from assistant.errors import DocumentError
from assistant.knowledge import read_document


def test_utf8_and_gb18030_text_read_the_same(tmp_path):
    text = "一、2023年推进法治政府建设的主要举措和成效\n全年受理行政复议案件16件。"
    (tmp_path / "u.txt").write_text(text, encoding="utf-8")
    (tmp_path / "g.txt").write_bytes(text.encode("gb18030"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    for name, encoding in (("u.txt", "utf-8"), ("g.txt", "gb18030"), ("bom.txt", "utf-8-sig")):
        doc = read_document(tmp_path / name)
        assert doc.text == text
        assert doc.encoding == encoding


def test_docx_paragraphs_joined_by_newlines(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("一、主要举措和成效")
    d.add_paragraph("（一）依法全面履行政府职能")
    d.add_paragraph("1.持续推进政府职能转变。完成36个部门的梳理。")
    d.save(tmp_path / "r.docx")
    doc = read_document(tmp_path / "r.docx")
    assert doc.text == "一、主要举措和成效\n（一）依法全面履行政府职能\n1.持续推进政府职能转变。完成36个部门的梳理。"
    assert doc.fmt == "docx"


def test_pdf_text_extracted(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(tmp_path / "r.pdf"))
    c.setFont("STSong-Light", 12)
    c.drawString(50, 800, "第二条 公民、法人或者其他组织认为行政行为侵犯其合法权益。")
    c.save()
    doc = read_document(tmp_path / "r.pdf")
    assert "第二条 公民、法人或者其他组织认为行政行为侵犯其合法权益。" in doc.text


@pytest.mark.parametrize("name,content,words", [
    ("bad.docx", b"PK\x03\x04 not really a zip", "Word 文件已损坏"),
    ("empty.txt", b"", "文件是空的"),
    ("blank.md", b"  \n\n ", "文件是空的"),
    ("binary.txt", bytes(range(256)) * 8, "不是文本文件"),
    ("bad.pdf", b"%PDF-1.4 garbage", "PDF 文件已损坏"),
    ("old.doc", b"\xd0\xcf\x11\xe0", "不支持的文件类型"),
])
def test_unreadable_files_give_clear_bilingual_errors(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as info:
        read_document(path)
    message = info.value.text()
    assert words in message
    assert name in message
    assert any(ch.isascii() and ch.isalpha() for ch in info.value.en)  # an English line too


def _broken_zip_member(source, target, member):
    """A copy of the zip `source` whose `member` is cut in half (broken XML, a valid zip)."""
    import zipfile

    with zipfile.ZipFile(source) as z, zipfile.ZipFile(target, "w") as out:
        for item in z.infolist():
            data = z.read(item.filename)
            out.writestr(item, data[: len(data) // 2] if item.filename == member else data)
    return target


def test_docx_with_broken_xml_is_a_document_error_naming_the_file(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("一、主要举措和成效")
    d.save(tmp_path / "ok.docx")
    broken = _broken_zip_member(tmp_path / "ok.docx", tmp_path / "某县报告.docx", "word/document.xml")
    with pytest.raises(DocumentError) as info:
        read_document(broken)
    assert "Word 文件已损坏" in info.value.zh and "某县报告.docx" in info.value.zh
    assert "XMLSyntaxError" in info.value.en  # what broke, for whoever looks into it


TRADITIONAL = ("一、2024年推進法治政府建設的主要舉措和成效\n全年行政復議機關受理案件21件，辦結19件。"
               "琿春市堅持以習近平法治思想為指導，深入推進依法行政。\n")


def test_big5_text_is_read_as_big5_not_as_gbk_mojibake(tmp_path):
    (tmp_path / "big5.txt").write_bytes(TRADITIONAL.encode("big5"))
    assert TRADITIONAL.encode("big5").decode("gb18030") != TRADITIONAL  # it decodes, wrongly
    doc = read_document(tmp_path / "big5.txt")
    assert doc.text == TRADITIONAL and doc.encoding == "big5"


def test_gbk_text_with_few_chinese_characters_is_still_gbk(tmp_path):
    text = "一、Report 2024\n受理21件。"
    (tmp_path / "g.txt").write_bytes(text.encode("gbk"))
    doc = read_document(tmp_path / "g.txt")
    assert doc.text == text and doc.encoding == "gb18030"
