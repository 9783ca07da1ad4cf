"""Importing public collections of laws into the registry (and optionally the knowledge base).

INDEX.tsv (the team corpus' index): `entries_from_index` builds registry entries from it.

LawRefBook style: a folder (with sub-folders) of Markdown files, one law per file, the title as
the first heading and the promulgation/amendment dates in the header lines before
`<!-- INFO END -->`. When several files hold versions of one title, the newest is in force and
the older ones are marked 已修改 (amended), superseded by the newest.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from ..errors import AssistantError
from ..registry import AMENDED, CURRENT, EXPIRED, REPEALED, Entry, normalise_title, short_name
from .regulations import parse_regulation


def import_lawrefbook(ws, folder: Path, ingest: bool = False, progress=None) -> dict:
    folder = Path(folder)
    if not folder.is_dir():
        raise AssistantError(f"不是文件夹：{folder}", f"Not a folder: {folder}")
    files = sorted(p for p in folder.rglob("*.md") if not p.name.startswith((".", "README", "SUMMARY")))
    problems: list[str] = []
    parsed = []
    for file in files:
        try:
            reg = parse_regulation(file.read_text(encoding="utf-8"), file.stem.split("(")[0])
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{file}: {exc}")
            continue
        if not reg.title or not reg.articles and not reg.parts:
            problems.append(f"{file}: 不像法规文本（没有标题或条文）/ not a law text")
            continue
        parsed.append((file, reg))
    by_title: dict[str, list] = {}
    for file, reg in parsed:
        by_title.setdefault(normalise_title(reg.title), []).append((file, reg))
    registered = superseded = 0
    for versions in by_title.values():
        versions.sort(key=lambda fr: fr[1].promulgated or "", reverse=True)
        newest = versions[0][1]
        for n, (_file, reg) in enumerate(versions):
            status = reg.status or CURRENT
            if n > 0 and status == CURRENT:
                status = AMENDED
                superseded += 1
            ws.registry.put(Entry(title=reg.title, short_names=[s for s in [short_name(reg.title)] if s],
                                  promulgated=reg.promulgated, effective=reg.effective, status=status,
                                  issuer=reg.issuer, articles=reg.article_count or None,
                                  note=None if n == 0 else f"被{(newest.promulgated or '')[:4]}年版本取代"))
            registered += 1
    ingested = 0
    if ingest and parsed:
        from .ingest import ingest_paths

        current = [fr[0] for versions in by_title.values() for fr in versions[:1]]
        report = ingest_paths(ws.kb, current, kind="regulation", progress=progress)
        ingested = sum(1 for f in report.files if f.ok)
        problems.extend(f"{f.path}: {f.error}" for f in report.failed)
    return {"registered": registered, "superseded": superseded, "ingested": ingested, "problems": problems}


# -- building the shipped registry from INDEX.tsv ---------------------------------------------------
_STATUS_FROM_INDEX = {"现行有效": CURRENT, "已修改": AMENDED, "已废止": REPEALED, "已失效": EXPIRED}
# successors stated in the texts themselves (the successor's last article repeals the old one)
# or in the corpus' SOURCES.md; another version of the same title needs no entry here
KNOWN_SUCCESSORS = {
    "法规规章备案条例": "法规规章备案审查条例",
    "最高人民法院关于适用《中华人民共和国行政诉讼法》若干问题的解释": "最高人民法院关于适用《中华人民共和国行政诉讼法》的解释",
    "法治政府建设实施纲要（2015—2020年）": "法治政府建设实施纲要（2021—2025年）",
}


def entries_from_index(index_path: Path, texts_dir: Path | None = None) -> list[Entry]:
    """Registry entries from a corpus INDEX.tsv; article counts from the texts when present."""
    counts: dict[tuple[str, str], int] = {}
    if texts_dir and texts_dir.exists():
        for file in texts_dir.glob("*.md"):
            reg = parse_regulation(file.read_text(encoding="utf-8"), file.stem)
            if reg.articles:
                counts[(normalise_title(file.stem), (reg.promulgated or "")[:4])] = reg.article_count
    entries: list[Entry] = []
    with index_path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            title = row["title"].strip()
            status = _STATUS_FROM_INDEX.get(row["status"].strip(), row["status"].strip())
            promulgated = row["promulgated"].strip() or None
            period = re.search(r"（\d{4}[—－-](\d{4})年）", title)
            entry = Entry(
                title=title,
                short_names=[n for n in [short_name(title)] if n],
                kind=row["kind"].strip() or None,
                issuer=row["issuer"].strip() or None,
                number=row["doc_number"].strip() or None,
                promulgated=promulgated,
                effective=row["effective"].strip() or None,
                status=status,
                superseded_by=KNOWN_SUCCESSORS.get(title) if status != CURRENT else None,
                expires=f"{period.group(1)}-12-31" if period else None,
                articles=counts.get((normalise_title(title), (promulgated or "")[:4])) if status == CURRENT else None,
            )
            entries.append(entry)
    return entries
