"""Slips in writing a known title ("did you mean …?"), precision first.

With thousands of titles a false "did you mean" is easy, so a cited title is a slip of a known
one only when it reads as the same document written carelessly:
- only the kind of document differs (纲要/方案, 暂行条例/条例, 规定/办法, 条例/法 …) — with the same
  place or issuer, the same core and the same plan period:
  《法治政府建设实施方案（2021—2025年）》 for 《法治政府建设实施纲要（2021—2025年）》,
  《吉林省重大行政决策程序办法》 for 《吉林省重大行政决策程序规定》;
- or the kind word typed with a homophone (《行政复议条列》), or one character added or dropped in a
  long title, with the same place, issuer, kind and period;
- or one character of a long title replaced by its usual confusion in official writing (督查 for
  督察, 法制 for 法治, 修定 for 修订: `CONFUSED`) — any other replaced character may make another
  document (农药/兽药, 公园/公路 管理条例 all exist).
Two documents that merely share words are not slips: another place (《下陆区法治政府建设实施方案》),
another issuer, another period, another subject (《法治社会建设实施纲要（2020—2025年）》 is not the
法治政府 one; 《…审理行政赔偿案件…》 is not 《…审理行政协议案件…》).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .titles import normalise_title, split_cited_version

# longest first: 实施纲要 before 纲要, 暂行条例 before 条例
KINDS = ("实施条例", "实施细则", "实施办法", "实施方案", "实施纲要", "实施意见", "暂行条例", "暂行规定", "暂行办法",
         "若干规定", "条例", "规定", "办法", "细则", "决定", "意见", "纲要", "规划", "方案", "计划", "规则", "法")
_KIND = re.compile("(?:" + "|".join(KINDS) + ")$")
# a place (or a department after it) that opens a local document's title: 吉林省 / 下陆区 / 江州市市场监督管理局
_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,10}?(?:特别行政区|自治区|自治州|自治县|自治旗|省|市|州|县|区|旗|盟)")
_ISSUER = re.compile(r"^(.{2,40}?)关于")
_PERIOD = re.compile(r"\(\d{4}-\d{4}年\)")
_JOINERS = re.compile(r"[、，,\s]")
# characters official writing confuses (same sound or shape, interchangeable in speech): one of them
# for the other in a long title is a slip, not another document
CONFUSED = {frozenset(pair) for pair in ("察查", "治制", "订定", "部布", "纪记", "即既", "作做", "象像", "型形", "需须",
                                          "帐账", "辨辩", "迭叠", "汇会", "箱厢", "竟竞", "编篇", "截节")}


@dataclass(frozen=True)
class TitleParts:
    place: str  # 吉林省 / "" — the place that opens a local title
    issuer: str  # 国务院 / 中共中央国务院 / "" — who issues it, when the title says (…关于…)
    core: str  # what the document is about
    kind: str  # the kind of document (条例, 实施纲要 …) or "" when the title ends otherwise
    period: str  # (2021-2025年) or ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Everything but the kind: two titles with this key in common differ only in the kind."""
        return self.place, self.issuer, self.core, self.period


@lru_cache(maxsize=65536)
def title_parts(title: str) -> TitleParts:
    t = normalise_title(split_cited_version(title)[0])
    period = _PERIOD.search(t)
    base = _PERIOD.sub("", t)
    issuer = ""
    m = _ISSUER.match(base)
    if m:
        issuer = _JOINERS.sub("", m.group(1))
        base = base[m.end():]
    place = ""
    if not issuer:
        p = _PLACE.match(base)
        if p and len(base) - p.end() >= 4:
            end = p.end()
            if base[end - 1] == "州" and base[end:end + 1] in ("市", "县", "区"):  # 杭州 + 市
                end += 1
            place, base = base[:end], base[end:]
    k = _KIND.search(base)
    kind = k.group(0) if k else _mistyped_kind(base)
    core = base[: len(base) - len(kind)] if kind else base
    core = core.removesuffix("的")
    return TitleParts(place, issuer, core, kind, period.group(0) if period else "")


def _mistyped_kind(base: str) -> str:
    """条列 / 条理 for 条例, 办发 for 办法: a kind word typed with a homophone (the pinyin input slip);
    the cited title then has the kind it meant."""
    for kind, typed in _HOMOPHONE_KINDS.items():
        if len(base) > 3 and base[-2] == kind[0] and base[-1] in typed:
            return base[-2:]
    return ""


_HOMOPHONE_KINDS = {"条例": "列理立利力历丽", "办法": "发罚乏伐阀"}


def kind_slip(cited: str, known: str) -> bool:
    """Only the kind of document differs (the same place, issuer, core and period)."""
    a, b = title_parts(cited), title_parts(known)
    return bool(a.kind and b.kind and a.kind != b.kind and a.core and a.key == b.key)


def misspelling_of(cited: str, known: str) -> bool:
    """Whether `cited` reads as a slip in writing `known` (see the module's docstring)."""
    from rapidfuzz.distance import Levenshtein

    a, b = title_parts(cited), title_parts(known)
    if (a.place, a.issuer) != (b.place, b.issuer):
        return False
    if a.period != b.period:
        # the same document with a period no version of it has: (2021—2035年) for (2021—2025年)
        return bool(a.period and b.period) and (a.core, a.kind) == (b.core, b.kind)
    if kind_slip(cited, known):
        return True
    # a mistyped kind word (条列 for 条例) leaves no kind: compare the whole of what follows the place
    whole_a, whole_b = a.core + a.kind, b.core + b.kind
    if a.kind and b.kind and a.kind != b.kind:
        return False
    ops = Levenshtein.editops(whole_a, whole_b)
    # a slip adds or drops a character of a long title, or writes its usual confusion; any other
    # character replaced makes another document as often as not (农药/兽药, 公园/公路, 地名/地图
    # 管理条例 all exist), and so do two characters added (审理环境侵权… / 审理生态环境侵权…) or a
    # numeral (修正案（七）/（三）)
    if len(ops) != 1 or len(whole_b) < 10:
        return False
    if ops[0][0] == "replace":
        return frozenset((whole_a[ops[0][1]], whole_b[ops[0][2]])) in CONFUSED
    changed = "".join(whole_a[op[1]] if op[0] == "delete" else whole_b[op[2]] for op in ops)
    return not re.search(r"[0-9一二三四五六七八九十()（）]", changed)


class SlipIndex:
    """Known titles by everything but their kind: the titles a cited one is a kind slip of."""

    def __init__(self, titles: list[str]) -> None:
        self._by_key: dict[tuple[str, str, str, str], list[str]] = {}
        for title in titles:
            parts = title_parts(title)
            if parts.kind and parts.core:
                self._by_key.setdefault(parts.key, []).append(title)

    def kind_slips(self, cited: str) -> list[str]:
        parts = title_parts(cited)
        if not parts.kind or not parts.core:
            return []
        return [t for t in self._by_key.get(parts.key, []) if title_parts(t).kind != parts.kind]
