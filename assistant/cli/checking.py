"""CLI commands of the checking stage: `check` and `inputs` (template, check)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import AssistantError
from .common import check_output_path


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


def _parse_only(value: str | None) -> tuple[str, ...]:
    from ..checks import ALL_CHECKS

    if not value:
        return ALL_CHECKS
    picked = tuple(v.strip() for v in value.split(",") if v.strip())
    unknown = [v for v in picked if v not in ALL_CHECKS]
    if unknown:
        raise AssistantError(f"--only 只能取 figures、citations、outline，不认识：{'、'.join(unknown)}",
                             f"--only takes figures, citations, outline; unknown: {', '.join(unknown)}")
    return picked


def cmd_check(args) -> int:
    from ..checks import format_json, format_text, has_errors, run_checks, workspace_context
    from ..inputs import load_inputs
    from ..knowledge import read_document
    from ..workspace import Workspace

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
    from ..inputs import write_template

    check_output_path(args.out, (".xlsx",))
    path = write_template(args.out)
    print(f"已生成模板：{path}")
    return 0


def cmd_inputs_check(args) -> int:
    from ..inputs import load_inputs

    inputs = load_inputs(args.file)
    for warning in inputs.warnings:
        print(warning, file=sys.stderr)
    print(f"✓ {args.file}：{len(inputs.figures)} 个指标、{len(inputs.notes)} 条工作素材，"
          f"{inputs.report.region or ''}{inputs.report.year or ''}年度。")
    return 0
