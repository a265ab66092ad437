"""The Assets that connect the ingest DAGs to the warehouse DAG: one per raw table."""

from __future__ import annotations

from airflow.sdk import Asset


def _raw(table: str) -> Asset:
    return Asset(f"pembina://warehouse/raw/{table}", group="raw")


# Keyed by source, or by family where the family's sources share one raw table (training, university, lapor).
RAW_ASSETS: dict[str, Asset] = {
    "siasn": _raw("siasn_pegawai"),
    "ekinerja": _raw("ekinerja_skp"),
    "ekinerja_organisation": _raw("ekinerja_organisation_predikat"),
    "assessment": _raw("assessment_kompetensi"),
    "discipline": _raw("discipline_hukuman"),
    "forum": _raw("forum_sesi"),
    "forum_masukan": _raw("forum_masukan"),
    "inovasi": _raw("inovasi_register"),
    "inovasi_xlsx": _raw("inovasi_register"),
    "training": _raw("training_participation"),
    "university": _raw("university_programme"),
    "skm": _raw("skm_responden"),
    "lapor": _raw("lapor_pengaduan"),
}


def raw_asset(source: str) -> Asset:
    """The Asset of a source's raw table (``training_lan_ri`` -> the training table's)."""
    if source in RAW_ASSETS:
        return RAW_ASSETS[source]
    family = source.split("_", 1)[0]
    if family in ("training", "university", "lapor"):
        return RAW_ASSETS[family]
    raise KeyError(f"no raw Asset for source {source!r}")
