"""Unexpected errors, kept for whoever maintains the app: each is written with its traceback to
`logs/errors.log` under the data dir and given a short number that the clerk's message names."""

from __future__ import annotations

import secrets
import threading
import time
import traceback
from pathlib import Path

_LOCK = threading.Lock()
LOG_NAME = "errors.log"


def log_incident(data_dir: Path | str, step: str, exc: BaseException) -> str:
    """Append the exception to the error log; returns its number (e.g. "E-4F2A9C")."""
    number = "E-" + secrets.token_hex(3).upper()
    folder = Path(data_dir) / "logs"
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    entry = f"===== {time.strftime('%Y-%m-%d %H:%M:%S')} {number} 步骤/step: {step}\n{text}\n"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with _LOCK, open(folder / LOG_NAME, "a", encoding="utf-8") as log:
            log.write(entry)
    except OSError:
        print(entry, flush=True)  # the data dir cannot be written: the console still has it
    return number
