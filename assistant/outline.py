"""The report's fixed outline, loaded from a YAML file (outlines/rule_of_law_report.yaml by default).

The outline says which parts a report must have, their official wording, what each must contain,
the usual subsections of part 一, and the keywords by which a heading is recognised as a part
"by meaning" — reports order and word their parts differently.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError

from .errors import AssistantError
from .numerals import int_to_cn


class ExplainedItems(BaseModel):
    """A softer verdict when every enumerated item is explained, though no cue word occurs."""
    severity: str = "info"
    message: str
    min_chars: int = 12  # characters an item needs after its headline clause to count as explained


class PartCheck(BaseModel):
    id: str
    message: str
    any_of: list[str] = Field(default_factory=list)  # words, any of which must occur
    pattern: str | None = None  # or a regular expression that must match
    min_items: int | None = None  # at least this many enumerated items (一是/二是, (一)(二), 1. 2.)
    in_heading: bool = False  # whether the part's heading may satisfy the check (else the body only)
    if_items_explained: ExplainedItems | None = None


class Subsection(BaseModel):
    key: str
    title: str
    keywords: list[str] = Field(default_factory=list)


class Length(BaseModel):
    min: int = 0
    max: int = 100000


class Part(BaseModel):
    number: int
    key: str
    required: bool = True
    official: str
    heading: str
    keywords: list[str] = Field(default_factory=list)
    must_contain: str = ""
    length: Length = Field(default_factory=Length)
    checks: list[PartCheck] = Field(default_factory=list)
    subsections: list[Subsection] = Field(default_factory=list)

    def heading_for(self, year: int | None) -> str:
        return fill(self.heading, year=year)


class Numbering(BaseModel):
    level1: str = "{cn}、"
    level2: str = "（{cn}）"
    level3: str = "{n}."


class Outline(BaseModel):
    name: str
    basis: str = ""
    title: str = "{region}{year}年法治政府建设年度报告"
    numbering: Numbering = Field(default_factory=Numbering)
    intro: str = ""
    signoff_date_hint: str = ""
    parts: list[Part]

    # -- lookups -----------------------------------------------------------------------------
    def part(self, number: int) -> Part | None:
        return next((p for p in self.parts if p.number == number), None)

    def part_by_key(self, key: str) -> Part | None:
        return next((p for p in self.parts if p.key == key), None)

    @property
    def required_parts(self) -> list[Part]:
        return [p for p in self.parts if p.required]

    def classify_heading(self, title: str, position: int | None = None) -> int | None:
        """Which part a level-1 heading is, by its words; the numeral decides only a tie."""
        scores = {p.number: _keyword_score(title, p.keywords) for p in self.parts}
        best = max(scores.values()) if scores else 0
        if best <= 0:
            if position is not None and position < len(self.parts):
                return self.parts[position].number
            return None
        winners = [n for n, s in scores.items() if s == best]
        if len(winners) > 1 and position is not None and position < len(self.parts):
            by_position = self.parts[position].number
            if by_position in winners:
                return by_position
        return winners[0]

    def classify_subsection(self, title: str, text: str = "") -> str | None:
        """The area of part 一 a subsection covers ('矛盾纠纷'…), from its title (then its text)."""
        part1 = self.part(1)
        if not part1:
            return None
        for source, weight in ((title, 1.0), (text[:400], 0.25)):
            scores = {s.key: _keyword_score(source, s.keywords) * weight for s in part1.subsections}
            best = max(scores.values(), default=0)
            if best > 0:
                return max(scores, key=scores.get)
        return None

    def subsection(self, key: str) -> Subsection | None:
        part1 = self.part(1)
        return next((s for s in part1.subsections if s.key == key), None) if part1 else None

    # -- rendering -----------------------------------------------------------------------------
    def heading_token(self, level: int, number: int) -> str:
        template = {1: self.numbering.level1, 2: self.numbering.level2, 3: self.numbering.level3}[level]
        return template.format(cn=int_to_cn(number), n=number)

    def title_for(self, region: str | None, year: int | None) -> str:
        return fill(self.title, year=year, region=region or "")

    def intro_for(self, region: str | None, year: int | None) -> str:
        from .inputs import tidy_text

        return tidy_text(fill(self.intro, year=year, region=region or "本地区"))


def fill(template: str, *, year: int | None = None, region: str = "") -> str:
    values = {
        "year": str(year) if year else "本",
        "next_year": str(year + 1) if year else "下一",
        "region": region,
    }
    return re.sub(r"\{(year|next_year|region)\}", lambda m: values[m.group(1)], template)


def _keyword_score(text: str, keywords: list[str]) -> float:
    return sum(len(k) for k in keywords if k and k in text)


@lru_cache(maxsize=8)
def _load(path: str) -> Outline:
    file = Path(path)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        return Outline.model_validate(data)
    except FileNotFoundError as exc:
        raise AssistantError(f"找不到提纲文件：{file}", f"Outline file not found: {file}",
                             "检查设置 ASSISTANT_OUTLINE。", "Check the ASSISTANT_OUTLINE setting.") from exc
    except (yaml.YAMLError, ValidationError) as exc:
        raise AssistantError(f"提纲文件格式有误：{file}\n{exc}", f"The outline file is malformed: {file}",
                             "对照 outlines/rule_of_law_report.yaml 修改。",
                             "Compare it with outlines/rule_of_law_report.yaml.") from exc


def load_outline(path: str | Path | None = None) -> Outline:
    if path is None:
        from .settings import get_settings

        path = get_settings().assistant_outline
    return _load(str(Path(path).resolve()))
