"""The expectation suites run by ``pembina.quality.gx_checks``: one declarative list, cheap to import.

Each check names a Great Expectations 1.x expectation by its snake_case type (the name used in GX's JSON
suites and Data Docs, e.g. ``expect_column_values_to_not_be_null``) with its keyword arguments and a severity:

- ``critical``: a failure stops publication of the marts (``ValidationSummary.raise_for_critical``);
- ``warning``: a failure is recorded and reported, and the run goes on.

To add a check, append a ``critical(...)`` or ``warning(...)`` to a suite; to check another table, append a
``Suite``. GX itself is imported only when the suites are run, so importing this module costs nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

Severity = Literal["critical", "warning"]
CRITICAL: Severity = "critical"
WARNING: Severity = "warning"

# Column names that identify a person. None of them may appear in any table or view of the published schemas
# (the marts are read by BI tools through a login that must never see personal data).
PERSONAL_DATA_COLUMNS: tuple[str, ...] = (
    "nip",
    "nip_baru",
    "nik",
    "full_name",
    "nama",
    "birth_date",
    "tanggal_lahir",
    "alamat",
    "address",
    "nomor_hp",
    "phone",
)
PUBLISHED_SCHEMAS: tuple[str, ...] = ("marts",)

# The raw SIASN snapshot: the 41 text columns of docs/sources.md plus the loader's lineage columns.
SIASN_PEGAWAI_COLUMNS: tuple[str, ...] = (
    "pns_id", "nip_baru", "nip_lama", "nama", "gelar_depan", "gelar_belakang", "tempat_lahir_nama",
    "tanggal_lahir", "jenis_kelamin", "agama_nama", "jenis_kawin_nama", "nik", "nomor_hp", "email",
    "email_gov", "alamat", "npwp_nomor", "bpjs", "jenis_pegawai_nama", "kedudukan_hukum_id",
    "kedudukan_hukum_nama", "status_cpns_pns", "tmt_cpns", "tmt_pns", "gol_awal_nama", "gol_akhir_nama",
    "tmt_golongan", "mk_tahun", "mk_bulan", "jenis_jabatan_nama", "jabatan_nama", "tmt_jabatan",
    "tingkat_pendidikan_nama", "pendidikan_nama", "tahun_lulus", "unor_id", "unor_nama",
    "instansi_induk_nama", "instansi_kerja_nama", "satuan_kerja_kerja_nama", "lokasi_kerja_nama",
)  # fmt: skip
RAW_LINEAGE_COLUMNS: tuple[str, ...] = ("_batch_id", "_file_id", "_row_number", "_snapshot_date", "_loaded_at")


@dataclass(frozen=True)
class Check:
    """One expectation: its GX type, its arguments, and what a failure means."""

    expectation: str
    severity: Severity
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    description: str | None = None

    def __post_init__(self) -> None:
        if self.severity not in (CRITICAL, WARNING):
            raise ValueError(f"severity must be 'critical' or 'warning', not {self.severity!r}")
        if not self.expectation.startswith("expect_"):
            raise ValueError(f"not a GX expectation type: {self.expectation!r}")
        object.__setattr__(self, "kwargs", MappingProxyType(dict(self.kwargs)))

    @property
    def column(self) -> str | None:
        return column_of(self.kwargs)


def column_of(kwargs: Mapping[str, Any]) -> str | None:
    """The column(s) an expectation is about, as stored in ``audit.validation_results.column_name``."""
    if kwargs.get("column"):
        return str(kwargs["column"])
    if kwargs.get("column_list"):
        return ",".join(str(c) for c in kwargs["column_list"])
    if kwargs.get("column_A") and kwargs.get("column_B"):
        return f"{kwargs['column_A']},{kwargs['column_B']}"
    return None


def critical(expectation: str, description: str | None = None, **kwargs: Any) -> Check:
    return Check(expectation, CRITICAL, kwargs, description)


def warning(expectation: str, description: str | None = None, **kwargs: Any) -> Check:
    return Check(expectation, WARNING, kwargs, description)


@dataclass(frozen=True)
class Suite:
    """Checks on one table or view (``schema``.``table``) or on the rows of one read-only ``query``."""

    name: str
    checks: tuple[Check, ...]
    schema: str | None = None
    table: str | None = None
    query: str | None = None
    query_target: str | None = None  # what the query looks at, for the audit record

    def __post_init__(self) -> None:
        if (self.table is None) == (self.query is None):
            raise ValueError(f"suite {self.name}: give either schema+table or query")
        if self.table is not None and self.schema is None:
            raise ValueError(f"suite {self.name}: a table needs its schema")
        if not self.checks:
            raise ValueError(f"suite {self.name}: no checks")

    @property
    def target(self) -> str:
        if self.table is not None:
            return f"{self.schema}.{self.table}"
        return self.query_target or "query"


def _personal_data_query(schemas: tuple[str, ...]) -> str:
    # pg_catalog rather than information_schema: it also lists materialized views, and it does not hide
    # columns the validating login has no privilege on.
    schema_list = ", ".join("'" + s.replace("'", "''") + "'" for s in schemas)
    return (
        "select n.nspname as schema_name, c.relname as table_name, lower(a.attname) as column_name, "
        "n.nspname || '.' || c.relname || '.' || lower(a.attname) as table_column "
        "from pg_catalog.pg_attribute a "
        "join pg_catalog.pg_class c on c.oid = a.attrelid "
        "join pg_catalog.pg_namespace n on n.oid = c.relnamespace "
        f"where n.nspname in ({schema_list}) and c.relkind in ('r', 'p', 'v', 'm', 'f') "
        "and a.attnum > 0 and not a.attisdropped"
    )


PERSONAL_DATA_REGEX = r"\.(" + "|".join(PERSONAL_DATA_COLUMNS) + r")$"

SUITES: tuple[Suite, ...] = (
    Suite(
        name="raw_siasn_pegawai",
        schema="raw",
        table="siasn_pegawai",
        checks=(
            critical("expect_column_values_to_not_be_null", column="nip_baru"),
            critical("expect_column_values_to_match_regex", column="nip_baru", regex=r"^\d{18}$"),
            critical("expect_column_values_to_not_be_null", column="_file_id"),
            warning("expect_table_row_count_to_be_between", min_value=1),
            warning("expect_column_values_to_be_in_set", column="jenis_kelamin", value_set=["M", "F"]),
            warning(
                "expect_table_columns_to_match_set",
                column_set=[*SIASN_PEGAWAI_COLUMNS, *RAW_LINEAGE_COLUMNS],
                exact_match=False,
            ),
        ),
    ),
    Suite(
        name="marts_mart_workforce_monthly",
        schema="marts",
        table="mart_workforce_monthly",
        checks=(
            critical("expect_table_row_count_to_be_between", min_value=1),
            critical("expect_column_values_to_not_be_null", column="opd_code"),
            critical("expect_column_values_to_not_be_null", column="month_end_date"),
            critical("expect_column_values_to_not_be_null", column="headcount_total"),
            critical("expect_column_values_to_be_between", column="headcount_total", min_value=0),
            critical("expect_compound_columns_to_be_unique", column_list=["opd_code", "month_end_date"]),
        ),
    ),
    Suite(
        name="marts_dim_employee",
        schema="marts",
        table="dim_employee",
        checks=(
            critical("expect_column_values_to_not_be_null", column="employee_key"),
            critical("expect_column_values_to_be_unique", column="employee_key"),
            warning("expect_table_row_count_to_be_between", min_value=1),
        ),
    ),
    Suite(
        name="marts_no_personal_data",
        query=_personal_data_query(PUBLISHED_SCHEMAS),
        query_target="columns of " + ", ".join(PUBLISHED_SCHEMAS),
        checks=(
            critical(
                "expect_column_values_to_not_match_regex",
                description=(
                    "No table or view in the published schemas (" + ", ".join(PUBLISHED_SCHEMAS) + ") has a "
                    "personal-data column: " + ", ".join(PERSONAL_DATA_COLUMNS) + "."
                ),
                column="table_column",
                regex=PERSONAL_DATA_REGEX,
            ),
        ),
    ),
)


def suite_by_name(name: str) -> Suite:
    for suite in SUITES:
        if suite.name == name:
            return suite
    raise KeyError(f"no suite named {name!r}; known: {', '.join(s.name for s in SUITES)}")
