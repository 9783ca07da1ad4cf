"""The inputs as an Excel workbook: reading one, and writing the blank template with
instructions in Chinese."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import InputsError
from .model import Problem
from .validation import Where

# XLSX: sheet names and column headers (Chinese or English)
SHEET_REPORT, SHEET_FIGURES, SHEET_NOTES, SHEET_HELP = "报告信息", "指标", "工作情况", "填写说明"
FIGURE_COLUMNS = [
    ("id", "编号"), ("label", "指标名称"), ("value", "数值"), ("unit", "单位"), ("approx", "约数"),
    ("formula", "公式"), ("decimals", "小数位"), ("section", "所属部分"), ("department", "责任单位"),
    ("basis", "统计口径"), ("previous", "上年数值"), ("aliases", "其他说法"), ("note", "备注"),
]
NOTE_COLUMNS = [("section", "所属部分"), ("kind", "类型"), ("title", "标题"), ("text", "内容")]
REPORT_FIELDS = [("region", "地区"), ("year", "年度"), ("title", "标题"), ("issuer", "落款单位"),
                 ("date", "成文日期"), ("recipient", "主送机关"), ("department", "部门")]


def _col_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def read_xlsx(path: Path):
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputsError(f"无法打开 Excel 文件 {path.name}：文件已损坏或不是 .xlsx 格式。",
                          f"Cannot open {path.name}: the workbook is damaged or not an .xlsx file ({type(exc).__name__}).",
                          hint_zh="用 Excel 或 WPS 打开后另存为 .xlsx（Excel 工作簿）再试。",
                          hint_en="Open it in Excel or WPS and save it as an .xlsx workbook.") from exc
    places: dict = {}
    data: dict[str, Any] = {"report": {}, "figures": [], "notes": []}
    problems: list[Problem] = []
    sheets = {ws.title: ws for ws in wb.worksheets}
    if SHEET_FIGURES not in sheets and "figures" not in sheets:
        raise InputsError(f"{path.name} 中没有名为“{SHEET_FIGURES}”的工作表。",
                          f"{path.name} has no sheet named '{SHEET_FIGURES}' (figures).",
                          hint_zh="请用 inputs template 生成的模板填写。", hint_en="Fill in the template from `inputs template`.")
    report_ws = sheets.get(SHEET_REPORT) or sheets.get("report")
    if report_ws is not None:
        names = {zh: en for en, zh in REPORT_FIELDS} | {en: en for en, _ in REPORT_FIELDS}
        for r, row in enumerate(report_ws.iter_rows(values_only=True), 1):
            if not row or row[0] is None:
                continue
            key = names.get(str(row[0]).strip())
            if key and len(row) > 1 and row[1] not in (None, ""):
                data["report"][key] = row[1]
                places[("report", None, key)] = f"工作表“{report_ws.title}”第{r}行B列"
    for sheet_name, columns, section in ((SHEET_FIGURES, FIGURE_COLUMNS, "figures"), (SHEET_NOTES, NOTE_COLUMNS, "notes")):
        ws = sheets.get(sheet_name) or sheets.get(section)
        if ws is None:
            continue
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            continue
        lookup = {zh: en for en, zh in columns} | {en: en for en, _ in columns}
        col_keys = [lookup.get(str(h).strip().split("（")[0].split("(")[0]) if h is not None else None for h in header]
        for unknown in [h for h, k in zip(header, col_keys) if h is not None and k is None]:
            problems.append(Problem(f"工作表“{ws.title}”第1行", f"不认识的列名“{unknown}”，已忽略",
                                    f"Unknown column '{unknown}', ignored", "列名见“填写说明”工作表", "warning"))
        for r, row in enumerate(rows, 2):
            if not row or all(v in (None, "") for v in row):
                continue
            item = {}
            for c, (key, value) in enumerate(zip(col_keys, row), 1):
                if key and value not in (None, ""):
                    item[key] = value
                    places[(section, len(data[section]), key)] = f"工作表“{ws.title}”第{r}行{_col_letter(c)}列"
            places[(section, len(data[section]), None)] = f"工作表“{ws.title}”第{r}行"
            if section == "figures":
                if "aliases" in item:
                    item["aliases"] = [a.strip() for a in re.split(r"[;；、,，]", str(item["aliases"])) if a.strip()]
            data[section].append(item)
    wb.close()

    def describe(section: str, index: int | None, key: str | None) -> str:
        return places.get((section, index, key)) or places.get((section, index, None)) or section

    where = Where(describe)
    where.extra_problems = problems  # type: ignore[attr-defined]
    return data, where



HELP_ROWS = [
    ("填写说明", ""),
    ("“报告信息”", "地区、年度必填；标题、落款单位、成文日期、主送机关用于生成全文。年度须与报告的年度一致：用上一年的数据检查或起草，会报错。"),
    ("“指标”", "每行一个统计数据。编号：中文或英文均可，用点分层，唯一，如 复议.受理、复议.纠错率 或 mediation.accepted。"),
    ("指标名称", "写报告里的说法，如“人民调解成功化解案件”，检查时据此把正文中的数字对应到指标；提示信息里显示的也是名称。"),
    ("数值", "只写阿拉伯数字（如 5900、98.5、1.2）；由其他指标计算的数不填数值，改填“公式”。"),
    ("单位", "件、项、次、人、人次、个、名、家、卷、笔、宗、户、批、场次、亩、%、万元、亿元等；"
             "可带“万”“亿”：数值 1.2、单位 万件，与数值 12000、单位 件 相同。"),
    ("约数", "来源数据本身是约数时填写方向：“余”（略多于，正文写“5900余次”“3万余人次”），“近”（略少于，“近50件”），"
             "“以上”（不少于，“95%以上”），“约”或“是”（说不清方向，“近50件”和“50余件”都算相符）。不是约数留空。"),
    ("公式", "用编号和 + - * / 括号，如 复议.纠错 / 复议.审结 * 100；“小数位”为取整位数。"),
    ("所属部分", "该数据写在报告哪一部分，按报告自己的编号，如 一/(六)/2、二、四；按主题分部分的报告写它自己的"
                 "“二/(一)”。“工作情况”的所属部分则按提纲（一 举措成效、二 不足原因、三 第一责任人、四 下一年度安排），"
                 "或领域名如“矛盾纠纷”。"),
    ("上年数值", "上一年度的同一指标，用于核对“比上年增加4件”“同比增长33%”“由上年的32个整合为18个”。"),
    ("其他说法", "同一指标在报告中的其他写法，用顿号或分号隔开。"),
    ("“工作情况”", "每行一条素材：所属部分、类型（举措、问题、原因、履职、安排、其他）、标题（可作小标题）、内容。"),
    ("检查", "填好后：python -m assistant inputs check 本文件.xlsx；在网页“指标与素材”页上传也会逐条提示问题。"),
]


def write_template(path: str | Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    path = Path(path)
    wb = Workbook()
    help_ws = wb.active
    help_ws.title = SHEET_HELP
    for row in HELP_ROWS:
        help_ws.append(list(row))
    help_ws["A1"].font = Font(bold=True, size=14)
    help_ws.column_dimensions["A"].width = 14
    help_ws.column_dimensions["B"].width = 100
    for cell in help_ws["B"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    ws = wb.create_sheet(SHEET_REPORT)
    ws.append(["项目", "内容"])
    for _, zh in REPORT_FIELDS:
        ws.append([zh, None])
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 40
    for sheet_name, columns in ((SHEET_FIGURES, FIGURE_COLUMNS), (SHEET_NOTES, NOTE_COLUMNS)):
        ws = wb.create_sheet(sheet_name)
        ws.append([zh for _, zh in columns])
        for c in range(1, len(columns) + 1):
            cell = ws.cell(row=1, column=c)
            cell.font = Font(bold=True)
            cell.fill = head_fill
            ws.column_dimensions[_col_letter(c)].width = 40 if columns[c - 1][0] in ("label", "formula", "text") else 14
        ws.freeze_panes = "A2"
    for ws in wb.worksheets[1:2]:
        ws["A1"].font = Font(bold=True)
        ws["A1"].fill = head_fill
        ws["B1"].font = Font(bold=True)
        ws["B1"].fill = head_fill
    wb.save(path)
    return path
