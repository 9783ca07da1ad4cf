"""Loading the inputs from a file: YAML (see corpus/inputs/hunchun-2023.yaml) or an XLSX
workbook with the same columns (`python -m assistant inputs template out.xlsx`)."""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import InputsError
from .excel import read_xlsx
from .model import Inputs, Problem
from .validation import Where, validate

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when it is there: about 8× faster


def load_inputs(path: str | Path) -> Inputs:
    """Read and validate inputs; raises InputsError listing every problem found."""
    path = Path(path)
    if not path.exists():
        raise InputsError(f"找不到输入文件：{path}", f"Inputs file not found: {path}")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        data, where = _read_yaml(path)
    elif suffix == ".xlsx":
        data, where = read_xlsx(path)
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



def _read_yaml(path: Path):
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_bytes().decode("gb18030", errors="replace")
    return _parse_yaml_text(text, path.name)


def _parse_yaml_text(text: str, name: str):
    try:
        loader = _Loader(text)  # one parse: the node tree (for line numbers) and the data built from it
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
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

    return data, Where(describe)


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

