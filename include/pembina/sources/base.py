"""What the ingest layer needs to know about one source entity: where its files land, how to read them,
its contract and its raw table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from pembina.contracts.contract import Contract

METADATA_COLUMNS_DDL = """
    _batch_id      bigint not null,
    _file_id       bigint not null,
    _row_number    integer not null,
    _loaded_at     timestamptz not null default now()"""


class FileRejected(Exception):
    """The file cannot be read at all; ``str(exc)`` is the reason recorded in the audit."""


@dataclass(frozen=True)
class DelimitedFormat:
    delimiter: str
    encodings: tuple[str, ...] = ("utf-8",)
    header_case_insensitive: bool = True


@dataclass(frozen=True)
class SourceEntity:
    source: str
    entity: str
    landing_subdir: str
    file_pattern: str
    file_format: DelimitedFormat
    contract: Contract
    file_date: Callable[[Path], dt.date] | None = None
    file_date_column: str = "_file_date"
    normalise: Callable[[pa.Table], pa.Table] | None = None

    @property
    def raw_table(self) -> str:
        return f"raw.{self.source}_{self.entity}"

    def raw_ddl(self) -> str:
        data_columns = ",\n".join(f"    {name} text" for name in self.contract.columns)
        file_date = f"\n    {self.file_date_column} date not null," if self.file_date else ""
        return f"create table if not exists {self.raw_table} (\n{data_columns},{file_date}{METADATA_COLUMNS_DDL}\n);"

    def landing_files(self, landing_dir: Path) -> list[Path]:
        folder = landing_dir / self.landing_subdir
        return sorted(path for path in folder.glob(self.file_pattern) if path.is_file())
