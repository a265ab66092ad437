"""Competency assessments (docs/sources.md, PermenPAN-RB 38/2017): one CSV row per person x competency x
assessment event."""

from __future__ import annotations

import numpy as np

from pembina.contracts import checks
from pembina.contracts.contract import Rows
from pembina.contracts.spec import NumberRange, build_contract
from pembina.sources.base import DelimitedFormat, SourceEntity
from pembina.sources.common import tidy

COLUMNS = (
    "id_asesmen", "nip", "tanggal_asesmen", "metode", "asesor", "kelompok", "kompetensi", "level_standar",
    "level_hasil",
)  # fmt: skip
REQUIRED = ("id_asesmen", "nip", "tanggal_asesmen", "kelompok", "kompetensi", "level_standar", "level_hasil")
GROUPS = ["manajerial", "sosial kultural", "teknis"]
METHODS = ["Assessment Center", "CAT", "Wawancara"]
# domain.md §6; teknis competencies are free text from each agency's dictionary and are not checked
COMPETENCIES = {
    "manajerial": [
        "Integritas", "Kerjasama", "Komunikasi", "Orientasi pada Hasil", "Pelayanan Publik",
        "Pengembangan Diri dan Orang Lain", "Mengelola Perubahan", "Pengambilan Keputusan",
    ],
    "sosial kultural": ["Perekat Bangsa"],
}  # fmt: skip
LEVEL = NumberRange(1, 5)


def _competency_in_its_group(rows: Rows) -> np.ndarray:
    verdict = np.ones(rows.num_rows, dtype=bool)
    for group, names in COMPETENCIES.items():
        in_group = checks.equals(rows["kelompok"], group)
        verdict &= ~in_group | checks.in_set(rows["kompetensi"], names)
    return verdict


def build_assessment_contract():
    return build_contract(
        entity="assessment_kompetensi",
        columns=COLUMNS,
        required=REQUIRED,
        key=("id_asesmen", "kompetensi"),
        nip=("nip",),
        dates={"tanggal_asesmen": "%Y-%m-%d"},
        codes={"kelompok": GROUPS},  # metode is not a contract rule (docs/sources.md)
        code_checks=((("kelompok", "kompetensi"), _competency_in_its_group),),
        ranges={"level_standar": LEVEL, "level_hasil": LEVEL},
        optional=("asesor",),  # documented in staging, read by no model past it
    )


def entity() -> SourceEntity:
    return SourceEntity(
        source="assessment",
        entity="kompetensi",
        landing_subdir="assessment",
        file_pattern="*.csv",
        file_format=DelimitedFormat(delimiter=",", encodings=("utf-8",), header_case_insensitive=False),
        contract=build_assessment_contract(),
        normalise=tidy,
    )
