"""`python -m assistant …`: a thin shell over the library; every command is a library call.

Commands by stage: `knowledge` (ingest, search, docs, remove, article, embed, reindex),
`registry` (registry import-index/import-lawrefbook/show), `checking` (check, inputs),
`drafting` (draft)."""

from __future__ import annotations

import argparse
import os
import sys

from .. import privacy  # noqa: F401  (telemetry off before anything else is imported)
from ..errors import AssistantError, explain_exception, log_unexpected


def main(argv: list[str] | None = None) -> int:
    """Run one command. Every exception ends here as a message in Chinese and English that says
    what was being done and what to do; one nobody foresaw also has its traceback appended to
    <data dir>/logs/errors.log (ASSISTANT_DEBUG=1 shows it instead)."""
    argv = sys.argv[1:] if argv is None else argv
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
    except BrokenPipeError:  # the output was piped into a command that stopped reading (| head)
        sys.stderr.close()
        return 0
    except Exception as exc:  # noqa: BLE001 - the error boundary: a message, not a traceback
        if os.environ.get("ASSISTANT_DEBUG"):
            raise
        command = " ".join(argv)
        command = command if len(command) <= 80 else command[:79] + "…"
        step_zh, step_en = f"执行“python -m assistant {command}”", f"running `python -m assistant {command}`"
        log = log_unexpected(exc, step_en, _data_dir())
        print(explain_exception(exc, step_zh, step_en, log).text(), file=sys.stderr)
        return 2


def _data_dir():
    try:
        from ..settings import get_settings

        return get_settings().data_dir
    except Exception:  # noqa: BLE001 - settings that cannot be read: log next to the working folder
        return "data"


def build_parser() -> argparse.ArgumentParser:
    from . import checking, drafting, knowledge, registry

    p = argparse.ArgumentParser(prog="python -m assistant", description="法治政府建设年度报告起草助手")
    sub = p.add_subparsers(metavar="COMMAND")
    knowledge.register(sub)
    registry.register(sub)
    checking.register(sub)
    drafting.register(sub)
    return p
