"""Every discipline contract rule, each with a row that breaks it and only it."""

import pytest
from contract_helpers import broken_rules

from pembina.sources import discipline


@pytest.fixture(scope="module")
def entity():
    return discipline.entity()


def valid_row() -> dict[str, str | None]:
    return {
        "nip": "198503122010011003",
        "nama": "YOHANES MANDACAN",
        "nomor_sk": "800.1.6.4/017/BKPSDM/2024",
        "tanggal_sk": "19/01/2024",
        "tingkat": "sedang",
        "jenis": "Pemotongan tunjangan kinerja 25% selama 6 bulan",
        "tmt_mulai": "30/01/2024",
        "tmt_selesai": "29/07/2024",
        "alasan": "Tidak mencapai target kinerja",
    }


def test_a_consistent_row_passes(entity):
    assert broken_rules(entity, valid_row()) == []


def test_a_warning_has_no_end(entity):
    row = valid_row() | {"tingkat": "ringan", "jenis": "Teguran lisan", "tmt_selesai": None}
    assert broken_rules(entity, row) == []


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"nomor_sk": None}, "missing_required"),
        ({"tmt_mulai": ""}, "missing_required"),
        ({"nip": "19850312201001100"}, "nip_format"),
        ({"tanggal_sk": "30/02/2024"}, "invalid_date"),
        ({"tmt_selesai": "2024-07-29"}, "invalid_date"),
        ({"tingkat": "sangat berat"}, "unknown_code"),
        ({"jenis": "Teguran lisan"}, "unknown_code"),
        ({"jenis": "Kerja bakti"}, "unknown_code"),
    ],
)
def test_each_rule_catches_its_defect_and_nothing_else(entity, changes, rule):
    assert broken_rules(entity, valid_row() | changes) == [rule]
