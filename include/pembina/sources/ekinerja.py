"""e-Kinerja SKP appraisals (docs/sources.md): one JSON document per year holding the appraisals
(``penilaian``) and the organisations' own predikat (``predikat_organisasi``)."""

from __future__ import annotations

from pembina.contracts.spec import build_contract
from pembina.sources.base import JsonFormat, SourceEntity
from pembina.sources.common import tidy

COLUMNS = (
    "nip", "nama", "tahun", "periode", "tanggal_mulai", "tanggal_selesai", "hasil_kerja", "perilaku_kerja",
    "predikat", "nip_penilai", "unor_id",
)  # fmt: skip
REQUIRED = ("nip", "tahun", "periode", "tanggal_mulai", "tanggal_selesai", "hasil_kerja", "perilaku_kerja", "predikat")
DATES = {"tanggal_mulai": "%Y-%m-%d", "tanggal_selesai": "%Y-%m-%d"}
PERIODS = ["TAHUNAN", "TW1", "TW2", "TW3", "TW4"]
RATINGS = ["di atas ekspektasi", "sesuai ekspektasi", "di bawah ekspektasi"]
PREDIKAT = ["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"]
ORGANISATION_PREDIKAT = ["Istimewa", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"]


def build_contract_skp():
    return build_contract(
        entity="ekinerja_skp",
        columns=COLUMNS,
        required=REQUIRED,
        key=("nip", "tahun", "periode"),
        nip=("nip",),
        dates=DATES,
        whole_numbers=("tahun",),
        codes={"periode": PERIODS, "hasil_kerja": RATINGS, "perilaku_kerja": RATINGS, "predikat": PREDIKAT},
        # the name comes from SIASN; without unor_id the appraisal takes the OPD of the SIASN history
        optional=("nama", "unor_id"),
    )  # a predikat that disagrees with the matrix of domain.md §4 is a warehouse finding, not a rule


ORGANISATION_COLUMNS = ("unor_id", "unor_nama", "tahun", "predikat")


def build_contract_organisation():
    return build_contract(
        entity="ekinerja_organisation_predikat",
        columns=ORGANISATION_COLUMNS,
        required=("unor_id", "tahun", "predikat"),
        key=("unor_id", "tahun"),
        whole_numbers=("tahun",),
        codes={"predikat": ORGANISATION_PREDIKAT},
        optional=("unor_nama",),  # the OPD's name comes from ref_opd
    )


def entity() -> SourceEntity:
    return SourceEntity(
        source="ekinerja",
        entity="skp",
        landing_subdir="ekinerja",
        file_pattern="*.json",
        file_format=JsonFormat(list_key="penilaian", count_key="jumlah_penilaian"),
        contract=build_contract_skp(),
        normalise=tidy,
    )


def organisation_entity() -> SourceEntity:
    """The organisations' predikat of the same files: a source of its own, so that the content-hash
    bookkeeping of the appraisals and of the organisations does not mix."""
    return SourceEntity(
        source="ekinerja_organisation",
        entity="predikat",
        landing_subdir="ekinerja",
        file_pattern="*.json",
        file_format=JsonFormat(list_key="predikat_organisasi"),
        contract=build_contract_organisation(),
        normalise=tidy,
    )
