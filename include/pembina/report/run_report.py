"""The per-run report for auditors: one self-contained HTML file per run (inline CSS and SVG, no script, no
external asset), an index of every run, and ``latest.html``, the report of the last validated run.

A run is a run of the quality gate (``audit.validation_runs.run_id``; in Airflow, the warehouse DAG's run id).
Its report shows the files that came in since the previous run (``audit.ingested_files``, with the check rows
read = rows loaded + rows quarantined per file), what of them was quarantined and why (``raw.quarantine``, one
example per rule with personal data masked), the checks of the run under their plain-language description, charts
over recent runs, how many rows each table of each layer holds, and the personal-data checks. A failed or
unvalidated run gets a report of its own, red at the top, and leaves ``latest.html`` on the last validated run.
It reads the warehouse only; a table that does not exist yet is reported as absent, never as an error.
The words are those of ``pembina.report.messages`` (Indonesian by default); the HTML is in
``pembina.report.render``.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from pembina import db
from pembina.publish import Publication, latest_publication
from pembina.quality.suites import quasi_identifier_query
from pembina.settings import MARTS_SCHEMA, get_settings

log = logging.getLogger(__name__)

LAYER_SCHEMAS: tuple[str, ...] = ("raw", "staging", "intermediate", "snapshots", "marts")
QUARANTINE_TABLE = ("raw", "quarantine")
WIT = timezone(timedelta(hours=9), "WIT")  # Manokwari, Papua Barat
LATEST_NAME = "latest.html"
INDEX_NAME = "index.html"
RUNS_NAME = "runs.json"  # the runs reported in this folder, for the index
RELATION_KINDS = {"r": "table", "p": "table", "v": "view", "m": "materialized view", "f": "foreign table"}
HISTORY_RUNS = 10  # runs shown in the charts over time
VALIDATED, FAILED, UNVALIDATED = "validated", "failed", "unvalidated"


class UnknownRunError(ValueError):
    """``pembina report --run-id`` names a run that nothing in the warehouse or the reports folder knows."""


@dataclass(frozen=True)
class FileRecord:
    file_id: int
    batch_id: int
    batch_run_id: str | None
    source: str
    path: str
    sha256: str
    size_bytes: int
    encoding: str | None
    status: str
    reason: str | None
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    started_at: datetime | None
    quarantine_rows: int | None = None  # rows in raw.quarantine for this file, when the table says which file

    @property
    def reconciled(self) -> bool | None:
        """rows read = rows loaded + rows quarantined; None for a file rejected whole (nothing loaded)."""
        if self.status == "rejected":
            return None
        balanced = self.rows_read == self.rows_loaded + self.rows_quarantined
        if self.quarantine_rows is not None:
            balanced = balanced and self.quarantine_rows == self.rows_quarantined
        return balanced


@dataclass(frozen=True)
class TableCount:
    schema: str
    table: str
    kind: str
    rows: int | None
    error: str | None = None


@dataclass(frozen=True)
class ResultRecord:
    expectation: str
    column: str | None
    severity: str
    success: bool
    observed: Mapping[str, Any]


@dataclass(frozen=True)
class SuiteRecord:
    validation_run_id: int
    run_id: str | None
    suite: str
    target: str
    started_at: datetime
    success: bool
    evaluated: int
    failed: int
    docs_path: str | None
    attempts: int
    results: tuple[ResultRecord, ...]


@dataclass(frozen=True)
class LoadFindings:
    """What the loads met besides rows: batches that died before closing (marked failed by the next load of
    their source), files that left optional columns out, and coded values rewritten to canonical codes."""

    failed_batches: tuple[tuple[int, str, datetime, datetime | None, str | None], ...] = ()  # id, source, when, why
    absent_columns: tuple[tuple[int, str, str, tuple[str, ...]], ...] = ()  # file id, source, path, columns
    codes_rewritten: tuple[tuple[int, str, str, dict[str, int]], ...] = ()  # file id, source, path, per column

    def __bool__(self) -> bool:
        return bool(self.failed_batches or self.absent_columns or self.codes_rewritten)


@dataclass(frozen=True)
class QuarantineRule:
    """The rows of the run's files quarantined under one rule of one source, with one example (masked)."""

    source: str
    rule_id: str
    rows: int
    message: str | None = None
    record: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class History:
    """The charts over time: loads per source (oldest first), check pass rates per run (oldest first) and the
    latest year of JP compliance and IP ASN by OPD in the published marts."""

    loads: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = ()  # source, ((loaded, quarantined) per batch)
    pass_rates: tuple[tuple[str, datetime, float, bool], ...] = ()  # run id, started, % passed, gate passed
    jp_by_opd: tuple[int | None, tuple[tuple[str, float | None], ...]] = (None, ())  # year, ((OPD, % compliant))
    ip_asn_by_opd: tuple[int | None, tuple[tuple[str, float | None], ...]] = (None, ())  # year, ((OPD, index))
    marts_published: bool = False


@dataclass(frozen=True)
class QuasiIdentifierRecord:
    """How many employees of dim_employee its quasi-identifiers single out (pembina.quality.suites)."""

    employees: int
    unique_employees: int
    employees_below_k: int
    below_k_pct: float | None
    k: int | None
    max_below_k_pct: float | None
    breach: str | None
    by_disclosure_level: tuple[tuple[int, int], ...]  # (level, employees)


# The suites that keep personal data out of the marts, reported together.
PERSONAL_DATA_SUITES = ("marts_no_personal_data", "marts_no_personal_values", "marts_quasi_identifiers")


@dataclass(frozen=True)
class RunData:
    generated_at: datetime
    database: str
    files: tuple[FileRecord, ...]
    files_recorded: bool  # audit.ingested_files exists
    quarantine: tuple[tuple[str, str, int], ...]  # (source, rule_id, rows)
    quarantine_available: bool
    tables: tuple[TableCount, ...]
    validation_run_id: str | None
    validations: tuple[SuiteRecord, ...]
    validations_recorded: bool
    last_publication: Publication | None = None  # the version of the marts the BI login reads
    load_findings: LoadFindings = field(default_factory=LoadFindings)
    quasi_identifiers: QuasiIdentifierRecord | None = None  # None while dim_employee or the settings are absent
    layers: tuple[str, ...] = field(default=LAYER_SCHEMAS)
    run_file_ids: frozenset[int] | None = None  # the files of this run (None: every file)
    run_quarantine: tuple[QuarantineRule, ...] = ()  # what the files of this run set aside, by rule
    history: History = field(default_factory=History)
    landing_dir: Path | None = None

    @property
    def status(self) -> str:
        if not self.validations:
            return UNVALIDATED
        return FAILED if self.critical_failures else VALIDATED

    @property
    def run_files(self) -> tuple[FileRecord, ...]:
        if self.run_file_ids is None:
            return self.files
        return tuple(f for f in self.files if f.file_id in self.run_file_ids)

    def relative_path(self, path: str) -> str:
        """A file's path relative to the landing folder (the part after a `landing` folder otherwise)."""
        candidate = Path(path)
        if self.landing_dir is not None:
            try:
                return candidate.resolve().relative_to(self.landing_dir.resolve()).as_posix()
            except ValueError:
                pass
        parts = candidate.parts
        if "landing" in parts:
            return Path(*parts[len(parts) - parts[::-1].index("landing") :]).as_posix()
        return candidate.as_posix()

    @property
    def rows_per_table(self) -> dict[str, dict[str, int]]:
        """{schema: {table: rows}} for every table and view of the layer schemas that could be counted."""
        nested: dict[str, dict[str, int]] = {}
        for t in self.tables:
            if t.rows is not None:
                nested.setdefault(t.schema, {})[t.table] = t.rows
        return nested

    @property
    def layer_totals(self) -> dict[str, int]:
        """Rows per layer schema that exists; the quarantine table is not counted as raw data."""
        totals: dict[str, int] = {}
        for t in self.tables:
            if (t.schema, t.table) == QUARANTINE_TABLE:
                continue
            totals[t.schema] = totals.get(t.schema, 0) + (t.rows or 0)
        return {layer: totals[layer] for layer in self.layers if layer in totals}

    @property
    def results(self) -> list[ResultRecord]:
        return [r for s in self.validations for r in s.results]

    @property
    def critical_failures(self) -> list[tuple[SuiteRecord, ResultRecord]]:
        return [(s, r) for s in self.validations for r in s.results if not r.success and r.severity == "critical"]

    @property
    def warning_failures(self) -> list[tuple[SuiteRecord, ResultRecord]]:
        return [(s, r) for s in self.validations for r in s.results if not r.success and r.severity != "critical"]

    @property
    def unreconciled(self) -> list[FileRecord]:
        return [f for f in self.files if f.reconciled is False]


# ---------------------------------------------------------------------------------------------- collecting


def collect_run_data(url: str | None = None, run_id: str | None = None) -> RunData:
    """Read everything the report shows. ``run_id`` selects the validation run (default: the latest)."""
    url = url or db.warehouse_url()
    with db.connect(url, autocommit=True) as conn:
        quarantine_cols = _columns(conn, *QUARANTINE_TABLE)
        files_recorded = _exists(conn, "audit", "ingested_files") and _exists(conn, "audit", "load_batches")
        files = _files(conn, quarantine_cols) if files_recorded else ()
        quarantine_available = {"source", "rule_id"} <= quarantine_cols
        quarantine = _quarantine(conn) if quarantine_available else ()
        tables = _table_counts(conn, LAYER_SCHEMAS)
        validations_recorded = _exists(conn, "audit", "validation_runs") and _exists(
            conn, "audit", "validation_results"
        )
        chosen_run, validations = _validations(conn, run_id) if validations_recorded else (run_id, ())
        publication = latest_publication(conn) if _exists(conn, "audit", "publications") else None
        load_findings = _load_findings(conn) if files_recorded else LoadFindings()
        quasi_identifiers = _quasi_identifiers(conn)
        run_file_ids = _run_file_ids(conn, chosen_run) if files_recorded and validations_recorded else None
        run_quarantine = (
            _run_quarantine(conn, quarantine_cols, run_file_ids, files)
            if quarantine_available and files_recorded
            else ()
        )
        history = _history(conn, files_recorded, validations_recorded)
    return RunData(
        generated_at=datetime.now(UTC),
        database=str(conninfo_to_dict(url).get("dbname") or ""),
        files=files,
        files_recorded=files_recorded,
        quarantine=quarantine,
        quarantine_available=quarantine_available,
        tables=tables,
        validation_run_id=chosen_run,
        validations=validations,
        validations_recorded=validations_recorded,
        last_publication=publication,
        load_findings=load_findings,
        quasi_identifiers=quasi_identifiers,
        run_file_ids=run_file_ids,
        run_quarantine=run_quarantine,
        history=history,
        landing_dir=get_settings().landing_dir,
    )


def known_run(url: str | None, run_id: str) -> bool:
    """Whether the warehouse has a record of run ``run_id``: a gate run, a load batch or a publication."""
    with db.connect(url or db.warehouse_url(), autocommit=True) as conn:
        for schema, table, column in (
            ("audit", "validation_runs", "run_id"),
            ("audit", "gate_runs", "run_id"),
            ("audit", "load_batches", "run_id"),
            ("audit", "publications", "airflow_run_id"),
        ):
            if column not in _columns(conn, schema, table):
                continue
            query = sql.SQL("select exists (select from {}.{} where {} = %s)").format(
                sql.Identifier(schema), sql.Identifier(table), sql.Identifier(column)
            )
            if conn.execute(query, (run_id,)).fetchone()[0]:
                return True
    return False


def _run_file_ids(conn: psycopg.Connection, run_id: str | None) -> frozenset[int] | None:
    """The files that came in for run ``run_id``: ingested after the previous gate run started and up to this
    run's gate (or until now, for a run the gate has not seen)."""
    if run_id is None:
        return None
    row = conn.execute(
        """with this_run as (select min(started_at) as started from audit.validation_runs where run_id = %s)
           select (select started from this_run),
                  (select max(started_at) from audit.validation_runs
                    where run_id <> %s and started_at < coalesce((select started from this_run), now()))""",
        (run_id, run_id),
    ).fetchone()
    until, since = row if row else (None, None)
    rows = conn.execute(
        """select file_id from audit.ingested_files
            where (%(since)s::timestamptz is null or started_at > %(since)s)
              and (%(until)s::timestamptz is null or started_at <= %(until)s)""",
        {"since": since, "until": until},
    ).fetchall()
    return frozenset(int(r[0]) for r in rows)


def _run_quarantine(
    conn: psycopg.Connection, columns: set[str], file_ids: frozenset[int] | None, files: tuple[FileRecord, ...]
) -> tuple[QuarantineRule, ...]:
    """Per source and rule, the quarantined rows of the run's files and the first of them as an example."""
    if "file_id" not in columns:
        return ()
    ids = sorted(file_ids if file_ids is not None else (f.file_id for f in files))
    example = "message, record" if {"message", "record"} <= columns else "null::text as message, null::jsonb as record"
    order = "quarantine_id" if "quarantine_id" in columns else "file_id"
    rows = conn.execute(
        f"""select q.source::text, q.rule_id::text, c.rows, q.message, q.record
              from (select source, rule_id, count(*) as rows from raw.quarantine
                     where file_id = any(%(ids)s) group by 1, 2) c
              join lateral (select source, rule_id, {example} from raw.quarantine e
                             where e.file_id = any(%(ids)s) and e.source = c.source and e.rule_id = c.rule_id
                             order by {order} limit 1) q on true
             order by 1, 2""",
        {"ids": ids},
    ).fetchall()
    return tuple(QuarantineRule(s, r, int(n), m, rec) for s, r, n, m, rec in rows)


def _history(conn: psycopg.Connection, files_recorded: bool, validations_recorded: bool) -> History:
    loads: dict[str, list[tuple[int, int]]] = {}
    if files_recorded:
        for source, loaded, quarantined in conn.execute(
            """select source, loaded, quarantined from (
                   select f.source, f.batch_id, sum(f.rows_loaded)::bigint as loaded,
                          sum(f.rows_quarantined)::bigint as quarantined,
                          row_number() over (partition by f.source order by f.batch_id desc) as recent
                     from audit.ingested_files f group by f.source, f.batch_id) per_batch
                where recent <= %s order by source, batch_id""",
            (HISTORY_RUNS,),
        ):
            loads.setdefault(source, []).append((int(loaded), int(quarantined)))
    pass_rates: list[tuple[str, datetime, float, bool]] = []
    if validations_recorded:
        rows = conn.execute(
            """with latest as (
                   select r.*, row_number() over (partition by run_id, suite order by validation_run_id desc) as rn
                     from audit.validation_runs r),
               per_run as (
                   select l.run_id, min(l.started_at) as started, count(v.*) as evaluated,
                          count(*) filter (where v.success) as passed,
                          count(*) filter (where not v.success and v.severity = 'critical') as critical_failed
                     from latest l left join audit.validation_results v using (validation_run_id)
                    where l.rn = 1 group by l.run_id)
               select run_id, started, 100.0 * passed / nullif(evaluated, 0), critical_failed = 0
                 from per_run order by started desc limit %s""",
            (HISTORY_RUNS,),
        ).fetchall()
        pass_rates = [(str(r), started, float(pct or 0), bool(ok)) for r, started, pct, ok in reversed(rows)]
    marts_published = _exists(conn, "audit", "publications") and latest_publication(conn) is not None
    jp, ip_asn = _opd_indicators(conn) if marts_published else ((None, ()), (None, ()))
    return History(
        loads=tuple((source, tuple(batches)) for source, batches in sorted(loads.items())),
        pass_rates=tuple(pass_rates),
        jp_by_opd=jp,
        ip_asn_by_opd=ip_asn,
        marts_published=marts_published,
    )


def _opd_indicators(conn: psycopg.Connection) -> tuple[tuple[int | None, tuple], tuple[int | None, tuple]]:
    """JP compliance and the IP ASN index by OPD for the latest year of the published marts. The only place
    that names the marts' year columns: a renamed column changes here."""

    def latest_year(
        table: str, value: str, complete: str = "true"
    ) -> tuple[int | None, tuple[tuple[str, float | None], ...]]:
        if not _exists(conn, MARTS_SCHEMA, table):
            return None, ()
        query = sql.SQL(
            "select calendar_year, opd_code, {value} from {schema}.{table} where calendar_year ="
            " (select max(calendar_year) from {schema}.{table} where {complete}) order by opd_code"
        ).format(
            value=sql.Identifier(value),
            schema=sql.Identifier(MARTS_SCHEMA),
            table=sql.Identifier(table),
            complete=sql.SQL(complete),
        )
        try:
            rows = conn.execute(query).fetchall()
        except psycopg.Error as exc:  # a mart of another shape: the chart says there is no data
            log.warning("%s not charted: %s", table, exc)
            return None, ()
        year = int(rows[0][0]) if rows else None
        return year, tuple((str(opd), None if v is None else float(v)) for _, opd, v in rows)

    return (
        # a year still running has few JP yet: the latest complete one
        latest_year("mart_jp_compliance_by_opd", "compliance_share_pct", "is_complete_year"),
        latest_year("mart_ip_asn_by_opd", "average_ip_asn_index"),
    )


def _quasi_identifiers(conn: psycopg.Connection) -> QuasiIdentifierRecord | None:
    if not (_exists(conn, MARTS_SCHEMA, "dim_employee") and _exists(conn, "reference", "ref_pembina_settings")):
        return None
    try:
        row = conn.execute(quasi_identifier_query(MARTS_SCHEMA)).fetchone()
        levels = conn.execute(
            sql.SQL("select disclosure_level, count(*) from {}.dim_employee group by 1 order by 1").format(
                sql.Identifier(MARTS_SCHEMA)
            )
        ).fetchall()
    except psycopg.Error as exc:  # a dim_employee without the generalised columns: the gate reports it
        log.warning("quasi-identifiers of dim_employee not measured: %s", exc)
        return None
    assert row is not None
    employees, unique, below_k, below_k_pct, k, max_pct, breach = row
    return QuasiIdentifierRecord(
        employees=employees,
        unique_employees=unique,
        employees_below_k=below_k,
        below_k_pct=None if below_k_pct is None else float(below_k_pct),
        k=None if k is None else int(k),
        max_below_k_pct=None if max_pct is None else float(max_pct),
        breach=breach,
        by_disclosure_level=tuple((int(level), int(n)) for level, n in levels),
    )


def _exists(conn: psycopg.Connection, schema: str, table: str) -> bool:
    row = conn.execute(
        "select to_regclass(format('%%I.%%I', %s::text, %s::text)) is not null", (schema, table)
    ).fetchone()
    return bool(row and row[0])


def _columns(conn: psycopg.Connection, schema: str, table: str) -> set[str]:
    rows = conn.execute(
        """
        select a.attname from pg_catalog.pg_attribute a
        join pg_catalog.pg_class c on c.oid = a.attrelid
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where n.nspname = %s and c.relname = %s and a.attnum > 0 and not a.attisdropped
        """,
        (schema, table),
    ).fetchall()
    return {r[0] for r in rows}


def _files(conn: psycopg.Connection, quarantine_cols: set[str]) -> tuple[FileRecord, ...]:
    file_col = next((c for c in ("file_id", "_file_id") if c in quarantine_cols), None)
    per_file: dict[str, int] = {}
    if file_col:
        query = sql.SQL("select {c}::text, count(*) from raw.quarantine where {c} is not null group by 1").format(
            c=sql.Identifier(file_col)
        )
        per_file = {str(r[0]): int(r[1]) for r in conn.execute(query)}
    rows = conn.execute(
        """
        select f.file_id, f.batch_id, b.run_id, f.source, f.path, f.sha256, f.size_bytes, f.encoding, f.status,
               f.reason, f.rows_read, f.rows_loaded, f.rows_quarantined, f.started_at
        from audit.ingested_files f
        left join audit.load_batches b on b.batch_id = f.batch_id
        order by f.file_id
        """
    ).fetchall()
    return tuple(FileRecord(*r, quarantine_rows=per_file.get(str(r[0]), 0) if file_col else None) for r in rows)


def _load_findings(conn: psycopg.Connection) -> LoadFindings:
    """Failed batches, absent optional columns and rewritten codes (columns a warehouse older than them lacks
    are read as none)."""
    batch_columns, file_columns = _columns(conn, "audit", "load_batches"), _columns(conn, "audit", "ingested_files")
    reason = "failure_reason" if "failure_reason" in batch_columns else "null::text"
    failed = conn.execute(
        f"""select batch_id, source, started_at, finished_at, {reason} from audit.load_batches
             where status = 'failed' order by batch_id"""
    ).fetchall()
    if not {"absent_columns", "codes_rewritten"} <= file_columns:
        return LoadFindings(failed_batches=tuple(failed))
    files = conn.execute(
        """select file_id, source, path, absent_columns, codes_rewritten from audit.ingested_files
            where absent_columns <> '[]' or codes_rewritten <> '{}' order by file_id"""
    ).fetchall()
    return LoadFindings(
        failed_batches=tuple(failed),
        absent_columns=tuple((f, s, p, tuple(absent)) for f, s, p, absent, _ in files if absent),
        codes_rewritten=tuple((f, s, p, dict(codes)) for f, s, p, _, codes in files if codes),
    )


def when(value: datetime | None) -> str:
    """A time in WIT, the time zone of Manokwari."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(WIT).strftime("%Y-%m-%d %H:%M:%S WIT")


def summarize_load_findings(findings: LoadFindings) -> dict[str, Any]:
    """The load findings for the terminal summary; a kind of finding appears only when there is one."""
    summary: dict[str, Any] = {}
    if findings.failed_batches:
        summary["failed_batches"] = [
            {"batch_id": b, "source": s, "marked_failed_at": when(f), "reason": why}
            for b, s, _, f, why in findings.failed_batches
        ]
    if findings.absent_columns:
        summary["absent_columns"] = {path: list(columns) for _, _, path, columns in findings.absent_columns}
    if findings.codes_rewritten:
        summary["codes_rewritten"] = {path: counts for _, _, path, counts in findings.codes_rewritten}
    return summary


def _quarantine(conn: psycopg.Connection) -> tuple[tuple[str, str, int], ...]:
    rows = conn.execute(
        "select source::text, rule_id::text, count(*) from raw.quarantine group by 1, 2 order by 1, 2"
    ).fetchall()
    return tuple((str(s), str(r), int(n)) for s, r, n in rows)


def _table_counts(conn: psycopg.Connection, schemas: Iterable[str]) -> tuple[TableCount, ...]:
    relations = conn.execute(
        """
        select n.nspname, c.relname, c.relkind
        from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any(%s) and c.relkind in ('r', 'p', 'v', 'm', 'f') and not c.relispartition
        order by array_position(%s, n.nspname::text), c.relname
        """,
        (list(schemas), list(schemas)),
    ).fetchall()
    counts = []
    for schema, table, kind in relations:
        query = sql.SQL("select count(*) from {}.{}").format(sql.Identifier(schema), sql.Identifier(table))
        try:
            row = conn.execute(query).fetchone()
            counts.append(TableCount(schema, table, RELATION_KINDS.get(kind, kind), int(row[0]) if row else 0))
        except psycopg.Error as exc:  # e.g. a view over a table it can no longer read
            counts.append(TableCount(schema, table, RELATION_KINDS.get(kind, kind), None, str(exc).strip()))
    return tuple(counts)


def _validations(conn: psycopg.Connection, run_id: str | None) -> tuple[str | None, tuple[SuiteRecord, ...]]:
    if run_id is None:
        row = conn.execute(
            "select run_id from audit.validation_runs order by validation_run_id desc limit 1"
        ).fetchone()
        if row is None:
            return None, ()
        run_id = row[0]
    # A retried task reuses its run id: per suite, the last attempt counts and the number of attempts is shown.
    runs = conn.execute(
        """
        select validation_run_id, run_id, suite, target, started_at, success, evaluated, failed, docs_path,
               attempts
        from (
            select r.*, count(*) over (partition by suite) as attempts,
                   row_number() over (partition by suite order by validation_run_id desc) as rn
            from audit.validation_runs r
            where run_id is not distinct from %s
        ) latest
        where rn = 1
        order by validation_run_id
        """,
        (run_id,),
    ).fetchall()
    ids = [r[0] for r in runs]
    results: dict[int, list[ResultRecord]] = {i: [] for i in ids}
    for vid, expectation, column, severity, success, observed in conn.execute(
        """
        select validation_run_id, expectation, column_name, severity, success, observed
        from audit.validation_results where validation_run_id = any(%s) order by result_id
        """,
        (ids,),
    ):
        results[vid].append(ResultRecord(expectation, column, severity, bool(success), observed or {}))
    return run_id, tuple(SuiteRecord(*r, results=tuple(results[r[0]])) for r in runs)


# ---------------------------------------------------------------------------------------------- entry points


def gx_index_path(data: RunData, out_dir: Path) -> Path | None:
    """The Great Expectations Data Docs index next to the reports, if there is one."""
    candidates = [out_dir / "gx" / "index.html", get_settings().reports_dir / "gx" / "index.html"]
    for suite in data.validations:
        if suite.docs_path:
            candidates += [p / "index.html" for p in Path(suite.docs_path).parents if p.name == "gx"]
    return next((c for c in candidates if c.exists()), None)


def report_name(run_id: str | None) -> str:
    """The file of a run's report: ``run_<run id with unsafe characters as _>.html``."""
    return "run_" + (re.sub(r"[^A-Za-z0-9._-]+", "_", run_id) if run_id else "none") + ".html"


def read_runs(out_dir: Path) -> list[dict[str, Any]]:
    """The runs reported in ``out_dir``, oldest first (``runs.json``)."""
    path = out_dir / RUNS_NAME
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def last_validated(runs: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((r for r in reversed(runs) if r["status"] == VALIDATED), None)


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def write_run_report(
    url: str | None = None,
    run_id: str | None = None,
    out_dir: Path | None = None,
    *,
    language: str | None = None,
    require_known: bool = False,
) -> Path:
    """Write the report of run ``run_id`` (default: the latest gate run) as ``run_<id>.html`` in ``out_dir``
    (default: the reports folder), record it in ``runs.json``, rewrite ``index.html``, and copy it to
    ``latest.html`` only when the run was validated. Returns the run's report.

    ``require_known``: refuse (``UnknownRunError``) a run id that the warehouse has no record of, as the
    command line does; the warehouse DAG reports its own run even when it failed before the gate."""
    from pembina.report.render import render_html, render_index

    out_dir = Path(out_dir) if out_dir else get_settings().reports_dir
    if require_known and run_id is not None and not known_run(url, run_id):
        raise UnknownRunError(f"no run {run_id!r} is recorded in the warehouse; `pembina report` reports the latest")
    out_dir.mkdir(parents=True, exist_ok=True)
    data = collect_run_data(url, run_id)
    path = out_dir / report_name(data.validation_run_id)
    runs = [r for r in read_runs(out_dir) if r["file"] != path.name]
    document = render_html(data, out_dir, language=language, last_validated_run=last_validated(runs))
    _write(path, document)
    runs.append(
        {
            "run_id": data.validation_run_id,
            "file": path.name,
            "status": data.status,
            "written_at": data.generated_at.isoformat(timespec="seconds"),
            "checks_passed": sum(r.success for r in data.results),
            "critical_failed": len(data.critical_failures),
            "warnings": len(data.warning_failures),
            "files": len(data.run_files),
            "rows_quarantined": sum(f.rows_quarantined for f in data.run_files),
        }
    )
    _write(out_dir / RUNS_NAME, json.dumps(runs, indent=1))
    if data.status == VALIDATED:
        shutil.copyfile(path, out_dir / f".{LATEST_NAME}.tmp")
        (out_dir / f".{LATEST_NAME}.tmp").replace(out_dir / LATEST_NAME)
    _write(out_dir / INDEX_NAME, render_index(runs, _gate_runs(url), language=language))
    log.info("run report written to %s (%s)", path, data.status)
    return path


def _gate_runs(url: str | None) -> list[tuple[str, datetime, bool]]:
    """Every run of the quality gate recorded in the warehouse: (run id, started, passed)."""
    with db.connect(url or db.warehouse_url(), autocommit=True) as conn:
        if not _exists(conn, "audit", "gate_runs"):
            return []
        rows = conn.execute(
            "select run_id, min(started_at), bool_and(passed) from audit.gate_runs where run_id is not null"
            " group by run_id order by 2"
        ).fetchall()
    return [(str(r), started, bool(passed)) for r, started, passed in rows]


def summarize_run(
    url: str | None = None, run_id: str | None = None, *, reports_dir: Path | None = None
) -> dict[str, Any]:
    """The report's numbers, for a terminal summary (JSON-serializable).

    ``rows_per_layer`` is ``{schema: {table: rows}}`` (``rows_per_layer_total`` the sums, quarantine excluded);
    ``quarantined_by_rule`` is ``{rule: rows}`` over all sources (``quarantined_by_source_rule`` per source)."""
    data = collect_run_data(url, run_id)
    reports_dir = Path(reports_dir) if reports_dir else get_settings().reports_dir
    report, index = reports_dir / report_name(data.validation_run_id), reports_dir / INDEX_NAME
    by_source: dict[str, dict[str, int]] = {}
    by_rule: dict[str, int] = {}
    for source, rule, n in data.quarantine:
        by_source.setdefault(source, {})[rule] = n
        by_rule[rule] = by_rule.get(rule, 0) + n
    gx_index = gx_index_path(data, reports_dir)
    results = data.results
    crit = data.critical_failures
    return {
        "database": data.database,
        "files": {
            "total": len(data.files),
            "loaded": sum(f.status == "loaded" for f in data.files),
            "rejected": sum(f.status == "rejected" for f in data.files),
            "unreconciled": [f.path for f in data.unreconciled],
        },
        "rows": {
            "read": sum(f.rows_read for f in data.files),
            "loaded": sum(f.rows_loaded for f in data.files),
            "quarantined": sum(f.rows_quarantined for f in data.files),
        },
        "rows_per_layer": data.rows_per_table,
        "rows_per_layer_total": data.layer_totals,
        "count_errors": {f"{t.schema}.{t.table}": t.error for t in data.tables if t.error is not None},
        "quarantined_by_rule": dict(sorted(by_rule.items())),
        "quarantined_by_source_rule": by_source,
        "validation": {
            "run_id": data.validation_run_id,
            "suites": len(data.validations),
            "evaluated": len(results),
            "passed": sum(r.success for r in results),
            "failed": sum(not r.success for r in results),
            "critical_failed": len(crit),
            "warnings_failed": len(data.warning_failures),
            "gate": "not run" if not data.validations else ("failed" if crit else "passed"),
            "critical_failures": [f"{s.suite}: {r.expectation} {r.column or ''}".strip() for s, r in crit],
        },
        "load_findings": summarize_load_findings(data.load_findings),
        "bi_reads": data.last_publication.describe() if data.last_publication else None,
        "publication": data.last_publication.as_dict() if data.last_publication else None,
        "quasi_identifiers": asdict(data.quasi_identifiers) if data.quasi_identifiers else None,
        "personal_data_checks": {s.suite: s.success for s in data.validations if s.suite in PERSONAL_DATA_SUITES},
        "status": data.status,
        "report_path": str(report) if report.exists() else None,
        "index_path": str(index) if index.exists() else None,
        "gx_docs_path": str(gx_index) if gx_index else None,
    }
