"""Discipline sanctions (docs/sources.md, PP 94/2021): the BKPSDM register, semicolon CSV, dd/mm/yyyy."""

from __future__ import annotations

import numpy as np

from pembina.contracts import checks
from pembina.contracts.contract import Rows
from pembina.contracts.spec import build_contract
from pembina.sources.base import DelimitedFormat, SourceEntity
from pembina.sources.common import tidy

COLUMNS = ("nip", "nama", "nomor_sk", "tanggal_sk", "tingkat", "jenis", "tmt_mulai", "tmt_selesai", "alasan")
REQUIRED = ("nip", "nomor_sk", "tanggal_sk", "tingkat", "jenis", "tmt_mulai")
DATES = {"tanggal_sk": "%d/%m/%Y", "tmt_mulai": "%d/%m/%Y", "tmt_selesai": "%d/%m/%Y"}
# PP 94/2021 art. 8: the sanctions of each level
SANCTIONS = {
    "ringan": ["Teguran lisan", "Teguran tertulis", "Pernyataan tidak puas secara tertulis"],
    "sedang": [
        "Pemotongan tunjangan kinerja 25% selama 6 bulan",
        "Pemotongan tunjangan kinerja 25% selama 9 bulan",
        "Pemotongan tunjangan kinerja 25% selama 12 bulan",
    ],
    "berat": [
        "Penurunan jabatan setingkat lebih rendah selama 12 bulan",
        "Pembebasan dari jabatannya menjadi jabatan pelaksana selama 12 bulan",
        "Pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS",
    ],
}


def _sanction_of_its_level(rows: Rows) -> np.ndarray:
    """A jenis must be one of its tingkat's sanctions (an unknown tingkat is judged by the code list)."""
    verdict = np.ones(rows.num_rows, dtype=bool)
    known_level = np.zeros(rows.num_rows, dtype=bool)
    for level, sanctions in SANCTIONS.items():
        at_level = checks.equals(rows["tingkat"], level)
        known_level |= at_level
        verdict &= ~at_level | checks.in_set(rows["jenis"], sanctions)
    every_sanction = [name for names in SANCTIONS.values() for name in names]
    return verdict & (known_level | checks.in_set(rows["jenis"], every_sanction))


def build_discipline_contract():
    return build_contract(
        entity="discipline_hukuman",
        columns=COLUMNS,
        required=REQUIRED,
        key="nomor_sk",
        nip=("nip",),
        dates=DATES,
        codes={"tingkat": list(SANCTIONS)},
        code_checks=((("tingkat", "jenis"), _sanction_of_its_level),),
        optional=("nama", "alasan"),  # the name comes from SIASN; the reason is documented, read by no model
    )


def entity() -> SourceEntity:
    return SourceEntity(
        source="discipline",
        entity="hukuman",
        landing_subdir="discipline",
        file_pattern="*.csv",
        file_format=DelimitedFormat(delimiter=";", encodings=("utf-8",), header_case_insensitive=False),
        contract=build_discipline_contract(),
        normalise=tidy,
    )
