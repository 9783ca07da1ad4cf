"""Units of the figures in a report: measure words, percentages, money, durations.

A unit is written after the number ("416件", "3.5亿元", "98%") and may carry a multiplier
("1.2万件" = 12,000 件). `split_unit` turns a written unit into (base unit, scale), so that
"3.5亿元" and "35000万元" compare equal.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

# measure words used with counts in reports (longest forms are matched first)
COUNT_UNITS = [
    "人次", "件次", "场次", "户次", "批次", "车次", "架次", "课时", "学时", "篇次", "期次",
    "件", "项", "次", "人", "名", "个", "家", "所", "条", "部", "份", "场", "期", "批", "支", "台", "套",
    "户", "起", "宗", "处", "篇", "本", "册", "类", "种", "座", "间", "张", "轮", "堂", "门", "位", "辆",
    "艘", "卷", "笔", "幅", "栋",
]
MONEY_UNITS = {"元": Decimal(1), "万元": Decimal(10) ** 4, "亿元": Decimal(10) ** 8}
MEASURE_UNITS = ["平方公里", "平方米", "公顷", "公里", "千米", "米", "亩", "吨", "万吨", "千瓦", "立方米"]
DURATION_UNITS = ["个工作日", "工作日", "个小时", "小时", "分钟", "个月", "天", "日", "周", "年"]
PERCENT = "%"
POINTS = "个百分点"
MULTIPLE = "倍"
MULTIPLIERS = {"万": Decimal(10) ** 4, "亿": Decimal(10) ** 8, "千": Decimal(1000), "百": Decimal(100)}

# every written unit, longest first, so "人次" wins over "人" and "个工作日" over "个"
_ALL = sorted(set(COUNT_UNITS) | set(MONEY_UNITS) | set(MEASURE_UNITS) | set(DURATION_UNITS)
              | {PERCENT, "％", POINTS, MULTIPLE}, key=len, reverse=True)
ALL_UNITS = tuple(_ALL)
KNOWN_UNITS = frozenset(ALL_UNITS) | {f"万{u}" for u in COUNT_UNITS} | {f"亿{u}" for u in COUNT_UNITS}


def match_unit(text: str, pos: int, extra: tuple[str, ...] = ()) -> str | None:
    """The longest unit written at `pos` (the known ones, then `extra`: units the inputs use), or None."""
    for unit in ALL_UNITS:
        if text.startswith(unit, pos):
            return PERCENT if unit == "％" else unit
    for unit in extra:
        if text.startswith(unit, pos):
            return unit
    return None


@lru_cache(maxsize=1024)
def split_unit(unit: str | None) -> tuple[str, Decimal]:
    """'万元' → ('元', 10000); '万件' → ('件', 10000); '%' → ('%', 1); None → ('', 1)."""
    if not unit:
        return "", Decimal(1)
    unit = unit.strip()
    if unit in ("％", "percent"):
        return PERCENT, Decimal(1)
    if unit in MONEY_UNITS:
        return "元", MONEY_UNITS[unit]
    if len(unit) > 1 and unit[0] in MULTIPLIERS and unit[1:] in KNOWN_UNITS:
        base, scale = split_unit(unit[1:])
        return base, scale * MULTIPLIERS[unit[0]]
    return unit, Decimal(1)


def kind_of(unit: str) -> str:
    base, _ = split_unit(unit)
    if base == PERCENT:
        return "percent"
    if base == POINTS:
        return "points"
    if base == "元":
        return "amount"
    if base in DURATION_UNITS:
        return "duration"
    if base == MULTIPLE:
        return "multiple"
    return "count"


@lru_cache(maxsize=4096)
def compatible(a: str | None, b: str | None) -> bool:
    """Can a figure in unit `a` be written in unit `b`? (万元 ~ 亿元, 件 ~ 万件; 人 ≠ 人次)."""
    if not a or not b:
        return True
    base_a, _ = split_unit(a)
    base_b, _ = split_unit(b)
    return _SAME_COUNT.get(base_a, base_a) == _SAME_COUNT.get(base_b, base_b)


# measure words that count the same things: people (45人 = 45名 = 45位), cases (16件 = 16起 = 16宗)
_SAME_COUNT = {"名": "人", "位": "人", "起": "件", "宗": "件"}


def is_known(unit: str | None) -> bool:
    return not unit or unit in KNOWN_UNITS or split_unit(unit)[0] in KNOWN_UNITS
