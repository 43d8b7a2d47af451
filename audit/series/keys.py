"""What makes two tables or two rows of different releases the same: normalised titles and labels,
and a pack's table declarations and label alternatives."""
from __future__ import annotations

import dataclasses
import re
from typing import Iterable, Optional

from ..check.resolve import Ambiguous, Missing, find_table, norm
from ..lang import nodes as n
from ..lang.releases import base
from ..read.filing import Filing, Row, Table

#: Words that qualify a statement's title without changing what it is.
_QUALIFIERS = frozenset({"unaudited", "audited", "interim", "condensed", "consolidated", "preliminary", "the"})
#: Words that say which way an amount goes; "gain (loss)", "(loss) gain" and "profit/(loss)" are one row
#: whichever way the two are worded, since the printed sign says which it is.
_SIGN = r"(?:loss|losses|gain|gains|profit|profits|income|expense|expenses|benefit|deficit|surplus|charge|credit)"
_PAIR = re.compile(rf"\b({_SIGN})\s*/?\s*\(({_SIGN})\)|\(({_SIGN})\)\s*/?\s*({_SIGN})\b")
_WORD = re.compile(r"[a-z0-9]+(?:[-/][a-z0-9]+)*|[^a-z0-9\s',.;:-]")


def _pair(match: re.Match) -> str:
    words = [w for w in match.groups() if w]
    return "/".join(sorted(_stem(w) for w in words))


def _stem(word: str) -> str:
    """Plural and singular alike: 'expenses' and 'expense', 'statements' and 'statement'."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    if len(word) > 4 and word.endswith("es") and word[:-2].endswith(("ss", "x", "ch", "sh")):
        return word[:-2]
    return word


def label_key(label: str) -> str:
    """A row label as matched across releases: case, quotes, dashes, spacing, paired signs, plurals."""
    text = _PAIR.sub(_pair, norm(label))
    return " ".join(_stem(w) for w in _WORD.findall(text))


def title_key(title: str) -> str:
    """A table title as matched across releases: the label rules, without qualifiers (unaudited, interim)."""
    return " ".join(w for w in label_key(title).split() if w not in _QUALIFIERS)


class Vocabulary:
    """The table names and label alternatives of the packs that apply to the series."""

    def __init__(self, rulesets: Iterable = ()):
        self.tables: list[n.TableDecl] = []
        self.labels: dict[str, list[n.Label]] = {}  # table name -> labels with alternatives
        for ruleset in rulesets:
            for decl in ruleset.tables.values():
                if decl.release is None and all(d.name != decl.name for d in self.tables):  # not prior_year.t
                    self.tables.append(decl)
            for ref in _cell_refs(ruleset):
                for step in ref.path + ref.until:
                    if isinstance(step, n.Label) and len(step.options) > 1:
                        known = self.labels.setdefault(base(ref.table), [])  # prior_year.t: t's labels
                        if step not in known:
                            known.append(step)

    def table_names(self, filing: Filing) -> dict[int, str]:
        """id(table) -> the pack's name for it, for each declared table found in the filing."""
        out: dict[int, str] = {}
        for decl in self.tables:
            try:
                found = [find_table(filing, decl)]
            except Ambiguous:  # one statement printed for several periods (a quarter's and a year's)
                found = [t for t in filing.tables if _titled(t, decl)]
            except Missing:
                continue
            for table in found:
                out.setdefault(id(table), decl.name)
        return out

    def row_label(self, table_name: Optional[str], row: Row) -> Optional[str]:
        """The pack's alternatives a row's label matches ("A" | "B"), if any."""
        for label in self.labels.get(table_name or "", ()):
            normed = norm(row.label)
            for option in label.options:
                if (isinstance(option, n.Text) and norm(option.value) == normed) or \
                        (isinstance(option, n.Pattern) and option.regex().search(row.label)):
                    return " | ".join(o.written() for o in label.options)
        return None


def _titled(table: Table, decl: n.TableDecl) -> bool:
    title = norm(table.title)
    return any(norm(o.value) in title if isinstance(o, n.Text) else o.regex().search(table.title) is not None
               for o in decl.titles)


def _cell_refs(ruleset) -> Iterable[n.CellRef]:
    """Every cell reference written in the pack's rules and definitions."""
    stack: list = list(ruleset.rules) + list(ruleset.lets.values())
    while stack:
        node = stack.pop()
        if isinstance(node, n.CellRef):
            yield node
        if isinstance(node, (tuple, list)):
            stack.extend(node)
        elif dataclasses.is_dataclass(node) and not isinstance(node, type):
            stack.extend(getattr(node, f.name) for f in dataclasses.fields(node)
                         if not isinstance(getattr(node, f.name), (str, int)))
