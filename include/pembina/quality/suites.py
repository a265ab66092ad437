"""The expectation suites run by ``pembina.quality.gx_checks``: one declarative list, cheap to import.

Each check names a Great Expectations 1.x expectation by its snake_case type (the name used in GX's JSON
suites and Data Docs, e.g. ``expect_column_values_to_not_be_null``) with its keyword arguments and a severity:

- ``critical``: a failure stops publication of the marts (``ValidationSummary.raise_for_critical``);
  the marts suites read the build schema (``MARTS_BUILD_SCHEMA``), which publication swaps in when none fails;
- ``warning``: a failure is recorded and reported, and the run goes on.

A rule that spans columns or reads a reference seed is an ``unexpected_rows_expectation`` (GX's SQL check):
a query over ``{batch}`` (the suite's table) that returns the rows breaking the rule; it passes when it returns
none. Such a query must not contain the word ``join`` (GX then leaves ``{batch}`` unaliased) and must double any
literal brace.

Severities: ``critical`` when a failure would make a published mart mislead its BI readers (a value outside its
definition, totals that do not add up, personal data, a fact left empty while its source has rows), or when data
reached the warehouse past the loader's contract; ``warning`` for a data finding to report (a source without
rows, records whose stated values disagree with the rules).

A suite on a costly query is ``materialize``d: its query runs once and GX validates a copy of the rows (GX
would run a query asset's query three or four times). The scan of every text value of the marts for NIP- and
NIK-like values is one; the equivalence classes of dim_employee's quasi-identifiers are another.

A suite on a table that grows with every load (raw, the incremental facts) names its ``new_rows_column``: when
the build it validates tested only the new load batches (``pembina.quality.scope``), the suite reads the rows
of those batches only, and a query suite replaces its ``NEW_ROWS`` marks with that condition; a row count says
nothing about new rows and is left to the whole-table runs.

To add a check, append a ``critical(...)`` or ``warning(...)`` to a suite; to check another table, append a
``Suite``. GX itself is imported only when the suites are run, so importing this module costs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Literal

from pembina.quality.scope import new_rows_condition
from pembina.settings import MARTS_BUILD_SCHEMA

Severity = Literal["critical", "warning"]
CRITICAL: Severity = "critical"
WARNING: Severity = "warning"

# In a query suite with a new_rows_column: where the query keeps only the new rows when the run asks for them.
NEW_ROWS = "true /* new rows */"
# Where a query suite that reads many relations (``skips_unchanged``) may leave one out, as a condition on its
# columns schema_name and table_name: in daily runs, the relations unchanged since the suite last passed.
UNCHANGED_RELATION = "false /* unchanged relation */"
# The load-time column of the incremental facts, in which a daily personal-value scan reads the new rows only.
LOAD_TIME_COLUMN = "loaded_at"
# Checks about a table as a whole, which a run on the new rows leaves out.
WHOLE_TABLE_EXPECTATIONS = ("expect_table_row_count_to_be_between",)

# GX's check by SQL (``UnexpectedRowsExpectation``): the query returns the rows that break the rule.
UNEXPECTED_ROWS = "unexpected_rows_expectation"

# Column names that identify a person. None of them may appear in any table or view of the published schemas
# (the marts are read by BI tools through a login that must never see personal data). Sample values of these
# columns, and of those named with a part below, are masked in GX's results (``gx_checks.value_shape``).
PERSONAL_DATA_COLUMNS: tuple[str, ...] = (
    "nip",
    "nip_baru",
    "nip_lama",
    "nik",
    "full_name",
    "nama",
    "participant_name",
    "birth_date",
    "tanggal_lahir",
    "alamat",
    "address",
    "nomor_hp",
    "no_hp",
    "phone",
    "email",
    "npwp_nomor",
    "nomor_sk",
)
# Name parts that mark personal data wherever they stand in a column name between underscores (or other
# non-alphanumeric characters): `employee_nip` (the staging vocabulary), `nip_penilai`, `email_gov`,
# `decree_number`... Unlike `nama` (`unor_nama` is an organisation's name), none of them names anything but a
# person's data.
PERSONAL_DATA_NAME_PARTS: tuple[str, ...] = (
    "nip",
    "nik",
    "full_name",
    "birth_date",
    "tanggal_lahir",
    "alamat",
    "address",
    "nomor_hp",
    "no_hp",
    "phone",
    "email",
    "npwp",
    "bpjs",
    "nomor_sk",
    "decree_number",
)
# The schemas that publication makes readable by BI: the gate checks them in the build schema, before that.
PUBLISHED_SCHEMAS: tuple[str, ...] = (MARTS_BUILD_SCHEMA,)

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

# Matches `schema.table.column` (lower case) when the column is personal data: one of PERSONAL_DATA_COLUMNS,
# or a name holding one of PERSONAL_DATA_NAME_PARTS between non-alphanumeric characters or its ends. The same
# regex runs in PostgreSQL (the check) and in Python (``is_personal_data_column``).
PERSONAL_DATA_REGEX = (
    r"\.(" + "|".join(PERSONAL_DATA_COLUMNS) + r")$"
    r"|\.([^.]*[^a-z0-9.])?(" + "|".join(PERSONAL_DATA_NAME_PARTS) + r")([^a-z0-9.][^.]*)?$"
)


def is_personal_data_column(name: str) -> bool:
    """Whether a column name marks personal data (``PERSONAL_DATA_COLUMNS``, ``PERSONAL_DATA_NAME_PARTS``)."""
    return re.search(PERSONAL_DATA_REGEX, "." + name.lower()) is not None


# A value that looks like a NIP (18 digits, also written `YYYYMMDD YYYYMM G NNN`) or a NIK (16 digits), as a
# PostgreSQL regular expression: the digits stand alone, with no letter or digit next to them, so that the md5
# keys of the marts (hex digits) never match by chance, and not after a decimal point or comma, so that
# `2.6666666666666667` is no NIK; `NIP 198503122010011003.` or a bare NIK match.
NIP_NIK_VALUE_REGEX = r"(^|[^0-9A-Za-z.,])([0-9]{16}|[0-9]{18}|[0-9]{8} [0-9]{6} [0-9] [0-9]{3})([^0-9A-Za-z]|$)"
# No shorter value can match: values shorter than this are not run through the (slow) regex.
NIP_NIK_MIN_LENGTH = 16

# The raw tables of the sources other than SIASN: (table, columns the loader always fills, NIP column).
RAW_SOURCES: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
    ("ekinerja_skp", ("_file_id", "nip"), "nip"),
    ("ekinerja_organisation_predikat", ("_file_id",), None),
    ("assessment_kompetensi", ("_file_id", "nip"), "nip"),
    ("discipline_hukuman", ("_file_id", "nip"), "nip"),
    ("training_participation", ("_file_id", "_vendor", "nip"), "nip"),
    ("university_programme", ("_file_id", "_university", "nip"), "nip"),
    ("forum_sesi", ("_file_id", "kode_forum", "nip_fasilitator"), "nip_fasilitator"),
    ("forum_masukan", ("_file_id", "kode_forum", "nomor"), None),
    ("inovasi_register", ("_file_id", "kode_inovasi", "_register_date"), None),
    ("skm_responden", ("_file_id", "waktu_isi", "unit_layanan"), None),
    ("lapor_pengaduan", ("_file_id", "_format", "nomor_tiket", "kode_opd", "tanggal_diterima"), None),
)

SKP_PREDIKAT = ("Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang")
SKP_PERIOD_CODES = ("TAHUNAN", "TW1", "TW2", "TW3", "TW4")
IP_ASN_CATEGORIES = ("Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah")
IP_ASN_DIMENSIONS = ("kualifikasi", "kompetensi", "kinerja", "disiplin")
JPM_CATEGORIES = (
    "Memenuhi Syarat", "Masih Memenuhi Syarat", "Kurang Memenuhi Syarat", "Optimal", "Cukup Optimal",
    "Kurang Optimal",
)  # fmt: skip
COMPETENCY_GROUPS = ("manajerial", "sosial kultural", "teknis")
SANCTION_LEVELS = ("ringan", "sedang", "berat")
TRAINING_COMPLETION_STATUSES = ("passed", "failed", "withdrawn", "not_completed")
SKM_ELEMENTS = tuple(f"u{n}" for n in range(1, 10))
SKM_QUALITY_CODES = ("A", "B", "C", "D")
LAPOR_DATES = ("tanggal_diterima", "tanggal_disposisi", "tanggal_tindak_lanjut", "tanggal_selesai")

# Facts and marts built from one source only, with that source's raw table: empty while the raw table has
# rows means the build lost them. (A source that has delivered nothing yet leaves both empty: not a failure.)
SOURCE_OF_RELATION: tuple[tuple[str, str], ...] = (
    (f"{MARTS_BUILD_SCHEMA}.fct_performance_appraisal", "raw.ekinerja_skp"),
    (f"{MARTS_BUILD_SCHEMA}.mart_performance_distribution", "raw.ekinerja_skp"),
    (f"{MARTS_BUILD_SCHEMA}.fct_competency_assessment", "raw.assessment_kompetensi"),
    (f"{MARTS_BUILD_SCHEMA}.mart_competency_gap", "raw.assessment_kompetensi"),
    (f"{MARTS_BUILD_SCHEMA}.fct_discipline_sanction", "raw.discipline_hukuman"),
    (f"{MARTS_BUILD_SCHEMA}.fct_training_participation", "raw.training_participation"),
    (f"{MARTS_BUILD_SCHEMA}.dim_training_program", "raw.training_participation"),
    (f"{MARTS_BUILD_SCHEMA}.fct_university_programme", "raw.university_programme"),
    (f"{MARTS_BUILD_SCHEMA}.mart_university_collaboration", "raw.university_programme"),
    (f"{MARTS_BUILD_SCHEMA}.fct_innovation_participation", "raw.inovasi_register"),
    (f"{MARTS_BUILD_SCHEMA}.mart_innovation_portfolio", "raw.inovasi_register"),
    (f"{MARTS_BUILD_SCHEMA}.mart_citizen_feedback", "raw.forum_sesi"),
    (f"{MARTS_BUILD_SCHEMA}.mart_public_satisfaction", "raw.skm_responden"),
)


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
        if not (self.expectation.startswith("expect_") or self.expectation == UNEXPECTED_ROWS):
            raise ValueError(f"not a GX expectation type: {self.expectation!r}")
        if self.expectation == UNEXPECTED_ROWS and "{batch}" not in str(self.kwargs.get("unexpected_rows_query")):
            raise ValueError("an unexpected_rows_query must read {batch}")
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


def rows_breaking(severity: Severity, description: str, unexpected_rows_query: str) -> Check:
    """A rule as SQL: ``unexpected_rows_query`` selects, from ``{batch}``, the rows that break it."""
    return Check(UNEXPECTED_ROWS, severity, {"unexpected_rows_query": unexpected_rows_query}, description)


@dataclass(frozen=True)
class Suite:
    """Checks on one table or view (``schema``.``table``) or on the rows of one read-only ``query``.

    A ``materialize``d query runs once, before GX, and GX validates a literal copy of its rows: for a query too
    costly to run once per GX metric (GX runs a query asset's query three or four times)."""

    name: str
    checks: tuple[Check, ...]
    schema: str | None = None
    table: str | None = None
    query: str | None = None
    query_target: str | None = None  # what the query looks at, for the audit record
    materialize: bool = False
    new_rows_column: str | None = None  # a growing table's batch id or load time column
    skips_unchanged: bool = False  # a query reading many relations, marked with UNCHANGED_RELATION

    def __post_init__(self) -> None:
        if (self.table is None) == (self.query is None):
            raise ValueError(f"suite {self.name}: give either schema+table or query")
        if self.table is not None and self.schema is None:
            raise ValueError(f"suite {self.name}: a table needs its schema")
        if self.materialize and self.query is None:
            raise ValueError(f"suite {self.name}: only a query can be materialized")
        if not self.checks:
            raise ValueError(f"suite {self.name}: no checks")
        if self.new_rows_column and self.query is not None and NEW_ROWS not in self.query:
            raise ValueError(f"suite {self.name}: a query on new rows must mark where they are kept (NEW_ROWS)")
        if self.skips_unchanged and (self.query is None or UNCHANGED_RELATION not in self.query):
            raise ValueError(f"suite {self.name}: a query skipping unchanged relations must mark where")

    def on_new_rows(self, since_batch: int | None, new_batches_started_at: str | None = None) -> Suite:
        """The suite on the rows of the load batches after ``since_batch`` (itself when it reads no growing
        table, or when ``since_batch`` is None: whole tables); a load-time column needs when the first of those
        batches started (``scope.new_batches_started``)."""
        if self.new_rows_column is None or since_batch is None:
            return self
        condition = new_rows_condition(self.new_rows_column, since_batch, new_batches_started_at)
        target = f"{self.target} (batches after {since_batch})"
        checks = tuple(c for c in self.checks if c.expectation not in WHOLE_TABLE_EXPECTATIONS)
        if self.query is not None:
            query = self.query.replace(NEW_ROWS, condition)
            return replace(self, query=query, query_target=target, checks=checks, new_rows_column=None)
        query = f"select * from {self.schema}.{self.table} where {condition}"
        return replace(
            self, schema=None, table=None, query=query, query_target=target, checks=checks, new_rows_column=None
        )

    def on_changed_relations(self, unchanged_relation: str | None, since: str = "") -> Suite:
        """The suite leaving out the relations for which ``unchanged_relation`` (SQL on schema_name and
        table_name) holds, ``since`` saying since when, without its whole-table checks; None: every relation."""
        if not self.skips_unchanged:
            return self
        if unchanged_relation is None:
            query = self.query.replace(UNCHANGED_RELATION, "false")  # type: ignore[union-attr]
            return replace(self, query=query, skips_unchanged=False)
        checks = tuple(c for c in self.checks if c.expectation not in WHOLE_TABLE_EXPECTATIONS)
        query = self.query.replace(UNCHANGED_RELATION, unchanged_relation)  # type: ignore[union-attr]
        target = f"{self.target} (the relations changed since {since})"
        return replace(self, query=query, query_target=target, checks=checks, skips_unchanged=False)

    @property
    def target(self) -> str:
        if self.table is not None:
            return f"{self.schema}.{self.table}"
        return self.query_target or "query"


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _published_columns(schemas: tuple[str, ...], where: str = "") -> str:
    # pg_catalog rather than information_schema: it also lists materialized views, and it does not hide
    # columns the validating login has no privilege on.
    return (
        "select n.nspname as schema_name, c.relname as table_name, a.attname as column_name, a.attnum "
        "from pg_catalog.pg_attribute a "
        "join pg_catalog.pg_class c on c.oid = a.attrelid "
        "join pg_catalog.pg_namespace n on n.oid = c.relnamespace "
        "join pg_catalog.pg_type t on t.oid = a.atttypid "
        "left join pg_catalog.pg_type e on e.oid = t.typelem and t.typcategory = 'A' "
        f"where n.nspname in ({_sql_list(schemas)}) and c.relkind in ('r', 'p', 'v', 'm', 'f') "
        "and a.attnum > 0 and not a.attisdropped" + (f" and ({where})" if where else "")
    )


def _personal_data_query(schemas: tuple[str, ...]) -> str:
    return (
        "select schema_name, table_name, lower(column_name) as column_name, "
        "schema_name || '.' || table_name || '.' || lower(column_name) as table_column "
        f"from ({_published_columns(schemas)}) as published_columns"
    )


# Runs a query built from the catalog and returns its single value as text: dynamic SQL in one statement.
# (query_to_xml would do without a function, but PostgreSQL builds without libxml, the embedded one among
# them, lack it.) A temporary function: it lives as long as the session and writes nothing to the warehouse.
SCAN_FUNCTION = "pg_temp.pembina_scalar"
SCAN_FUNCTION_DDL = f"""create or replace function {SCAN_FUNCTION}(query text) returns text language plpgsql as $$
declare result text;
begin
    execute query into result;
    return result;
end $$"""


def _personal_value_query(schemas: tuple[str, ...]) -> str:
    """One row per text column of the published schemas, with how many of its rows hold a NIP- or NIK-like
    value (``NIP_NIK_VALUE_REGEX``) and, when any does, the column's name in ``column_with_personal_numbers``.

    The query reads the catalog and, for each table or view, builds and runs (``SCAN_FUNCTION``) one query
    that counts the matches of all its text columns in a single scan; so one statement does it all and the
    cost is one pass over each table. Values shorter than a NIK are not run through the regex, and the
    regex runs in the C collation (byte classes, not locale-aware ones). In a relation with a load-time column
    (``LOAD_TIME_COLUMN``: the incremental facts) a daily run reads the new rows only (``NEW_ROWS``): the rows
    such a run rewrites are computed again from the inputs they were scanned with."""
    count = (
        "format('count(*) filter (where octet_length(%1$I::text) >= {length} "
        "and (%1$I::text collate \"C\") ~ %2$L)', column_name, '{regex}')"
    ).format(length=NIP_NIK_MIN_LENGTH, regex=NIP_NIK_VALUE_REGEX.replace("'", "''"))
    text_columns = _published_columns(schemas, "t.typcategory = 'S' or e.typcategory = 'S'")
    return (
        f"with text_columns as ({text_columns}), "
        "table_scans as ("
        "select schema_name, table_name, array_agg(column_name order by attnum) as column_names, "
        f"format('select array[%s]::text as n from %I.%I', string_agg({count}, ', ' order by attnum), "
        "schema_name, table_name) "
        "|| case when exists (select from pg_catalog.pg_attribute as a "
        f"where a.attrelid = format('%I.%I', schema_name, table_name)::regclass and a.attname = '{LOAD_TIME_COLUMN}' "
        f"and not a.attisdropped) then $new_rows$ where {NEW_ROWS}$new_rows$ else '' end as scan "
        f"from text_columns where not ({UNCHANGED_RELATION}) group by schema_name, table_name), "
        "table_counts as ("
        "select schema_name, table_name, column_names, "
        f"string_to_array(btrim({SCAN_FUNCTION}(scan), '{{}}'), ',')::bigint[] as matching_rows "
        "from table_scans) "
        "select tc.schema_name || '.' || tc.table_name || '.' || u.column_name as table_column, "
        "u.matching_rows, "
        "case when u.matching_rows > 0 then tc.schema_name || '.' || tc.table_name || '.' || u.column_name "
        "|| ': ' || u.matching_rows || case when u.matching_rows = 1 then ' row' else ' rows' end "
        "end as column_with_personal_numbers "
        "from table_counts as tc "
        "cross join lateral unnest(tc.column_names, tc.matching_rows) as u (column_name, matching_rows) "
        "order by 1"
    )


def _empty_relations_query(pairs: tuple[tuple[str, str], ...]) -> str:
    rows = ", ".join(
        f"('{relation}', '{source}', exists (select from {source}), exists (select from {relation}))"
        for relation, source in pairs
    )
    return (
        "select relation, source_table, source_has_rows, relation_has_rows, "
        "case when source_has_rows and not relation_has_rows "
        "then relation || ' is empty while ' || source_table || ' has rows' end as empty_while_source_has_rows "
        f"from (values {rows}) as relations (relation, source_table, source_has_rows, relation_has_rows)"
    )


# What dim_employee shows that an analyst could know about a colleague; with the disclosure level, a row's
# equivalence class (k-anonymity) is the rows with the same values, empty ones included.
QUASI_IDENTIFIERS: tuple[str, ...] = (
    "disclosure_level", "opd_code", "gender", "age_band", "golongan_group", "position_type", "position_level",
)  # fmt: skip


def _setting(name: str) -> str:
    return f"(select s.setting_value::numeric from reference.ref_pembina_settings as s where s.setting_name = '{name}')"


def quasi_identifier_query(schema: str) -> str:
    """One row: dim_employee's employees, how many are unique and how many are in a class smaller than k on
    ``QUASI_IDENTIFIERS`` (k and the share allowed from ref_pembina_settings), and ``quasi_identifier_breach``
    saying so when that share is above the allowed one."""
    partition = ", ".join(QUASI_IDENTIFIERS)
    return (
        f"with thresholds as (select {_setting('k_anonymity_k')} as k, "
        f"{_setting('k_anonymity_max_below_k_pct')} as max_below_k_pct), "
        f"classes as (select count(*) over (partition by {partition}) as class_size from {schema}.dim_employee), "
        "measured as (select count(*) as employees, count(*) filter (where class_size = 1) as unique_employees, "
        "count(*) filter (where class_size < (select k from thresholds)) as employees_below_k from classes) "
        "select employees, unique_employees, employees_below_k, "
        "round(100.0 * employees_below_k / nullif(employees, 0), 2) as below_k_pct, k, max_below_k_pct, "
        "case when k is null or max_below_k_pct is null then 'k_anonymity_k or k_anonymity_max_below_k_pct is "
        "missing from reference.ref_pembina_settings' "
        # no percent sign in the text: GX's SQL driver would double it
        "when 100.0 * employees_below_k > max_below_k_pct * employees then employees_below_k || ' of ' "
        "|| employees || ' employees (' || round(100.0 * employees_below_k / employees, 2) || ' per cent, ' "
        "|| unique_employees || ' unique) are in a class of fewer than k = ' || k "
        "|| ' on the quasi-identifiers; at most ' || max_below_k_pct || ' per cent may be' end "
        "as quasi_identifier_breach "
        "from measured cross join thresholds"
    )


def _raw_sources_query(sources: tuple[tuple[str, tuple[str, ...], str | None], ...]) -> str:
    """One row per raw table of the mapped sources: its rows, and the rows that break what the loader
    guarantees (the required columns filled, the NIP 18 characters long)."""
    parts = []
    for table, required, nip in sources:
        rule = " or ".join([*(f"{c} is null" for c in required), *([f"char_length({nip}) <> 18"] if nip else [])])
        parts.append(
            f"select 'raw.{table}' as raw_table, exists (select from raw.{table}) as has_rows, "
            f"(select count(*) from raw.{table} where {NEW_ROWS} and ({rule})) as rows_past_contract"
        )
    return (
        "select raw_table, has_rows, rows_past_contract, "
        "case when not has_rows then raw_table end as raw_table_without_rows, "
        "case when rows_past_contract > 0 then raw_table || ': ' || rows_past_contract "
        "|| case when rows_past_contract = 1 then ' row' else ' rows' end end as raw_table_past_contract "
        f"from ({' union all '.join(parts)}) as raw_sources"
    )


def _between(column: str, low: float | None, high: float | None, description: str | None = None) -> Check:
    bounds = {k: v for k, v in (("min_value", low), ("max_value", high)) if v is not None}
    return critical("expect_column_values_to_be_between", description, column=column, **bounds)


def _in_set(column: str, values: tuple[str, ...], description: str | None = None) -> Check:
    return critical("expect_column_values_to_be_in_set", description, column=column, value_set=list(values))


def _has_rows(description: str | None = None) -> Check:
    return critical("expect_table_row_count_to_be_between", description, min_value=1)


def _sql_in(values: tuple[str, ...]) -> str:
    return "(" + _sql_list(values) + ")"


def _weight(dimension: str) -> str:
    return (
        f"coalesce((select max(w.weight) from reference.ref_ip_asn_weight as w where w.dimension = '{dimension}'), 0)"
    )


_PERFORMANCE_COUNTS = ("sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")
_IP_ASN_COUNTS = ("sangat_tinggi", "tinggi", "sedang", "rendah", "sangat_rendah")
_EFFECTIVENESS_SHARES = (
    "participant_baik_share_before_pct", "participant_baik_share_after_pct", "comparison_baik_share_before_pct",
    "comparison_baik_share_after_pct",
)  # fmt: skip
_EFFECTIVENESS_RANKS = (
    "participant_predikat_rank_before", "participant_predikat_rank_after", "comparison_predikat_rank_before",
    "comparison_predikat_rank_after",
)  # fmt: skip
_EFFECTIVENESS_PAIRED = ("participants_in_service", "participants_appraisal_paired", "participants_jpm_paired")

# Rules over several columns are SQL checks (``rows_breaking``): GX's column-pair expectations cost several
# queries and ~0.1 s each, a SQL check two queries. A comparison with an empty value is no breach.
RAW_SUITES: tuple[Suite, ...] = (
    Suite(
        name="raw_siasn_pegawai",
        schema="raw",
        table="siasn_pegawai",
        new_rows_column="_batch_id",
        checks=(
            critical("expect_column_values_to_not_be_null", column="nip_baru"),
            critical("expect_column_values_to_match_regex", column="nip_baru", regex=r"^\d{18}$"),
            critical("expect_column_values_to_not_be_null", column="_file_id"),
            warning("expect_table_row_count_to_be_between", min_value=1),
            warning("expect_column_values_to_be_in_set", column="jenis_kelamin", value_set=["M", "F"]),
            warning(
                "expect_column_values_to_match_regex",
                "Finding: a TMT CPNS not on the first of a month (an appointment starts on the 1st); the NIP holds "
                "only its year-month, so the row is loaded and reported, not quarantined.",
                column="tmt_cpns",
                regex=r"^01-",
            ),
            warning(
                "expect_table_columns_to_match_set",
                column_set=[*SIASN_PEGAWAI_COLUMNS, *RAW_LINEAGE_COLUMNS],
                exact_match=False,
            ),
        ),
    ),
    Suite(
        name="raw_sources",
        query=_raw_sources_query(RAW_SOURCES),
        query_target="raw tables of the sources other than SIASN",
        materialize=True,
        new_rows_column="_batch_id",
        checks=(
            warning(
                "expect_column_values_to_be_null",
                "Every source's raw table has rows: a source that has delivered nothing yet is a finding to "
                "report, not a reason to stop.",
                column="raw_table_without_rows",
            ),
            critical(
                "expect_column_values_to_be_null",
                "Every raw row has its lineage (_file_id; _vendor, _university for the mapped vendors) and an "
                "18-character NIP: the loader quarantines rows without, so one here bypassed the source "
                "contract. (A length, not raw_siasn_pegawai's 18-digit regex: PostgreSQL's regex costs "
                "microseconds a value, and the contract has tested the digits.)",
                column="raw_table_past_contract",
            ),
        ),
    ),
)


def _lapor_dates_out_of_order() -> str:
    """Rows where a later step of a complaint is dated on an earlier calendar day than an earlier step (the
    ISO dates of raw compare as text; an empty step is no breach)."""
    pairs = [
        f"left({later}, 10) < left({earlier}, 10)"
        for position, later in enumerate(LAPOR_DATES)
        for earlier in LAPOR_DATES[:position]
    ]
    return "select * from {batch} where " + " or ".join(pairs)


CITIZEN_RAW_SUITES: tuple[Suite, ...] = (
    Suite(
        name="raw_skm_responden",
        schema="raw",
        table="skm_responden",
        new_rows_column="_batch_id",
        checks=(
            rows_breaking(
                CRITICAL,
                "Every SKM answer U1..U9 is 1-4 (PermenPAN-RB 14/2017): the loader rewrites the questionnaire's "
                "words to their value and quarantines anything else, so another value here bypassed the contract.",
                "select * from {batch} where "
                + " or ".join(f"{e} is null or {e} not in ('1', '2', '3', '4')" for e in SKM_ELEMENTS),
            ),
        ),
    ),
    Suite(
        name="raw_lapor_pengaduan",
        schema="raw",
        table="lapor_pengaduan",
        new_rows_column="_batch_id",
        checks=(
            rows_breaking(
                CRITICAL,
                "A complaint's dates are in order: received, disposed, answered, closed (the loader quarantines "
                "a complaint whose steps are not).",
                _lapor_dates_out_of_order(),
            ),
            _in_set("status", ("diterima", "didisposisi", "ditindaklanjuti", "selesai")),
        ),
    ),
)

CORE_SUITES: tuple[Suite, ...] = (
    Suite(
        name="marts_dim_employee",
        schema=MARTS_BUILD_SCHEMA,
        table="dim_employee",
        checks=(
            critical("expect_column_values_to_not_be_null", column="employee_key"),
            critical("expect_column_values_to_be_unique", column="employee_key"),
            warning("expect_table_row_count_to_be_between", min_value=1),
        ),
    ),
    Suite(
        name="marts_dim_organization",
        schema=MARTS_BUILD_SCHEMA,
        table="dim_organization",
        checks=(
            _has_rows(),
            # No primary-key constraint holds this key (the other marts have one, from their dbt contract): a
            # second version starting the same day would double every fact joined to the OPD.
            critical("expect_compound_columns_to_be_unique", column_list=["opd_code", "valid_from"]),
            rows_breaking(
                CRITICAL,
                "Every version has its OPD code and never ends before it starts.",
                "select * from {batch} where opd_code is null or valid_to < valid_from",
            ),
        ),
    ),
)

WORKFORCE_SUITES: tuple[Suite, ...] = (
    Suite(
        name="marts_mart_workforce_monthly",
        schema=MARTS_BUILD_SCHEMA,
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
        name="marts_mart_retirement_forecast",
        schema=MARTS_BUILD_SCHEMA,
        table="mart_retirement_forecast",
        checks=(
            _has_rows(),
            _between("retirements_total", 0, None),
            rows_breaking(
                CRITICAL,
                "No more retirements than active employees; the retirements by status group and by position "
                "type each add up to retirements_total.",
                "select * from {batch} where retirements_total > active_headcount"
                " or retirements_total <> retirements_pns + retirements_cpns + retirements_pppk"
                " or retirements_total <> retirements_struktural + retirements_fungsional"
                " + retirements_pelaksana + retirements_other_position_type",
            ),
        ),
    ),
)

PERFORMANCE_SUITES: tuple[Suite, ...] = (
    Suite(
        name="marts_fct_performance_appraisal",
        schema=MARTS_BUILD_SCHEMA,
        table="fct_performance_appraisal",
        new_rows_column="loaded_at",
        checks=(
            _in_set("predikat", SKP_PREDIKAT, "The predikat is one of the five of PermenPAN-RB 6/2022."),
            rows_breaking(
                CRITICAL,
                "Every appraisal has its employee; predikat_rank is 1-5, the period code TAHUNAN or TW1-TW4, and "
                "a period never ends before it starts.",
                "select * from {batch} where employee_key is null or predikat_rank not between 1 and 5"
                f" or period_code not in {_sql_in(SKP_PERIOD_CODES)} or period_end_date < period_start_date",
            ),
            warning(
                "expect_column_values_to_be_in_set",
                "Finding: appraisals whose predikat as e-Kinerja states it disagrees with the matrix "
                "(unexpected_percent: their share of the appraisals that state one). Reported, never overwritten.",
                column="is_stated_predikat_consistent",
                value_set=[True],
            ),
        ),
    ),
    Suite(
        name="marts_mart_performance_distribution",
        schema=MARTS_BUILD_SCHEMA,
        table="mart_performance_distribution",
        checks=(
            _has_rows(),
            rows_breaking(
                CRITICAL,
                "Each predikat's share of the appraised staff is a percentage (0-100).",
                "select * from {batch} where "
                + " or ".join(f"{c}_share_pct not between 0 and 100" for c in _PERFORMANCE_COUNTS),
            ),
            rows_breaking(
                CRITICAL,
                "The staff per predikat, and those without one, add up to appraised_staff_count; no count is negative.",
                "select * from {batch} where appraised_staff_count <> "
                + " + ".join(f"{c}_count" for c in _PERFORMANCE_COUNTS)
                + " + without_predikat_count or least("
                + ", ".join(f"{c}_count" for c in _PERFORMANCE_COUNTS)
                + ", without_predikat_count, stated_predikat_mismatch_count) < 0",
            ),
            warning(
                "expect_column_values_to_be_in_set",
                "Finding: OPD-years whose share of Sangat Baik exceeds the cap of the organisation's predikat "
                "(ref_sangat_baik_cap).",
                column="is_sangat_baik_within_cap",
                value_set=[True],
            ),
            warning(
                "expect_column_values_to_be_in_set",
                "Finding: OPD-years whose predikat distribution breaks the pattern of the organisation's predikat "
                "(minimum and maximum shares of ref_predikat_distribution_pattern, the Sangat Baik cap); "
                "pattern_breaches names the rules.",
                column="is_distribution_pattern_met",
                value_set=[True],
            ),
        ),
    ),
)

COMPETENCY_SUITES: tuple[Suite, ...] = (
    Suite(
        name="marts_fct_competency_assessment",
        schema=MARTS_BUILD_SCHEMA,
        table="fct_competency_assessment",
        checks=(
            rows_breaking(
                CRITICAL,
                "Every result has its employee; standard and assessed levels are 1-5 (PermenPAN-RB 38/2017), the "
                "group manajerial, sosial kultural or teknis; gap = assessed - standard, and has_gap says whether "
                "it is negative.",
                "select * from {batch} where employee_key is null or standard_level not between 1 and 5"
                " or assessed_level not between 1 and 5"
                f" or competency_group not in {_sql_in(COMPETENCY_GROUPS)}"
                " or gap <> assessed_level - standard_level or has_gap <> (gap < 0)",
            ),
        ),
    ),
    Suite(
        name="marts_mart_competency_gap",
        schema=MARTS_BUILD_SCHEMA,
        table="mart_competency_gap",
        checks=(
            rows_breaking(
                CRITICAL,
                "JPM is known and between 0 and 100% (above 100 only when the setting jpm_cap_per_item lets a "
                "competency above its standard offset another's gap), with its category; levels are 1-5.",
                "select * from {batch} where jpm_pct is null or jpm_category is null or jpm_pct < 0"
                " or (jpm_pct > 100"
                " and coalesce((select s.setting_value::boolean from reference.ref_pembina_settings as s"
                " where s.setting_name = 'jpm_cap_per_item'), true))"
                " or standard_level not between 1 and 5 or assessed_level not between 1 and 5",
            ),
            _in_set("jpm_category", JPM_CATEGORIES),
        ),
    ),
    Suite(
        name="marts_fct_discipline_sanction",
        schema=MARTS_BUILD_SCHEMA,
        table="fct_discipline_sanction",
        checks=(
            _in_set("sanction_level", SANCTION_LEVELS, "Ringan, sedang or berat (PP 94/2021 art. 8)."),
            rows_breaking(
                CRITICAL,
                "Every sanction has its employee and never ends before it starts.",
                "select * from {batch} where employee_key is null or end_date < start_date",
            ),
            warning(
                "expect_column_values_to_be_in_set",
                "Finding: sanctions whose tmt_selesai in the register disagrees with the end its decree's duration "
                "sets (ref_sanction). The period follows the duration; the stated date is kept beside it.",
                column="is_stated_end_date_consistent",
                value_set=[True],
            ),
        ),
    ),
)

DEVELOPMENT_SUITES: tuple[Suite, ...] = (
    Suite(
        name="marts_fct_training_participation",
        schema=MARTS_BUILD_SCHEMA,
        table="fct_training_participation",
        new_rows_column="loaded_at",
        checks=(
            rows_breaking(
                CRITICAL,
                "Every participation has its employee; JP are never negative and never credited beyond the "
                "participation's JP; the completion status is passed, failed, withdrawn or not_completed; a "
                "training never ends before it starts; a duplicate report names the report that counts and "
                "credits nothing.",
                "select * from {batch} where employee_key is null or jp < 0 or jp_credited < 0 or jp_credited > jp"
                f" or completion_status not in {_sql_in(TRAINING_COMPLETION_STATUSES)} or end_date < start_date"
                " or is_counted is null or is_counted <> (duplicate_of_participation_key is null)"
                " or (not is_counted and jp_credited <> 0)",
            ),
        ),
    ),
    Suite(
        name="marts_mart_jp_compliance",
        schema=MARTS_BUILD_SCHEMA,
        table="mart_jp_compliance",
        checks=(
            _has_rows(),
            _between("total_jp", 0, None, "JP in a year are never negative."),
            _between("jp_shortfall", 0, None, "The JP missing to the yearly minimum are never negative."),
            rows_breaking(
                CRITICAL,
                "Total and shortfall are known, the shortfall never exceeds the minimum, and an employee meets "
                "the minimum exactly when nothing falls short; an employee outside the JP duty (PPPK) has no "
                "minimum, shortfall or compliance.",
                "select * from {batch} where total_jp is null or is_jp_duty is null"
                " or (is_jp_duty and (jp_shortfall is null or jp_shortfall > jp_minimum"
                " or meets_jp_minimum is null or meets_jp_minimum <> (jp_shortfall = 0)))"
                " or (not is_jp_duty and num_nonnulls(jp_minimum, jp_shortfall, meets_jp_minimum) > 0)",
            ),
        ),
    ),
    Suite(
        name="marts_mart_jp_compliance_by_opd",
        schema=MARTS_BUILD_SCHEMA,
        table="mart_jp_compliance_by_opd",
        checks=(
            _has_rows(),
            _between("compliance_share_pct", 0, 100),
            _between("total_jp_shortfall", 0, None),
            rows_breaking(
                CRITICAL,
                "No more compliant employees than employees.",
                "select * from {batch} where compliant_employees > employees",
            ),
        ),
    ),
    Suite(
        name="marts_fct_university_programme",
        schema=MARTS_BUILD_SCHEMA,
        table="fct_university_programme",
        checks=(
            _between("gpa", 0, 4, "A GPA (IPK) is on the 0-4 scale."),
            _between("final_score", 0, 100),
            rows_breaking(
                CRITICAL,
                "Every participation has its employee and never ends before it starts.",
                "select * from {batch} where employee_key is null or end_date < start_date",
            ),
        ),
    ),
    Suite(
        name="marts_mart_university_collaboration",
        schema=MARTS_BUILD_SCHEMA,
        table="mart_university_collaboration",
        checks=(
            rows_breaking(
                CRITICAL,
                "Participants, completions and programmes active at year end are each at most the participations.",
                "select * from {batch} where participants > participations or completions > participations"
                " or active_at_year_end > participations",
            ),
        ),
    ),
)

INDICES_SUITES: tuple[Suite, ...] = (
    Suite(
        name="marts_mart_ip_asn",
        schema=MARTS_BUILD_SCHEMA,
        table="mart_ip_asn",
        checks=(
            _has_rows(),
            _between("ip_asn_index", 0, 100, "IP ASN is a score of 0-100 (PermenPAN-RB 38/2018)."),
            _in_set("ip_asn_category", IP_ASN_CATEGORIES),
            rows_breaking(
                CRITICAL,
                "Each dimension scores between 0 and its weight in ref_ip_asn_weight (kualifikasi 25, kompetensi "
                "40, kinerja 30, disiplin 5 as shipped); kompetensi and disiplin are always known, kualifikasi "
                "and kinerja are empty when their input is missing.",
                "select * from {batch} where kompetensi_score is null or disiplin_score is null or "
                + " or ".join(f"{d}_score not between 0 and {_weight(d)}" for d in IP_ASN_DIMENSIONS),
            ),
            rows_breaking(
                CRITICAL,
                "The index is the sum of the four dimension scores, and empty exactly when a dimension is.",
                "select * from {batch} where (ip_asn_index is null) <> (kualifikasi_score is null or kinerja_score"
                " is null) or abs(ip_asn_index - (" + " + ".join(f"{d}_score" for d in IP_ASN_DIMENSIONS) + ")) > 0.01",
            ),
            rows_breaking(
                CRITICAL,
                "The category of a computed index is the band of ref_ip_asn_category that holds it (above the "
                "next lower band's upper bound, at most its own); an index not computed has no category.",
                # materialized: inlined, the bands' window ran again for every row (5.4 s against 1.0 s at
                # 600,000 ASN, and GX runs the query twice)
                "with bands as materialized (select c.category_name, c.upper_bound_inclusive, "
                "lag(c.upper_bound_inclusive) "
                "over (order by c.upper_bound_inclusive) as lower_bound_exclusive "
                "from reference.ref_ip_asn_category as c) "
                "select * from {batch} where (ip_asn_index is null and ip_asn_category is not null) "
                "or (ip_asn_index is not null and not exists (select from bands as b "
                "where b.category_name = ip_asn_category and ip_asn_index <= b.upper_bound_inclusive "
                "and (b.lower_bound_exclusive is null or ip_asn_index > b.lower_bound_exclusive)))",
            ),
        ),
    ),
    Suite(
        name="marts_mart_ip_asn_by_opd",
        schema=MARTS_BUILD_SCHEMA,
        table="mart_ip_asn_by_opd",
        checks=(
            _has_rows(),
            _between("average_ip_asn_index", 0, 100),
            rows_breaking(
                CRITICAL,
                "The employees per category add up to indexed_employee_count; with those whose index is not "
                "computed (a missing input) they make employee_count.",
                "select * from {batch} where indexed_employee_count <> "
                + " + ".join(f"{c}_count" for c in _IP_ASN_COUNTS)
                + " or employee_count <> indexed_employee_count + employees_with_missing_inputs",
            ),
        ),
    ),
    Suite(
        name="marts_mart_training_effectiveness",
        schema=MARTS_BUILD_SCHEMA,
        table="mart_training_effectiveness",
        checks=(
            rows_breaking(
                CRITICAL,
                "Shares are percentages (0-100), mean predikat ranks lie in 1-5, and no paired group is larger "
                "than the programme's participants.",
                "select * from {batch} where "
                + " or ".join(f"{c} not between 0 and 100" for c in _EFFECTIVENESS_SHARES)
                + " or "
                + " or ".join(f"{c} not between 1 and 5" for c in _EFFECTIVENESS_RANKS)
                + " or "
                + " or ".join(f"{c} > participants_completed" for c in _EFFECTIVENESS_PAIRED),
            ),
        ),
    ),
    Suite(
        name="marts_mart_development_priorities",
        schema=MARTS_BUILD_SCHEMA,
        table="mart_development_priorities",
        checks=(_in_set("priority", ("reward", "development_plan")),),
    ),
)

CITIZEN_SUITES: tuple[Suite, ...] = (
    Suite(
        name="marts_mart_public_satisfaction",
        schema=MARTS_BUILD_SCHEMA,
        table="mart_public_satisfaction",
        checks=(
            rows_breaking(
                CRITICAL,
                "Each element's NRR is 1-4 and the IKM 25-100; a semester has an IKM exactly when it has "
                "respondents, and the IKM is the average NRR x 25 (to the rounding of the NRR to 2 decimals).",
                "select * from {batch} where respondents < 0 or (respondents > 0) <> (ikm is not null)"
                " or ikm not between 25 and 100 or "
                + " or ".join(f"nrr_{e} not between 1 and 4" for e in SKM_ELEMENTS)
                + " or abs(ikm - 25 * ("
                + " + ".join(f"nrr_{e}" for e in SKM_ELEMENTS)
                + ") / 9) > 0.15",
            ),
            rows_breaking(
                CRITICAL,
                "The quality category is the one of ref_skm_quality_category whose IKM interval holds the IKM "
                "(PermenPAN-RB 14/2017: A 88.31-100, B 76.61-88.30, C 65.00-76.60, D 25.00-64.99).",
                "select * from {batch} where quality_code is distinct from (select q.quality_code"
                " from reference.ref_skm_quality_category as q"
                " where ikm between q.ikm_lower_bound and q.ikm_upper_bound)",
            ),
            rows_breaking(
                CRITICAL,
                "Periods are complete: every unit has a row for each semester from its first to the latest one "
                "of the mart (a semester without a survey shows 0 respondents, it is not left out).",
                "select * from {batch} where service_unit_code in (select service_unit_code from {batch}"
                " group by service_unit_code having count(*) <> 1 + ("
                "(select extract(year from max(period_start)) * 12 + extract(month from max(period_start))"
                " from {batch}) - (extract(year from min(period_start)) * 12"
                " + extract(month from min(period_start)))) / 6)",
            ),
            _in_set("quality_code", SKM_QUALITY_CODES),
            warning(
                "expect_column_values_to_be_in_set",
                "Finding: unit-semesters with fewer respondents than the Krejcie-Morgan sample for the unit's "
                "service users (ref_skm_rule), a semester without a survey among them: their IKM is indicative.",
                column="is_sample_too_small",
                value_set=[False],
            ),
        ),
    ),
)

CROSS_SUITES: tuple[Suite, ...] = (
    Suite(
        name="marts_filled_from_their_sources",
        query=_empty_relations_query(SOURCE_OF_RELATION),
        query_target="facts and marts of one source",
        materialize=True,
        checks=(
            critical(
                "expect_column_values_to_be_null",
                "No fact or mart is empty while the raw table of its source has rows.",
                column="empty_while_source_has_rows",
            ),
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
                    "personal-data column: "
                    + ", ".join(PERSONAL_DATA_COLUMNS)
                    + ", or a name with the part "
                    + ", ".join(PERSONAL_DATA_NAME_PARTS)
                    + "."
                ),
                column="table_column",
                regex=PERSONAL_DATA_REGEX,
            ),
        ),
    ),
    Suite(
        name="marts_quasi_identifiers",
        query=quasi_identifier_query(MARTS_BUILD_SCHEMA),
        query_target=f"quasi-identifiers of {MARTS_BUILD_SCHEMA}.dim_employee",
        materialize=True,
        checks=(
            critical(
                "expect_column_values_to_be_null",
                "Few enough employees are singled out by what dim_employee shows ("
                + ", ".join(QUASI_IDENTIFIERS)
                + "): at most k_anonymity_max_below_k_pct % of them in a class of fewer than k_anonymity_k "
                "(ref_pembina_settings).",
                column="quasi_identifier_breach",
            ),
        ),
    ),
    Suite(
        name="marts_no_personal_values",
        query=_personal_value_query(PUBLISHED_SCHEMAS),
        query_target="text values of " + ", ".join(PUBLISHED_SCHEMAS),
        materialize=True,
        new_rows_column=LOAD_TIME_COLUMN,
        skips_unchanged=True,
        checks=(
            critical(
                "expect_column_values_to_be_null",
                "No text column of the published schemas holds a value that looks like a NIP (18 digits) or "
                "a NIK (16 digits); the result names the column and how many rows, never the values.",
                column="column_with_personal_numbers",
            ),
            critical(
                "expect_table_row_count_to_be_between",
                "The scan found text columns to look at (an empty scan proves nothing).",
                min_value=1,
            ),
        ),
    ),
)

INNOVATION_STAGES = ("Inisiatif", "Uji Coba", "Penerapan")
INNOVATION_ROLES = ("Ketua", "Anggota", "Pembina")

INNOVATION_SUITES: tuple[Suite, ...] = (
    Suite(
        name="staging_forum_follow_up",
        query=(
            "select inputs.forum_code, inputs.input_number, "
            "case when inputs.follow_up_date < forums.forum_date "
            "then inputs.forum_code || ' no. ' || inputs.input_number end as follow_up_before_forum "
            "from staging.stg_forum__masukan as inputs "
            "join staging.stg_forum__sesi as forums on forums.forum_code = inputs.forum_code"
        ),
        query_target="staging.stg_forum__masukan, staging.stg_forum__sesi",
        materialize=True,
        checks=(
            warning(
                "expect_column_values_to_be_null",
                "A forum input's follow-up is not dated before the forum it was raised in (a typing error in "
                "the OPD's workbook: reported to the OPD, the input still counts).",
                column="follow_up_before_forum",
            ),
        ),
    ),
    Suite(
        name="marts_fct_innovation_participation",
        schema=MARTS_BUILD_SCHEMA,
        table="fct_innovation_participation",
        checks=(
            _in_set("team_role", INNOVATION_ROLES, "Ketua, Anggota or Pembina of the innovation's team."),
            _in_set("stage", INNOVATION_STAGES, "Inisiatif, uji coba or penerapan (PP 38/2017)."),
            rows_breaking(
                CRITICAL,
                "Every participation has its employee; the stage dates run inisiatif, uji coba, penerapan and "
                "the stage reached has its date.",
                "select * from {batch} where employee_key is null or trial_date < initiative_date"
                " or rollout_date < trial_date or (stage = 'Penerapan') <> (rollout_date is not null)",
            ),
        ),
    ),
    Suite(
        name="marts_mart_innovation_portfolio",
        schema=MARTS_BUILD_SCHEMA,
        table="mart_innovation_portfolio",
        checks=(
            rows_breaking(
                CRITICAL,
                "The stages and the forms each add up to the OPD's innovations of the year; those with a "
                "consultation, started or reaching penerapan in the year are among them; leaders are among "
                "the ASN involved.",
                "select * from {batch} where innovations_inisiatif + innovations_uji_coba + innovations_penerapan"
                " <> innovations_total or innovations_tata_kelola + innovations_pelayanan_publik"
                " + innovations_other_form <> innovations_total or innovations_with_consultation > innovations_total"
                " or innovations_started > innovations_total"
                " or innovations_reached_penerapan > innovations_penerapan or asn_leading > asn_involved",
            ),
        ),
    ),
    Suite(
        name="marts_mart_innovation_satisfaction",
        schema=MARTS_BUILD_SCHEMA,
        table="mart_innovation_satisfaction",
        checks=(
            rows_breaking(
                CRITICAL,
                "An IKM is between 25 and 100 and known exactly when its window had respondents; the change is "
                "the difference of the two.",
                "select * from {batch} where ikm_before not between 25 and 100 or ikm_after not between 25 and 100"
                " or (ikm_before is null) <> (respondents_before = 0) or (ikm_after is null) <> (respondents_after = 0)"
                " or ikm_change <> ikm_after - ikm_before",
            ),
        ),
    ),
    Suite(
        name="marts_mart_citizen_feedback",
        schema=MARTS_BUILD_SCHEMA,
        table="mart_citizen_feedback",
        checks=(
            rows_breaking(
                CRITICAL,
                "Each half year runs from 1 January or 1 July for six months; inputs followed up (by their target) "
                "and open past it are among those raised; complaints answered (within the deadline) and open past "
                "it are among those received; participants are the sum of their groups.",
                "select * from {batch} where semester not in (1, 2) or period_start <> make_date(calendar_year,"
                " 6 * semester - 5, 1) or period_end <> (period_start + interval '6 months' - interval '1 day')::date"
                " or inputs_followed_up > inputs_raised or inputs_followed_up_by_target > inputs_followed_up"
                " or inputs_followed_up + inputs_open_past_target > inputs_raised"
                " or complaints_answered > complaints_received"
                " or complaints_answered_within_deadline > complaints_answered"
                " or complaints_answered + complaints_open_past_deadline > complaints_received"
                " or participants_total <> participants_public + participants_community_leaders"
                " + participants_vulnerable_groups + participants_business",
            ),
        ),
    ),
)

SUITES: tuple[Suite, ...] = (
    *RAW_SUITES,
    *CITIZEN_RAW_SUITES,
    *CORE_SUITES,
    *WORKFORCE_SUITES,
    *PERFORMANCE_SUITES,
    *COMPETENCY_SUITES,
    *DEVELOPMENT_SUITES,
    *INDICES_SUITES,
    *INNOVATION_SUITES,
    *CITIZEN_SUITES,
    *CROSS_SUITES,
)


def suite_by_name(name: str) -> Suite:
    for suite in SUITES:
        if suite.name == name:
            return suite
    raise KeyError(f"no suite named {name!r}; known: {', '.join(s.name for s in SUITES)}")
