"""Starting the web app: the Blocks with its layout and callbacks (every one behind the error
boundary), Gradio's own words in Chinese, the Host check and — when it is exposed — the login with
its throttle and a warning that plain HTTP belongs behind the office's HTTPS proxy; and the first
start's indexing of the sample corpus."""

from __future__ import annotations

import threading
from pathlib import Path

import gradio as gr

from ...errors import AssistantError
from ..workbench import Workbench
from .boundary import guard_all
from .callbacks import wire
from .i18n import head_script
from .layout import build_layout
from .security import HostCheck, LoginThrottle, allowed_hosts
from .views import CSS

LOOPBACK = ("127.0.0.1", "localhost", "::1")
HTTP_WARNING = ("警告：本程序以明文 HTTP 提供服务，密码和报告内容在网络上不加密。请把它放在单位的 HTTPS 反向代理之后，"
                "只让代理访问本程序。\nWarning: plain HTTP; put the app behind the office's HTTPS reverse proxy.")


def build_app(workbench: Workbench, exposed: bool = False) -> gr.Blocks:
    with gr.Blocks(title="法治政府建设年度报告起草助手") as demo:
        ui = build_layout(workbench, exposed=exposed)
        ui.demo = demo
        wire(ui, workbench)
    guard_all(demo, workbench.ws.data_dir)  # no exception reaches Gradio's English toast
    return demo


def launch(workbench: Workbench, host: str, port: int, *, block: bool = True, quiet: bool = False) -> gr.Blocks:
    """Start the app (returns once it serves when `block` is False; then call
    `demo.block_thread()`). Any address other than loopback requires a login from the settings."""
    from starlette.middleware import Middleware

    settings = workbench.ws.settings
    auth = None
    exposed = host not in LOOPBACK
    middleware = [Middleware(HostCheck, *allowed_hosts(host, settings.assistant_allowed_hosts))]
    if exposed:
        if not (settings.assistant_user and settings.assistant_password):
            raise AssistantError(
                f"绑定到 {host} 会让其他电脑访问本程序，必须先设置登录用户名和密码（ASSISTANT_USER、ASSISTANT_PASSWORD）。",
                f"Binding to {host} exposes the app; set ASSISTANT_USER and ASSISTANT_PASSWORD first.")
        auth = (settings.assistant_user, settings.assistant_password)
        middleware.append(Middleware(LoginThrottle))
        print(HTTP_WARNING, flush=True)
    demo = build_app(workbench, exposed=exposed)
    demo.queue(default_concurrency_limit=4)
    demo.launch(server_name=host, server_port=port, auth=auth, auth_message="请输入用户名和密码",
                prevent_thread_lock=not block, quiet=quiet, share=False, show_error=True, css=CSS,
                head=head_script(), app_kwargs={"middleware": middleware},
                max_file_size=f"{settings.assistant_max_upload_mb}mb",
                allowed_paths=[str(workbench.exports)], footer_links=["settings"])
    return demo


def start_background_indexing(ws) -> threading.Thread:
    """Index the sample corpus (and ASSISTANT_SEED_PATHS) on first start: keywords at once,
    vectors in the background."""
    import os

    from ...knowledge import ingest_paths

    def run() -> None:
        paths = [ws.settings.assistant_corpus_dir / "reports"]
        paths += [Path(p) for p in ws.settings.assistant_seed_paths.split(os.pathsep) if p.strip()]
        try:
            ingest_paths(ws.kb, [p for p in paths if p.exists()], on_regulation=ws.register_regulation)
            ws.kb.embed_pending()
        except Exception as exc:  # noqa: BLE001 - indexing must never stop the app
            print(f"知识库初始化未完成 / knowledge base indexing stopped: {exc}", flush=True)

    thread = threading.Thread(target=run, daemon=True, name="corpus-indexing")
    thread.start()
    return thread
