"""CLI commands of the checking and drafting stages: `check`, `inputs`, `draft`."""

from __future__ import annotations

import sys
from pathlib import Path


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
    from .drafting import check_output_path
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
    from .drafting import draft_cli

    return draft_cli(args)
