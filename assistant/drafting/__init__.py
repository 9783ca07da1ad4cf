"""Drafting against the fixed outline: the offline drafter, the LLM drafter with its repair loop
(`service`), the answer's clean-up, figure tags and the final guard, the LLM client and the
prompt files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

_NAMES = {
    "DraftingService": ".service",
    "Draft": ".service",
    "Source": ".service",
    "ensure_heading": ".cleanup",
    "strip_trailing_chatter": ".cleanup",
    "write_draft": ".service",
    "repairable": ".service",
    "guard_text": ".guard",
    "guard_until_clean": ".guard",
    "GuardResult": ".guard",
    "unmarked": ".guard",
    "needs_mark": ".guard",
    "render_tags": ".figure_tags",
    "tag_figures": ".figure_tags",
    "carry_spans": ".figure_tags",
    "shift_spans": ".figure_tags",
    "apply_edits": ".figure_tags",
    "TAG": ".figure_tags",
    "parts_needing_attention": ".attention",
    "attention_text": ".attention",
    "needs_attention": ".attention",
    "OfflineDrafter": ".offline",
    "chinese_date": ".offline",
    "STALE": ".offline",
    "LLMClient": ".llm",
    "LLMResult": ".llm",
    "CONTINUE_PROMPT": ".llm",
    "merge_continuation": ".llm",
    "render": ".prompts",
    "quote_data": ".prompts",
    "quote_attr": ".prompts",
    "quote_inline": ".prompts",
    "mask_example": ".prompts",
}
__all__ = list(_NAMES)
__getattr__, __dir__ = lazy_names(__name__, _NAMES)

if TYPE_CHECKING:
    from .service import DraftingService, Draft, Source, write_draft, repairable
    from .cleanup import ensure_heading, strip_trailing_chatter
    from .guard import guard_text, guard_until_clean, GuardResult, unmarked, needs_mark
    from .figure_tags import render_tags, tag_figures, carry_spans, shift_spans, apply_edits, TAG
    from .attention import parts_needing_attention, attention_text, needs_attention
    from .offline import OfflineDrafter, chinese_date, STALE
    from .llm import LLMClient, LLMResult, CONTINUE_PROMPT, merge_continuation
    from .prompts import render, quote_data, quote_attr, quote_inline, mask_example
