"""How well the reader reads real earnings releases, scored against hand-written truth (issue 14).

    .venv/bin/python benchmarks/bench_reader.py [--verbose] [--only STEM[,STEM...]] [--runs N]

For each truth file ``benchmarks/truth/<stem>.json`` (written by reading the filing's source, see
``benchmarks/truth/make_sample.py``) the filing ``../shared/filings/<file>`` is read as the CLI's
``extract`` reads it (``read_text`` then ``extract(text, path)``: a full submission gives its
EX-99.1, else its only text document) and scored:

(a) **figures**: each sampled figure is matched to the reader's figure at the same place in the
    file (the byte offset of its first digit: the reader's ``Filing.offset(span)`` is moved past any
    markup, entity, ``$``, ``(`` or currency letters to its first digit; table cells first, then prose
    figures, then the figures printed inside row labels, ``Row.label_figures``), then compared field by field:
    value (as a Decimal, sign applied), sign, unit, scale, period and kind. A figure is right when
    every field is. Units compare by meaning (``%`` is percent, ``US$`` is USD, a count's noun is
    a count). Periods compare by length in months and end date (within 7 days, for 52/53-week
    calendars) or by instant date; a prose figure's relative period ("current", "same period
    2023", "prior quarter", ...) is resolved against the truth's current period, and a dated one
    ("in February 2025", next quarter's guidance) is its own end and length. A truth figure
    without a period (e.g. "currently operates 445 stores") is not scored on period.
(b) **table-cell recall**: of the numeric cells of the truth's statement tables (their first-digit
    offsets, counted from the source by make_sample.py), the share the reader placed in a table with a
    row and a column.
(c) **titles**: each truth statement is matched to the reader's table holding most of its cells;
    the title is right when the two agree after normalising case, spacing, quotes and dashes and
    dropping "(Unaudited)", "(Continued)" and footnote markers.

Also the read time per file (min of --runs; target: a 2 MB submission in <= 0.15 s). Every line
shows its target. --verbose lists each miss with its reason. The exit code is always 0: this
is a measurement, not a test.
"""
from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import os
import re
import sys
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.read.extract import extract  # noqa: E402
from audit.read.source import read_text  # noqa: E402

TRUTH = ROOT / "benchmarks" / "truth"
FILINGS = ROOT.parent / "shared" / "filings"

TARGET_FIGURES = 0.99
TARGET_CELLS = 0.98
TARGET_READ_MS_PER_2MB = 150.0
FIELDS = ("value", "sign", "unit", "scale", "period", "kind")

_SKIP_MARKUP = re.compile(rb"<[^>]{0,2000}>|&#?[A-Za-z0-9]{1,10};")
_CURRENCY = {"usd": "USD", "us$": "USD", "$": "USD", "us dollars": "USD", "dollars": "USD",
             "rmb": "RMB", "cny": "RMB", "renminbi": "RMB", "hkd": "HKD", "hk$": "HKD", "eur": "EUR"}
_PERCENT = {"%", "percent", "per cent", "pct", "percentage points", "pts", "points", "bp", "bps"}
_SHARES = {"shares", "share", "ordinary shares", "common shares"}
_ADS = {"ads", "adss", "adr", "adrs"}


# ----------------------------------------------------------------------------------------------
# reading


def first_digit(data: bytes, offset: int | None, limit: int = 600) -> int | None:
    """The offset of the first digit at or after `offset`, skipping markup and entities."""
    if offset is None:
        return None
    i, end = offset, min(len(data), offset + limit)
    while i < end:
        byte = data[i]
        if 48 <= byte <= 57:
            return i
        if byte in (60, 38):  # '<' or '&'
            m = _SKIP_MARKUP.match(data, i)
            if m:
                i = m.end()
                continue
        i += 1
    return None


def read_filing(path: Path, runs: int):
    """The Filing as the CLI's `extract` reads it, the best read time in ms (or the error) and the
    best CPU time of the process in ms (on a shared machine, what the read costs when it runs)."""
    best, filing, error, cpu = None, None, None, None
    for _ in range(max(1, runs)):
        start, cpu_start = time.perf_counter(), time.process_time()
        try:
            filing = extract(read_text(str(path)), str(path))
        except Exception as exc:  # a measurement: a reader that fails scores zero, with the reason
            error = f"{type(exc).__name__}: {exc}"
            break
        took = (time.perf_counter() - start) * 1000.0
        used = (time.process_time() - cpu_start) * 1000.0
        best = took if best is None else min(best, took)
        cpu = used if cpu is None else min(cpu, used)
    return filing, best, error, cpu


def reader_figures(filing, data: bytes) -> dict[int, object]:
    """Every figure the reader found, by the byte offset of its first digit (table cells first, then
    prose, then the figures printed inside row labels)."""
    by_digit: dict[int, object] = {}
    labels = [fig for table in filing.tables for row in table.rows for fig in getattr(row, "label_figures", ())]
    for fig in list(filing.figures()) + labels:
        if not any(ch.isdigit() for ch in getattr(fig, "text", "") or ""):
            continue  # a nil ("-", "—") has no digit: looking ahead would land on the next cell
        try:
            offset = filing.offset(fig.span)
        except Exception:
            offset = None
        digit = first_digit(data, offset)
        if digit is not None and digit not in by_digit:
            by_digit[digit] = fig
    return by_digit


# ----------------------------------------------------------------------------------------------
# comparing


def norm_unit(unit: str | None, kind: str | None) -> str:
    u = (unit or "").strip()
    low = u.lower().replace("\u2019", "'")
    if low in _PERCENT or kind == "percent" and not low:
        return "percent"
    if low in _CURRENCY:
        return _CURRENCY[low]
    if low in _ADS:
        return "ADS"
    if low in _SHARES:
        return "shares"
    if "kwh" in low:
        return "KWh"
    if kind == "count" and (not low or low == "count" or low.isalpha()):
        return "count"
    return u


def truth_unit(unit: str) -> str:
    return {"percent": "percent"}.get(unit, unit)


def sign_of(value: Decimal) -> str:
    return "negative" if value < 0 else ("zero" if value == 0 else "positive")


def _shift_year(day: dt.date, year: int) -> dt.date:
    last = calendar.monthrange(year, day.month)[1]
    return dt.date(year, day.month, min(day.day, last))


def _month_end_before(day: dt.date, months: int) -> dt.date:
    year, month = day.year, day.month - months
    while month <= 0:
        month += 12
        year -= 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def reader_period(fig, current: dict | None):
    """("instant", date) or ("duration", end, months) or None, from a table column or a prose period."""
    column = getattr(fig, "column", None)
    if getattr(fig, "table", None) is not None and column is not None:
        period = getattr(column, "period", None)
        if period is None:
            return None
        if period.start is None:
            return ("instant", period.end)
        if getattr(fig, "balance_date", None) is not None:  # cash at end of period: a balance at a date
            return ("instant", fig.balance_date)
        return ("duration", period.end, period.months)
    pp = getattr(fig, "period", None)
    if pp is None or current is None:
        return None
    cur_end = dt.date.fromisoformat(current["end"])
    cur_months = int(current["months"])
    kind = pp.kind
    if kind == "instant":
        return ("instant", pp.date) if pp.date else None
    if kind == "dated":  # an explicit end and length ("in February 2025", next quarter's guidance)
        return ("duration", pp.date, pp.months) if pp.date and pp.months else None
    if kind == "current":
        return ("duration", cur_end, pp.months or cur_months)
    if kind == "year":
        if pp.year is None:
            return None
        return ("duration", _shift_year(cur_end, pp.year), pp.months or cur_months)
    if kind == "prior_year":
        return ("duration", _shift_year(cur_end, cur_end.year - 1), pp.months or cur_months)
    if kind == "prior_quarter":
        return ("duration", _month_end_before(cur_end, 3), 3)
    return None


def truth_period(period: dict):
    if "instant" in period:
        return ("instant", dt.date.fromisoformat(period["instant"]))
    return ("duration", dt.date.fromisoformat(period["end"]), int(period["months"]))


def same_period(want, got) -> bool:
    if got is None or want[0] != got[0]:
        return False
    if want[0] == "instant":
        return abs((want[1] - got[1]).days) <= 7
    return want[2] == got[2] and abs((want[1] - got[1]).days) <= 7


def show_period(p) -> str:
    if p is None:
        return "none"
    if p[0] == "instant":
        return f"as of {p[1].isoformat()}"
    return f"{p[2]}M to {p[1].isoformat()}"


def score_figure(truth: dict, fig, current) -> list[tuple[str, str, str]]:
    """The fields the reader got wrong: (field, expected, read)."""
    wrong = []
    try:
        want_value = Decimal(truth["value"])
    except InvalidOperation:
        want_value = None
    got_value = getattr(fig, "value", None)
    if want_value is None or got_value is None or want_value != got_value:
        wrong.append(("value", truth["value"], str(got_value)))
    if got_value is None or sign_of(got_value) != truth["sign"]:
        wrong.append(("sign", truth["sign"], sign_of(got_value) if got_value is not None else "none"))
    got_unit = norm_unit(getattr(fig, "unit", None), getattr(fig, "kind", None))
    if got_unit != truth_unit(truth["unit"]):
        wrong.append(("unit", truth["unit"], repr(getattr(fig, "unit", None))))
    if getattr(fig, "scale", None) != truth["scale"]:
        wrong.append(("scale", str(truth["scale"]), str(getattr(fig, "scale", None))))
    if truth["period"] is not None:
        want, got = truth_period(truth["period"]), reader_period(fig, current)
        if not same_period(want, got):
            wrong.append(("period", show_period(want), show_period(got)))
    if getattr(fig, "kind", None) != truth["kind"]:
        wrong.append(("kind", truth["kind"], str(getattr(fig, "kind", None))))
    return wrong


_TITLE_DROP = re.compile(r"\((?:unaudited|continued|\d{1,2}|[ivx]{1,4}|[a-z])\)|\*+|\b(?:unaudited)\b", re.I)


def norm_title(title: str | None) -> str:
    t = (title or "").replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    t = re.sub(r"[\u2010-\u2015]", "-", t)
    t = _TITLE_DROP.sub(" ", t)
    t = re.sub(r"\s+", " ", t).strip(" .:;,-").casefold()
    return t


# ----------------------------------------------------------------------------------------------
# one filing


def score_file(truth: dict, runs: int) -> dict:
    path = FILINGS / truth["file"]
    data = path.read_bytes()
    result = {"file": truth["file"], "bytes": len(data), "figures": len(truth["figures"]), "right": 0,
              "field_misses": {f: 0 for f in FIELDS}, "misses": [], "cells": 0, "cells_found": 0,
              "titles": len(truth["statement_tables"]), "titles_right": 0, "ms": None, "error": None}
    result["cells"] = sum(t["numeric_cells"] for t in truth["statement_tables"])
    filing, ms, error, cpu = read_filing(path, runs)
    result["ms"], result["cpu_ms"] = ms, cpu
    if filing is None:
        result["error"] = error
        for f in truth["figures"]:
            result["misses"].append((f, [("read", "a Filing", error)]))
        for t in truth["statement_tables"]:
            result["misses"].append(({"text": t["title"], "offset": t["ranges"][0][0]},
                                     [("title", t["title"], "not read")]))
        return result
    by_digit = reader_figures(filing, data)
    current = truth.get("current_period")
    for f in truth["figures"]:
        fig = by_digit.get(f["digit_offset"])
        if fig is None:
            result["misses"].append((f, [("found", "a figure at this offset", "none read")]))
            for field in FIELDS:
                result["field_misses"][field] += 1
            continue
        wrong = score_figure(f, fig, current)
        if not wrong:
            result["right"] += 1
        else:
            for field, _, _ in wrong:
                result["field_misses"][field] += 1
            where = f"table {fig.table!r} row {fig.row!r}" if getattr(fig, "table", None) else "prose"
            result["misses"].append((f, wrong + [("read as", "", where)]))

    # (b) and (c): the reader's table cells by first-digit offset, and which table holds each
    cell_table: dict[int, object] = {}
    for table in filing.tables:
        for fig in table.figures():
            if getattr(fig, "row", None) is None or getattr(fig, "column", None) is None:
                continue
            if not any(ch.isdigit() for ch in getattr(fig, "text", "") or ""):
                continue
            digit = first_digit(data, filing.offset(fig.span))
            if digit is not None:
                cell_table.setdefault(digit, table)
    for t in truth["statement_tables"]:
        held: dict[int, int] = {}
        tables: dict[int, object] = {}
        for offset in t["cell_offsets"]:
            table = cell_table.get(offset)
            if table is not None:
                result["cells_found"] += 1
                held[id(table)] = held.get(id(table), 0) + 1
                tables[id(table)] = table
        missing = t["numeric_cells"] - sum(held.values())
        if missing:
            result["misses"].append(({"text": t["title"], "offset": t["ranges"][0][0]},
                                     [("cells", str(t["numeric_cells"]), f"{sum(held.values())} placed in a table")]))
        if not held:
            result["misses"].append(({"text": t["title"], "offset": t["ranges"][0][0]},
                                     [("title", t["title"], "no reader table holds its cells")]))
            continue
        best = tables[max(held, key=held.get)]
        if norm_title(best.title) == norm_title(t["title"]):
            result["titles_right"] += 1
        else:
            result["misses"].append(({"text": t["title"], "offset": t["ranges"][0][0]},
                                     [("title", t["title"], repr(best.title))]))
    return result


# ----------------------------------------------------------------------------------------------
# report


def read_target(size: int) -> float:
    """The read time a file of ``size`` bytes is held to: the 2 MB target, for any file up to 2 MB,
    and in proportion above that."""
    return TARGET_READ_MS_PER_2MB * max(1.0, size / 2e6)


def pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:5.1f}%" if whole else "   n/a"


def mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss with its reason")
    parser.add_argument("--only", help="comma-separated truth stems (e.g. apple,oracle)")
    parser.add_argument("--runs", type=int, default=3, help="reads per file for the timing (min is shown)")
    args = parser.parse_args(argv)

    if not FILINGS.is_dir():
        print(f"{FILINGS} is absent: nothing to measure")
        return 0
    stems = sorted(p.stem for p in TRUTH.glob("*.json"))
    if args.only:
        wanted = [s.strip() for s in args.only.split(",") if s.strip()]
        stems = [s for s in stems if s in wanted]
    results = []
    for stem in stems:
        truth = json.loads((TRUTH / f"{stem}.json").read_text())
        if not (FILINGS / truth["file"]).exists():
            print(f"{stem}: {truth['file']} not in {FILINGS}, skipped")
            continue
        results.append((stem, score_file(truth, args.runs)))

    print(f"Reader against hand-written truth ({len(results)} filings in {FILINGS.relative_to(ROOT.parent)})")
    print(f"targets: figures fully right >= {TARGET_FIGURES:.0%}; table-cell recall >= {TARGET_CELLS:.0%}; "
          f"every statement title right; read <= {TARGET_READ_MS_PER_2MB:.0f} ms per 2 MB")
    head = (f"{'filing':<18} {'figures right':>16} {'':>6} {'cell recall':>18} {'':>6} {'titles':>7} {'':>6} "
            f"{'read ms':>8} {'target':>7} {'':>6} {'cpu ms':>6} {'MB':>5}  fields missed")
    print(head)
    print("-" * len(head))
    tot = {"figures": 0, "right": 0, "cells": 0, "cells_found": 0, "titles": 0, "titles_right": 0}
    field_tot = {f: 0 for f in FIELDS}
    for stem, r in results:
        for k in tot:
            tot[k] += r[k]
        for f in FIELDS:
            field_tot[f] += r["field_misses"][f]
        fig_ok = r["figures"] and r["right"] / r["figures"] >= TARGET_FIGURES
        cell_ok = not r["cells"] or r["cells_found"] / r["cells"] >= TARGET_CELLS
        title_ok = r["titles_right"] == r["titles"]
        misses = ", ".join(f"{f} {n}" for f, n in r["field_misses"].items() if n) or "-"
        ms = f"{r['ms']:.0f}" if r["ms"] is not None else "error"
        cpu = f"{r['cpu_ms']:.0f}" if r.get("cpu_ms") is not None else "-"
        limit = read_target(r["bytes"])
        read_ok = r["ms"] is not None and r["ms"] <= limit
        print(f"{stem:<18} {r['right']:>4}/{r['figures']:<3} {pct(r['right'], r['figures']):>7} {mark(fig_ok):>6} "
              f"{r['cells_found']:>5}/{r['cells']:<5} {pct(r['cells_found'], r['cells']):>6} {mark(cell_ok):>6} "
              f"{r['titles_right']:>3}/{r['titles']:<3} {mark(title_ok):>6} {ms:>8} {'<= ' + format(limit, '.0f'):>7} "
              f"{mark(read_ok):>6} {cpu:>6} {r['bytes'] / 1e6:5.2f}  {misses}")
        if r["error"]:
            print(f"{'':<18} not read: {r['error']}")
    print("-" * len(head))
    fig_ok = tot["figures"] and tot["right"] / tot["figures"] >= TARGET_FIGURES
    cell_ok = not tot["cells"] or tot["cells_found"] / tot["cells"] >= TARGET_CELLS
    title_ok = tot["titles_right"] == tot["titles"]
    misses = ", ".join(f"{f} {n}" for f, n in field_tot.items() if n) or "-"
    print(f"{'TOTAL':<18} {tot['right']:>4}/{tot['figures']:<3} {pct(tot['right'], tot['figures']):>7} "
          f"{mark(fig_ok):>6} {tot['cells_found']:>5}/{tot['cells']:<5} {pct(tot['cells_found'], tot['cells']):>6} "
          f"{mark(cell_ok):>6} {tot['titles_right']:>3}/{tot['titles']:<3} {mark(title_ok):>6}")
    print(f"{'target':<18} {'>= 99%':>16} {'':>6} {'>= 98%':>18} {'':>6} {'all':>7}")
    timed = [(stem, r) for stem, r in results if r["ms"] is not None]
    if timed:
        stem, big = max(timed, key=lambda sr: sr[1]["bytes"])
        scaled = big["ms"] * 2e6 / big["bytes"]
        print(f"speed: {stem} ({big['bytes'] / 1e6:.2f} MB) read in {big['ms']:.0f} ms, {scaled:.0f} ms per 2 MB "
              f"(target <= {TARGET_READ_MS_PER_2MB:.0f} ms): {mark(scaled <= TARGET_READ_MS_PER_2MB)}; "
              f"CPU {big['cpu_ms']:.0f} ms, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if args.verbose:
        print("\nmisses:")
        for stem, r in results:
            for f, wrong in r["misses"]:
                where = f"@{f.get('offset')}"
                label = f"#{f['n']} " if "n" in f else ""
                reasons = "; ".join(f"{field}: expected {want}, read {got}" if want else f"{field}: {got}"
                                    for field, want, got in wrong)
                print(f"  {stem} {label}{f.get('text')!r} {where}: {reasons}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
