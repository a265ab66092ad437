"""Forum Konsultasi Publik workbooks (XLSX) -> raw.forum_sesi and raw.forum_masukan, one mapped task per file."""

from airflow.sdk import dag

from pembina.orchestration.ingest_tasks import ingest_dag_args, ingest_sources
from pembina.sources import family_sources

FAMILY = "forum"


@dag(**ingest_dag_args(FAMILY))
def pembina_ingest_forum():
    ingest_sources(family_sources(FAMILY))


pembina_ingest_forum()
