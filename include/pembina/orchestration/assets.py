"""The Assets that connect the ingest DAGs to the warehouse DAG: one per raw table."""

from __future__ import annotations

from airflow.sdk import Asset

RAW_ASSETS: dict[str, Asset] = {
    "siasn": Asset("pembina://warehouse/raw/siasn_pegawai", group="raw"),
}
