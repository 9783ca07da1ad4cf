"""Understanding ordinary Chinese requests in the chat: draft a section, revise the selected
section, check the report, look up 《…》第X条, ask whether a document is still in force, ask for
one of this year's figures, search the knowledge base, or ask a question; a greeting gets help.

Only the user's own message is parsed here; text from documents never reaches this parser, so a
document that says "忽略以上指令" cannot trigger an action.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..numerals import CN_NUMERAL_CHARS
from ..outline import Outline

_DRAFT = re.compile(r"(起草|撰写|草拟|拟写|生成|写一?下|写一版|写出|帮我写|重写|出一?稿|^写|写(?:第|全文|一、|[（(]))")
_REVISE = re.compile(r"(精简|压缩|缩短|扩写|展开|充实|丰富|换个说法|换一种说法|改写|润色|正式|规范|具体|通顺|调整|修改|改成|改为|"
                     r"按去年|按照去年|参照去年|语气|口语|简洁|详细|删去|删掉|补充|突出|提炼|改一下)")
_CHECK = re.compile(r"(检查|核对|校对|校核|审核一下|有没有错|对不对|查错|核查)")
_ARTICLE = re.compile(rf"《([^》]+)》\s*([（(][^）)]*[）)])?\s*(?:的)?\s*第([{CN_NUMERAL_CHARS}0-9]+)条")
_ARTICLE_BARE = re.compile(rf"([\u4e00-\u9fff]{{2,30}}?(?:法|条例|规定|办法|决定|意见|纲要|解释))\s*()(?:的)?\s*第([{CN_NUMERAL_CHARS}0-9]+)条")
# words before a bare title that are the request, not the title: "帮我查一下行政复议法第九条"
_ASKING = re.compile(r"^.*(?:查一下|查查|查询|查看|看一下|看看|找一下|找找|搜一下|搜索|请问|告诉我|帮我|麻烦|我想知道|想了解)")
_SEARCH = re.compile(r"(搜索|搜一下|查找|找一下|找找|检索|查一下|查查|知识库|怎么写的|怎么写|有哪些规定|有什么规定|哪条|出处|依据)")
_VALIDITY = re.compile(r"(还有效|是否有效|有效吗|有没有效|还生效|是否生效|失效了?[吗没]|废止了?[吗没]|是否废止|是否失效|"
                       r"还能引用|能不能引用|可以引用吗|还适用吗|还在用吗|现行有效吗|效力状态|效力如何|过时了?吗|被取代了?吗)")
_TITLE_ONLY = re.compile(r"《([^》]{2,60})》\s*([（(][^）)]*[）)])?")
_BARE_TITLE = re.compile(r"([\u4e00-\u9fff（）()\d—-]{2,40}?(?:法|条例|规定|办法|决定|意见|纲要|规划|解释|准则|细则))")
_FACT = re.compile(r"(多少|几[件个次人名项家所场期份台户起宗批]|数量是|数字是|是几|比例是|率是|占比|增长了?多少|增加了?多少|"
                   r"减少了?多少|下降了?多少|有几)")
_GREETING = re.compile(r"^(你好|您好|hi|hello|嗨|哈喽|在吗|在不在|早上好|上午好|下午好|晚上好|谢谢|谢谢你|多谢|辛苦了|好的|嗯|喂)"
                       r"[啊呀呢吧哦～~！!。.，,\s]*$", re.IGNORECASE)
_PART = re.compile(r"第([一二三四五1-5])部分")
_PATH = re.compile(r"([一二三四五])\s*[、.．/]?\s*[（(]([一二三四五六七八九十]+)[）)]")
_SUB = re.compile(r"[（(]([一二三四五六七八九十]+)[）)]")
_WHOLE = re.compile(r"(全文|整个报告|整篇|全部|完整报告|整份|报告全文)")
_CN = {"1": "一", "2": "二", "3": "三", "4": "四", "5": "五"}
_PART_WORDS = {"一": ("举措", "成效", "主要工作"), "二": ("不足", "问题", "原因", "短板"),
               "三": ("第一责任人", "主要负责人", "履职"), "四": ("安排", "计划", "打算", "明年", "下一年")}


@dataclass
class Intent:
    kind: str  # draft | revise | check | article | validity | fact | search | ask | help
    target: str | None = None  # all | 一 | 一/(六) | None (the selected section)
    instruction: str = ""
    title: str | None = None
    article: str | None = None
    query: str = ""


def parse_intent(message: str, outline: Outline | None = None, subsections: dict[str, str] | None = None) -> Intent:
    """`subsections` maps a subsection path of the current report ('一/(六)') to its title, so
    '起草矛盾纠纷那部分' finds it."""
    text = message.strip()
    if not text or _GREETING.match(text):
        return Intent("help")
    if _VALIDITY.search(text) and not _DRAFT.search(text):
        title = _title_in(text)
        if title:
            return Intent("validity", title=title, query=text)
    m = _ARTICLE.search(text) or (_ARTICLE_BARE.search(text) if re.search(r"第.+条", text) else None)
    if m and not _DRAFT.search(text):
        title = m.group(1)
        if m.re is _ARTICLE_BARE:
            title = _ASKING.sub("", title) or title
        return Intent("article", title=title + (m.group(2) or ""), article=f"第{m.group(3)}条", query=text)
    target = _target(text, outline, subsections)
    if _DRAFT.search(text) and not _REVISE.search(text.replace("重写", "")):
        return Intent("draft", target=target or None, query=text)
    if _REVISE.search(text):
        return Intent("revise", target=target, instruction=text, query=text)
    if _CHECK.search(text):
        return Intent("check", target=target or "all", query=text)
    if _FACT.search(text) and not re.search(r"(报告里|报告中|往年|以前的报告|去年报告|上年报告)", text):
        return Intent("fact", target=target, query=text)
    if _SEARCH.search(text):
        return Intent("search", target=target, query=_search_query(text))
    if text in ("帮助", "help", "你能做什么", "怎么用", "？", "?"):
        return Intent("help")
    return Intent("ask", target=target, query=text)


def _title_in(text: str) -> str | None:
    m = _TITLE_ONLY.search(text)
    if m:
        return m.group(1) + (m.group(2) or "")
    m = _BARE_TITLE.search(_ASKING.sub("", text))
    return m.group(1) if m else None


def _target(text: str, outline: Outline | None, subsections: dict[str, str] | None) -> str | None:
    if _WHOLE.search(text):
        return "all"
    m = _PATH.search(text)
    if m:
        return f"{m.group(1)}/({m.group(2)})"
    m = _PART.search(text)
    if m:
        return _CN.get(m.group(1), m.group(1))
    m = _SUB.search(text)
    if m:
        return f"一/({m.group(1)})"
    for path, title in (subsections or {}).items():
        core = re.sub(r"^(依法|加强|推进|完善|健全|深化|持续|全面|坚持)", "", title)[:6]
        if core and core in text:
            return path
    if outline is not None and outline.part(1):
        for sub in outline.part(1).subsections:
            if sub.key in text:
                for path, title in (subsections or {}).items():
                    if any(k in title for k in sub.keywords + [sub.key]):
                        return path
    for key, words in _PART_WORDS.items():
        if any(w in text for w in words) and re.search(r"(部分|那段|这段|一段)", text):
            return key
    return None


_LEAD = re.compile(r"^(?:请|麻烦|帮我|帮忙|在知识库[里中]?|知识库[里中]?|搜索|搜一下|查找|找一下|找找|检索|查一下|查查|一下|[:：，, ])+")


def _search_query(text: str) -> str:
    cleaned = _LEAD.sub("", text.strip())
    return cleaned.strip(" ，。？?") or text
