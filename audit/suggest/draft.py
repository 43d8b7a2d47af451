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
from decimal import Decimal
from typing import NamedTuple

from ..read.filing import Filing
from .layout import Layout
from .links import Links
from .model import Candidate, Outcome, period_filter
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
    if c.kind in ("usd", "shares", "prose"):
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
    files["00-tables"] = head
    for c, rid in zip(cands, _ids(cands, names, prefix)):
        columns = " ".join(filter(None, (c.columns, period_filter(c.table) if c.kind != "prose" else "")))
        attrs = ((f" columns {columns}" if columns else "") + (f" tolerance {c.tolerance}" if c.tolerance else "")
                 + (" optional" if c.optional else ""))
        check = c.check.replace("usd_rate", names.prefix + "usd_rate").replace("ads_ratio", names.prefix + "ads_ratio")
        files.setdefault(_file(c, names), []).extend(
            [_comment(c), f"rule {rid} {quote(c.title)}{attrs}:", f"    {check}", ""])
    return OrderedDict((stem, "\n".join(lines).rstrip() + "\n") for stem, lines in files.items())


def confirm(filing: Filing, names: Names, cands: list[Candidate], folder: str) -> list[Candidate]:
    """Evaluate the candidates with the engine; keep those that hold where the search said."""
    from ..check.engine import audit
    from .compile import compile_files

    files = render(filing, names, cands, "C", header=False)
    ruleset = compile_files(files, folder)
    result = audit(ruleset, filing)
    by_id: dict[str, list] = {}
    for f in result.findings:
        by_id.setdefault(f.rule.id, []).append(f)
    kept = []
    for c, rid in zip(cands, _ids(cands, names, "C")):
        findings = by_id.get(rid, [])
        if any(f.status == "error" for f in findings):
            continue
        outcome = Outcome([f.column or "" for f in findings if f.status == "pass"],
                          [f.column or "" for f in findings if f.status == "fail"])
        c.optional = c.optional or any(f.status == "skip" and f.cause != "not applicable" for f in findings)
        searched, c.outcome = c.outcome, outcome
        if c.kind == "usd":
            small = [f for f in findings if f.status == "fail" and _gap(f) <= SLACK]
            if small:
                c.evidence += (f"; {len(small)} {'figure misses' if len(small) == 1 else 'figures miss'} by under "
                               f"{SLACK} units of the last digit: US$ translated before rounding")
                outcome = c.outcome = Outcome(outcome.held + [f.column or "" for f in small],
                                              [f.column or "" for f in findings if f.status == "fail" and _gap(f) > SLACK])
        if c.kind in ("usd", "shares"):
            ok = outcome.held and len(outcome.held) >= USD_SHARE * (len(outcome.held) + len(outcome.failed))
        elif c.kind == "prose":  # a sentence's words may name another period than read: all must hold
            ok = outcome.all
            own = [f for f in findings if f.figures and f.figures[0].key == c.lead]
            if not ok and own and all(f.status == "pass" for f in own):
                # the figure itself holds, a comparative after it does not: tie the figure alone
                c.check = c.check.replace("] restates ", "] = ", 1)
                c.keys = frozenset({("prose", f"{c.lead[0]}:{c.lead[1]}")})
                c.evidence += (f"; its comparatives are left out: {len(outcome.failed)} of them do not hold "
                               "in the column their words were read to name")
                c.outcome = outcome = Outcome([f.column or "" for f in own], [])
                ok = True
        else:  # or half the columns, where the search's layout evidence took it and the engine agrees
            ok = outcome.all or outcome.most or (outcome.half and bool(searched.failed)
                                                 and len(outcome.failed) <= len(searched.failed))
        if ok:
            kept.append(c)
    usd = [(c, by_id.get(rid, [])) for c, rid in zip(cands, _ids(cands, names, "C")) if c.kind == "usd" and c in kept]
    if any(f.status == "fail" and _gap(f) <= SLACK for _, findings in usd for f in findings):
        for c, findings in usd:  # the release translates unrounded amounts: every table may miss a little
            c.tolerance = _tolerance(findings)
            if "translated before rounding" not in c.evidence:
                c.evidence += f"; tolerance {SLACK} units: another table of this release misses by that much"
    return kept


SLACK = 2  # units of the last printed digit a US$ figure may miss by when translated before rounding


def _gap(f) -> Decimal:
    """How far a failed translation misses, in units of its figure's last printed digit."""
    a, e = f.actual, f.expected
    gap = max(a.lo - e.hi, e.lo - a.hi)
    fig = f.figures[0]
    return gap.scaleb(-fig.scale).scaleb(fig.decimals)


def _tolerance(findings) -> str:
    """SLACK units of the last printed digit of the rule's figures, in their printed unit."""
    decimals = max((f.figures[0].decimals for f in findings if f.figures), default=0)
    return str(Decimal(SLACK).scaleb(-decimals))


def draft(filing: Filing, prefix: str = "", folder: str = "suggested", header: bool = True,
          names_prefix: str = "") -> Draft:
    """Search the filing for identities, confirm them with the engine, and write the pack."""
    began = time.perf_counter()
    names = Names(filing, names_prefix)
    cands, tried = search(filing, names)
    kept = confirm(filing, names, cands, folder) if cands else []
    files = render(filing, names, kept, prefix, header)
    return Draft(files, kept, tried, time.perf_counter() - began, names.skipped)
