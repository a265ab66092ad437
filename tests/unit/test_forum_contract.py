"""Every Forum Konsultasi Publik contract rule, each with a row (under the spreadsheet's Indonesian labels)
that breaks it and only it."""

import pytest
from contract_helpers import broken_rules, finalised

from pembina.sources import forum


@pytest.fixture(scope="module")
def sessions():
    return forum.session_entity()


@pytest.fixture(scope="module")
def inputs():
    return forum.input_entity()


def session_row() -> dict[str, str | None]:
    return {
        "Kode Forum": "FKP-DUKCAPIL-2025S1-01",
        "Perangkat Daerah": "OPD-DUKCAPIL",
        "Tanggal Forum": "12/03/2025",
        "Distrik": "Manokwari Barat",
        "Topik": "Evaluasi standar pelayanan",
        "Peserta Masyarakat Umum": "30",
        "Peserta Tokoh Adat dan Agama": "4",
        "Peserta Kelompok Rentan": "3",
        "Peserta Dunia Usaha": "2",
        "NIP Fasilitator": "198503122010011003",
        "Nama Fasilitator": "YOHANES MANDACAN",
    }


def input_row() -> dict[str, str | None]:
    return {
        "Kode Forum": "FKP-DUKCAPIL-2025S1-01",
        "No": "1",
        "Kategori": "Waktu Pelayanan",
        "Uraian Masukan": "Mohon jam layanan diperpanjang",
        "Unit Layanan": "UL-DUKCAPIL-KTP",
        "Rencana Tindak Lanjut": "Perbaikan standar pelayanan",
        "Target Tindak Lanjut": "30/04/2025",
        "Tanggal Tindak Lanjut": "20/04/2025",
        "Status": "Selesai",
    }


def test_consistent_rows_pass_and_dates_are_written_iso(sessions, inputs):
    assert broken_rules(sessions, session_row()) == []
    assert broken_rules(inputs, input_row()) == []
    assert finalised(sessions, session_row())["tanggal_forum"] == "2025-03-12"
    assert finalised(inputs, input_row())["tanggal_tindak_lanjut"] == "2025-04-20"


def test_an_open_input_has_no_follow_up_date_and_one_in_progress_may(inputs):
    assert broken_rules(inputs, input_row() | {"Status": "Belum Ditindaklanjuti", "Tanggal Tindak Lanjut": None}) == []
    assert broken_rules(inputs, input_row() | {"Status": "Dalam Proses"}) == []


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"Kode Forum": None}, "missing_required"),
        ({"Peserta Kelompok Rentan": ""}, "missing_required"),
        ({"NIP Fasilitator": "19850312201001100"}, "nip_format"),
        ({"Tanggal Forum": "31/04/2025"}, "invalid_date"),
        ({"Distrik": "Manokwari Tengah"}, "unknown_code"),
        ({"Perangkat Daerah": "OPD-TIDAK-ADA"}, "unknown_code"),
        ({"Peserta Masyarakat Umum": "-3"}, "out_of_range"),
        ({"Peserta Dunia Usaha": "dua"}, "out_of_range"),
    ],
)
def test_each_session_rule_catches_its_defect_and_nothing_else(sessions, changes, rule):
    assert broken_rules(sessions, session_row() | changes) == [rule]


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"Uraian Masukan": None}, "missing_required"),
        ({"Target Tindak Lanjut": "2025-04-30"}, "invalid_date"),
        ({"No": "1a"}, "invalid_number"),
        ({"Kategori": "Parkir"}, "unknown_code"),
        ({"Unit Layanan": "UL-TIDAK-ADA"}, "unknown_code"),
        ({"Status": "Ditolak"}, "unknown_code"),
        ({"Tanggal Tindak Lanjut": None}, "follow_up_status_mismatch"),
        ({"Status": "Belum Ditindaklanjuti"}, "follow_up_status_mismatch"),
    ],
)
def test_each_input_rule_catches_its_defect_and_nothing_else(inputs, changes, rule):
    assert broken_rules(inputs, input_row() | changes) == [rule]


def test_the_header_is_matched_in_any_case_and_spacing_and_names_what_is_missing(sessions):
    from pembina.sources.base import FileRejected

    header = [label.upper().replace(" ", "  ") for label in forum.SESSION_LABELS if label != "Nama Fasilitator"]
    assert sessions.check_header(header, None) == ["nama_fasilitator"]
    with pytest.raises(FileRejected, match="missing columns: Distrik; unexpected columns: Kecamatan"):
        sessions.check_header([("Kecamatan" if name == "DISTRIK" else name) for name in header], None)
