"""Every e-Kinerja contract rule, each with a row that breaks it and only it."""

import pytest
from contract_helpers import broken_rules

from pembina.sources import ekinerja


@pytest.fixture(scope="module")
def skp():
    return ekinerja.entity()


def valid_row() -> dict[str, str | None]:
    return {
        "nip": "198503122010011003",
        "nama": "YOHANES MANDACAN",
        "tahun": "2024",
        "periode": "TAHUNAN",
        "tanggal_mulai": "2024-01-01",
        "tanggal_selesai": "2024-12-31",
        "hasil_kerja": "sesuai ekspektasi",
        "perilaku_kerja": "di atas ekspektasi",
        "predikat": "Baik",
        "nip_penilai": None,
        "unor_id": "OPD-RSUD",
    }


def test_a_consistent_row_passes(skp):
    assert broken_rules(skp, valid_row()) == []


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"nip": None}, "missing_required"),
        ({"periode": " "}, "missing_required"),
        ({"nip": "19850312201001100"}, "nip_format"),
        ({"nip": "1985031220100110O3"}, "nip_format"),
        ({"tanggal_mulai": "2024-02-30"}, "invalid_date"),
        ({"tanggal_selesai": "31-12-2024"}, "invalid_date"),
        ({"tahun": "2024.5"}, "invalid_number"),
        ({"periode": "SEMESTER1"}, "unknown_code"),
        ({"hasil_kerja": "diatas ekspektasi"}, "unknown_code"),
        ({"perilaku_kerja": "baik"}, "unknown_code"),
        ({"predikat": "Istimewa"}, "unknown_code"),
    ],
)
def test_each_rule_catches_its_defect_and_nothing_else(skp, changes, rule):
    assert broken_rules(skp, valid_row() | changes) == [rule]


def test_a_predikat_that_disagrees_with_the_matrix_is_not_a_contract_rule(skp):
    assert broken_rules(skp, valid_row() | {"predikat": "Sangat Kurang"}) == []


def test_the_key_is_nip_year_and_period(skp):
    assert skp.contract.key_columns == ("nip", "tahun", "periode")
    assert "duplicate_key" in skp.contract.rule_ids()


def test_organisation_predikat_rules():
    entity = ekinerja.organisation_entity()
    row = {"unor_id": "OPD-RSUD", "unor_nama": "RSUD", "tahun": "2024", "predikat": "Istimewa"}
    assert broken_rules(entity, row) == []
    assert broken_rules(entity, row | {"predikat": "Sangat Baik"}) == ["unknown_code"]
    assert broken_rules(entity, row | {"unor_id": None}) == ["missing_required"]
