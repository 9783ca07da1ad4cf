"""Drafting against the fixed outline: the offline drafter, the LLM drafter with its repair loop
(`service`), the LLM client and the prompt files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

_NAMES = {
    "DraftingService": ".service",
    "Draft": ".service",
    "Source": ".service",
    "ensure_heading": ".service",
    "write_draft": ".service",
    "REPAIRABLE": ".service",
    "OfflineDrafter": ".offline",
    "chinese_date": ".offline",
    "STALE": ".offline",
    "LLMClient": ".llm",
    "LLMResult": ".llm",
    "CONTINUE_PROMPT": ".llm",
    "render": ".prompts",
    "quote_data": ".prompts",
}
__all__ = list(_NAMES)
__getattr__, __dir__ = lazy_names(__name__, _NAMES)

if TYPE_CHECKING:
    from .service import DraftingService, Draft, Source, ensure_heading, write_draft, REPAIRABLE
    from .offline import OfflineDrafter, chinese_date, STALE
    from .llm import LLMClient, LLMResult, CONTINUE_PROMPT
    from .prompts import render, quote_data
