"""Survei Kepuasan Masyarakat: each service unit's survey form (PermenPAN-RB 14/2017), exported once a year as
the form tool writes it (docs/sources.md). Units differ in how their form is built: headers in English or
Indonesian, answers as numbers or as the questionnaire's words, with or without a phone and e-mail question."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from pembina.settings import PROJECT_ROOT
from pembina.synth.defects import DUPLICATE_KEY, INVALID_DATE, MISSING_REQUIRED, UNKNOWN_CODE, impossible_date
from pembina.synth.names import full_name, personal_email, phone_number
from pembina.synth.output import Sink

if TYPE_CHECKING:
    from pembina.synth.careers import World, Year

SOURCE = "skm"
INVALID_ANSWER = "invalid_answer"
RULES = (MISSING_REQUIRED, INVALID_DATE, UNKNOWN_CODE, INVALID_ANSWER, DUPLICATE_KEY)
SEEDS = PROJECT_ROOT / "dbt_project" / "seeds"
ELEMENTS = tuple(f"u{n}" for n in range(1, 10))
QUESTIONS = (
    "U1. Kesesuaian persyaratan pelayanan dengan jenis pelayanannya",
    "U2. Kemudahan prosedur pelayanan",
    "U3. Kecepatan waktu pelayanan",
    "U4. Kewajaran biaya/tarif pelayanan",
    "U5. Kesesuaian produk pelayanan dengan standar pelayanan",
    "U6. Kompetensi/kemampuan petugas",
    "U7. Perilaku petugas (kesopanan dan keramahan)",
    "U8. Penanganan pengaduan saran dan masukan",
    "U9. Kualitas sarana dan prasarana",
)
AGE_BANDS = ("<20", "20-29", "30-39", "40-49", "50-59", ">=60")
EDUCATION = ("SD", "SMP", "SMA/SMK", "D1-D3", "D4/S1", "S2", "S3")
OCCUPATIONS = ("PNS", "TNI/Polri", "Pegawai Swasta", "Wiraswasta", "Petani/Nelayan", "Pelajar/Mahasiswa", "Lainnya")
SUGGESTIONS = (
    "Antrian terlalu lama, mohon tambah loket",
    "Petugas ramah dan cepat, pertahankan",
    "Ruang tunggu panas, tolong pasang kipas angin",
    "Persyaratan kurang jelas, mohon ada papan informasi",
    "Jaringan internet sering putus sehingga layanan online terhambat",
    "Blanko sering habis",
    "Tidak ada biaya, terima kasih",
    "Toilet kotor",
    "Prosedur masih berbelit",
    "Mohon jam pelayanan diperpanjang",
    "Sudah baik",
)
UNKNOWN_UNITS = ("UL-DUKCAPIL-PASPOR", "Loket 3", "UL-RSUD-RANAP")
BAD_ANSWERS = ("5", "0", "Lumayan", "Cukup baik")
SAMPLE_CHI_SQUARE, SAMPLE_P, SAMPLE_D = 3.841, 0.5, 0.05  # ref_skm_rule


@dataclass(frozen=True)
class FormStyle:
    indonesian_headers: bool
    words: bool
    contacts: bool


def _rows(seed: str) -> list[dict[str, str]]:
    with (SEEDS / f"{seed}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def minimum_sample(population: int) -> int:
    spread = SAMPLE_CHI_SQUARE * SAMPLE_P * (1 - SAMPLE_P)
    return math.ceil(spread * population / (SAMPLE_D**2 * (population - 1) + spread))


def _header(style: FormStyle) -> list[str]:
    header = [
        "Cap waktu" if style.indonesian_headers else "Timestamp", "Unit Layanan", "Jenis Layanan", "Usia",
        "Jenis Kelamin", "Pendidikan Terakhir", "Pekerjaan Utama", *QUESTIONS, "Saran dan Masukan",
    ]  # fmt: skip
    return [*header, "Nomor HP/WA", "Email"] if style.contacts else header


def _timestamp(moment: np.datetime64) -> str:
    text = str(moment.astype("datetime64[s]"))  # yyyy-mm-ddThh:mm:ss
    hour = int(text[11:13])
    return f"{text[8:10]}/{text[5:7]}/{text[:4]} {hour}:{text[14:16]}:{text[17:19]}"


def _suggestion(rng: np.random.Generator, phone: str) -> str:
    text = SUGGESTIONS[rng.integers(len(SUGGESTIONS))]
    personal = rng.random()
    if personal < 0.15:
        name = full_name(rng, bool(rng.random() < 0.6), bool(rng.random() < 0.5)).title()
        return f"{text}. Terima kasih Ibu {name}"
    if personal < 0.25:
        return f"{text}, hubungi saya di {phone}"
    return text


def write_forms(sink: Sink, world: World, year: Year, rng: np.random.Generator) -> None:
    """``skm/skm_<unit>_<year>.csv``: one export per unit and year, responses of both semesters."""
    scale = min(1.0, len(world.people) / 6000)
    words = {row["element_code"].lower(): [row[f"answer_{n}"] for n in range(1, 5)] for row in _rows("ref_skm_element")}
    for index, unit in enumerate(_rows("ref_service_unit")):
        unit_rng = np.random.default_rng([int(rng.integers(1 << 31)), index])
        style = FormStyle(bool(index % 2), index % 9 == 0, index % 6 != 0)  # a few forms of each kind
        quality = 2.7 + 0.8 * unit_rng.random() + 0.1 * (year.year - 2023)  # units improve a little each year
        element_shift = unit_rng.normal(0, 0.25, len(ELEMENTS))
        population = round(int(unit["annual_service_users"]) / 2)
        records = []
        for semester_start in (f"{year.year}-01-01", f"{year.year}-07-01"):
            count = max(2, round(minimum_sample(population) * unit_rng.uniform(0.3, 1.2) * scale))
            start = np.datetime64(f"{semester_start}T07:30:00")
            seconds = np.sort(unit_rng.choice(181 * 24 * 3600, size=count, replace=False))
            for moment in start + seconds.astype("timedelta64[s]"):
                answers = np.clip(np.rint(unit_rng.normal(quality + element_shift, 0.6)), 1, 4).astype(int)
                phone = phone_number(unit_rng)
                has_contacts = style.contacts and unit_rng.random() < 0.7
                record = {
                    "waktu": _timestamp(moment),
                    "unit": unit["service_unit_name"] if style.words else unit["service_unit_code"],
                    "jenis_layanan": "Layanan umum",
                    "usia": AGE_BANDS[unit_rng.integers(len(AGE_BANDS))],
                    "jenis_kelamin": ("Laki-laki", "Perempuan")[unit_rng.integers(2)]
                    if style.words
                    else "LP"[unit_rng.integers(2)],
                    "pendidikan": EDUCATION[unit_rng.integers(len(EDUCATION))],
                    "pekerjaan": OCCUPATIONS[unit_rng.integers(len(OCCUPATIONS))],
                    **{
                        element: words[element][value - 1] if style.words else str(value)
                        for element, value in zip(ELEMENTS, answers, strict=True)
                    },
                    "saran": _suggestion(unit_rng, phone) if unit_rng.random() < 0.35 else "",
                    "no_hp": phone if has_contacts else "",
                    "email": personal_email(unit_rng, full_name(unit_rng, True, True)) if has_contacts else "",
                }
                records.append(record)
        path = f"landing/skm/skm_{unit['service_unit_code'].lower()}_{year.year}.csv"
        records = sink.break_rows(SOURCE, path, records, RULES, rng, _mutate(year.year), "waktu")
        columns = ["waktu", "unit", "jenis_layanan", "usia", "jenis_kelamin", "pendidikan", "pekerjaan", *ELEMENTS]
        columns += ["saran", "no_hp", "email"] if style.contacts else ["saran"]
        sink.landing.write_csv(path, _header(style), [[record[c] for c in columns] for record in records])


def _mutate(year: int):
    def mutate(record: dict, rule: str, rng: np.random.Generator) -> str:
        if rule == MISSING_REQUIRED:
            element = ELEMENTS[rng.integers(len(ELEMENTS))]
            record[element] = ""
            return element
        if rule == INVALID_DATE:
            record["waktu"] = impossible_date(rng, year, "dmy/") + record["waktu"][10:]
            return "waktu"
        if rule == UNKNOWN_CODE:
            record["unit"] = UNKNOWN_UNITS[rng.integers(len(UNKNOWN_UNITS))]
            return "unit"
        if rule == INVALID_ANSWER:
            element = ELEMENTS[rng.integers(len(ELEMENTS))]
            record[element] = BAD_ANSWERS[rng.integers(len(BAD_ANSWERS))]
            return element
        raise ValueError(f"no SKM mutation for rule {rule}")

    return mutate
