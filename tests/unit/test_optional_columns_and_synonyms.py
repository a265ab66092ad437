"""Optional columns in a header, a first line that is data, mapping files' ``optional:``, and the matching of
coded values to their canonical codes (case- and whitespace-insensitive, through the synonyms)."""

import pyarrow as pa
import pytest
import yaml

from pembina.contracts import checks
from pembina.contracts.contract import Contract
from pembina.ingest.files import check_columns
from pembina.sources import get_entity
from pembina.sources.base import NO_HEADER, CodeList, FileRejected
from pembina.sources.mapped import MAPPINGS_DIR, TRAINING, MappingError, entity_from_mapping, load_family

EMPLOYEE_TYPES = CodeList(
    "jenis_pegawai_nama",
    "jenis_pegawai",
    ("PNS", "CPNS", "PPPK", "PPPK Paruh Waktu"),
    (("PNS Daerah", "PNS"), ("CPNS Daerah", "CPNS"), ("PNS Pusat DPK", "PNS"), ("P3K", "PPPK")),
)


def test_synonyms_and_spellings_map_to_the_canonical_code_and_are_marked():
    values = pa.array(
        ["PNS", "PNS Daerah", " pns  daerah ", "CPNS DAERAH", "PNS\tPusat  DPK", "pppk paruh waktu", None, "p3k"]
    )
    canonical, rewritten = checks.canonical_codes(values, EMPLOYEE_TYPES.lookup())
    assert canonical.to_pylist() == ["PNS", "PNS", "PNS", "CPNS", "PNS", "PPPK Paruh Waktu", None, "PPPK"]
    assert rewritten.tolist() == [False, True, True, True, True, True, False, True]


def test_an_unknown_value_stays_as_sent():
    values = pa.chunked_array([["Honorer", "PNS Daerahh"], ["PNS", None]])
    canonical, rewritten = checks.canonical_codes(values, EMPLOYEE_TYPES.lookup())
    assert canonical.to_pylist() == ["Honorer", "PNS Daerahh", "PNS", None]
    assert not rewritten.any()


def test_a_clean_column_is_returned_unchanged():
    values = pa.array(["PNS", "CPNS", None] * 1000)
    canonical, rewritten = checks.canonical_codes(values, EMPLOYEE_TYPES.lookup())
    assert canonical is values or canonical.equals(values)
    assert rewritten.shape == (3000,) and not rewritten.any()


@pytest.mark.parametrize(
    ("synonyms", "problem"),
    [
        ((("PNS Daerah", "ASN"),), "names 'ASN', not one of its codes"),
        ((("pns", "CPNS"),), "would stand for two codes"),
        ((("P3K", "PPPK"), ("p3k ", "PNS")), "would stand for two codes"),
    ],
)
def test_a_synonym_outside_its_list_or_ambiguous_is_refused(synonyms, problem):
    with pytest.raises(ValueError, match=problem):
        CodeList("jenis_pegawai_nama", "jenis_pegawai", ("PNS", "CPNS", "PPPK"), synonyms).lookup()


def test_the_siasn_code_lists_read_the_seed():
    lists = {code_list.name: code_list for code_list in get_entity("siasn").code_lists}
    assert set(lists) == {"jenis_kelamin", "jenis_pegawai", "kedudukan_hukum", "kedudukan_hukum_nama"}
    assert lists["jenis_pegawai"].lookup()[checks.fold_code("PNS Pusat DPK")] == "PNS"
    assert lists["kedudukan_hukum_nama"].lookup()["aktif"] == "Aktif"


COLUMNS = ("nip", "nama", "email", "unor_id")


def test_optional_columns_may_be_absent_and_are_returned():
    assert check_columns(["nip", "unor_id", "nama"], COLUMNS, ("email",)) == ["email"]
    assert check_columns(list(COLUMNS), COLUMNS, ("email",)) == []


def test_a_missing_required_column_is_named():
    with pytest.raises(FileRejected, match=r"^missing columns: unor_id$"):
        check_columns(["nip", "nama"], COLUMNS, ("email",))


def test_a_first_line_naming_no_column_is_no_header_and_is_not_echoed():
    record = ["198503122010011003", "Yohana Mandacan", "yohana@example.id", "OPD-BKPSDM"]
    with pytest.raises(FileRejected) as error:
        check_columns(record, COLUMNS, ("email",))
    assert str(error.value) == NO_HEADER
    assert not any(value in str(error.value) for value in record)


def test_a_contract_refuses_an_optional_key_or_required_column():
    with pytest.raises(ValueError, match="cannot be optional"):
        Contract("x", COLUMNS, required=("nama",), key="nip", optional=("nip",))
    with pytest.raises(ValueError, match="cannot be optional"):
        Contract("x", COLUMNS, required=("nama",), key="nip", optional=("nama",))


def _mapping(tmp_path, optional):
    folder = tmp_path / "training"
    folder.mkdir()
    document = yaml.safe_load((MAPPINGS_DIR / "training" / "lan_ri.yml").read_text(encoding="utf-8"))
    document["optional"] = optional
    (folder / "lan_ri.yml").write_text(yaml.safe_dump(document), encoding="utf-8")
    return load_family(TRAINING, tmp_path)


@pytest.mark.parametrize(
    ("optional", "problem"),
    [
        (["certificate_no"], "field optional.certificate_no: is not a mapped column"),
        (["nip"], "field optional.nip: a required, key or mandatory field cannot be optional"),
        (["program_name"], "field optional.program_name: a required, key or mandatory field cannot be optional"),
    ],
)
def test_a_mapping_cannot_make_an_unmapped_or_needed_field_optional(tmp_path, optional, problem):
    with pytest.raises(MappingError, match=problem):
        _mapping(tmp_path, optional)


def test_a_mapped_file_may_leave_out_its_optional_columns_only(tmp_path):
    [mapping] = _mapping(tmp_path, ["participant_name", "result_grade"]).values()
    entity = entity_from_mapping(mapping)
    header = list(
        dict.fromkeys(c for name, c in mapping.columns.items() if name not in ("participant_name", "result_grade"))
    )
    assert sorted(entity.check_header(header, tmp_path / "jp.csv")) == ["nama", "predikat_kelulusan"]
    with pytest.raises(FileRejected, match="field cohort expects column 'angkatan'"):
        entity.check_header([column for column in header if column != "angkatan"], tmp_path / "jp.csv")
    with pytest.raises(FileRejected, match=r"^the first line is not a header"):
        entity.check_header(["198503122010011003", "LATSAR"], tmp_path / "jp.csv")
