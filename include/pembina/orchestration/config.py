"""What every Pembina DAG shares: owner, start date, retry policy, the warehouse pool and the shape of its
documentation. Imports no Airflow, so `pembina prepare` can create the pool from the same declaration."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import timedelta

import pendulum

OWNER = "bkpsdm-data"
START_DATE = pendulum.datetime(2026, 1, 1, tz="Asia/Jayapura")


@dataclass(frozen=True)
class PoolSpec:
    name: str
    slots: int
    description: str


# Every task that holds warehouse connections runs in this pool; the dbt build takes as many slots as
# dbt has threads (dbt_project/profiles.yml), so a build and a burst of loads never exceed it together.
WAREHOUSE_POOL = PoolSpec(
    "pembina_warehouse", 4, "Connections to the Pembina warehouse (loads, dbt, the quality gate, publication)"
)
# Three on two cores: with the critical-path order of pembina-dbt (pembina.dbt_scheduler) the training chain
# runs first and fewer threads share the cores with it; a full build at 600,000 ASN took 297.6-305.8 s against
# 307.4-337.7 s for four threads in dbt's own order (README, "dbt's queue in critical-path order").
DBT_THREADS = 3

# For tasks that can fail for a passing reason (a dropped connection, a lock wait, a full disk freed later):
# 1, 2, 4 minutes apart. A quality check that failed fails again on the same data: those tasks get none.
TRANSIENT_RETRIES = {
    "retries": 3,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=10),
}
NO_RETRIES = {"retries": 0}
# A dbt test task reports the result of the build's tests; when Cosmos has none for a model it defers, its
# trigger fires at once, and Airflow 3.3's scheduler can then read the executor's late report of the deferral
# as the resumed task dying, and fail it. Its one retry reruns that model's dbt tests themselves (Cosmos's
# fallback): a failing test fails again, so the retry can only confirm a result, never hide one.
TEST_RECHECK = {"retries": 1, "retry_delay": timedelta(seconds=10)}
DEFAULT_ARGS = {"owner": OWNER, **TRANSIENT_RETRIES}


def dag_doc(summary: str, reads: str, writes: str, emits: str, on_failure: str) -> str:
    """The `doc_md` every DAG carries, in the same order, so an operator finds the same things in each."""
    return (
        f"{summary}\n\n"
        f"**Reads:** {reads}\n\n"
        f"**Writes:** {writes}\n\n"
        f"**Emits:** {emits}\n\n"
        f"**When it fails:** {on_failure}\n\n"
        f"Owner: {OWNER}. Runs one at a time; warehouse tasks share the `{WAREHOUSE_POOL.name}` pool."
    )


def dag_args(*, schedule, tags: list[str], doc_md: str) -> dict:
    """The keyword arguments of ``@dag`` that every Pembina DAG shares, the failure alert of every task included."""
    from pembina.orchestration.alerts import failure_alert  # imports Airflow: only where a DAG is defined

    return {
        "schedule": schedule,
        "start_date": START_DATE,
        "catchup": False,
        "max_active_runs": 1,
        "default_args": {**DEFAULT_ARGS, "on_failure_callback": failure_alert},
        "tags": ["pembina", *tags],
        "doc_md": doc_md,
    }


WAREHOUSE_DOC = dag_doc(
    "Builds the warehouse from raw with dbt (one `dbt build` in `dbt.dbt_producer_watcher`, a task per model "
    "and per model's tests), runs the Great Expectations gate on the build, publishes it and writes the run "
    "report. Tests on growing tables read the load batches since the last published build; whole tables when "
    'the last whole-table publication is 7 days old, or when triggered with `{"whole_table_tests": true}`.',
    reads="every `raw.*` table and the seeds in `dbt_project/seeds/`",
    writes="`staging`, `history`, `intermediate`, `marts_build` (then swapped into `marts`, the only schema "
    "the BI login reads), `audit.dbt_builds`, `audit.validation_runs`, `audit.validation_results`, "
    "`audit.gate_runs`, `audit.publications`; the run report and Data Docs under `PEMBINA_REPORTS_DIR`",
    emits="nothing; it starts on any raw table's Asset (an ingest DAG that loaded a file)",
    on_failure="a failed `<model>.run` task is a dbt error (its log has dbt's message); it reruns that model "
    "by itself, 3 times with backoff. A failed `<model>.test` or `validate` task is the quality gate: the data "
    "broke a check, nothing is published and BI keeps reading the last validated marts; the run report "
    "(`report`, which runs anyway) lists the checks that failed. Fix the source data or the rule, then load "
    "again or clear the run. `publish` refuses a build that did not pass.",
)


def pool_command(airflow: str = "airflow") -> list[str]:
    """`airflow pools set` for the warehouse pool (idempotent)."""
    return [airflow, "pools", "set", WAREHOUSE_POOL.name, str(WAREHOUSE_POOL.slots), WAREHOUSE_POOL.description]


if __name__ == "__main__":  # docker-compose.yml's airflow-init: the pool on a server
    sys.exit(subprocess.call(pool_command(shutil.which("airflow") or "airflow")))
