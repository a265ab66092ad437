"""Every inovasi daerah register contract rule, each with a row that breaks it and only it."""

from pathlib import Path

import pytest
from contract_helpers import broken_rules, finalised

from pembina.sources import inovasi
from pembina.sources.base import FileRejected

NIP_KETUA, NIP_ANGGOTA = "198503122010011003", "199001012015022001"


@pytest.fixture(scope="module", params=["csv", "xlsx"])
def entity(request):
    return inovasi.csv_entity() if request.param == "csv" else inovasi.xlsx_entity()


def valid_row() -> dict[str, str | None]:
    return {
        "Kode Inovasi": "INO-2024-001",
        "Nama Inovasi": "Antrian Daring KTP-el",
        "Perangkat Daerah": "OPD-DUKCAPIL",
        "Bentuk Inovasi": "Inovasi Pelayanan Publik",
        "Inisiator": "ASN",
        "Tahapan": "Penerapan",
        "Tanggal Inisiatif": "15/01/2024",
        "Tanggal Uji Coba": "01/04/2024",
        "Tanggal Penerapan": "01/07/2024",
        "Tim Inovasi (NIP:Peran)": f"{NIP_KETUA}:Ketua; {NIP_ANGGOTA} : Anggota",
        "Forum Konsultasi": "FKP-DUKCAPIL-2024S1-01",
        "Unit Layanan": "UL-DUKCAPIL-KTP; UL-DUKCAPIL-AKTA",
    }


def test_a_consistent_row_passes(entity):
    assert broken_rules(entity, valid_row()) == []
    assert finalised(entity, valid_row())["tanggal_penerapan"] == "2024-07-01"


def test_an_innovation_still_at_its_first_stage_has_only_its_first_date(entity):
    row = valid_row() | {"Tahapan": "Inisiatif", "Tanggal Uji Coba": None, "Tanggal Penerapan": None}
    assert broken_rules(entity, row | {"Unit Layanan": None, "Forum Konsultasi": None}) == []


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"Tim Inovasi (NIP:Peran)": None}, "missing_required"),
        ({"Tanggal Uji Coba": "31/06/2024"}, "invalid_date"),
        ({"Bentuk Inovasi": "Inovasi Digital"}, "unknown_code"),
        ({"Unit Layanan": "UL-DUKCAPIL-KTP; UL-TIDAK-ADA"}, "unknown_code"),
        ({"Tim Inovasi (NIP:Peran)": f"{NIP_KETUA}:Koordinator"}, "team_format"),
        ({"Tim Inovasi (NIP:Peran)": f"{NIP_KETUA[:-1]}:Ketua"}, "team_format"),
        ({"Tim Inovasi (NIP:Peran)": f"{NIP_KETUA}:Ketua; {NIP_KETUA}:Anggota"}, "team_format"),
        ({"Tanggal Penerapan": "01/03/2024"}, "stage_dates_inconsistent"),
        ({"Tanggal Uji Coba": None}, "stage_dates_inconsistent"),
        ({"Tahapan": "Uji Coba"}, "stage_dates_inconsistent"),
    ],
)
def test_each_rule_catches_its_defect_and_nothing_else(entity, changes, rule):
    assert broken_rules(entity, valid_row() | changes) == [rule]


def test_the_register_date_comes_from_the_file_name():
    assert str(inovasi.register_date(Path("register_inovasi_2025.csv"))) == "2025-12-31"
    with pytest.raises(FileRejected, match="must carry its year"):
        inovasi.register_date(Path("register_inovasi.csv"))
