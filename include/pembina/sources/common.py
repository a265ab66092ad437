"""Helpers shared by the source modules."""

from __future__ import annotations

import pyarrow as pa

from pembina.contracts import checks
from pembina.sources.base import NO_HEADER, FileRejected


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


def _fold_label(label: str) -> str:
    return " ".join(label.split()).casefold()


class LabelledColumns:
    """A header in the sources' own words (``Tanggal Forum``) mapped to the contract's columns, matched
    case- and spacing-insensitively: the header check and the renaming of a ``SourceEntity``."""

    def __init__(self, labels: dict[str, str], optional: tuple[str, ...] = ()):
        self.labels = labels  # label as the template writes it -> contract column
        self.optional = optional  # contract columns a file may leave out
        self._by_fold = {_fold_label(label): column for label, column in labels.items()}

    def check_header(self, header: list[str], path) -> list[str]:
        found = [self._by_fold.get(_fold_label(name)) for name in header]
        if not any(found):
            raise FileRejected(NO_HEADER)
        problems = []
        missing = [
            label for label, column in self.labels.items() if column not in found and column not in self.optional
        ]
        unexpected = [name for name, column in zip(header, found, strict=True) if column is None]
        duplicated = sorted(
            {name for name, column in zip(header, found, strict=True) if column and found.count(column) > 1}
        )
        if missing:
            problems.append(f"missing columns: {', '.join(missing)}")
        if unexpected:
            problems.append(f"unexpected columns: {', '.join(unexpected)}")
        if duplicated:
            problems.append(f"duplicated columns: {', '.join(duplicated)}")
        if problems:
            raise FileRejected("; ".join(problems))
        return [column for column in self.optional if column not in found]

    def transform(self, columns: tuple[str, ...]):
        """The file's table (its labels, plus the absent optional columns by contract name) -> the contract's
        columns, tidied."""

        def rename(table: pa.Table) -> pa.Table:
            by_column = {self._by_fold.get(_fold_label(name), name): name for name in table.column_names}
            return tidy(table.select([by_column[column] for column in columns]).rename_columns(list(columns)))

        return rename
