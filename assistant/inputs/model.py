"""The inputs model: this year's statistics (figures) and work notes per outline section.

    report:   region, year, title, issuer (落款), date (成文日期), recipient (主送机关)
    figures:  id (ASCII or Chinese: mediation.accepted, 复议.受理), label, value | formula
              (+ decimals), unit, approx (余 | 近 | 约 | 以上; true = 约), section, department,
              basis (统计口径), previous (上年数值), aliases (other wordings), note
    notes:    section (一/(六)/2, 二, 四 … or an area of part 一 such as 矛盾纠纷), kind
              (work/problem/cause/duty/plan/other), title (a heading to use), text

Reading them from YAML or Excel is `files` and `excel`; checking them is `validation`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from pydantic import BaseModel, Field, field_validator

from ..units import is_known
from .formulas import Formula

# a figure id: words (letters of any script, digits, _) joined by dots; it starts with a letter
ID_PATTERN = re.compile(r"^[^\W\d]\w*(?:\.\w+)*$")
# how a source figure is approximate: 余 = a little above (5900余次), 近 = a little below (近50件),
# 约 = about, either way (约1.5万人次), 以上 = at least (95%以上). `approx: true` means 约.
APPROX = ("余", "近", "约", "以上")
_APPROX_SYNONYMS = {"多": "余", "超": "余", "超过": "余", "将近": "近", "接近": "近", "左右": "约", "大约": "约",
                    "上下": "约", "不少于": "以上", "不低于": "以上", "至少": "以上"}
_APPROX_YES = ("是", "1", "true", "yes", "y", "对")
_APPROX_NO = ("否", "0", "false", "no", "n", "")


def parse_approx(value) -> str | None:
    """余/近/约/以上 (or a synonym), yes (= 约) or no (= None); ValueError for anything else."""
    if value is None or value is False:
        return None
    if value is True:
        return "约"
    text = str(value).strip()
    if text in APPROX:
        return text
    if text in _APPROX_SYNONYMS:
        return _APPROX_SYNONYMS[text]
    if text.lower() in _APPROX_YES:
        return "约"
    if text.lower() in _APPROX_NO:
        return None
    raise ValueError(f"approx must be 余, 近, 约, 以上 or yes/no, got {value!r}")
NOTE_KINDS = {
    "work": "举措", "problem": "问题", "cause": "原因", "duty": "履职", "plan": "安排", "other": "其他",
}
NOTE_KIND_BY_ZH = {zh: en for en, zh in NOTE_KINDS.items()} | {"工作": "work", "成效": "work", "不足": "problem",
                                                               "计划": "plan", "第一责任人": "duty"}


@dataclass
class Problem:
    """One thing wrong with the inputs, where it is, and what to do."""

    where: str  # "第12行" / "工作表“指标”第5行C列"
    zh: str
    en: str
    hint: str = ""
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        mark = "错误" if self.severity == "error" else "提醒"
        text = f"[{mark}] {self.where}：{self.zh} / {self.en}"
        return text + (f"（建议：{self.hint}）" if self.hint else "")

    def to_dict(self) -> dict:
        return {"where": self.where, "message": self.zh, "message_en": self.en, "hint": self.hint,
                "severity": self.severity}


class ReportInfo(BaseModel):
    region: str | None = None
    year: int | None = None
    title: str | None = None
    issuer: str | None = None  # 落款单位
    date: str | None = None  # 成文日期, e.g. 2024年2月27日 or 2024-02-27
    recipient: str | None = None  # 主送机关, e.g. 州委、州政府
    department: str | None = None


class Figure(BaseModel):
    id: str
    label: str
    value: Decimal | None = None
    unit: str | None = None
    approx: str | None = None  # 余 | 近 | 约 | 以上 (see APPROX)
    formula: str | None = None
    decimals: int | None = None
    section: str | None = None
    department: str | None = None
    basis: str | None = None  # 统计口径
    previous: Decimal | None = None  # 上年数值
    aliases: list[str] = Field(default_factory=list)
    note: str | None = None

    @field_validator("approx", mode="before")
    @classmethod
    def _approx(cls, value):
        return parse_approx(value)

    @property
    def labels(self) -> list[str]:
        return [self.label, *self.aliases]


class Note(BaseModel):
    section: str
    kind: str = "work"
    title: str | None = None
    text: str | None = None


@dataclass
class Inputs:
    report: ReportInfo
    figures: list[Figure]
    notes: list[Note] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    source: Path | None = None
    _values: dict[str, Decimal] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {f.id: f for f in self.figures}
        self._formulas = {f.id: Formula(f.formula) for f in self.figures if f.formula}

    @property
    def extra_units(self) -> tuple[str, ...]:
        """Units of the figures that the number reader does not know by itself (斤, 户…)."""
        return tuple(sorted({f.unit for f in self.figures if f.unit and not is_known(f.unit)}))

    def figure(self, figure_id: str) -> Figure | None:
        return self._by_id.get(figure_id)

    def value(self, figure_id: str) -> Decimal | None:
        """The figure's value; a formula is evaluated (unrounded)."""
        if figure_id in self._values:
            return self._values[figure_id]
        fig = self._by_id.get(figure_id)
        if fig is None:
            return None
        if fig.formula:
            value = self._formulas[figure_id].evaluate({i: self.value(i) for i in self._formulas[figure_id].ids})
        else:
            value = fig.value
        self._values[figure_id] = value
        return value

    def formula(self, figure_id: str) -> Formula | None:
        return self._formulas.get(figure_id)

    def display(self, figure_id: str, decimals: int | None = None) -> str:
        """The value as a report writes it: '98%', '5900余次', '3万余人次', '近50件', '约1.2万份'."""
        fig = self._by_id[figure_id]
        value = self.value(figure_id)
        return with_approx(format_number(value, fig.decimals if decimals is None else decimals), fig.unit, fig.approx)

    def formula_text(self, figure_id: str) -> str | None:
        """The figure's formula with the labels of the figures it uses, for messages:
        "（审结行政复议案件 − 行政复议维持）÷ 审结行政复议案件 × 100"."""
        formula = self._formulas.get(figure_id)
        if formula is None:
            return None
        return formula.render({i: (self._by_id[i].label if i in self._by_id else i) for i in formula.ids})

    def notes_for(self, section: str, kinds: tuple[str, ...] | None = None) -> list[Note]:
        return [n for n in self.notes if n.section == section and (kinds is None or n.kind in kinds)]

    @property
    def year(self) -> int | None:
        return self.report.year

    def to_yaml_dict(self) -> dict:
        def clean(model: BaseModel) -> dict:
            data = model.model_dump(exclude_none=True, exclude_defaults=True)
            for key, value in list(data.items()):
                if isinstance(value, Decimal):
                    data[key] = int(value) if value == value.to_integral_value() else float(value)
            return data

        return {"report": clean(self.report), "figures": [clean(f) for f in self.figures],
                "notes": [clean(n) for n in self.notes]}


_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》（）]"


def tidy_text(text: str) -> str:
    """Undo YAML/Excel line folding inside Chinese text: no spaces or line breaks between CJK characters."""
    text = re.sub(r"\s*\n\s*", "\n", text.strip())
    text = re.sub(rf"(?<={_CJK})[ \t\n]+(?={_CJK})", "", text)
    return re.sub(rf"(?<={_CJK})[ \t]+|[ \t]+(?={_CJK})", "", text)



def with_approx(number: str, unit: str | None, approx: str | None) -> str:
    """A number and its unit with the approximation a report would write: 余 after the number (or
    after 万/亿 of a count: "3万余人次", but "2100余万元"), 近/约 before it, 以上 after the unit."""
    unit = unit or ""
    if approx == "余":
        if len(unit) > 1 and unit[0] in "万亿" and unit not in ("万元", "亿元"):
            return f"{number}{unit[0]}余{unit[1:]}"
        return f"{number}余{unit}"
    if approx in ("近", "约"):
        return f"{approx}{number}{unit}"
    if approx == "以上":
        return f"{number}{unit}以上"
    return number + unit


def format_number(value: Decimal | None, decimals: int | None = None) -> str:
    if value is None:
        return "〔待补〕"
    if decimals is not None:
        quant = Decimal(1).scaleb(-decimals)
        value = value.quantize(quant, rounding=ROUND_HALF_UP)
    elif value != value.to_integral_value():
        value = value.normalize()
    else:
        value = value.quantize(Decimal(1))
    return f"{value:f}"
