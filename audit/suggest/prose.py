"""Prose figures that restate table figures: 'Total net revenue was RMB3,599.2 million' is the
table's 3,599,174 thousand at the prose figure's own printed precision, in the column its words
name. The anchor written is the words just before the figure ("... was {}"), as short as the
engine finds this figure by it alone."""
from __future__ import annotations

import re

from ..check.anchors import ProseIndex
from ..check.resolve import Unresolved, find_column
from ..lang import nodes as n
from ..read.filing import Figure, Filing
from .model import Candidate, Outcome, interval, label_key, overlap, row_key, words
from .names import _AT, quote

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
PRECISION = 100  # the width of a prose figure must say its amount to 1 part in 200 to be tied by value alone


def _precise(fig: Figure) -> bool:
    iv = interval(fig)
    low = min(abs(iv.lo), abs(iv.hi)) if iv is not None and (iv.lo > 0 or iv.hi < 0) else 0
    return low > 0 and (iv.hi - iv.lo) * PRECISION <= low


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
            out.append(Candidate(
                kind="prose", table=table, title=f"{row.label.strip()[:60]} in the prose (line {fig.span.line})",
                check=f"prose[{' / '.join(quote(a) for a in anchor)}] restates {'-' if negated else ''}{ref}",
                evidence=f"'{fig.text}' at {fig.span} equals the table at its printed precision"
                         + (" (the prose states the negative figure as an amount)" if negated else "")
                         + (", and its words name the row" if score > 0 else ""),
                certain=score > 0, outcome=Outcome(), lead=fig.key, optional=True,  # words of this release
                keys=frozenset({("prose", f"{f.span.line}:{f.span.col}") for f in group}),
                group="narrative"))
        return out

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
