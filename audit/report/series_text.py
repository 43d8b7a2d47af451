"""A series for people: the console summary and a Markdown summary for a review comment."""
from __future__ import annotations

from collections import Counter

from ..check.resolve import norm

MAX_ROWS = 50


def _release(result, index: int) -> str:
    return result.releases[index].name


def console(result, verbose: bool = False) -> str:
    """Releases in order, packs, what was matched to what, splits, restatements, every disagreement."""
    c = result.counts()
    out = ["releases, in the order of the periods they report:"]
    out += [f"  {r.index + 1}. {r.name}: {r.latest.label() if r.latest else 'no period read'}"
            + (f"; {r.filing.meta.issuer}" if r.filing.meta.issuer else "") for r in result.releases]
    out += list(result.packs)
    per_table = Counter(m.a.table for m in result.matches)
    if per_table:
        out.append("matched (a figure against its printing in the release before, for the same period):")
        for name, titles in result.tables:
            out.append(f"  {per_table[name]:5d}  {name}" + ("" if titles == (name,) else f"  <- {' | '.join(titles)}"))
    aliases = sorted({(m.a.figure.row, m.b.figure.row, m.a.label) for m in result.matches
                      if norm(m.a.figure.row or "") != norm(m.b.figure.row or "")})
    if aliases:
        out.append(f"rows matched under different labels ({len(aliases)}):")
        out += [f"  '{a}' = '{b}' (as {key})" for a, b, key in aliases[:MAX_ROWS if verbose else 10]]
    for s in result.splits:
        out.append(f"split {s.ratio} between {_release(result, s.earlier)} and {_release(result, s.later)} "
                   f"(from the {s.source}): {s.evidence}")
    for label, status in (("through a split", "split"), ("SIGN TURNED WITH THE LABEL", "sign"), ("RESTATED", "restated"),
                          ("DISAGREE", "mismatch")):
        shown = [m for m in result.matches if m.status == status]
        if shown and (verbose or status != "split"):
            out.append(f"{label} ({len(shown)}):")
            for m in shown[:MAX_ROWS]:
                out.append(f"  {m.how}: {m.note}" + (f" [{m.evidence}]" if m.evidence else ""))
        elif shown:
            out.append(f"{len(shown)} figure(s) agree through a split's ratio (-v lists them); e.g. {shown[0].note}")
    failed = [s for s in result.sums if s.failed]
    if failed:
        out.append(f"PERIOD SUMS THAT FAIL ({len(failed)}):")
        out += [f"  {s.total.title} / {s.total.row}: {s.note}" for s in failed[:MAX_ROWS]]
    restated_sums = [s for s in result.sums if s.status == "restated"]
    if restated_sums:
        out.append(f"RESTATED PERIOD SUMS ({len(restated_sums)}):")
        out += [f"  {s.total.title} / {s.total.row}: {s.note}" for s in restated_sums[:MAX_ROWS]]
    held = [s for s in result.sums if s.status == "pass"]
    if verbose:
        out += [f"  sum {s.status}: {s.total.row}: {s.note}" for s in held]
    if result.skips:
        out.append(f"not compared ({len(result.skips)}):")
        out += [f"  {s.reason} ({s.where})" for s in result.skips[:MAX_ROWS if verbose else 5]]
    out += [f"note: {n}" for n in result.notes]
    out.append(f"counts: {c['agree']} agree, {c['split']} through a split, {c['restated']} restated, "
               f"{c['mismatch']} disagree; sums {c['sum_pass']} held, {c['sum_fail']} failed")
    out.append(result.verdict_line())
    return "\n".join(out) + "\n"


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown(result, limit: int = MAX_ROWS) -> str:
    """Verdict, releases, splits, restatements and a table of every disagreement."""
    out = [f"### qfin-audit series: **{result.status.upper()}**", "", result.verdict_line(), "",
           "| # | release | reports | issuer |", "|---|---|---|---|"]
    out += [f"| {r.index + 1} | `{_cell(r.name)}` | {r.latest.label() if r.latest else ''} | "
            f"{_cell(r.filing.meta.issuer)} |" for r in result.releases]
    if result.splits:
        out += ["", "**Splits**", ""]
        out += [f"- {s.ratio} between `{_release(result, s.earlier)}` and `{_release(result, s.later)}` "
                f"(from the {s.source}): {_cell(s.evidence)}" for s in result.splits]
    problems = [m for m in result.matches if m.status in ("mismatch", "restated")]
    if problems:
        out += ["", "| status | row | period | earlier | later | note |", "|---|---|---|---|---|---|"]
        for m in problems[:limit]:
            out.append(f"| {m.status} | {_cell(m.a.row)} | {m.a.period.label()} {m.a.measure} | "
                       f"`{_cell(_release(result, m.a.release))}` {m.a.where} {m.a.figure.text} | "
                       f"`{_cell(_release(result, m.b.release))}` {m.b.where} {m.b.figure.text} | "
                       f"{_cell(m.evidence or m.note)} |")
        if len(problems) > limit:
            out.append(f"\n{len(problems) - limit} more in the JSON or HTML report.")
    failed = [s for s in result.sums if s.failed]
    if failed:
        out += ["", "**Period sums that fail**", ""]
        out += [f"- {_cell(s.total.row)}: {_cell(s.note)}" for s in failed[:limit]]
    return "\n".join(out) + "\n"
