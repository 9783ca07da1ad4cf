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
    return ("配置大模型：在启动前设置环境变量（或写入 .env 文件）\n"
            "OPENAI_BASE_URL=https://api.deepseek.com/v1（或通义千问、本地 vLLM/Ollama 的地址）\n"
            "OPENAI_API_KEY=你的密钥\nASSISTANT_LLM_MODEL=模型名称\n然后重新启动 make run。")


def help_text(has_llm: bool) -> str:
    lines = ["可以这样说：",
             "· “起草全文” / “起草第二部分” / “起草一、(六)”：按提纲起草，起草后自动检查并保存为新版本",
             "· “检查全文”：核对数字、引用的法规和提纲",
             "· “《行政复议法》第二条”：查看法规条文",
             "· “去年报告里人民调解那部分怎么写的” / “搜索 行政复议申请期限”：检索知识库",
             "· 选中左侧某一部分后说“精简一些”“语气更正式”“把原因写具体”：按要求改写"]
    if not has_llm:
        lines.append("\n当前未配置大模型：起草使用离线方式（按去年报告更新数字，或按输入素材组织），检查、查询、检索都可正常使用；按要求改写需要大模型。\n"
                     + llm_howto())
    return "\n".join(lines)
