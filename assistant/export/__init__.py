"""Export: the report as a Word file in the GB/T 9704 layout (with review comments) or Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

_NAMES = {
    "export_docx": ".word",
    "DocComment": ".word",
    "export_markdown": ".markdown",
    "review_comments": ".comments",
    "mark_comments": ".comments",
    "finding_comments": ".comments",
    "finding_note": ".comments",
    "report_lines": ".lines",
    "Line": ".lines",
    "Kind": ".lines",
}
__all__ = list(_NAMES)
__getattr__, __dir__ = lazy_names(__name__, _NAMES)

if TYPE_CHECKING:
    from .word import export_docx, DocComment
    from .markdown import export_markdown
    from .comments import review_comments, mark_comments, finding_comments, finding_note
    from .lines import report_lines, Line, Kind
