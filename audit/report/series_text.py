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
    out += rule_lines(result, verbose)
    if result.skips:
        out.append(f"not compared ({len(result.skips)}):")
        out += [f"  {s.reason} ({s.where})" for s in result.skips[:MAX_ROWS if verbose else 5]]
    out += [f"note: {n}" for n in result.notes]
    out.append(f"counts: {c['agree']} agree, {c['split']} through a split, {c['restated']} restated, "
               f"{c['mismatch']} disagree; sums {c['sum_pass']} held, {c['sum_fail']} failed")
    out.append(result.verdict_line())
    return "\n".join(out) + "\n"


def figure_text(result, index: int, fig) -> str:
    """A figure of a rule's finding with the release that prints it: "82,706,105 (q1.htm 249:14)"."""
    return f"{fig.text} ({result.releases[index].name} {fig.span.line}:{fig.span.col})"


def rule_text(result, check) -> str:
    """One finding of a rule across releases: where, what, and each figure in its release."""
    f = check.finding
    read = ", ".join(f"{q}. = {result.releases[i].name}" for q, i in check.read)
    head = (f"{f.rule.id} in {result.releases[check.release].name}" + (f" [{f.column}]" if f.column else "")
            + (f" (read {read})" if read else ""))
    figures = "; ".join(figure_text(result, i, fig) for i, fig in check.figures)
    return f"{head}: {f.message}" + (f" [{f.note}]" if f.note else "") + (f"; figures: {figures}" if figures else "")


def rule_lines(result, verbose: bool = False) -> list[str]:
    """Rules across releases: their counts by rule, every failure with its figures in both releases, what
    could not run and why (a release the series lacks: one line per release and reason)."""
    if not result.rules:
        return []
    by_rule: dict[str, Counter] = {}
    for r in result.rules:
        by_rule.setdefault(r.finding.rule.id, Counter())[r.finding.cause if r.status == "skip" else r.status] += 1
    out = ["rules across releases (rule: checks held, failed; skips by cause):"]
    out += [f"  {rid}: {c.pop('pass', 0)} held, {c.pop('fail', 0)} failed"
            + "".join(f", {n} {'undecided' if k == 'error' else k}" for k, n in c.items()) for rid, c in by_rule.items()]
    bad = [r for r in result.rules if r.status in ("fail", "error")]
    if bad:
        out.append(f"RULES ACROSS RELEASES THAT FAIL ({len(bad)}):")
        out += [f"  {r.status}: {rule_text(result, r)}" for r in bad[:MAX_ROWS]]
    wanting: dict[tuple[str, str], list[str]] = {}
    for r in result.rules:
        if r.status == "skip" and r.finding.cause == "needs an earlier release":
            key = (result.releases[r.release].name, r.finding.reason)
            wanting.setdefault(key, []).append(r.finding.rule.id)
    if wanting:
        out.append(f"not run for want of an earlier release ({sum(len(v) for v in wanting.values())}):")
        out += [f"  {name}: {', '.join(ids)}: {reason}" for (name, reason), ids in wanting.items()]
    missing = [r for r in result.rules if r.finding.missing]
    if missing:
        out.append(f"RULES ACROSS RELEASES THAT COULD NOT RUN ({len(missing)}):")
        out += [f"  {rule_text(result, r)}" for r in missing[:MAX_ROWS]]
    if verbose:
        out += [f"  {r.status}: {rule_text(result, r)}" for r in result.rules if r.status == "pass"
                or (r.status == "skip" and r.finding.cause == "not applicable")]
    return out


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
    bad = [r for r in result.rules if r.status in ("fail", "error") or r.finding.missing]
    if bad:
        out += ["", "**Rules across releases that fail or could not run**", ""]
        out += [f"- {r.status}: {_cell(rule_text(result, r))}" for r in bad[:limit]]
    return "\n".join(out) + "\n"
