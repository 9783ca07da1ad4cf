"""The web app's screens: the report bar (with rename and delete, each confirmed) and the tabs
起草与修改, 指标与素材, 知识库, 审阅, 导出, 帮助. Only components here; what they do is wired in
`callbacks`.

What a tab must keep across a server restart lives in the page, not in server-side state: the
report is the dropdown's value, the section the radio's (its choices are every key a report can
have, so a value from before the restart is still valid), the version the editor started from a
hidden number. Dropdowns whose choices are per session accept any value.
"""

from __future__ import annotations

import time
from types import SimpleNamespace

import gradio as gr

from ..inputs_edit import FIGURE_HEADERS, FIGURE_WIDTHS
from ..sections import HEAD, SECTION_NAMES, TAIL
from ..workbench import Workbench
from ...checks import SUMMARY_HEADERS
from .views import FINDING_HEADERS, FINDING_WIDTHS, HELP, SEVERITY_COLORS, llm_status

# every section key a report can have (the radio's values must stay valid after a restart)
ALL_SECTIONS = [(SECTION_NAMES[HEAD], HEAD), *[(f"{k}、", k) for k in "一二三四五"], (SECTION_NAMES[TAIL], TAIL)]


def build_layout(wb: Workbench, exposed: bool = False) -> SimpleNamespace:
    """Create every component (inside an open `gr.Blocks`); returns them by name."""
    last_report = gr.BrowserState(None, storage_key="rol-report-last")
    gr.Markdown("# 法治政府建设年度报告起草助手\n按《法治政府建设与责任落实督察工作规定》第二十五条的提纲起草、核对数字和法规引用，导出符合公文格式的 Word 文件。")
    gr.Markdown(llm_status(wb.ws.settings, exposed_over_http=exposed), elem_id="status")
    with gr.Row():
        report_dd = gr.Dropdown(label="当前报告", choices=wb.report_choices(), elem_id="report", scale=2)
        region_tb = gr.Textbox(label="地区或部门", placeholder="如：珲春市", elem_id="new-region", scale=2)
        now = time.localtime()  # from October on, staff prepare the current year's report
        year_nb = gr.Number(label="年度", value=now.tm_year if now.tm_mon >= 10 else now.tm_year - 1, precision=0,
                            elem_id="new-year", scale=1)
        create_btn = gr.Button("新建或打开报告", elem_id="create-report", scale=1)
    with gr.Accordion("管理当前报告（改名、删除）", open=False, elem_id="report-admin"):
        with gr.Row():
            rename_region = gr.Textbox(label="新的地区或部门名称", elem_id="rename-region", scale=2)
            rename_year = gr.Number(label="年度", precision=0, elem_id="rename-year", scale=1)
            rename_btn = gr.Button("改名", elem_id="rename-report", scale=1)
            delete_btn = gr.Button("删除这份报告", variant="stop", elem_id="delete-report", scale=1)
        with gr.Column(visible=False, variant="panel", elem_id="confirm-report", elem_classes=["confirm-box"]) as confirm_report:
            confirm_report_md = gr.Markdown(elem_id="confirm-report-text")
            pending_report = gr.Textbox(visible=False, elem_id="pending-report")
            with gr.Row():
                confirm_report_yes = gr.Button("确定", variant="stop", elem_id="confirm-report-yes")
                confirm_report_no = gr.Button("取消", elem_id="confirm-report-no")
        report_msg = gr.Markdown(elem_id="report-message")
    base = gr.Number(value=None, visible=False, precision=0, elem_id="base")  # the version the editor started from
    shown = gr.Textbox(visible=False, elem_id="shown")  # "report id|section" the editor holds
    with gr.Tabs(elem_id="main-tabs") as main_tabs:
        with gr.Tab("起草与修改", id="write"):
            with gr.Row():
                with gr.Column(scale=3):
                    sections = gr.Radio(label="报告各部分（点击切换）", choices=ALL_SECTIONS, elem_id="sections")
                    with gr.Column(visible=False, variant="panel", elem_id="recovery", elem_classes=["confirm-box"]) as recovery:
                        recovery_md = gr.Markdown(elem_id="recovery-text")
                        recovery_id = gr.Number(visible=False, precision=0, elem_id="recovery-id")
                        with gr.Row():
                            recover_btn = gr.Button("恢复为新版本", variant="primary", elem_id="recover-btn")
                            discard_btn = gr.Button("不要了，丢弃", elem_id="discard-recovery")
                    with gr.Column(visible=False, variant="panel", elem_id="conflict", elem_classes=["conflict-box"]) as conflict:
                        conflict_md = gr.Markdown(elem_id="conflict-text")
                        with gr.Row():
                            conflict_mine = gr.Textbox(label="你的文字（还没有保存）", lines=8, max_lines=16,
                                                       elem_id="conflict-mine")
                            conflict_theirs = gr.Textbox(label="另一个窗口保存的版本", lines=8, max_lines=16,
                                                         interactive=False, elem_id="conflict-theirs")
                        conflict_diff = gr.HTML(elem_id="conflict-diff")
                        with gr.Row():
                            keep_mine_btn = gr.Button("保存我的文字为新版本", variant="primary", elem_id="keep-mine")
                            take_theirs_btn = gr.Button("改用另一窗口的版本", elem_id="take-theirs")
                            merge_btn = gr.Button("以对方版本为底稿，我来合并", elem_id="merge")
                    with gr.Tabs(elem_id="editor-tabs") as editor_tabs:
                        with gr.Tab("编辑正文", id="edit-tab"):
                            editor = gr.Textbox(label="正文（可直接修改，改完点“保存并检查”）", lines=16, max_lines=40,
                                                elem_id="editor")
                        with gr.Tab("检查标注", id="marked-tab", elem_id="marked-tab"):
                            marked = gr.HTML(elem_id="highlight")
                    with gr.Row():
                        save_btn = gr.Button("保存并检查", variant="primary", elem_id="save")
                        draft_btn = gr.Button("起草本部分", elem_id="draft-section")
                        reload_btn = gr.Button("载入最新版本", elem_id="reload")
                        fix_section_btn = gr.Button("标点改为全角", visible=False, elem_id="fix-punct-section")
                    message = gr.Markdown(elem_id="message")
                    findings_df = gr.Dataframe(headers=FINDING_HEADERS, label="检查结果（红色为错误、橙色为警告；点一行可在正文中选中）",
                                               interactive=False, wrap=True, column_widths=FINDING_WIDTHS,
                                               elem_id="findings")
                    with gr.Row():
                        finding_md = gr.Markdown(elem_id="finding-detail")
                        apply_btn = gr.Button("采纳建议", variant="primary", visible=False, elem_id="apply-finding",
                                              scale=0, min_width=120)
                    picked = gr.Textbox(visible=False, elem_id="picked-finding")  # the clicked finding (JSON)
                    pick_start = gr.Number(visible=False, precision=0, elem_id="pick-start")
                    pick_end = gr.Number(visible=False, precision=0, elem_id="pick-end")
                    with gr.Accordion("所用资料（往年报告段落、法规条文）与数字来源", open=False, elem_id="sources-panel"):
                        sources_md = gr.Markdown(elem_id="sources")
                    with gr.Accordion("版本历史（比较与恢复）", open=False, elem_id="versions-panel"):
                        with gr.Row():
                            version_a = gr.Dropdown(label="版本 A（较早）", choices=[], allow_custom_value=True,
                                                    elem_id="version-a")
                            version_b = gr.Dropdown(label="版本 B（较新）", choices=[], allow_custom_value=True,
                                                    elem_id="version-b")
                        with gr.Row():
                            diff_mode = gr.Radio(label="比较方式", choices=[("按词", "word"), ("按句", "sentence"), ("按字", "char")],
                                                 value="word", elem_id="diff-mode", scale=2)
                            diff_btn = gr.Button("比较 A 与 B", elem_id="diff-btn")
                            prev_change = gr.Button("上一处改动", elem_id="prev-change")
                            next_change = gr.Button("下一处改动", elem_id="next-change")
                            restore_btn = gr.Button("恢复版本 A", elem_id="restore-btn")
                        diff_view = gr.HTML(elem_id="diff")
                        backups_md = gr.Markdown(elem_id="backups")
                with gr.Column(scale=2):
                    chatbot = gr.Chatbot(label="对话（起草、修改、检查、查数字、查法规、搜知识库）", height=520, elem_id="chat")
                    chat_in = gr.Textbox(show_label=False, elem_id="chat-input",
                                         placeholder="例如：起草第二部分 / 精简一些 / 今年行政复议受理了多少件 / 《信访条例》还有效吗")
                    send_btn = gr.Button("发送", variant="primary", elem_id="send")
                    with gr.Accordion("本部分引用的文件（点选查看原文和效力）", open=False):
                        cited = gr.Dropdown(label="引用", choices=[], allow_custom_value=True, elem_id="cited")
                        cited_out = gr.Markdown(elem_id="cited-out")
                    with gr.Accordion("法规条文查询", open=False):
                        law_title = gr.Textbox(label="法规名称", placeholder="行政复议法", elem_id="law-title")
                        law_article = gr.Textbox(label="条", placeholder="第二条", elem_id="law-article")
                        law_btn = gr.Button("查看条文", elem_id="law-btn")
                        law_out = gr.Markdown(elem_id="law-out")
        with gr.Tab("指标与素材", id="inputs"):
            with gr.Row():
                inputs_file = gr.File(label="上传本年度输入数据（.yaml / .yml / .xlsx）", file_types=[".yaml", ".yml", ".xlsx"],
                                      elem_id="inputs-upload")
                with gr.Column():
                    sample_btn = gr.Button("载入本年度的示例数据（珲春市）", elem_id="load-sample")
                    template_btn = gr.Button("生成空白 Excel 模板", elem_id="template-btn")
                    template_file = gr.File(label="模板下载", interactive=False, elem_id="template-file")
            inputs_msg = gr.Markdown(elem_id="inputs-message")
            figures_df = gr.Dataframe(headers=FIGURE_HEADERS, label="本年度指标（可直接修改；“报告中写作”一列由系统生成）",
                                      interactive=True, wrap=True, column_widths=FIGURE_WIDTHS, elem_id="figures")
            save_figures_btn = gr.Button("保存指标", variant="primary", elem_id="save-figures")
            notes_df = gr.Dataframe(headers=["所属部分", "类型", "标题", "内容"], label="各部分工作素材（可直接编辑）",
                                    interactive=True, wrap=True, column_widths=["10%", "8%", "22%", "60%"], elem_id="notes")
            save_notes_btn = gr.Button("保存工作素材", elem_id="save-notes")
        with gr.Tab("知识库", id="kb") as kb_tab:
            with gr.Row():
                kb_files = gr.File(label="上传往年报告或法规（.txt .md .docx .pdf，可多选）", file_count="multiple",
                                   file_types=[".txt", ".md", ".docx", ".pdf"], elem_id="kb-upload")
                with gr.Column():
                    kb_kind = gr.Radio(label="类别", choices=[("自动识别", ""), ("往年报告", "report"), ("法规", "regulation")],
                                       value="", elem_id="kb-kind")
                    kb_btn = gr.Button("加入知识库", variant="primary", elem_id="kb-ingest")
            kb_msg = gr.Markdown(elem_id="kb-message")
            docs_df = gr.Dataframe(headers=["编号", "类别", "标题", "原文件", "地区", "年度", "段数", "待向量化"],
                                   label="知识库中的文件", interactive=False, wrap=True,
                                   column_widths=["12%", "8%", "30%", "22%", "8%", "6%", "6%", "8%"], elem_id="docs")
            docs_refresh = gr.Button("刷新列表", size="sm", elem_id="docs-refresh")
            with gr.Row():
                remove_dd = gr.Dropdown(label="删除文件", choices=[], allow_custom_value=True, elem_id="remove-doc")
                remove_btn = gr.Button("删除", variant="stop", elem_id="remove-btn")
            with gr.Column(visible=False, variant="panel", elem_id="confirm-remove", elem_classes=["confirm-box"]) as confirm_remove:
                confirm_remove_md = gr.Markdown(elem_id="confirm-remove-text")
                with gr.Row():
                    confirm_remove_yes = gr.Button("确定删除", variant="stop", elem_id="confirm-remove-yes")
                    confirm_remove_no = gr.Button("取消", elem_id="confirm-remove-no")
            with gr.Row():
                search_tb = gr.Textbox(label="检索", placeholder="行政复议申请的受理期限", elem_id="search-box", scale=3)
                search_kind = gr.Radio(label="范围", choices=[("全部", ""), ("往年报告", "report"), ("法规", "regulation")],
                                       value="", scale=2)
                search_year = gr.Textbox(label="年度（可不填）", placeholder="如 2023", scale=1, elem_id="search-year")
                search_btn = gr.Button("检索", scale=1, elem_id="search-btn")
            search_out = gr.Markdown(elem_id="search-results")
        with gr.Tab("审阅", id="review"):
            gr.Markdown("上传别处写好的报告（.docx/.txt/.md/.pdf，可一次多选），可附上输入数据（与报告同名的 .yaml/.xlsx "
                        "自动对应；只有一份报告时上传的那份即是），得到每份报告的检查结果和一张汇总表，可导出为 Excel。")
            with gr.Row():
                review_file = gr.File(label="报告文件（可多选）", file_count="multiple",
                                      file_types=[".docx", ".txt", ".md", ".pdf"], elem_id="review-upload")
                review_inputs = gr.File(label="输入数据（可选，可多选）", file_count="multiple",
                                        file_types=[".yaml", ".yml", ".xlsx"], elem_id="review-inputs")
                review_year = gr.Textbox(label="报告年度（可不填）", placeholder="如 2024", elem_id="review-year")
            review_btn = gr.Button("开始审阅", variant="primary", elem_id="review-btn")
            review_msg = gr.Markdown(elem_id="review-message")
            review_summary = gr.Dataframe(headers=SUMMARY_HEADERS, label="汇总（每份报告一行）", interactive=False,
                                          wrap=True, elem_id="review-summary")
            review_pick = gr.Dropdown(label="查看哪一份报告的检查结果", choices=[], elem_id="review-pick")
            review_marked = gr.HighlightedText(label="问题位置", color_map=SEVERITY_COLORS, show_legend=False,
                                               show_inline_category=True, combine_adjacent=False,
                                               elem_id="review-highlight")
            review_df = gr.Dataframe(headers=FINDING_HEADERS, label="检查结果", interactive=False, wrap=True,
                                     column_widths=FINDING_WIDTHS, elem_id="review-findings")
            review_state = gr.State(None)
            review_export_btn = gr.Button("导出检查结果和汇总表（Excel）", elem_id="review-export")
            review_export_file = gr.File(label="下载", interactive=False, elem_id="review-file")
        with gr.Tab("导出", id="export"):
            export_scope = gr.Dropdown(label="范围", choices=[("全文", "all"), ("第一部分", "一"), ("第二部分", "二"),
                                                            ("第三部分", "三"), ("第四部分", "四")], value="all",
                                       elem_id="export-scope")
            export_comments = gr.Checkbox(label="在 Word 中用批注标出每个数字对应的指标、每个引用的效力状态（供审核用）",
                                          value=False, elem_id="export-comments")
            with gr.Row():
                export_docx_btn = gr.Button("导出 Word（GB/T 9704 公文格式）", variant="primary", elem_id="export-docx")
                export_md_btn = gr.Button("导出 Markdown", elem_id="export-md")
            with gr.Column(visible=False, variant="panel", elem_id="export-confirm", elem_classes=["confirm-box"]) as export_confirm:
                export_confirm_md = gr.Markdown(elem_id="export-confirm-text")
                export_fmt = gr.Textbox(visible=False, elem_id="export-fmt")
                with gr.Row():
                    export_fix_btn = gr.Button("改为全角标点后导出", variant="primary", elem_id="export-fix")
                    export_anyway_btn = gr.Button("按原样导出", elem_id="export-anyway")
                    export_cancel_btn = gr.Button("先不导出，回去修改", elem_id="export-cancel")
            export_msg = gr.Markdown(elem_id="export-message")
            export_file = gr.File(label="下载", interactive=False, elem_id="export-file")
        with gr.Tab("帮助", id="help"):
            gr.Markdown(HELP, elem_id="help")

    section_outputs = [editor, base, marked, findings_df, sources_md, version_a, version_b, cited, backups_md,
                       fix_section_btn, recovery, recovery_md, recovery_id, finding_md, apply_btn, shown, message]
    report_outputs = [sections, *section_outputs, chatbot, inputs_msg, figures_df, notes_df]
    return SimpleNamespace(**{name: value for name, value in locals().items() if name not in ("wb", "now")})
