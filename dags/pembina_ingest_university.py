"""Universities (one mapping file each) -> raw.university_programme: per university a task group
mapping over its new landing files."""

from airflow.sdk import dag

from pembina.orchestration.ingest_tasks import ingest_dag_args, ingest_sources
from pembina.sources import family_sources

FAMILY = "university"


@dag(**ingest_dag_args(FAMILY))
def pembina_ingest_university():
    ingest_sources(family_sources(FAMILY))


pembina_ingest_university()
