"""Validation of the inputs: every problem at once, each with its place (YAML line, or XLSX
sheet/row/column) and a hint on how to fix it."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from pydantic import ValidationError

from ..errors import InputsError
from ..units import is_known
from .formulas import Formula, FormulaError
from .model import (ID_PATTERN, NOTE_KIND_BY_ZH, NOTE_KINDS, Figure, Inputs, Note, Problem, ReportInfo, parse_approx,
                    tidy_text)

_PART_KEYS = ("一", "二", "三", "四", "五")  # the outline's parts (outlines/rule_of_law_report.yaml)
class Where:
    """Maps a field of the data to a readable place in the source file."""

    def __init__(self, describe) -> None:
        self._describe = describe

    def __call__(self, section: str, index: int | None = None, key: str | None = None) -> str:
        return self._describe(section, index, key)


def _to_decimal(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, str):
        text = value.strip().translate(str.maketrans("０１２３４５６７８９．，", "0123456789.,")).replace(",", "")
        try:
            return Decimal(text)
        except InvalidOperation:
            return None
    return None


def validate(data: dict, where) -> Inputs:
    problems: list[Problem] = list(getattr(where, "extra_problems", []))
    report_raw = data.get("report") or {}
    if not isinstance(report_raw, dict):
        problems.append(Problem(where("report"), "report 部分应为“键: 值”的形式", "report must be a mapping"))
        report_raw = {}
    year = report_raw.get("year")
    if year not in (None, "") and not re.fullmatch(r"\d{4}", str(year).strip().rstrip("年")):
        problems.append(Problem(where("report", None, "year"), f"年度应为四位数字，现在是“{year}”",
                                f"year must be four digits, got '{year}'", "例如 2024"))
        report_raw = {k: v for k, v in report_raw.items() if k != "year"}
    elif year not in (None, ""):
        report_raw = dict(report_raw, year=int(str(year).strip().rstrip("年")))
    for key in ("date",):
        if key in report_raw and report_raw[key] is not None and not isinstance(report_raw[key], str):
            report_raw[key] = str(report_raw[key])[:10]
    report = ReportInfo.model_validate({k: (str(v) if k not in ("year",) and v is not None else v)
                                        for k, v in report_raw.items() if k in ReportInfo.model_fields})

    raw_figures = data.get("figures") or []
    if not isinstance(raw_figures, list):
        problems.append(Problem(where("figures"), "figures 应为列表（每项以“- ”开头）", "figures must be a list"))
        raw_figures = []
    figures: list[Figure] = []
    seen: dict[str, str] = {}
    for i, raw in enumerate(raw_figures):
        if not isinstance(raw, dict):
            problems.append(Problem(where("figures", i), "每个指标应为“键: 值”的形式", "each figure must be a mapping"))
            continue
        fid = str(raw.get("id") or "").strip()
        if not fid:
            problems.append(Problem(where("figures", i), "缺少编号 id", "missing id", "如 复议.受理 或 mediation.accepted"))
            continue
        if not ID_PATTERN.match(fid):
            problems.append(Problem(where("figures", i, "id"), f"编号“{fid}”只能用文字（中文或英文字母）、数字、下划线和点，"
                                    "且以文字开头", f"id '{fid}' may use only letters (Chinese or Latin), digits, '_' "
                                    "and '.', and must start with a letter", "如 复议.受理 或 mediation.accepted"))
            continue
        if fid in seen:
            problems.append(Problem(where("figures", i, "id"), f"编号“{fid}”重复（另见{seen[fid]}）",
                                    f"duplicate id '{fid}' (also at {seen[fid]})", "每个指标的编号必须唯一"))
            continue
        seen[fid] = where("figures", i, "id")
        label = str(raw.get("label") or "").strip()
        if not label:
            problems.append(Problem(where("figures", i), f"指标“{fid}”缺少名称 label", f"figure '{fid}' has no label",
                                    "写报告中的说法，如“人民调解成功化解案件”"))
        item = {k: v for k, v in raw.items() if k in Figure.model_fields}
        item["id"], item["label"] = fid, label or fid
        has_value = raw.get("value") not in (None, "")
        formula = str(raw.get("formula") or "").strip() or None
        if has_value and formula:
            problems.append(Problem(where("figures", i, "formula"), f"指标“{fid}”同时有数值和公式",
                                    f"figure '{fid}' has both a value and a formula", "二者只填一个"))
        if not has_value and not formula:
            problems.append(Problem(where("figures", i), f"指标“{fid}”缺少数值", f"figure '{fid}' has no value",
                                    "填写 value，或用 formula 由其他指标计算"))
        if has_value:
            number = _to_decimal(raw["value"])
            if number is None:
                problems.append(Problem(where("figures", i, "value"), f"指标“{fid}”的数值“{raw['value']}”不是数字",
                                        f"value of '{fid}' is not a number: '{raw['value']}'",
                                        "只写阿拉伯数字，如 5900；约数另设 approx: 余/近/约"))
                item.pop("value", None)
            else:
                item["value"] = number
        for key in ("previous",):
            if raw.get(key) not in (None, ""):
                number = _to_decimal(raw[key])
                if number is None:
                    problems.append(Problem(where("figures", i, key), f"指标“{fid}”的上年数值不是数字",
                                            f"previous value of '{fid}' is not a number"))
                    item.pop(key, None)
                else:
                    item[key] = number
        if raw.get("decimals") not in (None, ""):
            try:
                item["decimals"] = int(str(raw["decimals"]))
                if not 0 <= item["decimals"] <= 6:
                    raise ValueError
            except ValueError:
                problems.append(Problem(where("figures", i, "decimals"), f"小数位“{raw['decimals']}”应为0到6的整数",
                                        f"decimals must be an integer 0–6, got '{raw['decimals']}'"))
                item.pop("decimals", None)
        if formula:
            item["formula"] = formula
        for key in ("unit", "section", "department", "basis", "note"):
            if item.get(key) is not None:
                item[key] = str(item[key]).strip()
        if isinstance(item.get("aliases"), str):
            item["aliases"] = [item["aliases"]]
        if "approx" in item:
            try:
                item["approx"] = parse_approx(item["approx"])
            except ValueError:
                problems.append(Problem(where("figures", i, "approx"),
                                        f"约数标记“{item['approx']}”应为 余、近、约、以上，或 是/否",
                                        f"approx must be 余, 近, 约, 以上 or yes/no, got '{item['approx']}'",
                                        "来源是“5900余次”填“余”，“近50件”填“近”，说不清方向填“约”（或“是”）；不是约数留空"))
                item.pop("approx")
        if item.get("unit") and not is_known(item["unit"]):
            problems.append(Problem(where("figures", i, "unit"), f"不常见的单位“{item['unit']}”，请确认",
                                    f"unknown unit '{item['unit']}'", "常用：件、项、次、人、人次、个、%、万元、亿元", "warning"))
        try:
            figures.append(Figure.model_validate(item))
        except ValidationError as exc:
            for err in exc.errors():
                field_name = ".".join(str(x) for x in err["loc"])
                problems.append(Problem(where("figures", i, field_name), f"指标“{fid}”的“{field_name}”填写有误：“{err.get('input')}”",
                                        f"figure '{fid}': {field_name}: {err['msg']}"))
    # formulas: syntax, unknown ids, cycles, division by zero (an id with another problem still exists)
    ids = set(seen)
    formulas: dict[str, Formula] = {}
    for i, raw in enumerate(raw_figures):
        fid = str(raw.get("id") or "").strip() if isinstance(raw, dict) else ""
        fig = next((f for f in figures if f.id == fid), None)
        if not fig or not fig.formula:
            continue
        try:
            formula = Formula(fig.formula)
        except FormulaError as exc:
            problems.append(Problem(where("figures", i, "formula"), str(exc), f"formula of '{fid}' is malformed",
                                    "例如 mediation.resolved / mediation.accepted * 100"))
            continue
        unknown = [x for x in formula.ids if x not in ids]
        if unknown:
            problems.append(Problem(where("figures", i, "formula"), f"公式用到了不存在的指标：{'、'.join(unknown)}",
                                    f"formula of '{fid}' uses unknown ids: {', '.join(unknown)}", "检查编号拼写"))
            continue
        formulas[fid] = formula
    cyclic = _cycles(formulas)
    for fid in cyclic:
        i = next(n for n, r in enumerate(raw_figures) if isinstance(r, dict) and str(r.get("id")).strip() == fid)
        problems.append(Problem(where("figures", i, "formula"), f"指标“{fid}”的公式循环引用了自身",
                                f"formula of '{fid}' refers back to itself (a cycle)", "公式之间不能相互依赖成环"))
    # compute every formula that can be computed, to report division by zero and missing operands too
    values = {f.id: f.value for f in figures if not f.formula}
    state: dict[str, Decimal | None] = {}

    def compute(fid: str) -> Decimal | None:
        if fid in state:
            return state[fid]
        state[fid] = None
        if fid in values:
            state[fid] = values[fid]
        elif fid in formulas and fid not in cyclic:
            deps = {d: compute(d) for d in formulas[fid].ids}
            if all(v is not None for v in deps.values()):
                try:
                    state[fid] = formulas[fid].evaluate(deps)
                except FormulaError as exc:
                    n = next(n for n, r in enumerate(raw_figures) if isinstance(r, dict) and str(r.get("id")).strip() == fid)
                    problems.append(Problem(where("figures", n, "formula"), f"指标“{fid}”：{exc}",
                                            f"formula of '{fid}' cannot be computed: {exc}", "检查作除数的指标数值"))
        return state[fid]

    for fid in formulas:
        compute(fid)
    notes = _validate_notes(data.get("notes") or [], where, problems)
    inputs = None
    if not any(p.severity == "error" for p in problems):
        inputs = Inputs(report=report, figures=figures, notes=notes,
                        warnings=[p for p in problems if p.severity != "error"])
    errors = [p for p in problems if p.severity == "error"]
    if inputs is not None and not errors:
        return inputs
    raise InputsError(f"输入数据有 {len(errors)} 处错误，请逐条修改：",
                      f"The inputs have {len(errors)} error(s); fix each of them:", problems=problems)


def _cycles(formulas: dict[str, Formula]) -> list[str]:
    state: dict[str, int] = {}
    found: list[str] = []

    def visit(node: str) -> bool:
        if state.get(node) == 1:
            return True
        if state.get(node) == 2 or node not in formulas:
            return False
        state[node] = 1
        cyclic = any(visit(dep) for dep in formulas[node].ids)
        state[node] = 2
        if cyclic and node not in found:
            found.append(node)
        return cyclic

    for fid in formulas:
        visit(fid)
    return found


def _validate_notes(raw_notes, where, problems: list[Problem]) -> list[Note]:
    notes: list[Note] = []
    if isinstance(raw_notes, dict):  # also accept {section: text or [texts]}
        raw_notes = [{"section": k, "text": t} for k, v in raw_notes.items() for t in (v if isinstance(v, list) else [v])]
    if not isinstance(raw_notes, list):
        problems.append(Problem(where("notes"), "notes 应为列表", "notes must be a list"))
        return notes
    for i, raw in enumerate(raw_notes):
        if not isinstance(raw, dict):
            problems.append(Problem(where("notes", i), "每条工作情况应为“键: 值”的形式", "each note must be a mapping"))
            continue
        section = str(raw.get("section") or "").strip()
        if not section:
            problems.append(Problem(where("notes", i), "缺少所属部分 section", "note has no section", "如 一/(六) 或 二"))
            continue
        head = re.split(r"[/.、（(\s]", section.replace("（", "(").strip())[0]
        if head not in _PART_KEYS:
            problems.append(Problem(where("notes", i, "section"), f"所属部分“{section}”不在提纲中，起草时用不上",
                                    f"section '{section}' is not a part of the outline; drafting will not use it",
                                    "以 一、二、三、四、五 开头，如 一/(六) 或 二", "warning"))
        kind = str(raw.get("kind") or "work").strip()
        kind = NOTE_KIND_BY_ZH.get(kind, kind)
        if kind not in NOTE_KINDS:
            problems.append(Problem(where("notes", i, "kind"), f"类型“{kind}”不认识", f"unknown note kind '{kind}'",
                                    "可用：" + "、".join(f"{zh}({en})" for en, zh in NOTE_KINDS.items())))
            continue
        text = raw.get("text")
        notes.append(Note(section=section, kind=kind, title=tidy_text(str(raw["title"])) if raw.get("title") else None,
                          text=tidy_text(str(text)) if text not in (None, "") else None))
    return notes

