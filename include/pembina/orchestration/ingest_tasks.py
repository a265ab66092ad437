"""Airflow tasks for the ingest DAGs: thin wrappers over ``pembina.ingest.pipeline``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pendulum
from airflow.sdk import get_current_context, task
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

from pembina.ingest import pipeline
from pembina.orchestration.alerts import failure_alert

DEFAULT_ARGS = {
    "retries": 2,
    "retry_delay": timedelta(seconds=30),
    "owner": "bkpsdm-data",
    "on_failure_callback": failure_alert,
}


def ingest_dag_args(family: str) -> dict:
    """What every ingest DAG shares: daily, no catch-up (a run loads whatever landed since), one run at a
    time, retries."""
    return {
        "schedule": "@daily",
        "start_date": pendulum.datetime(2026, 1, 1, tz="Asia/Jayapura"),
        "catchup": False,
        "max_active_runs": 1,
        "default_args": DEFAULT_ARGS,
        "tags": ["pembina", "ingest", family],
    }


@task
def open_batch(source: str) -> int:
    return pipeline.open_batch(source, get_current_context()["run_id"])


@task
def list_landing_files(source: str) -> list[str]:
    return pipeline.pending_files(source)


@task(map_index_template="{{ file_name }}")
def load_file(source: str, path: str, batch_id: int) -> dict:
    """Load one file. A rejected file fails its own task instance (no retry: the content will not change)
    with the reason, while the other files of the run load."""
    get_current_context()["file_name"] = Path(path).name
    result = pipeline.load_file(source, path, batch_id)
    if result.status == "rejected":
        raise AirflowFailException(f"{Path(path).name} rejected: {result.reason}")
    return result.as_dict()


@task(trigger_rule="all_done")
def close_batch(batch_id: int, paths: list[str]) -> dict:
    """Runs whatever happened to the loads; a file whose task failed or was killed fails the batch."""
    return pipeline.close_batch(batch_id, paths)


@task
def announce_new_data(summary: dict) -> None:
    """Emits the raw table's Asset (set as this task's outlet) only when a file was loaded, so the
    warehouse is not rebuilt for a run that changed nothing."""
    if "loaded" not in summary["files"]:
        raise AirflowSkipException(f"batch {summary['batch_id']} loaded no new file: raw is unchanged")


def ingest_sources(sources: tuple[str, ...]) -> None:
    """Inside a DAG: per source, a task group that opens a batch, loads each new landing file as a mapped
    task, closes the batch and emits the source's raw Asset when a file was loaded."""
    from airflow.sdk import TaskGroup

    from pembina.orchestration.assets import raw_asset

    for source in sources:
        with TaskGroup(group_id=source):
            batch_id = open_batch(source)
            paths = list_landing_files(source)
            loaded = load_file.partial(source=source, batch_id=batch_id).expand(path=paths)
            summary = close_batch(batch_id, paths)
            loaded >> summary
            announce_new_data.override(outlets=[raw_asset(source)])(summary)
