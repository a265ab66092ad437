"""Training vendors (one mapping file each) -> raw.training_participation: per vendor a task group
mapping over its new landing files."""

from airflow.sdk import dag

from pembina.orchestration.ingest_tasks import ingest_dag_args, ingest_sources
from pembina.sources import family_sources

FAMILY = "training"


@dag(**ingest_dag_args(FAMILY))
def pembina_ingest_training():
    ingest_sources(family_sources(FAMILY))


pembina_ingest_training()
