"""`python -m assistant check` in review season: many files and folders at once, one summary
table, JSON per report, Excel; and inputs of the wrong year told plainly (issue 11)."""

import json
import shutil
import subprocess
import sys

from openpyxl import load_workbook

from tests.conftest import ROOT, SEED_INPUTS, SEED_REPORT

DATA = ROOT / "tests" / "data" / "reports"


def run(tmp_path, *args):
    env = {"ASSISTANT_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "assistant", "check", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)


def reports_folder(tmp_path):
    """Three reports with their inputs beside them, a planted error in one, a broken file, a note."""
    folder = tmp_path / "各单位报告"
    (folder / "乡镇").mkdir(parents=True)
    for name in ("hexi-county-2024", "liuan-district-2024"):
        shutil.copy(DATA / f"{name}.txt", folder / f"{name}.txt")
        shutil.copy(DATA / f"{name}.yaml", folder / f"{name}.yaml")
    text = (DATA / "qingshi-town-2024.txt").read_text(encoding="utf-8").replace("调解成功263件", "调解成功236件")
    (folder / "乡镇" / "qingshi-town-2024.txt").write_text(text, encoding="utf-8")
    shutil.copy(DATA / "qingshi-town-2024.yaml", folder / "乡镇" / "qingshi-town-2024.yaml")
    (folder / "损坏.docx").write_bytes(b"PK\x03\x04 broken")
    (folder / "README.md").write_text("各单位报告，2025年3月收齐。", encoding="utf-8")
    return folder


def test_many_reports_give_one_table_and_json_per_report(tmp_path):
    folder = reports_folder(tmp_path)
    out = tmp_path / "明细"
    sheet = tmp_path / "汇总.xlsx"
    result = run(tmp_path, folder, "--out", out, "--xlsx", sheet)
    assert result.returncode == 2, result.stderr  # one file could not be read
    lines = result.stdout.splitlines()
    assert lines[0].split()[:7] == ["报告", "输入数据", "错误", "警告", "提示", "缺少的部分", "无法核对的引用"]
    rows = {line.split()[0].rsplit("/", 1)[-1]: line.split() for line in lines[2:] if line.startswith(str(folder))}
    assert set(rows) == {"hexi-county-2024.txt", "liuan-district-2024.txt", "qingshi-town-2024.txt", "损坏.docx"}
    assert rows["hexi-county-2024.txt"][1].endswith("hexi-county-2024.yaml") and rows["hexi-county-2024.txt"][2:4] == ["0", "0"]
    assert rows["qingshi-town-2024.txt"][2] == "1"  # the planted error
    assert "损坏.docx：无法读取" in result.stdout and "共 4 份报告：1 个错误" in result.stdout
    detail = json.loads((out / "qingshi-town-2024.json").read_text(encoding="utf-8"))
    assert detail["errors"] == 1 and [f["text"] for f in detail["findings"] if f["severity"] == "error"] == ["236件"]
    assert len(json.loads((out / "汇总.json").read_text(encoding="utf-8"))) == 4
    book = load_workbook(sheet)
    assert [r[:3] for r in book["汇总"].iter_rows(min_row=1, max_row=1, values_only=True)] == [("报告", "输入数据", "错误")]
    errors = [r for r in book["检查结果"].iter_rows(min_row=2, values_only=True) if r[2] == "错误"]
    assert [(r[4], r[7].rsplit("/", 1)[-1]) for r in errors] == [("236件", "qingshi-town-2024.txt")]


def test_many_reports_as_one_json_document_and_one_inputs_for_all(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    shutil.copy(SEED_REPORT, a)
    b.write_text(SEED_REPORT.read_text(encoding="utf-8").replace("成功化解408件", "成功化解480件"), encoding="utf-8")
    result = run(tmp_path, a, b, "--inputs", SEED_INPUTS, "--format", "json", "--only", "figures")
    assert result.returncode == 1, result.stderr
    reports = json.loads(result.stdout)["reports"]
    assert [(r["report"].rsplit("/", 1)[-1], r["errors"], r["inputs"]) for r in reports] == [
        ("a.txt", 0, "hunchun-2023.yaml"), ("b.txt", 1, "hunchun-2023.yaml")]


def test_inputs_of_another_year_are_an_error_in_check(tmp_path):
    result = run(tmp_path, SEED_REPORT, "--inputs", ROOT / "corpus" / "inputs" / "hunchun-2024-sample.yaml")
    assert result.returncode == 1
    wrong = [line for line in result.stdout.splitlines() if "inputs_wrong_year" in line]
    assert len(wrong) == 1 and "输入数据是2024年的" in wrong[0] and "2023年" in wrong[0]


def test_a_folder_with_no_report_is_a_clear_error(tmp_path):
    (tmp_path / "空").mkdir()
    result = run(tmp_path, tmp_path / "空")
    assert result.returncode == 2 and "没有可检查的报告" in result.stderr
