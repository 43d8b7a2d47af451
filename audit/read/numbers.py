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


#: A cell of digits alone, in parentheses or not: read_cell reads it as _CELL would, faster.
_PLAIN = re.compile(rf"(\()?({NUMBER})(\))?")
_DIGIT = re.compile(r"\d")  # (as NUMBER's: any decimal digit)


#: A change as a comparison column prints it: "Up 34%", "Down 3.9 pts", "+5.2%", "(1.5)pts", "Flat".
_UP_DOWN = re.compile(r"^(up|down)\s+(\S.*)$", re.IGNORECASE)
_PLUS = re.compile(r"^\+\s*([^-+\u2212\u2013(].*)$")
_POINTS = re.compile(r"^(\S.*?)\s*(?:percentage\s+points?|pts?\.?|ppts?\.?|pp|(?P<bp>bps?\.?|basis\s+points?))$",
                     re.IGNORECASE)
_FLAT = frozenset({"flat", "unchanged"})
_POINTS_WORDS = ("pt", "pts", "pp", "bp", "bps", "point", "points")  # how its ASCII matches end, but a "."


@dataclass(frozen=True, slots=True)
class Printed:
    """A number read from its printed text: value (sign applied), decimals shown, and flags.

    A change in percentage points ("3.9 pts") is a percentage (``percent``) with ``points`` set; one
    in basis points ("(242) bp.", hundredths of a point) has ``basis`` set too.
    """

    value: Decimal
    decimals: int
    percent: bool = False
    nil: bool = False
    currency: Optional[str] = None
    points: bool = False
    basis: bool = False


#: Digits a figure may print (integer and decimals): more than this is not read as a figure, so
#: that values, scaled and rounded, stay within Decimal's 28-digit context (a 23-digit figure did not).
MAX_DIGITS = 20


def too_long(digits: str) -> bool:
    """More digits than MAX_DIGITS ('12,345,678,901,234,567,890,123')?"""
    return len(digits) > MAX_DIGITS and sum(ch.isdigit() for ch in digits) > MAX_DIGITS


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

    A change column's cells read as percentages: 'Up 34%' is 34%, 'Down 21%' -21%, '+5.2%' 5.2%,
    '(1.5)pts' -1.5 percentage points, 'Flat' (and '—%') a nil percentage.
    Returns None when the cell is not a number (a label, a date, empty).
    """
    found = cell_fields(text)
    return None if found is None else Printed(*found)


#: Where cell_fields puts each of Printed's fields.
VALUE, DECIMALS, PERCENT, NIL, CURRENCY, POINTS, BASIS = range(7)
_NIL_FIELDS = (Decimal(0), 0, False, True, None, False, False)
_NIL_CHANGE = (Decimal(0), 0, True, True, None, False, False)


def cell_fields(text: str) -> Optional[tuple]:
    """What read_cell reads, as the tuple of Printed's fields in order (value, decimals, percent,
    nil, currency, points, basis; index them with VALUE, DECIMALS, ...), or None."""
    text = text.strip()
    if not text:
        return None
    if text.isascii():  # "1,234", "(56.7)": most cells, read as _PLAIN reads them, without a pattern
        opened = text[0] == "(" and text[-1] == ")"
        num = text[1:-1] if opened else text
        whole, dot, fraction = num.partition(".")
        digits = _integer(whole)
        if digits is not None and (fraction.isdigit() or not dot):
            num = digits + dot + fraction
            if len(num) > MAX_DIGITS and too_long(num):
                return None
            value = Decimal(num)
            return -value if opened else value, len(fraction), False, False, None, False, False
        if text[0] == "$" or text[-1] == "%":  # "$ 12.5", "8.1%": read as _CELL reads them
            cur = text[0] == "$"
            found = _number(text[1:].lstrip() if cur else text[:-1].rstrip())
            if found is not None:
                return found[0], found[1], not cur, False, "USD" if cur else None, False, False
    if _DIGIT.search(text) is None:  # a label, a nil cell: only a nil reading needs no digit
        if text in NIL_CELLS:
            return _NIL_FIELDS
        if text.lower() in _FLAT or (text[-1] == "%" and text[:-1].strip() in NIL_CELLS):
            return _NIL_CHANGE
        return None
    plain = _PLAIN.fullmatch(text)  # "1,234", "(56.7)": most cells, read without the general pattern
    if plain is not None:
        opened, num, closed = plain.groups()
        if (opened is None) != (closed is None) or (len(num) > MAX_DIGITS and too_long(num)):
            return None
        value = Decimal(num.replace(",", "") if "," in num else num)
        dot = num.find(".")
        return (-value if opened else value, 0 if dot < 0 else len(num) - dot - 1, False, False, None, False, False)
    if text in NIL_CELLS:
        return _NIL_FIELDS
    match = _CELL.match(text)
    if not match:
        return _read_change(text)
    opened, sign, cur, sign2, num, pct, closed, pct2 = match.groups()
    if bool(opened) != bool(closed) or too_long(num):
        return None
    value, decimals = to_decimal(num)
    negative = bool(opened) ^ bool(sign or sign2)
    if sign and sign2:
        return None
    return (-value if negative else value, decimals, bool(pct or pct2), False, currency_code(cur) if cur else None,
            False, False)


def _number(num: str) -> Optional[tuple[Decimal, int]]:
    """An ASCII text that is NUMBER alone ("1,234.5") as (its value, its decimals), else None (also
    for more digits than MAX_DIGITS)."""
    whole, dot, fraction = num.partition(".")
    digits = _integer(whole)
    if digits is None:
        return None
    num = digits + dot + fraction
    if dot and not fraction.isdigit() or len(num) > MAX_DIGITS and too_long(num):
        return None
    return Decimal(num), len(fraction)


def _integer(whole: str) -> Optional[str]:
    """NUMBER's integer part ('7,165,584', '7165584') as its digits, else None: grouped, its commas
    stand at every fourth place from the end alone."""
    if "," not in whole:
        return whole if whole.isdigit() else None
    digits = whole.replace(",", "")
    size = len(whole)
    return digits if size % 4 and digits.isdigit() and whole[-4::-4] == "," * (size - len(digits)) else None


def _read_change(text: str) -> Optional[tuple]:
    """'Up 34%', 'Down 3.9 pts', '+5.2%', '(1.5)pts', 'Flat', '—%': a change, or None."""
    if text.lower() in _FLAT or (text[-1] == "%" and text[:-1].strip() in NIL_CELLS):
        return _NIL_CHANGE
    worded = _UP_DOWN.match(text)
    if worded:
        inner = cell_fields(worded.group(2))
        if inner is None or not inner[PERCENT] or inner[NIL] or inner[VALUE] < 0 or worded.group(2)[0] in "(+":
            return None
        down = worded.group(1).lower() == "down"
        return (-inner[VALUE] if down else inner[VALUE], inner[DECIMALS], True, False, None, inner[POINTS], False)
    plus = _PLUS.match(text)
    if plus:
        inner = cell_fields(plus.group(1))
        return None if inner is None or inner[NIL] else inner
    tail = text[-7:]  # (_POINTS' scan of a long label is slow: tried only where its unit can end the text)
    points = _POINTS.match(text) if not tail.isascii() or tail.lower().rstrip(".").endswith(_POINTS_WORDS) else None
    if points:
        inner = cell_fields(points.group(1))
        if inner is None or inner[NIL] or inner[PERCENT] or inner[CURRENCY]:
            return None
        return (inner[VALUE], inner[DECIMALS], True, False, None, True, bool(points.group("bp")))
    return None


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
