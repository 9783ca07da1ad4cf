"""A value written in the style of an existing mention: same numerals, approximation, multiplier
and unit ("5900余次" with 6137 → "6100余次"). The figure checks use it for suggestions, the
offline drafter to update last year's numbers."""

from __future__ import annotations

import re
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from ...inputs import Figure, Inputs
from ...numerals import int_to_cn
from ...units import PERCENT, split_unit
from ..quantities import Mention, round_step_of


def restate(m: Mention, text: str, value: Decimal, unit: str | None = None,
            approx_source: str | bool | None = None) -> str:
    """The mention's wording with `value` put in (same numerals, approximation, multiplier, unit).
    `approx_source`: how the value is approximate (余/近/约/以上, True = 余), for a mention that states
    an exact number: "416件" for 约420 becomes "约420件"."""
    source = "余" if approx_source is True else (approx_source or None)
    original = text[m.start:m.end]
    numeral = text[m.num_start:m.num_end]
    base_unit, scale = split_unit(m.unit)
    _, fig_scale = split_unit(unit) if unit else (None, Decimal(1))
    value_in_mention_unit = value * fig_scale / scale if unit else value
    multiplier = Decimal(1)
    if numeral.endswith(("万", "亿")) and not m.chinese:
        multiplier = Decimal(10) ** (4 if numeral.endswith("万") else 8)
    shown = value_in_mention_unit / multiplier
    decimals = decimals_of(numeral, m.chinese)
    drop_marker = False
    if m.approx == "above" or (source == "余" and m.approx is None):
        # "5900余次": floor to the significant digits of the original (at least two); "39.2万余" has three
        sig = max(2, _significant_digits(numeral))
        step = _sig_step(shown, sig, decimals)
        anchor = (shown / step).to_integral_value(rounding=ROUND_FLOOR) * step
        if anchor == shown and source is None and "以上" not in original:
            drop_marker = True  # an exact round value is not "X余"
        shown = anchor
        if shown > 0:
            decimals = max(0, min(decimals, sig - (shown.adjusted() + 1)))
    elif m.approx == "near":
        step = round_step_of(m.value / multiplier, Decimal(1), m.value / multiplier)
        shown = (shown / step).to_integral_value(rounding="ROUND_CEILING") * step
    elif m.approx == "about":  # "约5900次" → 6100 to the hundred, "约21.5%" to its decimal
        step = round_step_of(m.value / multiplier, Decimal(1).scaleb(-decimals), m.value / multiplier)
        shown = (shown / step).to_integral_value(rounding=ROUND_HALF_UP) * step
    if m.approx is None and multiplier > 1 and base_unit != PERCENT:
        # "13万卷" for 13000: the value needs its decimals in 万 ("1.3万卷"), whatever the wrong one had
        decimals = max(decimals, min(4, -shown.normalize().as_tuple().exponent))
    new_numeral = _write_number(shown, decimals, m.chinese) + ("万" if multiplier == 10 ** 4 else "亿" if multiplier == 10 ** 8 else "")
    rel = m.num_start - m.start
    replaced = original[:rel] + new_numeral + original[rel + len(numeral):]
    if drop_marker:
        replaced = re.sub(r"^(超过|逾|高于|多于)", "", replaced)
        replaced = replaced.replace(new_numeral + "余", new_numeral, 1).replace(new_numeral + "多", new_numeral, 1)
    if source and m.approx is None and base_unit != PERCENT:
        if source == "余":
            unit_at = replaced.find(m.unit, rel + len(new_numeral))
            if unit_at >= 0:
                replaced = replaced[:unit_at] + "余" + replaced[unit_at:]
        elif source in ("近", "约"):
            replaced = replaced[:rel] + source + replaced[rel:]
        elif source == "以上":
            replaced += "以上"
    return replaced


def _significant_digits(numeral: str) -> int:
    """Significant digits as written: "5900" → 2, "39.2" → 3, "1.2万" → 2."""
    core = re.sub(r"[^\d.]", "", numeral)
    if "." in core:
        return len(core.replace(".", "").lstrip("0")) or 1
    digits = core.lstrip("0")
    return len(digits.rstrip("0")) if digits else 1


def _sig_step(value: Decimal, sig: int, decimals: int) -> Decimal:
    """The unit of the `sig`-th significant digit of `value` (never finer than the decimals shown)."""
    if value <= 0:
        return Decimal(1).scaleb(-decimals)
    magnitude = value.adjusted()  # 5937 → 3
    return max(Decimal(1).scaleb(magnitude - sig + 1), Decimal(1).scaleb(-decimals))


def decimals_of(numeral: str, chinese: bool) -> int:
    core = numeral.rstrip("万亿")
    sep = "点" if chinese else "."
    return len(core.split(sep, 1)[1]) if sep in core else 0


def _write_number(value: Decimal, decimals: int, chinese: bool) -> str:
    quant = Decimal(1).scaleb(-decimals)
    value = value.quantize(quant, rounding=ROUND_HALF_UP)
    if chinese and decimals == 0 and 0 <= value < 10 ** 8:
        written = int_to_cn(int(value))
        return "两" if written == "二" else written
    return f"{value:f}"


def expected_text(fig: Figure, inputs: Inputs, m: Mention, text: str) -> str:
    """What the mention should say for the figure, in its own style where that style can say it."""
    value = inputs.value(fig.id)
    if (m.approx == "near" and fig.approx in ("余", "以上")) or (m.approx == "above" and fig.approx == "近"):
        return inputs.display(fig.id)  # "近3500份" cannot say what is "3500余份": the source's own wording
    return restate(m, text, value, fig.unit, approx_source=fig.approx)

