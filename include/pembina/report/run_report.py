"""The per-run report for auditors: one self-contained HTML file (inline CSS, no script, no external assets).

It shows what came in (``audit.ingested_files``, with the check rows read = rows loaded + rows quarantined
per file), what was quarantined and why (``raw.quarantine``), how many rows each table of each layer holds,
and which validation checks passed (``audit.validation_runs`` / ``audit.validation_results``), with links to
the Great Expectations Data Docs. It reads the warehouse only; a table that does not exist yet is reported
as absent, never as an error. Everything shown is escaped.
"""

from __future__ import annotations

import html
import json
import logging
import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

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
RELATION_KINDS = {"r": "table", "p": "table", "v": "view", "m": "materialized view", "f": "foreign table"}


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


def _render_load_findings(findings: LoadFindings) -> list[str]:
    """Section 1b, only when a load met something: failed batches, absent optional columns, rewritten codes."""
    if not findings:
        return []
    parts = ["<h3>Interrupted loads, absent optional columns and rewritten codes</h3>"]
    if findings.failed_batches:
        parts.append(
            "<p>A batch whose load died before closing it is marked failed when the next load of its source "
            "starts; nothing of an unfinished file is in raw, and the file loads again on the next run.</p>"
            '<table id="failed-batches"><thead><tr><th class="n">batch</th><th>source</th><th>started</th>'
            "<th>marked failed</th><th>why</th></tr></thead><tbody>"
        )
        for batch_id, source, started, finished, why in findings.failed_batches:
            parts.append(
                f'<tr class="bad" data-batch-id="{batch_id}"><td class="n">{batch_id}</td><td>{esc(source)}</td>'
                f"<td>{esc(_when(started))}</td><td>{esc(_when(finished))}</td><td>{esc(why)}</td></tr>"
            )
        parts.append("</tbody></table>")
    if findings.absent_columns:
        parts.append(
            "<p>Files that left optional columns out: those columns are NULL in raw for their rows.</p>"
            '<table id="absent-columns"><thead><tr><th class="n">file</th><th>source</th><th>path</th>'
            "<th>absent columns</th></tr></thead><tbody>"
        )
        for file_id, source, path, columns in findings.absent_columns:
            parts.append(
                f'<tr><td class="n">{file_id}</td><td>{esc(source)}</td><td><code>{esc(path)}</code></td>'
                f"<td>{esc(', '.join(columns))}</td></tr>"
            )
        parts.append("</tbody></table>")
    if findings.codes_rewritten:
        parts.append(
            "<p>Coded values loaded as their canonical code (seed <code>ref_code_synonym</code>, or a "
            "difference of case or spacing), per file and column.</p>"
            '<table id="codes-rewritten"><thead><tr><th class="n">file</th><th>source</th><th>path</th>'
            '<th>column</th><th class="n">values rewritten</th></tr></thead><tbody>'
        )
        for file_id, source, path, counts in findings.codes_rewritten:
            for column, count in sorted(counts.items()):
                parts.append(
                    f'<tr><td class="n">{file_id}</td><td>{esc(source)}</td><td><code>{esc(path)}</code></td>'
                    f'<td>{esc(column)}</td><td class="n">{_num(count)}</td></tr>'
                )
        parts.append("</tbody></table>")
    return parts


def summarize_load_findings(findings: LoadFindings) -> dict[str, Any]:
    """The load findings for the terminal summary; a kind of finding appears only when there is one."""
    summary: dict[str, Any] = {}
    if findings.failed_batches:
        summary["failed_batches"] = [
            {"batch_id": b, "source": s, "marked_failed_at": _when(f), "reason": why}
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


# ---------------------------------------------------------------------------------------------- rendering


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _num(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def _when(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(WIT).strftime("%Y-%m-%d %H:%M:%S WIT")


def _mark(ok: bool | None, *, na: str = "n/a") -> str:
    if ok is None:
        return f'<span class="mark na">{esc(na)}</span>'
    return '<span class="mark pass">✔ pass</span>' if ok else '<span class="mark fail">✘ FAIL</span>'


def observed_summary(result: ResultRecord, limit: int = 5) -> str:
    if result.success:
        return ""
    observed = result.observed or {}
    if observed.get("exception"):
        return str(observed["exception"])
    res = observed.get("result") or {}
    if res.get("unexpected_count") is not None:
        sample = list(res.get("partial_unexpected_list") or [])[:limit]
        return f"{res['unexpected_count']} unexpected" + (f", e.g. {json.dumps(sample, default=str)}" if sample else "")
    if "observed_value" in res:
        return "observed " + json.dumps(res["observed_value"], default=str)[:300]
    return "failed"


def _href(target: Path | str | None, base: Path) -> str | None:
    """A link from ``base`` (the report's folder) to a local file, relative when possible."""
    if not target:
        return None
    path = Path(target)
    if not path.exists():
        return None
    try:
        rel = os.path.relpath(path, base)
    except ValueError:  # another drive
        return path.resolve().as_uri()
    return quote(Path(rel).as_posix())


def _gx_index(data: RunData, out_dir: Path) -> Path | None:
    candidates = [out_dir / "gx" / "index.html", get_settings().reports_dir / "gx" / "index.html"]
    for suite in data.validations:
        if suite.docs_path:
            candidates += [p / "index.html" for p in Path(suite.docs_path).parents if p.name == "gx"]
    return next((c for c in candidates if c.exists()), None)


CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:2rem auto;max-width:1200px;
padding:0 1rem;color:#1d2330;background:#fff}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:2px solid #d8dde6;
padding-bottom:.2rem}h3{font-size:1rem;margin:1.2rem 0 .4rem}
.meta{color:#5a6475}table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid #d8dde6;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f1f4f8;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr.bad td{background:#fff1f1}tr.warn td{background:#fff9e6}code{font-size:.92em;word-break:break-all}
.mark{font-weight:600;white-space:nowrap}.pass{color:#17702d}.fail{color:#b3141b}.na{color:#6b7280}
.warn-t{color:#8a5a00}.banner{padding:.8rem 1rem;border-radius:6px;font-weight:600;margin:1rem 0}
.banner.pass{background:#e8f6ec;border:1px solid #9bd3a9}.banner.fail{background:#fdecec;border:1px solid #f0a3a3}
.banner.na{background:#f1f4f8;border:1px solid #d8dde6}.cards{display:flex;flex-wrap:wrap;gap:.8rem}
.card{border:1px solid #d8dde6;border-radius:6px;padding:.6rem .9rem;min-width:150px}
.card b{display:block;font-size:1.3rem}.empty{color:#6b7280;font-style:italic}
footer{margin-top:3rem;color:#6b7280;font-size:.85rem}
@media print{body{margin:0;max-width:none}a{color:inherit}}
"""


def render_html(data: RunData, out_dir: Path) -> str:
    parts: list[str] = []
    add = parts.append
    crit, warn = data.critical_failures, data.warning_failures
    gx_index = _gx_index(data, out_dir)

    add('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">')
    add('<meta name="viewport" content="width=device-width, initial-scale=1">')
    add(f"<title>Pembina run report – {esc(_when(data.generated_at))}</title><style>{CSS}</style></head><body>")
    add("<h1>Pembina run report</h1>")
    add(
        f'<p class="meta">Warehouse database <code>{esc(data.database)}</code> · generated '
        f"{esc(_when(data.generated_at))} ({esc(data.generated_at.isoformat(timespec='seconds'))})"
        + (f" · validation run <code>{esc(data.validation_run_id)}</code>" if data.validation_run_id else "")
        + "</p>"
    )

    # Overall verdict
    if not data.validations:
        add(
            '<div class="banner na" data-gate="not-run">No validation run recorded: the marts have not been '
            "checked.</div>"
        )
    elif crit:
        add(
            f'<div class="banner fail" data-gate="failed">Quality gate FAILED: {len(crit)} critical check(s) '
            "failed, so the marts must not be published.</div>"
        )
    else:
        add(
            f'<div class="banner pass" data-gate="passed">Quality gate passed: no critical check failed'
            f" ({len(warn)} warning(s)).</div>"
        )

    publication = data.last_publication
    if publication:
        add(
            f'<p class="meta" id="publication">The BI login reads publication {publication.publication_id} of '
            f"<code>{esc(MARTS_SCHEMA)}</code>: build {esc(publication.build_id)}, validated by gate run "
            f"{esc(publication.gate_run_id)}, published {esc(_when(publication.published_at))}, "
            f"{len(publication.relations)} table(s) and view(s).</p>"
        )
    else:
        add('<p class="meta" id="publication">The marts have not been published to the BI login yet.</p>')

    # Summary cards
    loaded = [f for f in data.files if f.status == "loaded"]
    rejected = [f for f in data.files if f.status == "rejected"]
    cards = [
        ("files loaded", _num(len(loaded))),
        ("files rejected", _num(len(rejected))),
        ("rows read", _num(sum(f.rows_read for f in data.files))),
        ("rows loaded", _num(sum(f.rows_loaded for f in data.files))),
        ("rows quarantined", _num(sum(f.rows_quarantined for f in data.files))),
        ("files not reconciled", _num(len(data.unreconciled))),
        *((f"rows in {layer}", _num(n)) for layer, n in data.layer_totals.items()),
        ("checks passed", _num(sum(r.success for r in data.results))),
        ("checks failed", _num(sum(not r.success for r in data.results))),
    ]
    add('<div class="cards">' + "".join(f'<div class="card"><b>{v}</b>{esc(k)}</div>' for k, v in cards) + "</div>")

    # 1. Files
    add("<h2>1. What came in: ingested files</h2>")
    if not data.files_recorded:
        add('<p class="empty">No ingestion record yet (audit.ingested_files does not exist).</p>')
    elif not data.files:
        add('<p class="empty">No file has been ingested.</p>')
    else:
        has_q = any(f.quarantine_rows is not None for f in data.files)
        add(
            "<p>Each loaded file must reconcile: rows read = rows loaded + rows quarantined"
            + (" (and the quarantine table holds that many rows of the file)" if has_q else "")
            + ". A rejected file loads nothing; its reason is shown.</p>"
        )
        add(
            '<table id="files"><thead><tr><th class="n">file</th><th>source</th><th>path</th><th>sha256</th>'
            '<th>encoding</th><th>status</th><th class="n">read</th><th class="n">loaded</th>'
            '<th class="n">quarantined</th>'
            + ('<th class="n">in quarantine table</th>' if has_q else "")
            + "<th>read = loaded + quarantined</th><th>reason</th><th>batch / run</th><th>started</th></tr>"
            "</thead><tbody>"
        )
        for f in data.files:
            ok = f.reconciled
            cls = "bad" if ok is False else ("warn" if f.status == "rejected" else "")
            state = "n/a" if ok is None else ("pass" if ok else "fail")
            add(
                f'<tr class="{cls}" data-file-id="{f.file_id}" data-reconciled="{state}">'
                f'<td class="n">{f.file_id}</td><td>{esc(f.source)}</td><td><code>{esc(f.path)}</code></td>'
                f'<td><code title="{esc(f.sha256)}">{esc(f.sha256[:12])}</code></td><td>{esc(f.encoding)}</td>'
                f'<td>{esc(f.status)}</td><td class="n">{_num(f.rows_read)}</td>'
                f'<td class="n">{_num(f.rows_loaded)}</td><td class="n">{_num(f.rows_quarantined)}</td>'
                + (f'<td class="n">{_num(f.quarantine_rows)}</td>' if has_q else "")
                + f"<td>{_mark(ok, na='file rejected')}</td><td>{esc(f.reason)}</td>"
                f"<td>{f.batch_id} / <code>{esc(f.batch_run_id)}</code></td><td>{esc(_when(f.started_at))}</td></tr>"
            )
        add("</tbody></table>")

    parts.extend(_render_load_findings(data.load_findings))

    # 2. Quarantine
    add("<h2>2. What was set aside: quarantine by source and rule</h2>")
    if not data.quarantine_available:
        add('<p class="empty">No quarantine table yet (raw.quarantine with columns source and rule_id).</p>')
    elif not data.quarantine:
        add('<p class="empty">No row is in quarantine.</p>')
    else:
        add('<table id="quarantine"><thead><tr><th>source</th><th>rule</th><th class="n">rows</th></tr></thead><tbody>')
        for source, rule, n in data.quarantine:
            add(f'<tr><td>{esc(source)}</td><td><code>{esc(rule)}</code></td><td class="n">{_num(n)}</td></tr>')
        total = sum(n for _, _, n in data.quarantine)
        add(f'<tr><th colspan="2">total</th><th class="n">{_num(total)}</th></tr></tbody></table>')

    # 3. Row counts
    add("<h2>3. What the warehouse holds: rows per table</h2>")
    if not data.tables:
        add(f'<p class="empty">No table yet in schemas {esc(", ".join(data.layers))}.</p>')
    else:
        add(
            '<table id="tables"><thead><tr><th>schema</th><th>table</th><th>kind</th><th class="n">rows</th>'
            "</tr></thead><tbody>"
        )
        for t in data.tables:
            cell = _num(t.rows) if t.error is None else f'<span class="fail">error: {esc(t.error)}</span>'
            add(
                f"<tr><td>{esc(t.schema)}</td><td>{esc(t.table)}</td><td>{esc(t.kind)}</td>"
                f'<td class="n">{cell}</td></tr>'
            )
        add("</tbody></table>")

    # 4. Validation
    add("<h2>4. Which checks passed: validation results</h2>")
    if gx_index:
        href = _href(gx_index, out_dir)
        add(
            f'<p>Full detail in the <a href="{esc(href)}">Great Expectations Data Docs</a> '
            "(their styling loads from the internet; the content reads without it).</p>"
        )
    if not data.validations_recorded or not data.validations:
        add('<p class="empty">No validation run recorded.</p>')
    else:
        add(
            '<table id="suites"><thead><tr><th>suite</th><th>target</th><th>result</th><th class="n">evaluated</th>'
            '<th class="n">failed</th><th>run at</th><th>attempts</th><th>detail</th></tr></thead><tbody>'
        )
        for s in data.validations:
            href = _href(s.docs_path, out_dir)
            link = f'<a href="{esc(href)}">Data Docs</a>' if href else ""
            add(
                f'<tr class="{"" if s.success else "bad"}"><td>{esc(s.suite)}</td><td><code>{esc(s.target)}</code></td>'
                f'<td>{_mark(s.success)}</td><td class="n">{_num(s.evaluated)}</td><td class="n">{_num(s.failed)}</td>'
                f"<td>{esc(_when(s.started_at))}</td><td>{s.attempts}</td><td>{link}</td></tr>"
            )
        add("</tbody></table>")
        add(
            '<h3>Checks</h3><table id="checks"><thead><tr><th>suite</th><th>expectation</th><th>column</th>'
            "<th>severity</th><th>result</th><th>observed</th></tr></thead><tbody>"
        )
        for s in data.validations:
            for r in s.results:
                cls = "" if r.success else ("bad" if r.severity == "critical" else "warn")
                sev = esc(r.severity) if r.severity == "critical" else f'<span class="warn-t">{esc(r.severity)}</span>'
                add(
                    f'<tr class="{cls}" data-severity="{esc(r.severity)}" data-success="{str(r.success).lower()}">'
                    f"<td>{esc(s.suite)}</td><td><code>{esc(r.expectation)}</code></td><td>{esc(r.column)}</td>"
                    f"<td>{sev}</td><td>{_mark(r.success)}</td><td>{esc(observed_summary(r))}</td></tr>"
                )
        add("</tbody></table>")

    _render_personal_data(data, add)

    add(
        "<footer>Severity: a failed <b>critical</b> check stops publication of the marts; a failed "
        "<b>warning</b> is reported and the run goes on. Times in WIT (UTC+09:00).</footer></body></html>\n"
    )
    return "\n".join(parts)


def _render_personal_data(data: RunData, add) -> None:
    add('<h2 id="personal-data">5. Personal data in the marts</h2>')
    suites = [s for s in data.validations if s.suite in PERSONAL_DATA_SUITES]
    add(
        f"<p>The BI login reads schema <code>{esc(MARTS_SCHEMA)}</code> only. No column there may be named like "
        "personal data, no text value may look like a NIP or NIK, and dim_employee's quasi-identifiers may single "
        "out few enough employees: each check fails the gate.</p>"
    )
    if suites:
        add(
            '<table id="personal-data-checks"><thead><tr><th>suite</th><th>target</th><th>result</th>'
            "<th>observed</th></tr></thead><tbody>"
        )
        for s in suites:
            observed = "; ".join(observed_summary(r) for r in s.results if not r.success) or "passed"
            add(
                f'<tr class="{"" if s.success else "bad"}"><td>{esc(s.suite)}</td><td><code>{esc(s.target)}</code>'
                f"</td><td>{_mark(s.success)}</td><td>{esc(observed)}</td></tr>"
            )
        add("</tbody></table>")
    else:
        add('<p class="empty">The personal-data checks have not run.</p>')
    q = data.quasi_identifiers
    if q is None:
        add('<p class="empty">Quasi-identifiers not measured (no dim_employee with its settings yet).</p>')
        return
    add(
        '<table id="quasi-identifiers"><thead><tr><th class="n">employees</th><th class="n">unique</th>'
        f'<th class="n">in a class of fewer than k = {esc(q.k)}</th><th class="n">share</th>'
        '<th class="n">share allowed</th></tr></thead><tbody>'
        f'<tr class="{"bad" if q.breach else ""}"><td class="n">{_num(q.employees)}</td>'
        f'<td class="n">{_num(q.unique_employees)}</td><td class="n">{_num(q.employees_below_k)}</td>'
        f'<td class="n">{esc(q.below_k_pct)}%</td><td class="n">{esc(q.max_below_k_pct)}%</td></tr></tbody></table>'
    )
    levels = ", ".join(f"level {level}: {_num(n)}" for level, n in q.by_disclosure_level)
    add(
        "<p>Employees by disclosure level (1 shows every quasi-identifier, 6 the OPD only, 7 nothing): "
        f"{esc(levels)}.</p>"
    )


# ---------------------------------------------------------------------------------------------- entry points


def write_run_report(url: str | None = None, run_id: str | None = None, out_dir: Path | None = None) -> Path:
    """Write ``run_report_<timestamp>.html`` and ``latest.html`` (a copy) into ``out_dir`` (default: the
    reports folder) and return the path of the timestamped file."""
    out_dir = Path(out_dir) if out_dir else get_settings().reports_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    data = collect_run_data(url, run_id)
    document = render_html(data, out_dir)
    stamp = data.generated_at.strftime("%Y%m%dT%H%M%SZ")
    path = out_dir / f"run_report_{stamp}.html"
    n = 1
    while path.exists():
        n += 1
        path = out_dir / f"run_report_{stamp}_{n}.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(document, encoding="utf-8")
    tmp.replace(path)
    latest_tmp = out_dir / f".{LATEST_NAME}.tmp"
    shutil.copyfile(path, latest_tmp)
    latest_tmp.replace(out_dir / LATEST_NAME)
    log.info("run report written to %s", path)
    return path


def summarize_run(
    url: str | None = None, run_id: str | None = None, *, reports_dir: Path | None = None
) -> dict[str, Any]:
    """The report's numbers, for a terminal summary (JSON-serializable).

    ``rows_per_layer`` is ``{schema: {table: rows}}`` (``rows_per_layer_total`` the sums, quarantine excluded);
    ``quarantined_by_rule`` is ``{rule: rows}`` over all sources (``quarantined_by_source_rule`` per source)."""
    data = collect_run_data(url, run_id)
    reports_dir = Path(reports_dir) if reports_dir else get_settings().reports_dir
    latest = reports_dir / LATEST_NAME
    by_source: dict[str, dict[str, int]] = {}
    by_rule: dict[str, int] = {}
    for source, rule, n in data.quarantine:
        by_source.setdefault(source, {})[rule] = n
        by_rule[rule] = by_rule.get(rule, 0) + n
    gx_index = _gx_index(data, reports_dir)
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
        "quasi_identifiers": asdict(data.quasi_identifiers) if data.quasi_identifiers else None,
        "personal_data_checks": {s.suite: s.success for s in data.validations if s.suite in PERSONAL_DATA_SUITES},
        "report_path": str(latest) if latest.exists() else None,
        "gx_docs_path": str(gx_index) if gx_index else None,
    }
