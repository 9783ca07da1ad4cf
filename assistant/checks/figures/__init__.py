"""The figure checker: every number in the text traced to the structured inputs. `binding` ties
numbers to figures by their words; `check` reports mismatches and unsupported numbers;
`rates` (a rate against its counts), `totals` (parts after 其中), `year_over_year` and `lists`
(分别 lists) check the forms that
relate numbers to each other; `wording` writes a value in a mention's style."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...lazy import lazy_names

_NAMES = {
    "check_figures": ".check",
    "FigureBinder": ".binding",
    "Binding": ".binding",
    "grams": ".binding",
    "restate": ".wording",
    "expected_text": ".wording",
}
__all__ = list(_NAMES)
__getattr__, __dir__ = lazy_names(__name__, _NAMES)

if TYPE_CHECKING:
    from .check import check_figures
    from .binding import FigureBinder, Binding, grams
    from .wording import restate, expected_text
