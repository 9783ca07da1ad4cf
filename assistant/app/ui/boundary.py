"""One error boundary for every UI callback: whatever a callback raises becomes a message in
Chinese that names the step and says what to do (English behind a "详细信息" toggle). A known
error (AssistantError) says its own message and hint; an unknown one is logged with its traceback
under the data dir (`logs/errors.log`) and its number is named. Gradio's toast shows the message;
the screen's values stay as they were (the editor keeps its text).

`guard_all(demo, data_dir)` wraps every function registered on the Blocks (those wired elsewhere
too, e.g. the review tab), so no exception reaches Gradio's own English error toast.
"""

from __future__ import annotations

import functools
import html
import inspect

import gradio as gr

from ...errors import AssistantError
from ..incidents import log_incident

# a callback's name → the step a clerk recognises
STEPS = {
    "on_start": "打开网页", "on_report": "切换报告", "on_create": "新建报告", "on_rename": "修改报告名称",
    "on_delete": "删除报告", "on_confirm_report": "确认报告操作", "on_section": "切换部分", "on_reload": "载入最新版本",
    "on_save": "保存并检查", "on_draft": "起草本部分", "on_pick": "选中检查结果", "on_apply": "采纳建议",
    "on_fix_section": "改为全角标点", "on_keep_mine": "处理保存冲突", "on_take_theirs": "处理保存冲突",
    "on_merge": "处理保存冲突", "on_recover": "恢复中断的起草", "on_discard": "丢弃中断的起草",
    "on_diff": "比较版本", "on_restore": "恢复旧版本", "on_chat": "对话", "on_law": "查询法规条文",
    "on_cited": "查看引用的文件", "on_inputs": "载入输入数据", "on_sample": "载入示例数据", "on_template": "生成 Excel 模板",
    "on_notes": "保存工作素材", "on_figures": "保存指标", "on_ingest": "加入知识库", "on_docs": "刷新知识库列表",
    "on_remove_ask": "删除知识库文件", "on_remove": "删除知识库文件", "on_search": "检索知识库", "on_review": "审阅",
    "on_review_export": "导出审阅结果", "on_export_ask": "导出", "on_export": "导出", "on_export_docx": "导出 Word",
    "on_export_md": "导出 Markdown", "on_export_fixed": "改为全角标点后导出", "on_export_cancel": "取消导出",
    "on_cancel": "取消",
}
RELOAD_HINT = "先复制编辑框里还没保存的文字，刷新网页（按 F5）后再试。"


def known_message(step: str, exc: AssistantError) -> str:
    hint = exc.hint_zh if exc.hint_zh and "python -m" not in exc.hint_zh else ""
    text = f"“{step}”没有完成：{exc.zh}" + (f"<br>处理建议：{hint}" if hint else "")
    return text + _english(exc.en)


def unknown_message(step: str, number: str, exc: BaseException) -> str:
    return (f"“{step}”时出现意外错误（记录编号 {number}）。已保存的内容不受影响，编辑框里的文字也还在。"
            f"<br>处理建议：请重试；如果再次出现，{RELOAD_HINT}如果还不行，请把数据目录下的 logs/errors.log 交给管理员。"
            + _english(f"Unexpected error during this step ({type(exc).__name__}); logged as {number}."))


def _english(text: str) -> str:
    return f"<details><summary>详细信息（English）</summary>{html.escape(text)}</details>" if text else ""


def guarded(fn, data_dir, step: str | None = None):
    """`fn` with every exception turned into a Chinese gr.Error (generators too)."""
    if getattr(fn, "_guarded", False):
        return fn
    step = step or STEPS.get(getattr(fn, "__name__", ""), "这一步操作")

    def convert(exc: BaseException) -> gr.Error:
        if isinstance(exc, gr.Error):
            return exc
        if isinstance(exc, AssistantError):
            return gr.Error(known_message(step, exc), title="无法完成", print_exception=False)
        return gr.Error(unknown_message(step, log_incident(data_dir, step, exc), exc), title="出错了",
                        print_exception=False)

    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                yield from fn(*args, **kwargs)
            except GeneratorExit:
                raise
            except Exception as exc:  # noqa: BLE001 - the boundary
                raise convert(exc) from None
    else:
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - the boundary
                raise convert(exc) from None
    wrapper._guarded = True
    return wrapper


def guard_all(demo: gr.Blocks, data_dir) -> int:
    """Wrap every registered function of the Blocks; returns how many."""
    count = 0
    for block_fn in demo.fns.values():
        if block_fn.fn is not None and not getattr(block_fn.fn, "_guarded", False):
            block_fn.fn = guarded(block_fn.fn, data_dir)
            count += 1
    return count
