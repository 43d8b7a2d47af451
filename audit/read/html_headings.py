"""An HTML table's heading rows made readable by the text layout: footnote superscripts out of
them, a comparison column named a change, a currency printed in a column's cells named in its
heading, a lone duration heading spread over the columns, heading rows it would not read joined,
blank headings filled."""
from __future__ import annotations

import re
from typing import Optional

from .html_flow import Traced, collapse
from .layout import is_header_row
from .marks import SUPERSCRIPT_DIGITS, marker

_NAMED_CURRENCY = re.compile(r"\b(?:USD|RMB|CNY|HKD|EUR|GBP)\b|US\$|HK\$", re.IGNORECASE)
_CHANGE_WORD = re.compile(r"\bchange", re.IGNORECASE)
#: Heading text that names a period or a currency (inherited by the blank heading to its right).
_PERIODISH = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\b(?:19|20)\d\d\b"
                        r"|\bended\b|\bweeks?\b|\bmonths?\b|\bquarter\b|\bas (?:of|at)\b|\$"
                        r"|\b(?:USD|RMB|CNY|HKD|EUR)\b", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d\d")
_SUP_FOOTNOTE = re.compile(marker(SUPERSCRIPT_DIGITS))  # how html_text writes a superscript "1", "1,2", "i", "*"


def unmarked(text: Traced, marks: set[int]) -> Traced:
    """A heading cell's text without its superscript footnote markers (``marks``: their offsets in
    the markup): "% Change<sup>i</sup>" is "% Change", no word of it "Changei"."""
    origins = text.o
    drop = [o in marks for o in origins]
    if not any(drop):
        return text
    for match in _SUP_FOOTNOTE.finditer(text.s):  # the "^{" "}" made up around a marker's marks
        if any(drop[match.start():match.end()]):
            drop[match.start():match.end()] = [True] * (match.end() - match.start())
    keep = [k for k, dropped in enumerate(drop) if not dropped]
    return collapse("".join(text.s[k] for k in keep), [origins[k] for k in keep])


def name_headings(heads: list[list[Traced]], change: list[bool], currencies: list[set]) -> None:
    """A table's heading rows (``heads``, changed in place) as the text layout reads them: which
    value columns are comparisons (``change``) and the currencies printed in each's cells."""
    _name_change(heads, change)
    _name_currency(heads, currencies)
    _spread_lone_heading(heads)
    _readable_headings(heads)
    _fill_headings(heads)


_DURATION_HEAD = re.compile(r"\bended\b|\bending\b|\bmonths?\b|\bweeks?\b", re.IGNORECASE)


def _spread_lone_heading(heads: list[list[Traced]]) -> None:
    """A duration heading that is the only text of its row ("Three Months Ended March 31," over a
    "2022 | 2021" row) is the heading of every column, though its cell spans only some of them."""
    if len(heads) < 2 or len(heads[0]) < 2:
        return
    for row in heads:
        texts = [t for t in row if t]
        if len({t.s for t in texts}) != 1 or not _DURATION_HEAD.search(texts[0].s):
            continue
        if any(_DURATION_HEAD.search(t.s) for other in heads if other is not row for t in other):
            return
        for k in range(len(row)):
            row[k] = row[k] or texts[0]


def _name_currency(heads: list[list[Traced]], currencies: list[set]) -> None:
    """A column printed with "$" under headings that name no currency: its last heading gets " USD"."""
    for k, found in enumerate(currencies):
        if len(found) != 1 or not heads or _NAMED_CURRENCY.search(" ".join(h[k].s for h in heads)):
            continue
        last = next((h for h in reversed(heads) if _YEAR.search(h[k].s)), None) or next(
            (h for h in reversed(heads) if h[k]), heads[-1])  # the heading that names its period
        last[k] = (last[k] + (" " + next(iter(found)))).strip()


def _name_change(heads: list[list[Traced]], change: list[bool]) -> None:
    """A comparison column ("Up 34%", "Increase (Decrease)") whose headings do not say "change" gets
    it added to its last heading, so that the text layout reads it as a change, no period of its own."""
    for k, is_change in enumerate(change):
        if not is_change or not heads or any(_CHANGE_WORD.search(h[k].s) for h in heads):
            continue
        last = next((h for h in reversed(heads) if h[k]), heads[-1])
        last[k] = (last[k] + " change").strip()


def _readable_headings(heads: list[list[Traced]]) -> None:
    """Heading rows the text layout would not take for headings ("(Unaudited)" alone, "Amount",
    "GAAP") are joined, column by column, to the heading row next to them (above, else below):
    each column's heading is the same, read in the same order."""
    def readable(row: list[Traced]) -> bool:
        return is_header_row("\t" + "\t".join(t.s for t in row))

    while len(heads) > 1:
        failing = next((r for r, row in enumerate(heads) if not readable(row)), None)
        if failing is None:
            return
        other = failing - 1 if failing > 0 and (failing + 1 == len(heads) or readable(heads[failing - 1])) \
            else failing + 1
        upper, lower = min(failing, other), max(failing, other)
        heads[upper] = [Traced.join(" ", [t for t in pair if t]) for pair in zip(heads[upper], heads[lower])]
        del heads[lower]


def _fill_headings(heads: list[list[Traced]]) -> None:
    """The text layout gives a blank heading the text to its left (a heading spanning columns is
    written once there). A table's blank heading stands over nothing: where the text to its left
    names a period or a currency, the column's own heading from another row is repeated instead
    (the text layout reads a heading repeated in the next row once), and so for each blank of a
    run of them ("December 31, | (blank spanning two columns)" over "YoY | QoQ"): a filled blank
    is one column's own heading, never the text its right neighbour would be given."""
    own = [[h[k] for h in heads if h[k]] for k in range(len(heads[0]))] if heads else []
    for r, row in enumerate(heads):
        left: Optional[Traced] = None
        for k, text in enumerate(row):
            if text:
                left = text
            elif left is not None and own[k] and _PERIODISH.search(left.s):
                below = [h[k] for h in heads[r + 1:] if h[k]]
                row[k] = below[0] if below else own[k][-1]
