"""SP4N-LAPOR! complaints (API JSON and CSV export) -> raw.lapor_pengaduan, one mapped task per landing file."""

from airflow.sdk import dag

from pembina.orchestration.ingest_tasks import ingest_dag_args, ingest_sources
from pembina.sources import family_sources

FAMILY = "lapor"


@dag(**ingest_dag_args(FAMILY))
def pembina_ingest_lapor():
    ingest_sources(family_sources(FAMILY))


pembina_ingest_lapor()
