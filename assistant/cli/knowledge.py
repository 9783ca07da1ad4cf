"""CLI commands of the knowledge base: ingest, search, docs, remove, article, embed, reindex, and
for a shared knowledge base on a Chroma server: sync, migrate."""

from __future__ import annotations

import json
import sys

from .common import hits_count, progress_bar, workspace


def register(sub) -> None:
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
    c.add_argument("--k", type=hits_count, default=5, help="返回条数（1–100，默认 5）")
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
    c.add_argument("--yes", action="store_true", help="服务器模式：确认重建全部办公室共用的向量")
    c.set_defaults(handler=cmd_reindex)

    c = sub.add_parser("embed", help="为尚未向量化的段落生成向量（继续中断的入库；服务器模式下补传本机未上传的文件）")
    c.set_defaults(handler=cmd_embed)

    c = sub.add_parser("sync", help="服务器模式：立即从 Chroma 服务器同步知识库到本机")
    c.add_argument("--full", action="store_true", help="逐份比对全部文件（不只看变更标记）")
    c.set_defaults(handler=cmd_sync)

    c = sub.add_parser("migrate", help="把本机内置的知识库迁移到 Chroma 服务器（沿用已有向量，不重新计算）")
    c.set_defaults(handler=cmd_migrate)


def cmd_ingest(args) -> int:
    from ..knowledge import ingest_paths

    ws = workspace()
    bar = progress_bar()

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
        what = "上传到服务器未完成" if ws.kb.server_mode else "向量化未完成"
        print(f"{what}（关键词检索可用；稍后运行 python -m assistant embed 继续）：\n{report.embed_error}", file=sys.stderr)
    elif report.embedded:
        print(f"已上传 {report.embedded} 段到服务器。" if ws.kb.server_mode else f"已向量化 {report.embedded} 段。")
    if len(report.files) > 1 or report.failed:
        print(ingest_summary(report), file=sys.stderr if report.failed else sys.stdout)
    if not report.files:
        print("没有找到可加入的文件（.txt .md .docx .pdf）。\nNo file to ingest (.txt .md .docx .pdf) in the paths given.",
              file=sys.stderr)
        return 2
    return 1 if report.failed or report.embed_error else 0


def ingest_summary(report) -> str:
    """One line in Chinese, one in English: how many files went in (unchanged among them) and which
    could not, by name."""
    from pathlib import Path

    ok = [f for f in report.files if f.ok]
    same = sum(1 for f in ok if f.unchanged)
    failed = [Path(f.path).name for f in report.failed]
    zh = f"共 {len(report.files)} 个文件：{len(ok)} 个已入库" + (f"（其中 {same} 个未变化）" if same else "")
    en = f"{len(report.files)} file(s): {len(ok)} ingested" + (f" ({same} unchanged)" if same else "")
    if failed:
        zh += f"，{len(failed)} 个未能加入：{'、'.join(failed)}（原因见上）"
        en += f", {len(failed)} skipped: {', '.join(failed)} (see above)"
    return f"{zh}。\n{en}."


def cmd_search(args) -> int:
    ws = workspace()
    hits = ws.kb.search(args.query, k=args.k, kind=args.kind, year=args.year, region=args.region, part=args.part,
                        mode=args.mode)
    if getattr(hits, "notice", None):
        print(f"注意 / note: {hits.notice}", file=sys.stderr)
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
    kb = workspace().kb
    docs = kb.documents(args.kind)
    if args.format == "json":
        print(json.dumps(docs and [{k: v for k, v in d.items() if k != "text"} for d in docs], ensure_ascii=False, indent=2))
        return 0
    if kb.server_mode:
        print(_server_line(kb))
    if not docs:
        print("知识库是空的。用 python -m assistant ingest 文件 加入文件。")
    for d in docs:
        pending = f"，{d['pending']} 段待向量化" if d.get("pending") else ""
        if d.get("on_server") is False:
            pending += "，尚未上传到服务器（运行 embed）"
        print(f"{d['doc_id']}  [{d['kind']}] {d['title']}  {d['region'] or ''} {d['year'] or ''}  "
              f"{d['chunk_count']} 段{pending}  ← {d['source'] or ''}")
    return 0


def cmd_remove(args) -> int:
    doc = workspace().kb.remove(args.doc)
    print(f"已删除：{doc['title']} ({doc['doc_id']})")
    return 0


def cmd_article(args) -> int:
    from ..knowledge import lookup_article

    found = lookup_article(workspace(), args.title, args.article)
    if args.format == "json":
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return 0
    print(found["heading"])
    if found.get("status_note"):
        print(f"（{found['status_note']}）")
    print()
    print(found["text"])
    return 0


def _server_line(kb) -> str:
    import time

    st = kb.status()
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(st["synced_at"])) if st.get("synced_at") else "从未"
    state = "连接不上" if st.get("server_down") else "已连接"
    held = f"；本机有 {st['held_back']} 份文件尚未上传（运行 embed）" if st.get("held_back") else ""
    return (f"服务器 {st['url']}（集合 {st['collection']}）{state}，本机缓存同步于 {when}{held}。\n"
            f"Server {st['url']} ({'unreachable' if st.get('server_down') else 'connected'}); this machine's copy "
            f"synced {when if st.get('synced_at') else 'never'}.")


def cmd_reindex(args) -> int:
    from ..errors import AssistantError

    kb = workspace().kb
    if kb.server_mode and not args.yes:
        raise AssistantError(
            f"服务器模式下 reindex 会删除服务器 {kb.settings.assistant_chroma_url} 上全部办公室共用的向量，"
            "再用本机的向量模型全部重新计算（期间其他办公室只能按关键词检索）。",
            "In server mode, reindex deletes every office's vectors on the server and embeds everything again "
            "with this machine's model (other offices get keyword search only meanwhile).",
            "确认要这样做，请运行 python -m assistant reindex --yes；只想补传本机的文件请用 embed。",
            "To go ahead, run `python -m assistant reindex --yes`; to upload this machine's documents, use `embed`.")
    bar = progress_bar()
    count = kb.reindex(progress=bar)
    bar.close()
    print(f"已用当前模型重建 {count} 段向量。")
    return 0


def cmd_embed(args) -> int:
    kb = workspace().kb
    bar = progress_bar()
    count = kb.embed_pending(progress=bar)
    bar.close()
    if kb.server_mode:
        print(f"已把 {kb.published} 份文件发布到服务器 {kb.settings.assistant_chroma_url}（上传 {count} 段，其余服务器上已有）。"
              if kb.published else "本机没有待上传的文件，服务器上已是最新。")
    else:
        print(f"已向量化 {count} 段。" if count else "没有待向量化的段落。")
    return 0


def cmd_sync(args) -> int:
    from ..errors import AssistantError

    kb = workspace().kb
    if not kb.server_mode:
        raise AssistantError("没有设置 ASSISTANT_CHROMA_URL：内置知识库不需要同步。",
                             "ASSISTANT_CHROMA_URL is not set: the embedded knowledge base needs no sync.")
    bar = progress_bar()
    report = kb.sync_now(bar, full=args.full)
    bar.close()
    print(f"同步完成（{report.seconds:.1f} 秒）：下载 {len(report.fetched)} 份，删除 {len(report.dropped)} 份"
          + (f"，本机有 {len(report.held_back)} 份与服务器不同、尚未上传（运行 embed）" if report.held_back else "")
          + ("；服务器上没有变化。" if not report.changed else "。"))
    print(_server_line(kb))
    return 0


def cmd_migrate(args) -> int:
    kb = workspace().kb
    bar = progress_bar()
    result = kb.migrate(bar)
    bar.close()
    print(f"已把 {result['documents']} 份文件迁移到服务器 {kb.settings.assistant_chroma_url}：上传 {result['uploaded']} 段，"
          f"沿用本机已有向量 {result['reused_vectors']} 段，新计算 {result['embedded']} 段。")
    print(f"Moved {result['documents']} documents to the server: {result['uploaded']} chunks uploaded, "
          f"{result['reused_vectors']} stored vectors reused, {result['embedded']} embedded anew.")
    return 0
