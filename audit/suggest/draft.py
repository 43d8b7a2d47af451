"""The drafted pack: search, confirm every candidate with the engine itself, write the rule text.

Confirmation compiles the candidates as rules and evaluates them on the filing: a candidate is
kept when the engine finds it holding where the search did (all columns, most of them, or half
for a total the layout vouches for); the comment above each rule gives the evidence, the columns
where it holds and where it fails.
"""
from __future__ import annotations

import re
import time
from collections import OrderedDict
from typing import NamedTuple, Optional

from ..read.filing import Filing
from .layout import Layout, short
from .links import Links
from .model import Candidate, Outcome, period_filter, row_key
from .names import Names, quote
from .prose import Prose

USD_SHARE = 0.9  # a translation rule is kept when it holds for this share of its rows and columns


class Draft(NamedTuple):
    """The drafted pack: rule files by name, the kept candidates, and what the search cost."""

    files: "OrderedDict[str, str]"
    candidates: list
    tried: int
    seconds: float
    skipped_tables: list


def search(filing: Filing, names: Names) -> tuple[list[Candidate], int]:
    found: list[Candidate] = []
    tried = 0
    for table in filing.tables:
        if names.name(table):
            layout = Layout(table, names)
            found.extend(layout.run())
            tried += layout.tried
    links = Links(filing, names)
    known = {key for c in found for key in c.keys}
    linked = [c for c in links.run() if not c.keys <= known]  # a row equal to the one row it foots
    found.extend(linked)
    prose = Prose(filing, names, classes([c for c in linked if c.kind == "same" and c.outcome.all]))
    found.extend(prose.run())
    return found, tried + links.tried + prose.tried


def classes(same: list[Candidate]) -> dict:
    """Rows tied by 'the same figure' identities, each mapped to one key of its class."""
    parent: dict = {}

    def root(key):
        while parent.get(key, key) != key:
            key = parent[key]
        return key

    for c in same:
        keys = sorted(k for _, group in c.keys for k in group)
        for key in keys[1:]:
            parent[root(key)] = root(keys[0])
    return {key: root(key) for key in parent} | {root(k): root(k) for k in parent}


def _file(c: Candidate, names: Names) -> str:
    return c.group or names.stem(c.table)


def _ids(cands: list[Candidate], names: Names, prefix: str) -> list[str]:
    counts: dict[str, int] = {}
    out = []
    for c in cands:
        stem = _file(c, names)
        code = {"cross_statement": "X", "narrative": "NR", "usd_translation": "FX"}.get(stem) or \
            re.sub(r"[^A-Z0-9]", "", (names.name(c.table) or "T").upper().removeprefix("AUTO_").replace("_", ""))
        counts[code] = counts.get(code, 0) + 1
        out.append(f"{prefix}{code}-{counts[code]:03d}")
    return out


def _comment(c: Candidate) -> str:
    o = c.outcome
    word = "certain" if c.certain and not o.failed else "guess"
    where = f"holds in {len(o.held)} of {len(o.held) + len(o.failed)}"
    if c.kind in ("usd", "shares", "prose", "roles"):
        where += " checks"
    else:
        where += f" columns ({', '.join(o.held)})" if len(o.held) <= 4 else " columns"
    if o.failed:
        where += f"; FAILS in {', '.join(sorted(set(o.failed))[:4])}"
    return f"# {word}: {c.evidence}; {where}"


def render(filing: Filing, names: Names, cands: list[Candidate], prefix: str, header: bool) -> "OrderedDict[str, str]":
    files: "OrderedDict[str, list[str]]" = OrderedDict()
    head = [f"# Drafted by `qfin-audit suggest` from {filing.path} (sha256 {filing.sha256[:16]}).",
            "# A start to review: each rule's comment says how it was found, where it holds, and whether",
            "# it is certain (a total's label, a whole section, the same label) or a guess.", ""]
    meta = filing.meta
    tests = [f"issuer = {quote(meta.issuer)}"] if meta.issuer else []
    tests += [f"ticker = {quote(meta.ticker)}"] if meta.ticker else []
    if header:
        pack = re.sub(r"[^a-z0-9_]", "_", (meta.ticker or meta.issuer.split(",")[0] or "drafted").lower()).strip("_")
        pack = pack if re.match(r"[a-z_]", pack) else f"p_{pack}"
        title = f"{meta.issuer or 'Filings like ' + filing.path} (drafted by qfin-audit suggest)"
        head.append(f"pack {pack} {quote(title)}" + (":\n    " + " or ".join(tests) if tests else ""))
        head.append("")
    head += names.declarations()
    for table, why in names.skipped:
        head.append(f"# not declared: '{table.title.strip()[:60]}' (line {table.span.line}): {why}")
    if "exchange_rate" in filing.facts:
        head.append(f"let {names.prefix}usd_rate = fact(\"exchange_rate\")")
    if "ads_ratio" in filing.facts:
        head.append(f"let {names.prefix}ads_ratio = fact(\"ads_ratio\")")
    elif names.ads_ratio is not None and any("ads_ratio" in c.check for c in cands):
        head.append(f"# {names.ads_ratio[1]}")
        head.append(f"let {names.prefix}ads_ratio = {names.ads_ratio[0]}")
    files["00-tables"] = head
    for c, rid in zip(cands, _ids(cands, names, prefix)):
        files.setdefault(_file(c, names), []).extend([_comment(c), *_rule(c, rid, names), ""])
    return OrderedDict((stem, "\n".join(lines).rstrip() + "\n") for stem, lines in files.items())


def _rule(c: Candidate, rid: str, names: Names) -> list[str]:
    """The candidate as a rule: its header line and its check."""
    columns = " ".join(filter(None, (c.columns, period_filter(c.table) if c.kind != "prose" else "")))
    attrs = (f" columns {columns}" if columns else "") + (" optional" if c.optional else "")
    check = c.check.replace("usd_rate", names.prefix + "usd_rate").replace("ads_ratio", names.prefix + "ads_ratio")
    return [f"rule {rid} {quote(c.title)}{attrs}:", f"    {check}"]


def _evaluate(filing: Filing, names: Names, cands: list[Candidate], memo) -> list[list]:
    """Each candidate's findings when the candidates run as one pack (each rule parsed once per
    confirmation, under an id of its own that stays the same from one evaluation to the next)."""
    from ..check.engine import audit

    head = render(filing, names, [c for c in cands if "ads_ratio" in c.check][:1], "C", header=False)["00-tables"]
    rids = [memo.rid(c) for c in cands]
    ruleset = memo.compile([("00-tables", head)] + [
        (_file(c, names), "\n".join(_rule(c, rid, names)) + "\n") for c, rid in zip(cands, rids)])
    by_id: dict[str, list] = {}
    for f in audit(ruleset, filing).findings:
        by_id.setdefault(f.rule.id, []).append(f)
    return [by_id.get(rid, []) for rid in rids]


def _keep(c: Candidate, findings: list) -> bool:
    """Does the engine find the candidate holding where the search did? (c's outcome is updated)"""
    if any(f.status == "error" for f in findings):
        return False
    outcome = Outcome([f.column or "" for f in findings if f.status == "pass"],
                      [f.column or "" for f in findings if f.status == "fail"])
    c.optional = c.optional or any(f.status == "skip" and f.cause != "not applicable" for f in findings)
    searched, c.outcome = c.outcome, outcome
    if c.kind in ("usd", "shares"):
        return bool(outcome.held) and len(outcome.held) >= USD_SHARE * (len(outcome.held) + len(outcome.failed))
    if c.kind in ("plug", "roles"):
        return outcome.all
    if c.kind == "prose":  # a sentence's words may name another period than read: all must hold
        own = [f for f in findings if f.figures and f.figures[0].key == c.lead]
        if not outcome.all and own and all(f.status == "pass" for f in own):
            # the figure itself holds, a comparative after it does not: tie the figure alone
            c.check = c.check.replace("] restates ", "] = ", 1)
            c.keys = frozenset({("prose", f"{c.lead[0]}:{c.lead[1]}")})
            c.evidence += (f"; its comparatives are left out: {len(outcome.failed)} of them do not hold "
                           "in the column their words were read to name")
            c.outcome = Outcome([f.column or "" for f in own], [])
            return True
        return outcome.all
    # or half the columns, where the search's layout evidence took it and the engine agrees
    return outcome.all or outcome.most or (outcome.half and bool(searched.failed)
                                           and len(outcome.failed) <= len(searched.failed))


def confirm(filing: Filing, names: Names, cands: list[Candidate], folder: str) -> list[Candidate]:
    """Evaluate the candidates with the engine; keep those that hold where the search said.

    A US$ item that misses RMB / rate is, in many releases, the row the issuer made the US$ column
    foot on (the US$ total is the RMB total translated; one item is that total less the other
    translated items). Where the footing holds in the US$ column, that item is stated as the total
    less the other items (a `plug` rule), and translate() then allows for the rounding of the items
    it is made of, as it does for a subtotal: no tolerance."""
    from .compile import Memo

    memo = Memo(folder)
    kept = [c for c, findings in zip(cands, _evaluate(filing, names, cands, memo)) if _keep(c, findings)]
    results = _evaluate(filing, names, kept, memo)  # the kept rules alone: translate()'s allowance is theirs
    plugs = _plugs(names, kept, results)
    if plugs:
        again = kept + [p for p, _ in plugs]
        found = dict(zip(map(id, again), _evaluate(filing, names, again, memo)))
        fixed = {key for p, rows in plugs if _keep(p, found[id(p)]) for key in rows}
        usable = [p for p, rows in plugs if rows & fixed]
        kept += usable
        if len(usable) == len(plugs):
            return [c for c in kept if _keep(c, found[id(c)])]
        results = _evaluate(filing, names, kept, memo)
    return [c for c, findings in zip(kept, results) if _keep(c, findings)]


def _plugs(names: Names, kept: list[Candidate], results: list) -> list:
    """(plug candidate, {row keys whose US$ translation it is for}) for each item a kept translation
    fails on, when a kept footing of its table has it as an item and holds in that US$ column."""
    footings = [c for c in kept if c.parts and all(s > 0 for s, _ in c.parts[1])]
    wanted: "OrderedDict[tuple, tuple]" = OrderedDict()
    for c, findings in zip(kept, results):
        if c.kind != "usd":
            continue
        for f in findings:
            row = f.instance.ctx.row if f.status == "fail" and f.instance is not None else None
            if row is None:
                continue
            homes = [h for h in footings if h.table is c.table and f.column in h.outcome.held
                     and any(r is row for _, r in h.parts[1])]
            if homes:
                home = min(homes, key=lambda h: len(h.parts[1]))
                wanted.setdefault((id(c.table), row.index), (c, home, row))
    out = []
    for key, (usd, home, row) in wanted.items():
        total, items = home.parts[0], [r for _, r in home.parts[1]]
        before = [r for r in items if r.index < row.index]
        after = [r for r in items if r.index > row.index]
        left, top = names.ref(usd.table, row), names.ref(usd.table, total)
        parts = [_sum(names, usd.table, run, total) for run in (before, after) if run]
        if left is None or top is None or None in parts:
            continue
        out.append((Candidate(
            kind="plug", table=usd.table, title=f"{short(row.label)} is {short(total.label, 50)} less the other items",
            check=f"{left} =\n        {top}" + "".join(f" - {p}" for p in parts),
            evidence=(f"its {usd.columns} figure misses the stated rate's translation: the release makes its "
                      f"{usd.columns} column foot on it (the total translated, less the other items translated), "
                      "so translate() allows for the rounding of those items"),
            certain=False, keys=frozenset({("rows", frozenset({row_key(usd.table, row), row_key(usd.table, total)}))}),
            columns=usd.columns), {key}))
    return out


def _sum(names: Names, table, rows: list, total) -> Optional[str]:
    """Rows as one term: a row, or a sum the engine reads as exactly these rows."""
    if len(rows) == 1:
        return names.ref(table, rows[0])
    return names.items(table, rows, total)


def draft(filing: Filing, prefix: str = "", folder: str = "suggested", header: bool = True,
          names_prefix: str = "") -> Draft:
    """Search the filing for identities, confirm them with the engine, and write the pack."""
    began = time.perf_counter()
    names = Names(filing, names_prefix)
    cands, tried = search(filing, names)
    kept = confirm(filing, names, cands, folder) if cands else []
    files = render(filing, names, kept, prefix, header)
    return Draft(files, kept, tried, time.perf_counter() - began, names.skipped)
