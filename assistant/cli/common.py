"""What the CLI's commands share: argument types, output-path checks, the workspace, progress bars."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import AssistantError


def hits_count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= 100:
        raise argparse.ArgumentTypeError(f"应为 1 到 100 之间的整数 / must be an integer from 1 to 100: {value}")
    return number


def check_output_path(path, suffixes: tuple[str, ...]) -> None:
    """Refuse an output file the command cannot write, before any work is done."""
    path = Path(path)
    if path.suffix.lower() not in suffixes:
        raise AssistantError(f"不支持输出为“{path.suffix or '无扩展名'}”文件：请用 {' / '.join(suffixes)}。",
                             f"Cannot write a '{path.suffix}' file; use {' / '.join(suffixes)}.")
    if not path.parent.exists():
        raise AssistantError(f"输出文件夹不存在：{path.parent}", f"The output folder does not exist: {path.parent}")


def workspace():
    from ..workspace import Workspace

    return Workspace()


def progress_bar():
    """A tqdm progress callback (on stderr) for ingest: one bar per phase."""
    from tqdm import tqdm

    state: dict = {"bar": None, "phase": None}

    def update(done: int, total: int, message: str) -> None:
        phase = message.split(" ", 1)[0]
        if state["phase"] != phase or state["bar"] is None:
            if state["bar"] is not None:
                state["bar"].close()
            state["bar"] = tqdm(total=total, desc=phase, unit="段" if phase.startswith("向量") else "个",
                                file=sys.stderr, dynamic_ncols=True, leave=True)
            state["phase"] = phase
        bar = state["bar"]
        bar.total = total
        bar.set_postfix_str(message.split(" ", 1)[-1][-40:], refresh=False)
        bar.update(max(0, done - bar.n))

    def close() -> None:
        if state["bar"] is not None:
            state["bar"].close()

    update.close = close  # type: ignore[attr-defined]
    return update
