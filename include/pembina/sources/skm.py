"""Survei Kepuasan Masyarakat (docs/sources.md, PermenPAN-RB 14/2017): one CSV per service unit's survey form,
as the form tool exports it, one row per respondent. The headers are the form's questions; the nine answers
U1..U9 come as 1-4 or as the element's words, which are rewritten to 1-4 before the contract judges them. A
phone number or e-mail some forms ask for is loaded into raw and read by no model."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pembina.contracts import checks
from pembina.contracts.contract import Rows, Rule
from pembina.contracts.spec import build_contract
from pembina.ingest.files import check_columns
from pembina.sources.base import CodeList, DelimitedFormat, SourceEntity
from pembina.sources.reference import seed_rows, seed_values

ELEMENTS = tuple(f"u{number}" for number in range(1, 10))
COLUMNS = (
    "waktu_isi", "unit_layanan", "jenis_layanan", "usia", "jenis_kelamin", "pendidikan", "pekerjaan", *ELEMENTS,
    "saran", "no_hp", "email",
)  # fmt: skip
REQUIRED = ("waktu_isi", "unit_layanan", *ELEMENTS)
OPTIONAL = ("jenis_layanan", "usia", "jenis_kelamin", "pendidikan", "pekerjaan", "saran", "no_hp", "email")
ANSWERS = ["1", "2", "3", "4"]
GENDERS = ("L", "P")
GENDER_WORDS = (("Laki-laki", "L"), ("Laki laki", "L"), ("Pria", "L"), ("Perempuan", "P"), ("Wanita", "P"))
# The form's questions as headers (lower case): each names one column. An element's column is any header
# starting with its code ("U1. Kesesuaian persyaratan ...").
HEADERS = {
    "timestamp": "waktu_isi", "cap waktu": "waktu_isi", "tanggal pengisian": "waktu_isi",
    "unit layanan": "unit_layanan", "unit pelayanan": "unit_layanan",
    "jenis layanan": "jenis_layanan", "jenis pelayanan": "jenis_layanan",
    "usia": "usia", "umur": "usia", "jenis kelamin": "jenis_kelamin",
    "pendidikan": "pendidikan", "pendidikan terakhir": "pendidikan",
    "pekerjaan": "pekerjaan", "pekerjaan utama": "pekerjaan",
    "saran": "saran", "saran dan masukan": "saran", "kritik dan saran": "saran",
    "no. hp": "no_hp", "no hp": "no_hp", "nomor hp": "no_hp", "nomor hp/wa": "no_hp", "no. hp/wa": "no_hp",
    "nomor telepon": "no_hp", "email": "email", "e-mail": "email", "alamat email": "email",
}  # fmt: skip
_ELEMENT_HEADER = re.compile(r"^u\s*([1-9])(?![0-9])")
# dd/mm/yyyy hh:mm:ss as the form tool writes it (the hour may have one digit)
_TIME_TAIL = r"^ ([01]?\d|2[0-3]):[0-5]\d:[0-5]\d$"


def canonical_header(name: str) -> str:
    """A header of the form (lower case) -> its contract column; a header it does not know stays as it is."""
    name = " ".join(name.split())
    element = _ELEMENT_HEADER.match(name)
    if element:
        return f"u{element.group(1)}"
    return HEADERS.get(name, name)


def check_header(header: list[str], path: Path) -> list[str]:
    return check_columns([canonical_header(name) for name in header], COLUMNS, OPTIONAL)


def transform(table: pa.Table) -> pa.Table:
    renamed = table.rename_columns([canonical_header(name) for name in table.column_names])
    columns = [checks.tidy_text(renamed[name]) for name in COLUMNS]
    return pa.Table.from_arrays(columns, names=list(COLUMNS))


def _submitted_at_ok(rows: Rows) -> np.ndarray:
    values = rows["waktu_isi"]
    day = checks.Dates.of(pc.utf8_slice_codeunits(values, 0, 10), "%d/%m/%Y")
    tail = pc.match_substring_regex(pc.utf8_slice_codeunits(values, 10, 32), _TIME_TAIL)
    return checks.ok_where_absent(checks.present(values), day.real & pc.fill_null(tail, False).to_numpy())


def _answers_ok(rows: Rows) -> np.ndarray:
    verdict = np.ones(rows.num_rows, dtype=bool)
    for element in ELEMENTS:
        verdict &= checks.in_set(rows[element], ANSWERS)
    return verdict


@cache
def answer_words() -> dict[str, tuple[tuple[str, str], ...]]:
    """Element column (u1..u9) -> (the questionnaire's word for an answer, 1-4), from ref_skm_element."""
    return {
        row["element_code"].lower(): tuple((row[f"answer_{value}"], str(value)) for value in range(1, 5))
        for row in seed_rows("ref_skm_element")
    }


def service_unit_names() -> tuple[tuple[str, str], ...]:
    """(unit name, unit code) of ref_service_unit: a form may name its unit rather than give its code."""
    return tuple((row["service_unit_name"], row["service_unit_code"]) for row in seed_rows("ref_service_unit"))


def build_skm_contract():
    return build_contract(
        entity="skm_responden",
        columns=COLUMNS,
        required=REQUIRED,
        key=("waktu_isi", "unit_layanan"),  # the same second on the same unit's form: a double submission
        codes={"unit_layanan": seed_values("ref_service_unit", "service_unit_code"), "jenis_kelamin": list(GENDERS)},
        extra_rules=(
            Rule(
                "invalid_date",
                "the submission time is not a real date and time written as dd/mm/yyyy hh:mm:ss",
                ("waktu_isi",),
                _submitted_at_ok,
            ),
            Rule(
                "invalid_answer",
                "an answer U1..U9 is neither 1-4 nor one of its element's four answers (PermenPAN-RB 14/2017)",
                ELEMENTS,
                _answers_ok,
            ),
        ),
        optional=OPTIONAL,
    )


def entity() -> SourceEntity:
    words = answer_words()
    return SourceEntity(
        source="skm",
        entity="responden",
        landing_subdir="skm",
        file_pattern="*.csv",
        file_format=DelimitedFormat(delimiter=",", encodings=("utf-8",), header_case_insensitive=True),
        contract=build_skm_contract(),
        transform=transform,
        check_header=check_header,
        code_lists=(
            CodeList(
                "unit_layanan",
                "service_unit",
                tuple(seed_values("ref_service_unit", "service_unit_code")),
                service_unit_names(),
            ),
            CodeList("jenis_kelamin", "gender", GENDERS, GENDER_WORDS),
            *(CodeList(element, f"skm_answer_{element}", tuple(ANSWERS), words[element]) for element in ELEMENTS),
        ),
        description="Survei Kepuasan Masyarakat: one service unit's survey form export",
    )
