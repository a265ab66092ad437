"""Airflow tasks after dbt: the Great Expectations quality gate, publication and the auditors' run report."""

from __future__ import annotations

from airflow.sdk import get_current_context, task

from pembina.publish import publish_marts
from pembina.quality import validate_warehouse
from pembina.report import write_run_report


@task
def validate() -> dict:
    """Critical failures stop the run (the marts are not published as good); warnings are only reported."""
    summary = validate_warehouse(run_id=get_current_context()["run_id"])
    summary.raise_for_critical()
    return summary.as_dict()


@task
def publish() -> list[str]:
    """Only marts that passed the gate become readable by the BI login."""
    return publish_marts()


@task(trigger_rule="all_done")
def report() -> str:
    return str(write_run_report(run_id=get_current_context()["run_id"]))
