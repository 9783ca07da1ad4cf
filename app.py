"""Start the web app: `python app.py [--host H] [--port P]` (binds 127.0.0.1 by default)."""

import argparse
import sys

from assistant import privacy  # noqa: F401  (telemetry off before anything else is imported)
from assistant.errors import AssistantError


def main(argv: list[str] | None = None) -> int:
    from assistant.settings import get_settings

    settings = get_settings()
    parser = argparse.ArgumentParser(description="法治政府建设年度报告起草助手（网页版）")
    parser.add_argument("--host", default=settings.assistant_host, help="监听地址（默认 127.0.0.1，仅本机可访问）")
    parser.add_argument("--port", type=int, default=settings.assistant_port, help="端口（默认 7860）")
    args = parser.parse_args(argv)
    # Gradio copies files it serves into its temp dir: keep that under the data dir too
    import os

    os.environ.setdefault("GRADIO_TEMP_DIR", str(settings.ensure_data_dir().resolve() / "tmp"))
    try:
        from assistant.app import Workbench
        from assistant.app.ui import launch, start_background_indexing
        from assistant.workspace import Workspace

        ws = Workspace(settings)
        workbench = Workbench(ws)
        print(f"数据目录 / data dir: {ws.data_dir.resolve()}", flush=True)
        demo = launch(workbench, args.host, args.port, block=False)
        # index the sample corpus once the page is served, so start-up does not wait for it
        start_background_indexing(ws)
        demo.block_thread()
    except AssistantError as exc:
        print(exc.text(), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
