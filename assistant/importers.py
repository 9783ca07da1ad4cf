"""Importing public collections of laws into the registry (and optionally the knowledge base).

LawRefBook style: a folder (with sub-folders) of Markdown files, one law per file, the title as
the first heading and the promulgation/amendment dates in the header lines before
`<!-- INFO END -->`. When several files hold versions of one title, the newest is in force and
the older ones are marked 已修改 (amended), superseded by the newest.
"""

from __future__ import annotations

from pathlib import Path

from .errors import AssistantError
from .registry import AMENDED, CURRENT, Entry
from .regulations import parse_regulation
from .titles import normalise_title, short_name


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
