"""e-Kinerja SKP JSON -> raw.ekinerja_skp and raw.ekinerja_organisation_predikat, one mapped task per landing file."""

from airflow.sdk import dag

from pembina.orchestration.ingest_tasks import ingest_dag_args, ingest_sources
from pembina.sources import family_sources

FAMILY = "ekinerja"


@dag(**ingest_dag_args(FAMILY))
def pembina_ingest_ekinerja():
    ingest_sources(family_sources(FAMILY))


pembina_ingest_ekinerja()
