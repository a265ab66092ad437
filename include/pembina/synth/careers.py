"""Three and a half years of careers: promotions, transfers, the 2025 restructuring, CPNS becoming PNS,
structural appointments, sanctions, study leave and retirement at BUP, evaluated on each snapshot date."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pembina.synth import discipline, university
from pembina.synth.codes import (
    EDUCATION,
    GRADE_III_C,
    KIND_PNS,
    LEVEL_KETERAMPILAN,
    LEVEL_PELAKSANA,
    LEVEL_PERTAMA,
    RETIREMENT_AGE,
    keahlian_level,
    keterampilan_title_suffix,
)
from pembina.synth.dates import DAY, days, first_of_month, month_number, random_months_first
from pembina.synth.jobs import (
    FAMILIES,
    MIN_STRUCTURAL_EDUCATION,
    STRUCTURAL_CANDIDATE_FAMILIES,
    STRUCTURAL_FAMILY,
    structural_posts,
)
from pembina.synth.opd import (
    FAMILY_SUCCESSORS,
    RESTRUCTURING_APPOINTMENT,
    RESTRUCTURING_DATE,
    SUCCESSORS,
    OpdTable,
)
from pembina.synth.population import STOCK_DATE, STRUCTURAL_SHARE_CAP, People
from pembina.synth.rng import stream, weighted_choice

SNAPSHOT_DATES = tuple(days(("2023-12-31", "2024-12-31", "2025-12-31", "2026-06-30")))
TRANSFER_RATE_PER_YEAR = 0.05
CLTN_SHARE = 0.002
MPP_SHARE = 0.15  # of those within a year of BUP who take the pre-retirement leave (Masa Persiapan Pensiun)
LATE_BUP_SHARE = 0.3  # of those who reached BUP in the last quarter and still show in the export
LATE_BUP_WINDOW = np.timedelta64(92, "D")
NaT = np.datetime64("NaT")


@dataclass(frozen=True)
class Snapshot:
    """The workforce on one date, one element per person present (ascending person id)."""

    date: np.datetime64
    person: np.ndarray
    opd: np.ndarray
    grade: np.ndarray
    tmt_golongan: np.ndarray
    title: np.ndarray
    level: np.ndarray  # codes.LEVEL_*
    tmt_jabatan: np.ndarray
    kedudukan: np.ndarray  # kedudukan hukum code
    is_cpns: np.ndarray  # PNS track, still on probation


@dataclass(frozen=True)
class Year:
    """What the year-based sources need about one calendar year."""

    year: int
    snapshot: Snapshot  # on 31 December
    opd_at_start: np.ndarray  # per person, after the restructuring of that 1 January
    transfer_date: np.ndarray  # per person, NaT when not transferred that year


@dataclass(frozen=True)
class CareerHistory:
    snapshots: tuple[Snapshot, ...]
    years: tuple[Year, ...]
    sanctions: discipline.Sanctions
    programmes: university.Programmes


@dataclass(frozen=True)
class World:
    """Everything the landing-file writers draw from."""

    people: People
    opds: OpdTable
    history: CareerHistory


class _State:
    """Per-person state carried from one evaluation date to the next."""

    def __init__(self, people: People):
        size = len(people)
        self.opd = people.first_opd.astype(np.int16).copy()
        self.structural = people.family == STRUCTURAL_FAMILY
        self.retirement = np.full(size, NaT, dtype=DAY)
        self.exit = np.full(size, NaT, dtype=DAY)  # dismissal
        self.title = np.full(size, None, dtype=object)
        self.grade = np.full(size, -1, dtype=np.int16)
        self.tmt_jabatan = np.full(size, NaT, dtype=DAY)
        self.opd_seen = np.full(size, -1, dtype=np.int16)  # OPD at the previous evaluation
        self.present = np.zeros(size, dtype=bool)


def simulate(people: People, opds: OpdTable, seed: int) -> CareerHistory:
    rng = stream(seed, "careers")
    state = _State(people)
    posts = [structural_posts(opds.structure(index), opds.names[index]) for index in range(len(opds.codes))]
    _evaluate(people, opds, posts, state, STOCK_DATE, rng, changes=None)

    snapshots, years, sanction_parts, programme_parts = [], [], [], []
    period_start = STOCK_DATE
    for snapshot_date in SNAPSHOT_DATES:
        year = int(str(snapshot_date)[:4])
        restructured = _restructure(people, opds, state, rng) if period_start == RESTRUCTURING_DATE else None
        opd_at_start = state.opd.copy()
        transfer_date = _transfer(people, opds, state, period_start, snapshot_date, rng)
        employed = state.present | ((people.appointed > period_start) & (people.appointed <= snapshot_date))
        if year <= university.LAST_YEAR:
            sanctions = discipline.draw_sanctions(rng, people, employed, year)
            state.exit = np.where(np.isnat(state.exit), sanctions.dismissal_dates(len(people)), state.exit)
            sanction_parts.append(sanctions)
            programme_parts.append(university.draw_programmes(rng, people, employed & ~state.structural, year))
        changes = _Changes(transfer_date, restructured, period_start)
        snapshot = _evaluate(
            people,
            opds,
            posts,
            state,
            snapshot_date,
            rng,
            changes,
            discipline.Sanctions.concat(sanction_parts),
            university.Programmes.concat(programme_parts),
        )
        snapshots.append(snapshot)
        if year <= university.LAST_YEAR:
            years.append(Year(year, snapshot, opd_at_start, transfer_date))
        period_start = snapshot_date + np.timedelta64(1, "D")
    return CareerHistory(
        tuple(snapshots),
        tuple(years),
        discipline.Sanctions.concat(sanction_parts),
        university.Programmes.concat(programme_parts),
    )


@dataclass(frozen=True)
class _Changes:
    """Why a person's post may have changed since the previous evaluation."""

    transfer_date: np.ndarray
    restructured: np.ndarray | None
    period_start: np.datetime64


def _restructure(people: People, opds: OpdTable, state: _State, rng: np.random.Generator) -> np.ndarray:
    """Move the staff of the OPDs split, merged or re-cut on RESTRUCTURING_DATE; returns who moved."""
    before = state.opd.copy()
    for old_code, successors in SUCCESSORS.items():
        members = np.flatnonzero(before == opds.index(old_code))
        targets = [opds.index(code) for code, _ in successors]
        drawn = np.array(targets)[weighted_choice(rng, targets, [share for _, share in successors], len(members))]
        for position, person in enumerate(members):
            forced = FAMILY_SUCCESSORS.get((old_code, FAMILIES[people.family[person]].key))
            state.opd[person] = opds.index(forced) if forced else drawn[position]
    return state.opd != before


def _transfer(people, opds: OpdTable, state: _State, start, end, rng: np.random.Generator) -> np.ndarray:
    """Mutasi between OPDs during one period; returns each person's transfer date (NaT if none)."""
    size = len(people)
    period_share = (end - start).astype(int) / 365.0
    movable = np.array([FAMILIES[f].movable for f in people.family])
    moves = state.present & movable & (rng.random(size) < TRANSFER_RATE_PER_YEAR * period_share)
    dates = random_months_first(rng, start + np.timedelta64(31, "D"), end, size)
    transfer_date = np.where(moves, dates, NaT).astype(DAY)
    weights = opds.weights_on(end)
    for person in np.flatnonzero(moves):
        options = weights.copy()
        options[state.opd[person]] = 0.0
        state.opd[person] = weighted_choice(rng, opds.codes, options, 1)[0]
    return transfer_date


def _promotion_month(month_numbers: np.ndarray) -> np.ndarray:
    """Regular promotions take effect on 1 April or 1 October: the first such month not before the given one."""
    return month_numbers + (3 - month_numbers % 12) % 6


def _grades(people: People, persons: np.ndarray, date: np.datetime64) -> tuple[np.ndarray, np.ndarray]:
    """Rank and its TMT on ``date``: one step every promotion interval up to the diploma's ceiling (PNS only)."""
    appointed_month = month_number(people.appointed[persons])
    interval = people.promotion_interval[persons].astype(np.int64)
    start = people.start_grade[persons].astype(np.int64)
    room = np.where(people.kind[persons] == KIND_PNS, people.grade_ceiling[persons] - start, 0)
    steps = np.clip((month_number(date) - appointed_month) // interval, 0, room)
    steps = np.where(_promotion_month(appointed_month + steps * interval) > month_number(date), steps - 1, steps)
    steps = np.maximum(steps, 0)
    tmt = np.where(
        steps > 0, first_of_month(_promotion_month(appointed_month + steps * interval)), people.appointed[persons]
    )
    return (start + steps).astype(np.int16), tmt.astype(DAY)


def _own_post(people: People, person: int, grade: int) -> tuple[str, str]:
    """The person's non-structural post on a given rank: (jabatan_nama, level)."""
    family = FAMILIES[people.family[person]]
    title = people.title[person]
    if not family.functional:
        return title, LEVEL_PELAKSANA
    keahlian = EDUCATION[people.education[person]] >= EDUCATION["D-IV"]
    if people.kind[person] != KIND_PNS:  # PPPK keep the level of their contract
        return (f"{title} Ahli Pertama", LEVEL_PERTAMA) if keahlian else (f"{title} Terampil", LEVEL_KETERAMPILAN)
    if keahlian:
        level = keahlian_level(grade)
        return f"{title} {level.title()}", level
    return f"{title} {keterampilan_title_suffix(grade)}", LEVEL_KETERAMPILAN


def _posts(people: People, posts, persons, opd, grade, structural) -> tuple[np.ndarray, np.ndarray]:
    """Structural posts go to the most senior structural-track staff of each OPD; everyone else holds
    their own post."""
    titles = np.empty(len(persons), dtype=object)
    levels = np.empty(len(persons), dtype=object)
    for position, person in enumerate(persons):
        titles[position], levels[position] = _own_post(people, person, grade[position])
    track = np.flatnonzero(structural)
    seniority = np.lexsort((persons[track], people.appointed[persons[track]], -grade[track], opd[track]))
    ordered = track[seniority]
    ranks = _rank_within(opd[ordered])
    for position, rank in zip(ordered, ranks, strict=True):
        opd_posts = posts[opd[position]]
        if rank < len(opd_posts):
            titles[position], levels[position] = opd_posts[rank]
    return titles, levels


def _rank_within(sorted_groups: np.ndarray) -> np.ndarray:
    starts = np.r_[True, sorted_groups[1:] != sorted_groups[:-1]]
    positions = np.arange(len(sorted_groups))
    return positions - np.maximum.accumulate(np.where(starts, positions, 0))


def _fill_vacancies(people: People, posts, state: _State, persons, opd, grade) -> None:
    """Bring each OPD's structural track up to its number of posts from its senior S-1+ PNS."""
    kind_pns = people.kind[persons] == KIND_PNS
    candidate = (
        kind_pns
        & np.isin(people.family[persons], STRUCTURAL_CANDIDATE_FAMILIES)
        & (np.array([EDUCATION[e] for e in people.education[persons]]) >= MIN_STRUCTURAL_EDUCATION)
        & (grade >= GRADE_III_C)
        & ~state.structural[persons]
    )
    for index in np.unique(opd):
        in_opd = opd == index
        wanted = min(len(posts[index]), int(np.ceil(STRUCTURAL_SHARE_CAP * np.count_nonzero(in_opd & kind_pns))))
        deficit = wanted - np.count_nonzero(state.structural[persons[in_opd]])
        pool = np.flatnonzero(in_opd & candidate)
        if deficit <= 0 or len(pool) == 0:
            continue
        most_senior = pool[np.lexsort((persons[pool], people.appointed[persons[pool]], -grade[pool]))][:deficit]
        state.structural[persons[most_senior]] = True


def _retirement_dates(people: People, persons: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """TMT pensiun: the 1st of the month after the month in which the person reaches the post's BUP."""
    bup = np.array([RETIREMENT_AGE[level] for level in levels], dtype=np.int64)
    return first_of_month(month_number(people.birth_date[persons]) + 12 * bup + 1)


def _evaluate(
    people, opds, posts, state: _State, date, rng, changes: _Changes | None, sanctions=None, programmes=None
) -> Snapshot:
    candidates = np.flatnonzero((people.appointed <= date) & np.isnat(state.retirement) & ~(state.exit <= date))
    grade, tmt_golongan = _grades(people, candidates, date)
    opd = state.opd[candidates]
    _fill_vacancies(people, posts, state, candidates, opd, grade)
    titles, levels = _posts(people, posts, candidates, opd, grade, state.structural[candidates])
    retirement = _retirement_dates(people, candidates, levels)
    retiring = retirement <= date
    state.retirement[candidates[retiring]] = retirement[retiring]
    late_bup = (
        retiring & (retirement > date - LATE_BUP_WINDOW) & (people.leaves_at_bup_late[candidates] < LATE_BUP_SHARE)
    )

    staying = ~retiring
    stay_titles, stay_levels = _posts(
        people, posts, candidates[staying], opd[staying], grade[staying], state.structural[candidates[staying]]
    )
    titles[staying], levels[staying] = stay_titles, stay_levels

    shown = staying | late_bup
    persons, titles, levels, opd, grade, tmt_golongan = (
        values[shown] for values in (candidates, titles, levels, opd, grade, tmt_golongan)
    )
    tmt_jabatan = _tmt_jabatan(people, state, persons, titles, opd, grade, tmt_golongan, date, rng, changes)

    state.present[:] = False
    state.present[candidates[staying]] = True
    state.title[persons], state.grade[persons], state.tmt_jabatan[persons] = titles, grade, tmt_jabatan
    state.opd_seen[persons] = opd

    kedudukan = np.full(len(persons), "01", dtype=object)
    if changes is not None:
        within_year = (retirement[shown] > date) & (retirement[shown] <= date + np.timedelta64(365, "D"))
        kedudukan[within_year & (rng.random(len(persons)) < MPP_SHARE)] = "20"
        kedudukan[rng.random(len(persons)) < CLTN_SHARE] = "02"
        kedudukan[sanctions.under_heavy_sanction(persons, date)] = "15"
        kedudukan[programmes.on_study_leave(persons, date)] = "03"
        kedudukan[late_bup[shown]] = "98"
    is_cpns = (people.kind[persons] == KIND_PNS) & ~(people.tmt_pns[persons] <= date)
    return Snapshot(date, persons, opd, grade, tmt_golongan, titles, levels, tmt_jabatan, kedudukan, is_cpns)


def _tmt_jabatan(
    people, state: _State, persons, titles, opd, grade, tmt_golongan, date, rng, changes: _Changes | None
) -> np.ndarray:
    """Keep the TMT of an unchanged post; date a changed one by its cause."""
    if changes is None:
        return people.stock_tmt_jabatan[persons]
    previous_title = state.title[persons]
    new_person = np.array([title is None for title in previous_title])
    changed = (previous_title != titles) | (state.opd_seen[persons] != opd)
    transferred = ~np.isnat(changes.transfer_date[persons])
    restructured = changes.restructured[persons] if changes.restructured is not None else np.zeros(len(persons), bool)
    promoted = grade != state.grade[persons]
    appointed_in_period = random_months_first(rng, changes.period_start, date, len(persons))
    tmt = np.where(
        transferred,
        changes.transfer_date[persons],
        np.where(restructured, RESTRUCTURING_APPOINTMENT, np.where(promoted, tmt_golongan, appointed_in_period)),
    )
    tmt = np.where(changed, tmt, state.tmt_jabatan[persons])
    return np.where(new_person, people.appointed[persons], tmt).astype(DAY)
