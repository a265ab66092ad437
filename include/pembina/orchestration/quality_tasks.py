"""Airflow tasks after dbt: the Great Expectations quality gate, publication and the auditors' run report."""

from __future__ import annotations

from airflow.sdk import get_current_context, task
from airflow.sdk.exceptions import AirflowFailException

from pembina import db
from pembina.orchestration.config import NO_RETRIES, WAREHOUSE_POOL
from pembina.publish import publish_marts, published_by_run, what_bi_reads
from pembina.quality import validate_warehouse
from pembina.report import write_run_report


def run_gate(run_id: str, url: str | None = None) -> dict:
    """The quality gate on the build schema. Critical failures stop the run, with a message naming them and
    the version BI still reads; warnings are only reported."""
    summary = validate_warehouse(url, run_id=run_id)
    if not summary.passed:
        with db.connect(url) as conn:
            summary.raise_for_critical(what_bi_reads(conn))
    return summary.as_dict()


@task(pool=WAREHOUSE_POOL.name, **NO_RETRIES)
def validate() -> dict:
    """The gate's verdict is a finding about the data, not a passing fault: it is not retried."""
    return run_gate(get_current_context()["run_id"])


@task(pool=WAREHOUSE_POOL.name)
def publish(gate: dict) -> dict:
    """The build schema becomes the one the BI login reads, if the gate run passed on the latest build."""
    return publish_marts(gate["gate_run_id"], airflow_run_id=get_current_context()["run_id"]).as_dict()


@task(trigger_rule="all_done", pool=WAREHOUSE_POOL.name, **NO_RETRIES)
def report() -> str:
    """Written whatever happened before it. As the DAG's last task it decides the run's state: a run that
    published nothing ends failed, so a failed gate never shows as a green run."""
    run_id = get_current_context()["run_id"]
    path = write_run_report(run_id=run_id)
    with db.connect() as conn:
        if not published_by_run(conn, run_id):
            raise AirflowFailException(f"this run published nothing ({what_bi_reads(conn)}); its report: {path}")
    return str(path)
