"""The command line's error boundary: every exception ends in a message in Chinese and English that
names the command (or file) and what to do; an unforeseen one has its traceback in the data dir's
log. And arguments that name something that is not there are errors, not silently ignored."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from assistant.settings import get_settings
from tests.conftest import ROOT, SEED_REPORT

INPUTS_2024 = ROOT / "corpus" / "inputs" / "hunchun-2024-sample.yaml"


@pytest.fixture()
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def run_cli(tmp_path, *args, env_extra=None):
    env = {"ASSISTANT_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "assistant", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_an_unforeseen_exception_is_a_bilingual_message_and_its_traceback_is_logged(data_dir, monkeypatch, capsys):
    from assistant import cli
    from assistant.cli import checking

    def broken(args):
        raise KeyError("figures")

    monkeypatch.setattr(checking, "cmd_check", broken)
    code = cli.main(["check", "某县报告.docx"])
    err = capsys.readouterr().err
    assert code == 2
    assert "内部错误：执行“python -m assistant check 某县报告.docx”时出现意外的问题（KeyError: 'figures'）" in err
    assert "Internal error while running `python -m assistant check 某县报告.docx`" in err
    log = data_dir / "logs" / "errors.log"
    assert f"详细信息已记录在 {log}" in err and "Traceback" not in err
    logged = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged and "KeyError: 'figures'" in logged and "broken" in logged


@pytest.mark.parametrize("exc,words", [
    (PermissionError(13, "Permission denied", "/srv/导出/报告.docx"), ("没有权限读写“/srv/导出/报告.docx”", "permission denied")),
    (OSError(28, "No space left on device"), ("磁盘空间不足", "no space left")),
    (MemoryError(), ("内存不足", "out of memory")),
])
def test_common_system_errors_say_what_to_do(data_dir, monkeypatch, capsys, exc, words):
    from assistant import cli
    from assistant.cli import checking

    def failing(args):
        raise exc

    monkeypatch.setattr(checking, "cmd_inputs_check", failing)
    assert cli.main(["inputs", "check", "x.yaml"]) == 2
    err = capsys.readouterr().err
    assert words[0] in err and words[1] in err and "处理建议" in err and "What to do" in err
    assert "内部错误" not in err


def test_a_database_in_use_is_told_as_such(data_dir, monkeypatch, capsys):
    import sqlite3

    from assistant import cli
    from assistant.cli import knowledge

    def locked(args):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(knowledge, "cmd_docs", locked)
    assert cli.main(["docs"]) == 2
    err = capsys.readouterr().err
    assert "数据文件正被另一个程序使用" in err and "in use by another program" in err


def test_check_review_and_inputs_of_broken_zips_are_clear_errors(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph(SEED_REPORT.read_text(encoding="utf-8").split("\n")[0])
    d.save(tmp_path / "ok.docx")
    with zipfile.ZipFile(tmp_path / "ok.docx") as z, zipfile.ZipFile(tmp_path / "坏.docx", "w") as out:
        for item in z.infolist():
            data = z.read(item.filename)
            out.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    result = run_cli(tmp_path, "check", tmp_path / "坏.docx")
    assert result.returncode == 2 and "Word 文件已损坏或不是 .docx 格式：坏.docx" in result.stderr
    assert "XMLSyntaxError" in result.stderr and "内部错误" not in result.stderr
    (tmp_path / "批").mkdir()
    (tmp_path / "坏.docx").rename(tmp_path / "批" / "坏.docx")
    (tmp_path / "批" / "好.txt").write_text(SEED_REPORT.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli(tmp_path, "check", tmp_path / "批")  # review season: the table names it, the others go on
    assert result.returncode == 2 and "坏.docx" in result.stdout and "无法读取" in result.stdout
    assert "好.txt" in result.stdout and "Traceback" not in result.stderr


def test_draft_with_an_unknown_previous_report_is_an_error_listing_the_reports(tmp_path):
    assert run_cli(tmp_path, "ingest", SEED_REPORT, "--no-embed").returncode == 0
    result = run_cli(tmp_path, "draft", "--inputs", INPUTS_2024, "--offline", "--previous", "珲春市2022年报告")
    assert result.returncode == 2
    assert "--previous 指定的参照报告有误：知识库中没有“珲春市2022年报告”这份往年报告" in result.stderr
    assert "珲春市2023年法治政府建设年度报告" in result.stderr and "no report" in result.stderr
    ok = run_cli(tmp_path, "draft", "--inputs", INPUTS_2024, "--offline", "--section", "二",
                 "--previous", "珲春市2023年法治政府建设年度报告")
    assert ok.returncode in (0, 1) and ok.stdout.startswith("二、")


def test_draft_of_a_subsection_that_does_not_exist_is_an_error(tmp_path):
    assert run_cli(tmp_path, "ingest", SEED_REPORT, "--no-embed").returncode == 0
    result = run_cli(tmp_path, "draft", "--inputs", INPUTS_2024, "--offline", "--section", "一.(九)")
    assert result.returncode == 2 and result.stdout == ""
    assert "没有“一.(九)”这一小节" in result.stderr and "No subsection '一/(九)'" in result.stderr
    assert "可起草的小节：一.(一)、一.(二)、一.(三)、一.(四)、一.(五)、一.(六)" in result.stderr
    ok = run_cli(tmp_path, "draft", "--inputs", INPUTS_2024, "--offline", "--section", "一.(六)")
    assert ok.stdout.startswith("(六)依法有效化解社会矛盾纠纷"), ok.stderr
