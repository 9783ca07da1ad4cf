"""CLI commands of the checking and drafting stages: `check`, `inputs`, `draft`."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .errors import AssistantError
from .report_tree import split_path


def register(sub) -> None:
    c = sub.add_parser("check", help="检查报告草稿中的数字、引用的法规和提纲（.txt/.md/.docx）")
    c.add_argument("draft", type=Path)
    c.add_argument("--inputs", type=Path, help="本年度结构化输入（.yaml/.xlsx）")
    c.add_argument("--format", choices=["text", "json"], default="text")
    c.add_argument("--only", help="只做某几项检查：figures,citations,outline（逗号分隔）")
    c.add_argument("--year", type=int, help="报告年度（默认取输入数据或正文）")
    c.add_argument("--scope", choices=["auto", "report", "section"], default="auto",
                   help="整篇报告或单个部分（单个部分不检查缺少的部分）")
    c.set_defaults(handler=cmd_check)

    inp = sub.add_parser("inputs", help="结构化输入：模板与校验")
    isub = inp.add_subparsers(metavar="ACTION")
    c = isub.add_parser("template", help="生成带中文说明的空白 Excel 模板")
    c.add_argument("out", type=Path)
    c.set_defaults(handler=cmd_inputs_template)
    c = isub.add_parser("check", help="校验输入文件，一次列出全部问题")
    c.add_argument("file", type=Path)
    c.set_defaults(handler=cmd_inputs_check)

    c = sub.add_parser("draft", help="起草报告的一个部分或全文")
    c.add_argument("--inputs", type=Path, required=True)
    c.add_argument("--section", default="all", help="一 | 二 | 一.(六) | all（默认全文）")
    c.add_argument("--offline", action="store_true", help="不用大模型，按去年报告和输入数据确定性起草")
    c.add_argument("--out", type=Path, help="写到 .md 或 .docx 文件（默认输出到屏幕）")
    c.add_argument("--previous", help="作为参照的往年报告（知识库中的编号或标题；默认自动选取）")
    c.set_defaults(handler=cmd_draft)


def _parse_only(value: str | None) -> tuple[str, ...]:
    from .checks import ALL_CHECKS
    from .errors import AssistantError

    if not value:
        return ALL_CHECKS
    picked = tuple(v.strip() for v in value.split(",") if v.strip())
    unknown = [v for v in picked if v not in ALL_CHECKS]
    if unknown:
        raise AssistantError(f"--only 只能取 figures、citations、outline，不认识：{'、'.join(unknown)}",
                             f"--only takes figures, citations, outline; unknown: {', '.join(unknown)}")
    return picked


def cmd_check(args) -> int:
    from .checks import run_checks, workspace_context
    from .documents import read_document
    from .findings import format_json, format_text, has_errors
    from .inputs import load_inputs
    from .workspace import Workspace

    only = _parse_only(args.only)
    doc = read_document(args.draft)
    inputs = load_inputs(args.inputs) if args.inputs else None
    ws = Workspace()
    findings = run_checks(doc.text, workspace_context(ws, inputs, args.year), only=only, scope=args.scope)
    if args.format == "json":
        print(format_json(findings))
    else:
        print(format_text(findings, doc.text, str(args.draft)))
    return 1 if has_errors(findings) else 0


def cmd_inputs_template(args) -> int:
    from .inputs import write_template

    check_output_path(args.out, (".xlsx",))
    path = write_template(args.out)
    print(f"已生成模板：{path}")
    return 0


def cmd_inputs_check(args) -> int:
    from .inputs import load_inputs

    inputs = load_inputs(args.file)
    for warning in inputs.warnings:
        print(warning, file=sys.stderr)
    print(f"✓ {args.file}：{len(inputs.figures)} 个指标、{len(inputs.notes)} 条工作素材，"
          f"{inputs.report.region or ''}{inputs.report.year or ''}年度。")
    return 0


def cmd_draft(args) -> int:
    from .drafting import DraftingService, write_draft
    from .findings import format_text, has_errors
    from .inputs import load_inputs
    from .workspace import Workspace

    if args.out:
        check_output_path(args.out, (".md", ".docx", ".txt"))
    inputs = load_inputs(args.inputs)
    ws = Workspace()
    service = DraftingService(ws, inputs)
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
        print(f"已写入 {args.out}", file=sys.stderr)
    elif streaming:
        sys.stdout.write("\n\n----- 定稿（检查后）-----\n" + draft.text + "\n")
    else:
        print(draft.text)
    for note in draft.notes:
        print(f"· {note}", file=sys.stderr)
    if draft.findings:
        print(format_text(draft.findings, draft.text), file=sys.stderr)
    return 1 if has_errors(draft.findings) else 0


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


def check_output_path(path, suffixes: tuple[str, ...]) -> None:
    """Refuse an output file the command cannot write, before any work is done."""
    path = Path(path)
    if path.suffix.lower() not in suffixes:
        raise AssistantError(f"不支持输出为“{path.suffix or '无扩展名'}”文件：请用 {' / '.join(suffixes)}。",
                             f"Cannot write a '{path.suffix}' file; use {' / '.join(suffixes)}.")
    if not path.parent.exists():
        raise AssistantError(f"输出文件夹不存在：{path.parent}", f"The output folder does not exist: {path.parent}")

