"""Finding the statistics in a text: every number used as a quantity, with its unit, its
approximation and its place.

What counts: Arabic digits (full-width too, thousands separators, decimals), Chinese numerals
used as quantities (两名, 三十六个, 一百零八件), 1.2万件, 百分之九十八, percentages, amounts
(万元, 亿元), durations written in digits (15个工作日). Approximate forms: X余/X多/超过X/X以上
(above X, below the next round step), 近X (within 10% below X), 约X/X左右 (within 10% of X).

Never a statistic: years and dates, ordinals and numbering (第一, 一是, (一), 1.), names with
numerals (党的二十大, 三项制度, 第一责任人, 一刀切…, see resources/fixed_phrases.txt), article
numbers (第X条), document numbers (〔2019〕28号), numbers inside 《titles》 and short “quoted names”.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources

from ..numerals import cn_to_number, to_halfwidth_digits
from ..units import DURATION_UNITS, MULTIPLIERS, PERCENT, kind_of, match_unit, split_unit

_ARABIC = r"\d+(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?"
_CHINESE = r"[零〇一二三四五六七八九十百千万亿两]+(?:点[零〇一二三四五六七八九]+)?"
_CORE = re.compile(rf"百分之(?P<pct>{_ARABIC}|{_CHINESE})|(?P<ar>{_ARABIC})|(?P<cn>{_CHINESE})")
_CN_DIGIT = set("零〇一二三四五六七八九两")
_ABOVE_PREFIX = ("超过", "不少于", "不低于", "突破", "多于", "高于", "逾", "超")
_AT_LEAST = ("以上", "不少于", "不低于", "突破")  # at least X, with no upper bound
_NEAR_PREFIX = ("将近", "接近", "近")
_ABOUT_PREFIX = ("大约", "约")
_ABOVE_SUFFIX = ("以上", "之多")
_ABOUT_SUFFIX = ("左右", "上下")
_CLAUSE_BREAK = "，,；;。！？!?：:、\n"
_SENTENCE_BREAK = "。！？!?；;\n"
_NOT_STAT_AFTER = re.compile(r"^(?:号|届|版|楼|级|线|是|大|中全会|周年)")  # 28号, 二十届, 2.0版, 二楼, 一是, 二十大

_DAY_RANGE = r"(?:\s*[至到—–\-~～]+\s*(?:\d{1,2}月)?\d{1,2}[日号])?"  # "…1日至20日": the end of a range of days
_EXCLUDE_PATTERNS = [
    r"《[^《》]*(?:《[^《》]*》[^《》]*)*》",  # titles (with one nesting level)
    r"(?<!\d)(?:19|20)\d{2}\s*[—–\-~～至]+\s*(?:19|20)\d{2}年?",  # periods 2021—2025年
    r"(?<!\d)(?:19|20)\d{2}年(?:度|底|初|末)?(?:\d{1,2}月(?:\d{1,2}[日号]" + _DAY_RANGE + ")?)?",  # years and dates
    # a date, and a range of days that starts at one ("每月1日至20日", "3月1日—15日")
    r"(?<!\d)\d{1,2}月\d{1,2}[日号]" + _DAY_RANGE,
    r"(?<=每月)\d{1,2}[日号]" + _DAY_RANGE,
    r"(?<!\d)\d{1,2}月(?![份]?\d)(?!份额)",  # a month (not 个月)
    r"[〇零一二三四五六七八九]{4}年",
    r"[〔\[【(（]\s*\d{4}\s*[〕\]】)）]\s*\d*号?",  # document numbers 〔2019〕28号
    r"第[零〇一二三四五六七八九十百千两\d]+",  # ordinals, articles
    r"[（(][零〇一二三四五六七八九十\d]{1,3}[）)]",  # (一) (1)
    r"\d+(?:\.\d+){2,}|\d+\.\d+(?=版)",  # 1.1.3 (clause numbers), 2.0版 (versions)
    r"数[十百千万]+",  # 数十场, 数百人: vague, not a figure
    r"\d+\s*[×xX*]\s*\d+\s*小时",  # 7×24小时 service
    r"\d+分钟(?=[\u4e00-\u9fff]{0,10}圈)",  # 15分钟公共法律服务圈
    r"前[\d一二三四五六七八九十两]+(?:名|位)",  # rankings: 位列全市前3名
    r"连续[\d一二三四五六七八九十两]+(?:年|届|次)",  # 连续3年
    r"近[\d一二三四五六七八九十两]+年(?:来|以来)",  # 近3年来
]


@dataclass
class Mention:
    start: int  # the whole expression: approximation words, number, multiplier, unit
    end: int
    num_start: int  # just the numeral
    num_end: int
    text: str
    value: Decimal  # the number as written times its multiplier: "1.2万件" → 12000
    unit: str  # the unit as written after any multiplier: 件, 万元, %, 个百分点
    base_unit: str  # unit for comparison: 件, 元, %
    base_value: Decimal  # value in base units ("3.5亿元" → 350000000)
    step: Decimal  # the stated precision in base units ("1.2万件" → 1000, "98.1%" → 0.1)
    approx: str | None = None  # above | near | about
    chinese: bool = False

    @property
    def kind(self) -> str:
        return kind_of(self.base_unit)

    def interval(self) -> tuple[Decimal, Decimal, bool, bool]:
        """(low, high, low inclusive, high inclusive) of the true values this wording allows."""
        at_least = self.approx == "above" and any(w in self.text for w in _AT_LEAST)
        # "约21.5%": about a rate allows a unit of its last digit either way of the right rounding
        step = self.step * 3 if self.approx == "about" and self.base_unit == PERCENT else self.step
        return approx_interval(self.base_value, self.value, step, self.approx, at_least)

    def allows(self, true_value: Decimal) -> bool:
        low, high, low_in, high_in = self.interval()
        above_low = true_value >= low if low_in else true_value > low
        below_high = true_value <= high if high_in else true_value < high
        return above_low and below_high


Interval = tuple[Decimal, Decimal, bool, bool]  # low, high, low inclusive, high inclusive


def approx_interval(v: Decimal, written: Decimal, step: Decimal, approx: str | None, at_least: bool = False) -> Interval:
    """The true values a number allows: `v` in base units, `written` as written (for its round
    step), `step` its precision in base units, `approx` above | near | about | None."""
    if approx == "above":
        if at_least:  # "达95%以上", "不少于1.5万户": at least X, no upper bound
            return v, Decimal("Infinity"), True, False
        round_step = max(step, round_step_of(written, step, v))
        return v, v + round_step, False, False  # "5900余次": above X, below the next round step
    if approx == "near":
        return v * Decimal("0.9"), v, True, True
    if approx == "about":  # "约5900次", "300人左右": X is the value rounded at its own precision
        half = max(step, round_step_of(written, step, v)) / 2
        return v - half, v + half, True, True
    return v - step / 2, v + step / 2, True, True


# an input figure's approx word (余/近/约/以上) as the reader's kind of approximation
_SOURCE_APPROX = {"余": ("above", False), "以上": ("above", True), "近": ("near", False), "约": ("about", False)}


def source_interval(value: Decimal, scale: Decimal, approx: str) -> Interval:
    """The true values an approximate input figure stands for: `value` in the figure's unit,
    `scale` its unit's multiplier (万人次 → 10000), `approx` 余 | 近 | 约 | 以上."""
    kind, at_least = _SOURCE_APPROX.get(approx, ("about", False))
    exponent = value.normalize().as_tuple().exponent if value == value.to_integral_value() else value.as_tuple().exponent
    step = Decimal(1).scaleb(min(0, int(exponent))) * scale
    return approx_interval(value * scale, value, step, kind, at_least)


def overlaps(a: Interval, b: Interval) -> bool:
    """Whether two intervals of true values share a value."""
    (a0, a1, a0_in, a1_in), (b0, b1, b0_in, b1_in) = a, b
    low, low_in = (a0, a0_in) if a0 > b0 else (b0, b0_in) if b0 > a0 else (a0, a0_in and b0_in)
    high, high_in = (a1, a1_in) if a1 < b1 else (b1, b1_in) if b1 < a1 else (a1, a1_in and b1_in)
    return low < high or (low == high and low_in and high_in)


def round_step_of(value: Decimal, step: Decimal, base_value: Decimal) -> Decimal:
    """The next round step of a number as written: 5900 → 100, 190 → 10, 6000 → 1000 (in base units)."""
    if value == 0:
        return step
    scale = base_value / value if value else Decimal(1)
    integer = int(abs(value))
    if integer == 0 or Decimal(integer) != abs(value):
        return step
    zeros = len(str(integer)) - len(str(integer).rstrip("0"))
    return max(step, Decimal(10) ** zeros * scale)


@lru_cache(maxsize=1)
def _fixed_phrases() -> re.Pattern:
    text = (resources.files("assistant") / "resources" / "fixed_phrases.txt").read_text(encoding="utf-8")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return re.compile("|".join(f"(?:{ln})" for ln in lines))


_EXCLUDE = re.compile("|".join(f"(?:{p})" for p in _EXCLUDE_PATTERNS))
_QUOTE = re.compile(r"[“\"「『]([^“”\"」』\n]{1,24})[”\"」』]")


def excluded_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _EXCLUDE.finditer(text)]
    spans += [m.span() for m in _fixed_phrases().finditer(text)]
    spans += [m.span() for m in _QUOTE.finditer(text) if "。" not in m.group(1)]
    spans.sort()
    return spans


def find_quantities(text: str, extra_units: tuple[str, ...] = ()) -> list[Mention]:
    """Every statistic in `text`, in order of position. Offsets are into `text` as given.
    `extra_units`: measure words beyond the known ones that the inputs use (斤, 户…)."""
    extra = tuple(sorted(set(extra_units), key=len, reverse=True))
    norm = to_halfwidth_digits(text)
    excluded = excluded_spans(norm)
    mentions: list[Mention] = []
    ex_i = 0
    for m in _CORE.finditer(norm):
        s, e = m.span()
        while ex_i < len(excluded) and excluded[ex_i][1] <= s:
            ex_i += 1
        if any(a < e and s < b for a, b in excluded[ex_i:ex_i + 4]):
            continue
        mention = _read_mention(norm, text, m, extra)
        if mention:
            mentions.append(mention)
    return mentions


def _approximation(norm: str, start: int, end: int, approx: str | None) -> tuple[int, int, str | None]:
    """Widen a number's span over the words that make it approximate: 以上/左右 after it,
    超过/近/约 before it. Returns (start, end, approx)."""
    for suffix in _ABOVE_SUFFIX + _ABOUT_SUFFIX:
        if norm.startswith(suffix, end):
            approx = "above" if suffix in _ABOVE_SUFFIX else "about"
            end += len(suffix)
            break
    for prefixes, kind in ((_ABOVE_PREFIX, "above"), (_NEAR_PREFIX, "near"), (_ABOUT_PREFIX, "about")):
        hit = next((p for p in prefixes if norm.endswith(p, 0, start)), None)
        if hit and approx is None:
            approx, start = kind, start - len(hit)
            break
    return start, end, approx


def _read_mention(norm: str, text: str, m: re.Match, extra: tuple[str, ...] = ()) -> Mention | None:
    s, e = m.span()
    chinese = m.group("cn") is not None or (m.group("pct") is not None and not re.match(r"\d", m.group("pct")))
    if m.group("pct") is not None:
        raw = m.group("pct")
        value = _to_decimal(raw, chinese)
        if value is None:
            return None
        step = _step_of(raw, chinese)
        start, end, approx = _approximation(norm, s, e, None)
        return Mention(start, end, s + 3, e, text[start:end], value, PERCENT, PERCENT, value, step, approx, chinese)
    raw = m.group("ar") or m.group("cn")
    if chinese:
        if not (set(raw) & _CN_DIGIT or raw.startswith("十")):
            return None  # 千家万户, 百姓: a bare 千/百/万 is not a number here
        if raw == "一":
            return None  # 一批, 一次性, 一把手: "one/a", not a count
    value = _to_decimal(raw.replace(",", ""), chinese)
    if value is None:
        return None
    step = _step_of(raw.replace(",", ""), chinese)
    pos = e
    approx = None
    multiplier = Decimal(1)
    # 5900余次, 1000多万元, 1.2万件, 3500万元
    if pos < len(norm) and norm[pos] in "余多" and not norm.startswith("多元", pos):
        approx, pos = "above", pos + 1
    unit = match_unit(norm, pos, extra)
    if unit is None and pos < len(norm) and norm[pos] in MULTIPLIERS and norm[pos] in "万亿":
        multiplier = MULTIPLIERS[norm[pos]]
        pos += 1
        if approx is None and pos < len(norm) and norm[pos] in "余多":
            approx, pos = "above", pos + 1
        unit = match_unit(norm, pos, extra)
    if unit is None:
        return None
    if _NOT_STAT_AFTER.match(norm[e:]):
        return None
    if chinese and (unit in DURATION_UNITS or unit == "个月"):
        return None  # 三年行动, 两个月: time phrases written in words
    if unit == "日" and not chinese and norm[max(0, s - 1):s] == "月":
        return None
    start, end, approx = _approximation(norm, s, pos + len(unit), approx)
    value *= multiplier
    step *= multiplier
    base_unit, scale = split_unit(unit)
    return Mention(start, end, s, e if multiplier == 1 else e + 1, text[start:end], value, unit, base_unit,
                   value * scale, step * scale, approx, chinese)


def _to_decimal(raw: str, chinese: bool) -> Decimal | None:
    if chinese:
        return cn_to_number(raw)
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def _step_of(raw: str, chinese: bool) -> Decimal:
    if chinese:
        if "点" in raw:
            return Decimal(10) ** -len(raw.split("点", 1)[1])
        return Decimal(1)
    if "." in raw:
        return Decimal(10) ** -len(raw.split(".", 1)[1])
    return Decimal(1)


# -- context --------------------------------------------------------------------------------
def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    a = start
    while a > 0 and text[a - 1] not in _CLAUSE_BREAK:
        a -= 1
    b = end
    while b < len(text) and text[b] not in _CLAUSE_BREAK:
        b += 1
    return a, b


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    a = start
    while a > 0 and text[a - 1] not in _SENTENCE_BREAK:
        a -= 1
    b = end
    while b < len(text) and text[b] not in _SENTENCE_BREAK:
        b += 1
    return a, min(len(text), b + 1)


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    return a, len(text) if b < 0 else b
