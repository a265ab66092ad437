"""Raw -> dbt (staging, snapshots, marts into the build schema; tests after each model) -> GX quality gate on
the build schema -> publish it to the BI login -> the run report (also when the gate failed). Runs whenever an
ingest DAG updates a raw table."""

from airflow.sdk import AssetAny, dag

from pembina.orchestration.assets import RAW_ASSETS
from pembina.orchestration.config import WAREHOUSE_DOC, dag_args
from pembina.orchestration.dbt import reference_seeds, warehouse_models
from pembina.orchestration.quality_tasks import publish, report, validate


@dag(**dag_args(schedule=AssetAny(*RAW_ASSETS.values()), tags=["warehouse", "dbt"], doc_md=WAREHOUSE_DOC))
def pembina_warehouse():
    gate = validate()
    reference_seeds() >> warehouse_models() >> gate
    publish(gate) >> report()


pembina_warehouse()
