"""Everyone who works for the Kabupaten at some point in 2023-2026: the stock on 1 January 2023 and the
CPNS and PPPK intakes after it, with their identity, diploma, first post and personal data."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pembina.synth import names
from pembina.synth.codes import (
    EDUCATION,
    KIND_PNS,
    KIND_PPPK,
    KIND_PPPK_PARUH_WAKTU,
    PNS_GRADE_CEILING,
    PNS_START_GRADE,
    PPPK_GRADE_BY_EDUCATION,
)
from pembina.synth.dates import DAY, days, first_of_month, month_number, random_dates, year_of
from pembina.synth.jobs import (
    FAMILIES,
    FAMILY_INDEX,
    STRUCTURAL_FAMILY,
    WORKFORCE,
    first_degree_gelar,
    structural_posts,
)
from pembina.synth.opd import OpdTable
from pembina.synth.rng import stream, weighted_choice

STOCK_DATE = np.datetime64("2023-01-01")


@dataclass(frozen=True)
class Intake:
    kind: int
    share_of_scale: float
    appointed: str  # TMT CPNS or PPPK appointment (always the 1st of a month)


# The stock on STOCK_DATE, as shares of `scale`; the intakes bring the workforce to about `scale` by 2025.
STOCK_PNS_SHARE = 0.68
STOCK_CPNS_SHARE = 0.026  # appointed in 2022, PNS during 2023
STOCK_CPNS_APPOINTED = "2022-06-01"
STOCK_PPPK_SHARE = 0.197
STOCK_PPPK_APPOINTED = ("2022-03-01", "2022-10-01")
INTAKES = (
    Intake(KIND_PNS, 0.008, "2023-04-01"),
    Intake(KIND_PPPK, 0.030, "2023-07-01"),
    Intake(KIND_PPPK, 0.035, "2024-03-01"),
    Intake(KIND_PNS, 0.020, "2024-06-01"),
    Intake(KIND_PNS, 0.025, "2025-06-01"),
    Intake(KIND_PPPK, 0.030, "2025-07-01"),
    Intake(KIND_PPPK_PARUH_WAKTU, 0.040, "2025-10-01"),
    Intake(KIND_PPPK, 0.010, "2026-03-01"),
)
# Where the intakes go: PPPK penuh waktu are mostly teachers and health workers.
INTAKE_OPD_WEIGHT_FACTOR = {
    KIND_PNS: {"OPD-DISDIK": 1.2, "OPD-DINKES": 1.5, "OPD-RSUD": 1.5},
    KIND_PPPK: {"OPD-DISDIK": 2.2, "OPD-DINKES": 2.4, "OPD-RSUD": 1.8},
    KIND_PPPK_PARUH_WAKTU: {},
}
OAP_SHARE = {"stock": 0.64, KIND_PNS: 0.8, KIND_PPPK: 0.74, KIND_PPPK_PARUH_WAKTU: 0.78}
# Age at appointment (years) by diploma level, for CPNS; PPPK are often long-serving honorer staff.
CPNS_ENTRY_AGE = {
    "SD": (19, 27),
    "SLTP": (19, 27),
    "SLTA": (19, 30),
    "D-I": (20, 30),
    "D-II": (20, 30),
    "D-III": (21, 32),
    "D-IV": (22, 35),
    "S-1/Sarjana": (22, 35),
    "S-2": (25, 38),
    "S-3": (29, 42),
}
PPPK_ENTRY_AGE = (24.0, 50.0)
GRADUATION_AGE = {"SD": 13, "SLTP": 16, "SLTA": 19, "D-I": 20, "D-II": 21, "D-III": 22, "D-IV": 23,
                  "S-1/Sarjana": 23, "S-2": 26, "S-3": 30}  # fmt: skip
STRUCTURAL_MIN_AGE = 38.0
STRUCTURAL_SHARE_CAP = 0.3  # of an OPD's PNS, so that small OPDs at small scales are not all managers
# Months between regular promotions; most PNS move up every four years.
PROMOTION_INTERVALS = (48, 54, 60, 72)
PROMOTION_INTERVAL_WEIGHTS = (0.65, 0.15, 0.12, 0.08)
MONTHS_TO_PNS = (12, 19)  # CPNS probation: one year, the decree often comes a few months later
YEAR_DAYS = 365.25


@dataclass
class People:
    """One element per person, in a fixed order (the person id is the position)."""

    kind: np.ndarray
    in_stock: np.ndarray  # employed on STOCK_DATE
    is_oap: np.ndarray
    is_male: np.ndarray
    birth_date: np.ndarray
    appointed: np.ndarray  # TMT CPNS (PNS track) or first PPPK contract
    tmt_pns: np.ndarray  # NaT for PPPK
    first_opd: np.ndarray  # OPD index on STOCK_DATE or at appointment
    family: np.ndarray
    title: np.ndarray  # the person's own (non-structural) post title, without level
    education: np.ndarray
    pendidikan_nama: np.ndarray
    gelar_depan: np.ndarray
    gelar_belakang: np.ndarray
    graduation_year: np.ndarray
    start_grade: np.ndarray  # index into PNS_GOLONGAN or PPPK_GOLONGAN by kind
    grade_ceiling: np.ndarray
    promotion_interval: np.ndarray
    stock_tmt_jabatan: np.ndarray  # the current post's TMT for the stock, NaT for intakes
    performance: np.ndarray  # latent, standard normal; drives SKP ratings
    competence: np.ndarray  # latent, standard normal; drives assessed competency levels
    learning_propensity: np.ndarray  # uniform 0-1; drives training volume
    marriage_age: np.ndarray  # inf for people who stay single
    later_marital_status: np.ndarray  # 'Cerai Hidup' / 'Cerai Mati' after 45, or ''
    leaves_at_bup_late: np.ndarray  # uniform 0-1; decides who still shows as 'Mencapai BUP' after leaving
    nama: np.ndarray
    birthplace: np.ndarray
    religion: np.ndarray
    nip: np.ndarray
    nip_lama: np.ndarray
    nik: np.ndarray
    pns_id: np.ndarray
    phone: np.ndarray
    email: np.ndarray
    email_gov: np.ndarray
    address: np.ndarray
    npwp: np.ndarray
    bpjs: np.ndarray

    def __len__(self) -> int:
        return len(self.kind)


def build_people(scale: int, seed: int, opds: OpdTable) -> People:
    rng = stream(seed, "population")
    stock = _stock(rng, scale, opds)
    intakes = [_intake(rng, intake, scale, opds) for intake in INTAKES]
    columns = {key: np.concatenate([part[key] for part in (stock, *intakes)]) for key in stock}
    _add_identity(rng, columns)
    _add_personal_data(stream(seed, "personal-data"), columns)
    return People(**columns)


def _family_draw(rng: np.random.Generator, opd_indices: np.ndarray, opds: OpdTable, pppk: bool) -> np.ndarray:
    families = np.empty(len(opd_indices), dtype=np.int16)
    for opd in np.unique(opd_indices):
        members = np.flatnonzero(opd_indices == opd)
        shares = WORKFORCE[opds.profiles[opd].workforce][1 if pppk else 0]
        keys = list(shares)
        families[members] = [
            FAMILY_INDEX[keys[i]] for i in weighted_choice(rng, keys, list(shares.values()), len(members))
        ]
    return families


def _opd_draw(rng: np.random.Generator, opds: OpdTable, date: np.datetime64, kind: int, size: int) -> np.ndarray:
    weights = opds.weights_on(date)
    for code, factor in INTAKE_OPD_WEIGHT_FACTOR[kind].items():
        weights[opds.index(code)] *= factor
    return weighted_choice(rng, opds.codes, weights, size).astype(np.int16)


def _stock(rng: np.random.Generator, scale: int, opds: OpdTable) -> dict[str, np.ndarray]:
    pns_count = round(scale * STOCK_PNS_SHARE)
    cpns_count = round(scale * STOCK_CPNS_SHARE)
    pppk_count = round(scale * STOCK_PPPK_SHARE)
    size = pns_count + cpns_count + pppk_count
    kind = np.repeat([KIND_PNS, KIND_PNS, KIND_PPPK], [pns_count, cpns_count, pppk_count]).astype(np.int8)
    is_cpns = np.zeros(size, dtype=bool)
    is_cpns[pns_count : pns_count + cpns_count] = True
    is_pppk = kind == KIND_PPPK
    opd = np.concatenate(
        [
            _opd_draw(rng, opds, STOCK_DATE, KIND_PNS, pns_count + cpns_count),
            _opd_draw(rng, opds, STOCK_DATE, KIND_PPPK, pppk_count),
        ]
    )
    family = np.concatenate(
        [
            _family_draw(rng, opd[~is_pppk], opds, pppk=False),
            _family_draw(rng, opd[is_pppk], opds, pppk=True),
        ]
    )
    # The PNS stock skews older, as in most kabupaten.
    age_on_stock_date = 21.0 + 36.5 * rng.beta(2.0, 1.5, size)
    long_serving = ~is_cpns & ~is_pppk
    _make_structural_staff(rng, opd, family, age_on_stock_date, long_serving, opds)
    columns = _career_start(rng, kind, family)
    entry_min, entry_max = _entry_age_bounds(list(columns["education"]), kind)

    age_on_stock_date = np.maximum(age_on_stock_date, entry_min + 0.5)
    entry_age = entry_min + rng.random(size) * (np.minimum(entry_max, age_on_stock_date - 0.3) - entry_min)
    birth = _years_before(STOCK_DATE, age_on_stock_date)
    appointed = first_of_month(month_number(birth) + np.ceil(entry_age * 12).astype(np.int64))
    # CPNS of 2022 and the first PPPK were appointed on fixed dates
    appointed[is_cpns] = np.datetime64(STOCK_CPNS_APPOINTED)
    appointed[is_pppk] = days(STOCK_PPPK_APPOINTED)[rng.integers(0, len(STOCK_PPPK_APPOINTED), pppk_count)]
    recent_entry_age = entry_min + rng.random(size) * (entry_max - entry_min)
    birth = np.where(long_serving, birth, _years_before(appointed, recent_entry_age))
    tmt_jabatan = first_of_month(month_number(random_dates(rng, appointed, np.datetime64("2022-12-01"))))
    columns.update(
        kind=kind,
        in_stock=np.ones(size, dtype=bool),
        first_opd=opd,
        birth_date=birth,
        appointed=appointed,
        stock_tmt_jabatan=tmt_jabatan,
    )
    _finish_columns(rng, columns, oap_share=OAP_SHARE["stock"])
    return columns


def _years_before(dates, years: np.ndarray) -> np.ndarray:
    return (days(dates) - np.round(years * YEAR_DAYS).astype("timedelta64[D]")).astype(DAY)


def _make_structural_staff(rng, opd, family, age, long_serving, opds: OpdTable) -> None:
    """Turn some senior PNS of each OPD into holders (or candidates) of its structural posts."""
    for index in np.unique(opd):
        posts = len(structural_posts(opds.structure(index), opds.names[index]))
        in_opd = (opd == index) & long_serving
        senior = np.flatnonzero(in_opd & (age >= STRUCTURAL_MIN_AGE))
        wanted = min(posts + 2, round(STRUCTURAL_SHARE_CAP * np.count_nonzero(in_opd)), len(senior))
        family[rng.choice(senior, size=wanted, replace=False)] = STRUCTURAL_FAMILY


def _intake(rng: np.random.Generator, intake: Intake, scale: int, opds: OpdTable) -> dict[str, np.ndarray]:
    size = max(1, round(scale * intake.share_of_scale))
    appointed = np.full(size, np.datetime64(intake.appointed), dtype=DAY)
    kind = np.full(size, intake.kind, dtype=np.int8)
    opd = _opd_draw(rng, opds, appointed[0], intake.kind, size)
    if intake.kind == KIND_PPPK_PARUH_WAKTU:
        family = np.full(size, FAMILY_INDEX["pelaksana_paruh_waktu"], dtype=np.int16)
    else:
        family = _family_draw(rng, opd, opds, pppk=intake.kind == KIND_PPPK)
    columns = _career_start(rng, kind, family)
    entry_min, entry_max = _entry_age_bounds(list(columns["education"]), kind)
    entry_age = entry_min + rng.random(size) * (entry_max - entry_min)
    columns.update(
        kind=kind,
        in_stock=np.zeros(size, dtype=bool),
        first_opd=opd,
        birth_date=_years_before(appointed, entry_age),
        appointed=appointed,
        stock_tmt_jabatan=np.full(size, np.datetime64("NaT"), dtype=DAY),
    )
    _finish_columns(rng, columns, oap_share=OAP_SHARE[intake.kind])
    return columns


def _entry_age_bounds(education_levels: list, kind: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    bounds = np.array([CPNS_ENTRY_AGE[level] for level in education_levels], dtype=float)
    pppk = kind != KIND_PNS
    lower = np.where(pppk, np.maximum(bounds[:, 0], PPPK_ENTRY_AGE[0]), bounds[:, 0])
    upper = np.where(pppk, PPPK_ENTRY_AGE[1], bounds[:, 1])
    return lower, upper


def _career_start(rng, kind: np.ndarray, family: np.ndarray) -> dict[str, np.ndarray]:
    """Diploma, title and starting rank, drawn per person from the person's job family."""
    size = len(kind)
    education = np.empty(size, dtype=object)
    pendidikan = np.empty(size, dtype=object)
    gelar_belakang = np.empty(size, dtype=object)
    gelar_depan = np.empty(size, dtype=object)
    title = np.empty(size, dtype=object)
    for person in range(size):
        job = FAMILIES[family[person]]
        diploma = job.diplomas[rng.choice(len(job.diplomas), p=[d.share for d in job.diplomas])]
        programme, gelar = diploma.programmes[rng.integers(len(diploma.programmes))]
        if diploma.level in ("S-2", "S-3") and job.key != "dokter":
            gelar = f"{first_degree_gelar(rng, job)}, {gelar}"
        education[person] = diploma.level
        pendidikan[person] = programme
        gelar_belakang[person] = gelar
        gelar_depan[person] = "Dr." if diploma.level == "S-3" else job.gelar_depan
        title[person] = job.titles[rng.integers(len(job.titles))]
    level_index = np.array([EDUCATION[level] for level in education])
    pns_start = np.array(PNS_START_GRADE)[level_index]
    one_higher = np.array([FAMILIES[f].starts_one_grade_higher for f in family])
    pns_start = pns_start + (one_higher & (level_index <= EDUCATION["S-1/Sarjana"]))
    pppk = kind != KIND_PNS
    start_grade = np.where(pppk, np.array(PPPK_GRADE_BY_EDUCATION)[level_index], pns_start)
    ceiling = np.where(pppk, start_grade, np.maximum(np.array(PNS_GRADE_CEILING)[level_index], pns_start))
    functional = np.array([FAMILIES[f].functional for f in family])
    ceiling = np.where(functional & ~pppk, np.minimum(ceiling + 1, 16), ceiling)
    return {
        "family": family,
        "education": education,
        "pendidikan_nama": pendidikan,
        "gelar_depan": gelar_depan,
        "gelar_belakang": gelar_belakang,
        "title": title,
        "start_grade": start_grade.astype(np.int8),
        "grade_ceiling": ceiling.astype(np.int8),
        "promotion_interval": np.array(PROMOTION_INTERVALS)[
            weighted_choice(rng, PROMOTION_INTERVALS, PROMOTION_INTERVAL_WEIGHTS, size)
        ].astype(np.int16),
    }


def _finish_columns(rng: np.random.Generator, columns: dict, oap_share: float) -> None:
    size = len(columns["kind"])
    female_share = np.array([FAMILIES[f].female_share for f in columns["family"]])
    columns["is_male"] = rng.random(size) >= female_share
    columns["is_oap"] = rng.random(size) < oap_share
    tmt_pns_months = rng.integers(MONTHS_TO_PNS[0], MONTHS_TO_PNS[1], size)
    columns["tmt_pns"] = np.where(
        columns["kind"] == KIND_PNS,
        first_of_month(month_number(columns["appointed"]) + tmt_pns_months),
        np.datetime64("NaT"),
    ).astype(DAY)
    earliest = year_of(columns["birth_date"]) + np.array([GRADUATION_AGE[level] for level in columns["education"]])
    columns["graduation_year"] = np.clip(
        year_of(columns["appointed"]) - rng.integers(0, 4, size), earliest, year_of(columns["appointed"])
    )
    columns["performance"] = rng.standard_normal(size)
    columns["competence"] = 0.5 * columns["performance"] + 0.87 * rng.standard_normal(size)
    columns["learning_propensity"] = rng.random(size)
    columns["marriage_age"] = np.where(rng.random(size) < 0.12, np.inf, rng.normal(27.0, 3.5, size))
    later = rng.random(size)
    columns["later_marital_status"] = np.where(later < 0.04, "Cerai Hidup", np.where(later < 0.08, "Cerai Mati", ""))
    columns["leaves_at_bup_late"] = rng.random(size)


def _add_identity(rng: np.random.Generator, columns: dict) -> None:
    """NIP (or NI PPPK), NIK, names: unique, and consistent with birth date and gender (domain.md §1)."""
    size = len(columns["kind"])
    birth_iso = np.datetime_as_string(columns["birth_date"], unit="D")
    appointed_iso = np.datetime_as_string(columns["appointed"], unit="D")
    gender_digit = np.where(columns["is_male"], "1", "2")
    nip_stems = np.array(
        [
            f"{b[:4]}{b[5:7]}{b[8:10]}{a[:4]}{a[5:7]}{g}"
            for b, a, g in zip(birth_iso, appointed_iso, gender_digit, strict=True)
        ]
    )
    nip_sequence = sequence_within_groups(nip_stems) + 1
    columns["nip"] = np.array(
        [f"{stem}{seq:03d}" for stem, seq in zip(nip_stems, nip_sequence, strict=True)], dtype=object
    )

    nama = np.empty(size, dtype=object)
    birthplace = np.empty(size, dtype=object)
    religion = np.empty(size, dtype=object)
    nik_region = np.empty(size, dtype=object)
    for person in range(size):
        oap, male = bool(columns["is_oap"][person]), bool(columns["is_male"][person])
        nama[person] = names.full_name(rng, oap, male)
        birthplace[person], nik_region[person] = names.birthplace_and_nik_region(rng, oap)
        religion[person] = names.religion(rng, oap)
    _ensure_a_diacritic_name(nama, columns)
    nik_stems = np.array(
        [
            f"{region}{int(b[8:10]) + (0 if male else 40):02d}{b[5:7]}{b[2:4]}"
            for region, b, male in zip(nik_region, birth_iso, columns["is_male"], strict=True)
        ]
    )
    nik_sequence = sequence_within_groups(nik_stems) + 1
    columns["nik"] = np.array(
        [f"{stem}{seq:04d}" for stem, seq in zip(nik_stems, nik_sequence, strict=True)], dtype=object
    )
    columns["nama"], columns["birthplace"], columns["religion"] = nama, birthplace, religion
    hex_ids = rng.bytes(16 * size).hex().upper()
    columns["pns_id"] = np.array([hex_ids[32 * i : 32 * (i + 1)] for i in range(size)], dtype=object)
    pre_2000 = (columns["kind"] == KIND_PNS) & (year_of(columns["appointed"]) < 2000)
    old_numbers = rng.integers(100_000_000, 1_000_000_000, size)
    columns["nip_lama"] = np.where(pre_2000, old_numbers.astype(str), "").astype(object)


def _ensure_a_diacritic_name(nama: np.ndarray, columns: dict) -> None:
    """The Latin-1 SAPK export must contain a non-ASCII letter; at tiny scales chance may give none.

    The last person of the stock is a PPPK of at most 50, still employed at the end of 2023."""
    if any(name != names.ascii_fold(name) for name in nama[columns["in_stock"]]):
        return
    person = int(np.flatnonzero(columns["in_stock"])[-1])
    family_name = nama[person].split()[-1]
    nama[person] = f"{'NOËL' if columns['is_male'][person] else 'NOËLA'} {family_name}"


def _add_personal_data(rng: np.random.Generator, columns: dict) -> None:
    size = len(columns["kind"])
    present = rng.random((size, 5))
    fields = {key: [""] * size for key in ("phone", "email", "email_gov", "address", "npwp", "bpjs")}
    for person in range(size):
        name = columns["nama"][person]
        if present[person, 0] < 0.95:
            fields["phone"][person] = names.phone_number(rng)
        if present[person, 1] < 0.75:
            fields["email"][person] = names.personal_email(rng, name)
        if present[person, 2] < 0.4:
            fields["email_gov"][person] = names.government_email(name, columns["nip"][person])
        fields["address"][person] = names.address(rng)
        if present[person, 3] < 0.88:
            fields["npwp"][person] = names.digit_string(rng, 15)
        if present[person, 4] < 0.96:
            fields["bpjs"][person] = "000" + names.digit_string(rng, 10)
    columns.update({key: np.array(values, dtype=object) for key, values in fields.items()})


def sequence_within_groups(keys: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within each group of equal keys, in the order of first appearance."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
    positions = np.arange(len(keys))
    rank_in_sorted = positions - np.maximum.accumulate(np.where(starts, positions, 0))
    ranks = np.empty(len(keys), dtype=np.int64)
    ranks[order] = rank_in_sorted
    return ranks
