"""The regulation registry: which documents exist, under which titles and short names, their
versions, 文号, dates and status, and whether a version is outdated as of a report"s year."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

_NAMES = {
    "Registry": ".lookup",
    "Resolution": ".lookup",
    "Entry": ".entries",
    "CURRENT": ".entries",
    "AMENDED": ".entries",
    "REPEALED": ".entries",
    "EXPIRED": ".entries",
    "STATUSES": ".entries",
    "BASE_HEADER": ".entries",
    "USER_HEADER": ".entries",
    "read_entries": ".entries",
    "write_entries": ".entries",
    "normalise_title": ".titles",
    "short_name": ".titles",
    "split_cited_version": ".titles",
    "misspelling_of": ".titles",
    "PRC": ".titles",
}
__all__ = list(_NAMES)
__getattr__, __dir__ = lazy_names(__name__, _NAMES)

if TYPE_CHECKING:
    from .lookup import Registry, Resolution
    from .entries import Entry, CURRENT, AMENDED, REPEALED, EXPIRED, STATUSES, BASE_HEADER, USER_HEADER, read_entries, write_entries
    from .titles import normalise_title, short_name, split_cited_version, misspelling_of, PRC
