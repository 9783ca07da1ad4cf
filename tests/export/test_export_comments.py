"""Every finding is a Word comment in the commented export (issue 13), read back with python-docx:
a nonexistent article's citation gets one, a law's comment says 现行有效 only when it is, a
misspelt title gets the title meant, a figure its label and value, carried-over text its own."""

from __future__ import annotations

import docx
import pytest
from docx.oxml.ns import qn

from assistant.checks import run_checks, workspace_context
from assistant.export import export_docx, review_comments
from assistant.inputs import load_inputs
from tests.conftest import ROOT, SEED_REPORT

INPUTS = ROOT / "corpus" / "inputs" / "hunchun-2024-sample.yaml"
TEXT = ("珲春市2024年法治政府建设年度报告\n"
        "一、2024年推进法治政府建设的主要举措和成效\n"
        "依据《中华人民共和国行政复议法》第九十九条规定，全面落实《优化营商环境条列》，执行《中华人民共和国合同法》，"
        "贯彻《中华人民共和国行政处罚法》。全年行政复议机关受理行政复议案件25件。2023年，我市深化行政执法体制改革。"
        "〔待补：调解成功率〕\n"
        "中共珲春市委 珲春市人民政府\n2025年2月20日")


def commented(document) -> list[tuple[str, str]]:
    """(anchored text, comment text) of every comment, in document order."""
    by_id = {c.comment_id: c.text for c in document.comments}
    spans, open_ids = {}, set()
    for element in document.element.body.iter():
        if element.tag == qn("w:commentRangeStart"):
            open_ids.add(int(element.get(qn("w:id"))))
            spans.setdefault(int(element.get(qn("w:id"))), "")
        elif element.tag == qn("w:commentRangeEnd"):
            open_ids.discard(int(element.get(qn("w:id"))))
        elif element.tag == qn("w:t"):
            for cid in open_ids:
                spans[cid] += element.text or ""
    return [(spans.get(cid, ""), text) for cid, text in by_id.items()]


@pytest.fixture()
def exported(settings, tmp_path):
    from assistant.workspace import Workspace

    ws = Workspace(settings)
    inputs = load_inputs(INPUTS)
    findings = run_checks(TEXT, workspace_context(ws, inputs, 2024))
    path = export_docx(TEXT, tmp_path / "批注.docx", comments=review_comments(TEXT, inputs, ws.registry, 2024,
                                                                              findings=findings))
    return findings, commented(docx.Document(str(path)))


def test_every_finding_is_a_comment_on_its_words(exported):
    findings, comments = exported
    assert {f.kind for f in findings} >= {"citation_article_missing", "citation_unknown", "citation_outdated",
                                          "figure_mismatch", "year_mismatch", "draft_mark"}
    for f in findings:
        if f.kind == "draft_mark":
            assert any(anchor == f.text and note.startswith("待补：调解成功率") for anchor, note in comments)
            continue
        hits = [note for anchor, note in comments if f.message.rstrip("。") in note]
        assert len(hits) == 1, (f.kind, f.message)
        anchor = next(anchor for anchor, note in comments if note == hits[0])
        assert f.text in anchor or anchor in f.text


def test_citation_comments_say_what_the_checks_found(exported):
    _, comments = exported
    note = dict(comments)
    article = note["《中华人民共和国行政复议法》第九十九条"]
    assert article.startswith("《中华人民共和国行政复议法》：现行有效") and "没有第九十九条" in article
    assert "是否指《优化营商环境条例》" in note["《优化营商环境条列》"] and "登记表未收录" not in note["《优化营商环境条列》"]
    repealed = note["《中华人民共和国合同法》"]
    assert "现行有效" not in repealed and "已废止" in repealed and "民法典" in repealed
    assert note["《中华人民共和国行政处罚法》"].startswith("《中华人民共和国行政处罚法》：现行有效")
    assert "= 21件，不一致" in note["25件"] and "改为“21件”" in note["25件"]


def test_carried_over_text_is_a_comment_of_its_own(settings, tmp_path):
    from assistant.checks import CheckContext
    from assistant.workspace import Workspace

    seed = SEED_REPORT.read_text(encoding="utf-8")
    text = seed.replace("2024年", "2025年").replace("2023年", "2024年")
    ws = Workspace(settings)
    findings = run_checks(text, CheckContext(registry=ws.registry, outline=ws.outline, previous=seed))
    path = export_docx(text, tmp_path / "c.docx", comments=review_comments(text, None, ws.registry, 2024,
                                                                           findings=findings))
    notes = [note for anchor, note in commented(docx.Document(str(path))) if "与上年报告相同" in note]
    assert len(notes) == sum(f.kind == "carried_over" for f in findings) >= 4
