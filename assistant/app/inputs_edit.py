"""This year's inputs as the web app keeps them: an upload validated and stored, the figures and
the work notes edited in their tables (validated exactly as an upload is), each change a new
inputs version. A mixin of the Workbench."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml

from ..errors import AssistantError, InputsError
from ..inputs import Inputs, ensure_inputs_year, load_inputs, load_inputs_text, year_mismatches

FIGURE_HEADERS = ["编号", "指标名称", "数值", "单位", "公式", "上年数值", "所属部分", "报告中写作"]
FIGURE_WIDTHS = ["15%", "27%", "9%", "6%", "14%", "9%", "8%", "12%"]


class InputsMixin:
    def load_inputs_file(self, report_id: int, path: str | Path) -> Inputs:
        """Validate and store inputs for the report; raises InputsError listing every problem."""
        stored = self.safe_upload(path, {".yaml", ".yml", ".xlsx"})
        inputs = load_inputs(stored)
        report = self.report(report_id)
        ensure_inputs_year(inputs, report_year=report["year"])  # another year's figures are refused at once
        if inputs.report.region is None:
            inputs.report.region = report["region"]
        if inputs.report.year is None:
            inputs.report.year = report["year"]
        self.store.save_inputs(report_id, _dump(inputs.to_yaml_dict()), Path(path).name, f"上传 {Path(path).name}")
        return inputs

    def load_sample_inputs(self, report_id: int) -> tuple[Inputs, int]:
        """Load the sample inputs (corpus/inputs) of the open report's year; returns them and the
        year loaded. Without a sample of that year, says which years there are."""
        from ..inputs import sample_for_year, sample_years

        folder = self.ws.settings.assistant_corpus_dir / "inputs"
        year = self.report(report_id)["year"]
        path = sample_for_year(folder, year)
        if path is None:
            years = "、".join(f"{y}年" for y in sample_years(folder)) or "无"
            raise AssistantError(f"没有{year}年的示例数据（示例数据有：{years}）。示例数据是别的年度的，不能用于{year}年的报告；"
                                 "要试用示例，请新建或打开示例年度的报告（如 珲春市 2023）。",
                                 f"There are no sample inputs for {year} (samples: {years}).")
        return self.load_inputs_file(report_id, path), year

    def inputs_notices(self, report_id: int) -> list[str]:
        """What does not go with the open report in its stored inputs: another year (loaded before
        this was refused), another region."""
        inputs, report = self.inputs(report_id), self.report(report_id)
        if inputs is None:
            broken = self.stored_inputs_error(report_id)
            return [unusable_inputs_text(broken)] if broken else []
        out = [m.zh for m in year_mismatches(inputs.report.year, report_year=report["year"])]
        region = (inputs.report.region or "").strip()
        if region and report["region"] and region not in report["region"] and report["region"] not in region:
            out.append(f"输入数据是{region}的，当前报告是{report['region']}的：请确认用的是本地区的数据。")
        return out

    def inputs(self, report_id: int) -> Inputs | None:
        row = self.store.inputs(report_id)
        if not row:
            return None
        try:
            return load_inputs_text(row["yaml"])
        except InputsError:
            return None

    def stored_inputs_error(self, report_id: int) -> InputsError | None:
        """Why the stored inputs cannot be used (stored before a rule they break existed, e.g. a
        value out of range); None when they can, or when there are none."""
        row = self.store.inputs(report_id)
        if not row:
            return None
        try:
            load_inputs_text(row["yaml"])
        except InputsError as exc:
            return exc
        return None

    def inputs_version(self, report_id: int) -> int:
        versions = self.store.inputs_versions(report_id)
        return versions[0]["version"] if versions else 0

    def save_notes(self, report_id: int, rows: list[list]) -> Inputs:
        """Replace the work notes with the edited table (section, kind, title, text)."""
        data = self._inputs_data(report_id)
        data["notes"] = [{"section": _cell(r[0]), "kind": _cell(r[1]) or "work",  # 举措/问题… are read as kinds
                          "title": _cell(r[2]) or None, "text": _cell(r[3]) or None}
                         for r in rows if r and _cell(r[0])]
        return self._save_data(report_id, data, "修改工作素材")

    def figure_rows(self, inputs: Inputs) -> list[list[str]]:
        """The figures table: what can be edited, and how the report writes each value."""
        return [[f.id, f.label, "" if f.formula else _plain(f.value), f.unit or "", f.formula or "",
                 _plain(f.previous), f.section or "", inputs.display(f.id)] for f in inputs.figures]

    def save_figures(self, report_id: int, rows: list[list]) -> Inputs:
        """The figures as edited in the table (id, label, value, unit, formula, previous, section);
        what the table does not show (aliases, approx, decimals, notes…) is kept by id. Validated
        as an upload is (InputsError lists every problem, and nothing is saved)."""
        data = self._inputs_data(report_id)
        old = {str(f.get("id")): f for f in data.get("figures") or []}
        figures = []
        for row in rows:
            cells = [_cell(c) for c in list(row) + [""] * (7 - len(row))]
            fid, label, value, unit, formula, previous, section = cells[:7]
            if not any(cells[:7]):
                continue  # an empty row added by mistake
            figure = dict(old.get(fid, {}))
            figure.update({"id": fid, "label": label})
            for key, cell in (("value", value), ("unit", unit), ("formula", formula), ("previous", previous),
                              ("section", section)):
                if cell:
                    figure[key] = _number(cell) if key in ("value", "previous") else cell
                else:
                    figure.pop(key, None)
            if formula:
                figure.pop("value", None)
            figures.append(figure)
        data["figures"] = figures
        return self._save_data(report_id, data, "在表格中修改指标")

    def _inputs_data(self, report_id: int) -> dict:
        inputs = self.inputs(report_id)
        if inputs is None:
            raise AssistantError("请先上传本年度的输入数据（或点“载入示例数据”）。", "Upload this year's inputs first.")
        return inputs.to_yaml_dict()

    def _save_data(self, report_id: int, data: dict, note: str) -> Inputs:
        text = _dump(data)
        checked = load_inputs_text(text)  # raises InputsError with every problem; nothing is saved
        self.store.save_inputs(report_id, text, (self.store.inputs(report_id) or {}).get("filename"), note)
        return checked


def _dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN from an emptied cell
        return ""
    return str(value).strip()


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _number(cell: str):
    """A number typed in a cell as YAML would read it (so validation words its problem the same
    way); anything else is passed on as text for validation to refuse."""
    cleaned = cell.replace(",", "").replace("，", "")
    try:
        number = Decimal(cleaned)
    except ArithmeticError:
        return cell
    if not number.is_finite():
        return cell
    return int(number) if number == number.to_integral_value() and "." not in cleaned else float(cleaned)


def unusable_inputs_text(exc: InputsError) -> str:
    """The stored inputs no longer load: what is wrong and what to do, in Chinese."""
    problems = "；".join(str(p) for p in exc.problems[:5]) + ("……" if len(exc.problems) > 5 else "")
    return (f"已保存的输入数据不能使用：{exc.zh}" + (f"（{problems}）" if problems else "")
            + "请在“指标与素材”页上传改正后的文件（已保存的数据不会被删除）。")
