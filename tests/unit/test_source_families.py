"""`pembina ingest FAMILY [PATH...]`: which sources a family name and its paths resolve to."""

from pathlib import Path

import pytest

from pembina.ingest.pipeline import sources_for


def test_a_source_id_is_itself():
    assert sources_for("training_lan_ri", None) == [("training_lan_ri", None)]


def test_a_family_without_paths_is_each_of_its_sources():
    assert [source for source, _ in sources_for("training", None)] == [
        "training_bpsdm_papua_barat",
        "training_elearning_asn",
        "training_lan_ri",
    ]


def test_paths_go_to_the_source_whose_pattern_and_folder_match():
    unipa = Path("/landing/university/unipa/peserta_program_asn_2024.csv")
    stih = Path("/landing/university/stih_manokwari/rekap_mahasiswa_asn_2024.csv")
    umpb = Path("/elsewhere/laporan_peserta_asn_2024.json")
    assert sources_for("university", [unipa, stih, umpb]) == [
        ("university_stih_manokwari", [stih]),
        ("university_umpb", [umpb]),
        ("university_unipa", [unipa]),
    ]


def test_an_ekinerja_file_feeds_both_of_its_tables():
    path = Path("/tmp/skp_2024.json")
    assert sources_for("ekinerja", [path]) == [("ekinerja", [path]), ("ekinerja_organisation", [path])]


def test_an_ambiguous_path_asks_for_the_source():
    with pytest.raises(ValueError, match="name the source instead"):
        sources_for("university", [Path("/tmp/peserta.csv")])


def test_an_unknown_name_lists_what_is_known():
    with pytest.raises(KeyError, match="training_lan_ri"):
        sources_for("pelatihan", None)
