"""CLI commands of the regulation registry: import-index, import-lawrefbook, show."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import progress_bar, workspace


def register(sub) -> None:
    reg = sub.add_parser("registry", help="法规登记表")
    rsub = reg.add_subparsers(metavar="ACTION")
    c = rsub.add_parser("import-index", help="从 INDEX.tsv 生成登记表")
    c.add_argument("index", type=Path)
    c.add_argument("--texts", type=Path, help="法规文本所在文件夹（用于统计条数）")
    c.add_argument("--out", type=Path, help="写到此文件（默认：用户登记表）")
    c.set_defaults(handler=cmd_registry_index)
    c = rsub.add_parser("import-lawrefbook", help="导入 LawRefBook 风格的法规文件夹（每部法律一个 Markdown 文件）")
    c.add_argument("folder", type=Path)
    c.add_argument("--ingest", action="store_true", help="同时把文本加入知识库")
    c.set_defaults(handler=cmd_registry_lawrefbook)
    c = rsub.add_parser("show", help="查看某部法规在登记表中的信息（不写标题：登记表的来源、资料截至日期和更新方法）")
    c.add_argument("title", nargs="?")
    c.add_argument("--year", type=int, help="报告年度（判断是否过时）")
    c.set_defaults(handler=cmd_registry_show)


def cmd_registry_index(args) -> int:
    from ..knowledge import entries_from_index
    from ..registry import BASE_HEADER, USER_HEADER, write_entries

    entries = entries_from_index(args.index, args.texts)
    ws = workspace()
    out = args.out or (ws.data_dir / "registry.yaml")
    write_entries(out, entries, header=BASE_HEADER if args.out else USER_HEADER)
    print(f"已写入 {len(entries)} 条 → {out}")
    return 0


def cmd_registry_lawrefbook(args) -> int:
    from ..knowledge import import_lawrefbook

    ws = workspace()
    bar = progress_bar() if args.ingest else None
    summary = import_lawrefbook(ws, args.folder, ingest=args.ingest, progress=bar)
    if bar:
        bar.close()
    print(f"登记 {summary['registered']} 部法规（其中 {summary['superseded']} 个旧版本标为已修改）"
          + (f"，入库 {summary['ingested']} 份" if args.ingest else ""))
    for problem in summary["problems"]:
        print(f"✗ {problem}", file=sys.stderr)
    return 1 if summary["problems"] else 0


def cmd_registry_show(args) -> int:
    ws = workspace()
    if not args.title:
        print_sources(ws.registry)
        return 0
    res = ws.registry.resolve(args.title, args.year)
    if not res:
        similar = ws.registry.similar(args.title)
        hint = "；".join(f"《{t}》" for t, _ in similar)
        print(f"登记表中没有《{args.title}》。" + (f"相近的标题：{hint}" if hint else ""))
        print_sources(ws.registry, brief=True)
        return 1
    for e in res.versions:
        outdated, why = ws.registry.outdated(e, args.year)
        mark = "⚠ " + why if outdated else "✓"
        dates = "，".join(x for x in (f"{e.promulgated} 公布" if e.promulgated else "", f"{e.effective} 施行" if e.effective else "",
                                      f"{e.repealed} 废止" if e.repealed else "") if x)
        facts = "  ".join(x for x in (e.kind or "", e.region or "", dates, e.status, e.number or "",
                                      f"共{e.articles}条" if e.articles else "") if x)
        print(f"《{e.title}》 {facts}  {mark}")
        if e.disputed:
            print(f"  ？效力状态存疑：{e.disputed}，请核实。")
        if e.note:
            print(f"  注：{e.note}")
        print(f"  来源：{e.source or '用户登记表'}")
    print_sources(ws.registry, brief=True)
    return 0


def print_sources(registry, brief: bool = False) -> None:
    """Where the registry's facts come from, as of when, and how to bring them up to date."""
    if brief:
        print(f"（{registry.as_of_line()}来源和更新方法：python -m assistant registry show）")
        return
    print("法规登记表的来源（后者被前者覆盖：项目登记表 > 国家法律库 > LawRefBook 目录；数据目录的 registry.yaml 最优先）：")
    for s in registry.sources:
        when = f"资料截至 {s.as_of}" if s.as_of else "人工维护，无统一截至日期" if s.entries else "未提供"
        print(f"- {s.name}：{s.entries} 条，{when}")
        print(f"  更新：{s.update}")
