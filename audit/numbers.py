"""Reading printed numbers: separators, parentheses, dashes, percentages, scale words and signs."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

#: Characters printed as a minus sign: hyphen-minus, unicode minus, en dash.
MINUS_SIGNS = "-\u2212\u2013"
#: Cells that mean nil: a lone hyphen, en dash, em dash or unicode minus.
NIL_CELLS = frozenset({"-", "\u2013", "\u2014", "\u2212", "--"})

SCALE_WORDS = {
    "thousand": 3, "thousands": 3, "k": 3,
    "million": 6, "millions": 6, "mn": 6, "m": 6,
    "billion": 9, "billions": 9, "bn": 9, "b": 9,
    "trillion": 12, "trillions": 12,
}

#: A number as printed: thousands separators in groups of three, optional decimals.
NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"

_CELL = re.compile(
    rf"""^(?P<open>\()?\s*(?P<sign>[{MINUS_SIGNS}])?\s*(?P<cur>RMB|US\\?\$|HK\\?\$|\$|¥|€|£)?\s*
    (?P<sign2>[{MINUS_SIGNS}])?(?P<num>{NUMBER})\s*(?P<pct>%)?\s*(?P<close>\))?\s*(?P<pct2>%)?$""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Printed:
    """A number read from its printed text: value (sign applied), decimals shown, and flags."""

    value: Decimal
    decimals: int
    percent: bool = False
    nil: bool = False
    currency: Optional[str] = None


def to_decimal(digits: str) -> tuple[Decimal, int]:
    """'3,599.2' -> (Decimal('3599.2'), 1). Never goes through float."""
    plain = digits.replace(",", "")
    decimals = len(plain.split(".", 1)[1]) if "." in plain else 0
    return Decimal(plain), decimals


def currency_code(symbol: Optional[str]) -> Optional[str]:
    """Map a printed currency marker to an ISO-like code."""
    if not symbol:
        return None
    symbol = symbol.replace("\\", "").strip()
    return {"RMB": "RMB", "US$": "USD", "USD": "USD", "$": "USD", "HK$": "HKD",
            "¥": "RMB", "€": "EUR", "£": "GBP", "CNY": "RMB"}.get(symbol, symbol)


def read_cell(text: str) -> Optional[Printed]:
    """Read a table cell: '(2,236)' is -2236, '-' is nil, '27.2%' is a percentage.

    Returns None when the cell is not a number (a label, a date, empty).
    """
    text = text.strip()
    if not text:
        return None
    if text in NIL_CELLS:
        return Printed(Decimal(0), 0, nil=True)
    match = _CELL.match(text)
    if not match:
        return None
    if bool(match["open"]) != bool(match["close"]):
        return None
    value, decimals = to_decimal(match["num"])
    negative = bool(match["open"]) ^ bool(match["sign"] or match["sign2"])
    if match["sign"] and match["sign2"]:
        return None
    return Printed(
        -value if negative else value,
        decimals,
        percent=bool(match["pct"] or match["pct2"]),
        currency=currency_code(match["cur"]),
    )


@functools.lru_cache(maxsize=64)
def half_unit(decimals: int) -> Decimal:
    """Half of the last printed digit: 1 decimal -> 0.05."""
    return Decimal(5).scaleb(-decimals - 1)


def plain(value: Optional[Decimal]) -> Optional[str]:
    """A Decimal as a plain string for JSON: no exponent, and never '-0'."""
    if value is None:
        return None
    text = format(value, "f")
    return "0" if text in ("-0", "-0.0") else text


#: Typographic characters and their plain forms, for matching what a reader sees.
PLAIN_PAIRS = (("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'"), ("–", "-"), ("—", "-"), ("\u2212", "-"),
               ("\u00a0", " "))


def plain_text(text: str) -> str:
    """Curly quotes, dashes, the minus sign and no-break spaces as plain characters."""
    for fancy, simple in PLAIN_PAIRS:
        if fancy in text:
            text = text.replace(fancy, simple)
    return text
