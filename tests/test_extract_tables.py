"""Table extraction on the fixture: the five statements, their columns, rows and every cell.

The cells are checked against tests/golden/fixture_cells.tsv, an oracle built from the fixture
by a plain tab split (not by our extractor) and checked by eye.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from audit.read.filing import Period

GOLDEN_CELLS = Path(__file__).resolve().parent / "golden" / "fixture_cells.tsv"

TABLE_LINES = range(254, 410)

EXPECTED_TABLES = [
    # id, title, title line
    ("balance-sheets", "Unaudited Condensed Consolidated Balance Sheets", 254),
    ("statements-of-operations", "Unaudited Condensed Consolidated Statements of Operations", 307),
    ("statements-of-cash-flows", "Unaudited Condensed Consolidated Statements of Cash Flows", 353),
    ("statements-of-comprehensive-income",
     "Unaudited Condensed Consolidated Statements of Comprehensive Income", 368),
    ("reconciliations-of-gaap-and-non-gaap-results", "Unaudited Reconciliations of GAAP and Non-GAAP Results", 384),
]

Q1_2022 = Period(end=dt.date(2022, 3, 31), start=dt.date(2022, 1, 1))
Q1_2023 = Period(end=dt.date(2023, 3, 31), start=dt.date(2023, 1, 1))
THREE_MONTHS = [(Q1_2022, "RMB"), (Q1_2023, "RMB"), (Q1_2023, "USD")]
EXPECTED_COLUMNS = {
    "balance-sheets": [(Period(end=dt.date(2022, 12, 31)), "RMB"), (Period(end=dt.date(2023, 3, 31)), "RMB"),
                       (Period(end=dt.date(2023, 3, 31)), "USD")],
    "statements-of-operations": THREE_MONTHS,
    "statements-of-cash-flows": THREE_MONTHS,
    "statements-of-comprehensive-income": THREE_MONTHS,
    "reconciliations-of-gaap-and-non-gaap-results": THREE_MONTHS,
}


def load_golden():
    cells = []
    for raw in GOLDEN_CELLS.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        line, col, text, value, kind = raw.split("\t")
        cells.append((int(line), int(col), text, Decimal(value), kind))
    return cells


GOLDEN = load_golden()


def table_cells(filing):
    return [cell for table in filing.tables for cell in table.figures()]


def rows_labelled(table, label):
    return [r for r in table.rows if r.label == label]


def row_at(table, line):
    """The row whose cells are printed on the given line."""
    found = [r for r in table.rows if any(c is not None and c.span.line == line for c in r.cells)]
    assert len(found) == 1, f"expected one row with cells on line {line}, got {found}"
    return found[0]


# -- the golden file itself ------------------------------------------------------------------

def test_golden_file_is_sane(fixture_lines):
    """The oracle covers the table lines only, once per cell, and its text is really printed there."""
    assert len(GOLDEN) == 308
    keys = [(line, col) for line, col, *_ in GOLDEN]
    assert len(set(keys)) == len(keys)
    for line, col, text, _value, kind in GOLDEN:
        assert line in TABLE_LINES
        assert col in (0, 1, 2)
        assert fixture_lines[line - 1].split("\t")[col + 1].strip() == text
        assert kind in {"amount", "nil", "percent", "per_share", "shares"}


# -- tables -------------------------------------------------------------------------------

def test_five_tables_with_titles(filing):
    found = [(t.id, t.title, t.span.line) for t in filing.tables]
    assert found == EXPECTED_TABLES


@pytest.mark.parametrize("table_id", [t[0] for t in EXPECTED_TABLES])
def test_unit_note_is_thousands(tables_by_id, table_id):
    table = tables_by_id[table_id]
    assert table.scale == 3
    assert table.unit_note.startswith("(Amounts in thousands of Renminbi")
    assert table.unit_note.endswith("per share data, or otherwise noted)")


@pytest.mark.parametrize("table_id", [t[0] for t in EXPECTED_TABLES])
def test_columns_period_and_currency(tables_by_id, table_id):
    table = tables_by_id[table_id]
    got = [(c.index, c.period, c.currency) for c in table.columns]
    want = [(i, period, cur) for i, (period, cur) in enumerate(EXPECTED_COLUMNS[table_id])]
    assert got == want
    if table_id != "balance-sheets":
        for column in table.columns:
            assert column.header.lower().startswith("three months ended march 31")
            assert column.period.months == 3
    else:
        assert all(c.period.is_instant for c in table.columns)


def test_column_labels(tables_by_id):
    assert [c.label for c in tables_by_id["balance-sheets"].columns] == [
        "2022-12-31 RMB", "2023-03-31 RMB", "2023-03-31 USD"]
    assert [c.label for c in tables_by_id["statements-of-operations"].columns] == [
        "3M to 2022-03-31 RMB", "3M to 2023-03-31 RMB", "3M to 2023-03-31 USD"]


# -- cells against the oracle --------------------------------------------------------------

def test_cells_match_golden_exactly(filing):
    cells = table_cells(filing)
    got = [(c.span.line, c.column.index, c.text, c.value) for c in cells]
    want = [(line, col, text, value) for line, col, text, value, _ in GOLDEN]
    assert len(got) == len(set(got)), "a cell was extracted twice"
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    assert not missing, f"cells not extracted: {missing}"
    assert not extra, f"cells extracted that are not in the oracle: {extra}"
    assert len(got) == len(want)


def test_cell_values_are_decimals_with_printed_precision(filing):
    for cell in table_cells(filing):
        assert type(cell.value) is Decimal
        digits = cell.text.strip("()%")
        expected_decimals = len(digits.split(".")[1]) if "." in digits else 0
        assert cell.decimals == expected_decimals, cell


def test_cell_kinds_match_golden(filing):
    kinds = {(c.span.line, c.column.index): c.kind for c in table_cells(filing)}
    for line, col, text, _, kind in GOLDEN:
        assert kinds[(line, col)] == kind, (line, col, text)


def test_cell_spans_point_at_printed_text(filing, fixture_lines):
    for cell in table_cells(filing):
        line = fixture_lines[cell.span.line - 1]
        assert line[cell.span.col - 1:cell.span.end_col - 1] == cell.text, cell


def test_cells_carry_table_row_and_column(filing):
    for table in filing.tables:
        for row in table.rows:
            for i, cell in enumerate(row.cells):
                if cell is None:
                    continue
                assert cell.table == table.id
                assert cell.row == row.label
                assert cell.section == row.section
                assert cell.column is table.columns[i]


def test_scale_and_unit_follow_kind(filing):
    for cell in table_cells(filing):
        if cell.kind in ("amount", "nil"):
            assert (cell.scale, cell.unit) == (3, cell.column.currency), cell
        elif cell.kind == "percent":
            assert (cell.scale, cell.unit) == (-2, "%"), cell
        elif cell.kind == "per_share":
            assert (cell.scale, cell.unit) == (0, cell.column.currency), cell
        else:
            assert cell.kind == "shares"
            assert cell.scale == 0


def test_parenthesised_cell_is_negative_and_dash_is_nil(tables_by_id):
    ops = tables_by_id["statements-of-operations"]
    provision = row_at(ops, 330)
    assert [c.value for c in provision.cells] == [Decimal(53608), Decimal(-2236), Decimal(-326)]
    assert provision.cells[1].text == "(2,236)"
    investment = row_at(ops, 337)
    assert investment.cells[0].value == Decimal(-4900)
    for nil in investment.cells[1:]:
        assert nil.kind == "nil" and nil.text == "-" and nil.value == 0 and nil.exact
    assert not investment.cells[0].exact


def test_percent_rows_leave_usd_column_empty(tables_by_id):
    recon = tables_by_id["reconciliations-of-gaap-and-non-gaap-results"]
    for line, values in [(395, ["27.2", "25.8"]), (396, ["28.4", "27.1"]),
                         (408, ["31.5", "28.0"]), (409, ["32.7", "29.3"])]:
        row = row_at(recon, line)
        assert row.kind == "percent"
        assert [c.value for c in row.cells[:2]] == [Decimal(v) for v in values]
        assert row.cells[2] is None
        assert all(c.kind == "percent" and c.unit == "%" and c.scale == -2 for c in row.cells[:2])


# -- rows: kinds, sections, totals --------------------------------------------------------------

PER_SHARE_HEADERS = {
    344: "Net income per ordinary share attributable to ordinary shareholders of Qifu Technology, Inc.",
    345: "Net income per ordinary share attributable to ordinary shareholders of Qifu Technology, Inc.",
    347: "Net income per ADS attributable to ordinary shareholders of Qifu Technology, Inc.",
    348: "Net income per ADS attributable to ordinary shareholders of Qifu Technology, Inc.",
}


@pytest.mark.parametrize("line", sorted(PER_SHARE_HEADERS))
def test_per_share_rows_under_headers(tables_by_id, line):
    row = row_at(tables_by_id["statements-of-operations"], line)
    assert row.label in ("Basic", "Diluted")
    assert row.kind == "per_share"
    assert row.section == (PER_SHARE_HEADERS[line],)
    for cell, currency in zip(row.cells, ["RMB", "RMB", "USD"]):
        assert (cell.kind, cell.scale, cell.unit, cell.decimals) == ("per_share", 0, currency, 2)


@pytest.mark.parametrize("line", [402, 403])
def test_reconciliation_per_ads_rows(tables_by_id, line):
    row = row_at(tables_by_id["reconciliations-of-gaap-and-non-gaap-results"], line)
    assert "per ADS" in row.label and row.label.endswith("-diluted")
    assert row.kind == "per_share"
    assert all(c.kind == "per_share" and c.scale == 0 for c in row.cells)


@pytest.mark.parametrize("table_id,line,unit", [
    ("statements-of-operations", 350, "shares"),
    ("statements-of-operations", 351, "shares"),
    ("reconciliations-of-gaap-and-non-gaap-results", 401, "ADS"),
])
def test_share_count_rows(tables_by_id, table_id, line, unit):
    row = row_at(tables_by_id[table_id], line)
    assert row.kind == "shares"
    for cell in row.cells:
        assert (cell.kind, cell.scale, cell.unit, cell.decimals) == ("shares", 0, unit, 0)
    # a share count is not in thousands: 310,597,659 shares is that many shares
    assert row.cells[0].base_value == row.cells[0].value


def test_weighted_average_shares_header(tables_by_id):
    ops = tables_by_id["statements-of-operations"]
    for line in (350, 351):
        assert row_at(ops, line).section == (
            "Weighted average shares used in calculating net income per ordinary share",)


def test_other_services_fees_rows_have_distinct_sections(tables_by_id):
    ops = tables_by_id["statements-of-operations"]
    rows = rows_labelled(ops, "Other services fees")
    assert [r.span.line for r in rows] == [318, 322]
    assert rows[0].section == ("Credit driven services",)
    assert rows[1].section == ("Platform services",)
    assert rows[0].path != rows[1].path
    # the cells carry the same section as their row
    assert all(c.section == ("Credit driven services",) for c in rows[0].cells)
    assert all(c.section == ("Platform services",) for c in rows[1].cells)


def test_group_rows_carry_subtotals(tables_by_id):
    ops = tables_by_id["statements-of-operations"]
    groups = [r.label for r in ops.rows if r.is_group]
    assert groups == ["Credit driven services", "Platform services"]
    credit = rows_labelled(ops, "Credit driven services")[0]
    items = [r for r in ops.rows if r.section == ("Credit driven services",)]
    assert [r.span.line for r in items] == [315, 316, 317, 318]
    for c in range(3):
        assert sum(r.cells[c].value for r in items) == credit.cells[c].value


def test_wrapped_label_gives_one_row(tables_by_id):
    recon = tables_by_id["reconciliations-of-gaap-and-non-gaap-results"]
    label = "Net income attributable to shareholders of Qifu Technology, Inc."
    rows = rows_labelled(recon, label)
    assert len(rows) == 1
    row = rows[0]
    assert row.span.line == 397
    assert [c.span.line for c in row.cells] == [398, 398, 398]
    assert [c.value for c in row.cells] == [Decimal(1179498), Decimal(934109), Decimal(136015)]
    assert all(c.row == label for c in row.cells)
    assert row.kind == "amount"
    # no row without a label, and no header row made of the wrapped label
    assert all(r.label for t in tables_by_id.values() for r in t.rows)
    assert not [r for r in recon.rows if r.is_header and r.label == label]


@pytest.mark.parametrize("label,section", [
    ("ASSETS", ()),
    ("Current assets:", ("ASSETS",)),
    ("Non-current assets:", ("ASSETS",)),
    ("LIABILITIES AND EQUITY", ()),
    ("Current liabilities:", ("LIABILITIES AND EQUITY",)),
    ("Non-current liabilities:", ("LIABILITIES AND EQUITY",)),
])
def test_section_headers_are_header_rows(tables_by_id, label, section):
    rows = rows_labelled(tables_by_id["balance-sheets"], label)
    assert len(rows) == 1
    row = rows[0]
    assert row.kind == "header" and row.is_header
    assert row.section == section
    assert row.cells == (None, None, None)
    assert not row.is_total


def test_rows_under_section_header(tables_by_id):
    bs = tables_by_id["balance-sheets"]
    cash = rows_labelled(bs, "Cash and cash equivalents")[0]
    assert cash.section == ("ASSETS", "Current assets:")
    assert cash.path == "ASSETS / Current assets: / Cash and cash equivalents"
    deferred = rows_labelled(bs, "Deferred tax liabilities")[0]
    assert deferred.section == ("LIABILITIES AND EQUITY", "Non-current liabilities:")


@pytest.mark.parametrize("label", [
    "Total current assets", "Total non-current assets", "TOTAL ASSETS", "Total current liabilities",
    "Total non-current liabilities", "TOTAL LIABILITIES", "TOTAL EQUITY", "TOTAL LIABILITIES AND EQUITY",
])
def test_total_rows(tables_by_id, label):
    rows = rows_labelled(tables_by_id["balance-sheets"], label)
    assert len(rows) == 1
    assert rows[0].is_total
    assert rows[0].kind == "amount"


def test_total_current_assets_closes_its_section(tables_by_id):
    bs = tables_by_id["balance-sheets"]
    total = rows_labelled(bs, "Total current assets")[0]
    assert total.is_total
    assert total.section == ("ASSETS", "Current assets:")
    # the next row opens a new section rather than staying under "Current assets:"
    after = bs.rows[total.index + 1]
    assert after.label == "Non-current assets:" and after.is_header
    items = [r for r in bs.rows if r.section == ("ASSETS", "Current assets:") and not r.is_total]
    for c in range(3):
        assert sum(r.cells[c].value for r in items) == total.cells[c].value


def test_ordinary_rows_are_not_totals(tables_by_id):
    bs = tables_by_id["balance-sheets"]
    for label in ("Cash and cash equivalents", "Restricted cash", "Non-controlling interests"):
        assert not rows_labelled(bs, label)[0].is_total
    ops = tables_by_id["statements-of-operations"]
    assert rows_labelled(ops, "Total net revenue")[0].is_total
    assert not rows_labelled(ops, "Funding costs")[0].is_total


def test_row_spans_point_at_labels(filing, fixture_lines):
    for table in filing.tables:
        for row in table.rows:
            line = fixture_lines[row.span.line - 1]
            assert line[row.span.col - 1:row.span.end_col - 1] == row.label, row


def test_no_prose_figure_on_table_lines(filing):
    assert not [f for f in filing.prose if f.span.line in TABLE_LINES]


def test_table_cells_only_on_table_lines(filing):
    assert all(c.span.line in TABLE_LINES for c in table_cells(filing))
