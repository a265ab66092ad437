"""Competency development from three vendors, each in its own format and its own unit: BPSDM Papua Barat
(XLSX, JP: its "Jumlah Jam" are jam pelajaran), LAN RI (CSV, JP) and the e-learning platform (JSON lines,
minutes). Some trainings are reported twice, as they are in the real sources: LAN RI also reports a share of
the Latsar BPSDM organised (it certifies them), and BPSDM re-reports the platform courses it organises."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from openpyxl import Workbook
from openpyxl.styles import Font

from pembina.synth.careers import World, Year
from pembina.synth.codes import (
    GRADE_III_A,
    GRADE_III_C,
    KIND_PNS,
    LEVEL_ADMINISTRATOR,
    LEVEL_JPT,
    LEVEL_PENGAWAS,
)
from pembina.synth.dates import days, random_dates
from pembina.synth.defects import RecordRules
from pembina.synth.jobs import FAMILIES
from pembina.synth.output import Sink

LATSAR_DAYS = 51  # domain.md §5
LATSAR_JP = 459
LATSAR_AT_LAN_SHARE = 0.2
TRAINED_STATUSES = ("01", "15", "20")


@dataclass(frozen=True)
class Course:
    name: str
    kind: str
    jp: int  # BPSDM's "Jumlah Jam": jam pelajaran
    days: int
    family: str | None = None  # a functional course is only for the holders of that post


BPSDM_COURSES = (
    Course("Diklat Teknis Pengadaan Barang/Jasa Pemerintah", "Teknis", 40, 5),
    Course("Bimtek Penyusunan SKP dan Manajemen Kinerja", "Teknis", 24, 3),
    Course("Diklat Teknis Pengelolaan Keuangan Daerah", "Teknis", 48, 6),
    Course("Diklat Teknis Kearsipan Dinamis", "Teknis", 32, 4),
    Course("Diklat Teknis Pelayanan Publik", "Teknis", 30, 4),
    Course("Bimtek Aplikasi SIPD", "Teknis", 24, 3),
    Course("Diklat Teknis Analisis Jabatan dan Beban Kerja", "Teknis", 40, 5),
    Course("Diklat Fungsional Penjenjangan Auditor", "Fungsional", 80, 10, "auditor"),
    Course("Pelatihan Fungsional Perencana Pertama", "Fungsional", 120, 15, "perencana"),
    Course("Diklat Fungsional Penyuluh Pertanian", "Fungsional", 60, 8, "penyuluh_pertanian"),
    Course("Pelatihan Fungsional Analis SDM Aparatur", "Fungsional", 60, 8, "analis_sdm"),
    Course("Pelatihan Peningkatan Kompetensi Guru", "Fungsional", 32, 4, "guru"),
    Course("Pelatihan Kegawatdaruratan Medis", "Fungsional", 40, 5, "perawat"),
    Course("Pelatihan Wawasan Kebangsaan dan Nilai Bela Negara", "Sosial Kultural", 20, 3),
    Course("Pelatihan Moderasi Beragama", "Sosial Kultural", 18, 3),
    Course("Seminar Reformasi Birokrasi dan Pelayanan Publik", "Seminar", 8, 1),
    Course("Workshop Penyusunan Rencana Strategis OPD", "Workshop", 16, 2),
    Course("Coaching Kinerja bagi Pejabat Pengawas", "Coaching", 12, 3),
)
# A share of the Latsar BPSDM organises is also reported by LAN RI, which certifies it: same course, same days.
LAN_CERTIFIED_LATSAR_SHARE = 0.35
LAN_CERTIFIED_COHORT = "Kerja Sama BPSDM Papua Barat"
# Platform courses BPSDM organises; it re-reports a share of their completions in its recap, its dates a day
# off the platform's (its own schedule), in JP (ref_training_program_equivalence makes them one course).
BPSDM_ORGANISED_COURSES = ("ASN-BLD-0001", "ASN-BLD-0004", "ASN-BLD-0006")
BPSDM_REREPORT_SHARE = 0.3
BPSDM_LATSAR = {"III": "Pelatihan Dasar CPNS Golongan III", "II": "Pelatihan Dasar CPNS Golongan II"}
BPSDM_STATUSES = (("Lulus", 0.95), ("Tidak Lulus", 0.03), ("Mengundurkan Diri", 0.02))
BPSDM_HEADER = [
    "No",
    "NIP",
    "Nama Peserta",
    "Unit Kerja",
    "Nama Diklat",
    "Jenis Diklat",
    "Tanggal Mulai",
    "Tanggal Selesai",
    "Jumlah Jam",
    "Status Kelulusan",
]
BPSDM_SHEET = "Rekap Peserta"
BPSDM_HEADER_ROW = 4  # two title rows and a blank row above the header

LAN_PROGRAMMES = {  # code: (name, JP, days, position level it is for)
    "PKN2": ("Pelatihan Kepemimpinan Nasional Tingkat II", 580, 120, LEVEL_JPT),
    "PKA": ("Pelatihan Kepemimpinan Administrator", 520, 110, LEVEL_ADMINISTRATOR),
    "PKP": ("Pelatihan Kepemimpinan Pengawas", 420, 90, LEVEL_PENGAWAS),
    "LATSAR": ("Pelatihan Dasar CPNS", LATSAR_JP, LATSAR_DAYS, None),
}
LAN_HEADER = [
    "nip",
    "nama",
    "kode_program",
    "nama_program",
    "angkatan",
    "tanggal_mulai",
    "tanggal_selesai",
    "durasi_jp",
    "status_kelulusan",
    "predikat_kelulusan",
]
LAN_COHORTS = (("Angkatan I", "02-12"), ("Angkatan II", "04-08"), ("Angkatan III", "06-03"), ("Angkatan IV", "08-05"))
LATSAR_COHORT_AFTER = np.timedelta64(45, "D")  # a new CPNS joins the first LAN cohort this long after TMT
LAN_RESULTS = ("LULUS", "TIDAK LULUS", "MENGUNDURKAN DIRI")
LAN_RESULT_SHARES = (0.93, 0.04, 0.03)
LAN_PREDIKAT = ("Sangat Memuaskan", "Memuaskan", "Cukup Memuaskan")
LEADERSHIP_SHARE = 0.15  # of structural officials per year
PRE_APPOINTMENT_PKP_SHARE = 0.01  # of senior non-structural PNS

ELEARNING_COURSES = (
    ("ASN-BLD-0001", "Orientasi Nilai Dasar BerAKHLAK", 180),
    ("ASN-BLD-0002", "Manajemen ASN", 240),
    ("ASN-BLD-0003", "Penyusunan SKP", 150),
    ("ASN-BLD-0004", "Literasi Digital ASN", 300),
    ("ASN-BLD-0005", "Pelayanan Publik Prima", 240),
    ("ASN-BLD-0006", "Pendidikan Antikorupsi untuk ASN", 360),
    ("ASN-BLD-0007", "Dasar Pengadaan Barang/Jasa", 420),
    ("ASN-BLD-0008", "Manajemen Risiko Sektor Publik", 300),
    ("ASN-BLD-0009", "Pengelolaan Arsip Dinamis", 210),
    ("ASN-BLD-0010", "Keamanan Informasi", 180),
    ("ASN-BLD-0011", "Wawasan Kebangsaan", 240),
    ("ASN-BLD-0012", "Moderasi Beragama", 270),
    ("ASN-BLD-0013", "Penganggaran Berbasis Kinerja", 480),
    ("ASN-BLD-0014", "Analisis Jabatan", 360),
    ("ASN-BLD-0015", "Public Speaking untuk ASN", 120),
    ("ASN-BLD-0016", "Smart ASN: Kerja Kolaboratif", 90),
)
# Share of people who learn on the platform regularly, and courses a year for them and for the rest.
ACTIVE_LEARNER_SHARE = 0.55
COURSES_PER_YEAR = {True: 6.5, False: 0.8}
ELEARNING_COMPLETION_SHARE = 0.85
BPSDM_SHARE = 0.1  # of staff on a BPSDM course in a year, more for keen learners


def _trained(year: Year) -> np.ndarray:
    """Rows of the year-end snapshot who take part in training that year."""
    return np.flatnonzero(np.isin(year.snapshot.kedudukan, TRAINED_STATUSES))


def write_vendor_files(sink: Sink, world: World, year: Year, rng: np.random.Generator) -> None:
    """The three vendors' files for the year; new CPNS attend Latsar at BPSDM or, some, at LAN; LAN reports a
    share of BPSDM's Latsar again, and BPSDM re-reports some of the platform courses it organises."""
    people = world.people
    new_cpns = np.flatnonzero(
        (people.kind == KIND_PNS) & (people.appointed.astype("datetime64[Y]") == np.datetime64(f"{year.year}", "Y"))
    )
    latsar_start = people.appointed[new_cpns] + rng.integers(60, 150, len(new_cpns)).astype("timedelta64[D]")
    at_lan = rng.random(len(new_cpns)) < LATSAR_AT_LAN_SHARE
    rereported = _write_elearning(sink, world, year, rng)
    latsar = _write_bpsdm(sink, world, year, new_cpns[~at_lan], latsar_start[~at_lan], rereported, rng)
    certified = [item for item in latsar if rng.random() < LAN_CERTIFIED_LATSAR_SHARE]
    _write_lan(sink, world, year, new_cpns[at_lan], certified, rng)


def _date_cell(value, as_excel_date: bool) -> dt.datetime | str:
    """BPSDM staff type some dates as text (dd/mm/yyyy) and let Excel store others as dates."""
    if isinstance(value, str):  # an impossible date injected as a defect stays text
        return value
    if as_excel_date:
        return dt.datetime.fromisoformat(str(value))
    return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")


def _write_bpsdm(sink: Sink, world: World, year: Year, latsar_people, latsar_start, rereported, rng) -> list:
    """``training/bpsdm_papua_barat/rekap_peserta_bpsdm_YYYY.xlsx``: sheet 'Rekap Peserta', header on row 4.
    Returns the Latsar rows as written (NIP, name, start, end, status), for LAN RI to certify some."""
    people, opds, snapshot = world.people, world.opds, year.snapshot
    opd_of = dict(zip(snapshot.person.tolist(), snapshot.opd.tolist(), strict=True))
    rows = []  # (person, course name, kind, start, JP, days)
    for person, start in zip(latsar_people, latsar_start, strict=True):
        band = "III" if people.start_grade[person] >= GRADE_III_A else "II"
        rows.append((person, BPSDM_LATSAR[band], "Latsar CPNS", start, LATSAR_JP, LATSAR_DAYS))
    trained = _trained(year)
    keen = people.learning_propensity[snapshot.person[trained]]
    attending = trained[rng.random(len(trained)) < BPSDM_SHARE * (0.5 + keen)]
    starts = random_dates(rng, f"{year.year}-02-01", f"{year.year}-11-20", len(attending))
    for row, start in zip(attending, starts, strict=True):
        family = FAMILIES[people.family[snapshot.person[row]]].key
        fitting = [course for course in BPSDM_COURSES if course.family in (None, family)]
        course = fitting[rng.integers(len(fitting))]
        rows.append((snapshot.person[row], course.name, course.kind, start, course.jp, course.days))
    rows.extend(rereported)
    rows.sort(key=lambda item: (item[3], item[1], people.nip[item[0]]))
    statuses, shares = zip(*BPSDM_STATUSES, strict=True)
    records = []
    for number, (person, name, kind, start, jp, length) in enumerate(rows, start=1):
        opd = opd_of.get(person, people.first_opd[person])
        records.append(
            {
                "No": number,
                "NIP": people.nip[person],
                "Nama Peserta": people.nama[person].title(),
                "Unit Kerja": opds.names[opd],
                "Nama Diklat": name,
                "Jenis Diklat": kind,
                "Tanggal Mulai": start,
                "Tanggal Selesai": start + np.timedelta64(length - 1, "D"),
                "Jumlah Jam": jp,
                "Status Kelulusan": statuses[rng.choice(len(statuses), p=shares)],
            }
        )
    path = f"landing/training/bpsdm_papua_barat/rekap_peserta_bpsdm_{year.year}.xlsx"
    rules = RecordRules(
        nip_field="NIP",
        key_field="NIP",
        date_fields=("Tanggal Mulai", "Tanggal Selesai"),
        date_style="dmy/",
        year=year.year,
        missing_value=None,
        code_field="Jenis Diklat",
        unknown_codes=("Studi Banding", "Outbound", "Rapat Kerja"),
        range_field="Jumlah Jam",
        out_of_range_values=(0, -8, 9999),
    )
    latsar = [
        (
            record["NIP"],
            record["Nama Peserta"],
            record["Tanggal Mulai"],
            record["Tanggal Selesai"],
            record["Status Kelulusan"],
        )
        for record in records
        if record["Jenis Diklat"] == "Latsar CPNS"
    ]
    records = sink.break_records("training_bpsdm_papua_barat", path, records, rules, rng)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = BPSDM_SHEET
    sheet.append(["REKAPITULASI PESERTA PENGEMBANGAN KOMPETENSI"])
    sheet.append([f"BPSDM PROVINSI PAPUA BARAT - PESERTA ASAL PEMERINTAH KAB. MANOKWARI TAHUN {year.year}"])
    sheet.append([])
    sheet.append(BPSDM_HEADER)
    for cell in sheet[BPSDM_HEADER_ROW]:
        cell.font = Font(bold=True)
    as_excel_date = rng.random(len(records)) < 0.5
    date_columns = [BPSDM_HEADER.index(column) for column in ("Tanggal Mulai", "Tanggal Selesai")]
    for number, (record, excel_date) in enumerate(zip(records, as_excel_date, strict=True)):
        values = [record[column] for column in BPSDM_HEADER]
        for position in date_columns:
            values[position] = _date_cell(values[position], excel_date)
        sheet.append(values)
        row = BPSDM_HEADER_ROW + 1 + number
        sheet.cell(row, BPSDM_HEADER.index("NIP") + 1).number_format = "@"
        for position in date_columns:
            if isinstance(values[position], dt.datetime):
                sheet.cell(row, position + 1).number_format = "DD/MM/YYYY"
    sink.landing.write_xlsx(path, workbook, len(records))
    return latsar


def _write_lan(sink: Sink, world: World, year: Year, latsar_people, certified, rng) -> None:
    """``training/lan_ri/peserta_pelatihan_YYYY.csv``: comma CSV, ISO dates, duration in JP; with the Latsar
    of BPSDM that LAN certified, reported again on BPSDM's days."""
    people, snapshot = world.people, year.snapshot
    cohort_starts = days([f"{year.year}-{month_day}" for _, month_day in LAN_COHORTS])
    participants = []  # (person, programme code, cohort index)
    for person in latsar_people:
        later = np.flatnonzero(cohort_starts >= people.appointed[person] + LATSAR_COHORT_AFTER)
        participants.append((person, "LATSAR", int(later[0]) if len(later) else len(LAN_COHORTS) - 1))
    for row in _trained(year):
        person = snapshot.person[row]
        code = next((c for c, (_, _, _, level) in LAN_PROGRAMMES.items() if level == snapshot.level[row]), None)
        senior_staff = code is None and people.kind[person] == KIND_PNS and snapshot.grade[row] >= GRADE_III_C
        if code and rng.random() < LEADERSHIP_SHARE:
            participants.append((person, code, int(rng.integers(len(LAN_COHORTS)))))
        elif senior_staff and rng.random() < PRE_APPOINTMENT_PKP_SHARE:
            participants.append((person, "PKP", int(rng.integers(len(LAN_COHORTS)))))
    participants.sort(key=lambda item: (item[1], item[2], people.nip[item[0]]))
    records = []
    for person, code, cohort in participants:
        name, jp, length, _ = LAN_PROGRAMMES[code]
        result = rng.choice(len(LAN_RESULTS), p=LAN_RESULT_SHARES)
        predikat = LAN_PREDIKAT[rng.integers(len(LAN_PREDIKAT))] if LAN_RESULTS[result] == "LULUS" else ""
        records.append(
            {
                "nip": people.nip[person],
                "nama": people.nama[person],
                "kode_program": code,
                "nama_program": name,
                "angkatan": LAN_COHORTS[cohort][0],
                "tanggal_mulai": str(cohort_starts[cohort]),
                "tanggal_selesai": str(cohort_starts[cohort] + np.timedelta64(length - 1, "D")),
                "durasi_jp": jp,
                "status_kelulusan": LAN_RESULTS[result],
                "predikat_kelulusan": predikat,
            }
        )
    name, jp = LAN_PROGRAMMES["LATSAR"][:2]
    for nip, participant, start, end, status in certified:
        passed = status == "Lulus"
        records.append(
            {
                "nip": nip,
                "nama": participant.upper(),
                "kode_program": "LATSAR",
                "nama_program": name,
                "angkatan": LAN_CERTIFIED_COHORT,
                "tanggal_mulai": str(start),
                "tanggal_selesai": str(end),
                "durasi_jp": jp,
                "status_kelulusan": status.upper(),
                "predikat_kelulusan": LAN_PREDIKAT[rng.integers(len(LAN_PREDIKAT))] if passed else "",
            }
        )
    path = f"landing/training/lan_ri/peserta_pelatihan_{year.year}.csv"
    rules = RecordRules(
        nip_field="nip",
        key_field="nip",
        date_fields=("tanggal_mulai", "tanggal_selesai"),
        date_style="iso",
        year=year.year,
        code_field="kode_program",
        unknown_codes=("DIKLATPIM3", "DIKLATPIM4", "PIM-II"),
        range_field="durasi_jp",
        out_of_range_values=(0, -40, 10000),
    )
    records = sink.break_records("training_lan_ri", path, records, rules, rng)
    sink.landing.write_csv(path, LAN_HEADER, [[record[c] for c in LAN_HEADER] for record in records])


def _write_elearning(sink: Sink, world: World, year: Year, rng) -> list:
    """``training/elearning_asn/course_completions_YYYY.jsonl``: one JSON object per enrolment, minutes.
    Returns the completions of the courses BPSDM organises that BPSDM re-reports, as BPSDM rows: from the
    enrolment day to the day after completion (BPSDM closes the course a day later), in JP."""
    people, snapshot = world.people, year.snapshot
    trained = _trained(year)
    persons = snapshot.person[trained]
    active = people.learning_propensity[persons] >= 1 - ACTIVE_LEARNER_SHARE
    course_counts = rng.poisson(np.where(active, COURSES_PER_YEAR[True], COURSES_PER_YEAR[False]))
    learners = np.repeat(persons, course_counts)
    total = len(learners)
    enrolled_day = random_dates(rng, f"{year.year}-01-02", f"{year.year}-12-10", total)
    enrolled = enrolled_day.astype("datetime64[m]") + rng.integers(7 * 60, 22 * 60, total).astype("timedelta64[m]")
    completed_at = enrolled + rng.integers(40, 21 * 24 * 60, total).astype("timedelta64[m]")
    course = rng.integers(len(ELEARNING_COURSES), size=total)
    completed = rng.random(total) < ELEARNING_COMPLETION_SHARE
    scores = rng.integers(70, 101, total)
    order = np.lexsort((course, learners, enrolled))
    enrolled_text = np.datetime_as_string(enrolled, unit="m")
    completed_text = np.datetime_as_string(completed_at, unit="m")
    records, rereported = [], {}  # BPSDM's key: one row per person, course and start date
    rereports = rng.random(total) < BPSDM_REREPORT_SHARE
    for i in order:
        course_id, title, minutes = ELEARNING_COURSES[course[i]]
        if completed[i] and rereports[i] and course_id in BPSDM_ORGANISED_COURSES:
            length = int((completed_at[i].astype("datetime64[D]") - enrolled_day[i]) / np.timedelta64(1, "D")) + 2
            rereported[(learners[i], title, enrolled_day[i])] = (
                learners[i], title, "E-Learning", enrolled_day[i], max(round(minutes / 45), 1), length,
            )  # fmt: skip
        records.append(
            {
                "nip": people.nip[learners[i]],
                "course_id": course_id,
                "course_title": title,
                "enrolled_at": f"{enrolled_text[i]}:00+09:00",
                "completed_at": f"{completed_text[i]}:00+09:00" if completed[i] else None,
                "duration_minutes": minutes,
                "completed": bool(completed[i]),
                "score": int(scores[i]) if completed[i] else None,
            }
        )
    path = f"landing/training/elearning_asn/course_completions_{year.year}.jsonl"
    rules = RecordRules(
        nip_field="nip",
        key_field="nip",
        date_fields=("enrolled_at",),
        date_style="iso_datetime",
        year=year.year,
        missing_value=None,
        range_field="duration_minutes",
        out_of_range_values=(0, -30, 100000),
    )
    records = sink.break_records("training_elearning_asn", path, records, rules, rng)
    sink.landing.write_jsonl(path, records)
    return list(rereported.values())
