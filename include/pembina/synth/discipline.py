"""Discipline sanctions under PP 94/2021 and the BKPSDM register that reports them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from pembina.synth.codes import DISCIPLINE_SANCTIONS, DISMISSAL_SANCTION, KIND_PNS
from pembina.synth.dates import DAY, day_month_year, first_of_month, month_number, random_dates, year_of
from pembina.synth.defects import RecordRules
from pembina.synth.output import Sink
from pembina.synth.rng import weighted_choice

if TYPE_CHECKING:  # careers draws sanctions from this module
    from pembina.synth.careers import World, Year

SOURCE = "discipline"
SANCTION_RATE_PER_YEAR = 0.015
SANCTION_WEIGHTS = (0.25, 0.2, 0.15, 0.12, 0.08, 0.08, 0.05, 0.045, 0.025)  # per DISCIPLINE_SANCTIONS entry
REGISTER_END_DATE_MISSING_SHARE = 0.15
REGISTER_END_DATE_MISMATCH_SHARE = 0.05
REASONS = {
    "ringan": (
        "Tidak masuk kerja tanpa alasan yang sah selama 3 hari kerja",
        "Tidak menaati ketentuan jam kerja",
        "Tidak menyusun SKP tepat waktu",
    ),
    "sedang": (
        "Tidak masuk kerja tanpa alasan yang sah selama 11 hari kerja dalam 1 tahun",
        "Tidak mencapai target kinerja",
        "Menggunakan barang milik daerah untuk kepentingan pribadi",
    ),
    "berat": (
        "Tidak masuk kerja tanpa alasan yang sah selama 28 hari kerja dalam 1 tahun",
        "Menyalahgunakan wewenang",
        "Menyalahgunakan keuangan daerah",
    ),
}
HEADER = ["nip", "nama", "nomor_sk", "tanggal_sk", "tingkat", "jenis", "tmt_mulai", "tmt_selesai", "alasan"]
UNKNOWN_LEVELS = ("sangat berat", "teguran", "disiplin")


@dataclass(frozen=True)
class Sanctions:
    person: np.ndarray
    sanction: np.ndarray  # index into DISCIPLINE_SANCTIONS
    decree_date: np.ndarray
    start: np.ndarray
    end: np.ndarray  # NaT for sanctions without a duration
    decree_number: np.ndarray
    reason: np.ndarray

    @classmethod
    def concat(cls, parts: list[Sanctions]) -> Sanctions:
        if not parts:
            return cls(*(np.array([], dtype=dtype) for dtype in (int, int, DAY, DAY, DAY, object, object)))
        return cls(*(np.concatenate([getattr(p, name) for p in parts]) for name in cls.__dataclass_fields__))

    def _is_dismissal(self) -> np.ndarray:
        return np.array([DISCIPLINE_SANCTIONS[s][1] == DISMISSAL_SANCTION for s in self.sanction], dtype=bool)

    def dismissal_dates(self, population_size: int) -> np.ndarray:
        dates = np.full(population_size, np.datetime64("NaT"), dtype=DAY)
        dismissed = self._is_dismissal()
        dates[self.person[dismissed]] = self.start[dismissed]
        return dates

    def under_heavy_sanction(self, persons: np.ndarray, date: np.datetime64) -> np.ndarray:
        heavy = np.array([DISCIPLINE_SANCTIONS[s][0] == "berat" for s in self.sanction], dtype=bool)
        running = heavy & ~self._is_dismissal() & (self.start <= date) & (self.end >= date)
        return np.isin(persons, self.person[running])


def decree_period_end(start: np.ndarray, months: np.ndarray) -> np.ndarray:
    """The last day of a sanction of ``months`` months from ``start``: the day before the same date that many
    months later, or the last day of that month when it has no such date (as fct_discipline_sanction reads it)."""
    target_month = month_number(start) + months
    same_day = first_of_month(target_month) + (start - first_of_month(month_number(start)))
    month_after = first_of_month(target_month + 1)
    return np.where(same_day < month_after, same_day, month_after) - np.timedelta64(1, "D")


def _as_registered(rng: np.random.Generator, end: np.ndarray) -> list[str]:
    """tmt_selesai as the register writes it: left out for about 15% of the sanctions with a duration (the
    decree's duration then sets the end) and, for about 5%, the same date N months later instead of the day
    before (a finding); otherwise the decree's end."""
    draws = rng.random(len(end))
    written = np.where(draws < REGISTER_END_DATE_MISMATCH_SHARE, end + np.timedelta64(1, "D"), end)
    written = np.where(draws >= 1 - REGISTER_END_DATE_MISSING_SHARE, np.datetime64("NaT"), written).astype(DAY)
    return day_month_year(written, "/")


def draw_sanctions(rng: np.random.Generator, people, employed: np.ndarray, year: int) -> Sanctions:
    eligible = employed & (people.kind == KIND_PNS)
    persons = np.flatnonzero(eligible & (rng.random(len(people)) < SANCTION_RATE_PER_YEAR))
    count = len(persons)
    decree = random_dates(rng, f"{year}-01-10", f"{year}-12-15", count)
    order = np.argsort(decree, kind="stable")
    persons, decree = persons[order], decree[order]
    start = (decree + rng.integers(0, 15, count).astype("timedelta64[D]")).astype(DAY)
    sanction = weighted_choice(rng, DISCIPLINE_SANCTIONS, SANCTION_WEIGHTS, count)
    months = np.array([DISCIPLINE_SANCTIONS[s][2] or 0 for s in sanction], dtype=np.int64)
    end = np.where(months > 0, decree_period_end(start, months), np.datetime64("NaT")).astype(DAY)
    levels = [DISCIPLINE_SANCTIONS[s][0] for s in sanction]
    numbers = np.array(
        [f"800.1.6.4/{i + 1:03d}/{'BUP' if level == 'berat' else 'BKPSDM'}/{year}" for i, level in enumerate(levels)],
        dtype=object,
    )
    reasons = np.array([REASONS[level][rng.integers(3)] for level in levels], dtype=object)
    return Sanctions(persons, sanction, decree, start, end, numbers, reasons)


def write_register(sink: Sink, world: World, year: Year, rng: np.random.Generator) -> None:
    """``discipline/hukuman_disiplin_YYYY.csv``: semicolon-separated, dates dd/mm/yyyy."""
    people, sanctions = world.people, world.history.sanctions
    in_year = year_of(sanctions.decree_date) == year.year
    indices = np.flatnonzero(in_year)
    decree, start = (day_month_year(getattr(sanctions, name)[indices], "/") for name in ("decree_date", "start"))
    end = _as_registered(rng, sanctions.end[indices])
    records = [
        {
            "nip": people.nip[sanctions.person[i]],
            "nama": people.nama[sanctions.person[i]],
            "nomor_sk": sanctions.decree_number[i],
            "tanggal_sk": decree[k],
            "tingkat": DISCIPLINE_SANCTIONS[sanctions.sanction[i]][0],
            "jenis": DISCIPLINE_SANCTIONS[sanctions.sanction[i]][1],
            "tmt_mulai": start[k],
            "tmt_selesai": end[k],
            "alasan": sanctions.reason[i],
        }
        for k, i in enumerate(indices)
    ]
    rules = RecordRules(
        nip_field="nip",
        key_field="nomor_sk",
        date_fields=("tanggal_sk", "tmt_mulai"),
        date_style="dmy/",
        year=year.year,
        code_field="tingkat",
        unknown_codes=UNKNOWN_LEVELS,
    )
    path = f"landing/discipline/hukuman_disiplin_{year.year}.csv"
    records = sink.break_records(SOURCE, path, records, rules, rng)
    sink.landing.write_csv(path, HEADER, [[record[c] for c in HEADER] for record in records], delimiter=";")
