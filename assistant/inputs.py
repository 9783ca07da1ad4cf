"""The structured inputs: this year's statistics (figures) and work notes per outline section.

YAML (see corpus/inputs/hunchun-2023.yaml) or an XLSX workbook with the same columns
(`python -m assistant inputs template out.xlsx`). Validation reports every problem at once, each
with its place (YAML line, or XLSX sheet/row/column) and a hint on how to fix it.

    report:   region, year, title, issuer (落款), date (成文日期), recipient (主送机关)
    figures:  id, label, value | formula (+ decimals), unit, approx, section, department,
              basis (统计口径), previous (上年数值), aliases (other wordings), note
    notes:    section (一/(六)/2, 二, 四 … or an area of part 一 such as 矛盾纠纷), kind
              (work/problem/cause/duty/plan/other), title (a heading to use), text
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, ValidationError

from .errors import InputsError
from .formulas import Formula, FormulaError
from .units import is_known

ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*$")
NOTE_KINDS = {
    "work": "举措", "problem": "问题", "cause": "原因", "duty": "履职", "plan": "安排", "other": "其他",
}
NOTE_KIND_BY_ZH = {zh: en for en, zh in NOTE_KINDS.items()} | {"工作": "work", "成效": "work", "不足": "problem",
                                                               "计划": "plan", "第一责任人": "duty"}


@dataclass
class Problem:
    """One thing wrong with the inputs, where it is, and what to do."""

    where: str  # "第12行" / "工作表“指标”第5行C列"
    zh: str
    en: str
    hint: str = ""
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        mark = "错误" if self.severity == "error" else "提醒"
        text = f"[{mark}] {self.where}：{self.zh} / {self.en}"
        return text + (f"（建议：{self.hint}）" if self.hint else "")

    def to_dict(self) -> dict:
        return {"where": self.where, "message": self.zh, "message_en": self.en, "hint": self.hint,
                "severity": self.severity}


class ReportInfo(BaseModel):
    region: str | None = None
    year: int | None = None
    title: str | None = None
    issuer: str | None = None  # 落款单位
    date: str | None = None  # 成文日期, e.g. 2024年2月27日 or 2024-02-27
    recipient: str | None = None  # 主送机关, e.g. 州委、州政府
    department: str | None = None


class Figure(BaseModel):
    id: str
    label: str
    value: Decimal | None = None
    unit: str | None = None
    approx: bool = False
    formula: str | None = None
    decimals: int | None = None
    section: str | None = None
    department: str | None = None
    basis: str | None = None  # 统计口径
    previous: Decimal | None = None  # 上年数值
    aliases: list[str] = Field(default_factory=list)
    note: str | None = None

    @property
    def labels(self) -> list[str]:
        return [self.label, *self.aliases]


class Note(BaseModel):
    section: str
    kind: str = "work"
    title: str | None = None
    text: str | None = None


@dataclass
class Inputs:
    report: ReportInfo
    figures: list[Figure]
    notes: list[Note] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    source: Path | None = None
    _values: dict[str, Decimal] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {f.id: f for f in self.figures}
        self._formulas = {f.id: Formula(f.formula) for f in self.figures if f.formula}

    @property
    def extra_units(self) -> tuple[str, ...]:
        """Units of the figures that the number reader does not know by itself (斤, 户…)."""
        return tuple(sorted({f.unit for f in self.figures if f.unit and not is_known(f.unit)}))

    def figure(self, figure_id: str) -> Figure | None:
        return self._by_id.get(figure_id)

    def value(self, figure_id: str) -> Decimal | None:
        """The figure's value; a formula is evaluated (unrounded)."""
        if figure_id in self._values:
            return self._values[figure_id]
        fig = self._by_id.get(figure_id)
        if fig is None:
            return None
        if fig.formula:
            value = self._formulas[figure_id].evaluate({i: self.value(i) for i in self._formulas[figure_id].ids})
        else:
            value = fig.value
        self._values[figure_id] = value
        return value

    def formula(self, figure_id: str) -> Formula | None:
        return self._formulas.get(figure_id)

    def display(self, figure_id: str, decimals: int | None = None) -> str:
        """The value as a report writes it: '98%', '5900余次', '1.2万件' is left to the writer."""
        fig = self._by_id[figure_id]
        value = self.value(figure_id)
        return format_number(value, fig.decimals if decimals is None else decimals, fig.approx) + (fig.unit or "")

    def notes_for(self, section: str, kinds: tuple[str, ...] | None = None) -> list[Note]:
        return [n for n in self.notes if n.section == section and (kinds is None or n.kind in kinds)]

    @property
    def year(self) -> int | None:
        return self.report.year

    def to_yaml_dict(self) -> dict:
        def clean(model: BaseModel) -> dict:
            data = model.model_dump(exclude_none=True, exclude_defaults=True)
            for key, value in list(data.items()):
                if isinstance(value, Decimal):
                    data[key] = int(value) if value == value.to_integral_value() else float(value)
            return data

        return {"report": clean(self.report), "figures": [clean(f) for f in self.figures],
                "notes": [clean(n) for n in self.notes]}


_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》（）]"


def tidy_text(text: str) -> str:
    """Undo YAML/Excel line folding inside Chinese text: no spaces or line breaks between CJK characters."""
    text = re.sub(r"\s*\n\s*", "\n", text.strip())
    text = re.sub(rf"(?<={_CJK})[ \t\n]+(?={_CJK})", "", text)
    return re.sub(rf"(?<={_CJK})[ \t]+|[ \t]+(?={_CJK})", "", text)


_PART_KEYS = ("一", "二", "三", "四", "五")  # the outline's parts (outlines/rule_of_law_report.yaml)
_YES = ("是", "1", "true", "yes", "y", "约", "对")
_NO = ("否", "0", "false", "no", "n", "")


def _to_bool(value, default=None):
    """是/否, true/false, 1/0 (YAML may already have made it a bool); `default` when unreadable."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return default


def format_number(value: Decimal | None, decimals: int | None = None, approx: bool = False) -> str:
    if value is None:
        return "〔待补〕"
    if decimals is not None:
        quant = Decimal(1).scaleb(-decimals)
        value = value.quantize(quant, rounding=ROUND_HALF_UP)
    elif value != value.to_integral_value():
        value = value.normalize()
    else:
        value = value.quantize(Decimal(1))
    text = f"{value:f}"
    return text + ("余" if approx else "")


# -- loading ----------------------------------------------------------------------------------
def load_inputs(path: str | Path) -> Inputs:
    """Read and validate inputs; raises InputsError listing every problem found."""
    path = Path(path)
    if not path.exists():
        raise InputsError(f"找不到输入文件：{path}", f"Inputs file not found: {path}")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        data, where = _read_yaml(path)
    elif suffix == ".xlsx":
        data, where = _read_xlsx(path)
    else:
        raise InputsError(f"输入文件须为 .yaml/.yml 或 .xlsx：{path.name}",
                          f"Inputs must be .yaml/.yml or .xlsx: {path.name}",
                          hint_zh="可用 python -m assistant inputs template 生成模板。",
                          hint_en="Run `python -m assistant inputs template out.xlsx` for a template.")
    inputs = validate(data, where)
    inputs.source = path
    return inputs


def load_inputs_text(text: str, name: str = "inputs.yaml") -> Inputs:
    data, where = _parse_yaml_text(text, name)
    return validate(data, where)


class _Where:
    """Maps a field of the data to a readable place in the source file."""

    def __init__(self, describe) -> None:
        self._describe = describe

    def __call__(self, section: str, index: int | None = None, key: str | None = None) -> str:
        return self._describe(section, index, key)


def _read_yaml(path: Path):
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_bytes().decode("gb18030", errors="replace")
    return _parse_yaml_text(text, path.name)


def _parse_yaml_text(text: str, name: str):
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行第{mark.column + 1}列" if mark else name
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputsError(
            f"输入文件 {name} 不是有效的 YAML（{where}：{problem}）。",
            f"{name} is not valid YAML ({'line ' + str(mark.line + 1) + ', column ' + str(mark.column + 1) if mark else ''}: {problem}).",
            [Problem(where, f"YAML 格式错误：{problem}", f"YAML syntax error: {problem}",
                     "检查缩进（用空格，不用 Tab）、冒号后的空格和引号是否成对。")],
            hint_zh="检查该行附近的缩进、冒号和引号。", hint_en="Check indentation, colons and quotes near that line.",
        ) from exc
    if not isinstance(data, dict):
        raise InputsError(f"{name} 的最外层应当是 report / figures / notes 三部分。",
                          f"The top level of {name} must be a mapping with report / figures / notes.",
                          hint_zh="参照 corpus/inputs/hunchun-2023.yaml。", hint_en="See corpus/inputs/hunchun-2023.yaml.")
    lines = _yaml_lines(root)

    def describe(section: str, index: int | None, key: str | None) -> str:
        line = lines.get((section, index, key)) or lines.get((section, index, None)) or lines.get((section, None, None))
        label = f"{section}" + (f"[{index + 1}]" if index is not None else "") + (f".{key}" if key else "")
        return f"第{line}行 {label}" if line else label

    return data, _Where(describe)


def _yaml_lines(root) -> dict:
    """(section, index, key) → 1-based line number, from the composed YAML node tree."""
    out: dict = {}
    if not isinstance(root, yaml.MappingNode):
        return out
    for key_node, value_node in root.value:
        section = key_node.value
        out[(section, None, None)] = key_node.start_mark.line + 1
        if isinstance(value_node, yaml.SequenceNode):
            for i, item in enumerate(value_node.value):
                out[(section, i, None)] = item.start_mark.line + 1
                if isinstance(item, yaml.MappingNode):
                    for k, v in item.value:
                        out[(section, i, k.value)] = v.start_mark.line + 1
        elif isinstance(value_node, yaml.MappingNode):
            for k, v in value_node.value:
                out[(section, None, k.value)] = v.start_mark.line + 1
    return out


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


def _read_xlsx(path: Path):
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
                if "approx" in item:
                    item["approx"] = _to_bool(item["approx"], item["approx"])
                if "aliases" in item:
                    item["aliases"] = [a.strip() for a in re.split(r"[;；、,，]", str(item["aliases"])) if a.strip()]
            data[section].append(item)
    wb.close()

    def describe(section: str, index: int | None, key: str | None) -> str:
        return places.get((section, index, key)) or places.get((section, index, None)) or section

    where = _Where(describe)
    where.extra_problems = problems  # type: ignore[attr-defined]
    return data, where


# -- validation -------------------------------------------------------------------------------
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
            problems.append(Problem(where("figures", i), "缺少编号 id", "missing id", "如 mediation.accepted"))
            continue
        if not ID_PATTERN.match(fid):
            problems.append(Problem(where("figures", i, "id"), f"编号“{fid}”只能用英文字母、数字、下划线和点",
                                    f"id '{fid}' may use only ASCII letters, digits, '_' and '.'", "如 mediation.accepted"))
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
                                        "只写阿拉伯数字，如 5900；约数另设 approx: true"))
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
            flag = _to_bool(item["approx"])
            if flag is None:
                problems.append(Problem(where("figures", i, "approx"), f"约数标记“{item['approx']}”应为 是/否",
                                        f"approx must be yes/no (true/false), got '{item['approx']}'", "约数填“是”，否则留空"))
                item.pop("approx")
            else:
                item["approx"] = flag
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


# -- the XLSX template ----------------------------------------------------------------------------
HELP_ROWS = [
    ("填写说明", ""),
    ("“报告信息”", "地区、年度必填；标题、落款单位、成文日期、主送机关用于生成全文。"),
    ("“指标”", "每行一个统计数据。编号：英文字母、数字、下划线和点，唯一，如 mediation.accepted。"),
    ("指标名称", "写报告里的说法，如“人民调解成功化解案件”，检查时据此把正文中的数字对应到指标。"),
    ("数值", "只写阿拉伯数字（如 5900、98.5）；由其他指标计算的数不填数值，改填“公式”。"),
    ("单位", "件、项、次、人、人次、个、名、家、%、万元、亿元等。"),
    ("约数", "来源数据本身是约数时填“是”（正文可写“5900余次”）。"),
    ("公式", "用编号和 + - * / 括号，如 mediation.resolved / mediation.accepted * 100；“小数位”为取整位数。"),
    ("所属部分", "该数据写在报告哪一部分，如 一/(六)/2、二、四，或领域名如“矛盾纠纷”。"),
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
