"""CLI commands of the checking and drafting stages: `check`, `inputs`, `draft`."""

from __future__ import annotations


def register(sub) -> None:
    pass
