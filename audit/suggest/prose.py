"""Prose figures that restate table figures: 'Total net revenue was RMB3,599.2 million' is the
table's 3,599,174 thousand at the prose figure's own printed precision, in the column its words
name. The anchor written is the words just before the figure ("... was {}"), as short as the
engine finds this figure by it alone."""
from __future__ import annotations

import re

from ..check.anchors import ProseIndex
from ..check.interval import DivisionByZero, Interval
from ..check.resolve import Unresolved, find_column
from ..lang import nodes as n
from ..read.filing import Figure, Filing
from .model import Candidate, Outcome, interval, label_key, overlap, row_key, words
from .names import _AT, quote

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_CHANGE = re.compile(r"\b(increase|decrease|growth|up|down|rise|decline)\b(?:\s+\w+){0,2}\s*$", re.I)
_FROM = re.compile(r"^\s*from\s*$", re.I)
_DOWN = ("decrease", "down", "decline")


def _steps(steps) -> str:
    return " / ".join(quote(a) for a in steps)


def _digits(fig: Figure) -> int:
    return len(str(abs(fig.value)).replace(".", "").lstrip("0"))
PRECISION = 100  # the width of a prose figure must say its amount to 1 part in 200 to be tied by value alone


def _precise(fig: Figure) -> bool:
    iv = interval(fig)
    low = min(abs(iv.lo), abs(iv.hi)) if iv is not None and (iv.lo > 0 or iv.hi < 0) else 0
    return low > 0 and (iv.hi - iv.lo) * PRECISION <= low


def _candidate(table, title: str, check: str, evidence: str, certain: bool, lead: Figure, figures) -> Candidate:
    """A check of the prose: optional (its words are this release's), keyed by the figures it ties."""
    return Candidate(kind="prose", table=table, title=title, check=check, evidence=evidence, certain=certain,
                     outcome=Outcome(), lead=lead.key, optional=True, group="narrative",
                     keys=frozenset({("prose", f"{f.span.line}:{f.span.col}") for f in figures}))


class Prose:
    def __init__(self, filing: Filing, names, classes=None):
        self.filing = filing
        self.classes = classes or {}  # row key -> a key shared by the rows that restate it
        self.names = names
        self.index = ProseIndex(filing)
        self._labels: dict[str, n.Label] = {}  # the index caches by id(): every anchor stays alive
        self.tried = 0
        self.tables = [t for t in filing.tables if names.name(t)]

    def _matches(self, fig: Figure):
        """(table, row) whose cell, in the column the figure's words name, the figure restates."""
        iv = interval(fig)
        found = []
        for table in self.tables:
            try:
                column = find_column(table, fig.period, fig.unit if fig.unit.isupper() else None, ())
            except Unresolved:
                continue
            for row in table.rows:
                if row.kind not in ("amount", "per_share") or row.is_header:
                    continue
                cell = row.cells[column.index] if column.index < len(row.cells) else None
                self.tried += 1
                if cell is not None and not cell.exact and abs(cell.value) > 0:
                    other = interval(cell)
                    if other.intersects(iv) or (-other).intersects(iv):
                        found.append((table, row, other.intersects(iv), other.width <= iv.width))
        return found

    def run(self) -> list[Candidate]:
        out = []
        covered: set = set()
        lines = {line.number: (li, line) for li, line in enumerate(self.index.lines)}
        for fig in self.filing.prose:
            if (fig.key in covered or fig.kind not in ("amount", "per_share") or fig.span.line not in lines
                    or fig.value == 0):
                continue
            matches = self._matches(fig)  # (table, row, same sign): 'net loss was RMB0.66 billion'
            if not matches:  # restates the statement's (664,046)
                continue
            li, line = lines[fig.span.line]
            k = next(i for i, f in enumerate(line.figures) if f is fig)
            after = line.text[line.ends[k]:line.starts[k + 1] if k + 1 < len(line.figures) else None]
            begin = max((line.ends[i] for i in range(k) if line.figures[i].sentence != fig.sentence), default=0)
            phrase = " ".join(line.text[begin:line.starts[k]].split()[-40:] + after.split()[:5])
            # the row its words name, and of rows named alike the one printed at least as precisely
            # (a table's 11,887 million, not a highlight's $11.9 billion, for '$11.887 billion')
            table, row, positive, _ = max(matches, key=lambda m: (overlap(phrase, m[1].path) > 0, m[3],
                                                                  overlap(phrase, m[1].path), m[2],
                                                                  -self.tables.index(m[0]), -m[1].index))
            negated = not positive
            score = overlap(phrase, row.path)
            same_item = (len({label_key(r.label) for _, r, _, _ in matches}) == 1
                         or len({self.classes.get(row_key(t, r), row_key(t, r)) for t, r, _, _ in matches}) == 1)
            named = score > 0 and all(overlap(phrase, r.path) < score for _, r, _, _ in matches
                                      if label_key(r.label) != label_key(row.label))
            if not (same_item or named):
                continue  # several rows have this value and the words do not say which
            said = words(phrase) & words(row.path)
            if not _precise(fig) and not (named and (len(said) >= 2 or said == words(row.label))):
                continue  # a round figure ('nearly $40 billion') is tied only when its words name the row
            anchor = self._pinned(li, self._anchor(li, line, fig), fig)
            ref = self.names.ref(table, row)
            if anchor is None or ref is None:
                continue
            group = self.index.sentence(li, fig)
            covered.update(f.key for f in group)
            out.append(_candidate(
                table, f"{row.label.strip()[:60]} in the prose (line {fig.span.line})",
                f"prose[{' / '.join(quote(a) for a in anchor)}] restates {'-' if negated else ''}{ref}",
                f"'{fig.text}' at {fig.span} equals the table at its printed precision"
                + (" (the prose states the negative figure as an amount)" if negated else "")
                + (", and its words name the row" if score > 0 else ""), score > 0, fig, group))
        return out + self.growth(covered) + self.restated(covered)

    # -- prose against prose: a growth rate between two amounts; a figure restated coarser ------

    def _steps(self, li: int, fig: Figure):
        """The anchor steps that find this figure, and the same without its `{}` (to go on from)."""
        anchor = self._pinned(li, self._anchor(li, self.index.lines[li], fig), fig)
        if anchor is None:
            return None, None
        base = anchor[:-1] + (anchor[-1].replace(" {}", "").replace("{}", "").strip(),)
        return anchor, base

    def _then(self, base: tuple, words: str, fig: Figure):
        """`base / words`, when that finds this figure and nothing else."""
        steps = base + (words,)
        self.tried += 1
        hits = self.index.find(tuple(self._label(t) for t in steps))
        return steps if len(hits) == 1 and hits[0] is not None and hits[0][1] is fig else None

    def growth(self, covered: set) -> list[Candidate]:
        """'RMB109,456 million, an increase of 10.7% from RMB98,833 million': the rate = the amount
        / the earlier amount - 1 (1 - that for a decrease), at the printed precision of all three."""
        out = []
        for li, line in enumerate(self.index.lines):
            figs = line.figures
            for k in range(1, len(figs) - 1):
                rate, base = figs[k], figs[k + 1]
                lead = next((f for f in reversed(figs[:k]) if f.kind == "amount" and f.sentence == rate.sentence), None)
                if (rate.kind != "percent" or lead is None or base.kind != "amount" or lead.unit != base.unit
                        or base.sentence != rate.sentence or rate.key in covered):
                    continue
                said = _CHANGE.search(line.text[line.ends[k - 1]:line.starts[k]])
                if said is None or not _FROM.search(line.text[line.ends[k]:line.starts[k + 1]]):
                    continue
                sign = -1 if said.group(1).lower() in _DOWN else 1
                try:
                    change = interval(lead) / interval(base) - Interval.exact(1)
                except DivisionByZero:
                    continue
                self.tried += 1
                if not interval(rate).intersects(change if sign > 0 else -change):
                    continue
                anchor, _ = self._steps(li, lead)
                if anchor is None:
                    continue
                words = " ".join(line.text[line.ends[k - 1]:line.starts[k]].split()[-3:])
                # on from the lead's own anchor, `{}` and all: the words after it are this sentence's
                at_rate = self._then(anchor, words, rate) if words[:1].isalnum() else None
                at_base = self._then(anchor, "from", base)
                if at_rate is None or at_base is None:
                    continue
                change_text = (f"prose[{_steps(anchor)}] / prose[{_steps(at_base)}] - 1" if sign > 0 else
                               f"1 - prose[{_steps(anchor)}] / prose[{_steps(at_base)}]")
                covered.add(rate.key)
                out.append(_candidate(
                    self.tables[0] if self.tables else None,
                    f"The {said.group(1).lower()} of {rate.text} in the prose (line {rate.span.line})",
                    f"prose[{_steps(at_rate)}] =\n        {change_text}",
                    f"'{rate.text}' at {rate.span} is the change from '{base.text}' to '{lead.text}' at "
                    "the printed precision of all three", True, rate, (rate, lead, base)))
        return out

    def restated(self, covered: set) -> list[Candidate]:
        """A prose amount no table prints, restated coarser in another sentence of the prose with
        the same words ('RMB109.5 billion' for 'RMB109,456 million'): the coarse one = the precise one."""
        out = []
        amounts = [(li, f) for li, line in enumerate(self.index.lines) for f in line.figures
                   if f.kind == "amount" and f.value != 0 and f.table is None]
        for li, fig in amounts:
            if fig.key in covered or _digits(fig) < 3:
                continue
            mine = self._words_before(li, fig)
            same = [(lj, g) for lj, g in amounts if g is not fig and g.unit == fig.unit and g.sentence != fig.sentence
                    and g.period == fig.period and _digits(g) >= 4 and interval(g).width <= interval(fig).width
                    and interval(g).intersects(interval(fig)) and len(mine & self._words_before(lj, g)) >= 3]
            self.tried += 1
            if len(same) != 1:
                continue
            lj, other = same[0]
            anchor, _ = self._steps(li, fig)
            source, _ = self._steps(lj, other)
            if anchor is None or source is None:
                continue
            covered.add(fig.key)
            out.append(_candidate(
                self.tables[0] if self.tables else None,
                f"{fig.text} in the prose (line {fig.span.line}) = {other.text} (line {other.span.line})",
                f"prose[{_steps(anchor)}] =\n        prose[{_steps(source)}]",
                f"'{fig.text}' at {fig.span} restates '{other.text}' at {other.span} at its printed "
                "precision, with the same words before them", False, fig, (fig, other)))
        return out

    def _words_before(self, li: int, fig: Figure) -> frozenset:
        line = self.index.lines[li]
        k = next(i for i, f in enumerate(line.figures) if f is fig)
        return words(" ".join(line.text[:line.starts[k]].split()[-8:]))

    def _label(self, text: str) -> n.Label:
        if text not in self._labels:
            self._labels[text] = n.Label((n.Text(text, _AT),), _AT)
        return self._labels[text]

    def _pinned(self, li: int, anchor, fig: Figure):
        """The anchor after the nearest heading above that names a year ('First Quarter 2025
        Unaudited Financial Results'), when that finds the figure too: another release's prose
        with the same words is then not read as this one's."""
        if anchor is None or any(_YEAR.search(step) for step in anchor):
            return anchor
        steps = tuple(self._label(text) for text in anchor)
        for above in range(li - 1, max(li - 60, -1), -1):
            opening = " ".join(w for w in self.index.lines[above].text.split()[:8] if w[:1].isalnum())
            if not _YEAR.search(opening) or '"' in opening or len(opening) > 80:
                continue
            self.tried += 1
            first = self._label(opening)
            hits = self.index.find((first,) + steps)
            if len(hits) == 1 and hits[0] is not None and hits[0][1] is fig:
                return (opening,) + anchor
        return anchor

    def _anchor(self, li: int, line, fig: Figure):
        """The shortest run of words before the figure that finds it and nothing else."""
        k = next(i for i, f in enumerate(line.figures) if f is fig)
        head = line.text[:line.starts[k]].rstrip()
        words = head.split()
        while words and not words[0][:1].isalnum():
            words = words[1:]
        for size in range(2, min(len(words), 12) + 1):
            text = " ".join(words[-size:]) + " {}"
            if not text[:1].isalnum():
                continue
            self.tried += 1
            anchor = self._label(text)
            hits = [h for h in self.index.find((anchor,)) if h is not None]
            if len(hits) == 1 and hits[0][1] is fig:
                return (text,)
        for size in (4, 8):  # the same words elsewhere: start from a phrase of a line above
            text = " ".join(words[-size:]) + " {}"
            last = self._label(text)
            for above in range(li - 1, max(li - 16, -1), -1):
                opening = " ".join(w for w in self.index.lines[above].text.split()[:6] if w[:1].isalnum())
                if len(opening) < 12 or not opening[:1].isalnum() or '"' in opening:
                    continue
                self.tried += 1
                first = self._label(opening)
                hits = self.index.find((first, last))
                if len(hits) == 1 and hits[0] is not None and hits[0][1] is fig:
                    return (opening, text)
        return None
