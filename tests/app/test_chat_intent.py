"""Ordinary Chinese requests understood by the chat."""

import pytest

from assistant.app import parse_intent
from assistant.outline import load_outline

SUBS = {"一/(一)": "依法全面履行政府职能", "一/(四)": "行政执法严格规范公正文明", "一/(六)": "依法有效化解社会矛盾纠纷"}


@pytest.mark.parametrize("message,kind,target", [
    ("起草第一部分", "draft", "一"), ("帮我写一下第二部分", "draft", "二"), ("起草全文", "draft", "all"),
    ("写一下一、(六)", "draft", "一/(六)"), ("起草矛盾纠纷那部分", "draft", "一/(六)"),
    ("起草行政执法那一部分", "draft", "一/(四)"), ("写第四部分明年的安排", "draft", "四"),
    ("精简一些", "revise", None), ("扩写这一段", "revise", None), ("换个说法", "revise", None),
    ("语气更正式", "revise", None), ("按去年的结构写", "revise", None), ("把第二部分的原因写具体", "revise", "二"),
    ("检查一下全文", "check", "all"), ("核对数字有没有错", "check", "all"),
    ("去年报告里人民调解那部分怎么写的", "search", None), ("搜索 行政复议申请的受理期限", "search", None),
    ("重大行政决策要不要听证", "ask", None), ("你能做什么", "help", None),
])
def test_intents(message, kind, target):
    intent = parse_intent(message, load_outline(), SUBS)
    assert (intent.kind, intent.target) == (kind, target)


def test_article_lookups():
    intent = parse_intent("《行政复议法》第二条", load_outline())
    assert (intent.kind, intent.title, intent.article) == ("article", "行政复议法", "第二条")
    intent = parse_intent("行政复议法第九条是怎么规定的", load_outline())
    assert (intent.kind, intent.title, intent.article) == ("article", "行政复议法", "第九条")


@pytest.mark.parametrize("message,title,article", [
    ("帮我查一下行政复议法第九条", "行政复议法", "第九条"),  # the request's words are not the title
    ("查看行政复议法的第十条", "行政复议法", "第十条"),
    ("公平竞争审查条例第三条", "公平竞争审查条例", "第三条"),
    ("《行政复议法》（2017年修正）第二条", "行政复议法（2017年修正）", "第二条"),  # a version kept for the lookup
])
def test_article_lookups_in_free_wording(message, title, article):
    intent = parse_intent(message, load_outline())
    assert (intent.kind, intent.title, intent.article) == ("article", title, article)


def test_search_keeps_the_words():
    assert parse_intent("搜索 行政复议申请的受理期限").query == "行政复议申请的受理期限"
