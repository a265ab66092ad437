"""SP4N-LAPOR! complaints (docs/sources.md): the complaints addressed to the regency's units, as the platform's
API returns them (one JSON document per pull, ``laporan`` with its count ``jumlah``, nested objects) and as its
CSV export writes them. Both load into one raw table with the same columns, dates rewritten to ISO 8601 with
their offset (the CSV's local times are WIT, +09:00) and the codes to their canonical values; ``_format``
says which one a row came from."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pembina.contracts import checks
from pembina.contracts.contract import Rows, Rule
from pembina.contracts.spec import build_contract
from pembina.ingest.files import check_columns
from pembina.sources.base import CodeList, DelimitedFormat, JsonFormat, SourceEntity
from pembina.sources.reference import seed_rows, seed_values

# received -> disposed (to the unit) -> answered (tindak lanjut) -> closed, in this order
DATES = ("tanggal_diterima", "tanggal_disposisi", "tanggal_tindak_lanjut", "tanggal_selesai")
COLUMNS = (
    "nomor_tiket", *DATES, "kategori", "kode_opd", "kode_unit_layanan", "status", "dinilai_pelapor", "judul", "isi",
)  # fmt: skip
REQUIRED = ("nomor_tiket", "tanggal_diterima", "kode_opd", "status")
OPTIONAL = ("tanggal_disposisi", "tanggal_tindak_lanjut", "tanggal_selesai", "kode_unit_layanan", "judul", "isi")
STATUSES = ("diterima", "didisposisi", "ditindaklanjuti", "selesai")
STATUS_WORDS = (
    ("Belum Terverifikasi", "diterima"), ("Terverifikasi", "diterima"), ("Proses", "didisposisi"),
    ("Dalam Proses", "didisposisi"), ("Sudah Ditindaklanjuti", "ditindaklanjuti"), ("Ditutup", "selesai"),
)  # fmt: skip
RATED = ("true", "false")
RATED_WORDS = (("Ya", "true"), ("Sudah", "true"), ("Tidak", "false"), ("Belum", "false"))
API_HEADERS = {
    "tracking_id": "nomor_tiket", "timeline.received_at": "tanggal_diterima",
    "timeline.disposed_at": "tanggal_disposisi", "timeline.answered_at": "tanggal_tindak_lanjut",
    "timeline.closed_at": "tanggal_selesai", "category": "kategori", "institution.opd_code": "kode_opd",
    "institution.unit_code": "kode_unit_layanan", "status": "status", "rating.rated": "dinilai_pelapor",
    "title": "judul", "content": "isi",
}  # fmt: skip
CSV_HEADERS = {
    "no. tracking": "nomor_tiket", "tanggal laporan": "tanggal_diterima", "tanggal disposisi": "tanggal_disposisi",
    "tanggal tindak lanjut": "tanggal_tindak_lanjut", "tanggal selesai": "tanggal_selesai", "kategori": "kategori",
    "kode instansi": "kode_opd", "kode unit layanan": "kode_unit_layanan", "status": "status",
    "dinilai pelapor": "dinilai_pelapor", "judul laporan": "judul", "isi laporan": "isi",
}  # fmt: skip
CSV_DATE = "dd/mm/yyyy hh:mm"
_CSV_TIME_TAIL = r"^ ([01]\d|2[0-3]):[0-5]\d$"
CSV_OFFSET = "+09:00"  # the export writes local time of the regency (WIT)


def _tracking_number_ok(rows: Rows) -> np.ndarray:
    shaped = pc.fill_null(pc.match_substring_regex(rows["nomor_tiket"], r"^\d{6,10}$"), False)
    return checks.ok_where_absent(checks.present(rows["nomor_tiket"]), shaped.to_numpy(zero_copy_only=False))


def _unit_of_its_opd(rows: Rows) -> np.ndarray:
    """A known service unit, given with an OPD, belongs to that OPD (ref_service_unit); an unknown unit is
    judged by the code list, a missing OPD by the required fields."""
    units = {row["service_unit_code"]: row["opd_code"] for row in seed_rows("ref_service_unit")}
    matched = np.zeros(rows.num_rows, dtype=bool)
    for unit, opd in units.items():
        matched |= checks.equals(rows["kode_unit_layanan"], unit) & checks.equals(rows["kode_opd"], opd)
    known_unit = checks.present(rows["kode_unit_layanan"]) & checks.in_set(rows["kode_unit_layanan"], list(units))
    return ~checks.present(rows["kode_opd"]) | ~known_unit | matched


class _Layout:
    """How one format writes its dates: the check of a value and the calendar day of a value that passed it."""

    def __init__(self, iso: bool):
        self.iso = iso

    def ok(self, values) -> np.ndarray:
        if self.iso:
            return checks.dates_ok(values, checks.ISO_DATETIME)
        day = checks.Dates.of(pc.utf8_slice_codeunits(values, 0, 10), "%d/%m/%Y")
        tail = pc.fill_null(pc.match_substring_regex(pc.utf8_slice_codeunits(values, 10, 32), _CSV_TIME_TAIL), False)
        return checks.ok_where_absent(checks.present(values), day.real & tail.to_numpy(zero_copy_only=False))

    def day_number(self, values) -> tuple[np.ndarray, np.ndarray]:
        """(yyyymmdd as an integer, the value is a real date) of each value."""
        fmt = "%Y-%m-%d" if self.iso else "%d/%m/%Y"
        day = checks.Dates.of(pc.utf8_slice_codeunits(values, 0, 10), fmt)
        return day.year * 10000 + day.month * 100 + day.day, day.real


def _dates_in_order(layout: _Layout):
    def check(rows: Rows) -> np.ndarray:
        verdict = np.ones(rows.num_rows, dtype=bool)
        days = [layout.day_number(rows[column]) for column in DATES]
        for position, (later, later_real) in enumerate(days):
            for earlier, earlier_real in days[:position]:
                verdict &= ~(later_real & earlier_real) | (earlier <= later)
        return verdict

    return check


def build_lapor_contract(iso_dates: bool):
    layout = _Layout(iso_dates)
    written = "yyyy-mm-ddThh:mm:ss+hh:mm" if iso_dates else CSV_DATE
    return build_contract(
        entity="lapor_pengaduan",
        columns=COLUMNS,
        required=REQUIRED,
        key="nomor_tiket",
        codes={
            "kode_opd": seed_values("ref_opd", "opd_code"),
            "kode_unit_layanan": seed_values("ref_service_unit", "service_unit_code"),
            "status": list(STATUSES),
            "dinilai_pelapor": list(RATED),
        },
        code_checks=((("kode_opd", "kode_unit_layanan"), _unit_of_its_opd),),
        extra_rules=(
            Rule(
                "invalid_tracking_number",
                "the tracking number is not 6-10 digits",
                ("nomor_tiket",),
                _tracking_number_ok,
            ),
            Rule(
                "invalid_date",
                f"a date is not a real date and time written as {written}",
                DATES,
                lambda rows: np.logical_and.reduce([layout.ok(rows[column]) for column in DATES]),
            ),
            Rule(
                "dates_out_of_order",
                "a complaint's dates are not in the order received, disposed, answered, closed",
                DATES,
                _dates_in_order(layout),
            ),
        ),
        optional=OPTIONAL,
    )


def _header_check(headers: dict[str, str]):
    def check_header(header: list[str], path: Path) -> list[str]:
        return check_columns([headers.get(name, name) for name in header], COLUMNS, OPTIONAL)

    return check_header


def _transform(headers: dict[str, str]):
    def transform(table: pa.Table) -> pa.Table:
        renamed = table.rename_columns([headers.get(name, name) for name in table.column_names])
        return pa.Table.from_arrays([checks.tidy_text(renamed[name]) for name in COLUMNS], names=list(COLUMNS))

    return transform


def _csv_dates_to_iso(table: pa.Table) -> pa.Table:
    for column in DATES:
        iso = pc.replace_substring_regex(
            table[column], r"^(\d{2})/(\d{2})/(\d{4}) (\d{2}):(\d{2})$", rf"\3-\2-\1T\4:\5:00{CSV_OFFSET}"
        )
        table = table.set_column(table.column_names.index(column), column, iso)
    return table


def _code_lists() -> tuple[CodeList, ...]:
    return (
        CodeList("status", "lapor_status", STATUSES, STATUS_WORDS),
        CodeList("dinilai_pelapor", "lapor_rated", RATED, RATED_WORDS),
    )


def entity() -> SourceEntity:
    """The API's JSON documents."""
    return SourceEntity(
        source="lapor_api",
        entity="pengaduan",
        landing_subdir="lapor/api",
        file_pattern="*.json",
        file_format=JsonFormat(list_key="laporan", count_key="jumlah"),
        contract=build_lapor_contract(iso_dates=True),
        transform=_transform(API_HEADERS),
        check_header=_header_check(API_HEADERS),
        code_lists=_code_lists(),
        constants=(("_format", "api"),),
        table="lapor_pengaduan",
        description="SP4N-LAPOR! complaints from the platform's API (JSON)",
    )


def csv_entity() -> SourceEntity:
    """The platform's CSV export."""
    return SourceEntity(
        source="lapor_csv",
        entity="pengaduan",
        landing_subdir="lapor/export",
        file_pattern="*.csv",
        file_format=DelimitedFormat(delimiter=",", encodings=("utf-8",), header_case_insensitive=True),
        contract=build_lapor_contract(iso_dates=False),
        transform=_transform(CSV_HEADERS),
        check_header=_header_check(CSV_HEADERS),
        finalise=_csv_dates_to_iso,
        code_lists=_code_lists(),
        constants=(("_format", "csv"),),
        table="lapor_pengaduan",
        description="SP4N-LAPOR! complaints from the platform's CSV export",
    )
