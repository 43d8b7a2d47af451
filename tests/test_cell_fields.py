"""numbers.cell_fields reads a cell of digits alone ("1,234", "(56.7)") by a fast path (issue 21
speed): the same fields as the general cell pattern gives them, on random numbers, grouped or not,
in parentheses or not, too long or not; and read_cell is Printed of cell_fields."""
from __future__ import annotations

import random

from audit.read.numbers import _CELL, Printed, cell_fields, currency_code, read_cell, to_decimal, too_long


def _general(text: str):
    """The general pattern's reading of a cell (read_cell before the fast path)."""
    match = _CELL.match(text.strip())
    if not match:
        return None
    opened, sign, cur, sign2, num, pct, closed, pct2 = match.groups()
    if bool(opened) != bool(closed) or too_long(num) or (sign and sign2):
        return None
    value, decimals = to_decimal(num)
    negative = bool(opened) ^ bool(sign or sign2)
    return (-value if negative else value, decimals, bool(pct or pct2), False, currency_code(cur) if cur else None,
            False, False)


def _key(fields):
    return None if fields is None else (repr(fields[0]), *fields[1:])


def test_plain_digits_read_as_the_general_pattern_reads_them():
    rnd = random.Random(21)
    for _ in range(50000):
        digits = str(rnd.randint(0, 10 ** rnd.randint(1, 24)))
        text = f"{int(digits):,}" if rnd.random() < 0.5 else digits
        if rnd.random() < 0.3:
            text += "." + str(rnd.randint(0, 9999))
        if rnd.random() < 0.3:
            text = f"({text})"
        if rnd.random() < 0.1:
            text = text + ")" if rnd.random() < 0.5 else "(" + text
        if rnd.random() < 0.2:
            text = f" {text}\t"
        assert _key(cell_fields(text)) == _key(_general(text)), text


def test_read_cell_is_printed_of_cell_fields():
    for text in ("1,234", "(2,236)", "27.2%", "-", "Up 34%", "(1.5)pts", "(242) bp.", "RMB5.64", "Flat", "label", ""):
        fields = cell_fields(text)
        assert read_cell(text) == (None if fields is None else Printed(*fields)), text
