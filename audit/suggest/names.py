"""Names in the drafted pack: table names and declarations, and for each row a label path that
the engine resolves to that row and no other (checked with the engine's own resolver)."""
from __future__ import annotations

import re
from typing import Optional

from ..check.resolve import Unresolved, find_row, find_rows, find_table, norm
from ..lang import nodes as n
from ..read.filing import Filing, Row, Span, Table

_AT = Span(0, 0, 0)

#: Statement kinds by title words: only for naming tables and grouping files, never for logic.
KINDS = (
    ("ci", "comprehensive", "comprehensive_income"),
    ("bs", "balance sheet|financial position|financial condition", "balance_sheet"),
    ("cf", "cash flow", "cash_flows"),
    ("rec", "reconciliation|non-gaap", "reconciliation"),
    ("ops", "operations|income|earnings|profit or loss", "income_statement"),
    ("seg", "segment", "segments"),
)


def quote(text: str) -> str:
    """A string in the rule language."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_SIGN = r"(?:losses|loss|profits?|income|gains?|benefits?|expenses|expense|earnings)"
#: a pair of sign words ('(expenses) benefit', 'gain (loss)'), or a lone 'loss'
_SIGNED = re.compile(rf"\(({_SIGN})\)\s+({_SIGN})\b|\b({_SIGN})\s+\(({_SIGN})\)|\b(loss)\b", re.I)


def sign_pattern(label: str, signed: bool) -> Optional[str]:
    """A /pattern/ that also finds the label as another release words it when the sign changes:
    a pair of sign words in either order ('Income tax (expenses) benefit' and 'Income tax
    benefit (expenses)'), and, for a row printed with its sign (`signed`: its figures negative), a
    lone 'loss' as '(loss) profit' or 'profit (loss)' ('Net loss' and 'Net (loss) profit'). The
    meaning and the sign convention are the same, so a rule written for one release reads the
    other. None when the label has no such words."""
    out, at, changed = [], 0, False
    text = " ".join(label.split())
    for m in _SIGNED.finditer(text):
        if m.group(5) and not signed:
            continue
        out.append(_escape(text[at:m.start()]))
        if m.group(5):
            out.append(r"(?:loss|\(loss\) (?:profit|income)|(?:profit|income) \(loss\))")
        else:
            inner, outer = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            out.append(rf"(?:\({inner.lower()}\) {outer.lower()}|{outer.lower()} \({inner.lower()}\))")
        at, changed = m.end(), True
    if not changed:
        return None
    out.append(_escape(text[at:]))
    return "/^" + "".join(out) + "$/i"


def _escape(text: str) -> str:
    return re.escape(text).replace("\\ ", " ").replace("/", r"\/")


def _label(text: str) -> n.Label:
    return n.Label((n.Text(text, _AT),), _AT)


class Names:
    """Table names and row references for one filing."""

    def __init__(self, filing: Filing, prefix: str = ""):
        self.filing = filing
        self.prefix = prefix
        self.tables: dict[int, tuple[str, str]] = {}  # id(table) -> (name, file stem)
        self.skipped: list[tuple[Table, str]] = []
        self.titles: dict[int, str] = {}
        used: dict[str, int] = {}
        for table in filing.tables:
            # by its id (as `extract` shows it): a title can be shared (a 12-month statement
            # beside the quarter's in a year-end release) or missing; the id stays apart
            self.titles[id(table)] = table.id
            why = self._declarable(table, table.id)
            if why:
                self.titles[id(table)] = table.title
                if self._declarable(table, table.title):
                    self.skipped.append((table, why))
                    continue
            title = table.title.lower()
            base, stem = next(((k, f) for k, words, f in KINDS if re.search(words, title)), ("t", "statements"))
            used[base] = used.get(base, 0) + 1
            name = prefix + (base if used[base] == 1 and base != "t" else f"{base}{used[base]}")
            self.tables[id(table)] = (name, stem if stem != "statements" else f"table_{name}")
        self._refs: dict[tuple[int, int], Optional[str]] = {}
        self.ads_ratio: Optional[tuple] = None  # (value, evidence) when the figures state it, not the words

    def _declarable(self, table: Table, title: str) -> str:
        if not title.strip():
            return "it has no title to find it by"
        decl = n.TableDecl("t", (n.Text(title, _AT),), _AT)
        try:
            if find_table(self.filing, decl) is not table:
                return "its title finds another table"
        except Unresolved as exc:
            return exc.reason
        return ""

    def name(self, table: Table) -> Optional[str]:
        found = self.tables.get(id(table))
        return found[0] if found else None

    def stem(self, table: Table) -> str:
        return self.tables[id(table)][1]

    def declarations(self) -> list[str]:
        out = []
        for table in self.filing.tables:
            if id(table) in self.tables:
                title = self.titles[id(table)]
                said = f": {' '.join(table.title.split())[:70]}" if title != table.title and table.title.strip() else ""
                out.append(f"table {self.name(table)} = {quote(title)}   # line {table.span.line}{said}")
        return out

    def ref(self, table: Table, row: Row, mods: str = "") -> Optional[str]:
        """`ops["Section" / "Label"]`, or None when no label path names this row alone."""
        labels = self._labels(table, row)
        name = self.name(table)
        if labels is None or name is None:
            return None
        return f"{name}[{self._spelled(table, labels)}]{mods}"

    def _spelled(self, table: Table, labels) -> str:
        """A label path in the rule language, each step with its sign-word alternative."""
        steps = []
        for label in labels:
            pattern = sign_pattern(label, self._signed(table, label))
            steps.append(quote(label) + (f" | {pattern}" if pattern else ""))
        return " / ".join(steps)

    def _signed(self, table: Table, label: str) -> bool:
        """Are the rows of this label printed with their sign (every figure below zero), or headings
        (no figure whose sign a wording could change)?"""
        key = norm(label)
        rows = [r for r in table.rows if norm(r.label) == key]
        figs = [c for r in rows for c in r.cells if c is not None and c.value != 0]
        if not figs:
            return bool(rows) and all(r.is_header for r in rows)
        return all(c.value < 0 for c in figs)

    def _path(self, table: Table, row: Row) -> Optional[str]:
        if norm(row.label) == "" and not row.section:
            tries: list[tuple[str, ...]] = []
        else:
            tries = [(row.label,)]
        if row.section:
            tries.append((row.section[-1], row.label))
            tries.append(row.section + (row.label,))
        above = [r for r in table.rows[:row.index] if not r.is_header and not r.is_group and norm(r.label)]
        for prev in reversed(above[-6:]):  # after an ordinary row A, the first B below it
            tries.append((prev.label, row.label))
        for labels in tries:
            path = tuple(_label(x) for x in labels)
            try:
                if find_row(table, path) is row:
                    return labels
            except Unresolved:
                continue
        return None

    def _labels(self, table: Table, row: Row):
        key = (id(table), row.index)
        if key not in self._refs:
            self._refs[key] = self._path(table, row)
        return self._refs[key]

    def items(self, table: Table, items: list[Row], total: Row, bounded: bool = False) -> Optional[str]:
        """A sum's items as a range the engine reads as exactly these rows, or None: the rows
        between the total above them (`bounded`) and this total (so an item a later release adds
        is summed too), the items of their heading, or the rows from the first to the last."""
        name = self.name(table)
        first, last = items[0], items[-1]
        above = table.rows[first.index - 1] if first.index > 0 else None
        forms = []
        if bounded and above is not None and not above.is_header and last.index == total.index - 1:
            forms.append(("between", self._labels(table, above), self._labels(table, total)))
        if above is not None and above.is_header:
            forms.append(("star", self._labels(table, above), None))
        forms.append(("range", self._labels(table, first), self._labels(table, last)))
        want = [r.index for r in items]
        for kind, a, b in forms:
            if a is None or (kind != "star" and b is None):
                continue
            path = tuple(_label(x) for x in a)
            ref = n.CellRef(name, path + ((n.Star(_AT),) if kind == "star" else ()), (), _AT,
                            until=tuple(_label(x) for x in b) if b else (), between=kind == "between")
            try:
                if [r.index for r in find_rows(table, ref)] != want:
                    continue
            except Unresolved:
                continue
            a_text = self._spelled(table, a)
            if kind == "star":
                return f"sum({name}[{a_text} / *])"
            b_text = self._spelled(table, b)
            if kind == "between":
                return f"sum({name}[between {a_text} and {b_text}])"
            return f"sum({name}[{a_text} .. {b_text}])"
        return None
