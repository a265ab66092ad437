"""Every SIASN contract rule, each with a row that breaks it and only it."""

import pyarrow as pa
import pytest

from pembina.contracts.contract import evaluate
from pembina.sources import siasn
from pembina.sources.reference import seed_values


@pytest.fixture(scope="module")
def contract():
    return siasn.build_contract()


def valid_row() -> dict[str, str | None]:
    row: dict[str, str | None] = dict.fromkeys(siasn.COLUMNS)
    row.update(
        nip_baru="'198503122010011003",
        nama="YOHANES MANDACAN",
        tanggal_lahir="12-03-1985",
        jenis_kelamin="M",
        nik="'9202011203850001",
        jenis_pegawai_nama="PNS",
        kedudukan_hukum_id="01",
        tmt_cpns="01-01-2010",
        tmt_pns="01-01-2011",
        tmt_golongan="01-04-2018",
        tmt_jabatan="01-02-2020",
        unor_id=seed_values("ref_opd", "opd_code")[0],
    )
    return row


def verdict(contract, **changes) -> list[str]:
    """The ids of the rules the row breaks."""
    row = valid_row() | changes
    table = siasn.normalise(pa.Table.from_pylist([row], schema=pa.schema([(c, pa.string()) for c in siasn.COLUMNS])))
    result = evaluate(contract, table)
    return [rule.rule_id for rule, hit in zip(result.rules, result.broken[0], strict=True) if hit]


def test_a_consistent_row_passes(contract):
    assert verdict(contract) == []


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"nama": ""}, "missing_required"),
        ({"unor_id": None}, "missing_required"),
        ({"nip_baru": "19850312201001100"}, "nip_format"),
        ({"nip_baru": "1985031220100110AB"}, "nip_format"),
        ({"tmt_jabatan": "31-02-2020"}, "invalid_date"),
        ({"mk_tahun": "15 th"}, "invalid_number"),
        ({"tahun_lulus": "2008.0"}, "invalid_number"),
        ({"jenis_kelamin": "L"}, "unknown_code"),
        ({"kedudukan_hukum_id": "42"}, "unknown_code"),
        ({"jenis_pegawai_nama": "Honorer"}, "unknown_code"),
        ({"unor_id": "OPD-TIDAK-ADA"}, "unknown_opd"),
        ({"nip_baru": "198503132010011003"}, "nip_birth_date_mismatch"),
        ({"nip_baru": "198503122010012003"}, "nip_gender_mismatch"),
        ({"nip_baru": "198503122011011003"}, "nip_tmt_cpns_mismatch"),
        ({"nik": "920201120385001"}, "nik_format"),
        ({"nik": "9202011303850001"}, "nik_birth_date_mismatch"),
    ],
)
def test_each_rule_catches_its_defect_and_nothing_else(contract, changes, rule):
    assert verdict(contract, **changes) == [rule]


def test_pppk_numbers_are_not_checked_against_tmt_cpns(contract):
    assert verdict(contract, jenis_pegawai_nama="PPPK", nip_baru="198503122021121003") == []


def test_a_woman_has_forty_added_to_her_nik_day(contract):
    woman = {"jenis_kelamin": "F", "nip_baru": "198503122010012003"}
    assert verdict(contract, **woman, nik="9202015203850001") == []
    assert verdict(contract, **woman) == ["nik_birth_date_mismatch"]


def test_apostrophes_and_blank_values_are_normalised():
    table = pa.Table.from_pylist([{"nip_baru": " '1985 ", "nama": "  "}])
    assert siasn.normalise(table).to_pylist() == [{"nip_baru": "1985", "nama": None}]
