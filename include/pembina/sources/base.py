"""What the ingest layer needs to know about one source entity: where its files land, how to read them,
its contract and its raw table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from pembina.contracts import checks
from pembina.contracts.contract import Contract

METADATA_COLUMNS_DDL = """
    _batch_id      bigint not null,
    _file_id       bigint not null,
    _row_number    integer not null,
    _loaded_at     timestamptz not null default now()"""


class FileRejected(Exception):
    """The file cannot be read at all; ``str(exc)`` is the reason recorded in the audit."""


# A first line naming none of the expected columns is a record, not a header: the reason never echoes it.
NO_HEADER = "the first line is not a header: it names none of the expected columns (is the header line missing?)"


@dataclass(frozen=True)
class DelimitedFormat:
    """Delimited text with one header row."""

    delimiter: str
    encodings: tuple[str, ...] = ("utf-8",)
    header_case_insensitive: bool = True


@dataclass(frozen=True)
class FormSheets:
    """A workbook of one sheet per record set (a forum, say): rows 1 to ``block_rows`` hold label / value
    pairs in columns A and B. With ``table_header_row`` the records are the table whose header is on that
    row, each given the values of the labels in ``carry``; without it, each sheet's block is one record
    (its labels the columns). Records are numbered through the workbook, sheet after sheet."""

    block_rows: int
    table_header_row: int | None = None
    carry: tuple[str, ...] = ()


@dataclass(frozen=True)
class XlsxFormat:
    """An Excel workbook: one sheet, the header on ``header_row`` (1-based sheet row), data below it.
    Excel date cells are written as text in ``date_formats[column]`` (strftime), ISO when not given.
    ``form``: the layout read when the workbook has no sheet named ``sheet`` (every sheet one form)."""

    sheet: str | None = None  # None: the active sheet
    header_row: int = 1
    date_formats: tuple[tuple[str, str], ...] = ()
    encodings: tuple[str, ...] = ()  # a workbook carries its own encoding
    form: FormSheets | None = None


@dataclass(frozen=True)
class JsonFormat:
    """One JSON document: an object whose ``list_key`` holds the records (objects; nested objects are
    flattened to dotted names). ``count_key``, when given, names the document's own count of records: a
    document whose list is shorter or longer is rejected as truncated or inconsistent."""

    list_key: str
    count_key: str | None = None
    encodings: tuple[str, ...] = ("utf-8",)


@dataclass(frozen=True)
class JsonLinesFormat:
    """One JSON object per line (nested objects flattened to dotted names)."""

    encodings: tuple[str, ...] = ("utf-8",)


FileFormat = DelimitedFormat | XlsxFormat | JsonFormat | JsonLinesFormat


@dataclass(frozen=True)
class CodeList:
    """A coded column whose values are rewritten to their canonical code before the contract judges them:
    a value matches a canonical code or a synonym of ``ref_code_synonym`` (list ``name``) case- and
    whitespace-insensitively. A value matching neither stays as sent, for the contract to quarantine."""

    column: str
    name: str
    canonical: tuple[str, ...]
    synonyms: tuple[tuple[str, str], ...] = ()  # (synonym, canonical code)

    def lookup(self) -> dict[str, str]:
        """Folded value (``checks.fold_code``) -> canonical code."""
        lookup = {checks.fold_code(code): code for code in self.canonical}
        for synonym, code in self.synonyms:
            if code not in self.canonical:
                raise ValueError(f"code list {self.name}: synonym {synonym!r} names {code!r}, not one of its codes")
            if lookup.setdefault(checks.fold_code(synonym), code) != code:
                raise ValueError(f"code list {self.name}: {synonym!r} would stand for two codes")
        return lookup


@dataclass(frozen=True)
class SourceEntity:
    """``transform`` turns a file's table (its own column names, all text) into the contract's columns;
    without it the contract's columns are selected and ``normalise`` applied. ``finalise`` rewrites values
    just before the rows that passed the contract are written (e.g. dates to ISO, codes translated), so
    that the quarantine keeps the values as the source sent them. It runs on the whole chunk, value by
    value, and must leave a value it cannot rewrite as it is (that row is not written). ``check_header``
    replaces the default header check (exactly the contract's columns). ``constants`` are extra text
    columns with one value for the whole entity (e.g. ``_vendor``)."""

    source: str
    entity: str
    landing_subdir: str
    file_pattern: str
    file_format: FileFormat
    contract: Contract
    file_date: Callable[[Path], dt.date] | None = None
    file_date_column: str = "_file_date"
    normalise: Callable[[pa.Table], pa.Table] | None = None
    transform: Callable[[pa.Table], pa.Table] | None = None
    finalise: Callable[[pa.Table], pa.Table] | None = None
    check_header: Callable[[list[str], Path], list[str]] | None = None
    code_lists: tuple[CodeList, ...] = ()
    constants: tuple[tuple[str, str], ...] = ()
    table: str | None = None  # raw table name (schema raw); default <source>_<entity>
    description: str = field(default="", compare=False)

    @property
    def raw_table(self) -> str:
        return f"raw.{self.table or f'{self.source}_{self.entity}'}"

    def raw_ddl(self) -> str:
        data_columns = ",\n".join(f"    {name} text" for name in self.contract.columns)
        constants = "".join(f"\n    {name} text not null," for name, _ in self.constants)
        file_date = f"\n    {self.file_date_column} date not null," if self.file_date else ""
        # Incremental staging reads a table's new batches: rows are appended batch by batch, so a BRIN index
        # (a few pages, nothing to maintain during COPY) finds them without reading the whole table.
        table_name = self.raw_table.removeprefix("raw.")
        return (
            f"create table if not exists {self.raw_table} (\n{data_columns},{constants}{file_date}"
            f"{METADATA_COLUMNS_DDL}\n);\n"
            f"create index if not exists {table_name}_batch_brin on {self.raw_table} using brin (_batch_id);"
        )

    def prepare(self, table: pa.Table) -> pa.Table:
        """The file's columns -> the contract's columns, before the contract is evaluated."""
        if self.transform is not None:
            return self.transform(table)
        table = table.select(list(self.contract.columns))
        return self.normalise(table) if self.normalise else table

    def landing_files(self, landing_dir: Path) -> list[Path]:
        folder = landing_dir / self.landing_subdir
        return sorted(path for path in folder.glob(self.file_pattern) if path.is_file())
