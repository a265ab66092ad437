"""Every competency-assessment contract rule, each with a row that breaks it and only it."""

import pytest
from contract_helpers import broken_rules

from pembina.sources import assessment


@pytest.fixture(scope="module")
def entity():
    return assessment.entity()


def valid_row() -> dict[str, str | None]:
    return {
        "id_asesmen": "ASM-2024-00017",
        "nip": "198503122010011003",
        "tanggal_asesmen": "2024-03-14",
        "metode": "Assessment Center",
        "asesor": "Tim Asesor Kantor Regional IX BKN Jayapura",
        "kelompok": "manajerial",
        "kompetensi": "Orientasi pada Hasil",
        "level_standar": "3",
        "level_hasil": "2",
    }


def test_a_consistent_row_passes(entity):
    assert broken_rules(entity, valid_row()) == []


def test_teknis_competencies_are_free_text(entity):
    assert broken_rules(entity, valid_row() | {"kelompok": "teknis", "kompetensi": "Audit Kinerja"}) == []


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"id_asesmen": None}, "missing_required"),
        ({"level_hasil": ""}, "missing_required"),
        ({"nip": "1985031220100110031"}, "nip_format"),
        ({"tanggal_asesmen": "2024-04-31"}, "invalid_date"),
        ({"kelompok": "kepemimpinan"}, "unknown_code"),
        ({"kompetensi": "Kepemimpinan"}, "unknown_code"),
        ({"kelompok": "sosial kultural", "kompetensi": "Integritas"}, "unknown_code"),
        ({"level_hasil": "0"}, "out_of_range"),
        ({"level_standar": "6"}, "out_of_range"),
        ({"level_hasil": "2.5"}, "out_of_range"),
        ({"level_hasil": "dua"}, "out_of_range"),
    ],
)
def test_each_rule_catches_its_defect_and_nothing_else(entity, changes, rule):
    assert broken_rules(entity, valid_row() | changes) == [rule]


def test_the_key_is_event_and_competency(entity):
    assert entity.contract.key_columns == ("id_asesmen", "kompetensi")
