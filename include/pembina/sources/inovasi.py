"""Regional innovations (docs/sources.md, PP 38/2017): the register kept for the regional innovation index,
one row per innovation, as a CSV export or an XLSX workbook with the same Indonesian headers. The team, the
consultation forums and the service units changed are lists in one cell, separated by ``;``."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np

from pembina.contracts import checks
from pembina.contracts.contract import Rows, Rule
from pembina.contracts.spec import build_contract
from pembina.sources.base import DelimitedFormat, FileRejected, SourceEntity, XlsxFormat
from pembina.sources.common import LabelledColumns, with_iso_dates
from pembina.sources.reference import seed_values

DATE_FORMAT = "%d/%m/%Y"
LIST_SEPARATOR = ";"
# PP 38/2017 art. 4 (forms), art. 5 (who may initiate), art. 13-15 (stages, in this order)
FORMS = ["Inovasi Tata Kelola Pemerintahan Daerah", "Inovasi Pelayanan Publik", "Inovasi Daerah Lainnya"]
INITIATORS = ["Kepala Daerah", "Anggota DPRD", "ASN", "Perangkat Daerah", "Anggota Masyarakat"]
STAGES = ["Inisiatif", "Uji Coba", "Penerapan"]
STAGE_DATES = ("tanggal_inisiatif", "tanggal_uji_coba", "tanggal_penerapan")
TEAM_ROLES = ["Ketua", "Anggota", "Pembina"]
_TEAM_MEMBER = re.compile(r"^(\d{18})\s*:\s*(" + "|".join(TEAM_ROLES) + r")$")

LABELS = {
    "Kode Inovasi": "kode_inovasi",
    "Nama Inovasi": "nama_inovasi",
    "Perangkat Daerah": "opd",
    "Bentuk Inovasi": "bentuk",
    "Inisiator": "inisiator",
    "Tahapan": "tahapan",
    "Tanggal Inisiatif": "tanggal_inisiatif",
    "Tanggal Uji Coba": "tanggal_uji_coba",
    "Tanggal Penerapan": "tanggal_penerapan",
    "Tim Inovasi (NIP:Peran)": "tim",
    "Forum Konsultasi": "forum_konsultasi",
    "Unit Layanan": "unit_layanan",
}
COLUMNS = tuple(LABELS.values())
DATES = dict.fromkeys(STAGE_DATES, DATE_FORMAT)
OPTIONAL = ("forum_konsultasi", "unit_layanan")


_REGISTER_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def register_date(path: Path) -> dt.date:
    """The register as it stood at the end of the year its file name carries (``register_inovasi_2025``):
    a later register supersedes an earlier one whatever order the files are loaded in."""
    years = _REGISTER_YEAR.findall(path.stem)
    if not years:
        raise FileRejected(f"{path.name}: a register's name must carry its year (register_inovasi_YYYY)")
    return dt.date(int(years[-1]), 12, 31)


def split_list(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(LIST_SEPARATOR) if item.strip()]


def _each(values, valid) -> np.ndarray:
    return np.array([value is None or valid(split_list(value)) for value in values.to_pylist()], dtype=bool)


def _team_well_formed(rows: Rows) -> np.ndarray:
    """Every member written `NIP:Peran`: 18 digits, a role of the code list, nobody twice."""

    def valid(members: list[str]) -> bool:
        matched = [_TEAM_MEMBER.match(member) for member in members]
        nips = [match.group(1) for match in matched if match]
        return bool(members) and all(matched) and len(set(nips)) == len(nips)

    return _each(rows["tim"], valid)


def _units_known(rows: Rows) -> np.ndarray:
    known = set(seed_values("ref_service_unit", "service_unit_code"))
    return _each(rows["unit_layanan"], lambda units: set(units) <= known)


def _stage_dates_consistent(rows: Rows) -> np.ndarray:
    """The stage reached has its date and the dates before it; the dates run inisiatif <= uji coba <=
    penerapan; no date for a stage not reached yet."""
    dates = [rows.dates(column, DATE_FORMAT) for column in STAGE_DATES]
    present = [date.text.present for date in dates]
    ordinal = [date.year * 10_000 + date.month * 100 + date.day for date in dates]
    verdict = np.ones(rows.num_rows, dtype=bool)
    for position, stage in enumerate(STAGES):
        at_stage = checks.equals(rows["tahapan"], stage)
        for index in range(len(STAGES)):
            verdict &= ~at_stage | (present[index] == (index <= position))
    for earlier, later in ((0, 1), (1, 2), (0, 2)):
        both = present[earlier] & present[later]
        verdict &= ~both | (ordinal[earlier] <= ordinal[later])
    return verdict


def build_contract_register():
    return build_contract(
        entity="inovasi_register",
        columns=COLUMNS,
        required=("kode_inovasi", "nama_inovasi", "opd", "bentuk", "inisiator", "tahapan", "tanggal_inisiatif", "tim"),
        key="kode_inovasi",
        dates=DATES,
        codes={"opd": seed_values("ref_opd", "opd_code"), "bentuk": FORMS, "inisiator": INITIATORS, "tahapan": STAGES},
        code_checks=((("unit_layanan",), _units_known),),
        extra_rules=(
            Rule(
                "team_format",
                "the team is not a list of `NIP:Peran` (18-digit NIP, role Ketua, Anggota or Pembina, nobody twice)",
                ("tim",),
                _team_well_formed,
            ),
            Rule(
                "stage_dates_inconsistent",
                "the stage's dates are missing, out of order (inisiatif, uji coba, penerapan) or given for a "
                "stage not reached",
                ("tahapan", *STAGE_DATES),
                _stage_dates_consistent,
            ),
        ),
        optional=OPTIONAL,
    )


def _entity(source: str, pattern: str, file_format) -> SourceEntity:
    labels = LabelledColumns(LABELS, optional=OPTIONAL)
    return SourceEntity(
        source=source,
        entity="register",
        landing_subdir="inovasi",
        file_pattern=pattern,
        file_format=file_format,
        contract=build_contract_register(),
        check_header=labels.check_header,
        transform=labels.transform(COLUMNS),
        finalise=lambda table: with_iso_dates(table, DATES),
        file_date=register_date,
        file_date_column="_register_date",
        table="inovasi_register",
        description="Inovasi daerah register",
    )


def csv_entity() -> SourceEntity:
    return _entity("inovasi", "*.csv", DelimitedFormat(delimiter=",", encodings=("utf-8", "cp1252")))


def xlsx_entity() -> SourceEntity:
    date_formats = tuple((label, DATE_FORMAT) for label, column in LABELS.items() if column in DATES)
    return _entity("inovasi_xlsx", "*.xlsx", XlsxFormat(date_formats=date_formats))
