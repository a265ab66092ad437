"""SP4N-LAPOR! complaints addressed to the regency's units: the platform's API pulled for the first half of each
year (JSON) and its CSV export for the second half (docs/sources.md). The export repeats the complaints of the
first half that were still open at the pull, with their later progress."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING

import numpy as np

from pembina.settings import PROJECT_ROOT
from pembina.synth.defects import DUPLICATE_KEY, INVALID_DATE, MISSING_REQUIRED, UNKNOWN_CODE, impossible_date
from pembina.synth.names import full_name, phone_number
from pembina.synth.output import Sink

if TYPE_CHECKING:
    from pembina.synth.careers import World, Year

SOURCE_API, SOURCE_CSV = "lapor_api", "lapor_csv"
INVALID_TRACKING_NUMBER = "invalid_tracking_number"
DATES_OUT_OF_ORDER = "dates_out_of_order"
RULES = (MISSING_REQUIRED, INVALID_DATE, UNKNOWN_CODE, INVALID_TRACKING_NUMBER, DATES_OUT_OF_ORDER, DUPLICATE_KEY)
STEPS = ("received", "disposed", "answered", "closed")
CATEGORIES = {
    "OPD-DUKCAPIL": "Administrasi Kependudukan", "OPD-RSUD": "Kesehatan", "OPD-DINKES": "Kesehatan",
    "OPD-DISDIK": "Pendidikan", "OPD-BAPENDA": "Pajak dan Retribusi Daerah", "OPD-DINSOS": "Sosial",
    "OPD-DLH": "Lingkungan Hidup dan Kehutanan", "OPD-DPMPTSP": "Perizinan", "OPD-BKPSDM": "Kepegawaian",
}  # fmt: skip
TEXTS = (
    ("Antrian lama", "Sudah antri dari pagi tetapi belum dilayani"),
    ("Pungutan", "Petugas minta uang rokok untuk mempercepat pengurusan"),
    ("Blanko kosong", "Blanko habis sudah dua minggu"),
    ("Sampah", "Sampah di depan pasar tidak diangkut seminggu"),
    ("Obat", "Obat di apotek rumah sakit sering kosong"),
    ("Sikap petugas", "Petugas loket kasar kepada warga"),
)
UNKNOWN_STATUSES = ("dibatalkan", "ditolak", "arsip")


def _units() -> list[dict[str, str]]:
    with (PROJECT_ROOT / "dbt_project" / "seeds" / "ref_service_unit.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _complaints(rng: np.random.Generator, year: int, count: int, first_number: int) -> list[dict]:
    units = _units()
    complaints = []
    start = np.datetime64(f"{year}-01-01T08:00")
    for number in range(count):
        unit = units[rng.integers(len(units))]
        received = start + np.timedelta64(int(rng.integers(0, 360 * 24 * 60)), "m")
        disposed = received + np.timedelta64(int(rng.integers(60, 4 * 24 * 60)), "m")
        answered = disposed + np.timedelta64(int(rng.gamma(2.0, 4.0) * 24 * 60), "m")
        closed = answered + np.timedelta64(int(rng.integers(60, 6 * 24 * 60)), "m")
        title, content = TEXTS[rng.integers(len(TEXTS))]
        if rng.random() < 0.2:
            content += f". Hubungi {phone_number(rng)}"
        elif rng.random() < 0.1:
            content += f". Atas nama {full_name(rng, True, bool(rng.random() < 0.5)).title()}"
        complaints.append(
            {
                "tracking": str(first_number + number),
                "times": dict(zip(STEPS, (received, disposed, answered, closed), strict=True)),
                "opd": unit["opd_code"],
                "unit": unit["service_unit_code"] if rng.random() < 0.85 else None,
                "category": CATEGORIES.get(unit["opd_code"], "Lainnya"),
                "rated": bool(rng.random() < 0.45),
                "title": title,
                "content": content,
            }
        )
    return complaints


def _as_of(complaint: dict, moment: np.datetime64) -> dict[str, np.datetime64 | None]:
    """The complaint's steps done by ``moment``."""
    return {step: (time if time <= moment else None) for step, time in complaint["times"].items()}


def _status(steps: dict) -> str:
    if steps["closed"] is not None:
        return "selesai"
    if steps["answered"] is not None:
        return "ditindaklanjuti"
    return "didisposisi" if steps["disposed"] is not None else "diterima"


def _iso(moment: np.datetime64 | None) -> str | None:
    return None if moment is None else str(moment.astype("datetime64[s]")) + "+09:00"


def _export_date(moment: np.datetime64 | None) -> str:
    if moment is None:
        return ""
    text = str(moment.astype("datetime64[m]"))
    return f"{text[8:10]}/{text[5:7]}/{text[:4]} {text[11:16]}"


def write_complaints(sink: Sink, world: World, year: Year, rng: np.random.Generator) -> None:
    """``lapor/api/lapor_api_<year>_s1.json`` (pulled 1 July) and ``lapor/export/lapor_export_<year>_s2.csv``
    (exported 1 January of the next year)."""
    count = max(12, round(len(world.people) * 0.05))
    complaints = _complaints(rng, year.year, count, 4_000_000 + (year.year - 2000) * 100_000)
    mid, end = np.datetime64(f"{year.year}-07-01T00:00"), np.datetime64(f"{year.year + 1}-01-01T00:00")

    api = []
    for complaint in complaints:
        if complaint["times"]["received"] >= mid:
            continue
        steps = _as_of(complaint, mid)
        api.append(
            {
                "tracking_id": complaint["tracking"],
                "title": complaint["title"],
                "content": complaint["content"],
                "category": complaint["category"],
                "institution": {"opd_code": complaint["opd"], "unit_code": complaint["unit"]},
                "timeline": {f"{step}_at": _iso(steps[step]) for step in STEPS},
                "status": _status(steps),
                "rating": {"rated": complaint["rated"] and steps["closed"] is not None},
            }
        )
    path = f"landing/lapor/api/lapor_api_{year.year}_s1.json"
    api = sink.break_rows(SOURCE_API, path, api, RULES, rng, _mutate_api(year.year), "tracking_id")
    sink.landing.write_json(path, {"status": "success", "jumlah": len(api), "laporan": api}, len(api))

    export = []
    for complaint in complaints:
        if complaint["times"]["received"] < mid and complaint["times"]["closed"] < mid:
            continue  # closed by the API pull: not repeated
        steps = _as_of(complaint, end)
        export.append(
            {
                "No. Tracking": complaint["tracking"],
                **{header: _export_date(steps[step]) for header, step in zip(CSV_DATES, STEPS, strict=True)},
                "Kategori": complaint["category"],
                "Kode Instansi": complaint["opd"],
                "Kode Unit Layanan": complaint["unit"] or "",
                "Status": _status(steps).capitalize(),
                "Dinilai Pelapor": "Ya" if complaint["rated"] and steps["closed"] is not None else "Tidak",
                "Judul Laporan": complaint["title"],
                "Isi Laporan": complaint["content"],
            }
        )
    path = f"landing/lapor/export/lapor_export_{year.year}_s2.csv"
    export = sink.break_rows(SOURCE_CSV, path, export, RULES, rng, _mutate_csv(year.year), "No. Tracking")
    sink.landing.write_csv(path, CSV_HEADER, [[record[c] for c in CSV_HEADER] for record in export])


CSV_DATES = ("Tanggal Laporan", "Tanggal Disposisi", "Tanggal Tindak Lanjut", "Tanggal Selesai")
CSV_HEADER = [
    "No. Tracking", *CSV_DATES, "Kategori", "Kode Instansi", "Kode Unit Layanan", "Status", "Dinilai Pelapor",
    "Judul Laporan", "Isi Laporan",
]  # fmt: skip


def _mutate_api(year: int):
    def mutate(record: dict, rule: str, rng: np.random.Generator) -> str:
        timeline = record["timeline"]
        if rule == MISSING_REQUIRED:
            record["institution"]["opd_code"] = None
            return "institution.opd_code"
        if rule == INVALID_DATE:
            timeline["received_at"] = impossible_date(rng, year, "iso_datetime")
            return "timeline.received_at"
        if rule == UNKNOWN_CODE:
            record["status"] = UNKNOWN_STATUSES[rng.integers(len(UNKNOWN_STATUSES))]
            return "status"
        if rule == INVALID_TRACKING_NUMBER:
            record["tracking_id"] = "LPR-" + record["tracking_id"]
            return "tracking_id"
        if rule == DATES_OUT_OF_ORDER:
            received = np.datetime64(timeline["received_at"][:19])
            timeline["disposed_at"] = _iso(received - np.timedelta64(2, "D"))
            return "timeline.disposed_at"
        raise ValueError(f"no LAPOR mutation for rule {rule}")

    return mutate


def _mutate_csv(year: int):
    def mutate(record: dict, rule: str, rng: np.random.Generator) -> str:
        if rule == MISSING_REQUIRED:
            record["Kode Instansi"] = ""
            return "Kode Instansi"
        if rule == INVALID_DATE:
            record["Tanggal Laporan"] = impossible_date(rng, year, "dmy/") + " 09:00"
            return "Tanggal Laporan"
        if rule == UNKNOWN_CODE:
            record["Status"] = UNKNOWN_STATUSES[rng.integers(len(UNKNOWN_STATUSES))].capitalize()
            return "Status"
        if rule == INVALID_TRACKING_NUMBER:
            record["No. Tracking"] = "LPR-" + record["No. Tracking"]
            return "No. Tracking"
        if rule == DATES_OUT_OF_ORDER:
            received = record["Tanggal Laporan"]
            record["Tanggal Disposisi"] = f"{received[:6]}{int(received[6:10]) - 1}{received[10:]}"
            return "Tanggal Disposisi"
        raise ValueError(f"no LAPOR mutation for rule {rule}")

    return mutate
