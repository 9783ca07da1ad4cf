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
    keywords: list[str] = Field(default_factory=list)  # words that name this part in a heading
    weak_keywords: list[str] = Field(default_factory=list)  # words that name it only when nothing else does
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
    # how a report's parts in another order than the outline's are reported: info when the basis
    # prescribes the content but not the order (第二十五条), warning when the order is prescribed
    order_severity: str = "info"
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
        """Which part one level-1 heading is, by its words (see `classify_parts` for a whole report)."""
        return self.classify_parts([(title, "")], None if position is None else [position])[0]

    def classify_parts(self, headings: list[tuple[str, str]], positions: list[int] | None = None) -> list[int | None]:
        """Which part each level-1 heading (title, body) of a report is, by meaning:
        1. the heading's words for a part ("存在的不足和原因" → 二, "第一责任" → 三); else the areas of
           part 一 it names ("深化放管服改革，依法全面履行政府职能" → 一: a theme of the 举措和成效);
           else a weak word (履行, 职责), which never outweighs the rest; a tie goes to the numeral;
        2. a heading that names nothing: what its body speaks of;
        3. still nothing: its neighbours — theme headings after (or right before) part 一's are
           part 一 until another part begins — and only then its numeral, for a part no other
           heading is."""
        positions = positions if positions is not None else list(range(len(headings)))
        by_position = [self.parts[p].number if p is not None and 0 <= p < len(self.parts) else None for p in positions]
        out = [self._by_words(title, by_position[i]) for i, (title, _) in enumerate(headings)]
        for i, (_, body) in enumerate(headings):
            if out[i] is None and body:
                out[i] = self._by_body(body[:1500])
        for i in range(len(out)):
            if out[i] is None:
                before = next((p for p in reversed(out[:i]) if p is not None), None)
                after = next((p for p in out[i + 1:] if p is not None), None)
                if before == 1 or (before is None and after == 1):
                    out[i] = 1
        for i in range(len(out)):
            if out[i] is None and by_position[i] is not None and by_position[i] not in out:
                out[i] = by_position[i]
        return out

    def _by_words(self, text: str, tie: int | None) -> int | None:
        """The part a heading names: its own keywords first, then part 一's areas, then weak words."""
        for tier in ("keywords", "areas", "weak_keywords"):
            if tier == "areas":
                part1 = self.part(1)
                if part1 is not None and any(_keyword_score(text, s.keywords) for s in part1.subsections):
                    return part1.number
                continue
            scores = {p.number: _keyword_score(text, getattr(p, tier)) for p in self.parts}
            best = max(scores.values(), default=0)
            if best > 0:
                winners = [n for n, s in scores.items() if s == best]
                return tie if len(winners) > 1 and tie in winners else winners[0]
        return None

    def _by_body(self, body: str) -> int | None:
        """The part a body speaks of, for a heading that names nothing: statistics about the areas
        of part 一 are its 举措和成效; otherwise the part whose keywords it repeats clearly most."""
        part1 = self.part(1)
        areas = sum(1 for s in (part1.subsections if part1 else []) if any(k in body for k in s.keywords))
        if part1 is not None and areas >= 2 and len(re.findall(r"\d+(?:\.\d+)?\s*[%件项次人个名家万亿]", body)) >= 2:
            return part1.number
        counts = sorted(((sum(body.count(k) for k in p.keywords if k), p.number) for p in self.parts), reverse=True)
        if counts and counts[0][0] >= 2 and (len(counts) < 2 or counts[0][0] >= 2 * counts[1][0]):
            return counts[0][1]
        return None

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
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
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
