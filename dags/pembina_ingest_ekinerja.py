"""e-Kinerja SKP JSON -> raw.ekinerja_skp and raw.ekinerja_organisation_predikat, one mapped task per landing file."""

import pendulum
from airflow.sdk import dag

from pembina.orchestration.ingest_tasks import DEFAULT_ARGS, ingest_sources
from pembina.sources import family_sources

FAMILY = "ekinerja"


@dag(
    schedule="@daily",
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Jayapura"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["pembina", "ingest", FAMILY],
)
def pembina_ingest_ekinerja():
    ingest_sources(family_sources(FAMILY))


pembina_ingest_ekinerja()
