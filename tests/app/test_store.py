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
