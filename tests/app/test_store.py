"""The SQLite store: versions, conflicts between two tabs, chat history, survival across reopen."""

import pytest

from assistant.app import ConflictError, Store


@pytest.fixture()
def store(tmp_path):
    s = Store(tmp_path / "app.sqlite3")
    yield s
    s.close()


def test_versions_and_reopen(store, tmp_path):
    rid = store.create_report("珲春市", 2023)
    assert store.create_report("珲春市", 2023) == rid  # one report per region and year
    v1 = store.save_version(rid, "二", "二、第一稿", "offline", base=None)
    v2 = store.save_version(rid, "二", "二、第二稿", "edit", base=v1.version, findings=[{"kind": "x"}])
    assert (v1.version, v2.version) == (1, 2)
    store.add_message(rid, "user", "起草第二部分")
    store.close()
    again = Store(tmp_path / "app.sqlite3")
    assert again.latest(rid, "二").text == "二、第二稿"
    assert [v.version for v in again.versions(rid, "二")] == [2, 1]
    assert again.latest(rid, "二").findings == [{"kind": "x"}]
    assert again.messages(rid) == [{"role": "user", "content": "起草第二部分"}]


def test_second_tab_sees_the_conflict_and_nothing_is_lost(store):
    rid = store.create_report("某县", 2024)
    v1 = store.save_version(rid, "一", "一、原稿", "edit", base=None)
    store.save_version(rid, "一", "一、甲窗口的修改", "edit", base=v1.version)  # tab A saves first
    with pytest.raises(ConflictError) as info:
        store.save_version(rid, "一", "一、乙窗口的修改", "edit", base=v1.version)  # tab B, from the old version
    assert info.value.latest == 2 and "保存冲突" in info.value.zh
    assert store.latest(rid, "一").text == "一、甲窗口的修改"
    kept = store._db.execute("SELECT text FROM unsaved WHERE report_id=?", (rid,)).fetchall()
    assert [r[0] for r in kept] == ["一、乙窗口的修改"]
    forced = store.save_version(rid, "一", "一、乙窗口的修改", "edit", base=v1.version, force=True)
    assert forced.version == 3


def test_bad_report_rejected(store):
    from assistant.errors import AssistantError

    with pytest.raises(AssistantError):
        store.create_report("", 2024)
    with pytest.raises(AssistantError):
        store.create_report("某县", 24)


def test_migration_2_keeps_an_older_database_and_adds_figure_spans(tmp_path):
    import sqlite3

    from assistant.app.store import MIGRATIONS, _statements

    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    for statement in _statements(MIGRATIONS[0]):
        db.execute(statement)
    db.execute("INSERT INTO schema_version VALUES (1)")
    db.execute("INSERT INTO reports (region, year, created, updated) VALUES ('珲春市', 2023, 0, 0)")
    db.execute("INSERT INTO versions (report_id, section, version, text, origin, created) VALUES (1, '二', 1, '二、旧稿', 'edit', 0)")
    db.execute("INSERT INTO messages (report_id, role, content, created) VALUES (1, 'assistant', '旧的回答', 0)")
    db.commit()
    db.close()
    store = Store(path)
    assert store.latest(1, "二").text == "二、旧稿" and store.latest(1, "二").figure_spans == []
    assert store.interrupt_unfinished() == 0 and store.messages(1) == [{"role": "assistant", "content": "旧的回答"}]
    v2 = store.save_version(1, "二", "二、新稿21件", "llm", base=1, figure_spans=[(4, 7, "review.accepted")])
    store.close()
    assert Store(path).version(v2.id).figure_spans == [(4, 7, "review.accepted")]


def test_migration_3_keeps_the_inputs_as_their_first_version(tmp_path):
    import sqlite3

    from assistant.app.store import MIGRATIONS, _statements

    path = tmp_path / "v2.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    for script in MIGRATIONS[:2]:
        for statement in _statements(script):
            db.execute(statement)
    db.execute("INSERT INTO schema_version VALUES (2)")
    db.execute("INSERT INTO reports (region, year, created, updated) VALUES ('珲春市', 2023, 0, 0)")
    db.execute("INSERT INTO inputs VALUES (1, 'hunchun-2023.yaml', 'figures: []', 5)")
    db.commit()
    db.close()
    store = Store(path)
    assert [v["version"] for v in store.inputs_versions(1)] == [1]
    assert store.save_inputs(1, "figures: [{id: a}]", "x.yaml", "表格修改") == 2
    assert store.inputs(1)["yaml"] == "figures: [{id: a}]"
    assert [(v["version"], v["note"]) for v in store.inputs_versions(1)] == [(2, "表格修改"), (1, None)]


def test_reports_are_renamed_and_deleted_with_everything_of_theirs(store):
    from assistant.errors import AssistantError

    a = store.create_report("甲县", 2023)
    b = store.create_report("乙县", 2023)
    store.save_version(a, "二", "二、稿", "edit", base=None)
    store.add_message(a, "user", "起草第二部分")
    store.keep_unsaved(a, "二", "冲突时的文字", "conflict")
    store.start_autosave(a, "二")
    with pytest.raises(AssistantError, match="已经有一份"):
        store.rename_report(a, "乙县", 2023)
    store.rename_report(a, "甲县（新）", 2024)
    assert store.report(a)["region"] == "甲县（新）" and store.last_report() == a
    store.delete_report(a)
    assert store.report(a) is None and store.latest(a, "二") is None and store.messages(a) == []
    assert store.unsaved(a, "二") == [] and store.recoverable_autosaves(a) == []
    assert store.last_report() == b


def test_a_stream_cut_off_is_recoverable_after_a_restart(store, tmp_path):
    rid = store.create_report("某县", 2024)
    cut = store.start_autosave(rid, "二")
    store.update_autosave(cut, "二、不足\n一是")
    done = store.start_autosave(rid, "三")
    store.update_autosave(done, "三、履职")
    store.close_autosave(done)
    assert store.recoverable_autosaves(rid) == []  # still being written
    assert Store(tmp_path / "app.sqlite3").interrupt_autosaves() == 1  # the next start
    assert [r["text"] for r in store.recoverable_autosaves(rid)] == ["二、不足\n一是"]


def test_uploads_remember_their_own_names(store):
    store.remember_upload("20250101-120000-abc123-report.docx", "去年的 报告.docx")
    assert store.original_name("20250101-120000-abc123-report.docx") == "去年的 报告.docx"
    assert store.original_name("unknown.docx") is None
