"""CLI commands of the checking stage: `check` and `inputs` (template, check)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import AssistantError
from .common import check_output_path


def register(sub) -> None:
    c = sub.add_parser("check", help="检查报告中的数字、引用的法规和提纲（.txt/.md/.docx/.pdf；可一次检查多个文件和文件夹）",
                       description="检查一份或多份报告。多份报告（或文件夹）时打印一张汇总表：每份报告的错误、警告、提示、"
                                   "缺少的部分和无法核对的引用；--out 为每份报告写出 JSON 明细，--xlsx 导出 Excel。"
                                   "每份报告使用 --inputs 指定的输入数据，未指定时使用报告旁同名的 .yaml/.yml/.xlsx 文件（如有）。")
    c.add_argument("drafts", type=Path, nargs="+", metavar="报告或文件夹")
    c.add_argument("--inputs", type=Path, help="本年度结构化输入（.yaml/.xlsx），用于所有报告")
    c.add_argument("--format", choices=["text", "json"], default="text")
    c.add_argument("--only", help="只做某几项检查：figures,citations,outline（逗号分隔）")
    c.add_argument("--year", type=int, help="报告年度（默认取输入数据或正文）")
    c.add_argument("--scope", choices=["auto", "report", "section"], default="auto",
                   help="整篇报告或单个部分（单个部分不检查缺少的部分）")
    c.add_argument("--out", type=Path, help="为每份报告写出 JSON 明细（和汇总）的文件夹")
    c.add_argument("--xlsx", type=Path, help="把汇总表和全部检查结果导出为 Excel 文件")
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
    """One report: its findings (text lines or JSON), as before. Several: one summary table, and
    JSON per report (--out) or all of it as one JSON document (--format json). Exit 2 when a
    report could not be checked, else 1 when any has an error, else 0."""
    import json

    from ..app import inputs_beside, report_files, review_files, write_review_xlsx
    from ..checks import format_json, format_table, format_text, has_errors, workspace_context
    from ..workspace import Workspace

    only = _parse_only(args.only)
    if args.xlsx:
        check_output_path(args.xlsx, (".xlsx",))
    if args.out and args.out.exists() and not args.out.is_dir():
        raise AssistantError(f"--out 应为文件夹：{args.out}", f"--out must be a folder: {args.out}")
    if args.inputs is not None and not args.inputs.exists():
        raise AssistantError(f"找不到输入文件：{args.inputs}", f"Inputs file not found: {args.inputs}")
    reports = report_files(args.drafts)
    if not reports:
        raise AssistantError("给出的文件夹中没有可检查的报告（.docx/.txt/.md/.pdf）。",
                             "No report (.docx/.txt/.md/.pdf) in the folders given.")
    ws = Workspace()
    texts = ws.regulation_texts()

    def context(inputs):  # one registry, outline and text look-up for every report
        return workspace_context(ws, inputs, args.year, texts=texts)

    single = len(reports) == 1 and not args.drafts[0].is_dir()
    if single:  # one report: a problem with it is the command's error, as before
        from ..inputs import load_inputs
        from ..knowledge import read_document

        doc = read_document(reports[0])
        inputs_path = args.inputs or inputs_beside(reports[0])
        reviewed = review_files([reports[0]], context, lambda _: inputs_path, scope=args.scope, only=only)
        if reviewed[0].problem and inputs_path is not None:
            load_inputs(inputs_path)  # raises the inputs' own error, with every problem listed
        item = reviewed[0]
        if args.format == "json":
            print(format_json(item.findings))
        else:
            if inputs_path is not None and args.inputs is None:
                print(f"（使用同名的输入数据：{inputs_path}）", file=sys.stderr)
            print(format_text(item.findings, doc.text, str(args.drafts[0])))
    else:
        reviewed = review_files(reports, context, (lambda _: args.inputs) if args.inputs else inputs_beside,
                                names={p: str(p) for p in reports}, scope=args.scope, only=only)
        if args.format == "json":
            print(json.dumps({"reports": [r.to_dict() for r in reviewed]}, ensure_ascii=False, indent=2))
        else:
            print(format_table([r.summary for r in reviewed]))
    if args.out:
        _write_json(args.out, reviewed)
        print(f"已写出每份报告的检查明细：{args.out}", file=sys.stderr)
    if args.xlsx:
        write_review_xlsx(args.xlsx, reviewed)
        print(f"已导出 Excel：{args.xlsx}", file=sys.stderr)
    if any(r.problem for r in reviewed):
        return 2
    return 1 if any(has_errors(r.findings) for r in reviewed) else 0


def _write_json(folder: Path, reviewed) -> None:
    """<report name>.json per report (names made unique) and 汇总.json with the summary table."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    for r in reviewed:
        stem, n = r.path.stem, 1
        while stem in used:
            n += 1
            stem = f"{r.path.stem}-{n}"
        used.add(stem)
        (folder / f"{stem}.json").write_text(json.dumps(r.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    (folder / "汇总.json").write_text(json.dumps([r.summary.to_dict() for r in reviewed], ensure_ascii=False, indent=2),
                                     encoding="utf-8")


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
