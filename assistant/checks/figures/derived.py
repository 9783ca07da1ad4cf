"""Derived checks that need no inputs: a rate worded as a rate right after the two counts it is
the ratio of, and parts after 其中 that must add up to (or stay below) their total."""

from __future__ import annotations

import re
from decimal import Decimal

from ...inputs import Inputs, format_number
from ...units import PERCENT
from ..findings import Finding
from ..quantities import Mention, clause_bounds, paragraph_bounds, sentence_bounds
from .binding import Binding, grams
from .wording import decimals_of, restate

_RATE_WORDS = ("率", "占比", "比例", "比重", "占")
_CHANGE_WORDS = ("增长", "下降", "提高", "降低", "同比", "环比", "增加", "减少", "上升", "提升", "压缩", "缩短")
_EXHAUSTIVE = ("剩余", "其余", "余下", "其他", "分别")
_BEYOND = ("另有", "此外", "另外")  # what follows is outside the 其中 list: "审结63件，其中…，另有5件正在审理"

def rate_from_counts(text: str, mentions: list[Mention], bindings: dict[int, Binding],
                      inputs: Inputs | None) -> list[tuple[Finding | None, set[int], int]]:
    """A percentage worded as a rate, following two counts of one unit in its sentence (or
    paragraph), must equal the later count over the earlier one. Returns (finding, or None when
    consistent; the indices involved; the index of the rate)."""
    out = []
    for i, m in enumerate(mentions):
        if m.base_unit != PERCENT or m.approx:
            continue
        if i in bindings and inputs is not None and (inputs.formula(bindings[i].figure.id) or bindings[i].consistent):
            continue  # the inputs decide this one
        a, _ = clause_bounds(text, m.start, m.end)
        clause = text[a:m.start]
        if not any(w in clause for w in _RATE_WORDS) or any(w in clause for w in _CHANGE_WORDS):
            continue
        qualifier = _rate_qualifier(clause)
        for bounds in (sentence_bounds, paragraph_bounds):
            s0, _ = bounds(text, m.start, m.end)
            counts = [j for j in range(i) if mentions[j].start >= s0 and mentions[j].base_unit != PERCENT
                      and not mentions[j].approx]
            if len(counts) < 2:
                continue
            unit = mentions[counts[-1]].base_unit
            counts = [j for j in counts if mentions[j].base_unit == unit]
            # without a name in common, the counts make the rate only when it comes right after them
            # (no other rate between), is not a survey result (满意率), and is worded as a rate (率)
            # or as a share (占/占比) whose own clause names no other subset ("746名，其中…159名，
            # 仅占21.3%", not "…，其中涉企纠纷占比20%")
            word = _rate_word(clause)
            share = word in ("占", "占比", "比例", "比重") and "其中" not in clause
            fallback = (not any(mentions[x].base_unit == PERCENT for x in range(counts[-1] + 1, i))
                        and (word == "率" or share) and not any(w in qualifier for w in _SURVEY_WORDS))
            pair = _rate_parts(text, mentions, counts, qualifier, fallback, share)
            if pair is None:
                break  # not clear which counts the rate is made of: say nothing
            j, k = pair
            whole, part = mentions[j].base_value, mentions[k].base_value
            if whole <= 0 or part > whole:
                break
            rate = part / whole * 100
            members = {i, j, k}
            if m.allows(rate):
                out.append((None, members, i))
                break
            decimals = decimals_of(text[m.num_start:m.num_end], m.chinese)
            shown = format_number(rate, max(decimals, 0 if rate == rate.to_integral_value() else decimals))
            expected = restate(m, text, rate)
            out.append((Finding(
                kind="figure_derived_mismatch", severity="error", start=m.start, end=m.end, text=text[m.start:m.end],
                message=f"按前文“{mentions[k].text}”÷“{mentions[j].text}”计算，比率应为{rate.quantize(Decimal('0.01'))}%"
                        f"（约{shown}%），正文写的是“{m.text}”。",
                expected=expected, found=m.text, suggestion=f"改为“{expected}”",
                details={"parts": [mentions[k].text, mentions[j].text]}), members, i))
            break
    return out


def _is_list(text: str, mentions: list[Mention], parts: list[int]) -> bool:
    """Parts written as one list ("网上信访80件、来访50件"), not in separate clauses."""
    gaps = [text[mentions[a].end:mentions[b].start] for a, b in zip(parts, parts[1:])]
    return bool(gaps) and all("、" in g and not re.search(r"[，,；;]", g) for g in gaps)


_SURVEY_WORDS = ("满意", "知晓", "好评", "认可", "覆盖", "参与", "普及", "信任", "评价", "知情", "获得", "满足")
_TOTAL_WORDS = ("受理", "办理", "共", "总", "收到", "全年", "累计", "合计", "登记", "审理", "接收", "立案", "排查")


def _rate_qualifier(clause: str) -> str:
    """The words a rate is named by: '调解成功率' → '调解成功', '纠错率' → '纠错'."""
    for word in ("率", "占比", "比例", "比重"):
        at = clause.rfind(word)
        if at > 0:
            return clause[max(0, at - 4):at]
    return ""


def _rate_word(clause: str) -> str:
    """The rate word last used in the clause: 率 / 占比 / 比例 / 比重 / 占 ('' when none)."""
    at, word = max((clause.rfind(w), w) for w in ("率", "占比", "比例", "比重", "占"))
    return word if at >= 0 else ""


def _rate_parts(text: str, mentions: list[Mention], counts: list[int], qualifier: str,
                fallback: bool = True, share: bool = False) -> tuple[int, int] | None:
    """(whole, part) for a rate among the counts before it, or None when that is not clear: the
    whole is the first count and is worded as a total (受理/办理/共…), or the part's words
    share the rate's name (纠错率 ← 纠错…件)."""
    def clause_of(j: int) -> str:
        a, _ = clause_bounds(text, mentions[j].start, mentions[j].end)
        return text[a:mentions[j].start]

    whole = counts[0]
    named = [j for j in counts[1:] if qualifier and grams(qualifier) & grams(clause_of(j))]
    if len(named) == 1:
        return whole, named[0]
    if fallback and len(counts) == 2 and (any(w in clause_of(whole) for w in _TOTAL_WORDS) or share):
        return whole, counts[1]
    return None


def parts_and_total(text: str, mentions: list[Mention]) -> list[tuple[Finding | None, set[int], int]]:
    """'对34件…进行清理，其中6件…废止，剩余28件…': the parts after 其中 must add up to the total
    when they are exhaustive (剩余/其余/分别…), and may never exceed it."""
    out = []
    for i, m in enumerate(mentions):
        s0, s1 = sentence_bounds(text, m.start, m.end)
        after = text[m.end:s1]
        marker = after.find("其中")
        if marker < 0 or any(x for x in mentions[i + 1:] if x.start < m.end + marker and x.base_unit == m.base_unit):
            continue
        stop = min([at for at in (text.find(w, m.end + marker, s1) for w in _BEYOND) if at >= 0] or [s1])
        parts = [j for j in range(i + 1, len(mentions)) if mentions[j].start > m.end + marker
                 and mentions[j].end <= stop and mentions[j].base_unit == m.base_unit]
        if not parts or m.approx or any(mentions[j].approx for j in parts):
            continue
        tail = text[m.end + marker:mentions[parts[-1]].start]
        exhaustive = any(w in tail for w in _EXHAUSTIVE)
        total = sum((mentions[j].base_value for j in parts), Decimal(0))
        members = {i, *parts}
        if exhaustive and m.allows(total):
            out.append((None, members, i))
            continue
        if not exhaustive and (total <= m.base_value or not _is_list(text, mentions, parts)):
            continue  # a subset, or categories in separate clauses that may overlap
        expected = restate(m, text, total)
        listing = "＋".join(mentions[j].text for j in parts)
        why = "各部分之和" if exhaustive else "各部分之和已超过总数，"
        out.append((Finding(
            kind="figure_derived_mismatch", severity="error", start=m.start, end=m.end, text=text[m.start:m.end],
            message=f"{why}{listing}＝{format_number(total)}，与总数“{m.text}”不符。",
            expected=expected, found=m.text, suggestion=f"核对总数与各分项（按分项合计应为“{expected}”）",
            details={"parts": [mentions[j].text for j in parts]}), members, i))
    return out
