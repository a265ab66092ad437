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
from pembina.audit import ensure_audit_schema
from pembina.runtime import airflow_environment, dbt_environment
from pembina.settings import Settings, get_settings

DEMO_DAGS = ("pembina_ingest_siasn", "pembina_warehouse")


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


def prepare(settings: Settings | None = None) -> None:
    settings = settings or get_settings()
    url = db.up(settings)
    with db.connect(url) as conn:
        ensure_audit_schema(conn)
    refresh_dbt_manifest(settings)
    migrate_airflow(settings)


@dataclass
class DagTiming:
    dag_id: str
    wall_seconds: float
    task_seconds: float


def run_dag(dag_id: str, settings: Settings) -> DagTiming:
    wall = _run(
        [_tool("airflow"), "dags", "test", dag_id],
        airflow_environment(settings),
        settings.data_dir / "logs" / f"{dag_id}.log",
    )
    url = db.airflow_metadata_url(settings).replace("postgresql+psycopg2://", "postgresql://", 1)
    with db.connect(url) as conn:
        row = conn.execute(
            """select coalesce(sum(ti.duration), 0) from task_instance ti
                where ti.dag_id = %s and ti.run_id = (
                    select run_id from dag_run where dag_id = %s order by id desc limit 1)""",
            (dag_id, dag_id),
        ).fetchone()
    return DagTiming(dag_id, wall, float(row[0]))


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
        timings = [run_dag(dag_id, settings) for dag_id in DEMO_DAGS]
    except DemoFailed as exc:
        print(f"demo failed: {exc}", file=sys.stderr)
        return 1
    from pembina.report import summarize_run

    summary = summarize_run()
    print_summary(summary, timings, manifest_path, time.perf_counter() - started)
    return 0


def expected_quarantine(manifest_path: Path, source: str) -> dict[str, int]:
    if not manifest_path.exists():
        return {}
    manifest = json.loads(manifest_path.read_text())
    return {rule: count for rule, count in manifest.get("defect_counts", {}).get(source, {}).items() if count}


def print_summary(summary: dict, timings: list[DagTiming], manifest_path: Path, total_seconds: float) -> None:
    print("\nPembina demo")
    print("  rows per layer:")
    for layer, tables in summary["rows_per_layer"].items():
        for table, rows in tables.items():
            print(f"    {layer}.{table:<40} {rows:>10,}")
    expected = expected_quarantine(manifest_path, "siasn")
    print("  rows quarantined by rule (synthetic manifest in brackets):")
    for rule, rows in sorted(summary["quarantined_by_rule"].items()):
        note = f"[{expected.get(rule, 0)}]" if expected else ""
        print(f"    {rule:<40} {rows:>10,} {note}")
    validation = summary["validation"]
    print(f"  validation: {validation['passed']} passed, {validation['failed']} failed")
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
