"""A draft's stream kept as it arrives, so that a crash or a kill mid-draft loses nothing the model
sent: the text is written to the store every quarter of a second while the model writes; at the next
start an unfinished stream is offered back (`recovered_text`), with the figure tags the model
wrote and nobody rendered marked 〔待补：数字〕 and its end marked 〔未写完〕.

The stream is what the model sent, request by request: a new part or subsection starts a new
piece; a repair round or a retry replaces the piece it redoes; a continuation is appended.
"""

from __future__ import annotations

import time

from ..checks import make_mark

FLUSH_SECONDS = 0.25


class StreamKeeper:
    """Collects a draft's tokens and status lines and keeps them in the store's `autosaves`."""

    def __init__(self, store, report_id: int, target: str, on_token=None, on_status=None) -> None:
        self.store = store
        self.id = store.start_autosave(report_id, target)
        self.pieces: list[str] = [""]
        self._on_token, self._on_status = on_token, on_status
        self._flushed = time.monotonic()

    def token(self, piece: str) -> None:
        self.pieces[-1] += piece
        if time.monotonic() - self._flushed >= FLUSH_SECONDS:
            self.flush()
        if self._on_token:
            self._on_token(piece)

    def status(self, line: str) -> None:
        if line.startswith("正在起草"):
            if self.pieces[-1].strip():
                self.pieces.append("")
        elif "次修改" in line or "重试" in line:
            self.pieces[-1] = ""  # the request is asked again: its answer replaces this piece
        if self._on_status:
            self._on_status(line)

    @property
    def text(self) -> str:
        return "\n".join(p.strip("\n") for p in self.pieces if p.strip())

    def flush(self) -> None:
        self._flushed = time.monotonic()
        self.store.update_autosave(self.id, self.text)

    def close(self, kept: bool) -> None:
        """`kept`: what arrived is in a saved version (or nothing arrived); otherwise it stays
        recoverable."""
        self.flush()
        self.store.close_autosave(self.id, "done" if kept or not self.text.strip() else "recoverable")


def recovered_text(stream: str) -> str:
    """A cut-off stream as a text a clerk can take over: unrendered figure tags marked, the end
    marked unfinished."""
    from ..drafting import TAG

    text = TAG.sub(make_mark("待补", "数字"), stream.strip("\n"))
    return text + make_mark("未写完")
