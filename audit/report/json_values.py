"""Values shown in a finding's printed unit, as the JSON document writes them (plain decimal text)."""
from __future__ import annotations

from decimal import Decimal

from ..read.numbers import plain


def display_value(value, display) -> str | None:
    """A base-unit Decimal shown in the finding's printed unit, as a plain decimal string."""
    if value is None:
        return None
    if display is None:
        return plain(value)
    decimals = display.decimals
    places = decimals + 2 if decimals > -2 else 0
    quantum = _QUANTA.get(places)
    if quantum is None:
        quantum = _QUANTA[places] = Decimal(1).scaleb(-places)
    text = format(value.scaleb(-display.scale).quantize(quantum), "f")
    if text in ("-0", "-0.0"):  # as plain() writes them
        return "0"
    if places:  # the text has a point (format "f" of a value quantized to places > 0)
        whole, _, frac = text.partition(".")
        frac = frac.rstrip("0").ljust(decimals, "0")
        text = f"{whole}.{frac}" if frac else whole
    return text


_QUANTA: dict[int, Decimal] = {}


def shower(display):
    """display_value(·, display) as a function of the value. Values equal to one shown before show
    as it did: plain() (display None) writes equal values apart by their exponents, so these are
    memoised by value; in a unit, equal values show alike but for zeros (-0 and 0), so only the
    first zero is kept, in the function's `zeros` (hashing a Decimal costs more than showing it).
    In a unit, the function's `shift` and `scaled` are the exponent shift to the unit and the
    function of a value shifted to the unit (not None) that shows it: show(v) is
    scaled(v.scaleb(shift)); `factor` is 10 ** shift (v * factor is v.scaleb(shift), faster), and
    `many` shows several values (not None) in one call: many(vs) is [scaled(v * factor) for v in vs].
    (Decimal arithmetic does not depend on the exponents: a midpoint or difference of values
    shifted is that of the values, shifted.)"""
    if display is None:
        memo: dict = {}

        def show_plain(value):
            if value is None:
                return None
            text = memo.get(value)
            if text is None:
                text = memo[value] = plain(value)
            return text
        show_plain.zeros = ()  # type: ignore[attr-defined]  # (its zeros are in the memo)
        show_plain.scaled = None  # type: ignore[attr-defined]
        return show_plain
    zeros: list[str] = []
    shift, decimals = -display.scale, display.decimals
    places = decimals + 2 if decimals > -2 else 0
    quantum = Decimal(1).scaleb(-places)
    text_of = str if places <= 6 else (lambda q: format(q, "f"))  # the same text while str() writes no exponent
    # the text has `places` digits after the point: at most two trailing zeros go (one and the point
    # when decimals is -1), with the point when no digit is left (decimals 0)
    one, two = (2, 2) if decimals == -1 else (1, 2 if decimals else 3)

    def zero(text: str) -> str:
        """A zero's text (text: the zero quantized), the first zero's for every zero after it."""
        if zeros:
            return zeros[0]
        if text == "-0" or text == "-0.0":  # as plain() writes them
            text = "0"
        elif places:
            text = text[:-two] if places > 1 and text[-2] == "0" else text[:-one]
        zeros.append(text)
        return text

    if places > 1:  # (most) the text has a point and two or more digits after it
        def scaled(value):
            text = text_of(value.quantize(quantum))
            if text[-1] != "0":  # (a zero's text, and every text trimmed below, ends in "0")
                return text
            if value:  # trailing zeros beyond the printed decimals go
                return text[:-two] if text[-2] == "0" else text[:-one]
            return zero(text)
    else:
        def scaled(value):
            text = text_of(value.quantize(quantum))
            if text[-1] != "0":
                return text
            if value:
                if text == "-0" or text == "-0.0":  # as plain() writes them (a small negative)
                    return "0"
                return text[:-one] if places else text  # (one digit after the point: it goes, and the point)
            return zero(text)

    factor = Decimal(1).scaleb(shift)
    if places > 1:
        def many(values) -> list[str]:  # (scaled, inlined)
            texts = []
            for value in values:
                text = text_of((value * factor).quantize(quantum))
                if text[-1] == "0":
                    text = (text[:-two] if text[-2] == "0" else text[:-one]) if value else zero(text)
                texts.append(text)
            return texts
    else:
        def many(values) -> list[str]:
            return [scaled(value * factor) for value in values]

    def show(value):
        return None if value is None else scaled(value.scaleb(shift))
    show.zeros = zeros  # type: ignore[attr-defined]
    show.scaled = scaled  # type: ignore[attr-defined]
    show.shift = shift  # type: ignore[attr-defined]
    show.factor = factor  # type: ignore[attr-defined]
    show.many = many  # type: ignore[attr-defined]
    return show
