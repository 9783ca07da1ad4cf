"""Parts and their total, a derived check that needs no inputs: the parts after 其中 must add up to
the total when they are exhaustive (剩余/其余/分别…), and never exceed it."""

from __future__ import annotations

import re
from decimal import Decimal

from ..findings import Finding
from ..quantities import Mention, sentence_bounds
from .wording import restate

_EXHAUSTIVE = ("剩余", "其余", "余下", "其他", "分别")
_BEYOND = ("另有", "此外", "另外")  # what follows is outside the 其中 list: "审结63件，其中…，另有5件正在审理"


def _is_list(text: str, mentions: list[Mention], parts: list[int]) -> bool:
    """Parts written as one list ("网上信访80件、来访50件"), not in separate clauses."""
    gaps = [text[mentions[a].end:mentions[b].start] for a, b in zip(parts, parts[1:])]
    return bool(gaps) and all("、" in g and not re.search(r"[，,；;]", g) for g in gaps)


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
            message=f"{why}{listing}＝{expected}，与总数“{m.text}”不符。",
            expected=expected, found=m.text, suggestion=f"核对总数与各分项（按分项合计应为“{expected}”）",
            details={"parts": [mentions[j].text for j in parts]}), members, i))
    return out
