"""Every contract rule of every training vendor's mapping, each with a row (as the vendor sends it) that
breaks it and only it; and what the mapping makes of a good row."""

import pytest
from contract_helpers import broken_rules, finalised

from pembina.sources import get_entity

BPSDM = {
    "No": "17",
    "NIP": "198503122010011003",
    "Nama Peserta": "Yohanes Mandacan",
    "Unit Kerja": "Dinas Pendidikan",
    "Nama Diklat": "Diklat Teknis Pengadaan Barang/Jasa Pemerintah",
    "Jenis Diklat": "Teknis",
    "Tanggal Mulai": "01/02/2024",
    "Tanggal Selesai": "05/02/2024",
    "Jumlah Jam": "40",
    "Status Kelulusan": "Lulus",
}
LAN = {
    "nip": "198503122010011003",
    "nama": "YOHANES MANDACAN",
    "kode_program": "PKA",
    "nama_program": "Pelatihan Kepemimpinan Administrator",
    "angkatan": "Angkatan II",
    "tanggal_mulai": "2024-04-08",
    "tanggal_selesai": "2024-07-26",
    "durasi_jp": "520",
    "status_kelulusan": "LULUS",
    "predikat_kelulusan": "Memuaskan",
}
ELEARNING = {
    "nip": "198503122010011003",
    "course_id": "ASN-BLD-0004",
    "course_title": "Literasi Digital ASN",
    "enrolled_at": "2024-03-02T09:15:00+09:00",
    "completed_at": "2024-03-11T20:01:00+09:00",
    "duration_minutes": "300",
    "completed": "true",
    "score": "85",
}
VALID = {"training_bpsdm_papua_barat": BPSDM, "training_lan_ri": LAN, "training_elearning_asn": ELEARNING}

CASES = [
    ("training_bpsdm_papua_barat", {"NIP": None}, "missing_required"),
    ("training_bpsdm_papua_barat", {"Jenis Diklat": ""}, "missing_required"),
    ("training_bpsdm_papua_barat", {"NIP": "1985031220100110O3"}, "nip_format"),
    ("training_bpsdm_papua_barat", {"Tanggal Mulai": "30/02/2024"}, "invalid_date"),
    ("training_bpsdm_papua_barat", {"Tanggal Selesai": "2024-02-05"}, "invalid_date"),
    ("training_bpsdm_papua_barat", {"Jenis Diklat": "Studi Banding"}, "unknown_code"),
    ("training_bpsdm_papua_barat", {"Status Kelulusan": "Lulus Bersyarat"}, "unknown_code"),
    ("training_bpsdm_papua_barat", {"Jumlah Jam": "0"}, "out_of_range"),
    ("training_bpsdm_papua_barat", {"Jumlah Jam": "9999"}, "out_of_range"),
    ("training_bpsdm_papua_barat", {"Jumlah Jam": "-8"}, "out_of_range"),
    ("training_lan_ri", {"kode_program": None}, "missing_required"),
    ("training_lan_ri", {"nip": "19850312201001100"}, "nip_format"),
    ("training_lan_ri", {"tanggal_selesai": "2024-06-31"}, "invalid_date"),
    ("training_lan_ri", {"kode_program": "DIKLATPIM3"}, "unknown_code"),
    ("training_lan_ri", {"status_kelulusan": "Lulus"}, "unknown_code"),
    ("training_lan_ri", {"durasi_jp": "10000"}, "out_of_range"),
    ("training_lan_ri", {"durasi_jp": "40 JP"}, "out_of_range"),
    ("training_elearning_asn", {"nip": None}, "missing_required"),
    ("training_elearning_asn", {"completed": None}, "missing_required"),
    ("training_elearning_asn", {"nip": "198503122010011O03"}, "nip_format"),
    ("training_elearning_asn", {"enrolled_at": "2024-02-31T09:00:00+09:00"}, "invalid_date"),
    ("training_elearning_asn", {"completed_at": "2024-03-11 20:01"}, "invalid_date"),
    ("training_elearning_asn", {"completed": "yes"}, "unknown_code"),
    ("training_elearning_asn", {"duration_minutes": "100000"}, "out_of_range"),
    ("training_elearning_asn", {"duration_minutes": "0"}, "out_of_range"),
]


@pytest.mark.parametrize("vendor", sorted(VALID))
def test_a_consistent_row_passes(vendor):
    assert broken_rules(get_entity(vendor), VALID[vendor]) == []


@pytest.mark.parametrize(("vendor", "changes", "rule"), CASES)
def test_each_rule_catches_its_defect_and_nothing_else(vendor, changes, rule):
    assert broken_rules(get_entity(vendor), VALID[vendor] | changes) == [rule]


def test_every_rule_of_every_vendor_has_a_case():
    for vendor in VALID:
        declared = set(get_entity(vendor).contract.rule_ids()) - {"duplicate_key"}  # tested on files
        assert declared == {rule for name, _, rule in CASES if name == vendor}, vendor


def test_bpsdm_rows_become_canonical():
    row = finalised(get_entity("training_bpsdm_papua_barat"), BPSDM)
    assert row["start_date"] == "2024-02-01" and row["end_date"] == "2024-02-05"
    assert (row["duration_value"], row["duration_unit"]) == ("40", "jp")
    assert (row["program_type"], row["completion_status"]) == ("teknis", "passed")
    assert row["unit_name"] == "Dinas Pendidikan"


def test_lan_rows_become_canonical():
    row = finalised(get_entity("training_lan_ri"), LAN)
    assert (row["program_code"], row["program_type"], row["cohort"]) == ("PKA", "kepemimpinan", "Angkatan II")
    assert (row["duration_value"], row["duration_unit"], row["result_grade"]) == ("520", "jp", "Memuaskan")


def test_elearning_rows_become_canonical():
    row = finalised(get_entity("training_elearning_asn"), ELEARNING)
    assert (row["start_date"], row["end_date"]) == ("2024-03-02", "2024-03-11")
    assert row["started_at"] == "2024-03-02T09:15:00+09:00"
    assert (row["program_type"], row["completion_status"], row["duration_unit"]) == ("e_learning", "passed", "minutes")
    unfinished = finalised(
        get_entity("training_elearning_asn"), ELEARNING | {"completed": "false", "completed_at": None}
    )
    assert (unfinished["completion_status"], unfinished["end_date"]) == ("not_completed", None)


def test_the_vendor_is_a_constant_column_of_the_shared_table():
    entities = [get_entity(vendor) for vendor in VALID]
    assert {entity.raw_table for entity in entities} == {"raw.training_participation"}
    assert {entity.constants for entity in entities} == {
        (("_vendor", "bpsdm_papua_barat"),),
        (("_vendor", "lan_ri"),),
        (("_vendor", "elearning_asn"),),
    }
