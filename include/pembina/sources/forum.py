"""Forum Konsultasi Publik (docs/sources.md, PermenPAN-RB 16/2017): the spreadsheets each OPD keeps of its
public consultation forums and of the inputs residents raised in them. Two layouts, told apart by the
workbook itself: a workbook per semester with a sheet ``Forum`` (one row per forum) and a sheet ``Masukan``
(one row per input), or a workbook with one sheet per forum (the forum's particulars as label / value pairs
in rows 1-11, its inputs as a table from row 13)."""

from __future__ import annotations

import numpy as np

from pembina.contracts import checks
from pembina.contracts.contract import Rows, Rule
from pembina.contracts.spec import NumberRange, build_contract
from pembina.sources.base import FormSheets, SourceEntity, XlsxFormat
from pembina.sources.common import LabelledColumns, with_iso_dates
from pembina.sources.reference import seed_values

DATE_FORMAT = "%d/%m/%Y"
# domain.md §9: the 14 distrik since 2025
DISTRIK = [
    "Manokwari Barat", "Manokwari Timur", "Manokwari Utara", "Manokwari Selatan", "Warmare", "Prafi", "Masni",
    "Sidey", "Tanah Rubuh", "Aimasi", "Mokwam", "Moruj Mega", "Wasirawi", "Masni Utara",
]  # fmt: skip
STATUS_OPEN, STATUS_IN_PROGRESS, STATUS_DONE = "Belum Ditindaklanjuti", "Dalam Proses", "Selesai"
STATUSES = [STATUS_OPEN, STATUS_IN_PROGRESS, STATUS_DONE]
PARTICIPANTS = NumberRange(0, 5000)

SESSION_LABELS = {
    "Kode Forum": "kode_forum",
    "Perangkat Daerah": "opd",
    "Tanggal Forum": "tanggal_forum",
    "Distrik": "distrik",
    "Topik": "topik",
    "Peserta Masyarakat Umum": "peserta_masyarakat",
    "Peserta Tokoh Adat dan Agama": "peserta_tokoh",
    "Peserta Kelompok Rentan": "peserta_rentan",
    "Peserta Dunia Usaha": "peserta_usaha",
    "NIP Fasilitator": "nip_fasilitator",
    "Nama Fasilitator": "nama_fasilitator",
}
SESSION_COLUMNS = tuple(SESSION_LABELS.values())
PARTICIPANT_COLUMNS = ("peserta_masyarakat", "peserta_tokoh", "peserta_rentan", "peserta_usaha")

INPUT_LABELS = {
    "Kode Forum": "kode_forum",
    "No": "nomor",
    "Kategori": "kategori",
    "Uraian Masukan": "uraian",
    "Unit Layanan": "unit_layanan",
    "Rencana Tindak Lanjut": "rencana_tindak_lanjut",
    "Target Tindak Lanjut": "tanggal_target",
    "Tanggal Tindak Lanjut": "tanggal_tindak_lanjut",
    "Status": "status",
}
INPUT_COLUMNS = tuple(INPUT_LABELS.values())
INPUT_DATES = {"tanggal_target": DATE_FORMAT, "tanggal_tindak_lanjut": DATE_FORMAT}

FORM_BLOCK_ROWS = 11
FORM_TABLE_HEADER_ROW = 13


def build_session_contract():
    return build_contract(
        entity="forum_sesi",
        columns=SESSION_COLUMNS,
        required=("kode_forum", "opd", "tanggal_forum", "distrik", "topik", *PARTICIPANT_COLUMNS, "nip_fasilitator"),
        key="kode_forum",
        nip=("nip_fasilitator",),
        dates={"tanggal_forum": DATE_FORMAT},
        codes={"opd": seed_values("ref_opd", "opd_code"), "distrik": DISTRIK},
        ranges=dict.fromkeys(PARTICIPANT_COLUMNS, PARTICIPANTS),
        optional=("nama_fasilitator",),  # the name comes from SIASN
    )


def _follow_up_matches_status(rows: Rows) -> np.ndarray:
    """`Selesai` needs the date it was done; an input still `Belum Ditindaklanjuti` has none."""
    dated = checks.present(rows["tanggal_tindak_lanjut"])
    done = checks.equals(rows["status"], STATUS_DONE)
    untouched = checks.equals(rows["status"], STATUS_OPEN)
    return ~(done & ~dated) & ~(untouched & dated)


def build_input_contract():
    return build_contract(
        entity="forum_masukan",
        columns=INPUT_COLUMNS,
        required=("kode_forum", "nomor", "kategori", "uraian", "unit_layanan", "tanggal_target", "status"),
        key=("kode_forum", "nomor"),
        dates=INPUT_DATES,
        whole_numbers=("nomor",),
        codes={
            "kategori": seed_values("ref_forum_input_category", "category"),
            "unit_layanan": seed_values("ref_service_unit", "service_unit_code"),
            "status": STATUSES,
        },
        extra_rules=(
            Rule(
                "follow_up_status_mismatch",
                "the status disagrees with the follow-up date (Selesai without a date, or a date while "
                "Belum Ditindaklanjuti)",
                ("status", "tanggal_tindak_lanjut"),
                _follow_up_matches_status,
            ),
        ),
        optional=("rencana_tindak_lanjut",),
    )


def _xlsx(sheet: str, labels: dict[str, str], dates: tuple[str, ...], form: FormSheets) -> XlsxFormat:
    date_labels = [label for label, column in labels.items() if column in dates]
    return XlsxFormat(sheet=sheet, date_formats=tuple((label, DATE_FORMAT) for label in date_labels), form=form)


def session_entity() -> SourceEntity:
    labels = LabelledColumns(SESSION_LABELS, optional=("nama_fasilitator",))
    return SourceEntity(
        source="forum",
        entity="sesi",
        landing_subdir="forum",
        file_pattern="*.xlsx",
        file_format=_xlsx("Forum", SESSION_LABELS, ("tanggal_forum",), FormSheets(block_rows=FORM_BLOCK_ROWS)),
        contract=build_session_contract(),
        check_header=labels.check_header,
        transform=labels.transform(SESSION_COLUMNS),
        finalise=lambda table: with_iso_dates(table, {"tanggal_forum": DATE_FORMAT}),
        description="Forum Konsultasi Publik: sessions",
    )


def input_entity() -> SourceEntity:
    """The inputs of the same workbooks: a source of its own, so that the content-hash bookkeeping of the
    sessions and of the inputs does not mix."""
    labels = LabelledColumns(INPUT_LABELS, optional=("rencana_tindak_lanjut",))
    form = FormSheets(block_rows=FORM_BLOCK_ROWS, table_header_row=FORM_TABLE_HEADER_ROW, carry=("Kode Forum",))
    return SourceEntity(
        source="forum_masukan",
        entity="masukan",
        landing_subdir="forum",
        file_pattern="*.xlsx",
        file_format=_xlsx("Masukan", INPUT_LABELS, tuple(INPUT_DATES), form),
        contract=build_input_contract(),
        check_header=labels.check_header,
        transform=labels.transform(INPUT_COLUMNS),
        finalise=lambda table: with_iso_dates(table, INPUT_DATES),
        table="forum_masukan",
        description="Forum Konsultasi Publik: inputs raised",
    )
