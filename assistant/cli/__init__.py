"""`python -m assistant …`: a thin shell over the library; every command is a library call.

Commands by stage: `knowledge` (ingest, search, docs, remove, article, embed, reindex),
`registry` (registry import-index/import-lawrefbook/show), `checking` (check, inputs),
`drafting` (draft)."""

from __future__ import annotations

import argparse
import os
import sys

from .. import privacy  # noqa: F401  (telemetry off before anything else is imported)
from ..errors import AssistantError


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except AssistantError as exc:
        print(exc.text(), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已中断 / interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last resort: a message, not a traceback
        if os.environ.get("ASSISTANT_DEBUG"):
            raise
        print(f"内部错误：{type(exc).__name__}: {exc}\nInternal error: {type(exc).__name__}: {exc}\n"
              "设置 ASSISTANT_DEBUG=1 可显示详细信息 / set ASSISTANT_DEBUG=1 for the traceback.", file=sys.stderr)
        return 2


def build_parser() -> argparse.ArgumentParser:
    from . import checking, drafting, knowledge, registry

    p = argparse.ArgumentParser(prog="python -m assistant", description="法治政府建设年度报告起草助手")
    sub = p.add_subparsers(metavar="COMMAND")
    knowledge.register(sub)
    registry.register(sub)
    checking.register(sub)
    drafting.register(sub)
    return p
