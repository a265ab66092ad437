"""Helpers shared by the source modules."""

from __future__ import annotations

import pyarrow as pa

from pembina.contracts import checks


def tidy(table: pa.Table) -> pa.Table:
    """Trim whitespace and make blank values missing, in every column."""
    columns = [checks.tidy_text(table[name]) for name in table.column_names]
    return pa.Table.from_arrays(columns, names=table.column_names)


def with_iso_dates(table: pa.Table, dates: dict[str, str]) -> pa.Table:
    """The date columns of rows that passed the contract, rewritten as yyyy-mm-dd."""
    for column, fmt in dates.items():
        index = table.column_names.index(column)
        table = table.set_column(index, column, checks.to_iso_date(table[column], fmt))
    return table
