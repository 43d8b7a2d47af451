"""Rounding-aware interval arithmetic on Decimal (XBRL Calculations 1.1, round-to-nearest).

A figure printed with d decimals stands for [v - 0.5*10^-d, v + 0.5*10^-d]. Intervals
propagate through + - * / with outward (floor/ceiling) rounding, so the true result is
always inside; two intervals agree when they intersect.
"""
from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal, InvalidOperation

from ..read.numbers import half_unit

_DOWN = Context(prec=40, rounding=ROUND_FLOOR)
_UP = Context(prec=40, rounding=ROUND_CEILING)
_WIDE = Context(prec=100)  # for round(): a 40-digit value to 12 places
ZERO = Decimal(0)
_HALVES: dict[int, Decimal] = {}  # decimals -> half_unit(decimals)
UP_ADD, UP_DIVIDE = _UP.add, _UP.divide  # Interval.mid is UP_DIVIDE(UP_ADD(lo, hi), 2) (the JSON writer inlines it)


class DivisionByZero(ArithmeticError):
    """The divisor's interval contains zero."""


class Interval:
    """A closed interval [lo, hi] of Decimals."""

    __slots__ = ("lo", "hi")

    def __init__(self, lo: Decimal, hi: Decimal):
        self.lo = lo
        self.hi = hi

    @classmethod
    def exact(cls, value: Decimal) -> "Interval":
        return cls(value, value)

    @classmethod
    def printed(cls, value: Decimal, decimals: int, scale: int = 0) -> "Interval":
        """The interval a printed figure stands for, in base units (value * 10**scale)."""
        half = _HALVES.get(decimals)
        if half is None:
            half = _HALVES[decimals] = half_unit(decimals)
        return cls((value - half).scaleb(scale), (value + half).scaleb(scale))

    @property
    def mid(self) -> Decimal:
        return _UP.divide(_UP.add(self.lo, self.hi), 2)

    @property
    def width(self) -> Decimal:
        return _UP.subtract(self.hi, self.lo)

    def __add__(self, other: "Interval") -> "Interval":
        return Interval(_DOWN.add(self.lo, other.lo), _UP.add(self.hi, other.hi))

    def __sub__(self, other: "Interval") -> "Interval":
        return Interval(_DOWN.subtract(self.lo, other.hi), _UP.subtract(self.hi, other.lo))

    def __neg__(self) -> "Interval":
        return Interval(-self.hi, -self.lo)

    def __mul__(self, other: "Interval") -> "Interval":
        a, b, c, d = self.lo, self.hi, other.lo, other.hi
        if a >= 0 and c >= 0:
            return Interval(_DOWN.multiply(a, c), _UP.multiply(b, d))
        lows = (_DOWN.multiply(a, c), _DOWN.multiply(a, d), _DOWN.multiply(b, c), _DOWN.multiply(b, d))
        highs = (_UP.multiply(a, c), _UP.multiply(a, d), _UP.multiply(b, c), _UP.multiply(b, d))
        return Interval(min(lows), max(highs))

    def __truediv__(self, other: "Interval") -> "Interval":
        c, d = other.lo, other.hi
        if c <= 0 <= d:
            raise DivisionByZero("division by an amount that may be zero")
        a, b = self.lo, self.hi
        if c is d:  # an exact divisor (a stated rate): the corners below are (x, x, y, y), each computed once
            x, y = _DOWN.divide(a, c), _DOWN.divide(b, c)
            hx, hy = _UP.divide(a, c), _UP.divide(b, c)
            return Interval(x if x <= y else y, hx if hx >= hy else hy)  # (min() and max() keep the first)
        if c > 0 and a >= 0:  # (most) as below, from the corners that can be the ends: the least is a/d
            ac, ad = _DOWN.divide(a, c), _DOWN.divide(a, d)  # and the greatest b/c (rounding is monotone);
            lo = ac if ac == ad else ad  # min() and max() keep the first of equal values, as written here
            ac, ad, hi = _UP.divide(a, c), _UP.divide(a, d), _UP.divide(b, c)
            return Interval(lo, ac if ac == hi else ad if ad == hi else hi)
        lows = (_DOWN.divide(a, c), _DOWN.divide(a, d), _DOWN.divide(b, c), _DOWN.divide(b, d))
        highs = (_UP.divide(a, c), _UP.divide(a, d), _UP.divide(b, c), _UP.divide(b, d))
        return Interval(min(lows), max(highs))

    def __abs__(self) -> "Interval":
        if self.lo >= 0:
            return self
        if self.hi <= 0:
            return -self
        return Interval(ZERO, max(-self.lo, self.hi))

    def round(self, places: int) -> "Interval":
        """Round both ends half-up to `places` decimals (rounding is monotone)."""
        q = Decimal(1).scaleb(-places)
        try:
            return Interval(self.lo.quantize(q, ROUND_HALF_UP, _WIDE), self.hi.quantize(q, ROUND_HALF_UP, _WIDE))
        except InvalidOperation:  # over 100 digits: its 40 significant ones end far above the places asked
            return self

    def widen(self, amount: Decimal) -> "Interval":
        return Interval(_DOWN.subtract(self.lo, amount), _UP.add(self.hi, amount))

    def hull(self, other: "Interval") -> "Interval":
        return Interval(min(self.lo, other.lo), max(self.hi, other.hi))

    def intersects(self, other: "Interval") -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def __contains__(self, value: Decimal) -> bool:
        return self.lo <= value <= self.hi

    def __eq__(self, other) -> bool:
        return isinstance(other, Interval) and self.lo == other.lo and self.hi == other.hi

    def __hash__(self) -> int:
        return hash((self.lo, self.hi))

    def __repr__(self) -> str:
        return f"Interval({self.lo}, {self.hi})"


def minimum(a: Interval, b: Interval) -> Interval:
    return Interval(min(a.lo, b.lo), min(a.hi, b.hi))


def maximum(a: Interval, b: Interval) -> Interval:
    return Interval(max(a.lo, b.lo), max(a.hi, b.hi))


def holds(op: str, left: Interval, right: Interval) -> bool:
    """Could `left op right` be true for some values the printed figures stand for?"""
    if op == "=":
        return left.intersects(right)
    if op == "<":
        return left.lo < right.hi
    if op == "<=":
        return left.lo <= right.hi
    if op == ">":
        return left.hi > right.lo
    if op == ">=":
        return left.hi >= right.lo
    raise ValueError(f"unknown comparison {op!r}")
