"""``make demo``: the whole pipeline on synthetic data through real Airflow, with a short summary."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pembina import db
from pembina.ingest.loader import ensure_raw_tables
from pembina.report.messages import Messages
from pembina.report.run_report import when
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


HEARTBEAT_SECONDS = 15.0


def _run(
    command: list[str],
    environment: dict[str, str],
    log_file: Path,
    heartbeat: float = HEARTBEAT_SECONDS,
    step: Callable[[], str] | None = None,
) -> float:
    """Run a tool with its output in ``log_file`` (Airflow's log records stay there), printing a line every
    ``heartbeat`` seconds while it runs, with what ``step`` says it is doing; on failure, show the end of the
    log and where it is."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    shown = " ".join([Path(command[0]).name, *command[1:]])
    started = time.perf_counter()
    with log_file.open("w") as log:
        process = subprocess.Popen(command, env={**os.environ, **environment}, stdout=log, stderr=subprocess.STDOUT)
        try:
            while True:
                try:
                    code = process.wait(timeout=heartbeat)
                    break
                except subprocess.TimeoutExpired:
                    doing = f", {step()}" if step else ""
                    print(f"  ... {shown}: {time.perf_counter() - started:.0f} s{doing}", flush=True)
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait()
    if code != 0:
        tail = "\n".join(log_file.read_text(errors="replace").splitlines()[-40:])
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
    print(f"airflow dags test {dag_id} (log: {log_file})", flush=True)
    try:
        wall = _run(
            [_tool("airflow"), "dags", "test", dag_id],
            airflow_environment(settings),
            log_file,
            step=lambda: _running_tasks(dag_id, settings),
        )
    except DemoFailed:
        raise DemoFailed(_explain_failed_run(dag_id, settings, log_file)) from None
    with db.connect(_metadata_url(settings)) as conn:
        row = conn.execute(
            "select coalesce(sum(duration), 0) from task_instance "
            f"where dag_id = %(dag_id)s and run_id = {_LATEST_RUN}",
            {"dag_id": dag_id},
        ).fetchone()
    return DagTiming(dag_id, wall, float(row[0]))


def _running_tasks(dag_id: str, settings: Settings) -> str:
    """What the DAG's latest run is doing, for the heartbeat line."""
    try:
        with db.connect(_metadata_url(settings)) as conn:
            counts = conn.execute(
                f"""select count(*) filter (where state = 'success'), count(*),
                           string_agg(task_id, ', ' order by start_date) filter (where state = 'running')
                      from task_instance where dag_id = %(dag_id)s and run_id = {_LATEST_RUN}""",
                {"dag_id": dag_id},
            ).fetchone()
    except Exception:  # a heartbeat must never stop the run it reports on
        return "starting"
    done, total, running = counts
    if not total:
        return "starting"
    return f"{done}/{total} tasks done" + (f", running {running}" if running else "")


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


@contextlib.contextmanager
def _log_records_to(log_file: Path) -> Iterator[None]:
    """Log records of the work done in this process go to ``log_file``, not the terminal: importing Airflow
    configures the root logger to print its structured records, one per loaded file."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    handlers = root.handlers[:]
    file_handler = logging.FileHandler(log_file)
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root.handlers = [file_handler]
    try:
        yield
    finally:
        root.handlers = handlers
        file_handler.close()


def run_demo(scale: int, seed: int, settings: Settings | None = None) -> int:
    settings = settings or get_settings()
    started = time.perf_counter()
    in_process_log = settings.data_dir / "logs" / "demo.log"
    try:
        prepare(settings)
        manifest_path = ensure_landing_data(settings, scale, seed)
        loaded_before = _loaded_files(settings)
        timings = [run_dag(INGEST_DAG, settings)]
        print(f"the other source families, in this process (log: {in_process_log})", flush=True)
        with _log_records_to(in_process_log):
            ingest_other_families(settings)
        if _loaded_files(settings) > loaded_before or not _marts_published(settings):
            timings.append(run_dag(WAREHOUSE_DAG, settings))
        else:
            print("no new landing file was loaded: the marts are up to date, the warehouse DAG is not run")
    except DemoFailed as exc:
        print(f"demo failed: {exc}", file=sys.stderr)
        return 1
    from pembina.report import summarize_run

    with _log_records_to(in_process_log):
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


def _print_load_findings(findings: dict, m: Messages) -> None:
    """Failed batches, absent optional columns and rewritten codes, each only when there is one."""
    for batch in findings.get("failed_batches", []):
        values = {"batch": batch["batch_id"], "source": batch["source"], "when": batch["marked_failed_at"]}
        print("  " + m("demo_batch_failed", **values, reason=batch["reason"]))
    for path, columns in findings.get("absent_columns", {}).items():
        print("  " + m("demo_absent", file=Path(path).name, columns=", ".join(columns)))
    for path, counts in findings.get("codes_rewritten", {}).items():
        rewritten = ", ".join(f"{column} {m.number(count)}" for column, count in sorted(counts.items()))
        print("  " + m("demo_rewritten", file=Path(path).name, counts=rewritten))


def print_summary(summary: dict, timings: list[DagTiming], manifest_path: Path, total_seconds: float) -> None:
    """The demo's summary, in the report's language (PEMBINA_REPORT_LANGUAGE, Indonesian by default)."""
    m = Messages()
    print(f"\n{m('demo_title')}")
    print("  " + m("demo_rows_per_layer"))
    for layer, tables in summary["rows_per_layer"].items():
        for table, rows in tables.items():
            print(f"    {layer + '.' + table:<48} {m.number(rows):>10}")
    injected = injected_defects(manifest_path)
    print("  " + m("demo_quarantined"))
    for source, rules in sorted(summary["quarantined_by_source_rule"].items()):
        expected = injected.get(source, {})
        found = sum(rules.values())
        mark = "" if not injected else "  " + m("demo_matches" if rules == expected else "demo_differs")
        print(f"    {source:<48} {m.number(found):>10} [{sum(expected.values())}]{mark}")
        for rule, rows in sorted(rules.items()):
            print(f"      {rule:<46} {m.number(rows):>10} [{expected.get(rule, 0)}]")
    _print_load_findings(summary.get("load_findings", {}), m)
    validation = summary["validation"]
    gate = m({"passed": "demo_gate_passed", "failed": "demo_gate_failed"}.get(validation["gate"], "demo_gate_not_run"))
    print(
        "  "
        + m(
            "demo_validation",
            passed=validation["passed"],
            critical=validation["critical_failed"],
            gate=gate,
            warnings=validation["warnings_failed"],
        )
    )
    publication = summary.get("publication")
    if publication:
        published = m(
            "demo_publication",
            id=publication["publication_id"],
            build=publication["build_id"],
            gate=publication["gate_run_id"],
            when=when(datetime.fromisoformat(publication["published_at"])),
            n=len(publication["relations"]),
        )
    print("  " + m("demo_bi_reads", what=published if publication else m("demo_nothing_published")))
    _print_personal_data(summary, m)
    print("  " + m("demo_report", path=summary["report_path"]))
    if summary.get("index_path"):
        print("  " + m("demo_index", path=summary["index_path"]))
    for timing in timings:
        overhead = timing.wall_seconds - timing.task_seconds
        values = {"wall": m.number(timing.wall_seconds, 1), "tasks": m.number(timing.task_seconds, 1)}
        print("  " + m("demo_dag_time", dag=timing.dag_id, **values, overhead=m.number(overhead, 1)))
    print("  " + m("demo_total", seconds=m.number(total_seconds, 1)))


def _print_personal_data(summary: dict, m: Messages) -> None:
    checks = summary.get("personal_data_checks") or {}
    q = summary.get("quasi_identifiers")
    verdict = "demo_verdict_passed" if checks and all(checks.values()) else "demo_verdict_failed"
    line = m("demo_personal", n=len(checks), verdict=m(verdict if checks else "demo_verdict_not_run"))
    if q:
        line += m(
            "demo_personal_q",
            k=q["k"],
            unique=m.number(q["unique_employees"]),
            below=m.number(q["employees_below_k"]),
            employees=m.number(q["employees"]),
            pct=m.number(q["below_k_pct"], 2),
            max=m.number(q["max_below_k_pct"], 1),
        )
    print("  " + line)
