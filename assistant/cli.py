"""`python -m assistant …`: a thin shell over the library; every command is a library call."""

from __future__ import annotations

from . import privacy  # noqa: F401  (telemetry off before anything else is imported)

import argparse
import json
import os
import sys
from pathlib import Path

from .errors import AssistantError


def _hits(value: str) -> int:
    import argparse

    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= 100:
        raise argparse.ArgumentTypeError(f"应为 1 到 100 之间的整数 / must be an integer from 1 to 100: {value}")
    return number


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except AssistantError as exc:
        print(exc.text(), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已中断 / interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last resort: a message, not a traceback
        if os.environ.get("ASSISTANT_DEBUG"):
            raise
        print(f"内部错误：{type(exc).__name__}: {exc}\nInternal error: {type(exc).__name__}: {exc}\n"
              "设置 ASSISTANT_DEBUG=1 可显示详细信息 / set ASSISTANT_DEBUG=1 for the traceback.", file=sys.stderr)
        return 2


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m assistant", description="法治政府建设年度报告起草助手")
    sub = p.add_subparsers(metavar="COMMAND")

    c = sub.add_parser("ingest", help="把往年报告或法规加入知识库（文件或文件夹）")
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--kind", choices=["report", "regulation"])
    c.add_argument("--region")
    c.add_argument("--year", type=int)
    c.add_argument("--title", help="覆盖识别出的标题（只对单个文件有意义）")
    c.add_argument("--status", choices=["现行有效", "已修改", "已废止", "已失效"], help="法规的效力状态")
    c.add_argument("--promulgated", help="法规公布日期 YYYY-MM-DD")
    c.add_argument("--effective", help="法规施行日期 YYYY-MM-DD")
    c.add_argument("--no-embed", action="store_true", help="只建关键词索引，稍后再向量化")
    c.set_defaults(handler=cmd_ingest)

    c = sub.add_parser("search", help="检索知识库")
    c.add_argument("query")
    c.add_argument("--kind", choices=["report", "regulation"])
    c.add_argument("--year", type=int)
    c.add_argument("--region")
    c.add_argument("--part", type=int, choices=[1, 2, 3, 4, 5])
    c.add_argument("--k", type=_hits, default=5, help="返回条数（1–100，默认 5）")
    c.add_argument("--mode", choices=["hybrid", "bm25", "dense"], default="hybrid")
    c.add_argument("--format", choices=["text", "json"], default="text")
    c.set_defaults(handler=cmd_search)

    c = sub.add_parser("docs", help="列出知识库中的文件")
    c.add_argument("--kind", choices=["report", "regulation"])
    c.add_argument("--format", choices=["text", "json"], default="text")
    c.set_defaults(handler=cmd_docs)

    c = sub.add_parser("remove", help="从知识库删除一份文件（编号或标题）")
    c.add_argument("doc")
    c.set_defaults(handler=cmd_remove)

    c = sub.add_parser("article", help="显示法规某一条的原文，如：article 《行政复议法》 第二条")
    c.add_argument("title")
    c.add_argument("article")
    c.add_argument("--format", choices=["text", "json"], default="text")
    c.set_defaults(handler=cmd_article)

    c = sub.add_parser("reindex", help="用当前向量模型重建全部向量")
    c.set_defaults(handler=cmd_reindex)

    c = sub.add_parser("embed", help="为尚未向量化的段落生成向量（继续中断的入库）")
    c.set_defaults(handler=cmd_embed)

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
    c = rsub.add_parser("show", help="查看某部法规在登记表中的信息")
    c.add_argument("title")
    c.add_argument("--year", type=int, help="报告年度（判断是否过时）")
    c.set_defaults(handler=cmd_registry_show)

    _add_later_commands(sub)
    return p


def _add_later_commands(sub) -> None:
    """Commands of the checker and drafting stages (registered here to keep one parser)."""
    from . import cli_checks

    cli_checks.register(sub)


def _progress_bar():
    """A tqdm progress callback (on stderr) for ingest: one bar per phase."""
    from tqdm import tqdm

    state: dict = {"bar": None, "phase": None}

    def update(done: int, total: int, message: str) -> None:
        phase = message.split(" ", 1)[0]
        if state["phase"] != phase or state["bar"] is None:
            if state["bar"] is not None:
                state["bar"].close()
            state["bar"] = tqdm(total=total, desc=phase, unit="段" if phase.startswith("向量") else "个",
                                file=sys.stderr, dynamic_ncols=True, leave=True)
            state["phase"] = phase
        bar = state["bar"]
        bar.total = total
        bar.set_postfix_str(message.split(" ", 1)[-1][-40:], refresh=False)
        bar.update(max(0, done - bar.n))

    def close() -> None:
        if state["bar"] is not None:
            state["bar"].close()

    update.close = close  # type: ignore[attr-defined]
    return update


def _workspace():
    from .workspace import Workspace

    return Workspace()


def cmd_ingest(args) -> int:
    from .ingest import ingest_paths

    ws = _workspace()
    bar = _progress_bar()

    def on_regulation(result) -> None:
        ws.register_regulation(result, args.status, args.promulgated, args.effective)

    report = ingest_paths(ws.kb, args.paths, kind=args.kind, region=args.region, year=args.year, title=args.title,
                          embed=not args.no_embed, progress=bar, on_regulation=on_regulation)
    bar.close()
    for f in report.files:
        if f.ok:
            change = "未变化 unchanged" if f.unchanged else f"新增 {f.added} 段，删除 {f.removed} 段"
            print(f"✓ {f.title} [{f.kind} {f.region or ''} {f.year or ''}] {f.chunks} 段：{change}  ({f.doc_id})")
        else:
            print(f"✗ {f.path}\n  {f.error.replace(chr(10), chr(10) + '  ')}", file=sys.stderr)
    if report.embed_error:
        print(f"向量化未完成（关键词检索可用；稍后运行 python -m assistant embed 继续）：\n{report.embed_error}", file=sys.stderr)
    elif report.embedded:
        print(f"已向量化 {report.embedded} 段。")
    return 1 if report.failed or report.embed_error else 0


def cmd_search(args) -> int:
    ws = _workspace()
    hits = ws.kb.search(args.query, k=args.k, kind=args.kind, year=args.year, region=args.region, part=args.part,
                        mode=args.mode)
    if args.format == "json":
        print(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("没有找到相关内容。")
    for n, h in enumerate(hits, 1):
        where = " · ".join(str(x) for x in (h.kind, h.year, h.region) if x)
        print(f"{n}. {h.citation}  [{where}]  得分 {h.score:.4f}")
        snippet = h.text.replace("\n", " ")
        print(f"   {snippet[:160]}{'…' if len(snippet) > 160 else ''}")
        print(f"   来源：{h.source or h.doc_id}  字符 {h.start}–{h.end}")
    return 0


def cmd_docs(args) -> int:
    docs = _workspace().kb.documents(args.kind)
    if args.format == "json":
        print(json.dumps(docs and [{k: v for k, v in d.items() if k != "text"} for d in docs], ensure_ascii=False, indent=2))
        return 0
    if not docs:
        print("知识库是空的。用 python -m assistant ingest 文件 加入文件。")
    for d in docs:
        pending = f"，{d['pending']} 段待向量化" if d.get("pending") else ""
        print(f"{d['doc_id']}  [{d['kind']}] {d['title']}  {d['region'] or ''} {d['year'] or ''}  "
              f"{d['chunk_count']} 段{pending}  ← {d['source'] or ''}")
    return 0


def cmd_remove(args) -> int:
    doc = _workspace().kb.remove(args.doc)
    print(f"已删除：{doc['title']} ({doc['doc_id']})")
    return 0


def cmd_article(args) -> int:
    from .article_lookup import lookup_article

    found = lookup_article(_workspace(), args.title, args.article)
    if args.format == "json":
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return 0
    print(found["heading"])
    if found.get("status_note"):
        print(f"（{found['status_note']}）")
    print()
    print(found["text"])
    return 0


def cmd_reindex(args) -> int:
    bar = _progress_bar()
    count = _workspace().kb.reindex(progress=bar)
    bar.close()
    print(f"已用当前模型重建 {count} 段向量。")
    return 0


def cmd_embed(args) -> int:
    bar = _progress_bar()
    count = _workspace().kb.embed_pending(progress=bar)
    bar.close()
    print(f"已向量化 {count} 段。" if count else "没有待向量化的段落。")
    return 0


def cmd_registry_index(args) -> int:
    from .registry import BASE_HEADER, USER_HEADER, entries_from_index, write_entries

    entries = entries_from_index(args.index, args.texts)
    ws = _workspace()
    out = args.out or (ws.data_dir / "registry.yaml")
    write_entries(out, entries, header=BASE_HEADER if args.out else USER_HEADER)
    print(f"已写入 {len(entries)} 条 → {out}")
    return 0


def cmd_registry_lawrefbook(args) -> int:
    from .importers import import_lawrefbook

    ws = _workspace()
    bar = _progress_bar() if args.ingest else None
    summary = import_lawrefbook(ws, args.folder, ingest=args.ingest, progress=bar)
    if bar:
        bar.close()
    print(f"登记 {summary['registered']} 部法规（其中 {summary['superseded']} 个旧版本标为已修改）"
          + (f"，入库 {summary['ingested']} 份" if args.ingest else ""))
    for problem in summary["problems"]:
        print(f"✗ {problem}", file=sys.stderr)
    return 1 if summary["problems"] else 0


def cmd_registry_show(args) -> int:
    ws = _workspace()
    res = ws.registry.resolve(args.title, args.year)
    if not res:
        similar = ws.registry.similar(args.title)
        hint = "；".join(f"《{t}》" for t, _ in similar)
        print(f"登记表中没有《{args.title}》。" + (f"相近的标题：{hint}" if hint else ""))
        return 1
    for e in res.versions:
        outdated, why = ws.registry.outdated(e, args.year)
        mark = "⚠ " + why if outdated else "✓"
        print(f"《{e.title}》 {e.promulgated or ''} 公布，{e.effective or ''} 施行，{e.status} {e.number or ''} "
              f"{('共' + str(e.articles) + '条') if e.articles else ''}  {mark}")
    return 0
