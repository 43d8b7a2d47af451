"""The JSON writer's entries written straight from findings, on random values: byte for byte what
json.dumps writes of the entries built from the same findings (Interval.mid, scaleb)."""
from __future__ import annotations

import json
import random
from decimal import Decimal, InvalidOperation, getcontext

import pytest

from audit.check.findings import Display
from audit.check.interval import _UP, UP_ADD, UP_DIVIDE, Interval
from audit.check.messages import message
from audit.report.json import dumps, result_document


def _value(rng: random.Random) -> Decimal:
    if rng.random() < 0.08:
        return Decimal(rng.choice(["0", "-0", "0.000", "-0.0", "-0E+3", "0E-5"]))
    digits = rng.choice([1, 3, 6, 9, 12, 20, 28, 29, 35, 40])
    coefficient = rng.randint(0, 10 ** digits)
    return Decimal(rng.choice(["-", ""]) + str(coefficient)).scaleb(rng.randint(-30, 8), _UP)


def _interval(rng: random.Random):
    if rng.random() < 0.05:
        return None
    lo = _value(rng)
    kind = rng.random()
    if kind < 0.3:
        return Interval(lo, lo)
    if kind < 0.6:  # a printed figure's half unit either side
        half = Decimal(5).scaleb(rng.randint(-4, 4))
        return Interval(_UP.subtract(lo, half), _UP.add(lo, half))
    return Interval(lo, _UP.add(lo, abs(_value(rng))))


def _reference(doc, pretty: bool) -> str:
    if pretty:
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"


def _findings(clean_result, seed: int) -> tuple:
    rng = random.Random(seed)
    base = clean_result.findings
    displays = [None] + [Display(rng.choice([0, 3, 6, -2, 9]), rng.choice(["RMB", "%", "USD"]),
                                 rng.choice([-3, -2, -1, 0, 1, 2, 4])) for _ in range(8)]
    findings = []
    for _ in range(60):
        f = rng.choice(base)
        actual, expected = _interval(rng), _interval(rng)
        if actual is not None and rng.random() < 0.2:  # equal intervals, or equal midpoints
            expected = actual if rng.random() < 0.5 else Interval(_UP.subtract(actual.lo, Decimal(1)),
                                                                   _UP.add(actual.hi, Decimal(1)))
        display = rng.choice(displays)
        tolerance = rng.choice([None, None, None, Decimal(0), Decimal("-0"), _value(rng)])
        allowance = rng.choice([None, None, None, Decimal("-0"), _value(rng)])
        status = rng.choice(["pass", "pass", "fail", "skip"])
        try:
            text = message(f.rule, f.rule.check, status, f.column, f.row, actual, expected, display, tolerance,
                           f.op, allowance)
        except InvalidOperation:
            continue
        findings.append(f._replace(message=text, actual=actual, expected=expected, display=display,
                                   tolerance=tolerance, allowance=allowance, status=status,
                                   note=rng.choice([None, None, "a note"]), reason=rng.choice([None, None, "why"])))
    return tuple(findings)


@pytest.mark.parametrize("seed", range(8))
def test_random_findings_are_written_as_their_entries_read(clean_result, seed):
    for pretty in (True, False):
        # the same findings twice, so each side renders its own messages
        built = clean_result._replace(findings=_findings(clean_result, seed))
        written = clean_result._replace(findings=_findings(clean_result, seed))
        try:
            want = _reference(result_document(built), pretty)
        except InvalidOperation:  # a value with more digits than the context shows: so it is for both
            with pytest.raises(InvalidOperation):
                dumps(result_document(written), pretty=pretty)
            continue
        assert dumps(result_document(written), pretty=pretty) == want


def test_a_shift_by_multiplication_is_scaleb():
    """v * 10 ** shift is v.scaleb(shift), digit for digit and exponent for exponent, rounded alike
    where v has more digits than the context holds."""
    rng = random.Random(11)
    for _ in range(20000):
        value = _value(rng)
        shift = rng.choice([-9, -6, -3, -2, 0, 2, 3])
        assert str(value * Decimal(1).scaleb(shift)) == str(value.scaleb(shift)), (value, shift)
    assert getcontext().prec < 40  # (so the 40-digit values above are rounded)


def test_a_midpoint_halved_by_multiplication_is_interval_mid_s_value():
    rng = random.Random(12)
    half = Decimal("0.5")
    for _ in range(20000):
        iv = _interval(rng) or Interval(Decimal(0), Decimal(0))
        total = UP_ADD(iv.lo, iv.hi)
        by_half, mid = _UP.multiply(total, half), UP_DIVIDE(total, 2)
        assert by_half == mid and by_half.is_signed() == mid.is_signed(), (iv.lo, iv.hi)


def test_a_tolerance_is_shown_before_the_intervals(clean_result):
    """The first zero shown in a unit gives every zero after it its text: a tolerance of -0 shown before
    an interval's end 0 (as the entry's order has it) makes both '-0'."""
    f = next(f for f in clean_result.findings if f.status == "pass" and f.figures)
    display = Display(0, "RMB", 0)
    actual, expected = Interval(Decimal(0), Decimal(2)), Interval(Decimal(1), Decimal(3))
    for tolerance, allowance in ((Decimal("-0"), None), (None, Decimal("-0"))):
        text = message(f.rule, f.rule.check, "pass", f.column, f.row, actual, expected, display, tolerance, f.op,
                       allowance)
        g = f._replace(actual=actual, expected=expected, display=display, tolerance=tolerance, allowance=allowance,
                       message=text)
        result = clean_result._replace(findings=(g,))
        written = dumps(result_document(result), pretty=False)
        assert written == _reference(result_document(result), False)
        assert '"actual":["-0","2"]' in written


def test_a_rule_s_part_is_kept_for_its_rule_set_a_suggested_check_s_for_its_document(clean_result):
    """A rule set's rules are written once per process (per layout); a suggested check (run --auto,
    made for one filing) is written by each document and not kept after it."""
    import dataclasses

    from audit.report.json_findings import _RULES
    from audit.suggest import AUTO

    f = clean_result.findings[0]
    drafted = f._replace(rule=dataclasses.replace(f.rule, id=AUTO + "drafted"))
    result = clean_result._replace(findings=(f, drafted))
    for pretty in (True, False):
        assert dumps(result_document(result), pretty=pretty) == _reference(result_document(result), pretty)
        kept = _RULES[None if not pretty else "\n    "]
        assert kept[id(f.rule)][0] is f.rule
        assert all(not part[0].id.startswith(AUTO) for part in kept.values())


def test_many_shows_values_as_the_shower_shows_them_one_by_one():
    """shower(display).many(vs) is [show(v) for v in vs], zeros and all (the first zero's text for
    every zero after it), for every number of places (none, one, several, more than str() writes)."""
    from audit.report.json_values import shower

    rng = random.Random(13)
    for _ in range(3000):
        display = Display(rng.choice([0, 3, 6, -2, 9]), "RMB", rng.choice([-4, -3, -2, -1, 0, 1, 2, 4, 5, 6, 8]))
        values = [_value(rng) for _ in range(rng.randint(1, 8))]
        one_by_one, together = shower(display), shower(display)
        try:
            want = [one_by_one(v) for v in values]
        except InvalidOperation:
            with pytest.raises(InvalidOperation):
                together.many(values)
            continue
        assert together.many(values) == want, (display, values)
