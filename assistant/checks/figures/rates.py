"""A rate checked against the counts it is made of, with or without inputs: "审结158件，纠错23件，
纠错率14.6%" must give 23 ÷ 158.

The part is the count named by the rate's own name, by words its base does not share ("纠错23件"
for 纠错率; not "案卷" of "评查案卷420卷…评出优秀案卷36卷" for 案卷合格率); or, for a share of a subset
written "X中/其中…Y，占Z%", the second of two counts. A part named by the negation of the rate's name
("检出不合格样品54批" for 抽检合格率) makes the complement. The base is an earlier count at least as
large, and there can be several ("收到176件，受理163件，审结158件，纠错23件"): the rate is right when it
fits one of them. When it fits none, the finding names the likeliest base and suggests a value
only when the checker is sure of it (the only base, or the one worded as the cases closed). Without
a name in common, the counts beside a rate say nothing about it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ...inputs import Inputs, format_number
from ...units import PERCENT
from ..findings import Finding
from ..quantities import Mention, clause_bounds, paragraph_bounds, sentence_bounds
from .binding import Binding, grams
from .wording import decimals_of, restate

_RATE_WORDS = ("率", "占比", "比例", "比重", "占")
_SHARE_WORDS = ("占", "占比", "比例", "比重")
_CHANGE_WORDS = ("增长", "下降", "提高", "降低", "同比", "环比", "增加", "减少", "上升", "提升", "压缩", "缩短")
_SURVEY_WORDS = ("满意", "知晓", "好评", "认可", "覆盖", "参与", "普及", "信任", "评价", "知情", "获得", "满足")
# the count a rate of outcomes is usually taken over: the cases closed ("纠错率" over 审结, not 收到)
_CLOSED_WORDS = ("审结", "办结", "结案", "审理终结", "已办结")
_NEGATION = "不未非无"


@dataclass
class RateCheck:
    """A rate and the counts it was checked against."""
    rate: int  # index of the rate
    members: set[int]  # the rate, its part and its base(s)
    finding: Finding | None  # None when the rate fits
    sure: bool  # whether the counts are certainly what the rate is made of


def rate_from_counts(text: str, mentions: list[Mention], bindings: dict[int, Binding],
                     inputs: Inputs | None) -> list[RateCheck]:
    out = []
    for i, m in enumerate(mentions):
        if m.base_unit != PERCENT:
            continue
        if i in bindings and inputs is not None and (inputs.formula(bindings[i].figure.id) or bindings[i].consistent):
            continue  # the inputs decide this one
        a, _ = clause_bounds(text, m.start, m.end)
        clause = text[a:m.start]
        if not any(w in clause for w in _RATE_WORDS) or any(w in clause for w in _CHANGE_WORDS):
            continue
        qualifier = _rate_qualifier(clause)
        s0, _ = sentence_bounds(text, m.start, m.end)
        p0, _ = paragraph_bounds(text, m.start, m.end)
        counts = [j for j in range(i) if mentions[j].start >= p0 and mentions[j].base_unit != PERCENT
                  and not mentions[j].approx and not _is_change(text, mentions[j])]
        # the part is in the rate's own sentence; its base too, or earlier in the paragraph
        # ("全县行政诉讼一审案件87件，…出庭应诉率100%；败诉5件，败诉率5.7%")
        found = _parts(text, mentions, [j for j in counts if mentions[j].start >= s0], counts, i, qualifier,
                       _rate_word(clause))
        if found is not None:
            out.append(_judge(text, mentions, i, *found))
    return out


def _clause_before(text: str, m: Mention) -> str:
    a, _ = clause_bounds(text, m.start, m.end)
    return text[a:m.start]


def _is_change(text: str, m: Mention) -> bool:
    """A count that states a change ("较上年增加21件"), not a number of things."""
    before = _clause_before(text, m)
    return any(w in before for w in _CHANGE_WORDS) or bool(re.search(r"[比较]上年|[比较]去年", before))


def _parts(text: str, mentions: list[Mention], counts: list[int], earlier: list[int], i: int, qualifier: str,
           word: str) -> tuple[int, list[int], bool] | None:
    """(part, possible bases, negated) of rate `i`: the part among the sentence's `counts`, the
    bases among them or else among the paragraph's (`earlier`); None when not clear."""
    if not counts:
        return None
    name = grams(qualifier) if qualifier else set()
    chars = re.sub(r"[^\u4e00-\u9fff]", "", qualifier)
    head = chars[-2:] if len(chars) >= 2 else chars  # what the rate counts: 纠错 of 行政复议纠错率
    for k in reversed(counts):  # the part: the nearest count named by the rate's name
        own = _clause_before(text, mentions[k])
        hits = name & grams(own)
        if not head or head not in hits:
            continue
        def bases_in(pool: list[int]) -> list[int]:
            return [j for j in pool if j < k and mentions[j].base_unit == mentions[k].base_unit
                    and mentions[j].base_value >= mentions[k].base_value > 0
                    and hits - grams(_clause_before(text, mentions[j]))]  # the base lacks the part's name

        bases = bases_in(counts) or bases_in(earlier)
        if bases:
            return k, bases, _negated(own, hits) != _negated(qualifier, hits)
    # "全市执法人员746名，其中具有法律专业背景的159名，仅占21.3%": a share of a subset, two counts only
    counts = [j for j in counts if mentions[j].base_unit == mentions[counts[-1]].base_unit]
    if len(counts) < 2:
        return None
    first, second = counts[0], counts[-1]
    subset = "其中" in text[mentions[first].end:mentions[second].start] or re.match(
        r"[\u4e00-\u9fff“”]{0,12}中[，,]", text[mentions[first].end:mentions[second].start])
    if (word in _SHARE_WORDS and len(counts) == 2 and subset
            and "其中" not in _clause_before(text, mentions[i])  # "…，其中涉企纠纷占比20%" is another subset
            and not any(mentions[x].base_unit == PERCENT for x in range(second + 1, i))
            and not any(w in qualifier for w in _SURVEY_WORDS)
            and mentions[first].base_unit == mentions[second].base_unit
            and mentions[first].base_value >= mentions[second].base_value > 0):
        return second, [first], False
    return None


def _negated(words: str, hits: set[str]) -> bool:
    """Whether the name is said by its negation: "不合格" for 合格, "未整改" for 整改."""
    for g in hits:
        at = words.find(g)
        if at > 0 and words[at - 1] in _NEGATION:
            return True
    return False


def _judge(text: str, mentions: list[Mention], i: int, k: int, bases: list[int], negated: bool) -> RateCheck:
    """The rate `i` against its part `k` over each possible base."""
    m, part = mentions[i], mentions[k].base_value

    def rate_over(j: int) -> Decimal:
        whole = mentions[j].base_value
        return (whole - part if negated else part) / whole * 100

    fitting = [j for j in bases if m.allows(rate_over(j))]
    one_value = len({mentions[j].base_value for j in bases}) == 1  # "一审案件43件，出庭应诉43件": one base
    if fitting:
        return RateCheck(i, {i, k, fitting[-1]}, None, one_value)
    likeliest = _likeliest_base(text, mentions, bases)
    sure = one_value or likeliest is not None
    j = likeliest if likeliest is not None else bases[-1]
    rate = rate_over(j)
    decimals = decimals_of(text[m.num_start:m.num_end], m.chinese)
    shown = format_number(rate, max(decimals, 0 if rate == rate.to_integral_value() else decimals))
    how = (f"（“{mentions[j].text}”－“{mentions[k].text}”）÷“{mentions[j].text}”" if negated
           else f"“{mentions[k].text}”÷“{mentions[j].text}”")
    others = "、".join(dict.fromkeys(f"“{mentions[x].text}”" for x in bases
                                     if mentions[x].base_value != mentions[j].base_value))
    also = f"，以{others}为基数也对不上" if others else ""
    expected = restate(m, text, rate) if sure else None
    finding = Finding(
        kind="figure_derived_mismatch", severity="error", start=m.start, end=m.end, text=text[m.start:m.end],
        message=f"按前文{how}计算，比率应为{rate.quantize(Decimal('0.01'))}%（约{shown}%）{also}，"
                f"正文写的是“{m.text}”。",
        expected=expected, found=m.text,
        suggestion=f"改为“{expected}”" if sure else "核对该比率及其依据的数字",
        details={"parts": [mentions[k].text, mentions[j].text], "bases": [mentions[x].text for x in bases]})
    return RateCheck(i, {i, k, *bases}, finding, sure)


def _likeliest_base(text: str, mentions: list[Mention], bases: list[int]) -> int | None:
    """Of several possible bases, the one worded as the cases closed (审结/办结), if only one is."""
    closed = [j for j in bases if any(w in _clause_before(text, mentions[j]) for w in _CLOSED_WORDS)]
    return closed[-1] if len(closed) == 1 else None


def _rate_qualifier(clause: str) -> str:
    """The words a rate is named by: '调解成功率' → '调解成功', '纠错率' → '纠错'."""
    for word in ("率", "占比", "比例", "比重"):
        at = clause.rfind(word)
        if at > 0:
            return clause[max(0, at - 4):at]
    return ""


def _rate_word(clause: str) -> str:
    """The rate word last used in the clause: 率 / 占比 / 比例 / 比重 / 占 ('' when none)."""
    at, word = max((clause.rfind(w), w) for w in _RATE_WORDS)
    return word if at >= 0 else ""
