"""Airflow tasks for the ingest DAGs: thin wrappers over ``pembina.ingest.pipeline``."""

from __future__ import annotations

from pathlib import Path

from airflow.sdk import get_current_context, task
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

from pembina.ingest import pipeline
from pembina.orchestration.config import WAREHOUSE_POOL, dag_args, dag_doc


def ingest_dag_args(family: str) -> dict:
    """What every ingest DAG shares: daily, no catch-up (a run loads whatever landed since), one run at a
    time, retries with backoff, and its documentation."""
    from pembina.orchestration.assets import raw_asset
    from pembina.sources import family_sources

    sources = family_sources(family)
    tables = sorted({raw_asset(source).uri.rsplit("/", 1)[1] for source in sources})
    doc = dag_doc(
        f"Loads the {family} landing files into raw, one mapped `load_file` task per file.",
        reads=f"the landing folders of {', '.join(f'`{source}`' for source in sources)} (`PEMBINA_LANDING_DIR`); "
        "files already loaded (same content hash) are skipped",
        writes=f"{', '.join(f'`raw.{table}`' for table in tables)}, `raw.quarantine` (rows that broke a rule), "
        "`audit.load_batches` and `audit.ingested_files` (one row per file: read = loaded + quarantined)",
        emits="the raw table's Asset when a file was loaded, which starts `pembina_warehouse`",
        on_failure="a `load_file` task that failed without retrying rejected its file: the log and "
        "`audit.ingested_files.reason` say why (wrong delimiter, missing column, unreadable); fix or replace "
        "the file in the landing folder and trigger the DAG again (loaded files are not loaded twice). Other "
        "failures (the database) are retried 3 times, 1, 2 and 4 minutes apart; if they persist, check "
        "`pembina db status` and clear the failed task.",
    )
    return dag_args(schedule="@daily", tags=["ingest", family], doc_md=doc)


@task(pool=WAREHOUSE_POOL.name)
def open_batch(source: str) -> int:
    return pipeline.open_batch(source, get_current_context()["run_id"])


@task
def list_landing_files(source: str) -> list[str]:
    return pipeline.pending_files(source)


@task(map_index_template="{{ file_name }}", pool=WAREHOUSE_POOL.name)
def load_file(source: str, path: str, batch_id: int) -> dict:
    """Load one file. A rejected file fails its own task instance (no retry: the content will not change)
    with the reason, while the other files of the run load."""
    get_current_context()["file_name"] = Path(path).name
    result = pipeline.load_file(source, path, batch_id)
    if result.status == "rejected":
        raise AirflowFailException(f"{Path(path).name} rejected: {result.reason}")
    return result.as_dict()


@task(trigger_rule="all_done", pool=WAREHOUSE_POOL.name)
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
