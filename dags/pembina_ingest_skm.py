"""SKM survey form exports (CSV) -> raw.skm_responden, one mapped task per landing file."""

from airflow.sdk import dag

from pembina.orchestration.ingest_tasks import ingest_dag_args, ingest_sources
from pembina.sources import family_sources

FAMILY = "skm"


@dag(**ingest_dag_args(FAMILY))
def pembina_ingest_skm():
    ingest_sources(family_sources(FAMILY))


pembina_ingest_skm()
