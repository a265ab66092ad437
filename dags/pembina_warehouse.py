"""Raw -> dbt (staging, snapshots, marts into the build schema; tests after each model) -> GX quality gate on
the build schema -> publish it to the BI login -> the run report (also when the gate failed). Runs whenever an
ingest DAG updates a raw table."""

import pendulum
from airflow.sdk import AssetAny, dag

from pembina.orchestration.alerts import failure_alert
from pembina.orchestration.assets import RAW_ASSETS
from pembina.orchestration.dbt import reference_seeds, warehouse_models
from pembina.orchestration.quality_tasks import publish, report, validate


@dag(
    schedule=AssetAny(*RAW_ASSETS.values()),
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Jayapura"),
    catchup=False,
    max_active_runs=1,
    default_args={"on_failure_callback": failure_alert},
    tags=["pembina", "warehouse", "dbt"],
)
def pembina_warehouse():
    gate = validate()
    reference_seeds() >> warehouse_models() >> gate
    publish(gate) >> report()


pembina_warehouse()
