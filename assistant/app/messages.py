"""Texts the app shows a clerk: a summary of findings, how to configure an LLM, the chat's help."""

from __future__ import annotations

from ..checks import Finding


def findings_summary(findings: list[Finding], text: str) -> str:
    from ..checks import SEVERITY_ZH, line_col

    if not findings:
        return "检查完毕：数字、引用和提纲都没有发现问题。"
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    lines = [f"检查完毕：{counts['error']} 个错误、{counts['warning']} 个警告、{counts['info']} 个提示。"]
    for f in findings[:30]:
        line, _ = line_col(text, f.start)
        lines.append(f"- 第{line}行 {SEVERITY_ZH[f.severity]}「{f.text}」：{f.message}" + (f" → {f.suggestion}" if f.suggestion else ""))
    if len(findings) > 30:
        lines.append(f"……另有 {len(findings) - 30} 条，见左侧检查结果表。")
    return "\n".join(lines)


def llm_howto() -> str:
    """How to configure an LLM, as Markdown (one setting per line, in a code block)."""
    return ("配置大模型：在启动前设置下面三个环境变量（或写进程序目录下的 `.env` 文件），然后重新启动程序（`make run`）：\n\n"
            "```\nOPENAI_BASE_URL=https://api.deepseek.com/v1\nOPENAI_API_KEY=你的密钥\nASSISTANT_LLM_MODEL=deepseek-chat\n```\n\n"
            "`OPENAI_BASE_URL` 也可以是通义千问（`https://dashscope.aliyuncs.com/compatible-mode/v1`）、"
            "本机 vLLM（`http://127.0.0.1:8000/v1`）或 Ollama（`http://127.0.0.1:11434/v1`）的地址；"
            "`ASSISTANT_LLM_MODEL` 写该服务提供的模型名称。")


def help_text(has_llm: bool) -> str:
    lines = ["您好！我可以帮您起草、修改和核对法治政府建设年度报告。可以这样说：",
             "· “起草全文” / “起草第二部分” / “起草一、(六)”：按提纲起草，起草后自动检查并保存为新版本",
             "· “检查全文”：核对数字、引用的法规和提纲",
             "· “《行政复议法》第二条”：查看法规条文",
             "· “《信访条例》还有效吗”：查法规的效力、何时失效、被什么文件取代",
             "· “今年行政复议受理了多少件”：查本年度输入数据中的指标，以及草稿中用在哪里",
             "· “去年报告里人民调解那部分怎么写的” / “搜索 行政复议申请期限”：检索知识库",
             "· 选中左侧某一部分后说“精简一些”“语气更正式”“把原因写具体”：按要求改写"]
    if not has_llm:
        lines.append("\n当前未配置大模型：起草使用离线方式（按去年报告更新数字，或按输入素材组织），检查、查询、检索都可正常使用；"
                     "按要求改写需要大模型（配置方法见“帮助”页）。")
    return "\n".join(lines)


def unclear_text(has_llm: bool) -> str:
    """What the chat says to a request it cannot place (instead of unrelated passages)."""
    return "没太明白您的意思，知识库里也没有找到相关内容。\n\n" + help_text(has_llm).split("\n", 1)[1]
