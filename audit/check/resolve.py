"""Resolving rule references in a filing: a table by title, a row by label path, a column by
period and currency (so cross-table rules line up the same period and currency)."""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import weakref
from typing import Optional, Union

from ..lang import nodes as n
from ..read.filing import Column, Filing, Period, ProsePeriod, Row, Table
from ..read.marks import marker
from ..read.numbers import plain_text


class Unresolved(Exception):
    """A reference that does not resolve; `status` is 'skip' (absent) or 'error' (ambiguous), and
    `cause` what was absent (see findings.CAUSES)."""

    status = "skip"

    def __init__(self, reason: str, cause: str = "figure not found"):
        super().__init__(reason)
        self.reason = reason
        self.cause = cause


class Missing(Unresolved):
    """Nothing in the filing matches: the check is skipped with this reason."""


class Ambiguous(Unresolved):
    """More than one thing matches: reported, never guessed."""

    status = "error"


#: Footnote markers after a label: "Revenue*", "Other, net (A)", "Net income (1)", "Total¹".
_MARKERS = re.compile(r"(?:\s*(?:\*+|\([A-Za-z]\)|\(\d{1,2}\)|[\u00b9\u00b2\u00b3\u2070-\u2079]+|\u2020|\u2021))+$")
#: A superscript footnote marker anywhere in a label, as the readers write it: "Revenues^{1}", "Gross profit^{i}".
_SUP_MARKERS = re.compile(r"\s*" + marker())


@functools.lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """Normalise a label for matching: case, quotes, dashes, white space, a trailing colon, and
    footnote markers (`**`, `(A)`, `(1)`, `^{1}`, `^{i}`), which are not part of a label."""
    if text.isascii() and "^{" not in text:  # (most labels: no quote or dash to make plain, and white space
        text = " ".join(text.split())  # as str.split sees it)
        if text[-1:] not in (":", "*", ")"):  # no colon nor marker (their ASCII ends) to take off the end
            return text.lower()  # (casefold, for ASCII)
    if "^{" in text:
        text = _SUP_MARKERS.sub("", text) or text
    text = re.sub(r"\s+", " ", plain_text(text)).strip()
    text = text.rstrip(":").strip()
    text = _MARKERS.sub("", text) or text
    return text.rstrip(":").strip().casefold()


def _matches(option: Union[n.Text, n.Pattern], text: str, normed: str) -> bool:
    if isinstance(option, n.Text):
        return norm(option.value) == normed
    return option.regex().search(text) is not None


def describe(options) -> str:
    """Label or title alternatives as written: "A" | /b/i."""
    return " | ".join(o.written() for o in options)


def find_table(filing: Filing, decl: n.TableDecl) -> Table:
    """The one table whose title matches: exactly (or its id as `extract` shows it, for a table
    without a title of its own), else containing the text, else the pattern. A table of an earlier
    release (`prior_year.t`) is found so in that release."""
    if decl.release is not None:
        from .earlier import find_table_in  # issue 17 (earlier imports this module)

        return find_table_in(filing, decl)
    exact, near = [], []
    for table in filing.tables:
        title = norm(table.title)
        for option in decl.titles:
            if isinstance(option, n.Text):
                wanted = norm(option.value)
                if wanted == title or wanted == table.id:
                    exact.append(table)
                elif wanted in title:
                    near.append(table)
            elif option.regex().search(table.title):
                near.append(table)
    found = _unique(exact) or _unique(near)
    if not found:
        raise Missing(f"no table titled {describe(decl.titles)} in the filing", "table not found")
    if len(found) > 1:
        raise Ambiguous(f"table '{decl.name}' ({describe(decl.titles)}) matches {len(found)} tables: "
                        + _listed([f"'{t.title}' at line {t.span.line}" for t in found[:LISTED + 1]], len(found)))
    return found[0]


LISTED = 5  # matches an "ambiguous" error names; the rest are counted (a long filing has thousands)


def _listed(texts: list[str], total: int) -> str:
    shown = "; ".join(texts[:LISTED])
    return shown + (f"; and {total - LISTED} more" if total > LISTED else "")


def _unique(items: list) -> list:
    seen: set[int] = set()
    return [item for item in items if id(item) not in seen and not seen.add(id(item))]


def _scoped(rows: list[Row], step: n.Label) -> list[Row]:
    """Of rows, those the first alternative that matches any of them names."""
    for option in step.options:
        found = [row for row in rows if _matches(option, row.label, norm(row.label))]
        if found:
            return found
    return []


def members(table: Table, anchor: Row) -> list[Row]:
    """Rows inside a section heading or group row, at any depth."""
    depth = len(anchor.section)
    out = []
    for row in table.rows[anchor.index + 1:]:
        if len(row.section) > depth and row.section[depth] == anchor.label:
            out.append(row)
        else:
            break
    return out


_LABELS: dict[int, tuple[weakref.ref, dict[str, Union[Row, list[Row]]]]] = {}  # id(table) -> its index, while it lives


def _by_label(table: Table) -> dict[str, Union[Row, list[Row]]]:
    """Rows by normalised label: the row, or the list of rows that print one label (kept while the
    table lives: a finished filing's tables and rows are not held, nor walked by the collector)."""
    key = id(table)
    hit = _LABELS.get(key)
    if hit is not None and hit[0]() is table:
        return hit[1]
    index: dict[str, Union[Row, list[Row]]] = {}
    for row in table.rows:
        label = norm(row.label)
        had = index.get(label)
        if had is None:
            index[label] = row
        elif type(had) is list:
            had.append(row)
        else:
            index[label] = [had, row]
    _LABELS[key] = (weakref.ref(table, lambda _, key=key: _LABELS.pop(key, None)), index)
    return index


def _first_step(table: Table, step: n.Label) -> list[Row]:
    """The rows the first alternative that exists names: `"Other, net" | "Other income (expense), net"`
    takes the first label the table prints (a label that changed over the years)."""
    index = _by_label(table)
    for option in step.options:
        if isinstance(option, n.Text):
            found = index.get(norm(option.value))
            if found is not None:
                return list(found) if type(found) is list else [found]
        else:
            search = option.regex().search  # (once per option, not per row)
            found = [row for row in table.rows if search(row.label)]
            if found:
                return found
    return []


def find_row(table: Table, path: tuple[n.Step, ...]) -> Row:
    """The one row a label path names. `A / B`: B inside section or group A; after an ordinary
    row A, the first B that follows it."""
    first = path[0]
    if len(path) == 1 and type(first.options[0]) is n.Text:  # (most: one label, printed once)
        found = _by_label(table).get(norm(first.options[0].value))
        if found is not None and type(found) is not list:
            return found
    candidates = _first_step(table, first)
    for step in path[1:]:
        found = []
        for anchor in candidates:
            if anchor.is_header or anchor.is_group:
                scoped = _scoped(members(table, anchor), step)
            else:
                scoped = next(([row] for row in table.rows[anchor.index + 1:]
                               if any(_matches(o, row.label, norm(row.label)) for o in step.options)), [])
            found.extend(r for r in scoped if all(r is not f for f in found))
        candidates = found
    if len(candidates) == 1:
        return candidates[0]
    wanted = " / ".join(describe(s.options) for s in path)
    if not candidates:
        raise Missing(f"no row {wanted} in '{table.title}'", "row not found")
    raise Ambiguous(f"row {wanted} matches {len(candidates)} rows in '{table.title}': "
                    + _listed([f"line {r.span.line} ({r.path})" for r in candidates[:LISTED + 1]], len(candidates))
                    + "; add a section path, e.g. \"Section\" / \"Label\"")


def _find_rows(table: Table, ref: n.CellRef) -> list[Row]:
    """The rows a section (`A / *`), range (`A .. B`) or open range (`between A and B`) covers, in
    table order, headings left out; of those, the rows of the kinds asked for (`where ...`), else
    of one kind: amounts (or, in a range with none, the first row's kind), so percentages, per-share
    figures and share counts never mix with amounts unless asked for."""
    if ref.until:
        first, last = find_row(table, ref.path), find_row(table, ref.until)
        if last.index < first.index:
            raise Missing(f"range in '{table.title}' ends (line {last.span.line}) before it starts "
                          f"(line {first.span.line})", "row not found")
        lo, hi = (first.index + 1, last.index) if ref.between else (first.index, last.index + 1)
        rows = [r for r in table.rows[lo:hi] if not r.is_header]
        if not rows and ref.between:
            raise Missing(f"no rows between line {first.span.line} and line {last.span.line} in "
                          f"'{table.title}'", "row not found")
        return _of_kind(rows, ref.kinds)
    if isinstance(ref.path[-1], n.Star):
        anchor = find_row(table, ref.path[:-1])
        depth = len(anchor.section) + 1
        rows = [r for r in members(table, anchor)
                if len(r.section) == depth and not r.is_header and not r.is_total]
        if not rows:
            raise Missing(f"section '{anchor.label}' in '{table.title}' has no item rows", "row not found")
        return _of_kind(rows, ref.kinds)
    return [find_row(table, ref.path)]


def find_rows(table: Table, ref: n.CellRef) -> list[Row]:
    """The rows a reference covers (_find_rows); in an earlier release's table, absences say which release."""
    if ref.release is None:
        if not ref.until and len(ref.path) == 1 and type(ref.path[0]) is n.Label:  # (most: one row)
            return [find_row(table, ref.path)]
        return _find_rows(table, ref)
    from .earlier import in_release

    try:
        return _find_rows(table, ref)
    except Unresolved as exc:
        raise in_release(exc, ref.release) from None


def _of_kind(rows: list[Row], kinds: tuple[str, ...]) -> list[Row]:
    if not kinds:
        typed = [r.kind for r in rows if r.kind != "nil"]
        kinds = ("amount",) if "amount" in typed or not typed else (typed[0],)
    return [r for r in rows if r.kind in kinds or r.kind == "nil"]


# -- columns ---------------------------------------------------------------------------------

_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # the days of each month in a common year


def _shift_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    days = 29 if month == 2 and calendar.isleap(year) else _DAYS[month]  # (calendar.monthrange, without its weekday)
    if day.day == (29 if day.month == 2 and calendar.isleap(day.year) else _DAYS[day.month]):  # a month's end
        return dt.date(year, month, days)
    return dt.date(year, month, min(day.day, days))


def prior_year(period: Period) -> Period:
    return Period(end=_shift_months(period.end, -12),
                  start=None if period.start is None else _shift_months(period.start, -12))


def _latest(table: Table, months: Optional[int] = None) -> Optional[Period]:
    """The latest period of the table; of those ending then, the shortest (the quarter, not the
    year to date) unless the words name a length ('for the full year')."""
    periods = [c.period for c in table.columns if c.period]
    if months:  # the words name a length ('for the full year'): never another length instead
        sized = [p for p in periods if p.months == months]
        if not sized and periods:  # the period of that length ending with the table's latest column
            end = max(p.end for p in periods)
            return Period(end=end, start=_shift_months(end + dt.timedelta(days=1), -months))
        periods = sized
    return max(periods, key=lambda p: (p.end, -p.months)) if periods else None


def concrete(table: Table, when: ProsePeriod) -> Optional[Period]:
    """The period of this table that a sentence's words ('the same period of 2022') name."""
    if when.kind == "dated" and when.date and when.months:  # 'in February 2025', a quarter ahead
        return Period(end=when.date, start=_shift_months(when.date + dt.timedelta(days=1), -when.months))
    latest = _latest(table, when.months)
    if latest is None:
        return None
    if when.kind == "current":
        return latest
    if when.kind in ("year", "prior_year"):
        year = when.year if when.kind == "year" else latest.end.year - 1
        shifted = _shift_months(latest.end, (year - latest.end.year) * 12)
        start = None if latest.start is None else _shift_months(latest.start, (year - latest.end.year) * 12)
        return Period(end=shifted, start=start)
    if when.kind == "instant" and when.date:
        return Period(end=when.date)
    if when.kind == "prior_quarter":
        end = _shift_months(latest.end, -3)
        return Period(end=end, start=None if latest.start is None else _shift_months(latest.start, -3))
    return None


def _close(have: Optional[Period], want: Optional[Period]) -> bool:
    """Same length of period, ending within a week: fiscal calendars of 52 or 53 weeks."""
    if have is None or not isinstance(want, Period) or have.months != want.months:
        return False
    return abs((have.end - want.end).days) <= 7


def role_key(role: str) -> str:
    """A column role for matching: 'Non-GAAP', 'non-GAAP' and 'Non GAAP' are one role."""
    return re.sub(r"[^a-z0-9]+", "", role.casefold())


def _relative(table: Table, period, mod: str):
    """@previous: the period of the same length just before; @3M/@6M/...: the period of that length
    ending on the same day; @ytd: the longest period of at most a year ending on the same day."""
    if isinstance(period, ProsePeriod):
        period = concrete(table, period)
    if not isinstance(period, Period) or period.start is None:
        return period
    if mod == "previous":
        end = period.start - dt.timedelta(days=1)
        start = _shift_months(period.start, -period.months) if period.start.day == 1 else None
        if start is None:  # 52/53-week calendars: the same number of days before
            start = end - (period.end - period.start)
        return Period(end=end, start=start)
    if mod == "ytd":
        ending = [c.period for c in table.columns
                  if c.period and c.period.start and abs((c.period.end - period.end).days) <= 7
                  and c.period.months <= 12]
        return max(ending, key=lambda p: p.months, default=period)
    months = int(mod[:-1])
    start = _shift_months(period.end + dt.timedelta(days=1), -months)
    return Period(end=period.end, start=start)


def find_column(table: Table, period, currency: Optional[str], mods: tuple[str, ...],
                role: Optional[str] = None) -> Column:
    """The column of this table for a period, currency and role, after @start/@end/@prior/@previous/
    @ytd/@3M/@RMB/@"Non-GAAP". A role is matched only in a table whose columns have roles. In an earlier
    release's table (`prior_year.t`), the same period as in this release's, and a sentence's period is
    this release's."""
    if mods and any(m.startswith("release:") for m in mods):
        from .earlier import find_column_in

        return find_column_in(table, period, currency, mods, role)
    named = period  # a sentence's period ('the same period of 2024') that this table may not print
    for mod in mods:
        if mod.startswith("role:"):
            role = mod[5:]
        elif mod == "previous" or mod == "ytd" or (mod[:-1].isdigit() and mod.endswith("M")):
            period = _relative(table, period, mod)
        elif mod == "start" or mod == "end":
            if isinstance(period, ProsePeriod):
                period = concrete(table, period) if period.kind != "current" else period
            if isinstance(period, Period):
                if mod == "end":
                    period = Period(end=period.end)
                elif period.start is not None:
                    period = Period(end=period.start - dt.timedelta(days=1))
        elif mod == "prior":
            if isinstance(period, ProsePeriod):
                period = concrete(table, period)
            if isinstance(period, Period):
                period = prior_year(period)
        else:
            currency = mod
    wanted = concrete(table, period) if isinstance(period, ProsePeriod) else period
    if wanted is None and isinstance(named, ProsePeriod):  # the words name a period this table lacks
        raise Missing(f"'{table.title}' has no column for {named.label()}", "column not found")
    near = None
    want_role = None
    if role:
        roles = {role_key(c.role) for c in table.columns if c.role}
        want_role = role_key(role) if roles else None
        if want_role is not None and want_role not in roles:
            raise Missing(f"'{table.title}' has no column for the role \"{role}\" (its roles: "
                          + ", ".join(sorted({c.role for c in table.columns if c.role})) + ")", "column not found")
    exact = type(wanted) is Period  # (then Period's == and _close without their calls)
    end, start, months = (wanted.end, wanted.start, wanted.months) if exact else (None, None, None)
    for column in table.columns:
        if currency and column.currency and column.currency != currency:
            continue
        if want_role is not None and role_key(column.role) != want_role:
            continue
        have = column.period
        if (have is not None and have.end == end and have.start == start) if exact else (wanted is None or have == wanted):
            return column
        if near is None and have is not None and (
                have.months == months and abs((have.end - end).days) <= 7 if exact else _close(have, wanted)):
            near = column
    if near is not None:  # a 52/53-week year ends a few days off the calendar date
        return near
    what = wanted.label() if isinstance(wanted, Period) else (period.label() if period else "this column")
    if want_role:
        what += f" {role}"
    raise Missing(f"'{table.title}' has no column for {what}{' ' + currency if currency else ''}",
                  "column not found")
