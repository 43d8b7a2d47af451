"""The JSON writer: dumps() writes what json.dumps writes, byte for byte, and an audit document
whose findings are written straight from them reads as the plain dict it stands for."""
from __future__ import annotations

import copy
import json
import pickle

import pytest

from audit.diagnose import audit
from audit.report.json import dumps, result_document
from audit.report.json_text import Deferred


def _reference(doc, pretty: bool) -> str:
    if pretty:
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"


@pytest.mark.parametrize("pretty", [True, False])
def test_an_audit_document_is_written_as_json_dumps_writes_it(clean_result, pretty):
    written = dumps(result_document(clean_result), pretty=pretty)
    doc = result_document(clean_result)
    assert type(doc) is Deferred and doc.pending
    assert written == _reference(doc, pretty)  # json.dumps reads it, building its entries
    assert not doc.pending
    assert dumps(doc, pretty=pretty) == written  # and the built document is written the same


def test_findings_with_odd_text_are_written_as_json_dumps_writes_them(clean_result):
    """Escapes, non-ASCII text and empty values in a finding's fields."""
    odd = clean_result.findings[0]._replace(column='a "quoted"\tcolumn \u2014 \u00e9', row="back\\slash\n",
                                            note="", reason="\u2028 and \x00")
    skipped = [f for f in clean_result.findings if f.status == "skip"][:2]
    result = clean_result._replace(findings=(odd, *skipped, clean_result.findings[1]))
    for pretty in (True, False):
        assert dumps(result_document(result), pretty=pretty) == _reference(result_document(result), pretty)


def test_a_deferred_document_reads_as_a_dict_every_way(clean_result):
    plain = json.loads(dumps(result_document(clean_result)))

    def fresh():
        return result_document(clean_result)

    def call(**kwargs):
        return kwargs

    assert fresh()["results"] == plain["results"]
    assert fresh().get("results") == plain["results"]
    assert dict(fresh()) == plain and {**fresh()} == plain and call(**fresh()) == plain
    assert fresh() == plain and plain == fresh() and not (fresh() != plain)
    assert list(fresh().items()) == list(plain.items()) and list(fresh().values()) == list(plain.values())
    assert fresh().copy() == plain and copy.deepcopy(fresh()) == plain and copy.copy(fresh()) == plain
    assert pickle.loads(pickle.dumps(fresh())) == plain
    assert (fresh() | {"x": 1})["results"] == plain["results"]
    assert repr(fresh()) == repr(plain)
    changed = fresh()
    changed["results"] = []  # a write is kept: the entries are built before it, never over it
    assert changed["results"] == [] and json.loads(dumps(changed))["results"] == []
    popped = fresh()
    assert popped.pop("results") == plain["results"] and "results" not in popped


def test_an_audit_without_findings_writes_an_empty_list(ruleset, filing):
    result = audit(ruleset, filing)._replace(findings=())
    for pretty in (True, False):
        assert dumps(result_document(result), pretty=pretty) == _reference(result_document(result), pretty)


def test_values_are_shown_as_display_value_shows_them():
    """The shower of a unit (one function per display, str() where it writes what format() does)
    against display_value, on random values, places and units."""
    import random
    from decimal import Decimal, InvalidOperation

    from audit.check.findings import Display
    from audit.report.json_findings import _shower, display_value

    rng = random.Random(7)
    for _ in range(20000):
        display = Display(rng.choice([0, 3, 6, -2, 9]), rng.choice(["RMB", "%", ""]),
                          rng.choice([-4, -3, -2, -1, 0, 1, 2, 4, 5, 6, 8]))
        value = Decimal(rng.choice(["-", ""]) + str(rng.randint(0, 10 ** rng.randint(0, 14)))).scaleb(
            rng.randint(-14, 8))
        if rng.random() < 0.05:
            value = Decimal(rng.choice(["0", "-0", "0.000", "-0.0", "-0E+3"]))
        try:
            want = display_value(value, display)
        except InvalidOperation:  # more digits than the context holds: so it is for both
            with pytest.raises(InvalidOperation):
                _shower(display)(value)
            continue
        assert _shower(display)(value) == want, (value, display)


def test_a_shower_shows_a_value_equal_to_one_shown_before_as_it_did():
    """One shower per unit in a document: a run of values, zeros of both signs and equal values with
    other exponents among them, shows as display_value memoised by value showed it (the first of
    equal values gives the text: '-0' or '0', and plain()'s exponent)."""
    import random
    from decimal import Decimal, InvalidOperation

    from audit.check.findings import Display
    from audit.report.json_findings import _shower, display_value

    rng = random.Random(5)
    for _ in range(2000):
        display = rng.choice([None, Display(rng.choice([0, 3, 6, -2]), "RMB", rng.choice([-2, -1, 0, 1, 2, 5]))])
        show, memo = _shower(display), {}
        for _ in range(12):
            value = Decimal(rng.choice(["0", "-0", "0.00", "-0.0", "-0E+2", "1.50", "1.5", "-1.5E+3", "-1500",
                                        "0.0049", "-0.0049", "1234567.891"]))
            try:
                want = memo[value] if value in memo else memo.setdefault(value, display_value(value, display))
            except InvalidOperation:
                continue
            assert show(value) == want, (value, display)


def test_messages_written_from_the_shown_midpoints_are_those_rendered(ruleset, filing):
    """A passing check's message written from the JSON's midpoint texts (Message.shown) is the one
    render_message writes, for every finding of the fixture; the others are rendered as before."""
    rendered = [f.message for f in audit(ruleset, filing).findings]
    result = audit(ruleset, filing)
    dumps(result_document(result))  # renders the messages from the shown midpoints
    assert [f.message for f in result.findings] == rendered


def test_a_midpoint_of_zeros_keeps_fmt_s_sign():
    """'-0' (a small negative shown to no places) is what fmt() writes; the JSON shows '0'."""
    from decimal import Decimal

    from audit.check.findings import Display, Finding
    from audit.check.interval import Interval
    from audit.check.messages import Message, render_message
    from audit.lang import nodes as n

    rule = n.Rule("T-1", "t", n.Compare("=", n.Number(Decimal(0), "0", None), n.Number(Decimal(0), "0", None), None),
                  None)
    for lo, hi, decimals in (("-0.004", "-0.002", 0), ("-0.0004", "0", 2), ("1234.5", "1234.5", -3)):
        iv = Interval(Decimal(lo), Decimal(hi))
        f = Finding(rule, "x.rules", "pass", None, None, iv, iv, Display(0, "RMB", decimals), None, (), "")
        shown = _shown_text(iv.mid, f.display)
        assert Message(rule, f, rule.check).shown(shown, shown) == render_message(rule, f, rule.check)


def _shown_text(value, display):
    from audit.report.json_findings import display_value

    return display_value(value, display)


def test_a_figures_byte_offset_is_its_texts_utf8_length_before_it():
    import random

    from audit.read.filing import SourceMap, Span

    rng = random.Random(21)
    for size in (0, 511, 512, 1024, 1500, 3000):  # whole ASCII blocks, mixed ones, a last partial block
        data = "".join(rng.choice("ab\n" if i < 700 else "ab\n é€😀") for i in range(size))
        source = SourceMap(data)
        for number, line in enumerate(data.split("\n"), 1):
            for col in range(1, len(line) + 2):
                index = source.index(Span(number, col, col + 1))
                assert source.offset(Span(number, col, col + 1)) == len(data[:index].encode("utf-8"))
        assert source.offset(Span(data.count("\n") + 2, 1, 2)) is None


def test_the_writers_inlined_midpoint_is_interval_mid():
    import random
    from decimal import Decimal

    from audit.check.interval import UP_ADD, UP_DIVIDE, Interval

    rng = random.Random(7)
    for _ in range(500):
        lo = Decimal(rng.randint(-10**12, 10**12)).scaleb(rng.randint(-8, 4))
        iv = Interval(lo, lo + Decimal(rng.randint(0, 10**6)).scaleb(rng.randint(-6, 3)))
        assert str(UP_DIVIDE(UP_ADD(iv.lo, iv.hi), 2)) == str(iv.mid)


def test_a_shown_value_is_grouped_as_fmt_groups_it():
    import random

    from audit.check.messages import _grouped

    def reference(text):
        whole, point, frac = text.partition(".")
        if len(whole) < 4 and whole.lstrip("-").isdigit():
            return text
        sign, digits = ("-", whole[1:]) if whole[:1] == "-" else ("", whole)
        return f"{sign}{int(digits):,}{point}{frac}"

    rng = random.Random(5)
    texts = ["0", "-0", "-123", "-1234", "0123.4", "-0123.5", "999999.9", "1000000", "123456789", "1234567890",
             "-123456789.5", "1234567890123.5"]
    texts += [("-" if rng.random() < 0.3 else "") + str(rng.randint(0, 10 ** rng.randint(1, 12)))
              + (f".{rng.randint(0, 999)}" if rng.random() < 0.5 else "") for _ in range(5000)]
    for text in texts:
        assert _grouped(text) == reference(text), text
