"""Errors the user sees: always in Chinese and English, with what to do next."""

from __future__ import annotations


class AssistantError(Exception):
    """An error with a Chinese message, an English message and a hint on what to do."""

    exit_code = 2

    def __init__(self, zh: str, en: str, hint_zh: str = "", hint_en: str = "") -> None:
        self.zh, self.en, self.hint_zh, self.hint_en = zh, en, hint_zh, hint_en
        super().__init__(self.text())

    def text(self) -> str:
        lines = [f"{self.zh}", f"{self.en}"]
        if self.hint_zh or self.hint_en:
            lines.append(f"处理建议：{self.hint_zh}" if self.hint_zh else "")
            lines.append(f"What to do: {self.hint_en}" if self.hint_en else "")
        return "\n".join(line for line in lines if line)


class DocumentError(AssistantError):
    """A document cannot be read or parsed (corrupt, empty, binary, unknown type)."""


class InputsError(AssistantError):
    """The structured inputs (YAML/XLSX) cannot be used; `problems` lists every one found."""

    def __init__(self, zh: str, en: str, problems: list | None = None, hint_zh: str = "", hint_en: str = "") -> None:
        self.problems = list(problems or [])
        super().__init__(zh, en, hint_zh, hint_en)

    def text(self) -> str:
        head = super().text()
        if not self.problems:
            return head
        return head + "\n" + "\n".join(str(p) for p in self.problems)


class KnowledgeBaseError(AssistantError):
    """The knowledge base cannot be opened or changed (model mismatch, server down...)."""


class LLMError(AssistantError):
    """The LLM endpoint failed; `retryable` tells whether trying again can help."""

    def __init__(self, zh: str, en: str, hint_zh: str = "", hint_en: str = "", *, retryable: bool = False,
                 status: int | None = None, partial_text: str = "") -> None:
        self.retryable = retryable
        self.status = status
        self.partial_text = partial_text
        super().__init__(zh, en, hint_zh, hint_en)


class NotFound(AssistantError):
    """A document, article or section that was asked for does not exist."""


# -- the error boundary: an exception nobody foresaw ------------------------------------------------
ERROR_LOG = "logs/errors.log"  # under the data dir


def log_unexpected(exc: BaseException, step: str, data_dir) -> str | None:
    """Append `exc`'s traceback, with the step it broke, to <data dir>/logs/errors.log; the log's
    path, or None when it cannot be written (a full disk must not hide the first error)."""
    import datetime
    import traceback
    from pathlib import Path

    try:
        path = Path(data_dir) / ERROR_LOG
        path.parent.mkdir(parents=True, exist_ok=True)
        stamp = datetime.datetime.now().isoformat(timespec="seconds")
        trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        with path.open("a", encoding="utf-8") as log:
            log.write(f"----- {stamp}  {step}\n{trace}\n")
        return str(path)
    except Exception:  # noqa: BLE001 - logging is best effort
        return None


def explain_exception(exc: BaseException, step_zh: str, step_en: str, log: str | None) -> AssistantError:
    """The bilingual message for an exception that is not an AssistantError: what was being done,
    what went wrong in words a clerk reads (a file that cannot be written, a database in use, no
    memory…), and what to do; anything else is an internal error whose traceback is in the log."""
    import sqlite3

    where_log = (f"详细信息已记录在 {log}。", f"The details are in {log}.") if log else ("", "")
    name = getattr(exc, "filename", None)
    if isinstance(exc, PermissionError):
        return AssistantError(f"{step_zh}时没有权限读写{('“' + str(name) + '”') if name else '文件'}。",
                              f"{step_en}: permission denied{(' for ' + str(name)) if name else ''}.",
                              "检查文件或文件夹的权限，或换一个保存位置；文件正被 Word/WPS 打开时请先关闭。",
                              "Check the permissions or choose another place; close the file in Word/WPS first.")
    if isinstance(exc, OSError) and getattr(exc, "errno", None) == 28:  # ENOSPC
        return AssistantError(f"{step_zh}时磁盘空间不足。", f"{step_en}: no space left on the disk.",
                              "清理磁盘空间后重试，已写好的内容不受影响。", "Free some disk space and try again.")
    if isinstance(exc, (FileNotFoundError, IsADirectoryError, NotADirectoryError)):
        return AssistantError(f"{step_zh}时找不到{('“' + str(name) + '”') if name else '文件或文件夹'}。",
                              f"{step_en}: not found{(': ' + str(name)) if name else ''}.",
                              "检查路径是否正确。", "Check the path.")
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        return AssistantError(f"{step_zh}时数据文件正被另一个程序使用（{exc}）。",
                              f"{step_en}: the database is in use by another program ({exc}).",
                              "稍后重试；如果网页应用正在入库或起草，等它完成，或先关闭它。",
                              "Try again in a moment, or wait for (or stop) the web app's running task.")
    if isinstance(exc, sqlite3.DatabaseError):
        return AssistantError(f"{step_zh}时数据文件无法读取（{exc}）：它可能已损坏。",
                              f"{step_en}: a database file cannot be read ({exc}); it may be damaged.",
                              "从备份恢复数据文件夹（见 README“数据与备份”）。" + where_log[0],
                              "Restore the data folder from a backup (README, 'backups'). " + where_log[1])
    if isinstance(exc, MemoryError):
        return AssistantError(f"{step_zh}时内存不足。", f"{step_en}: out of memory.",
                              "文件可能太大：拆成几个较小的文件后重试。", "The file may be too large: split it and try again.")
    if isinstance(exc, OSError):
        return AssistantError(f"{step_zh}时无法读写{('“' + str(name) + '”') if name else '文件'}：{exc.strerror or exc}。",
                              f"{step_en}: cannot read or write{(' ' + str(name)) if name else ''}: {exc.strerror or exc}.",
                              "检查文件是否存在、是否可读写，然后重试。", "Check that the file exists and is readable/writable.")
    return AssistantError(
        f"内部错误：{step_zh}时出现意外的问题（{type(exc).__name__}: {exc}）。",
        f"Internal error while {step_en}: {type(exc).__name__}: {exc}",
        where_log[0] + "请把该记录和出问题的文件交给维护人员；其他文件和已保存的内容不受影响。",
        where_log[1] + " Send it with the file that caused it to whoever maintains the assistant; nothing saved is lost.")
