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


@pytest.mark.parametrize("message,kind,title", [
    ("《信访条例》还有效吗", "validity", "信访条例"), ("信访条例还有效吗？", "validity", "信访条例"),
    ("请问《法治政府建设实施纲要（2015—2020年）》还能引用吗", "validity", "法治政府建设实施纲要（2015—2020年）"),
    ("今年行政复议受理了多少件？", "fact", None), ("人民调解成功率是多少", "fact", None), ("今年培训了几次", "fact", None),
    ("你好", "help", None), ("您好！", "help", None), ("谢谢", "help", None),
    ("去年报告里人民调解受理了多少件", "ask", None),  # last year's report: a search, not this year's figure
])
def test_validity_facts_and_greetings(message, kind, title):
    intent = parse_intent(message, load_outline(), SUBS)
    assert (intent.kind, intent.title) == (kind, title)


def test_a_word_diff_keeps_numbers_whole_and_counts_the_changes():
    from assistant.app import diff_html

    html = diff_html("全年受理行政复议案件21件，审结19件。", "全年受理行政复议案件25件，审结19件。")
    assert '<del>21件</del><ins>25件</ins>' in html and "共 1 处改动（按词比较）" in html
    html = diff_html("一是甲。二是乙。三是丙。", "一是甲。二是丁。三是丙。", mode="sentence")
    assert "<del>二是乙。</del><ins>二是丁。</ins>" in html and 'data-changes="1"' in html
    assert "两个版本相同" in diff_html("相同", "相同")


def test_only_literal_suggestions_can_be_applied():
    from assistant.app import replacement
    from assistant.checks import Finding

    def f(kind, text, suggestion):
        return Finding(kind, "error", 0, len(text), text, "", suggestion=suggestion)

    assert replacement(f("figure_mismatch", "480件", "改为“408件”")) == "408件"
    assert replacement(f("citation_unknown", "《优化营商环境暂行条例》", "改为《优化营商环境条例》")) == "《优化营商环境条例》"
    assert replacement(f("punctuation_halfwidth", ",我市(街道)", "改为全角标点（可一键更正）")) == "，我市（街道）"
    assert replacement(f("year_mismatch", "2023年", "改为“2024年”，并核对这段内容是否为本年度情况")) is None
    assert replacement(f("figure_unsupported", "99件", "补充该指标，或删去/改写该数字")) is None
    assert replacement(f("draft_mark", "〔待核实：x〕", "处理后删去标记")) is None
