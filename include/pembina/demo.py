"""``make demo``: the whole pipeline on synthetic data through real Airflow, with a short summary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from pembina import db
from pembina.ingest.loader import ensure_raw_tables
from pembina.runtime import airflow_environment, dbt_environment
from pembina.settings import Settings, get_settings

INGEST_SOURCE = "siasn"
INGEST_DAG = f"pembina_ingest_{INGEST_SOURCE}"
WAREHOUSE_DAG = "pembina_warehouse"
DEMO_DAGS = (INGEST_DAG, WAREHOUSE_DAG)
NOT_QUARANTINED = {"predikat_mismatch"}


class DemoFailed(RuntimeError):
    pass


def _tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def _run(command: list[str], environment: dict[str, str], log_file: Path) -> float:
    """Run a tool with its output in ``log_file``; on failure, show the end of the log and where it is."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with log_file.open("w") as log:
        code = subprocess.call(command, env={**os.environ, **environment}, stdout=log, stderr=subprocess.STDOUT)
    if code != 0:
        tail = "\n".join(log_file.read_text(errors="replace").splitlines()[-40:])
        shown = " ".join([Path(command[0]).name, *command[1:]])
        raise DemoFailed(f"`{shown}` failed (exit {code}); last lines of {log_file}:\n{tail}")
    return time.perf_counter() - started


def refresh_dbt_manifest(settings: Settings) -> float:
    return _run(
        [_tool("dbt"), "parse", "--project-dir", str(settings.dbt_project_dir), "--quiet"],
        dbt_environment(settings),
        settings.data_dir / "logs" / "dbt_parse.log",
    )


def migrate_airflow(settings: Settings) -> float:
    """``airflow db migrate`` unless the metadata database is already at this Airflow version."""
    import airflow

    marker = settings.airflow_home / ".migrated"
    stamp = f"{airflow.__version__} {db.airflow_metadata_url(settings)}"
    if marker.exists() and marker.read_text() == stamp and _airflow_schema_present(settings):
        return 0.0
    seconds = _run(
        [_tool("airflow"), "db", "migrate"],
        airflow_environment(settings),
        settings.data_dir / "logs" / "airflow_db_migrate.log",
    )
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(stamp)
    return seconds


def _airflow_schema_present(settings: Settings) -> bool:
    url = db.airflow_metadata_url(settings).replace("postgresql+psycopg2://", "postgresql://", 1)
    with db.connect(url) as conn:
        return conn.execute("select to_regclass('public.alembic_version') is not null").fetchone()[0]


def ensure_warehouse_pool(settings: Settings) -> float:
    """The Airflow pool of warehouse connections (``pembina.orchestration.config``), unless it is there."""
    from pembina.orchestration.config import WAREHOUSE_POOL as POOL
    from pembina.orchestration.config import pool_command

    with db.connect(_metadata_url(settings)) as conn:
        row = conn.execute("select slots, description from slot_pool where pool = %s", (POOL.name,)).fetchone()
    if row == (POOL.slots, POOL.description):
        return 0.0
    return _run(
        pool_command(_tool("airflow")),
        airflow_environment(settings),
        settings.data_dir / "logs" / "airflow_pools_set.log",
    )


def prepare(settings: Settings | None = None) -> None:
    settings = settings or get_settings()
    url = db.up(settings)
    with db.connect(url) as conn:
        ensure_raw_tables(conn)
    refresh_dbt_manifest(settings)
    migrate_airflow(settings)
    ensure_warehouse_pool(settings)


@dataclass
class DagTiming:
    dag_id: str
    wall_seconds: float
    task_seconds: float


_LATEST_RUN = "(select run_id from dag_run where dag_id = %(dag_id)s order by id desc limit 1)"


def _metadata_url(settings: Settings) -> str:
    return db.airflow_metadata_url(settings).replace("postgresql+psycopg2://", "postgresql://", 1)


def run_dag(dag_id: str, settings: Settings) -> DagTiming:
    log_file = settings.data_dir / "logs" / f"{dag_id}.log"
    try:
        wall = _run([_tool("airflow"), "dags", "test", dag_id], airflow_environment(settings), log_file)
    except DemoFailed:
        raise DemoFailed(_explain_failed_run(dag_id, settings, log_file)) from None
    with db.connect(_metadata_url(settings)) as conn:
        row = conn.execute(
            "select coalesce(sum(duration), 0) from task_instance "
            f"where dag_id = %(dag_id)s and run_id = {_LATEST_RUN}",
            {"dag_id": dag_id},
        ).fetchone()
    return DagTiming(dag_id, wall, float(row[0]))


def _explain_failed_run(dag_id: str, settings: Settings, log_file: Path) -> str:
    """The failed tasks and the errors they raised, rather than the end of a long log."""
    with db.connect(_metadata_url(settings)) as conn:
        failed = [
            row[0]
            for row in conn.execute(
                f"""select task_id from task_instance
                     where dag_id = %(dag_id)s and run_id = {_LATEST_RUN} and state = 'failed' order by task_id""",
                {"dag_id": dag_id},
            )
        ]
    errors = [
        line.strip()
        for line in log_file.read_text(errors="replace").splitlines()
        if line.startswith(("pembina.", "cosmos.exceptions.", "airflow.sdk.exceptions.")) or "Error: " in line[:80]
    ]
    return (
        f"DAG {dag_id} failed in task(s): {', '.join(failed) or 'none recorded'}\n"
        + "\n".join(f"  {line}" for line in errors[-12:])
        + f"\nfull log: {log_file}"
    )


def ingest_other_families(settings: Settings) -> None:
    """The other source families through the same code their ingest DAGs run, in this process: one
    `airflow dags test` per family would add about 10 s of Airflow start-up each to a one-minute demo."""
    from pembina.ingest.pipeline import ingest_source
    from pembina.sources import families

    for family in families():
        if family == INGEST_SOURCE:
            continue
        results = ingest_source(family, run_id="demo")
        rejected = [f"{result.path.name}: {result.reason}" for result in results if result.status == "rejected"]
        if rejected:
            raise DemoFailed(f"{family}: file(s) rejected:\n  " + "\n  ".join(rejected))


def _loaded_files(settings: Settings) -> int:
    with db.connect(db.warehouse_url(settings)) as conn:
        return conn.execute("select count(*) from audit.ingested_files where status = 'loaded'").fetchone()[0]


def _marts_published(settings: Settings) -> bool:
    with db.connect(db.warehouse_url(settings)) as conn:
        return conn.execute("select exists (select from audit.publications)").fetchone()[0]


def ensure_landing_data(settings: Settings, scale: int, seed: int) -> Path:
    """Generate the synthetic sources when the landing folder holds no files yet."""
    out_dir = settings.landing_dir.parent
    if not any(path.is_file() for path in settings.landing_dir.rglob("*")):
        from pembina.synth import generate

        print(f"landing folder is empty: generating synthetic sources (scale {scale}, seed {seed})")
        generate(out_dir, scale=scale, seed=seed, progress=sys.stderr.isatty())
    return out_dir / "synth_manifest.json"


def run_demo(scale: int, seed: int, settings: Settings | None = None) -> int:
    settings = settings or get_settings()
    started = time.perf_counter()
    try:
        prepare(settings)
        manifest_path = ensure_landing_data(settings, scale, seed)
        loaded_before = _loaded_files(settings)
        timings = [run_dag(INGEST_DAG, settings)]
        ingest_other_families(settings)
        if _loaded_files(settings) > loaded_before or not _marts_published(settings):
            timings.append(run_dag(WAREHOUSE_DAG, settings))
        else:
            print("no new landing file was loaded: the marts are up to date, the warehouse DAG is not run")
    except DemoFailed as exc:
        print(f"demo failed: {exc}", file=sys.stderr)
        return 1
    from pembina.report import summarize_run

    summary = summarize_run()
    print_summary(summary, timings, manifest_path, time.perf_counter() - started)
    return 0


def injected_defects(manifest_path: Path) -> dict[str, dict[str, int]]:
    """Per source, the rows the synthetic generator broke on purpose, by rule (findings such as
    ``predikat_mismatch`` are loaded, not quarantined, and are left out)."""
    if not manifest_path.exists():
        return {}
    counts = json.loads(manifest_path.read_text()).get("defect_counts", {})
    return {
        source: {rule: count for rule, count in rules.items() if count and rule not in NOT_QUARANTINED}
        for source, rules in counts.items()
    }


def _print_load_findings(findings: dict) -> None:
    """Failed batches, absent optional columns and rewritten codes, each only when there is one."""
    for batch in findings.get("failed_batches", []):
        print(f"  batch {batch['batch_id']} ({batch['source']}) failed, {batch['marked_failed_at']}: {batch['reason']}")
    for path, columns in findings.get("absent_columns", {}).items():
        print(f"  {Path(path).name}: optional columns absent (NULL in raw): {', '.join(columns)}")
    for path, counts in findings.get("codes_rewritten", {}).items():
        rewritten = ", ".join(f"{column} {count:,}" for column, count in sorted(counts.items()))
        print(f"  {Path(path).name}: codes rewritten to canonical: {rewritten}")


def print_summary(summary: dict, timings: list[DagTiming], manifest_path: Path, total_seconds: float) -> None:
    print("\nPembina demo")
    print("  rows per layer:")
    for layer, tables in summary["rows_per_layer"].items():
        for table, rows in tables.items():
            print(f"    {layer + '.' + table:<48} {rows:>10,}")
    injected = injected_defects(manifest_path)
    print("  rows quarantined, per source (the synthetic manifest's injected defects in brackets):")
    for source, rules in sorted(summary["quarantined_by_source_rule"].items()):
        expected = injected.get(source, {})
        found = sum(rules.values())
        mark = "" if not injected else ("  matches" if rules == expected else "  DIFFERS")
        print(f"    {source:<48} {found:>10,} [{sum(expected.values())}]{mark}")
        for rule, rows in sorted(rules.items()):
            print(f"      {rule:<46} {rows:>10,} [{expected.get(rule, 0)}]")
    _print_load_findings(summary.get("load_findings", {}))
    validation = summary["validation"]
    print(
        f"  validation: {validation['passed']} checks passed; {validation['critical_failed']} critical failures"
        f" (gate {validation['gate']}), {validation['warnings_failed']} warnings (findings, reported)"
    )
    print(f"  BI login reads: {summary['bi_reads'] or 'nothing published yet'}")
    _print_personal_data(summary)
    print(f"  run report: {summary['report_path']}")
    if summary.get("gx_docs_path"):
        print(f"  data docs:  {summary['gx_docs_path']}")
    for timing in timings:
        overhead = timing.wall_seconds - timing.task_seconds
        print(
            f"  airflow dags test {timing.dag_id}: {timing.wall_seconds:.1f} s wall = "
            f"{timing.task_seconds:.1f} s in tasks + {overhead:.1f} s Airflow start-up and scheduling"
        )
    print(f"  total time: {total_seconds:.1f} s")


def _print_personal_data(summary: dict) -> None:
    checks = summary.get("personal_data_checks") or {}
    q = summary.get("quasi_identifiers")
    verdict = "passed" if checks and all(checks.values()) else "FAILED" if checks else "not run"
    line = f"  personal data in the marts: {len(checks)} checks {verdict}"
    if q:
        line += (
            f"; k = {q['k']}: {q['unique_employees']:,} unique, {q['employees_below_k']:,} of {q['employees']:,}"
            f" employees ({q['below_k_pct']}%) below k, {q['max_below_k_pct']}% allowed"
        )
    print(line)
