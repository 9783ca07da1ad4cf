"""Parsing regulation texts by structure, in both formats of the shared corpus."""

import pytest

from assistant.knowledge import parse_regulation
from assistant.numerals import article_label, article_number
from tests.conftest import LIST_REGULATION, PLAIN_REGULATION, shared_regulation


def test_plain_format_articles_chapters_and_front_matter():
    reg = parse_regulation(PLAIN_REGULATION)
    assert reg.title == "示例行政执法监督条例"
    assert (reg.promulgated, reg.effective, reg.status) == ("2022-03-01", "2022-05-01", "现行有效")
    assert [a.number for a in reg.articles] == [1, 2, 3, 4, 5, 6, 108]
    assert reg.article(2).chapter == "第一章 总则"
    assert reg.article(2).paragraphs == ["县级以上人民政府负责本行政区域的行政执法监督工作。", "司法行政部门承担行政执法监督的具体工作。"]
    assert reg.article(108).label == "第一百零八条"
    assert reg.article(5).chapter == "第二章 监督内容"


def test_list_format_articles_items_and_version():
    reg = parse_regulation(LIST_REGULATION)
    assert reg.title == "示例党政机关法治建设责任规定" and reg.version == "2021年"
    assert reg.status == "现行有效" and reg.promulgated == "2021-06-01"
    assert [a.number for a in reg.articles] == [1, 2, 3, 4]
    third = reg.article(3)
    assert third.chapter == "第二章 职责"
    assert third.paragraphs == ["党政主要负责人应当每年听取一次法治建设工作汇报，研究解决重大问题。（一）带头学习法律法规；（二）带头依法决策。"]


@pytest.mark.parametrize("label,number", [("第一条", 1), ("第十条", 10), ("第二十五条", 25), ("第九十条", 90),
                                          ("第一百零八条", 108), ("第一百一十条", 110), ("第108条", 108)])
def test_article_numbers(label, number):
    assert article_number(label) == number
    if not label[1].isdigit():
        assert article_label(number) == label


def test_shared_corpus_both_formats():
    plain = parse_regulation(shared_regulation("中华人民共和国行政复议法.md").read_text(encoding="utf-8"))
    assert plain.title == "中华人民共和国行政复议法" and plain.article_count == 90
    assert plain.promulgated == "2023-09-01" and plain.effective == "2024-01-01"
    listed = parse_regulation(shared_regulation("法治政府建设与责任落实督察工作规定.md").read_text(encoding="utf-8"))
    assert listed.title == "法治政府建设与责任落实督察工作规定" and listed.article_count == 35
    assert "法治政府建设年度报告主要包括以下内容" in listed.article(25).text


def test_plain_text_title_from_its_first_line():
    text = "某市文明行为促进条例\n\n第一条　为了引导和促进文明行为，制定本条例。\n第二条　本条例自公布之日起施行。\n"
    assert parse_regulation(text, fallback_title="gbk").title == "某市文明行为促进条例"
    # a first line that is an article, not a title: the file name is all there is
    assert parse_regulation("第一条　为了规范管理，制定本办法。\n", fallback_title="管理办法").title == "管理办法"
