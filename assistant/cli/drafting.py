"""CLI command of the drafting stage: `draft`."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ..errors import AssistantError
from ..report_tree import split_path
from .common import check_output_path


def register(sub) -> None:
    c = sub.add_parser("draft", help="起草报告的一个部分或全文")
    c.add_argument("--inputs", type=Path, required=True)
    c.add_argument("--section", default="all", help="一 | 二 | 一.(六) | all（默认全文）")
    c.add_argument("--offline", action="store_true", help="不用大模型，按去年报告和输入数据确定性起草")
    c.add_argument("--out", type=Path, help="写到 .md 或 .docx 文件（默认输出到屏幕）")
    c.add_argument("--previous", help="作为参照的往年报告（知识库中的编号或标题；默认自动选取）")
    c.set_defaults(handler=cmd_draft)


def cmd_draft(args) -> int:
    """Exit 0 when the draft is ready to hand over; 1 while it holds a mark (〔待核实〕〔未写完〕
    〔待补〕〔待更新〕) or an error, or a request failed part-way (what was written is kept)."""
    from ..checks import format_text
    from ..drafting import DraftingService, attention_text, needs_attention, parts_needing_attention, write_draft
    from ..inputs import ensure_inputs_year, load_inputs
    from ..workspace import Workspace

    if args.out:
        check_output_path(args.out, (".md", ".docx", ".txt"))
    inputs = load_inputs(args.inputs)
    ws = Workspace()
    service = DraftingService(ws, inputs)
    if args.previous:
        check_previous(ws, args.previous, inputs)
    previous = service.previous_report(args.previous)
    for warning in ensure_inputs_year(inputs, previous=previous): print(f"提醒：{warning}", file=sys.stderr)  # noqa: E701
    section = "all" if args.section in ("all", "全文") else "/".join(split_path(args.section))
    if section != "all":
        check_section(section, ws.outline)
        check_subsection_exists(section, inputs, previous, ws.outline)
    streaming = not args.out and not args.offline and ws.llm is not None

    def on_token(piece: str) -> None:
        if streaming:
            sys.stdout.write(piece)
            sys.stdout.flush()

    draft = service.draft(section, offline=True if args.offline else None, on_token=on_token,
                          on_status=lambda s: print(f"[{s}]", file=sys.stderr), previous=args.previous)
    if args.out:
        if args.out.suffix.lower() == ".docx":  # every mark and every finding as a Word comment
            from ..export import export_docx, finding_comments

            export_docx(draft.text, args.out, comments=finding_comments(draft.text, draft.findings))
        else:
            write_draft(draft.text, args.out, inputs)
        print(f"已写入 {args.out}" + ("（未写完，见下）" if draft.error else ""), file=sys.stderr)
    elif streaming:
        sys.stdout.write("\n\n----- 定稿（检查后）-----\n" + draft.text + "\n")
    else:
        print(draft.text)
    for note in draft.notes:
        print(f"· {note}", file=sys.stderr)
    if draft.findings:
        print(format_text(draft.findings, draft.text), file=sys.stderr)
    if draft.error:
        print(f"起草未完成：{draft.error['zh']}\nDrafting did not finish: {draft.error['en']}\n"
              f"已写完的部分{'已写入 ' + str(args.out) if args.out else '已输出'}，中断处标有〔未写完〕。"
              + (f"\n处理建议：{draft.error['hint_zh']}" if draft.error.get("hint_zh") else ""), file=sys.stderr)
    zh, en = attention_text(parts_needing_attention(draft.text, draft.findings, ws.outline))
    if zh:
        print(f"{zh}\n{en}\n标记的含义和清除方法见 README“草稿中的标记” / see README, 'Marks in a draft'.", file=sys.stderr)
    return 1 if draft.error or needs_attention(draft.findings) else 0


def check_section(section: str, outline) -> None:
    """A section the CLI can draft: a part of the outline (一…五), optionally followed by
    subsection tokens such as (六) and 1."""
    tokens = split_path(section)
    keys = [p.key for p in outline.parts]
    ok = bool(tokens) and tokens[0] in keys and all(
        re.fullmatch(r"\([一二三四五六七八九十]+\)|\d+", t) for t in tokens[1:])
    if not ok:
        raise AssistantError(
            f"无法识别要起草的部分“{section}”：可用 {'、'.join(keys)}、一.(六) 这样的写法，或 all（全文）。",
            f"Unknown section '{section}': use one of {', '.join(keys)}, a path such as 一.(六), or all.")


def check_previous(ws, ref: str, inputs) -> dict:
    """`--previous` names a report in the knowledge base (by id or title), or the command stops
    with the region's reports listed: drafting against another document than the one asked for
    would go unnoticed."""
    from ..errors import NotFound

    try:
        doc = ws.kb.resolve_doc(ref)
    except NotFound:
        doc = None
    if doc is not None and doc["kind"] == "report":
        return doc
    reports = [d for d in ws.kb.documents("report") if not inputs.report.region or d["region"] == inputs.report.region]
    listed = "；".join(f"{d['doc_id']}（{d['title']}）" for d in reports[:8]) or "（知识库中没有本地区的往年报告）"
    what = f"“{ref}”是法规，不是往年报告" if doc is not None else f"知识库中没有“{ref}”这份往年报告"
    raise AssistantError(
        f"--previous 指定的参照报告有误：{what}。可用的往年报告：{listed}",
        f"--previous: {'“' + ref + '” is a regulation, not a report' if doc is not None else 'no report “' + ref + '” in the knowledge base'}.",
        "用 python -m assistant docs --kind report 查看编号和标题；不写 --previous 时自动选用本地区最近一年的报告。",
        "List reports with `python -m assistant docs --kind report`; without --previous the region's latest report is used.")


def check_subsection_exists(section: str, inputs, previous: dict | None, outline) -> None:
    """A subsection (一/(六), 一/(六)/2) is drafted only when something says what it is about: a
    note or figure of the inputs placed there, or the previous report's subsection of that number.
    Otherwise the draft would be a heading 〔待补：小标题〕 and nothing else."""
    from ..report_tree import parse_report

    tokens = split_path(section)
    if len(tokens) < 2:
        return
    places = {"/".join(split_path(n.section)) for n in inputs.notes} | {
        "/".join(split_path(f.section)) for f in inputs.figures if f.section}
    if any(p == section or p.startswith(section + "/") for p in places):
        return
    tree = parse_report(previous["text"], outline.classify_heading) if previous else None
    if tree is not None and tree.find(section) is not None:
        return
    known = sorted({"/".join(split_path(p)[:len(tokens)]) for p in places if split_path(p)[:1] == tokens[:1]
                    and len(split_path(p)) >= len(tokens)})
    if tree is not None:
        known = sorted(set(known) | {s.path for s in tree.walk() if len(s.tokens) == len(tokens)
                                     and s.tokens[0] == tokens[0]})
    from ..numerals import parse_number

    known = sorted(known, key=lambda k: [parse_number(t.strip("()")) or 0 for t in split_path(k)])
    shown = "、".join(k.replace("/", ".") for k in known) or "（没有）"
    raise AssistantError(
        f"没有“{section.replace('/', '.')}”这一小节：输入数据的工作情况和指标里没有放在这里的内容，"
        f"{'参照的往年报告里也没有这个编号' if previous else '知识库中也没有可参照的往年报告'}。可起草的小节：{shown}",
        f"No subsection '{section}': no note or figure of the inputs is placed there, "
        f"{'nor does the previous report have it' if previous else 'and there is no previous report'}. "
        f"Subsections that can be drafted: {', '.join(known) or 'none'}.",
        "换一个小节编号，或先在输入数据的“工作情况”中为它加一条素材（所属部分写成 一/(六) 这样）。",
        "Pick another subsection, or add a note for it in the inputs (section like 一/(六)).")
