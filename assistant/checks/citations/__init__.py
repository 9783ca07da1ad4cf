"""The citation checker: `finder` reads 《titles》, versions, article references, aliases and
quotations; `check` verifies them against the registry and the regulation texts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...lazy import lazy_names

_NAMES = {
    "find_citations": ".finder",
    "find_titles": ".finder",
    "Citation": ".finder",
    "check_citations": ".check",
    "check_citation": ".check",
    "TextLookup": ".check",
}
__all__ = list(_NAMES)
__getattr__, __dir__ = lazy_names(__name__, _NAMES)

if TYPE_CHECKING:
    from .finder import find_citations, find_titles, Citation
    from .check import check_citations, check_citation, TextLookup
