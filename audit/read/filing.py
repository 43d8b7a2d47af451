"""The Filing model: what extraction hands to the engine (tables, rows, cells, prose figures)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from .meta import Meta

UNIT_WORDS = {3: "thousands", 6: "millions", 9: "billions", 0: ""}

#: Month names as a regular expression (capitalised: compile with IGNORECASE where case is free).
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
#: Month number by lower-case name.
MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
#: Abbreviated month names as printed in column headings ("Dec. 31, 2024", "Sept 30").
MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
MONTHS.update({name[:3]: number for name, number in list(MONTHS.items())})
MONTHS["sept"] = 9
#: Months a period of this many months, quarters or weeks stands for (retail calendars: 13, 26,
#: 39 and 52 or 53 weeks are the quarter, half year, nine months and year).
SPAN_MONTHS = {"three": 3, "six": 6, "nine": 9, "twelve": 12, "3": 3, "6": 6, "9": 9, "12": 12,
               "year": 12, "quarter": 3,
               "thirteen": 3, "twenty-six": 6, "thirty-nine": 9, "fifty-two": 12, "fifty-three": 12,
               "13": 3, "26": 6, "39": 9, "52": 12, "53": 12}


@dataclass(frozen=True, slots=True)
class Span:
    """A place in a source file: 1-based line and column, end column exclusive."""

    line: int
    col: int
    end_col: int

    def __str__(self) -> str:
        return f"{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Period:
    """When a figure applies: an instant (``start`` is None) or a duration."""

    end: dt.date
    start: Optional[dt.date] = None

    @property
    def is_instant(self) -> bool:
        return self.start is None

    @property
    def months(self) -> int:
        """Its length in months: calendar periods exactly, 13/26/39/52/53-week periods as 3/6/9/12."""
        if self.start is None:
            return 0
        days = (self.end - self.start).days + 1
        return (96 * days + 1461) // 2922  # days / (1461 / 48) days per month, rounded

    def label(self) -> str:
        if self.start is None:
            return self.end.isoformat()
        return f"{self.months}M to {self.end.isoformat()}"


@dataclass(frozen=True, slots=True)
class Column:
    """One value column of a table: its period, currency and role ("GAAP", "Adj.", a segment),
    read from the header rows."""

    index: int
    header: str
    period: Optional[Period]
    currency: Optional[str]
    role: str = ""

    @property
    def label(self) -> str:
        parts = [self.period.label() if self.period else self.header or f"column {self.index + 1}"]
        if self.role and self.period:
            parts.append(self.role)
        if self.currency:
            parts.append(self.currency)
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class ProsePeriod:
    """The period a prose figure speaks of, as far as its sentence says."""

    kind: str  # "current" | "year" | "prior_quarter" | "instant" | "prior_year" | "dated"
    year: Optional[int] = None
    date: Optional[dt.date] = None  # an instant's date, or the end of a dated period
    months: Optional[int] = None  # the length of period its sentence names ('for the full year')

    def label(self) -> str:
        if self.months and self.kind in ("current", "year", "prior_year"):
            span = f"{self.months}M "
            return span + ("current" if self.kind == "current" else
                           f"same period {self.year}" if self.kind == "year" else "prior year")
        if self.kind == "year":
            return f"same period {self.year}"
        if self.kind == "instant" and self.date:
            return f"as of {self.date.isoformat()}"
        if self.kind == "dated" and self.date:  # "in February 2025", a quarter ahead
            return f"{self.months}M to {self.date.isoformat()}"
        return self.kind.replace("_", " ")


@dataclass(frozen=True, slots=True)
class Figure:
    """One printed number with its exact source text, value, unit, precision and place.

    ``value`` is what was printed (sign applied) in the printed unit; the amount it
    stands for is ``value * 10**scale`` of ``unit`` (percentages have scale -2).
    """

    value: Decimal
    scale: int
    unit: str
    decimals: int
    kind: str  # amount | per_share | shares | percent | count | rate | nil
    text: str
    span: Span
    # table cells
    table: Optional[str] = None
    row: Optional[str] = None
    section: tuple[str, ...] = ()
    column: Optional[Column] = None
    # prose figures
    phrase: Optional[str] = None
    context: Optional[str] = None
    period: Optional[ProsePeriod] = None
    scale_word: Optional[str] = None
    sentence: Optional[int] = None

    @property
    def id(self) -> str:
        return f"L{self.span.line}C{self.span.col}"

    @property
    def key(self) -> tuple[int, int]:
        """(line, column) where the figure is printed: it identifies the figure in its filing."""
        return self.span.line, self.span.col

    @property
    def exact(self) -> bool:
        """A nil ('-') is exactly zero; every other printed figure is rounded."""
        return self.kind == "nil"

    @property
    def balance_date(self) -> Optional[dt.date]:
        """A cell that is a balance at one end of its column's period ('cash at end of period',
        'beginning balances', 'End of Period Shares Outstanding'): the date it is a balance at (the
        column's last day, or the day before its first); None for any other figure."""
        period = self.column.period if self.column is not None else None
        if period is None or period.start is None or not self.row:
            return None
        found = _BALANCE.search(self.row)
        if found is None:
            return None
        return period.end if found.group("end") or found.group("end2") else period.start - dt.timedelta(days=1)

    @property
    def base_value(self) -> Decimal:
        return self.value.scaleb(self.scale)

    @property
    def unit_label(self) -> str:
        if self.unit == "%":
            return "%"
        words = UNIT_WORDS.get(self.scale, f"x1e{self.scale}")
        return f"{self.unit} {words}".strip()


@dataclass(frozen=True, slots=True)
class Row:
    """A table row: its label, section path, kind and one optional cell per column."""

    index: int
    label: str
    section: tuple[str, ...]
    kind: str  # amount | per_share | shares | percent | header
    cells: tuple[Optional[Figure], ...]
    span: Span  # where the label is printed
    is_total: bool = False
    is_group: bool = False
    label_figures: tuple[Figure, ...] = ()  # figures printed inside the label ("50,400,000 shares authorized")

    @property
    def is_header(self) -> bool:
        return self.kind == "header"

    @property
    def path(self) -> str:
        return " / ".join(self.section + (self.label,))


@dataclass(frozen=True, slots=True, weakref_slot=True)
class Table:
    """A statement found from its title line, with unit note, columns and rows."""

    id: str
    title: str
    span: Span
    unit_note: str
    scale: int
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    def figures(self):
        for row in self.rows:
            for cell in row.cells:
                if cell is not None:
                    yield cell


@dataclass(frozen=True, slots=True)
class Fact:
    """A typed statement of the filing, such as its stated exchange rate."""

    name: str
    value: Decimal
    text: str
    span: Span
    attrs: tuple[tuple[str, str], ...] = ()


@dataclass
class Filing:
    """Everything extraction found in one filing's text."""

    path: str
    text: str
    sha256: str
    tables: list[Table] = field(default_factory=list)
    prose: list[Figure] = field(default_factory=list)
    facts: dict[str, Fact] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    source_format: str = "text"  # "html": text and lines are those rendered from an HTML exhibit
    meta: Meta = Meta()
    source: Optional["SourceMap"] = None

    def offset(self, span: Span) -> Optional[int]:
        """The byte offset in the input file where the text at `span` was read, if known."""
        return self.source.offset(span) if self.source is not None else None

    def figures(self):
        for table in self.tables:
            yield from table.figures()
        yield from self.prose

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""


# A row of a balance at one end of the period: "at end of period", ", beginning of year", "ending
# balances", "Balance at the close of the fiscal year", "End of Period Shares Outstanding".
_BALANCE = re.compile(
    r"\b(?:(?:(?P<end>end|close)|beginning|start)\s+of\s+(?:the\s+)?(?:fiscal\s+)?"
    r"(?:period|year|quarter|month|half|(?:three|six|nine|twelve|\d{1,2})[- ]months?(?:\s+period)?|\d{1,2}\s+weeks)"
    r"|(?:(?P<end2>ending|closing)|beginning|opening)\s+balances?)\b", re.I)
_NEWLINE = re.compile(r"\r\n|\r|\n")
_LF = re.compile("\n")  # (a text without CR: its line ends found by the simpler pattern, 5x quicker)
_BLOCK = 512  # characters per block: an offset encodes at most this many (a JSON report asks one per figure)


class SourceMap:
    """Rendered (line, column) -> byte offset in the input file.

    A text document's lines are its own (the offset is the line's start plus the column); an HTML
    rendering gives each character its origin in the markup (-1 for characters it made up).
    ``base`` is where the document starts in the file (after an EDGAR wrapper).
    """

    __slots__ = ("data", "base", "body", "origins", "_starts", "_blocks")

    def __init__(self, data: str, base: int = 0, body: Optional[str] = None,
                 origins: Optional[list[list[int]]] = None):
        self.data, self.base, self.body, self.origins = data, base, body, origins
        self._starts: Optional[list[int]] = None  # line starts of a text document, computed when first asked
        self._blocks: Optional[list[int]] = None

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            text = self.data[self.base:] if self.body is None else self.body
            ends = _NEWLINE if "\r" in text else _LF
            self._starts = [0] + [m.end() for m in ends.finditer(text)]
        return self._starts

    def offset(self, span: Span) -> Optional[int]:
        """The byte offset in the file of the text at `span`, or None."""
        if self.origins is None:
            line, starts = span.line - 1, self._starts or self.starts
            if not 0 <= line < len(starts):
                return None
            index = self.base + starts[line] + span.col - 1
        else:
            index = self.index(span)
            if index is None:
                return None
        blocks = self._blocks
        if blocks is None:
            blocks = self._measure()
        if not blocks:  # all ASCII
            return index
        block = index // _BLOCK
        start = blocks[block]
        if block + 2 < len(blocks) and blocks[block + 1] - start == _BLOCK:  # a whole block, ASCII: a byte a character
            return start + index - block * _BLOCK
        return start + len(self.data[block * _BLOCK:index].encode("utf-8", "surrogatepass"))

    def index(self, span: Span) -> Optional[int]:
        """The character offset in the file's text, or None."""
        line = span.line - 1
        if self.origins is None:
            if not 0 <= line < len(self.starts):
                return None
            return self.base + self.starts[line] + span.col - 1
        if not 0 <= line < len(self.origins):
            return None
        row = self.origins[line]
        for j in range(span.col - 1, min(max(span.end_col - 1, span.col), len(row))):
            if row[j] >= 0:
                return self.base + row[j]
        return None

    def _measure(self) -> list[int]:
        """The byte offset of every block of characters and the data's length in bytes ([] when all
        are ASCII): a block whose bytes are as many as its characters is ASCII."""
        blocks, total = [], 0
        if not self.data.isascii():
            for start in range(0, len(self.data), _BLOCK):
                blocks.append(total)
                total += len(self.data[start:start + _BLOCK].encode("utf-8", "surrogatepass"))
            blocks.append(total)
        self._blocks = blocks
        return blocks
