"""Every contract rule of every university's mapping, each with a row (as the university sends it) that
breaks it and only it; and what the mapping makes of a good row."""

import pytest
from contract_helpers import broken_rules, finalised

from pembina.sources import get_entity

UNIPA = {
    "nip": "198503122010011003",
    "nama": "Yohanes Mandacan",
    "program": "Magister Ilmu Lingkungan",
    "jenis_program": "tugas belajar",
    "jenjang": "S-2",
    "tanggal_mulai": "2024-08-21",
    "tanggal_selesai": "2026-08-01",
    "status": "aktif",
    "sks": "27",
    "ipk": "3.41",
}
UMPB = {
    "nip": "198503122010011003",
    "nama": "Yohanes Mandacan",
    "program.nama": "Magister Administrasi Publik",
    "program.jenis": "tugas belajar",
    "program.jenjang": "S-2",
    "periode.mulai": "01-09-2024",
    "periode.selesai": "01-08-2026",
    "status": "aktif",
    "nilai.sks": "18",
    "nilai.huruf": None,
}
STIH = {
    "NIP": "198503122010011003",
    "Nama": "YOHANES MANDACAN",
    "Program": "S-1 Ilmu Hukum",
    "Jenis Program": "Izin Belajar",
    "Tanggal Mulai": "01/09/2023",
    "Tanggal Selesai": "01/08/2027",
    "Status": "Aktif",
    "SKS": "84",
    "IPK": "3,28",
    "Nilai Akhir": "87,5",
}
VALID = {"university_unipa": UNIPA, "university_umpb": UMPB, "university_stih_manokwari": STIH}

CASES = [
    ("university_unipa", {"nip": None}, "missing_required"),
    ("university_unipa", {"status": ""}, "missing_required"),
    ("university_unipa", {"nip": "1985031220100110"}, "nip_format"),
    ("university_unipa", {"tanggal_mulai": "2024-09-31"}, "invalid_date"),
    ("university_unipa", {"status": "cuti akademik"}, "unknown_code"),
    ("university_unipa", {"jenis_program": "Tugas Belajar"}, "unknown_code"),
    ("university_unipa", {"ipk": "4.35"}, "out_of_range"),
    ("university_unipa", {"ipk": "3,41"}, "out_of_range"),
    ("university_umpb", {"nip": None}, "missing_required"),
    ("university_umpb", {"nip": "19850312201001100X"}, "nip_format"),
    ("university_umpb", {"periode.selesai": "31-06-2026"}, "invalid_date"),
    ("university_umpb", {"program.jenis": "pelatihan"}, "unknown_code"),
    ("university_umpb", {"status": "skorsing"}, "unknown_code"),
    ("university_umpb", {"nilai.sks": "400"}, "out_of_range"),
    ("university_umpb", {"nilai.sks": "-2"}, "out_of_range"),
    ("university_stih_manokwari", {"Program": None}, "missing_required"),
    ("university_stih_manokwari", {"NIP": "1985O3122010011003"}, "nip_format"),
    ("university_stih_manokwari", {"Tanggal Selesai": "31/11/2027"}, "invalid_date"),
    ("university_stih_manokwari", {"Status": "Cuti Akademik"}, "unknown_code"),
    ("university_stih_manokwari", {"Nilai Akhir": "105,0"}, "out_of_range"),
    ("university_stih_manokwari", {"Nilai Akhir": "-5,0"}, "out_of_range"),
]


@pytest.mark.parametrize("university", sorted(VALID))
def test_a_consistent_row_passes(university):
    assert broken_rules(get_entity(university), VALID[university]) == []


@pytest.mark.parametrize(("university", "changes", "rule"), CASES)
def test_each_rule_catches_its_defect_and_nothing_else(university, changes, rule):
    assert broken_rules(get_entity(university), VALID[university] | changes) == [rule]


def test_every_rule_of_every_university_has_a_case():
    for university in VALID:
        declared = set(get_entity(university).contract.rule_ids()) - {"duplicate_key"}  # tested on files
        assert declared == {rule for name, _, rule in CASES if name == university}, university


def test_rows_become_canonical():
    unipa = finalised(get_entity("university_unipa"), UNIPA)
    umpb = finalised(get_entity("university_umpb"), UMPB)
    stih = finalised(get_entity("university_stih_manokwari"), STIH)
    assert (unipa["program_type"], unipa["status"], unipa["gpa"]) == ("tugas_belajar", "active", "3.41")
    assert (umpb["start_date"], umpb["end_date"], umpb["credits"]) == ("2024-09-01", "2026-08-01", "18")
    assert (stih["program_type"], stih["start_date"]) == ("izin_belajar", "2023-09-01")
    assert (stih["gpa"], stih["final_score"]) == ("3.28", "87.5")
