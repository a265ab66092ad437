"""Forum Konsultasi Publik (PermenPAN-RB 16/2017): the workbooks each OPD with a public-service unit keeps
of its forums, half of them one workbook per semester (sheets ``Forum`` and ``Masukan``), the others one
sheet per forum."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
from dataclasses import dataclass

import numpy as np
from openpyxl import Workbook

from pembina.sources import forum as contract
from pembina.synth.defects import (
    DUPLICATE_KEY,
    INVALID_DATE,
    MISSING_REQUIRED,
    NIP_FORMAT,
    OUT_OF_RANGE,
    UNKNOWN_CODE,
    impossible_date,
    inject,
    malformed_nip,
)
from pembina.synth.opd import REF_OPD_PATH
from pembina.synth.output import Sink

SESSION_SOURCE, INPUT_SOURCE = "forum", "forum_masukan"
INVALID_NUMBER, STATUS_MISMATCH = "invalid_number", "follow_up_status_mismatch"
SESSION_RULES = (MISSING_REQUIRED, NIP_FORMAT, INVALID_DATE, UNKNOWN_CODE, OUT_OF_RANGE, DUPLICATE_KEY)
INPUT_RULES = (MISSING_REQUIRED, INVALID_DATE, INVALID_NUMBER, UNKNOWN_CODE, DUPLICATE_KEY, STATUS_MISMATCH)
SESSION_HEADER = list(contract.SESSION_LABELS)
INPUT_HEADER = list(contract.INPUT_LABELS)
SERVICE_UNIT_PATH = REF_OPD_PATH.with_name("ref_service_unit.csv")
CATEGORY_PATH = REF_OPD_PATH.with_name("ref_forum_input_category.csv")
TOPICS = (
    "Evaluasi standar pelayanan", "Penyusunan maklumat pelayanan", "Rencana perbaikan pelayanan",
    "Sosialisasi layanan baru", "Tindak lanjut hasil survei kepuasan",
)  # fmt: skip
INPUT_TEXTS = (
    "Mohon jam layanan diperpanjang sampai sore", "Antrian terlalu panjang, perlu nomor antrian daring",
    "Persyaratan berkas belum diumumkan dengan jelas", "Ruang tunggu panas dan kursi kurang",
    "Petugas kadang tidak ada di tempat", "Perlu layanan jemput bola ke kampung",
    "Informasi biaya perlu ditempel di loket", "Pengaduan belum dijawab, mohon ada nomor WA resmi",
)  # fmt: skip
FOLLOW_UPS = ("Dibahas dalam rapat evaluasi", "Perbaikan standar pelayanan", "Pengadaan sarana", "Pembinaan petugas")


@dataclass(frozen=True)
class Forum:
    code: str
    opd: str
    date: dt.date


def _dmy(date: dt.date | None) -> str:
    return date.strftime("%d/%m/%Y") if date else ""


def service_units() -> dict[str, list[str]]:
    """OPD code -> its service units (ref_service_unit)."""
    with SERVICE_UNIT_PATH.open(newline="", encoding="utf-8") as handle:
        units: dict[str, list[str]] = {}
        for row in csv.DictReader(handle):
            units.setdefault(row["opd_code"], []).append(row["service_unit_code"])
    return units


def _categories() -> list[str]:
    with CATEGORY_PATH.open(newline="", encoding="utf-8") as handle:
        return [row["category"] for row in csv.DictReader(handle)]


def _mutate_session(record: dict, rule: str, rng: np.random.Generator) -> str:
    if rule == MISSING_REQUIRED:
        record["NIP Fasilitator"] = None
        return "NIP Fasilitator"
    if rule == NIP_FORMAT:
        record["NIP Fasilitator"] = malformed_nip(rng, record["NIP Fasilitator"])
        return "NIP Fasilitator"
    if rule == INVALID_DATE:
        record["Tanggal Forum"] = impossible_date(rng, int(record["Tanggal Forum"][-4:]), "dmy/")
        return "Tanggal Forum"
    if rule == UNKNOWN_CODE:
        record["Distrik"] = ("Manokwari Tengah", "Teluk Wondama", "Bintuni")[rng.integers(3)]
        return "Distrik"
    record["Peserta Masyarakat Umum"] = (-3, 99999)[rng.integers(2)]
    return "Peserta Masyarakat Umum"


def _mutate_input(record: dict, rule: str, rng: np.random.Generator) -> str:
    if rule == MISSING_REQUIRED:
        record["Kategori"] = None
        return "Kategori"
    if rule == INVALID_DATE:
        record["Target Tindak Lanjut"] = impossible_date(rng, int(record["Target Tindak Lanjut"][-4:]), "dmy/")
        return "Target Tindak Lanjut"
    if rule == INVALID_NUMBER:
        record["No"] = f"{record['No']}a"
        return "No"
    if rule == UNKNOWN_CODE:
        record["Status"] = ("Ditolak", "Batal")[rng.integers(2)]
        return "Status"
    record["Status"], record["Tanggal Tindak Lanjut"] = contract.STATUS_DONE, None
    return "Status"


def _input_applicable(record: dict, rule: str) -> bool:
    return rule != STATUS_MISMATCH or record["Status"] != contract.STATUS_OPEN


def _staff(world, year, opd_index: int) -> np.ndarray:
    snapshot = year.snapshot
    return snapshot.person[snapshot.opd == opd_index]


def _draw_semester(world, year, semester: int, opd: str, units: list[str], rng, categories) -> tuple[list, list]:
    """The forums (session records) and inputs of one OPD in one semester."""
    staff = _staff(world, year, world.opds.index(opd))
    if len(staff) == 0:  # a small synthetic population: the Bagian Organisasi facilitates
        staff = year.snapshot.person
    start = dt.date(year.year, 1 if semester == 1 else 7, 1)
    sessions, inputs = [], []
    short = opd.removeprefix("OPD-")
    for number in range(1, int(rng.integers(1, 5)) + 1):
        date = start + dt.timedelta(days=int(rng.integers(0, 175)))
        code = f"FKP-{short}-{year.year}S{semester}-{number:02d}"
        facilitator = int(staff[rng.integers(len(staff))])
        sessions.append(
            {
                "Kode Forum": code,
                "Perangkat Daerah": opd,
                "Tanggal Forum": _dmy(date),
                "Distrik": contract.DISTRIK[rng.integers(len(contract.DISTRIK))],
                "Topik": TOPICS[rng.integers(len(TOPICS))],
                "Peserta Masyarakat Umum": int(rng.integers(8, 60)),
                "Peserta Tokoh Adat dan Agama": int(rng.integers(0, 10)),
                "Peserta Kelompok Rentan": int(rng.integers(0, 8)),
                "Peserta Dunia Usaha": int(rng.integers(0, 6)),
                "NIP Fasilitator": world.people.nip[facilitator],
                "Nama Fasilitator": world.people.nama[facilitator],
            }
        )
        for item in range(1, int(rng.integers(3, 10)) + 1):
            target = date + dt.timedelta(days=int(rng.integers(30, 120)))
            state = rng.random()
            status = contract.STATUS_DONE if state < 0.55 else contract.STATUS_IN_PROGRESS if state < 0.75 else None
            status = status or contract.STATUS_OPEN
            done = date + dt.timedelta(days=int(rng.integers(3, 150))) if status == contract.STATUS_DONE else None
            inputs.append(
                {
                    "Kode Forum": code,
                    "No": item,
                    "Kategori": categories[rng.integers(len(categories))],
                    "Uraian Masukan": INPUT_TEXTS[rng.integers(len(INPUT_TEXTS))],
                    "Unit Layanan": units[rng.integers(len(units))],
                    "Rencana Tindak Lanjut": FOLLOW_UPS[rng.integers(len(FOLLOW_UPS))],
                    "Target Tindak Lanjut": _dmy(target),
                    "Tanggal Tindak Lanjut": _dmy(done) if done else None,
                    "Status": status,
                }
            )
    return sessions, inputs


def _excel_dates(record: dict, labels: tuple[str, ...]) -> list:
    """Dates as Excel date cells where they are real dates (the reader writes them back as dd/mm/yyyy)."""
    values = dict(record)
    for label in labels:
        text = values.get(label)
        with contextlib.suppress(ValueError):  # an injected impossible date stays text
            values[label] = dt.datetime.strptime(text, "%d/%m/%Y") if text else text
    return values


SESSION_DATE_LABELS = ("Tanggal Forum",)
INPUT_DATE_LABELS = ("Target Tindak Lanjut", "Tanggal Tindak Lanjut")


def _semester_workbook(sessions: list[dict], inputs: list[dict]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Forum"
    sheet.append(SESSION_HEADER)
    for record in sessions:
        values = _excel_dates(record, SESSION_DATE_LABELS)
        sheet.append([values[label] for label in SESSION_HEADER])
    inputs_sheet = workbook.create_sheet("Masukan")
    inputs_sheet.append(INPUT_HEADER)
    for record in inputs:
        values = _excel_dates(record, INPUT_DATE_LABELS)
        inputs_sheet.append([values[label] for label in INPUT_HEADER])
    return workbook


def _form_workbook(sessions: list[dict], inputs: list[dict]) -> Workbook:
    """One sheet per forum: its particulars in rows 1-11 (labels in A, values in B), its inputs from row 13."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    table_header = [label for label in INPUT_HEADER if label != "Kode Forum"]
    for number, session in enumerate(sessions, start=1):
        sheet = workbook.create_sheet(f"{number:02d} {str(session['Kode Forum'])[-12:]}")
        values = _excel_dates(session, SESSION_DATE_LABELS)
        for label in SESSION_HEADER:
            sheet.append([label, values[label]])
        sheet.append([])
        sheet.append(table_header)
        for record in inputs:
            if record["Kode Forum"] == session["Kode Forum"]:
                row = _excel_dates(record, INPUT_DATE_LABELS)
                sheet.append([row[label] for label in table_header])
    return workbook


def write_workbooks(sink: Sink, world, rng: np.random.Generator) -> list[Forum]:
    """``forum/forum_<opd>_<year>_s<n>.xlsx`` per OPD with a service unit and semester; returns the forums
    held (for the innovation register, which names the forums where residents were consulted)."""
    units, categories, held = service_units(), _categories(), []
    sink.log.declare(SESSION_SOURCE, SESSION_RULES)
    sink.log.declare(INPUT_SOURCE, INPUT_RULES)
    for year in world.history.years:
        for semester in (1, 2):
            for position, opd in enumerate(sorted(units)):
                sessions, inputs = _draw_semester(world, year, semester, opd, units[opd], rng, categories)
                held += [
                    Forum(s["Kode Forum"], opd, dt.datetime.strptime(s["Tanggal Forum"], "%d/%m/%Y").date())
                    for s in sessions
                ]
                path = f"landing/forum/forum_{opd.removeprefix('OPD-').lower()}_{year.year}_s{semester}.xlsx"
                per_semester = (position + semester) % 2 == 0
                if per_semester:
                    sessions = _break(sink, SESSION_SOURCE, path, sessions, SESSION_RULES, rng, _mutate_session, 0)
                    inputs = _break(sink, INPUT_SOURCE, path, inputs, INPUT_RULES, rng, _mutate_input, 0)
                    workbook = _semester_workbook(sessions, inputs)
                else:
                    # a sheet per forum: an input's forum is its sheet's, so its defects stay on its sheet
                    # (no duplicate carried to another forum) and a session defect never removes the code
                    broken, offset = [], 0
                    for session in sessions:
                        own = [record for record in inputs if record["Kode Forum"] == session["Kode Forum"]]
                        rules = tuple(rule for rule in INPUT_RULES if rule != DUPLICATE_KEY)
                        own = _break(sink, INPUT_SOURCE, path, own, rules, rng, _mutate_input, offset)
                        broken += own
                        offset += len(own)
                    inputs = broken
                    session_rules = tuple(rule for rule in SESSION_RULES if rule != DUPLICATE_KEY)
                    sessions = _break(sink, SESSION_SOURCE, path, sessions, session_rules, rng, _mutate_session, 0)
                    workbook = _form_workbook(sessions, inputs)
                sink.landing.write_xlsx(path, workbook, len(sessions) + len(inputs))
    return held


def _break(sink: Sink, source: str, path: str, records, rules, rng, mutate, offset: int) -> list[dict]:
    applicable = _input_applicable if source == INPUT_SOURCE else None
    records, defects = inject(records, rules, sink.defect_rate, rng, mutate, "Kode Forum", applicable)
    for row_number, rule, field_name in defects:
        sink.log.add(source, path, row_number + offset, rule, field_name)
    return records
