"""Interval arithmetic: the true result of + - * / always lies inside the computed interval,
and equality means the intervals meet (XBRL Calculations 1.1, round-to-nearest)."""
from __future__ import annotations

from decimal import Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.check.interval import DivisionByZero, Interval, holds

values = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=3, allow_nan=False,
                     allow_infinity=False)
widths = st.decimals(min_value=Decimal(0), max_value=Decimal("1e3"), places=3)


@st.composite
def interval_and_point(draw):
    """An interval and a point inside it."""
    lo = draw(values)
    width = draw(widths)
    hi = lo + width
    frac = draw(st.decimals(min_value=Decimal(0), max_value=Decimal(1), places=4))
    return Interval(lo, hi), lo + width * frac


@settings(max_examples=300)
@given(interval_and_point(), interval_and_point())
def test_operations_contain_the_true_result(a, b):
    (ia, x), (ib, y) = a, b
    assert x + y in ia + ib
    assert x - y in ia - ib
    assert x * y in ia * ib
    if not (ib.lo <= 0 <= ib.hi):
        with localcontext() as ctx:
            ctx.prec = 80  # far finer than the interval's 40 digits, so it stands for x / y
            assert x / y in ia / ib
    assert -x in -ia
    assert abs(x) in abs(ia)


@settings(max_examples=200)
@given(interval_and_point(), interval_and_point())
def test_equality_holds_for_any_shared_point(a, b):
    (ia, x), (ib, _) = a, b
    # Shifting b so it contains x makes the two intervals meet.
    shifted = Interval(x - (ib.hi - ib.lo), x) if ib.hi - ib.lo else Interval(x, x)
    assert holds("=", ia, shifted)


@settings(max_examples=200)
@given(interval_and_point(), interval_and_point())
def test_comparisons_are_possible_satisfaction(a, b):
    (ia, x), (ib, y) = a, b
    if x < y:
        assert holds("<", ia, ib) and holds("<=", ia, ib)
    if x > y:
        assert holds(">", ia, ib) and holds(">=", ia, ib)
    if x == y:
        assert holds("=", ia, ib)


@given(st.decimals(min_value=Decimal("-1e6"), max_value=Decimal("1e6"), places=1), st.integers(0, 3),
       st.integers(-2, 9))
def test_printed_interval_is_half_a_unit_of_the_last_digit(value, decimals, scale):
    value = value.quantize(Decimal(1).scaleb(-decimals)) if decimals else value.to_integral_value()
    iv = Interval.printed(value, decimals, scale)
    half = Decimal(5).scaleb(-decimals - 1 + scale)
    assert iv.lo == value.scaleb(scale) - half
    assert iv.hi == value.scaleb(scale) + half


def test_printed_example_from_the_release():
    # "RMB3,599.2 million" stands for [3,599.15, 3,599.25] million.
    iv = Interval.printed(Decimal("3599.2"), 1, 6)
    assert (iv.lo, iv.hi) == (Decimal("3599150000"), Decimal("3599250000"))
    cell = Interval.printed(Decimal(3599174), 0, 3)  # the table's 3,599,174 thousand
    assert holds("=", iv, cell)
    assert not holds("=", Interval.printed(Decimal("3599.3"), 1, 6), cell)


def test_division_by_an_interval_containing_zero_raises():
    with pytest.raises(DivisionByZero):
        Interval.exact(Decimal(1)) / Interval(Decimal(-1), Decimal(1))
    with pytest.raises(DivisionByZero):
        Interval.exact(Decimal(1)) / Interval.exact(Decimal(0))


def test_directed_rounding_keeps_thirds_inside():
    third = Interval.exact(Decimal(1)) / Interval.exact(Decimal(3))
    assert third.lo < third.hi
    assert third.lo * 3 <= 1 <= third.hi * 3


def test_round_widen_hull():
    iv = Interval(Decimal("2.885"), Decimal("2.894"))
    assert iv.round(2) == Interval(Decimal("2.89"), Decimal("2.89"))
    assert iv.widen(Decimal("0.1")) == Interval(Decimal("2.785"), Decimal("2.994"))
    assert iv.hull(Interval(Decimal(3), Decimal(4))) == Interval(Decimal("2.885"), Decimal(4))


def test_ops_never_use_float():
    iv = Interval.printed(Decimal("0.1"), 1) + Interval.printed(Decimal("0.2"), 1)
    assert isinstance(iv.lo, Decimal) and isinstance(iv.hi, Decimal)
    assert (iv.lo, iv.hi) == (Decimal("0.20"), Decimal("0.40"))


def test_unknown_comparison_is_rejected():
    with pytest.raises(ValueError):
        holds("!=", Interval.exact(Decimal(1)), Interval.exact(Decimal(1)))


def _corners(x: Interval, y: Interval) -> tuple[str, str]:
    """The four-corner quotient as division computes it in general (min() and max() of the corners in
    this order keep the first of equal values), each end as written: '0.00' is not '0.000'."""
    from audit.check.interval import _DOWN, _UP

    corners = ((x.lo, y.lo), (x.lo, y.hi), (x.hi, y.lo), (x.hi, y.hi))
    return (str(min(_DOWN.divide(p, q) for p, q in corners)), str(max(_UP.divide(p, q) for p, q in corners)))


def _written(iv: Interval) -> tuple[str, str]:
    return str(iv.lo), str(iv.hi)


@settings(max_examples=500)
@given(interval_and_point(), interval_and_point())
def test_division_is_the_four_corner_quotient_as_written(a, b):
    """Division's shortcut for a divisor above zero and a dividend not below it gives the interval
    the four directed-rounding corner quotients give, each end written alike; so does the general case."""
    x, y = a[0], b[0]
    if not y.lo <= 0 <= y.hi:
        assert _written(x / y) == _corners(x, y)
    x = Interval(abs(x.lo), abs(x.lo) + x.width)  # the shortcut's case
    y = Interval(abs(y.lo) + Decimal("0.001"), abs(y.lo) + Decimal("0.001") + y.width)
    assert _written(x / y) == _corners(x, y)


def test_division_ends_as_written_where_corners_tie():
    cases = [(Interval.exact(Decimal("0.000")), Interval(Decimal("6.8675"), Decimal("6.867650"))),
             (Interval(Decimal("0"), Decimal("1")), Interval(Decimal("2"), Decimal("2.0"))),
             (Interval(Decimal("1"), Decimal("1.00")), Interval(Decimal("3"), Decimal("3.000"))),
             (Interval(Decimal("5"), Decimal("5.0")), Interval.exact(Decimal("4"))),
             (Interval(Decimal("0.0"), Decimal("0")), Interval(Decimal("0.50"), Decimal("0.5")))]
    for x, y in cases:
        assert _written(x / y) == _corners(x, y), (x, y)
