"""The engine end to end on the real fixture and variants of it."""
from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import RULES, replace_on_line

from audit.diagnose import audit
from audit.lang.grammar import parse
from audit.lang.graph import compile_rules
from audit.read.extract import extract


def findings(result, rule_id):
    return [f for f in result.findings if f.rule.id == rule_id]


def pack_with(extra: str):
    """The bundled pack plus one extra rule file."""
    files = [parse(p.read_text(encoding="utf-8"), str(p)) for p in sorted(RULES.glob("*.rules"))]
    return compile_rules(files + [parse(extra, "extra.rules")])


def test_clean_fixture_has_no_failures(clean_result):
    counts = clean_result.counts()
    assert counts["fail"] == 0 and counts["error"] == 0
    assert counts["pass"] > 300
    assert not clean_result.failed


def test_balance_sheet_balances_in_every_column_and_names_its_figures(clean_result):
    got = findings(clean_result, "BS-009")
    assert [f.column for f in got] == ["2022-12-31 RMB", "2023-03-31 RMB", "2023-03-31 USD"]
    for f in got:
        assert f.status == "pass"
        assert sorted(g.span.line for g in f.figures) == [284, 305]


def test_every_table_figure_is_checked(clean_result):
    cov = clean_result.coverage
    assert cov.table_total == 308 and cov.table_checked == 308


def test_cross_table_columns_align_by_period_and_currency(clean_result):
    begin = {f.column: f for f in findings(clean_result, "X-007")}
    ok = begin["3M to 2023-03-31 RMB"]
    assert ok.status == "pass"
    # the balance sheet's December 31, 2022 column (the start of the quarter)
    assert {(g.span.line, g.text) for g in ok.figures} >= {(262, "7,165,584"), (263, "3,346,779")}
    skipped = begin["3M to 2022-03-31 RMB"]
    assert skipped.status == "skip"
    assert "has no column for 2021-12-31 RMB" in skipped.reason


def test_rounding_order_is_noted_not_failed(clean_result):
    eps = {f.column: f for f in findings(clean_result, "EPS-005")}
    note = eps["3M to 2023-03-31 RMB"]
    assert note.status == "pass"
    assert "rounding order" in note.note and "5.7865" in note.note and "5.78" in note.note
    assert eps["3M to 2022-03-31 RMB"].note is None  # 7.5951 prints 7.60 either way


def test_usd_subtotal_allowance_comes_from_the_footing_rules(clean_result):
    usd_net_income = [f for f in findings(clean_result, "FX-001")
                      if f.row == "Net income" and f.figures[0].span.line == 340]
    [f] = usd_net_income
    assert f.status == "pass"
    # 20 rounded items under net income in the pack's footings: (20 - 1) half-units of a thousand
    assert f.allowance == Decimal("9500")
    assert "allowing 9.5" in f.message
    leaf = [f for f in findings(clean_result, "FX-001") if f.row.endswith("Cash and cash equivalents")]
    assert leaf and all(f.allowance is None for f in leaf)


def test_stated_tolerance_is_shown(clean_result):
    [f] = [f for f in findings(clean_result, "FX-003") if "financing" in f.row]
    assert f.tolerance == Decimal(1000) and "stated tolerance of 1" in f.message


def test_a_wrong_figure_fails_the_checks_that_use_it(ruleset, fixture_text):
    text = replace_on_line(fixture_text, 262, "5,128,335", "5,128,353")
    result = audit(ruleset, extract(text, "bad.txt"))
    failed = {f.rule.id for f in result.findings if f.status == "fail"}
    assert {"BS-001", "X-006", "FX-001"} <= failed
    for f in result.findings:
        if f.status == "fail":
            assert 262 in {g.span.line for g in f.figures}
    assert result.failed


def test_sign_of_a_negative_cell_matters(ruleset, fixture_text):
    text = replace_on_line(fixture_text, 330, "(2,236)", "2,236")
    result = audit(ruleset, extract(text, "bad.txt"))
    failed = {f.rule.id for f in result.findings if f.status == "fail"}
    assert "OPS-004" in failed and "NR-018" in failed


def test_ambiguous_label_is_an_error_never_a_guess(filing):
    rs = pack_with('rule T-1 "ambiguous": ops["Other services fees"] = 1\n')
    result = audit(rs, filing)
    got = findings(result, "T-1")
    assert got and all(f.status == "error" for f in got)
    assert "line 318" in got[0].reason and "line 322" in got[0].reason
    assert result.failed


def test_missing_label_is_skipped_with_a_reason(filing):
    rs = pack_with('rule T-1 "absent": ops["Goodwill impairment"] = 0\n')
    got = findings(audit(rs, filing), "T-1")
    assert got[0].status == "skip" and "no row \"Goodwill impairment\"" in got[0].reason


def test_division_by_zero_is_an_error_not_a_crash(filing):
    rs = pack_with('rule T-1 "div": ops["Net income"] = 1 / ops["Investment loss"]\n')
    got = {f.column: f for f in findings(audit(rs, filing), "T-1")}
    assert got["3M to 2023-03-31 RMB"].status == "error"
    assert "division by zero" in got["3M to 2023-03-31 RMB"].reason
    assert got["3M to 2022-03-31 RMB"].status == "fail"


def test_filing_without_tables_skips_table_rules(ruleset, fixture_text):
    prose_only = "\n".join(fixture_text.split("\n")[:180])
    result = audit(ruleset, extract(prose_only, "prose.txt"))
    bs = findings(result, "BS-001")
    assert bs and bs[0].status == "skip" and "no table titled" in bs[0].reason
    assert not result.failed


def test_narrative_tie_uses_the_sentence_precision(clean_result):
    got = [f for f in findings(clean_result, "NR-001") if f.status == "pass"]
    assert {f.column for f in got} == {"line 86 current RMB", "line 86 current USD", "line 86 same period 2022 RMB",
                                       "line 115 current RMB", "line 115 current USD",
                                       "line 115 same period 2022 RMB"}
    prior = [f for f in findings(clean_result, "NR-001") if f.status == "skip"]
    assert [f.column for f in prior] == ["line 115 prior quarter RMB"]


def test_reevaluate_with_a_corrected_figure(clean_result):
    from audit.check.interval import Interval

    bs = findings(clean_result, "BS-001")[0]
    fixed = clean_result.evaluator.reevaluate(bs.instance, {(262, 27): Interval.printed(Decimal(7165594), 0, 3)})
    assert fixed.status == "fail"
    again = clean_result.evaluator.reevaluate(bs.instance, {})
    assert again.status == "pass"


@pytest.mark.parametrize("rule_id", ["BS-001", "OPS-003", "CF-002", "CI-002", "REC-001", "EPS-001", "NR-023"])
def test_messages_show_the_operands(clean_result, rule_id):
    f = findings(clean_result, rule_id)[0]
    assert f.message and "within rounding" in f.message


def _same(a, b) -> bool:
    """Two evaluations agree: the same interval ends (and their digits) and the same figures, or the
    same exception with the same reason."""
    if isinstance(a, Exception) or isinstance(b, Exception):
        return type(a) is type(b) and str(a) == str(b)
    return (str(a.iv.lo), str(a.iv.hi)) == (str(b.iv.lo), str(b.iv.hi)) and a.figs == b.figs


def _evaluated(fn, *args):
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 (compared as a result)
        return exc


def test_compiled_rules_evaluate_as_the_tree_walk_does(clean_result):
    """Every side of every check, in every instance the audit evaluated, compiled and walked."""
    from audit.check.compiled import expr
    from audit.lang import nodes as n

    ev = clean_result.evaluator
    compared = 0
    for f in clean_result.findings:
        if f.instance is None:
            continue
        check = f.rule.check
        for option in check.options if isinstance(check, n.Either) else (check,):
            sides = (option.left, option.right) if isinstance(option, n.Compare) else (option.expr,)
            for side in sides:
                for node in n.walk(side):
                    walked = _evaluated(ev.eval, node, f.instance.ctx)
                    compiled = _evaluated(expr(node), ev, f.instance.ctx)
                    assert _same(walked, compiled), (f.rule.id, f.column, node)
                    compared += 1
    assert compared > 1000


def test_compiled_rules_hand_unknown_nodes_to_the_tree_walk():
    """A node type the compiler does not know (a new one, such as a later release's reference) is
    evaluated by Evaluator.eval, with the context it is given."""
    from dataclasses import dataclass

    from audit.check.compiled import expr
    from audit.check.findings import Ctx, Val
    from audit.check.interval import Interval
    from audit.lang import nodes as n

    @dataclass(frozen=True)
    class Later:
        value: Decimal

    class Walker:
        def eval(self, node, ctx):
            return Val(Interval.exact(node.value + (ctx.currency == "USD")), ())

    node = n.Binary("+", Later(Decimal(2)), n.Number(Decimal(3), "3", None), None)
    got = expr(node)(Walker(), Ctx(currency="USD"))
    assert got.iv == Interval.exact(Decimal(6)) and got.figs == ()


def test_what_if_reevaluation_reads_through_definitions(clean_result):
    """A figure replaced in a what-if evaluation reaches the checks that read it through a `let`
    (definitions are not cached during a what-if)."""
    from audit.check.interval import Interval

    fx = [f for f in findings(clean_result, "FX-001") if f.status == "pass"][0]
    rate = [g for g in fx.figures if g.kind == "rate"]
    assert rate, "FX-001 reads the stated rate through `let usd_rate`"
    moved = clean_result.evaluator.reevaluate(fx.instance, {rate[0].key: Interval.exact(Decimal(1))})
    assert moved.status == "fail"
    assert clean_result.evaluator.reevaluate(fx.instance, {}).status == "pass"


def _items_under_reference(parts, line) -> int:
    """Footings.items_under as it counted before counts were kept across calls."""
    memo: dict = {}

    def count(k, seen) -> int:
        if k in memo:
            return memo[k]
        children = parts.get(k)
        if not children or k in seen:
            return 1
        best = max(sum(count(c, seen | {k}) for c in group) for group in children)
        memo[k] = best
        return best
    return count(line, frozenset())


def test_footing_counts_kept_across_calls_are_those_of_each_call():
    """Rows below which no cycle lies keep their counts across calls; the others are counted per
    call, as before (a cycle cut depends on the path that reached it)."""
    import random

    from audit.check.footings import Footings

    rng = random.Random(21)
    for _ in range(300):
        nodes = range(rng.randint(2, 12))
        parts = {k: [[rng.choice(nodes) for _ in range(rng.randint(1, 3))] for _ in range(rng.randint(1, 2))]
                 for k in nodes if rng.random() < 0.7}
        footings = Footings((), None, ())
        footings._parts = parts
        order = list(nodes)
        rng.shuffle(order)
        for line in order:
            assert footings.items_under(line) == _items_under_reference(parts, line), (parts, line)


def test_an_audit_leaves_no_reference_cycles(ruleset, filing):
    """Nothing an audit makes waits for the cyclic GC (so engine.audit can pause it): its Evaluator,
    findings and caches are freed by reference counting."""
    import gc

    from audit.check.engine import audit as evaluate

    evaluate(ruleset, filing)
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        result = evaluate(ruleset, filing)
        [f.message for f in result.findings]
        del result
        gc.collect()
        left = [type(o).__name__ for o in gc.garbage]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert left == []


def test_a_finished_filing_is_not_held_by_the_process(ruleset, fixture_text):
    """Once a filing and its result are dropped, nothing the process keeps (such as the rows by
    label of each table) holds its tables: a batch worker's memory and collections stay those of
    one filing, however many it has audited."""
    import weakref

    from audit.check.engine import audit as evaluate

    filing = extract(fixture_text, "f.txt")
    result = evaluate(ruleset, filing)
    assert result.verdict.status == "pass"
    tables = [weakref.ref(t) for t in filing.tables]
    assert len(tables) >= 5
    del filing, result
    assert [t() for t in tables if t() is not None] == []


def test_gc_is_paused_during_an_audit_and_left_as_it_was():
    import gc

    from audit.check.engine import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def _fmt_reference(value, display, extra=2):
    """fmt() as it was written before its quanta and format specs were kept."""
    if value is None:
        return ""
    if display is None:
        return str(value)
    shown = value.scaleb(-display.scale)
    places = max(display.decimals + extra, 0)
    shown = shown.quantize(Decimal(1).scaleb(-places))
    text = f"{shown:,.{places}f}"
    if "." in text:
        whole, frac = text.split(".")
        frac = frac.rstrip("0")
        if len(frac) < display.decimals:
            frac = frac.ljust(display.decimals, "0")
        text = f"{whole}.{frac}" if frac else whole
    return text + ("%" if display.unit == "%" else "")


def test_fmt_writes_what_it_wrote():
    import random
    from decimal import InvalidOperation

    from audit.check.findings import Display, fmt

    rng = random.Random(6)
    for _ in range(20000):
        display = Display(rng.choice([0, 3, 6, -2, 9]), rng.choice(["RMB", "%", "USD", ""]),
                          rng.choice([-3, -2, -1, 0, 1, 2, 4, 6]))
        value = Decimal(rng.choice(["-", ""]) + str(rng.randint(0, 10 ** rng.randint(0, 12)))).scaleb(
            rng.randint(-12, 8))
        if rng.random() < 0.05:
            value = Decimal(rng.choice(["0", "-0", "0.000", "-0.0"]))
        extra = rng.choice([0, 1, 2])
        got = _evaluated(fmt, value, display, extra)
        want = _evaluated(_fmt_reference, value, display, extra)
        assert got == want or type(got) is type(want) is InvalidOperation, (value, display, extra)


def test_context_free_definitions_are_evaluated_once(ruleset):
    """A definition of numbers and stated facts only (usd_rate = fact("exchange_rate")) has one value
    per filing; one that reads a cell, a row or prose (or a definition that does) has one per column."""
    from audit.check.compiled import context_free

    free = {name for name, let in ruleset.lets.items() if context_free(let.expr, ruleset.lets)}
    assert "usd_rate" in free
    rs = pack_with('let k1 = 2 * usd_rate\nlet k2 = k1 + ops["Net income"]\n'
                   'rule T-1 "k": ops["Net income"] = k2 - k1 - 2 * usd_rate\n')
    assert context_free(rs.lets["k1"].expr, rs.lets) and not context_free(rs.lets["k2"].expr, rs.lets)


def test_compiled_caches_cleared_mid_audit_change_nothing(ruleset, filing, clean_result, monkeypatch):
    """The process-wide caches of compiled functions and row keys are bounded: cleared (here after
    every few entries, mid-audit), they only stop sharing, never mix two references up."""
    from audit.check import compiled
    from audit.diagnose import audit as run

    monkeypatch.setattr(compiled, "_LIMIT", 3)
    result = run(ruleset, filing)
    assert [(f.rule.id, f.column, f.status, f.message, f.figures) for f in result.findings] == \
        [(f.rule.id, f.column, f.status, f.message, f.figures) for f in clean_result.findings]


RECONCILIATION = """<html><body><p>Example Corp</p><p>Reconciliation of GAAP and Non-GAAP Results</p>
<p>(In thousands)</p><table>
<tr><td></td><td colspan="3">Three Months Ended March 31, 2024</td></tr>
<tr><td></td><td>GAAP</td><td>Adjustments</td><td>Non-GAAP</td></tr>
<tr><td>Revenue</td><td>1,000</td><td>50</td><td>1,050</td></tr>
<tr><td>Costs</td><td>400</td><td>(20)</td><td>380</td></tr>
<tr><td>Operating income</td><td>600</td><td>70</td><td>670</td></tr>
</table></body></html>"""


@pytest.mark.parametrize("printed, fails", [("670", []), ("680", ["3M to 2024-03-31 Non-GAAP"])])
def test_a_definition_reads_the_column_of_each_role(printed, fails):
    """Columns of one period and currency told apart by their role (GAAP, Adjustments, Non-GAAP):
    a definition's value in one is never reused in another (it was: 1,000 in all three, two false
    failures)."""
    filing = extract(RECONCILIATION.replace("670", printed), "recon.htm")
    rules = ('table r = "Reconciliation of GAAP and Non-GAAP Results"\nlet rev = r["Revenue"]\n'
             'rule R-1 "Operating income = revenue - costs":\n    r["Operating income"] = rev - r["Costs"]\n')
    findings = audit(compile_rules([parse(rules, "t.rules")]), filing).findings
    assert [f.column for f in findings if f.status == "fail"] == fails
    assert [[g.text for g in f.figures] for f in findings] == [
        ["600", "1,000", "400"], ["70", "50", "(20)"], [printed, "1,050", "380"]]
