"""SIASN personnel exports (docs/sources.md): pipe-delimited full snapshots of the workforce."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pyarrow as pa

from pembina.contracts import checks
from pembina.contracts.contract import Contract, Rows, Rule
from pembina.sources.base import CodeList, DelimitedFormat, FileRejected, SourceEntity
from pembina.sources.reference import code_synonyms, seed_values

COLUMNS = (
    "pns_id", "nip_baru", "nip_lama", "nama", "gelar_depan", "gelar_belakang", "tempat_lahir_nama",
    "tanggal_lahir", "jenis_kelamin", "agama_nama", "jenis_kawin_nama", "nik", "nomor_hp", "email",
    "email_gov", "alamat", "npwp_nomor", "bpjs", "jenis_pegawai_nama", "kedudukan_hukum_id",
    "kedudukan_hukum_nama", "status_cpns_pns", "tmt_cpns", "tmt_pns", "gol_awal_nama", "gol_akhir_nama",
    "tmt_golongan", "mk_tahun", "mk_bulan", "jenis_jabatan_nama", "jabatan_nama", "tmt_jabatan",
    "tingkat_pendidikan_nama", "pendidikan_nama", "tahun_lulus", "unor_id", "unor_nama",
    "instansi_induk_nama", "instansi_kerja_nama", "satuan_kerja_kerja_nama", "lokasi_kerja_nama",
)  # fmt: skip
REQUIRED = ("nip_baru", "nama", "tanggal_lahir", "jenis_kelamin", "jenis_pegawai_nama", "unor_id")
# Columns an export may leave out (loaded as NULL): no model past staging, no identity or quality check reads
# them. The others are read by the history, the marts or the identity table, or checked by a rule.
OPTIONAL = (
    "pns_id", "nip_lama", "gelar_depan", "gelar_belakang", "tempat_lahir_nama", "agama_nama", "jenis_kawin_nama",
    "nik", "nomor_hp", "email", "email_gov", "alamat", "npwp_nomor", "bpjs", "status_cpns_pns", "tmt_pns",
    "gol_awal_nama", "mk_bulan", "tmt_jabatan", "pendidikan_nama", "tahun_lulus", "unor_nama",
    "instansi_induk_nama", "instansi_kerja_nama", "satuan_kerja_kerja_nama", "lokasi_kerja_nama",
)  # fmt: skip
DATE_COLUMNS = ("tanggal_lahir", "tmt_cpns", "tmt_pns", "tmt_golongan", "tmt_jabatan")
NUMBER_COLUMNS = ("mk_tahun", "mk_bulan", "tahun_lulus")
EXCEL_TEXT_PREFIXED = ("nip_baru", "nip_lama", "nik", "nomor_hp", "npwp_nomor", "bpjs")

GENDERS = ["M", "F"]
NIP_GENDER_DIGIT = {"M": "1", "F": "2"}
PNS_TYPES = ["PNS", "CPNS"]
PPPK_TYPES = ["PPPK", "PPPK Paruh Waktu"]
# A CPNS applies at 18 at the youngest (PP 11/2017 art. 23(1)a; PP 98/2000 art. 6 before it), and the TMT
# CPNS comes after the application: a NIP whose TMT is before the 18th birthday holds a wrong date.
MIN_CPNS_AGE_YEARS = 18
# PP 49/2018, the first regulation on PPPK, took effect in December 2018: no NI PPPK carries an earlier year.
FIRST_PPPK_YEAR = 2019

_FILE_DATE = re.compile(r"(\d{8})")


def snapshot_date(path: Path) -> dt.date:
    match = _FILE_DATE.search(path.stem)
    if not match:
        raise FileRejected(f"{path.name}: a SIASN export's name must carry its snapshot date as YYYYMMDD")
    return dt.datetime.strptime(match.group(1), "%Y%m%d").date()


def normalise(table: pa.Table) -> pa.Table:
    """Trim whitespace, make blank values missing and drop the leading apostrophe that Excel leaves on
    numeric identifiers."""
    columns = [
        checks.tidy_text(table[name], "'" if name in EXCEL_TEXT_PREFIXED else None) for name in table.column_names
    ]
    return pa.Table.from_arrays(columns, names=table.column_names)


def _nip(rows: Rows) -> checks.FixedText:
    return rows.text("nip_baru", 18)


def _nip_usable(rows: Rows) -> np.ndarray:
    return _nip(rows).digits()


def _gender(rows: Rows) -> tuple[np.ndarray, np.ndarray]:
    """(is male, is female); both false when the code is missing or unknown."""
    return checks.equals(rows["jenis_kelamin"], "M"), checks.equals(rows["jenis_kelamin"], "F")


def _nip_birth_date(rows: Rows) -> np.ndarray:
    nip, birth = _nip(rows), rows.dates("tanggal_lahir")
    applies = _nip_usable(rows) & birth.real
    agrees = nip.same(0, birth.text, 6, 4) & nip.same(4, birth.text, 3, 2) & nip.same(6, birth.text, 0, 2)
    return ~applies | agrees


def _nip_gender(rows: Rows) -> np.ndarray:
    male, female = _gender(rows)
    digit = _nip(rows).matrix[:, 14]
    agrees = (male & (digit == ord(NIP_GENDER_DIGIT["M"]))) | (female & (digit == ord(NIP_GENDER_DIGIT["F"])))
    return ~(_nip_usable(rows) & (male | female)) | agrees


def _nip_tmt_cpns(rows: Rows) -> np.ndarray:
    nip, tmt = _nip(rows), rows.dates("tmt_cpns")
    # a NIP month outside 01-12 is nip_tmt_month_invalid, not also a mismatch
    applies = _nip_usable(rows) & _is_pns(rows) & _nip_tmt_month_known(rows) & tmt.real
    return ~applies | (nip.same(8, tmt.text, 6, 4) & nip.same(12, tmt.text, 3, 2))


def _is_pns(rows: Rows) -> np.ndarray:
    return checks.in_set(rows["jenis_pegawai_nama"], PNS_TYPES) & checks.present(rows["jenis_pegawai_nama"])


def _nip_tmt_month_known(rows: Rows) -> np.ndarray:
    month = _nip(rows).number(12, 14)
    return (month >= 1) & (month <= 12)


def _nip_sequence(rows: Rows) -> np.ndarray:
    return ~_nip_usable(rows) | (_nip(rows).number(15, 18) > 0)


def _nip_tmt_month(rows: Rows) -> np.ndarray:
    return ~(_nip_usable(rows) & _is_pns(rows)) | _nip_tmt_month_known(rows)


def _nip_tmt_cpns_age(rows: Rows) -> np.ndarray:
    """TMT CPNS (NIP digits 9-14, on the 1st) on or after the 18th birthday (digits 1-8), both as yyyymmdd."""
    nip = _nip(rows)
    applies = _nip_usable(rows) & _is_pns(rows) & _nip_tmt_month_known(rows)
    tmt = nip.number(8, 14) * 100 + 1
    eighteenth_birthday = nip.number(0, 8) + MIN_CPNS_AGE_YEARS * 10000
    return ~applies | (tmt >= eighteenth_birthday)


def _ni_pppk_year(rows: Rows) -> np.ndarray:
    is_pppk = checks.in_set(rows["jenis_pegawai_nama"], PPPK_TYPES) & checks.present(rows["jenis_pegawai_nama"])
    year = _nip(rows).number(8, 12)
    plausible = (year >= FIRST_PPPK_YEAR) & (year <= dt.date.today().year)
    return ~(_nip_usable(rows) & is_pppk) | plausible


def _nik_birth_date(rows: Rows) -> np.ndarray:
    nik, birth = rows.text("nik", 16), rows.dates("tanggal_lahir")
    male, female = _gender(rows)
    applies = nik.digits() & birth.real & (male | female)
    agrees = (
        (nik.number(6, 8) == birth.day + np.where(female, 40, 0))
        & (nik.number(8, 10) == birth.month)
        & (nik.number(10, 12) == birth.year % 100)
    )
    return ~applies | agrees


def _dates_real(rows: Rows) -> np.ndarray:
    verdict = np.ones(rows.num_rows, dtype=bool)
    for column in DATE_COLUMNS:
        verdict &= rows.dates(column).ok
    return verdict


def _numbers_whole(rows: Rows) -> np.ndarray:
    verdict = np.ones(rows.num_rows, dtype=bool)
    for column in NUMBER_COLUMNS:
        verdict &= checks.whole_number(rows[column])
    return verdict


def _codes_known(legal_status_codes: list[str], employee_types: list[str]):
    def check(rows: Rows) -> np.ndarray:
        return (
            checks.in_set(rows["jenis_kelamin"], GENDERS)
            & checks.in_set(rows["kedudukan_hukum_id"], legal_status_codes)
            & checks.in_set(rows["jenis_pegawai_nama"], employee_types)
        )

    return check


def build_contract() -> Contract:
    opd_codes = seed_values("ref_opd", "opd_code")
    legal_status_codes = seed_values("ref_kedudukan_hukum", "legal_status_code")
    employee_types = seed_values("ref_jenis_pegawai", "employee_type")
    rules = (
        Rule("nip_format", "NIP is not 18 digits", ("nip_baru",),
             lambda rows: checks.all_digits(_nip(rows))),
        Rule("invalid_date", "a date is not a real dd-mm-yyyy calendar date", DATE_COLUMNS, _dates_real),
        Rule("invalid_number", "a count or year is not a whole number", NUMBER_COLUMNS, _numbers_whole),
        Rule("unknown_code", "a coded field is outside its code list",
             ("jenis_kelamin", "kedudukan_hukum_id", "jenis_pegawai_nama"),
             _codes_known(legal_status_codes, employee_types)),
        Rule("unknown_opd", "unor_id is not in the OPD reference list", ("unor_id",),
             lambda rows: checks.in_set(rows["unor_id"], opd_codes)),
        Rule("nip_birth_date_mismatch", "NIP digits 1-8 are not the birth date",
             ("nip_baru", "tanggal_lahir"), _nip_birth_date),
        Rule("nip_gender_mismatch", "NIP digit 15 disagrees with jenis_kelamin",
             ("nip_baru", "jenis_kelamin"), _nip_gender),
        Rule("nip_tmt_cpns_mismatch", "NIP digits 9-14 disagree with the TMT CPNS year-month",
             ("nip_baru", "jenis_pegawai_nama", "tmt_cpns"), _nip_tmt_cpns),
        Rule("nip_sequence_zero", "NIP digits 16-18 (the sequence number) are 000; a sequence starts at 001",
             ("nip_baru",), _nip_sequence),
        Rule("nip_tmt_month_invalid", "PNS/CPNS NIP digits 13-14 (the TMT CPNS month) are not a month 01-12",
             ("nip_baru", "jenis_pegawai_nama"), _nip_tmt_month),
        Rule("nip_tmt_cpns_before_age_18",
             "the TMT CPNS in NIP digits 9-14 is before the 18th birthday in digits 1-8 (PP 11/2017 art. 23)",
             ("nip_baru", "jenis_pegawai_nama"), _nip_tmt_cpns_age),
        Rule("ni_pppk_year_implausible",
             f"NI PPPK digits 9-12 are not a year from {FIRST_PPPK_YEAR} (PP 49/2018) to the current year",
             ("nip_baru", "jenis_pegawai_nama"), _ni_pppk_year),
        Rule("nik_format", "NIK is not 16 digits", ("nik",),
             lambda rows: checks.all_digits(rows.text("nik", 16))),
        Rule("nik_birth_date_mismatch", "NIK digits 7-12 disagree with the birth date and gender",
             ("nik", "tanggal_lahir", "jenis_kelamin"), _nik_birth_date),
    )  # fmt: skip
    return Contract(
        entity="siasn_pegawai",
        columns=COLUMNS,
        required=REQUIRED,
        key="nip_baru",
        rules=rules,
        numeric_key=True,
        optional=OPTIONAL,
    )


def code_lists() -> tuple[CodeList, ...]:
    """The coded columns, rewritten to their canonical codes through ``ref_code_synonym`` before the contract."""
    lists = (
        ("jenis_kelamin", "jenis_kelamin", GENDERS),
        ("jenis_pegawai_nama", "jenis_pegawai", seed_values("ref_jenis_pegawai", "employee_type")),
        ("kedudukan_hukum_id", "kedudukan_hukum", seed_values("ref_kedudukan_hukum", "legal_status_code")),
        ("kedudukan_hukum_nama", "kedudukan_hukum_nama", seed_values("ref_kedudukan_hukum", "legal_status_name")),
    )
    return tuple(CodeList(column, name, tuple(codes), code_synonyms(name)) for column, name, codes in lists)


def entity() -> SourceEntity:
    return SourceEntity(
        source="siasn",
        entity="pegawai",
        landing_subdir="siasn",
        file_pattern="*.csv",
        file_format=DelimitedFormat(delimiter="|", encodings=("utf-8", "cp1252")),
        contract=build_contract(),
        file_date=snapshot_date,
        file_date_column="_snapshot_date",
        normalise=normalise,
        code_lists=code_lists(),
    )
