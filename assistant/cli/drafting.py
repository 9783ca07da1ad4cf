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
    for warning in ensure_inputs_year(inputs, previous=service.previous_report(args.previous)): print(f"提醒：{warning}", file=sys.stderr)  # noqa: E701
    section = "all" if args.section in ("all", "全文") else "/".join(split_path(args.section))
    if section != "all":
        check_section(section, ws.outline)
    streaming = not args.out and not args.offline and ws.llm is not None

    def on_token(piece: str) -> None:
        if streaming:
            sys.stdout.write(piece)
            sys.stdout.flush()

    draft = service.draft(section, offline=True if args.offline else None, on_token=on_token,
                          on_status=lambda s: print(f"[{s}]", file=sys.stderr), previous=args.previous)
    if args.out:
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
