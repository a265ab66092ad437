"""Study, internships and short courses of ASN at the universities of Manokwari, and the reports the three
universities send (UNIPA CSV, UMPB JSON, STIH Manokwari semicolon CSV)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from pembina.synth.codes import EDUCATION, KIND_PNS
from pembina.synth.dates import DAY, day_month_year, first_of_month, iso, month_number, random_dates
from pembina.synth.defects import RecordRules
from pembina.synth.output import Sink

if TYPE_CHECKING:  # careers draws programmes from this module
    from pembina.synth.careers import World, Year

FIRST_YEAR, LAST_YEAR = 2023, 2025
TUGAS_BELAJAR, IZIN_BELAJAR, MAGANG, KURSUS = "tugas belajar", "izin belajar", "magang", "kursus singkat"
STATUSES = ("aktif", "lulus", "tidak lulus", "mengundurkan diri")


@dataclass(frozen=True)
class Offer:
    university: str  # landing folder name
    name: str
    programme_type: str
    jenjang: str  # degree level for study programmes, '' otherwise
    duration_days: int
    total_sks: int  # 0 when the university awards no credits


OFFERS = (
    Offer("unipa", "Magister Ilmu Lingkungan", TUGAS_BELAJAR, "S-2", 730, 42),
    Offer("unipa", "Magister Agribisnis", TUGAS_BELAJAR, "S-2", 730, 40),
    Offer("unipa", "Magister Ilmu Kehutanan", IZIN_BELAJAR, "S-2", 900, 42),
    Offer("unipa", "S-1 Agribisnis", IZIN_BELAJAR, "S-1", 1460, 144),
    Offer("unipa", "Magang Laboratorium Tanah dan Air", MAGANG, "", 60, 3),
    Offer("unipa", "Magang Sistem Informasi Geografis", MAGANG, "", 90, 4),
    Offer("unipa", "Kursus Singkat Pemetaan Partisipatif", KURSUS, "", 5, 0),
    Offer("unipa", "Kursus Statistik Terapan untuk Perencanaan", KURSUS, "", 4, 0),
    Offer("unipa", "Kursus Bahasa Inggris Persiapan TOEFL", KURSUS, "", 10, 0),
    Offer("umpb", "Magister Administrasi Publik", TUGAS_BELAJAR, "S-2", 730, 44),
    Offer("umpb", "S-1 Pendidikan Guru Sekolah Dasar", IZIN_BELAJAR, "S-1", 1460, 146),
    Offer("umpb", "S-1 Manajemen", IZIN_BELAJAR, "S-1", 1460, 144),
    Offer("umpb", "Magang Pengelolaan Keuangan Daerah", MAGANG, "", 60, 2),
    Offer("umpb", "Pelatihan Public Speaking untuk ASN", KURSUS, "", 3, 0),
    Offer("umpb", "Kursus Literasi Keuangan", KURSUS, "", 2, 0),
    Offer("stih_manokwari", "S-1 Ilmu Hukum", IZIN_BELAJAR, "S-1", 1460, 144),
    Offer("stih_manokwari", "Magang Legal Drafting Produk Hukum Daerah", MAGANG, "", 45, 2),
    Offer("stih_manokwari", "Kursus Singkat Penyusunan Produk Hukum Daerah", KURSUS, "", 5, 0),
    Offer("stih_manokwari", "Kursus Hukum Administrasi Negara", KURSUS, "", 4, 0),
)
RATE_PER_YEAR = {TUGAS_BELAJAR: 0.004, IZIN_BELAJAR: 0.008, MAGANG: 0.01, KURSUS: 0.03}
OUTCOMES = {  # final status and its share
    TUGAS_BELAJAR: (("lulus", 0.8), ("tidak lulus", 0.06), ("mengundurkan diri", 0.14)),
    IZIN_BELAJAR: (("lulus", 0.75), ("tidak lulus", 0.08), ("mengundurkan diri", 0.17)),
    MAGANG: (("lulus", 0.95), ("mengundurkan diri", 0.05)),
    KURSUS: (("lulus", 0.92), ("tidak lulus", 0.05), ("mengundurkan diri", 0.03)),
}
STUDY_MAX_AGE = 45
UNIPA_HEADER = [
    "nip",
    "nama",
    "program",
    "jenis_program",
    "jenjang",
    "tanggal_mulai",
    "tanggal_selesai",
    "status",
    "sks",
    "ipk",
]
STIH_HEADER = [
    "NIP",
    "Nama",
    "Program",
    "Jenis Program",
    "Tanggal Mulai",
    "Tanggal Selesai",
    "Status",
    "SKS",
    "IPK",
    "Nilai Akhir",
]
GRADE_LETTERS = ("A", "A-", "B+", "B", "B-", "C+")


@dataclass(frozen=True)
class Programmes:
    person: np.ndarray
    offer: np.ndarray  # index into OFFERS
    start: np.ndarray
    end: np.ndarray  # planned end, or the date of withdrawal
    outcome: np.ndarray  # final status
    gpa: np.ndarray  # 0 when not applicable
    score: np.ndarray  # 0-100 final mark of a course or internship

    @classmethod
    def concat(cls, parts: list[Programmes]) -> Programmes:
        if not parts:
            return cls(*(np.array([], dtype=dtype) for dtype in (int, int, DAY, DAY, object, float, float)))
        return cls(*(np.concatenate([getattr(p, name) for p in parts]) for name in cls.__dataclass_fields__))

    def on_study_leave(self, persons: np.ndarray, date: np.datetime64) -> np.ndarray:
        """Who is on tugas belajar (full-time study leave, kedudukan hukum 03) on ``date``."""
        leave = np.array([OFFERS[o].programme_type == TUGAS_BELAJAR for o in self.offer], dtype=bool)
        running = leave & (self.start <= date) & (self.end >= date)
        return np.isin(persons, self.person[running])


def draw_programmes(rng: np.random.Generator, people, employed: np.ndarray, year: int) -> Programmes:
    """Programmes starting in ``year``, taken by the employed people given (never structural officials)."""
    age = (np.datetime64(f"{year}-07-01") - people.birth_date).astype(int) / 365.25
    education = np.array([EDUCATION[level] for level in people.education])
    pns = people.kind == KIND_PNS
    parts = []
    for programme_type, rate in RATE_PER_YEAR.items():
        if programme_type in (TUGAS_BELAJAR, IZIN_BELAJAR):
            eligible = employed & pns & (age < STUDY_MAX_AGE) & (education >= EDUCATION["SLTA"])
        else:
            eligible = employed
        persons = np.flatnonzero(eligible & (rng.random(len(people)) < rate))
        offers = _choose_offers(rng, programme_type, education[persons])
        keep = offers >= 0
        parts.append(_schedule(rng, persons[keep], offers[keep], programme_type, year))
    return Programmes.concat(parts)


def _choose_offers(rng, programme_type: str, education: np.ndarray) -> np.ndarray:
    """An offer of the type whose degree fits the diploma (S-1 study for SLTA-D-III, S-2 for S-1)."""
    chosen = np.full(len(education), -1)
    for position, level in enumerate(education):
        fitting = [
            index
            for index, offer in enumerate(OFFERS)
            if offer.programme_type == programme_type
            and (
                offer.jenjang == ""
                or (offer.jenjang == "S-1" and level < EDUCATION["D-IV"])
                or (offer.jenjang == "S-2" and EDUCATION["D-IV"] <= level < EDUCATION["S-2"])
            )
        ]
        if fitting:
            chosen[position] = fitting[rng.integers(len(fitting))]
    return chosen


def _schedule(rng, persons: np.ndarray, offers: np.ndarray, programme_type: str, year: int) -> Programmes:
    count = len(persons)
    if programme_type in (TUGAS_BELAJAR, IZIN_BELAJAR):  # academic year starts late August or September
        start = np.where(rng.random(count) < 0.5, np.datetime64(f"{year}-08-21"), np.datetime64(f"{year}-09-01"))
    else:
        start = random_dates(rng, f"{year}-01-15", f"{year}-11-30", count)
    duration = np.array([OFFERS[o].duration_days for o in offers], dtype=np.int64)
    outcomes, shares = zip(*OUTCOMES[programme_type], strict=True)
    outcome = np.array(outcomes, dtype=object)[rng.choice(len(outcomes), size=count, p=shares)]
    withdrawn_after = np.where(outcome == "mengundurkan diri", rng.uniform(0.2, 0.8, count), 1.0)
    end = start.astype(DAY) + np.round(duration * withdrawn_after).astype("timedelta64[D]")
    if programme_type in (TUGAS_BELAJAR, IZIN_BELAJAR):  # degrees end with the graduation month
        end = np.where(outcome == "mengundurkan diri", end, first_of_month(month_number(end)))
    gpa = np.where(outcome == "tidak lulus", rng.uniform(1.8, 2.7, count), rng.uniform(2.8, 3.95, count))
    score = np.where(outcome == "tidak lulus", rng.uniform(40, 59, count), rng.uniform(65, 97, count))
    return Programmes(persons, offers, start.astype(DAY), end.astype(DAY), outcome, gpa.round(2), score.round(1))


def _report_rows(programmes: Programmes, university_key: str, year: int) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Programmes of one university running in ``year``, with their status and credits on 31 December."""
    report_date = np.datetime64(f"{year}-12-31")
    at_university = np.array([OFFERS[o].university == university_key for o in programmes.offer], dtype=bool)
    running = at_university & (programmes.start <= report_date) & (programmes.end >= np.datetime64(f"{year}-01-01"))
    indices = np.flatnonzero(running)
    indices = indices[np.lexsort((indices, programmes.start[indices]))]
    status = ["aktif" if programmes.end[i] > report_date else programmes.outcome[i] for i in indices]
    elapsed = np.clip(
        (np.minimum(programmes.end[indices], report_date) - programmes.start[indices]).astype(int), 0, None
    )
    duration = np.array([OFFERS[programmes.offer[i]].duration_days for i in indices])
    total = np.array([OFFERS[programmes.offer[i]].total_sks for i in indices])
    credits = np.where(np.array(status) == "lulus", total, np.floor(total * np.minimum(elapsed / duration, 0.95)))
    return indices, status, credits.astype(int)


def _is_degree(offer_index: int) -> bool:
    return OFFERS[offer_index].jenjang != ""


def write_reports(sink: Sink, world: World, year: Year, rng: np.random.Generator) -> None:
    """The three universities' reports of the programmes running in the year."""
    for write in (_write_unipa, _write_umpb, _write_stih):
        write(sink, world, year.year, rng)


def _write_unipa(sink: Sink, world: World, year: int, rng: np.random.Generator) -> None:
    """``university/unipa/peserta_program_asn_YYYY.csv``: comma CSV, ISO dates, credits and GPA."""
    people, programmes = world.people, world.history.programmes
    indices, status, credits = _report_rows(programmes, "unipa", year)
    start, end = iso(programmes.start[indices]), iso(programmes.end[indices])
    records = []
    for k, i in enumerate(indices):
        offer = OFFERS[programmes.offer[i]]
        records.append(
            {
                "nip": people.nip[programmes.person[i]],
                "nama": people.nama[programmes.person[i]].title(),
                "program": offer.name,
                "jenis_program": offer.programme_type,
                "jenjang": offer.jenjang,
                "tanggal_mulai": start[k],
                "tanggal_selesai": end[k],
                "status": status[k],
                "sks": str(credits[k]) if offer.total_sks else "",
                "ipk": f"{programmes.gpa[i]:.2f}" if _is_degree(programmes.offer[i]) and credits[k] > 0 else "",
            }
        )
    path = f"landing/university/unipa/peserta_program_asn_{year}.csv"
    rules = RecordRules(
        nip_field="nip",
        key_field="nip",
        date_fields=("tanggal_mulai", "tanggal_selesai"),
        date_style="iso",
        year=year,
        code_field="status",
        unknown_codes=("cuti akademik", "drop out", "pindah"),
        range_field="ipk",
        out_of_range_values=("4.35", "5.00", "-1.00"),
    )
    records = sink.break_records("university_unipa", path, records, rules, rng)
    sink.landing.write_csv(path, UNIPA_HEADER, [[record[c] for c in UNIPA_HEADER] for record in records])


def _write_umpb(sink: Sink, world: World, year: int, rng: np.random.Generator) -> None:
    """``university/umpb/laporan_peserta_asn_YYYY.json``: nested JSON, dates dd-mm-yyyy, letter grades."""
    people, programmes = world.people, world.history.programmes
    indices, status, credits = _report_rows(programmes, "umpb", year)
    start, end = day_month_year(programmes.start[indices], "-"), day_month_year(programmes.end[indices], "-")
    records = []
    for k, i in enumerate(indices):
        offer = OFFERS[programmes.offer[i]]
        finished_course = not _is_degree(programmes.offer[i]) and status[k] in ("lulus", "tidak lulus")
        letter = GRADE_LETTERS[min(int((97 - programmes.score[i]) // 6), len(GRADE_LETTERS) - 1)]
        records.append(
            {
                "nip": people.nip[programmes.person[i]],
                "nama": people.nama[programmes.person[i]].title(),
                "program.nama": offer.name,
                "program.jenis": offer.programme_type,
                "program.jenjang": offer.jenjang or None,
                "periode.mulai": start[k],
                "periode.selesai": end[k],
                "status": status[k],
                "nilai.sks": int(credits[k]) if offer.total_sks else None,
                "nilai.huruf": ("D" if status[k] == "tidak lulus" else letter) if finished_course else None,
            }
        )
    path = f"landing/university/umpb/laporan_peserta_asn_{year}.json"
    rules = RecordRules(
        nip_field="nip",
        key_field="nip",
        date_fields=("periode.mulai", "periode.selesai"),
        date_style="dmy-",
        year=year,
        missing_value=None,
        code_field="status",
        unknown_codes=("cuti", "non-aktif", "skorsing"),
        range_field="nilai.sks",
        out_of_range_values=(-2, 400),
    )
    records = sink.break_records("university_umpb", path, records, rules, rng)
    document = {
        "universitas": "Universitas Muhammadiyah Papua Barat",
        "tahun_laporan": year,
        "tanggal_laporan": f"31-12-{year}",
        "peserta": [_nest(record) for record in records],
    }
    sink.landing.write_json(path, document, len(records))


def _nest(record: dict) -> dict:
    nested: dict = {}
    for dotted, value in record.items():
        *parents, leaf = dotted.split(".")
        target = nested
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value
    return nested


def _decimal_comma(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def _write_stih(sink: Sink, world: World, year: int, rng: np.random.Generator) -> None:
    """``university/stih_manokwari/rekap_mahasiswa_asn_YYYY.csv``: semicolon CSV, dd/mm/yyyy, decimal commas."""
    people, programmes = world.people, world.history.programmes
    indices, status, credits = _report_rows(programmes, "stih_manokwari", year)
    start, end = day_month_year(programmes.start[indices], "/"), day_month_year(programmes.end[indices], "/")
    records = []
    for k, i in enumerate(indices):
        offer = OFFERS[programmes.offer[i]]
        degree = _is_degree(programmes.offer[i])
        finished_course = not degree and status[k] in ("lulus", "tidak lulus")
        records.append(
            {
                "NIP": people.nip[programmes.person[i]],
                "Nama": people.nama[programmes.person[i]],
                "Program": offer.name,
                "Jenis Program": offer.programme_type.title(),
                "Tanggal Mulai": start[k],
                "Tanggal Selesai": end[k],
                "Status": status[k].title(),
                "SKS": str(credits[k]) if offer.total_sks else "",
                "IPK": _decimal_comma(programmes.gpa[i], 2) if degree and credits[k] > 0 else "",
                "Nilai Akhir": _decimal_comma(programmes.score[i], 1) if finished_course else "",
            }
        )
    path = f"landing/university/stih_manokwari/rekap_mahasiswa_asn_{year}.csv"
    rules = RecordRules(
        nip_field="NIP",
        key_field="NIP",
        date_fields=("Tanggal Mulai", "Tanggal Selesai"),
        date_style="dmy/",
        year=year,
        code_field="Status",
        unknown_codes=("Cuti Akademik", "Non Aktif", "Skorsing"),
        range_field="Nilai Akhir",
        out_of_range_values=("105,0", "-5,0", "250,0"),
    )
    records = sink.break_records("university_stih_manokwari", path, records, rules, rng)
    sink.landing.write_csv(path, STIH_HEADER, [[record[c] for c in STIH_HEADER] for record in records], delimiter=";")
