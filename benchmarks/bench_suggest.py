"""Benchmark of `qfin-audit suggest` against truth files written by reading real releases.

    .venv/bin/python benchmarks/bench_suggest.py [--mutations N] [NAME ...]

Each benchmarks/suggest_truth/NAME.json lists the identities an expert reviewer would check in
one release of ../shared/filings/ (sums and differences, the same row in two places, EPS, US$
translation, prose restating a table). For each file it prints:

* recall: the share of those identities the drafted pack holds a rule for;
* precision: the share of drafted rules that are one of them;
* false failures: checks of the drafted pack that fail on the clean release it came from, and
  on the same issuer's other releases named in the truth file ("others");
* mutations: of N figures that a drafted rule reads (table cells and prose amounts; digits
  changed, or the sign flipped), the share the drafted pack catches with the changed figure as the
  top suspect;
* the search: candidates tried and seconds taken.

`--fixture N` also mutates N figures of the bundled Qifu fixture and compares what the hand-written
pack (rules/qfin) and the pack drafted from the clean fixture catch.

Targets: recall >= 90%, 0 false failures, the changed figure the top suspect in >= 90% of the
mutations of each release.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.diagnose import audit  # noqa: E402
from audit.read.extract import extract  # noqa: E402
from audit.read.source import read_text  # noqa: E402
from audit.suggest.compile import compile_files  # noqa: E402
from audit.suggest.draft import draft  # noqa: E402
from audit.suggest.model import label_key, row_key  # noqa: E402

TRUTH = ROOT / "benchmarks" / "suggest_truth"
RECALL, FALSE_FAILURES, TOP_SUSPECT = 0.90, 0, 0.90


def resolve(doc, spec: str) -> str:
    """A truth file's row, `table id | row`, as the key the drafted candidates carry. The row is
    its section path and label as read (lower case, footnote markers left out), or the end of
    that path, or its start and '...'; '#2' names the second such row."""
    table_id, _, want = spec.partition(" | ")
    table = next((t for t in doc.tables if t.id == table_id), None)
    if table is None:
        raise SystemExit(f"truth row {spec!r}: no table {table_id!r}")
    want, _, nth = want.partition(" #")
    rows = [r for r in table.rows if not r.is_header and (
        label_key(r.path) == want or label_key(r.path).endswith("/ " + want)
        or want.endswith("...") and label_key(r.label).startswith(want[:-3]))]
    if len(rows) > 1:
        rows = [r for r in rows if r.kind != "percent"] or rows  # growth-rate rows repeat the labels
    if len(rows) <= int(nth or 1) - 1 or (len(rows) > 1 and not nth):
        raise SystemExit(f"truth row {spec!r}: {len(rows)} rows match in {table_id}")
    return row_key(table, rows[int(nth or 1) - 1])


def truth_keys(truth: dict, doc) -> list[tuple[str, tuple]]:
    """(what, key) for each identity: keys in the form the drafted candidates carry."""
    out = []
    for item in truth["identities"]:
        kind, what = item["kind"], item.get("what", "")
        if kind == "usd":
            out.append((what or f"US$ translation of {item['table']}", ("usd", item["table"])))
        elif kind == "prose":
            out.append((what or f"prose at {item['at']}", ("prose", item["at"])))
        else:
            table = item.get("table")
            rows = [r if " | " in r else f"{table} | {r}" for r in item["rows"]]
            out.append((what or " = ".join(rows), ("rows", frozenset(resolve(doc, r) for r in rows))))
    return out


SAME = ("same", "cash")


def _classes(keys) -> dict:
    """Row keys joined by 'same' identities: row -> a representative of its class."""
    parent: dict = {}

    def root(x):
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for key in keys:
        if key[0] != "rows":
            continue
        rows = sorted(key[1])
        for row in rows[1:]:
            parent[root(row)] = root(rows[0])
    return {x: root(x) for x in list(parent) + [p for p in parent.values()]}


def _tied(classes: dict, key) -> bool:
    rows = list(key[1]) if key[0] == "rows" else []
    return len(rows) == 2 and rows[0] in classes and classes.get(rows[0]) == classes.get(rows[1])


def _alternatives(item: dict, doc) -> list:
    """Other rows that state the same identity (a table printing two rows of the same figures)."""
    table = item.get("table")
    return [("rows", frozenset(resolve(doc, r if " | " in r else f"{table} | {r}") for r in rows))
            for rows in item.get("alternatives", [])]


def load(name: str):
    return extract(read_text(str(ROOT / ".." / "shared" / "filings" / name)), f"../shared/filings/{name}")


def blocking(result) -> list:
    return [f for f in result.findings if f.blocking]


def mutate(raw: str, doc, fig, rng):
    """The file's text with one figure's digits changed or its sign flipped, in the file itself
    (the HTML markup or the text), where the figure was read; None when it cannot be found."""
    at = doc.source.index(fig.span) if doc.source is not None else None
    core = fig.text.strip("$()US\\ RMB")
    if at is None or not core:
        return None
    found = raw.find(core, at, at + 400)
    if found < 0:
        return None
    digits = [i for i, ch in enumerate(core) if ch.isdigit()]
    if rng.random() < 0.3 and fig.value > 0 and fig.table:  # prose says a sign in words, not brackets
        new = f"({core})"
    elif len(digits) >= 2 and core[digits[-1]] != core[digits[-2]]:
        i, j = digits[-2], digits[-1]
        new = core[:i] + core[j] + core[i + 1:j] + core[i] + core[j + 1:]
    else:
        i = digits[0]
        new = core[:i] + str(int(core[i]) % 9 + 1) + core[i + 1:]
    return raw[:found] + new + raw[found + len(core):]


def score(name: str, truth: dict, mutations: int) -> dict:
    doc = load(truth["filing"])
    began = time.perf_counter()
    drafted = draft(doc)
    seconds = time.perf_counter() - began
    found: dict = {}
    for c in drafted.candidates:
        for key in c.keys:
            found.setdefault(key, c)
    wanted = truth_keys(truth, doc)
    keys = {k for _, k in wanted}
    # 'the same figure' identities are tied transitively: a = b and b = c checks a = c
    linked, truly = _classes(k for c in drafted.candidates if c.kind in SAME for k in c.keys), \
        _classes(k for item, (_, k) in zip(truth["identities"], wanted) if item["kind"] in SAME)
    missed = [what for item, (what, k) in zip(truth["identities"], wanted)
              if k not in found and not (item["kind"] in SAME and _tied(linked, k))
              and not any(alt in found for alt in _alternatives(item, doc))]
    keys |= {alt for item in truth["identities"] for alt in _alternatives(item, doc)}
    scope = truth.get("tables")  # a truth file that reads only some tables scores only their rules
    scored = [c for c in drafted.candidates if not scope or c.kind == "prose" or all(
        row.split(" | ")[0] in scope for k in c.keys if k[0] == "rows" for row in k[1])]
    correct = sum(1 for c in scored if any(k in keys or (c.kind in SAME and _tied(truly, k)) for k in c.keys))
    ruleset = compile_files(drafted.files, "suggested")
    false = {truth["filing"]: len(blocking(audit(ruleset, doc)))}
    failing = []
    for other in truth.get("others", []):
        found_there = blocking(audit(ruleset, load(other)))
        false[other] = len(found_there)
        failing += [f"{other}: {f.rule.id} {f.column}: {f.message or f.reason}"[:160] for f in found_there]
    caught = tried = failed = 0
    escaped: list[str] = []
    if mutations:
        rng = random.Random(16)
        used = sorted({f.key: f for r in audit(ruleset, doc).findings if r.status == "pass"
                       for f in r.figures if (f.table or f.kind in ("amount", "per_share")) and not f.exact
                       and f.value != Decimal(0)}.values(),
                      key=lambda f: f.key)
        raw = read_text(str(ROOT / ".." / "shared" / "filings" / truth["filing"]))
        for fig in rng.sample(used, min(mutations, len(used))):
            text = mutate(raw, doc, fig, rng)
            if text is None:
                continue
            changed = extract(text, doc.path)
            result = audit(ruleset, changed)
            tried += 1
            top = result.suspects[0] if result.suspects else None
            failed += bool(blocking(result))
            if blocking(result) and top is not None and top.figure is not None and \
                    (top.figure.span.line, top.figure.span.col) == fig.key:
                caught += 1
            else:
                escaped.append(f"{fig.span} {fig.text!r} ({fig.row or 'prose'}): " + (
                    "not caught" if not blocking(result) else
                    f"top suspect {top.figure.span if top and top.figure else None} {top.figure.text if top and top.figure else ''}"))
    return {"name": name, "truth": len(wanted), "recalled": len(wanted) - len(missed), "missed": missed,
            "rules": len(scored), "correct": correct, "false": false, "failing": failing, "escaped": escaped, "mutations": (caught, tried), "failed": failed,
            "tried": drafted.tried, "seconds": seconds}


def fixture_comparison(count: int) -> None:
    """The bundled Qifu fixture: mutations caught by the hand-written pack and by the drafted one."""
    from audit.lang.cache import load_rules

    path = ROOT / "fixtures" / "qfin-2023q1-6k.txt"
    raw = read_text(str(path))
    doc = extract(raw, str(path))
    packs = {"hand-written rules/qfin": load_rules([str(ROOT / "rules" / "qfin")]),
             "suggested (run --auto)": compile_files(draft(doc).files, "suggested")}
    figures = [f for t in doc.tables for f in t.figures() if not f.exact and f.value != 0]
    figures += [f for f in doc.prose if f.kind == "amount" and f.value > 0 and f.unit in ("RMB", "USD")]
    rng = random.Random(16)
    sample = rng.sample(figures, min(count, len(figures)))
    tally = {name: [0, 0] for name in packs}
    only_hand = []
    tried = 0
    for fig in sample:
        text = mutate(raw, doc, fig, rng)
        if text is None:
            continue
        changed = extract(text, str(path))
        tried += 1
        for name, ruleset in packs.items():
            result = audit(ruleset, changed)
            caught = bool(blocking(result))
            top = result.suspects[0].figure if result.suspects else None
            tally[name][0] += caught
            tally[name][1] += caught and top is not None and (top.span.line, top.span.col) == fig.key
            if name.startswith("hand") and caught and not blocking(audit(packs["suggested (run --auto)"], changed)):
                only_hand.append(f"{fig.span} {fig.text} ({fig.row or fig.phrase or ''})"[:90])
    print(f"\nQifu fixture, {tried} mutated figures (table cells and prose amounts):")
    for name, (caught, top) in tally.items():
        print(f"  {name:<26} caught {caught}/{tried} ({caught / max(tried, 1):.0%}), changed figure the top suspect "
              f"in {top}/{tried}")
    for line in only_hand:
        print(f"  caught by the hand-written pack only: {line}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="truth files (default: all)")
    parser.add_argument("--mutations", type=int, default=20, help="mutated cells per release (0: none)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the identities missed")
    parser.add_argument("--fixture", type=int, default=0, metavar="N",
                        help="also mutate N figures of the Qifu fixture: hand-written pack against run --auto")
    args = parser.parse_args(argv)
    names = args.names or sorted(p.stem for p in TRUTH.glob("*.json"))
    rows = []
    for name in names:
        truth = json.loads((TRUTH / f"{name}.json").read_text(encoding="utf-8"))
        rows.append(score(name, truth, args.mutations))
    print(f"{'release':<12} {'recall':>15} {'precision':>15} {'false failures':>26} "
          f"{'mutations caught, top suspect':>30} {'candidates':>10} {'seconds':>8}")
    total_t = total_r = total_rules = total_c = 0
    ok = True
    pinned = []
    for r in rows:
        own = r["false"][next(iter(r["false"]))]
        others = sum(v for k, v in list(r["false"].items())[1:])
        caught, tried = r["mutations"]
        print(f"{r['name']:<12} {r['recalled']:>4}/{r['truth']:<4} {r['recalled'] / r['truth']:>5.0%} "
              f"{r['correct']:>4}/{r['rules']:<4} {r['correct'] / max(r['rules'], 1):>5.0%} "
              f"{own:>8} own, {others:>3} in {len(r['false']) - 1} other(s) "
              f"{r['failed']:>4}/{tried:<3} {r['failed'] / max(tried, 1):>4.0%} {caught:>4} {caught / max(tried, 1):>4.0%} "
              f"{r['tried']:>10} {r['seconds']:>8.2f}")
        if args.verbose:
            for what in r["missed"]:
                print(f"    missed: {what}")
        if args.verbose:
            for line in r["escaped"]:
                print(f"    mutation escaped: {line}")
        for line in r["failing"]:
            print(f"    fails in another release: {line}")
        total_t += r["truth"]
        total_r += r["recalled"]
        total_rules += r["rules"]
        total_c += r["correct"]
        ok = ok and own + others <= FALSE_FAILURES
        if tried:
            pinned.append(caught / tried)
    recall = total_r / max(total_t, 1)
    print(f"\nrecall {total_r}/{total_t} = {recall:.1%} (target >= {RECALL:.0%}: {'met' if recall >= RECALL else 'MISSED'}); "
          f"precision {total_c}/{total_rules} = {total_c / max(total_rules, 1):.1%}; "
          f"false failures: {'0 (target 0: met)' if ok else 'some (target 0: MISSED)'}"
          + (f"; changed figure the top suspect: {min(pinned):.0%} at least (target >= {TOP_SUSPECT:.0%} in each "
             f"release: {'met' if min(pinned) >= TOP_SUSPECT else 'MISSED'})" if pinned else ""))
    if args.fixture:
        fixture_comparison(args.fixture)
    return 0


if __name__ == "__main__":
    sys.exit(main())
