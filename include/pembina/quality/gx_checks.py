"""Great Expectations 1.x suites on the warehouse, recorded in ``audit.validation_*`` and in Data Docs.

Each call is one run of the quality gate, recorded in ``audit.gate_runs`` with the latest dbt build of the
marts when it started (``pembina.publish`` publishes a build only after a gate run on it passed), in the
same transaction as its suites' results: a gate killed mid-run records nothing.

``validate_warehouse`` builds one ephemeral GX context per call, with one SQL datasource on the warehouse, one
table (or query) asset, batch definition and validation definition per suite, and one checkpoint that runs
them all; then one Data Docs build renders this run's pages and the index of the site in ``<reports_dir>/gx``.
Validation results are kept as JSON in ``<reports_dir>/gx/uncommitted/validations`` so the Data Docs index
lists earlier runs too.

Nothing GX-related is written into the source tree: the suites are declared in ``pembina.quality.suites``
and the context exists only for the call, so parallel workers and read-only images cannot disagree about
its state. GX takes several seconds to import; it is imported inside ``validate_warehouse`` only.

A suite marked ``materialize`` (a costly query, such as the scan of every text value of the marts) runs its
query once with psycopg, in a thread of its own while GX is being imported; GX then validates a literal copy
of the rows it returned instead of running the query again for each metric.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
import warnings
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.json import Jsonb

from pembina import db
from pembina.audit import ensure_audit_schema
from pembina.quality.scope import new_batches_started
from pembina.quality.suites import (
    CRITICAL,
    SCAN_FUNCTION_DDL,
    SUITES,
    UNEXPECTED_ROWS,
    WARNING,
    Check,
    Suite,
    column_of,
    is_personal_data_column,
)
from pembina.settings import get_settings

if TYPE_CHECKING:
    from great_expectations.core import ExpectationSuiteValidationResult, ExpectationValidationResult
    from great_expectations.data_context import AbstractDataContext

log = logging.getLogger(__name__)

DATASOURCE_NAME = "warehouse"
SITE_NAME = "pembina_site"
CHECKPOINT_NAME = "pembina_warehouse"
# How many stored validation results the Data Docs index lists (newest first); older pages stay on disk.
DOCS_INDEX_LIMIT = 500
MISSING_TARGET_EXPECTATION = "expect_table_to_exist"


def quiet_gx_logging() -> None:
    """GX logs hundreds of INFO records at import alone (its API-docs decorators), thousands of DEBUG ones per
    run; under Airflow's structlog handler they flood the task log. Its warnings and errors still come
    through. Called at import of this module and again before GX is imported (logging may be reconfigured
    in between, e.g. by Airflow's task runner)."""
    logging.getLogger("great_expectations").setLevel(logging.WARNING)


quiet_gx_logging()


class QualityGateFailed(RuntimeError):
    """At least one critical expectation failed: the marts must not be published."""

    def __init__(self, failures: Sequence[ExpectationOutcome], run_id: str | None = None, consequence: str = ""):
        self.failures = tuple(failures)
        self.run_id = run_id
        lines = "\n".join(f"  - {f.describe()}" for f in self.failures)
        super().__init__(
            f"quality gate failed: {len(self.failures)} critical expectation(s) failed"
            + (f" in validation run {run_id}" if run_id else "")
            + f":\n{lines}"
            + (f"\n{consequence}" if consequence else "")
        )


@dataclass(frozen=True)
class ExpectationOutcome:
    """One expectation's result, as stored in ``audit.validation_results``."""

    suite: str
    target: str
    expectation: str
    column: str | None
    severity: str
    success: bool
    observed: Mapping[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        where = f" on {self.column}" if self.column else ""
        return f"{self.suite} ({self.target}): {self.expectation}{where} [{self.severity}]: {observed_text(self)}"


@dataclass(frozen=True)
class SuiteOutcome:
    suite: str
    target: str
    success: bool
    evaluated: int
    failed: int
    results: tuple[ExpectationOutcome, ...]
    docs_path: Path | None = None
    validation_run_id: int | None = None
    relation_oid: int | None = None  # a table suite's relation
    checks_hash: str | None = None
    carried_from: int | None = None  # the validation run whose results these are, the relation unchanged since

    @property
    def critical_failures(self) -> list[ExpectationOutcome]:
        return [r for r in self.results if not r.success and r.severity == CRITICAL]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        return [r for r in self.results if not r.success and r.severity == WARNING]


@dataclass(frozen=True)
class ValidationSummary:
    run_id: str
    started_at: datetime
    suites: tuple[SuiteOutcome, ...]
    docs_index: Path | None
    duration_s: float
    gate_run_id: int | None = None  # audit.gate_runs: what publication is asked to publish
    build_id: int | None = None  # the latest dbt build of the marts when the gate started

    @property
    def evaluated(self) -> int:
        return sum(s.evaluated for s in self.suites)

    @property
    def failed(self) -> int:
        return sum(s.failed for s in self.suites)

    @property
    def success(self) -> bool:
        """Every expectation passed, warnings included."""
        return all(s.success for s in self.suites)

    @property
    def passed(self) -> bool:
        """No critical expectation failed: the marts may be published."""
        return not self.critical_failures

    @property
    def critical_failures(self) -> list[ExpectationOutcome]:
        return [f for s in self.suites for f in s.critical_failures]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        return [f for s in self.suites for f in s.warnings]

    def suite(self, name: str) -> SuiteOutcome:
        for s in self.suites:
            if s.suite == name:
                return s
        raise KeyError(name)

    def raise_for_critical(self, consequence: str = "") -> None:
        """``consequence``: a line for the message, such as what the BI login still reads."""
        if self.critical_failures:
            raise QualityGateFailed(self.critical_failures, self.run_id, consequence)

    def describe(self) -> str:
        """A few lines for a terminal or a task log."""
        verdict = "PASSED" if self.passed else "FAILED"
        lines = [
            f"validation {self.run_id}: quality gate {verdict}: {self.evaluated} checks, {self.failed} failed "
            f"({len(self.critical_failures)} critical, {len(self.warnings)} warning) in {self.duration_s:.1f} s"
        ]
        for s in self.suites:
            mark = "ok  " if s.success else "FAIL"
            carried = f" (unchanged since validation run {s.carried_from}: its results)" if s.carried_from else ""
            lines.append(f"  {mark} {s.suite} ({s.target}): {s.evaluated - s.failed}/{s.evaluated} passed{carried}")
        lines += [f"  critical: {f.describe()}" for f in self.critical_failures]
        lines += [f"  warning:  {f.describe()}" for f in self.warnings]
        if self.docs_index:
            lines.append(f"  Data Docs: {self.docs_index}")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-serializable digest (for XCom, the CLI and logs)."""
        return {
            "run_id": self.run_id,
            "gate_run_id": self.gate_run_id,
            "build_id": self.build_id,
            "started_at": self.started_at.isoformat(),
            "duration_s": round(self.duration_s, 3),
            "passed": self.passed,
            "success": self.success,
            "evaluated": self.evaluated,
            "failed": self.failed,
            "docs_index": str(self.docs_index) if self.docs_index else None,
            "suites": [
                {
                    "suite": s.suite,
                    "target": s.target,
                    "success": s.success,
                    "evaluated": s.evaluated,
                    "failed": s.failed,
                    "docs_path": str(s.docs_path) if s.docs_path else None,
                    "carried_from": s.carried_from,
                }
                for s in self.suites
            ],
            "critical_failures": [f.describe() for f in self.critical_failures],
            "warnings": [f.describe() for f in self.warnings],
        }


def observed_text(outcome: ExpectationOutcome, limit: int = 5) -> str:
    """A one-line account of what was observed."""
    if outcome.success:
        return "passed"
    observed = outcome.observed
    if observed.get("exception"):
        return str(observed["exception"])
    result = observed.get("result") or {}
    if result.get("unexpected_count") is not None:
        sample = list(result.get("partial_unexpected_list") or [])[:limit]
        text = f"{result['unexpected_count']} unexpected value(s)"
        return text + (f", e.g. {sample}" if sample else "")
    if "observed_value" in result:
        value = result["observed_value"]
        details = result.get("details") or {}
        mismatched = details.get("mismatched") if isinstance(details, Mapping) else None
        if mismatched:
            return f"mismatched: {json.dumps(mismatched, default=str)}"
        return f"observed {json.dumps(value, default=str)}"
    return "failed"


def sqlalchemy_url(url: str) -> str:
    """The SQLAlchemy (psycopg2) form of a libpq URL or conninfo string; a socket directory stays a query
    parameter (``?host=/path``), which psycopg2 accepts and GX's URL validation does not get in the way of."""
    from sqlalchemy.engine import URL

    params = {k: v for k, v in conninfo_to_dict(url).items() if v is not None}
    host = params.pop("host", None)
    port = params.pop("port", None)
    user = params.pop("user", None)
    password = params.pop("password", None)
    database = params.pop("dbname", None)
    query = {k: str(v) for k, v in params.items()}
    if host and (str(host).startswith("/") or "," in str(host)):
        query["host"] = str(host)
        host = None
        if port:
            query["port"] = str(port)
            port = None
    return URL.create(
        "postgresql+psycopg2",
        username=user,
        password=password,
        host=host,
        port=int(port) if port else None,
        database=database,
        query=query,
    ).render_as_string(hide_password=False)


def gx_dir(reports_dir: Path | None = None) -> Path:
    """Where the Data Docs site lives (``index.html``)."""
    return (reports_dir or get_settings().reports_dir) / "gx"


def validate_warehouse(
    url: str | None = None,
    run_id: str | None = None,
    *,
    suites: Iterable[Suite] | None = None,
    reports_dir: Path | None = None,
) -> ValidationSummary:
    """Run the expectation suites against the warehouse, build Data Docs, record everything in ``audit``.

    A suite whose table or view does not exist yields one critical failure (``expect_table_to_exist``).
    The suites on growing tables read the rows of the load batches that the latest build's data tests read
    (``audit.dbt_builds.tests_since_batch``; whole tables when it tested whole tables). In those daily runs a
    table suite whose relation has not changed since a gate run validated it with the same checks carries that
    run's results over (``carried_from``) instead of reading the table again.
    The returned summary never raises by itself: call ``raise_for_critical()`` to stop on critical failures.
    """
    url = url or db.warehouse_url()
    suites = tuple(SUITES if suites is None else suites)
    names = [s.name for s in suites]
    if len(set(names)) != len(names):
        raise ValueError(f"suite names must be unique: {names}")
    started_at = datetime.now(UTC)
    run_id = run_id or f"validation__{started_at:%Y%m%dT%H%M%S%fZ}"
    site_dir = gx_dir(reports_dir)
    clock = time.perf_counter()

    failed_early: dict[str, SuiteOutcome] = {}
    with db.connect(url, autocommit=True) as conn:
        ensure_audit_schema(conn)
        # The server's clock, as the build record's: publication compares the two.
        gate_started_at, build_id, since_batch = conn.execute(
            "select clock_timestamp(), build_id, tests_since_batch "
            "from (select 1) as gate left join lateral (select build_id, tests_since_batch from audit.dbt_builds "
            "order by build_id desc limit 1) as latest_build on true"
        ).fetchone()
        for s in suites:
            if s.table is not None and not _relation_exists(conn, s):
                failed_early[s.name] = _missing_target(s)
        checks_hashes = {s.name: _checks_hash(s) for s in suites}
        new_batches_started_at = None if since_batch is None else new_batches_started(conn, since_batch)
        suites = tuple(
            s.on_new_rows(since_batch, new_batches_started_at).on_changed_relations(
                None if since_batch is None else _unchanged_since_passed(s, checks_hashes[s.name]),
                f"{s.name} last passed",
            )
            for s in suites
        )
        tables = [s for s in suites if s.table is not None and s.name not in failed_early]
        relation_oids = {s.name: _relation_oid(conn, s) for s in tables}
        carried: dict[str, SuiteOutcome] = {}
        if since_batch is not None:  # the weekly whole-table run validates every relation again
            for s in tables:
                previous = _validated_unchanged(conn, s, relation_oids[s.name], checks_hashes[s.name])
                if previous is not None:
                    carried[s.name] = previous

    # Costly queries run in threads, each on a connection of its own, while GX is imported (seconds, the first
    # time in a process): the database scans while Python imports.
    to_materialize = [s for s in suites if s.materialize and s.name not in failed_early and s.name not in carried]
    materialized: dict[str, Suite] = {}
    if to_materialize:
        with ThreadPoolExecutor(max_workers=len(to_materialize), thread_name_prefix="pembina-materialize") as pool:
            futures = {s.name: pool.submit(_materialize, url, s) for s in to_materialize}
            _import_gx()
            for name, future in futures.items():
                result = future.result()
                if isinstance(result, SuiteOutcome):
                    failed_early[name] = result
                else:
                    materialized[name] = result

    runnable = [materialized.get(s.name, s) for s in suites if s.name not in failed_early and s.name not in carried]
    gx_outcomes: dict[str, SuiteOutcome] = {}
    docs_index: Path | None = None
    if runnable:
        gx_outcomes, docs_index = _run_gx(url, runnable, run_id, started_at, site_dir)

    outcomes = [gx_outcomes.get(s.name) or carried.get(s.name) or failed_early[s.name] for s in suites]
    outcomes = [
        replace(o, relation_oid=relation_oids.get(o.suite), checks_hash=checks_hashes[o.suite]) for o in outcomes
    ]
    with db.connect(url) as conn, conn.transaction():
        gate_run_id = conn.execute(
            """insert into audit.gate_runs (run_id, build_id, started_at, passed, critical_failed)
               values (%s, %s, %s, %s, %s) returning gate_run_id""",
            (
                run_id,
                build_id,
                gate_started_at,
                not any(o.critical_failures for o in outcomes),
                sum(len(o.critical_failures) for o in outcomes),
            ),
        ).fetchone()[0]
        outcomes = [_record(conn, run_id, gate_run_id, started_at, o, docs_index) for o in outcomes]

    summary = ValidationSummary(
        run_id=run_id,
        started_at=started_at,
        suites=tuple(outcomes),
        docs_index=docs_index,
        duration_s=time.perf_counter() - clock,
        gate_run_id=gate_run_id,
        build_id=build_id,
    )
    _log_summary(summary)
    return summary


def _relation_exists(conn: psycopg.Connection, suite: Suite) -> bool:
    row = conn.execute(
        "select to_regclass(format('%%I.%%I', %s::text, %s::text)) is not null",
        (suite.schema, suite.table),
    ).fetchone()
    return bool(row and row[0])


def _relation_oid(conn: psycopg.Connection, suite: Suite) -> int:
    row = conn.execute(
        "select to_regclass(format('%%I.%%I', %s::text, %s::text))::oid::bigint", (suite.schema, suite.table)
    ).fetchone()
    assert row is not None and row[0] is not None
    return int(row[0])


def _checks_hash(suite: Suite) -> str:
    """What a suite reads and checks, before a run narrows it to new rows or changed relations."""
    return hashlib.sha256(repr((suite.schema, suite.table, suite.query, suite.checks)).encode()).hexdigest()


def _unchanged_since_passed(suite: Suite, checks_hash: str) -> str:
    """SQL on schema_name and table_name: the relation has not changed (audit.relation_changes) since a gate run
    in which the suite, with the same checks, passed. Such a run read it, or it was published (in ``marts``
    while the run read ``marts_build``) after a run that passed read it."""
    suite_name = suite.name.replace("'", "''")
    return (
        "format('%I.%I', schema_name, table_name)::regclass::oid in ("
        "select change.relation_oid from audit.relation_changes as change "
        "where change.changed_at < (select max(gate.started_at) from audit.validation_runs as run "
        "inner join audit.gate_runs as gate on gate.gate_run_id = run.gate_run_id "
        f"where run.suite = '{suite_name}' and run.success and run.checks_hash = '{checks_hash}'))"
    )


def _reads_other_relations(suite: Suite) -> bool:
    """Whether a check's own SQL reads a relation besides the suite's (a change there would not show)."""
    for check in suite.checks:
        if check.expectation == UNEXPECTED_ROWS:
            query = re.sub(r"\bfrom\s+\{batch\}", "", str(check.kwargs["unexpected_rows_query"]), flags=re.I)
            if re.search(r"\b(from|join)\b", query, flags=re.I):
                return True
    return False


_VALIDATED_UNCHANGED = """
select previous.validation_run_id, coalesce(previous.carried_from, previous.validation_run_id), previous.target,
       previous.success, previous.evaluated, previous.failed, previous.docs_path
from audit.validation_runs as previous
inner join audit.gate_runs as gate on gate.gate_run_id = previous.gate_run_id
inner join audit.relation_changes as change
    on change.relation_oid = previous.relation_oid and change.model = %(table)s
where previous.suite = %(suite)s and previous.relation_oid = %(relation_oid)s
    and previous.checks_hash = %(checks_hash)s and gate.started_at > change.changed_at
order by previous.validation_run_id desc
limit 1
"""


def _validated_unchanged(
    conn: psycopg.Connection, suite: Suite, relation_oid: int, checks_hash: str
) -> SuiteOutcome | None:
    """The results of the latest gate run that validated the suite's relation with the same checks after the
    relation last changed (audit.relation_changes: dbt's tables, incremental models and seeds); None when there
    is none, or when a check reads another relation."""
    if _reads_other_relations(suite):
        return None
    row = conn.execute(
        _VALIDATED_UNCHANGED,
        {"table": suite.table, "suite": suite.name, "relation_oid": relation_oid, "checks_hash": checks_hash},
    ).fetchone()
    if row is None:
        return None
    previous_id, validated_by, target, success, evaluated, failed, docs_path = row
    results = tuple(
        ExpectationOutcome(suite.name, target, expectation, column, severity, passed, observed or {})
        for expectation, column, severity, passed, observed in conn.execute(
            "select expectation, column_name, severity, success, observed from audit.validation_results "
            "where validation_run_id = %s order by result_id",
            (previous_id,),
        )
    )
    return SuiteOutcome(
        suite.name,
        target,
        success,
        evaluated,
        failed,
        results,
        docs_path=Path(docs_path) if docs_path else None,
        carried_from=validated_by,
    )


def _missing_target(suite: Suite) -> SuiteOutcome:
    outcome = ExpectationOutcome(
        suite=suite.name,
        target=suite.target,
        expectation=MISSING_TARGET_EXPECTATION,
        column=None,
        severity=CRITICAL,
        success=False,
        observed={"exception": f"table or view {suite.target} does not exist; none of its checks could run"},
    )
    return SuiteOutcome(suite.name, suite.target, False, 1, 1, (outcome,))


def _materialize(url: str, suite: Suite) -> Suite | SuiteOutcome:
    """A materialized suite ready for GX, or its failure when its query cannot run."""
    try:
        with db.connect(url, autocommit=True) as conn:
            return _materialized(conn, suite)
    except psycopg.Error as exc:
        return _query_failed(suite, exc)


def _materialized(conn: psycopg.Connection, suite: Suite) -> Suite:
    """The suite on a literal copy (``values``) of the rows its query returns now: the query runs once."""
    assert suite.query is not None
    with conn.cursor() as cur:
        cur.execute(SCAN_FUNCTION_DDL)
        cur.execute(sql.SQL(suite.query))  # type: ignore[arg-type]  # a trusted, declared query
        assert cur.description is not None
        description = list(cur.description)
        rows = cur.fetchall()
    names = [column.name for column in description]
    type_names = dict(
        conn.execute(
            "select oid::int, format_type(oid, null) from pg_catalog.pg_type where oid = any(%s)",
            ([column.type_code for column in description],),
        ).fetchall()
    )
    types = [sql.SQL(type_names[column.type_code]) for column in description]  # type: ignore[arg-type]
    columns = sql.SQL(", ").join(sql.Identifier(n) for n in names)
    if rows:
        values = sql.SQL(", ").join(
            sql.SQL("({})").format(
                sql.SQL(", ").join(
                    sql.SQL("cast({} as {})").format(sql.Literal(v), t) for v, t in zip(row, types, strict=True)
                )
            )
            for row in rows
        )
        literal = sql.SQL("select * from (values {}) as materialized ({})").format(values, columns)
    else:
        literal = sql.SQL("select {} where false").format(
            sql.SQL(", ").join(
                sql.SQL("cast(null as {}) as {}").format(t, sql.Identifier(n))
                for n, t in zip(names, types, strict=True)
            )
        )
    # the copy holds the rows the query kept: already the new ones when the run asked for them
    return replace(suite, query=literal.as_string(conn), materialize=False, new_rows_column=None)


def _query_failed(suite: Suite, exc: Exception) -> SuiteOutcome:
    """Every check of a suite whose query could not run fails, each with its own severity."""
    message = f"the query of {suite.target} failed: {str(exc).strip()}"
    results = tuple(
        ExpectationOutcome(
            suite=suite.name,
            target=suite.target,
            expectation=check.expectation,
            column=check.column,
            severity=check.severity,
            success=False,
            observed={"exception": message},
        )
        for check in suite.checks
    )
    return SuiteOutcome(suite.name, suite.target, False, len(results), len(results), results)


def _context(site_dir: Path) -> AbstractDataContext:
    import great_expectations as gx
    from great_expectations.data_context.types.base import DataContextConfig, ProgressBarsConfig

    results_dir = site_dir / "uncommitted" / "validations"
    results_dir.mkdir(parents=True, exist_ok=True)

    def in_memory(class_name: str) -> dict[str, Any]:
        return {"class_name": class_name, "store_backend": {"class_name": "InMemoryStoreBackend"}}

    config = DataContextConfig(
        config_version=4,
        stores={
            "expectations_store": in_memory("ExpectationsStore"),
            "validation_results_store": {
                "class_name": "ValidationResultsStore",
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(results_dir)},
            },
            "checkpoint_store": in_memory("CheckpointStore"),
            "validation_definition_store": in_memory("ValidationDefinitionStore"),
        },
        expectations_store_name="expectations_store",
        validation_results_store_name="validation_results_store",
        checkpoint_store_name="checkpoint_store",
        data_docs_sites={
            SITE_NAME: {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(site_dir)},
                "site_index_builder": {
                    "class_name": "DefaultSiteIndexBuilder",
                    "validation_results_limit": DOCS_INDEX_LIMIT,
                },
            }
        },
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _gx_expectation(check: Check) -> Any:
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    config = ExpectationConfiguration(
        type=check.expectation,
        kwargs=dict(check.kwargs),
        severity=check.severity,  # type: ignore[arg-type]  # GX coerces the string to FailureSeverity
        description=check.description,
        meta={"pembina_severity": check.severity},
    )
    return config.to_domain_obj()


def _import_gx() -> None:
    """Import GX as ``_run_gx`` does, without its log records and warnings; seconds the first time."""
    quiet_gx_logging()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module=r"great_expectations(\.|$)")
        import great_expectations  # noqa: F401


def _run_gx(
    url: str, suites: Sequence[Suite], run_id: str, run_time: datetime, site_dir: Path
) -> tuple[dict[str, SuiteOutcome], Path | None]:
    quiet_gx_logging()
    with warnings.catch_warnings():
        # GX warns about its own internals (e.g. that a generic SQL datasource is in use); they are not ours
        # to act on and would repeat in every task log.
        warnings.filterwarnings("ignore", module=r"great_expectations(\.|$)")
        import great_expectations as gx
        from great_expectations.core.run_identifier import RunIdentifier
        from great_expectations.datasource.fluent.interfaces import GxDatasourceWarning

        warnings.simplefilter("ignore", GxDatasourceWarning)
        context = _context(site_dir)
        # add_sql, not add_postgres: GX's PostgresDsn check rejects a URL whose host is a socket directory.
        datasource = context.data_sources.add_sql(name=DATASOURCE_NAME, connection_string=sqlalchemy_url(url))
        try:
            definitions = []
            for suite in suites:
                if suite.table is not None:
                    asset = datasource.add_table_asset(
                        name=suite.name, table_name=suite.table, schema_name=suite.schema
                    )
                else:
                    asset = datasource.add_query_asset(name=suite.name, query=suite.query)
                batch = asset.add_batch_definition_whole_table(name=suite.name)
                # All expectations at construction: add_expectation would store the whole suite again each time.
                gx_suite = context.suites.add(
                    gx.ExpectationSuite(
                        name=suite.name,
                        expectations=[_gx_expectation(check) for check in suite.checks],
                        meta={"pembina_target": suite.target},
                    )
                )
                definitions.append(
                    context.validation_definitions.add(
                        gx.ValidationDefinition(name=suite.name, data=batch, suite=gx_suite)
                    )
                )
            # No UpdateDataDocsAction: it rebuilds the site (index included) once per validation definition,
            # which costs more than the validation itself. One build for all results follows instead.
            checkpoint = context.checkpoints.add(
                gx.Checkpoint(
                    name=CHECKPOINT_NAME,
                    validation_definitions=definitions,
                    actions=[],
                    result_format="SUMMARY",
                )
            )
            result = checkpoint.run(run_id=RunIdentifier(run_name=run_id, run_time=run_time))
        finally:
            datasource.get_engine().dispose()

        resources: list[Any] = []
        for key, suite_result in result.run_results.items():
            if _redact_personal_values(suite_result):
                # Store the masked result again before Data Docs render it.
                context.validation_results_store.set(key, suite_result)
            resources += [key, key.expectation_suite_identifier]
        context.build_data_docs(site_names=[SITE_NAME], resource_identifiers=resources)

        by_name = {s.name: s for s in suites}
        outcomes: dict[str, SuiteOutcome] = {}
        for key, suite_result in result.run_results.items():
            suite = by_name[key.expectation_suite_identifier.name]
            outcomes[suite.name] = _suite_outcome(suite, suite_result, _docs_path(context, key))
        return outcomes, _docs_path(context, None)


def value_shape(value: Any) -> Any:
    """A value's shape without its content: digits become 9, letters A, the rest is kept.

    ``'19850312201001100X'`` becomes ``'99999999999999999A'``: enough to see why a NIP failed its format,
    not enough to identify anyone."""
    if value is None or isinstance(value, bool):
        return value
    return "".join("9" if ch.isdigit() else "A" if ch.isalpha() else ch for ch in str(value))


def _redact_personal_values(suite_result: ExpectationSuiteValidationResult) -> bool:
    """Mask sample values of personal-data columns (NIP, NIK, names...) in GX's results, in place, so that
    neither Data Docs, nor the audit record, nor the run report repeat them. Returns whether any changed."""
    changed = False
    for evr in suite_result.results:
        column = column_of(evr.expectation_config.kwargs or {})
        columns = column.split(",") if column else []
        if not any(is_personal_data_column(c) for c in columns) or not evr.result:
            continue
        result = evr.result
        for key in ("partial_unexpected_list", "unexpected_list"):
            if result.get(key):
                result[key] = [value_shape(v) for v in result[key]]
                changed = True
        if result.get("partial_unexpected_counts"):
            result["partial_unexpected_counts"] = [
                {**c, "value": value_shape(c.get("value"))} for c in result["partial_unexpected_counts"]
            ]
            changed = True
        if isinstance(result.get("observed_value"), str):
            result["observed_value"] = value_shape(result["observed_value"])
            changed = True
    return changed


def _docs_path(context: AbstractDataContext, resource_identifier: Any) -> Path | None:
    urls = context.get_docs_sites_urls(resource_identifier=resource_identifier, site_names=[SITE_NAME])
    for entry in urls:
        site_url = entry.get("site_url")
        if site_url and site_url.startswith("file://"):
            path = Path(unquote(urlparse(site_url).path))
            if path.exists():
                return path
    return None


def _suite_outcome(
    suite: Suite, suite_result: ExpectationSuiteValidationResult, docs_path: Path | None
) -> SuiteOutcome:
    results = tuple(_expectation_outcome(suite, r) for r in suite_result.results)
    return SuiteOutcome(
        suite=suite.name,
        target=suite.target,
        success=bool(suite_result.success),
        evaluated=len(results),
        failed=sum(not r.success for r in results),
        results=results,
        docs_path=docs_path,
    )


def _expectation_outcome(suite: Suite, evr: ExpectationValidationResult) -> ExpectationOutcome:
    from great_expectations.util import convert_to_json_serializable

    config = evr.expectation_config
    kwargs = {k: v for k, v in (config.kwargs or {}).items() if k not in ("batch_id", "result_format")}
    severity = getattr(config.severity, "value", config.severity)
    if severity not in (CRITICAL, WARNING):  # GX also knows "info"; the audit record knows two levels
        severity = WARNING
    observed: dict[str, Any] = {
        "result": convert_to_json_serializable(dict(evr.result or {})),
        "expected": convert_to_json_serializable(kwargs),
    }
    exception = _exception_message(evr.exception_info)
    if exception:
        observed["exception"] = exception
    return ExpectationOutcome(
        suite=suite.name,
        target=suite.target,
        expectation=config.type,
        column=column_of(kwargs),
        severity=severity,
        success=bool(evr.success),
        observed=observed,
    )


def _exception_message(info: Any) -> str | None:
    """GX 1.x puts either one exception dict or a dict of them keyed by metric id in ``exception_info``."""
    if not isinstance(info, Mapping):
        return None
    candidates = [info, *(v for v in info.values() if isinstance(v, Mapping))]
    messages = [
        str(c.get("exception_message")) for c in candidates if c.get("raised_exception") and c.get("exception_message")
    ]
    return "; ".join(dict.fromkeys(messages)) or None


def _record(
    conn: psycopg.Connection,
    run_id: str,
    gate_run_id: int,
    started_at: datetime,
    outcome: SuiteOutcome,
    docs_index: Path | None,
) -> SuiteOutcome:
    docs = outcome.docs_path or docs_index
    row = conn.execute(
        """
        insert into audit.validation_runs
            (run_id, gate_run_id, suite, target, started_at, success, evaluated, failed, docs_path,
             relation_oid, checks_hash, carried_from)
        values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
        returning validation_run_id
        """,
        (
            run_id,
            gate_run_id,
            outcome.suite,
            outcome.target,
            started_at,
            outcome.success,
            outcome.evaluated,
            outcome.failed,
            str(docs) if docs else None,
            outcome.relation_oid,
            outcome.checks_hash,
            outcome.carried_from,
        ),
    ).fetchone()
    assert row is not None
    validation_run_id = int(row[0])
    with conn.cursor() as cur:
        cur.executemany(
            """
            insert into audit.validation_results
                (validation_run_id, expectation, column_name, severity, success, observed)
            values (%s, %s, %s, %s, %s, %s)
            """,
            [
                (
                    validation_run_id,
                    r.expectation,
                    r.column,
                    r.severity,
                    r.success,
                    Jsonb(r.observed, dumps=lambda o: json.dumps(o, default=str)),
                )
                for r in outcome.results
            ],
        )
    return replace(outcome, validation_run_id=validation_run_id)


def _log_summary(summary: ValidationSummary) -> None:
    for s in summary.suites:
        log.info(
            "validation %s: suite %s on %s: %s (%d evaluated, %d failed)",
            summary.run_id,
            s.suite,
            s.target,
            "passed" if s.success else "FAILED",
            s.evaluated,
            s.failed,
        )
    for w in summary.warnings:
        log.warning("validation warning: %s", w.describe())
    for c in summary.critical_failures:
        log.error("validation CRITICAL failure: %s", c.describe())
    log.info("validation %s finished in %.2f s; Data Docs: %s", summary.run_id, summary.duration_s, summary.docs_index)
