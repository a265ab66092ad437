"""Every SKM contract rule, each with a row that breaks it and only it; the form's headers and answers in words."""

from pathlib import Path

import pyarrow as pa
import pytest

from pembina.contracts import checks
from pembina.contracts.contract import evaluate
from pembina.sources import skm
from pembina.sources.base import FileRejected


@pytest.fixture(scope="module")
def entity():
    return skm.entity()


def valid_row() -> dict[str, str | None]:
    return {
        "waktu_isi": "15/01/2025 9:05:33",
        "unit_layanan": "UL-DUKCAPIL-KTP",
        "jenis_layanan": "Perekaman KTP-el",
        "usia": "20-29",
        "jenis_kelamin": "P",
        "pendidikan": "SMA",
        "pekerjaan": "Wiraswasta",
        **dict.fromkeys(skm.ELEMENTS, "3"),
        "saran": "Antrian lama",
        "no_hp": "081244556677",
        "email": None,
    }


def prepared(entity, row: dict[str, str | None]) -> pa.Table:
    """The row as the loader judges it: prepared, then its coded columns rewritten to canonical codes."""
    table = entity.prepare(pa.Table.from_pylist([row], schema=pa.schema([(name, pa.string()) for name in row])))
    for code_list in entity.code_lists:
        values, _ = checks.canonical_codes(table[code_list.column], code_list.lookup())
        table = table.set_column(table.column_names.index(code_list.column), code_list.column, values)
    return table


def broken(entity, row: dict[str, str | None]) -> list[str]:
    result = evaluate(entity.contract, prepared(entity, row))
    return [rule.rule_id for rule, hit in zip(result.rules, result.broken[0], strict=True) if hit]


def test_a_consistent_row_passes(entity):
    assert broken(entity, valid_row()) == []


def test_answers_in_words_the_unit_by_name_and_the_gender_in_words_become_codes(entity):
    row = valid_row() | {
        "unit_layanan": "pelayanan KTP-el dan  Kartu Keluarga",
        "jenis_kelamin": "Perempuan",
        "u1": "Sangat sesuai",
        "u4": "gratis",
        "u7": "Kurang sopan dan ramah",
        "u8": "Ada tetapi tidak berfungsi",
        "u9": "Buruk",
    }
    table = prepared(entity, row)
    assert broken(entity, row) == []
    values = table.to_pylist()[0]
    assert (values["unit_layanan"], values["jenis_kelamin"]) == ("UL-DUKCAPIL-KTP", "P")
    assert [values[element] for element in ("u1", "u4", "u7", "u8", "u9")] == ["4", "4", "2", "2", "1"]


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"waktu_isi": None}, "missing_required"),
        ({"u5": ""}, "missing_required"),
        ({"unit_layanan": "UL-DUKCAPIL-PASPOR"}, "unknown_code"),
        ({"jenis_kelamin": "X"}, "unknown_code"),
        ({"waktu_isi": "31/02/2025 10:00:00"}, "invalid_date"),
        ({"waktu_isi": "2025-01-15 10:00:00"}, "invalid_date"),
        ({"waktu_isi": "15/01/2025"}, "invalid_date"),
        ({"u1": "5"}, "invalid_answer"),
        ({"u9": "0"}, "invalid_answer"),
        ({"u3": "Sangat sesuai"}, "invalid_answer"),  # U1's word, not U3's
    ],
)
def test_each_rule_catches_its_defect_and_nothing_else(entity, changes, rule):
    assert broken(entity, valid_row() | changes) == [rule]


def test_the_forms_questions_name_the_columns_and_contacts_are_optional():
    header = [
        "Cap waktu", "Unit Layanan", "U1. Kesesuaian persyaratan", "U2 Kemudahan prosedur", "U3. Kecepatan",
        "U4. Biaya", "U5. Produk", "U6. Kompetensi", "U7. Perilaku", "U8. Pengaduan", "U9. Sarana",
        "Saran dan Masukan",
    ]  # fmt: skip
    absent = skm.check_header([name.lower() for name in header], Path("form.csv"))
    assert set(absent) == {"jenis_layanan", "usia", "jenis_kelamin", "pendidikan", "pekerjaan", "no_hp", "email"}


def test_a_question_the_contract_does_not_know_rejects_the_file():
    header = ["timestamp", "unit layanan", *(f"u{n}." for n in range(1, 10)), "nama responden"]
    with pytest.raises(FileRejected, match="unexpected columns: nama responden"):
        skm.check_header(header, Path("form.csv"))
