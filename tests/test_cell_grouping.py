"""cell_fields' reading of plain cells (digits, commas, a dot, parentheses) agrees with _PLAIN's
pattern on every such text up to 8 characters and on long grouped numbers."""
from __future__ import annotations

import itertools
import random
import re
from decimal import Decimal

from audit.read.numbers import MAX_DIGITS, NUMBER, cell_fields

_PLAIN = re.compile(rf"(\()?({NUMBER})(\))?")


def _expected(text: str):
    plain = _PLAIN.fullmatch(text.strip())
    if plain is None:
        return None
    opened, num, closed = plain.groups()
    if (opened is None) != (closed is None) or sum(ch.isdigit() for ch in num) > MAX_DIGITS:
        return None
    value = Decimal(num.replace(",", ""))
    decimals = len(num.partition(".")[2])
    return -value if opened else value, decimals, False, False, None, False, False


def _check(text: str) -> None:
    got, want = cell_fields(text), _expected(text)
    assert got == want, text
    if got is not None:
        assert str(got[0]) == str(want[0]), text  # the same exponent, not just the same value


def test_every_short_text_of_digits_commas_dots_and_parentheses():
    for size in range(1, 9):
        for chars in itertools.product("1,.()", repeat=size):
            _check("".join(chars))


def test_grouped_numbers_of_every_length():
    rng = random.Random(21)
    for _ in range(20000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 26)))
        grouped = f"{int(digits):,}" if rng.random() < 0.8 else digits
        if rng.random() < 0.3:  # a comma moved, added or dropped
            k = rng.randrange(len(grouped) + 1)
            grouped = grouped[:k] + rng.choice([",", ""]) + grouped[k + rng.randint(0, 1):]
        if rng.random() < 0.4:
            grouped += "." + "".join(rng.choice("0123456789") for _ in range(rng.randint(0, 4)))
        if rng.random() < 0.3:
            grouped = f"({grouped})"
        _check(grouped)
        _check(f" {grouped} ")


def test_a_cell_without_a_digit_reads_as_the_general_way_reads_it():
    from audit.read import numbers

    pieces = ["-", "\u2013", "\u2014", "\u2212", "--", "%", "Flat", "flat", "UNCHANGED", "Up", "down", "+", " ",
              "pts", "bp.", "percentage points", "(", ")", "$", "RMB", "Total", "equity’s", "\u00a0", "ſ"]
    rng = random.Random(21)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 5)))
        stripped = text.strip()
        if not stripped:
            want = None
        elif stripped in numbers.NIL_CELLS:
            want = numbers._NIL_FIELDS
        else:
            assert numbers._PLAIN.fullmatch(stripped) is None and numbers._CELL.match(stripped) is None
            want = numbers._read_change(stripped)
        assert cell_fields(text) == want, text


def test_a_text_points_reads_ends_with_one_of_its_words_or_is_not_ascii_there():
    from audit.read import numbers

    pieces = ["1", "2.5", "(3)", " ", "pts", "pt", "PTS.", "ppt", "pp", "bp", "bps.", "BP", "percentage points",
              "basis point", "Points", "x", ".", "s", "p", "t", "%", "\u017f", "\u0131", "\u0130", "\u212a",
              "P\u0130ONTS", "BASIS Po\u0131nt"]
    rng = random.Random(21)
    matched = 0
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 4))).strip()
        if text and numbers._POINTS.match(text):
            matched += 1
            tail = text[-7:]
            assert not tail.isascii() or tail.lower().rstrip(".").endswith(numbers._POINTS_WORDS), text
    assert matched > 1000


def test_a_dollar_or_percent_cell_reads_as_the_general_pattern_reads_it():
    from audit.read import numbers

    pieces = ["$", "%", " ", "  ", "(", ")", "-", "1", "12", "1,234", "12,345,678", "0.5", ".", ",", "x", "$1,2"]
    rng = random.Random(21)
    read = 0
    for _ in range(30000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 5))).strip()
        if not text or not (text[0] == "$" or text[-1] == "%") or numbers._DIGIT.search(text) is None:
            continue
        match = numbers._CELL.match(text)
        if match is None:
            want = numbers._read_change(text)
        else:
            opened, sign, cur, sign2, num, pct, closed, pct2 = match.groups()
            if bool(opened) != bool(closed) or numbers.too_long(num) or (sign and sign2):
                want = None
            else:
                value, decimals = numbers.to_decimal(num)
                negative = bool(opened) ^ bool(sign or sign2)
                want = (-value if negative else value, decimals, bool(pct or pct2), False,
                        numbers.currency_code(cur) if cur else None, False, False)
                read += 1
        got = cell_fields(text)
        assert got == want, text
        if got is not None:
            assert str(got[0]) == str(want[0]), text
    assert read > 300
