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
