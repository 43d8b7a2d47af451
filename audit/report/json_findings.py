"""An audit document's finding entries: as dicts, and as the text dumps() writes of them, written
straight from the findings (values shown in a finding's unit; figures and rules written once)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from ..check.findings import _MESSAGE, Finding
from ..check.interval import _UP, UP_ADD, UP_DIVIDE
from ..check.messages import Message
from ..read.filing import Column, Figure, Filing
from ..suggest import is_suggested
from .json_text import _STR, Shared, scalar
from .json_values import display_value  # noqa: F401 (display_value: this module's API)
from .json_values import shower as _shower


class _Memo:
    """What one document's findings share: figure entries and texts, values shown in a unit, and
    each rule's part of an entry's text."""

    def __init__(self, filing: Optional[Filing]):
        source = filing.source if filing is not None else None
        # a figure's byte offset, as Filing.offset gives it (one call fewer): the one route to it here
        self.offset = source.offset if source is not None else _no_offset
        self.figures: dict[int, tuple] = {}  # id(figure) -> [figure, its fields, its entry]
        # display -> (fn(value) -> display_value(value, display), its unit's JSON text, its `many` or None)
        self.units: dict = {}
        self.labels: dict[int, tuple[Column, str]] = {}  # id(column) -> (column, its label)
        self.layouts: dict[Optional[str], _Layout] = {}  # nl -> what entries written at nl share

    def unit(self, display) -> tuple:
        """(fn(value) -> display_value(value, display), the unit's label as JSON text, the function's
        `many` (None without a unit)): equal displays share one memo of values, as (value, display)
        keyed it before."""
        found = self.units.get(display)
        if found is None:
            label, shown = display.label if display else None, _shower(display)
            found = self.units[display] = (shown, _STR(label) if type(label) is str else scalar(label, None),
                                           shown.many if shown.scaled is not None else None)
        return found

    def _figure(self, g: Figure) -> list:
        hit = self.figures.get(id(g))
        if hit is not None and hit[0] is g:
            return hit
        fields = (g.span.line, g.span.col, self.offset(g.span), g.text, str(g.value))  # (as figure_text's)
        if g.table:
            fields += (g.table, g.row, self._label(g.column) if g.column else None)
        hit = self.figures[id(g)] = [g, fields, None]
        return hit

    def _label(self, column: Column) -> str:
        hit = self.labels.get(id(column))
        if hit is None or hit[0] is not column:
            hit = self.labels[id(column)] = (column, column.label)
        return hit[1]

    def _label_text(self, column: Column, layout: "_Layout") -> tuple:
        """(column, a figure's text in a finding's entry at `layout` from "column" to its end, or None
        where the label is no string): kept in layout.labels, by id."""
        label, k = self._label(column), layout.figure_keys
        hit = layout.labels[id(column)] = (column, f"{k[7]}{_STR(label)}{k[8]}" if type(label) is str else None)
        return hit

    def figure(self, g: Figure) -> Shared:
        """A figure's entry (one per figure in a document)."""
        hit = self._figure(g)
        if hit[2] is None:
            hit[2] = Shared(zip(_FIGURE_KEYS, hit[1]))
        return hit[2]

    def figure_text(self, g: Figure, layout: "_Layout") -> str:
        """figure(g) as dumps() writes it in a finding's entry at `layout`, after the separator before
        it (kept in layout.figures, by id: the layout holds every figure it wrote)."""
        layout.held.append(g)
        span, j, k = g.span, layout.j, layout.figure_keys
        line, col, offset = span.line, span.col, self.offset(span)
        R, S, q = int.__repr__, _STR, scalar
        printed, value = g.text, str(g.value)  # (a Decimal's text: nothing JSON escapes; k[4] and k[5] quote it)
        table = g.table
        if type(line) is int and type(col) is int and type(offset) is int and type(printed) is str:
            # (most: exact ints and strings, written in one f-string; the general case below)
            if not table:
                text = layout.figures[id(g)] = f'{k[0]}{line}{k[1]}{col}{k[2]}{offset}{k[3]}{S(printed)}{k[4]}{value}{k[9]}'
                return text
            row, column = g.row, g.column
            if type(table) is str and type(row) is str and column:
                label = layout.labels.get(id(column))
                if label is None or label[0] is not column:
                    label = self._label_text(column, layout)
                if label[1] is not None:
                    text = layout.figures[id(g)] = (
                        f'{k[0]}{line}{k[1]}{col}{k[2]}{offset}{k[3]}{S(printed)}{k[4]}{value}'
                        f'{k[5]}{S(table)}{k[6]}{S(row)}{label[1]}')
                    return text
        body = (f'{k[0]}{R(line) if type(line) is int else q(line, j)}{k[1]}{R(col) if type(col) is int else q(col, j)}'
                f'{k[2]}{R(offset) if type(offset) is int else q(offset, j)}'
                f'{k[3]}{S(printed) if type(printed) is str else q(printed, j)}{k[4]}{value}')
        if not table:
            text = layout.figures[id(g)] = body + k[9]
            return text
        row, column = g.row, g.column
        label = self._label(column) if column else None
        text = layout.figures[id(g)] = (f'{body}{k[5]}{S(table) if type(table) is str else q(table, j)}'
                                        f'{k[6]}{S(row) if type(row) is str else q(row, j)}'
                                        f'{k[7]}{S(label) if type(label) is str else q(label, j)}{k[8]}')
        return text

    def layout(self, nl: Optional[str]) -> "_Layout":
        found = self.layouts.get(nl)
        if found is None:
            found = self.layouts[nl] = _Layout(nl)
        return found

    def entry(self, f) -> dict[str, Any]:
        return _entry(_values(f, self))

    def write(self, findings, nl: Optional[str], out: list[str], sep: str) -> None:
        """Append each finding's entry, _entry(_values(f, self)), to out as dumps() writes it where `nl`
        starts its lines (compact where nl is None), followed by sep: written from the finding, its values
        shown in the order _values shows them, its rule's part and its figures' texts made once per
        document (and appended as they are: the document's join copies them)."""
        layout = self.layouts.get(nl) or self.layout(nl)
        units, unit_of, rules, rule_part = self.units, self.unit, layout.rules, layout.rule
        figure_texts, make = layout.figures, self.figure_text
        add, divide = UP_ADD, UP_DIVIDE  # (Interval.mid, inlined)
        i1, S, q, t = layout.i1, _STR, scalar, layout.template
        fig_close, no_figures = layout.fig_close + sep, layout.no_figures + sep  # (an entry's end, and the separator)
        for f in findings:
            (rule, file, status, column, row, actual_iv, expected_iv, display, tolerance, figures, stored, reason,
             note, _, _, allowance, cause) = f  # (the fields of a Finding: _FIELDS)
            shown, unit, many = units.get(display) or unit_of(display)
            # shown values are plain decimals (digits, sign, point: nothing JSON escapes)
            if many is not None and actual_iv is not None and expected_iv is not None:
                # (most: in a unit, both intervals) the values shown by shown.many (each scaled(v * 10 ** shift),
                # in one call); the texts depend on the values only, not their exponents, so the midpoints are
                # halved by a multiplication (UP_DIVIDE's value, correctly rounded alike)
                lo, hi, e_lo, e_hi = actual_iv.lo, actual_iv.hi, expected_iv.lo, expected_iv.hi
                actual = _UP_MULTIPLY(add(lo, hi), _HALF)
                expected = _UP_MULTIPLY(add(e_lo, e_hi), _HALF)
                plain = tolerance is None and allowance is None
                if actual == expected:  # equal values show alike; their difference is a zero (shown as the first was)
                    if plain and lo == e_lo and hi == e_hi:  # (and equal intervals)
                        expected_text, difference, lo_text, hi_text = many((expected, actual - expected, lo, hi))
                        actual_text, e_lo_text, e_hi_text = expected_text, lo_text, hi_text
                    elif plain:
                        expected_text, difference, lo_text, hi_text, e_lo_text, e_hi_text = many(
                            (expected, actual - expected, lo, hi, e_lo, e_hi))
                        actual_text = expected_text
                    else:
                        expected_text, difference = many((expected, actual - expected))
                        actual_text = expected_text
                elif plain:
                    expected_text, actual_text, difference, lo_text, hi_text, e_lo_text, e_hi_text = many(
                        (expected, actual, actual - expected, lo, hi, e_lo, e_hi))
                else:
                    expected_text, actual_text, difference = many((expected, actual, actual - expected))
                if plain:
                    values = None
                else:  # a tolerance or allowance is shown before the intervals (as _values shows them)
                    values = _values_text(layout, shown, expected_text, actual_text, difference, tolerance, allowance)
                    lo_text, hi_text, e_lo_text, e_hi_text = many((lo, hi, e_lo, e_hi))
                pairs = None
            else:
                plain = False
                actual = divide(add(actual_iv.lo, actual_iv.hi), 2) if actual_iv is not None else None
                expected = divide(add(expected_iv.lo, expected_iv.hi), 2) if expected_iv is not None else None
                expected_text = shown(expected)
                if actual is None or expected is None:
                    actual_text, difference = shown(actual), None
                elif actual == expected:
                    actual_text = expected_text
                    zeros = shown.zeros
                    difference = zeros[0] if zeros else shown(actual - expected)
                else:
                    actual_text = shown(actual)
                    difference = shown(actual - expected)
                values = _values_text(layout, shown, expected_text, actual_text, difference, tolerance, allowance)
                p, k = layout.pair_keys, layout.keys
                a_pair = f"{p[0]}{shown(actual_iv.lo)}{p[1]}{shown(actual_iv.hi)}{p[2]}" if actual_iv else "null"
                e_pair = f"{p[0]}{shown(expected_iv.lo)}{p[1]}{shown(expected_iv.hi)}{p[2]}" if expected_iv else "null"
                pairs = f"{k[9]}{a_pair}{k[10]}{e_pair}{k[11]}"
            message = _STR(stored.shown(actual_text, expected_text) if type(stored) is Message else f.message)
            part = rules.get(id(rule))
            if part is None or part[0] is not rule or part[1] != file:
                part = rule_part(f)
            status = S(status) if type(status) is str else q(status, i1)
            column = S(column) if type(column) is str else q(column, i1)
            row = S(row) if type(row) is str else "null" if row is None else q(row, i1)
            if plain and reason is None and cause is None and note is None:
                # (most) the entry up to its figures in one template (the keys hold the quotes)
                head = (f'{part[2]}{t[0]}{status}{t[1]}{column}{t[2]}{row}{t[3]}{expected_text}{t[4]}{actual_text}'
                        f'{t[5]}{difference}{t[6]}{unit}{t[7]}{lo_text}{t[8]}{hi_text}{t[9]}{e_lo_text}{t[8]}'
                        f'{e_hi_text}{t[10]}{message}{t[11]}{part[4] if figures else part[3]}')
            else:
                if values is None:
                    values = _values_text(layout, shown, expected_text, actual_text, difference, None, None)
                if pairs is None:
                    p = layout.pairs
                    pairs = f"{p[0]}{lo_text}{p[1]}{hi_text}{p[2]}{e_lo_text}{p[1]}{e_hi_text}{p[3]}"
                k = layout.keys
                head = (f'{part[2]}{k[0]}{status}{k[1]}{column}{k[2]}{row}{values}{unit}{pairs}{message}'
                        f'{_notes(layout, reason, cause, note)}{part[4] if figures else part[3]}')
            # the entry's pieces, as they are (the document's join copies them once)
            if figures:  # each figure's text starts with the separator before it: the first's goes
                out.append(head)
                start = len(out)
                for g in figures:
                    out.append(figure_texts.get(id(g)) or make(g, layout))
                out[start] = out[start][1:]
                out.append(fig_close)
            else:
                out += (head, no_figures)


class _Layout:
    """What a document's finding entries written where `nl` starts their lines share: the
    indents, the keys between their values, and each rule's and figure's text."""

    def __init__(self, nl: Optional[str]):
        self.figures: dict[int, str] = {}  # id(figure) -> its text
        self.held: list[Figure] = []  # every figure in self.figures (so no other object takes its id)
        # id(rule) -> (rule, file, head, tail, tail with "["): kept for a rule set's rules while the process
        # lives (a batch writes them once), a suggested check's (run --auto: made for one filing) in self.own
        self.rules: dict[int, tuple] = _RULES.get(nl) or _RULES.setdefault(nl, {})
        if len(self.rules) > 5_000:  # (rule sets loaded one after another)
            self.rules.clear()
        self.own: dict[int, tuple] = {}
        self.labels: dict[int, tuple] = {}  # id(column) -> (column, a figure's text from its label on)
        if nl is None:
            self.i1 = self.i2 = self.i3 = self.j = None
            fk = [',{"line":'] + [f',"{name}":' for name in _FIGURE_KEYS[1:]] + ["}"]
            keys = [f',"{name}":' for name in _VALUE_KEYS]
            keys += [',"interval":{"actual":', ',"expected":', '},"message":', ',"reason":',
                     ',"cause":', ',"note":', "}"]
            self.fig_close = "]}"  # (the figures' list, and the entry)
            self.no_figures = "[]}"
            self.pair_keys = ('["', '","', '"]')  # an interval's two ends (shown values), as [lo, hi] is written
        else:
            i1 = self.i1 = nl + "  "
            i2 = self.i2 = i1 + "  "
            j = self.i3 = self.j = i2 + "  "  # (a figure's keys, and an interval's ends)
            fk = [f',{i2}{{{j}"line": '] + [f',{j}"{name}": ' for name in _FIGURE_KEYS[1:]] + [i2 + "}"]
            keys = [f',{i1}"{name}": ' for name in _VALUE_KEYS]
            keys += [f',{i1}"interval": {{{i2}"actual": ', f',{i2}"expected": ', f'{i1}}},{i1}"message": ',
                     f',{i1}"reason": ', f',{i1}"cause": ', f',{i1}"note": ', nl + "}"]
            self.fig_close = f"{i1}]{nl}}}"
            self.no_figures = f"[]{nl}}}"
            self.pair_keys = (f'[{j}"', f'",{j}"', f'"{i2}]')
        self.keys = tuple(keys)
        # a figure's keys (after the separator before it), the value's quotes in them: its end after a
        # table's figure's column (8), and after the value (9)
        self.figure_keys = (*fk[:4], fk[4] + '"', '"' + fk[5], fk[6], fk[7], fk[8], '"' + fk[8])
        # the keys from "expected" to "unit" where the midpoints and their difference are shown and
        # tolerance and allowance are null: with the quotes around the values
        self.values = (keys[3] + '"', '"' + keys[4] + '"', '"' + keys[5] + '"',
                       '"' + keys[6] + "null" + keys[7] + "null" + keys[8])
        p = self.pair_keys  # both intervals' pairs, from "interval" to "message"
        self.pairs = (keys[9] + p[0], p[1], p[2] + keys[10] + p[0], p[2] + keys[11])
        self.no_notes = f"{keys[12]}null{keys[13]}null{keys[14]}null"  # reason, cause and note null
        # the keys between an entry's values from "status" to "reason", all shown in a unit, tolerance and
        # allowance null (with the quotes around the values), the message and the null notes
        v = self.values
        self.template = (keys[0], keys[1], keys[2], *v, *self.pairs, self.no_notes)

    def rule(self, f) -> tuple:
        """(f.rule, f.file, the entry's text up to "status", its text from "rule" up to the figures,
        and the same with the figures' "[")."""
        rule, file, suggested = f.rule, f.file, is_suggested(f)  # (run --auto: a check drafted from the filing)
        found = self.own.get(id(rule))
        if found is not None and found[0] is rule and found[1] == file:
            return found
        i1, i2, q = self.i1, self.i2, scalar
        line = rule.span.line
        if i1 is None:
            line = int.__repr__(line) if type(line) is int else q(line, None)
            head = f'{{"id":{q(rule.id, None)},"title":{q(rule.title, None)},"severity":{q(rule.severity, None)}'
            tail = f',"rule":{{"file":{q(file, None)},"line":{line}}},' + (
                '"suggested":true,' if suggested else "") + '"figures":'
        else:
            line = int.__repr__(line) if type(line) is int else q(line, i2)
            head = (f'{{{i1}"id": {q(rule.id, i1)},{i1}"title": {q(rule.title, i1)},'
                    f'{i1}"severity": {q(rule.severity, i1)}')
            tail = f',{i1}"rule": {{{i2}"file": {q(file, i2)},{i2}"line": {line}{i1}}},' + (
                f'{i1}"suggested": true,' if suggested else "") + f'{i1}"figures": '
        found = (self.own if suggested else self.rules)[id(rule)] = (rule, file, head, tail, tail + "[")
        return found


_RULES: dict[Optional[str], dict[int, tuple]] = {}  # nl -> each rule's parts of an entry (_Layout.rules)


_UP_MULTIPLY, _HALF = _UP.multiply, Decimal("0.5")  # UP_DIVIDE(v, 2) is numerically _UP_MULTIPLY(v, _HALF)
_FIGURE_KEYS = ("line", "col", "offset", "text", "value", "table", "row", "column")
_FIELDS = ("rule", "file", "status", "column", "row", "actual", "expected", "display", "tolerance", "figures",
           "message", "reason", "note", "instance", "op", "allowance", "cause")
assert Finding._fields == _FIELDS, "Finding's fields moved: _Memo.write unpacks them in this order"
_VALUE_KEYS = ("status", "column", "row", "expected", "actual", "difference", "tolerance", "allowance", "unit")


def _values_text(layout: _Layout, shown, expected: Optional[str], actual: Optional[str], difference: Optional[str],
                 tolerance, allowance) -> str:
    """An entry's text from "expected" to "unit" (the midpoints' texts given; tolerance and allowance
    shown here, after them)."""
    if tolerance is None and allowance is None and difference is not None:  # (the keys hold the quotes)
        v = layout.values
        return f'{v[0]}{expected}{v[1]}{actual}{v[2]}{difference}{v[3]}'
    k = layout.keys
    tolerance = None if tolerance is None else shown(tolerance)
    allowance = None if allowance is None else shown(allowance)
    return (f"{k[3]}{_quoted(expected)}{k[4]}{_quoted(actual)}{k[5]}{_quoted(difference)}"
            f"{k[6]}{_quoted(tolerance)}{k[7]}{_quoted(allowance)}{k[8]}")


def _notes(layout: _Layout, reason, cause, note) -> str:
    """An entry's text from "reason" to "note"."""
    if reason is None and cause is None and note is None:  # (most)
        return layout.no_notes
    i1, S, q, k = layout.i1, _STR, scalar, layout.keys
    reason = S(reason) if type(reason) is str else "null" if reason is None else q(reason, i1)
    cause = S(cause) if type(cause) is str else "null" if cause is None else q(cause, i1)
    note = S(note) if type(note) is str else "null" if note is None else q(note, i1)
    return f"{k[12]}{reason}{k[13]}{cause}{k[14]}{note}"


def _quoted(text: Optional[str]) -> str:
    return "null" if text is None else f'"{text}"'


def _no_offset(span) -> None:
    return None


def _number(value, nl: Optional[str]) -> str:
    return int.__repr__(value) if type(value) is int else scalar(value, nl)


def finding_dict(f, filing: Optional[Filing] = None, memo: Optional[_Memo] = None) -> dict[str, Any]:
    return _entry(_values(f, memo or _Memo(filing)))


def _values(f, memo: _Memo) -> tuple:
    """What a finding's entry holds, in its order (interval and rule flattened; whether suggested)."""
    shown = memo.unit(f.display)[0]
    display = f.display
    unit = display.label if display else None
    actual_iv, expected_iv, tolerance, allowance = f.actual, f.expected, f.tolerance, f.allowance
    actual = actual_iv.mid if actual_iv is not None else None
    expected = expected_iv.mid if expected_iv is not None else None
    rule = f.rule
    # the values in the order the memo first meets them (equal values share the text first made)
    expected_text = shown(expected)
    actual_text = shown(actual)
    difference = shown(actual - expected) if actual is not None and expected is not None else None
    return (rule.id, rule.title, rule.severity, f.status, f.column, f.row, expected_text, actual_text, difference,
            shown(tolerance) if tolerance is not None else None, shown(allowance) if allowance is not None else None,
            unit, [shown(actual_iv.lo), shown(actual_iv.hi)] if actual_iv else None,
            [shown(expected_iv.lo), shown(expected_iv.hi)] if expected_iv else None,
            _message(f, actual_text, expected_text), f.reason, f.cause, f.note, f.file, rule.span.line,
            is_suggested(f),  # run --auto: a check drafted from the filing
            f.figures, memo)


def _message(f, actual: Optional[str], expected: Optional[str]) -> str:
    """f.message, a passing check's written from the midpoints as shown here (Message.shown)."""
    stored = tuple.__getitem__(f, _MESSAGE)
    return stored.shown(actual, expected) if type(stored) is Message else f.message


def _entry(v: tuple) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": v[0], "title": v[1], "severity": v[2], "status": v[3], "column": v[4], "row": v[5],
        "expected": v[6], "actual": v[7], "difference": v[8], "tolerance": v[9], "allowance": v[10],
        "unit": v[11], "interval": {"actual": v[12], "expected": v[13]},
        "message": v[14], "reason": v[15], "cause": v[16], "note": v[17],
        "rule": {"file": v[18], "line": v[19]},
    }
    if v[20]:
        out["suggested"] = True
    figure = v[22].figure
    out["figures"] = [figure(g) for g in v[21]]
    return out
