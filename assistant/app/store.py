"""The app's state in SQLite under the data dir: reports, their inputs, every version of every
section, every version of the inputs, the chat history, the names uploads were given, and the
stream of a draft while it arrives. Numbered migrations run at start. Every change is committed at
once, so a restart or a crash loses nothing; a save names the version it was based on, so two
browser tabs on one report never overwrite each other silently.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AssistantError

MIGRATIONS = [
    """
    CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        region TEXT NOT NULL,
        year INTEGER NOT NULL,
        title TEXT,
        created REAL NOT NULL,
        updated REAL NOT NULL,
        UNIQUE (region, year)
    );
    CREATE TABLE inputs (
        report_id INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
        filename TEXT,
        yaml TEXT NOT NULL,
        updated REAL NOT NULL
    );
    CREATE TABLE versions (
        id INTEGER PRIMARY KEY,
        report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        section TEXT NOT NULL,
        version INTEGER NOT NULL,
        text TEXT NOT NULL,
        origin TEXT NOT NULL,
        note TEXT,
        sources TEXT NOT NULL DEFAULT '[]',
        findings TEXT,
        created REAL NOT NULL,
        UNIQUE (report_id, section, version)
    );
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        content TEXT NOT NULL,
        created REAL NOT NULL
    );
    CREATE TABLE unsaved (
        id INTEGER PRIMARY KEY,
        report_id INTEGER NOT NULL,
        section TEXT NOT NULL,
        text TEXT NOT NULL,
        reason TEXT,
        created REAL NOT NULL
    );
    """,
    # 2: each version keeps where its numbers came from (spans of numbers rendered from a figure's
    # tag: [[start, end, figure id], …]); a chat message says whether it is still being written
    """
    ALTER TABLE versions ADD COLUMN figure_spans TEXT;
    ALTER TABLE messages ADD COLUMN state TEXT NOT NULL DEFAULT 'done';
    """,
    # 3: every inputs change is a version of its own (the first is what was there); an uploaded
    # file's own name next to the safe name it is stored under; a draft's stream kept as it arrives
    """
    CREATE TABLE inputs_versions (
        id INTEGER PRIMARY KEY,
        report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        filename TEXT,
        yaml TEXT NOT NULL,
        note TEXT,
        created REAL NOT NULL,
        UNIQUE (report_id, version)
    );
    INSERT INTO inputs_versions (report_id, version, filename, yaml, note, created)
        SELECT report_id, 1, filename, yaml, NULL, updated FROM inputs;
    CREATE TABLE uploads (
        stored TEXT PRIMARY KEY,
        original TEXT NOT NULL,
        created REAL NOT NULL
    );
    CREATE TABLE autosaves (
        id INTEGER PRIMARY KEY,
        report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        target TEXT NOT NULL,
        text TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'working',
        created REAL NOT NULL,
        updated REAL NOT NULL
    );
    """,
]
INTERRUPTED = "\n\n〔已中断：程序在处理这条消息时停止或出错，上面是已收到的内容。可以重新发送。〕"

ORIGIN_ZH = {"offline": "离线起草", "llm": "AI起草", "edit": "手工修改", "revise": "按要求改写", "restore": "恢复旧版本",
             "import": "导入", "apply": "采纳建议", "proofread": "标点更正", "conflict": "冲突时保留", "recovered": "恢复中断的起草"}


class ConflictError(AssistantError):
    """Someone else saved this section after the version this edit started from."""

    def __init__(self, section: str, base: int | None, latest: int) -> None:
        self.section, self.base, self.latest = section, base, latest
        super().__init__(
            f"保存冲突：这一部分已在别处（另一个窗口）保存为第{latest}版，你的修改基于第{base or 0}版。你的文字没有丢失，已另存备份。",
            f"Save conflict: this section was saved elsewhere as version {latest}; your edit started from version {base or 0}. "
            "Your text was kept.",
            "先点“载入最新版本”查看对方的修改，或点“仍然保存”把你的文字存为新版本。",
            "Load the latest version to see the other change, or save anyway as a new version.")


@dataclass
class Version:
    id: int
    report_id: int
    section: str
    version: int
    text: str
    origin: str
    note: str | None
    sources: list
    findings: list | None
    created: float
    figure_spans: list = field(default_factory=list)  # [(start, end, figure id)] of tag-rendered numbers

    @property
    def label(self) -> str:
        stamp = time.strftime("%m-%d %H:%M", time.localtime(self.created))
        return f"第{self.version}版 · {ORIGIN_ZH.get(self.origin, self.origin)} · {stamp}"


class Store:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._lock = threading.RLock()
        self._migrate()

    @contextmanager
    def _transaction(self):
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _migrate(self) -> None:
        with self._lock:
            self._db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = self._db.execute("SELECT version FROM schema_version").fetchone()
            current = row[0] if row else 0
            for number, script in enumerate(MIGRATIONS[current:], current + 1):
                self._db.execute("BEGIN")
                for statement in _statements(script):
                    self._db.execute(statement)
                if row is None and number == 1:
                    self._db.execute("INSERT INTO schema_version VALUES (1)")
                else:
                    self._db.execute("UPDATE schema_version SET version=?", (number,))
                self._db.execute("COMMIT")

    # -- reports ----------------------------------------------------------------------------------
    def reports(self) -> list[dict]:
        with self._lock:
            return [dict(r) for r in self._db.execute("SELECT * FROM reports ORDER BY year DESC, region")]

    def report(self, report_id: int) -> dict | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM reports WHERE id=?", (report_id,)).fetchone()
        return dict(row) if row else None

    def create_report(self, region: str, year: int, title: str | None = None) -> int:
        region = region.strip()
        if not region or not (1990 <= int(year) <= 2100):
            raise AssistantError("请填写地区（或部门）名称和四位数年度。", "Give a region and a four-digit year.")
        now = time.time()
        with self._lock:
            existing = self._db.execute("SELECT id FROM reports WHERE region=? AND year=?", (region, int(year))).fetchone()
            if existing:
                return existing[0]
            cur = self._db.execute("INSERT INTO reports (region, year, title, created, updated) VALUES (?,?,?,?,?)",
                                   (region, int(year), title, now, now))
            return cur.lastrowid

    def last_report(self) -> int | None:
        """The report worked on last (the latest change of any kind)."""
        with self._lock:
            row = self._db.execute("SELECT id FROM reports ORDER BY updated DESC, id DESC LIMIT 1").fetchone()
        return row[0] if row else None

    def rename_report(self, report_id: int, region: str, year: int) -> None:
        region = (region or "").strip()
        if not region or not (1990 <= int(year) <= 2100):
            raise AssistantError("请填写地区（或部门）名称和四位数年度。", "Give a region and a four-digit year.")
        with self._lock:
            other = self._db.execute("SELECT id FROM reports WHERE region=? AND year=? AND id<>?",
                                     (region, int(year), report_id)).fetchone()
            if other:
                raise AssistantError(f"已经有一份“{region} {int(year)}年”的报告，不能重名。",
                                     f"A report '{region} {int(year)}' already exists.",
                                     "换一个名称，或先删除那一份。", "Choose another name, or delete that report first.")
            self._db.execute("UPDATE reports SET region=?, year=?, updated=? WHERE id=?",
                             (region, int(year), time.time(), report_id))

    def delete_report(self, report_id: int) -> None:
        """The report and everything of it: versions, inputs, chat, backups."""
        with self._transaction():
            self._db.execute("DELETE FROM unsaved WHERE report_id=?", (report_id,))
            self._db.execute("DELETE FROM reports WHERE id=?", (report_id,))

    def touch(self, report_id: int) -> None:
        with self._lock:
            self._db.execute("UPDATE reports SET updated=? WHERE id=?", (time.time(), report_id))

    # -- inputs -----------------------------------------------------------------------------------
    def save_inputs(self, report_id: int, yaml_text: str, filename: str | None, note: str | None = None) -> int:
        """The report's current inputs, kept as a new inputs version too; returns its number."""
        now = time.time()
        with self._transaction():
            self._db.execute("INSERT INTO inputs VALUES (?,?,?,?) ON CONFLICT(report_id) DO UPDATE SET "
                             "filename=excluded.filename, yaml=excluded.yaml, updated=excluded.updated",
                             (report_id, filename, yaml_text, now))
            row = self._db.execute("SELECT MAX(version) FROM inputs_versions WHERE report_id=?", (report_id,)).fetchone()
            number = (row[0] or 0) + 1
            self._db.execute("INSERT INTO inputs_versions (report_id, version, filename, yaml, note, created) "
                             "VALUES (?,?,?,?,?,?)", (report_id, number, filename, yaml_text, note, now))
            self._db.execute("UPDATE reports SET updated=? WHERE id=?", (now, report_id))
        return number

    def inputs_versions(self, report_id: int) -> list[dict]:
        with self._lock:
            rows = self._db.execute("SELECT version, filename, note, created FROM inputs_versions WHERE report_id=? "
                                    "ORDER BY version DESC", (report_id,)).fetchall()
        return [dict(r) for r in rows]

    def inputs(self, report_id: int) -> dict | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM inputs WHERE report_id=?", (report_id,)).fetchone()
        return dict(row) if row else None

    # -- versions ---------------------------------------------------------------------------------
    def latest(self, report_id: int, section: str) -> Version | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM versions WHERE report_id=? AND section=? ORDER BY version DESC LIMIT 1",
                                   (report_id, section)).fetchone()
        return _version(row) if row else None

    def versions(self, report_id: int, section: str) -> list[Version]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM versions WHERE report_id=? AND section=? ORDER BY version DESC",
                                    (report_id, section)).fetchall()
        return [_version(r) for r in rows]

    def version(self, version_id: int) -> Version | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM versions WHERE id=?", (version_id,)).fetchone()
        return _version(row) if row else None

    def save_version(self, report_id: int, section: str, text: str, origin: str, *, base: int | None,
                     note: str | None = None, sources: list | None = None, findings: list | None = None,
                     force: bool = False, figure_spans: list | None = None) -> Version:
        """A new version of a section. `base` is the version the text was edited from (None for
        a new section); if someone saved after it, ConflictError (the text is kept in `unsaved`)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute("SELECT MAX(version) FROM versions WHERE report_id=? AND section=?",
                                       (report_id, section)).fetchone()
                latest = row[0] or 0
                if latest != (base or 0) and not force:
                    self._db.execute("INSERT INTO unsaved (report_id, section, text, reason, created) VALUES (?,?,?,?,?)",
                                     (report_id, section, text, f"conflict: base {base}, latest {latest}", time.time()))
                    self._db.execute("COMMIT")
                    raise ConflictError(section, base, latest)
                now = time.time()
                cur = self._db.execute(
                    "INSERT INTO versions (report_id, section, version, text, origin, note, sources, findings, created, "
                    "figure_spans) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (report_id, section, latest + 1, text, origin, note, json.dumps(sources or [], ensure_ascii=False),
                     json.dumps(findings, ensure_ascii=False) if findings is not None else None, now,
                     json.dumps([list(s) for s in figure_spans], ensure_ascii=False) if figure_spans else None))
                self._db.execute("UPDATE reports SET updated=? WHERE id=?", (now, report_id))
                self._db.execute("COMMIT")
            except ConflictError:
                raise
            except Exception:
                self._db.execute("ROLLBACK")
                raise
        return self.version(cur.lastrowid)

    def set_findings(self, version_id: int, findings: list) -> None:
        with self._lock:
            self._db.execute("UPDATE versions SET findings=? WHERE id=?", (json.dumps(findings, ensure_ascii=False), version_id))

    def keep_unsaved(self, report_id: int, section: str, text: str, reason: str) -> None:
        with self._lock:
            self._db.execute("INSERT INTO unsaved (report_id, section, text, reason, created) VALUES (?,?,?,?,?)",
                             (report_id, section, text, reason, time.time()))

    def unsaved(self, report_id: int, section: str, limit: int = 20) -> list[dict]:
        """Texts kept when a save was refused (a conflict), newest first."""
        with self._lock:
            rows = self._db.execute("SELECT id, text, reason, created FROM unsaved WHERE report_id=? AND section=? "
                                    "ORDER BY id DESC LIMIT ?", (report_id, section, limit)).fetchall()
        return [dict(r) for r in rows]

    # -- uploads ----------------------------------------------------------------------------------
    def remember_upload(self, stored: str, original: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO uploads VALUES (?,?,?)", (stored, original, time.time()))

    def original_name(self, stored: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT original FROM uploads WHERE stored=?", (stored,)).fetchone()
        return row[0] if row else None

    # -- autosaves of a draft's stream --------------------------------------------------------------
    def start_autosave(self, report_id: int, target: str) -> int:
        now = time.time()
        with self._lock:
            return self._db.execute("INSERT INTO autosaves (report_id, target, text, state, created, updated) "
                                    "VALUES (?,?,?,?,?,?)", (report_id, target, "", "working", now, now)).lastrowid

    def update_autosave(self, autosave_id: int, text: str) -> None:
        with self._lock:
            self._db.execute("UPDATE autosaves SET text=?, updated=? WHERE id=? AND state='working'",
                             (text, time.time(), autosave_id))

    def close_autosave(self, autosave_id: int, state: str = "done") -> None:
        with self._lock:
            self._db.execute("UPDATE autosaves SET state=?, updated=? WHERE id=?", (state, time.time(), autosave_id))

    def recoverable_autosaves(self, report_id: int) -> list[dict]:
        """Streams of drafts that a stop or a crash cut off (with any text), newest first."""
        with self._lock:
            rows = self._db.execute("SELECT * FROM autosaves WHERE report_id=? AND state='recoverable' AND text<>'' "
                                    "ORDER BY id DESC", (report_id,)).fetchall()
        return [dict(r) for r in rows]

    def autosave(self, autosave_id: int) -> dict | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM autosaves WHERE id=?", (autosave_id,)).fetchone()
        return dict(row) if row else None

    def interrupt_autosaves(self) -> int:
        """At start: a draft still "working" was cut off by a stop or a crash; its text can be recovered."""
        with self._lock:
            return self._db.execute("UPDATE autosaves SET state='recoverable' WHERE state='working'").rowcount

    # -- chat -------------------------------------------------------------------------------------
    def add_message(self, report_id: int, role: str, content: str, state: str = "done") -> int:
        """A chat message; state "working" while the answer is still being written."""
        with self._lock:
            cur = self._db.execute("INSERT INTO messages (report_id, role, content, created, state) VALUES (?,?,?,?,?)",
                                   (report_id, role, content, time.time(), state))
            return cur.lastrowid

    def update_message(self, message_id: int, content: str, state: str | None = None) -> None:
        with self._lock:
            if state is None:
                self._db.execute("UPDATE messages SET content=? WHERE id=?", (content, message_id))
            else:
                self._db.execute("UPDATE messages SET content=?, state=? WHERE id=?", (content, state, message_id))

    def interrupt_message(self, message_id: int) -> None:
        """A message whose answer stopped half-way: keep what it says, and say it was interrupted."""
        with self._lock:
            self._db.execute("UPDATE messages SET content=content || ?, state='interrupted' WHERE id=? AND state='working'",
                             (INTERRUPTED, message_id))

    def interrupt_unfinished(self) -> int:
        """At start: every message still "working" was cut off by a stop or a crash."""
        with self._lock:
            return self._db.execute("UPDATE messages SET content=content || ?, state='interrupted' WHERE state='working'",
                                    (INTERRUPTED,)).rowcount

    def messages(self, report_id: int, limit: int = 200) -> list[dict]:
        with self._lock:
            rows = self._db.execute("SELECT role, content FROM messages WHERE report_id=? ORDER BY id DESC LIMIT ?",
                                    (report_id, limit)).fetchall()
        return [{"role": r["role"], "content": r["content"]} for r in reversed(rows)]

    def close(self) -> None:
        self._db.close()


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _version(row: sqlite3.Row) -> Version:
    return Version(row["id"], row["report_id"], row["section"], row["version"], row["text"], row["origin"], row["note"],
                   json.loads(row["sources"] or "[]"), json.loads(row["findings"]) if row["findings"] else None,
                   row["created"], [tuple(s) for s in json.loads(row["figure_spans"] or "[]")])
