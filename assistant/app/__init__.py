"""The web app: the store (reports, inputs, versions, chat), the Workbench every screen calls,
the chat, and the Gradio UI (`app.ui`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

_NAMES = {
    "Workbench": ".workbench",
    "Store": ".store",
    "ConflictError": ".store",
    "Version": ".store",
    "parse_intent": ".chat_intent",
    "Intent": ".chat_intent",
    "HEAD": ".sections",
    "TAIL": ".sections",
    "split_sections": ".sections",
    "splice": ".sections",
    "diff_html": ".diffs",
    "replacement": ".suggestions",
    "log_incident": ".incidents",
    "figure_answer": ".chat_facts",
    "validity_answer": ".chat_facts",
    "findings_summary": ".messages",
    "help_text": ".messages",
    "llm_howto": ".messages",
    "Reviewed": ".review",
    "review_files": ".review",
    "report_files": ".review",
    "inputs_beside": ".review",
    "write_review_xlsx": ".review",
}
__all__ = list(_NAMES)
__getattr__, __dir__ = lazy_names(__name__, _NAMES)

if TYPE_CHECKING:
    from .workbench import Workbench
    from .store import Store, ConflictError, Version
    from .chat_intent import parse_intent, Intent
    from .sections import HEAD, TAIL, split_sections, splice
    from .diffs import diff_html
    from .suggestions import replacement
    from .incidents import log_incident
    from .chat_facts import figure_answer, validity_answer
    from .messages import findings_summary, help_text, llm_howto
    from .review import Reviewed, review_files, report_files, inputs_beside, write_review_xlsx
