"""SIASN personnel exports -> raw.siasn_pegawai, one mapped task per landing file."""

from airflow.sdk import dag

from pembina.orchestration.assets import RAW_ASSETS
from pembina.orchestration.ingest_tasks import (
    announce_new_data,
    close_batch,
    ingest_dag_args,
    list_landing_files,
    load_file,
    open_batch,
)

SOURCE = "siasn"


@dag(**ingest_dag_args(SOURCE))
def pembina_ingest_siasn():
    batch_id = open_batch(SOURCE)
    loaded = load_file.partial(source=SOURCE, batch_id=batch_id).expand(path=list_landing_files(SOURCE))
    summary = close_batch(batch_id)
    loaded >> summary
    announce_new_data.override(outlets=[RAW_ASSETS[SOURCE]])(summary)


pembina_ingest_siasn()
