"""Regional innovations (PP 38/2017): the register kept for the regional innovation index, delivered once a
year as it stands on 31 December (a CSV export in odd years, an XLSX workbook in even ones): innovations
move from inisiatif to uji coba to penerapan between deliveries."""

from __future__ import annotations

import datetime as dt

import numpy as np
from openpyxl import Workbook

from pembina.sources import inovasi as contract
from pembina.synth.defects import DUPLICATE_KEY, INVALID_DATE, MISSING_REQUIRED, UNKNOWN_CODE, impossible_date, inject
from pembina.synth.forum import Forum, service_units
from pembina.synth.output import Sink

SOURCES = {"csv": "inovasi", "xlsx": "inovasi_xlsx"}
TEAM_FORMAT, STAGE_DATES = "team_format", "stage_dates_inconsistent"
RULES = (MISSING_REQUIRED, INVALID_DATE, UNKNOWN_CODE, DUPLICATE_KEY, TEAM_FORMAT, STAGE_DATES)
HEADER = list(contract.LABELS)
NAMES = (
    "Layanan Jemput Bola", "Antrian Daring", "Loket Terpadu Kampung", "Layanan Satu Hari Jadi", "Aplikasi Pengaduan",
    "Kartu Layanan Pintar", "Pojok Informasi Publik", "Pelayanan Malam Hari",
)  # fmt: skip
FORM_WEIGHTS = (0.3, 0.6, 0.1)
INITIATOR_WEIGHTS = (0.1, 0.05, 0.55, 0.25, 0.05)
INNOVATIONS_PER_EMPLOYEE = 1 / 300


def _dmy(date: dt.date | None) -> str:
    return date.strftime("%d/%m/%Y") if date else ""


def _plan(world, forums: list[Forum], rng: np.random.Generator) -> list[dict]:
    """Innovations with their stage dates, team (drawn from their OPD's staff at the end of the year they
    start) and the forums of their OPD held before their trial."""
    units = service_units()
    opds = sorted(units)
    plan = []
    count = max(6, round(len(world.people) * INNOVATIONS_PER_EMPLOYEE))
    for number in range(1, count + 1):
        opd = opds[rng.integers(len(opds))]
        year = world.history.years[rng.integers(len(world.history.years))]
        staff = year.snapshot.person[year.snapshot.opd == world.opds.index(opd)]
        if len(staff) < 2:
            continue
        start = dt.date(year.year, 1, 1) + dt.timedelta(days=int(rng.integers(0, 300)))
        trial = start + dt.timedelta(days=int(rng.integers(60, 240)))
        rollout = trial + dt.timedelta(days=int(rng.integers(90, 300)))
        team = rng.choice(staff, size=min(len(staff), int(rng.integers(2, 6))), replace=False)
        roles = ["Ketua"] + ["Pembina" if rng.random() < 0.15 else "Anggota" for _ in team[1:]]
        consulted = [f.code for f in forums if f.opd == opd and f.date < trial and rng.random() < 0.5][:2]
        form = contract.FORMS[rng.choice(3, p=FORM_WEIGHTS)]
        changed = [] if form != contract.FORMS[1] else list(rng.choice(units[opd], size=1))
        plan.append(
            {
                "code": f"INO-{year.year}-{number:03d}",
                "name": f"{NAMES[rng.integers(len(NAMES))]} {opd.removeprefix('OPD-').title()}",
                "opd": opd,
                "form": form,
                "initiator": contract.INITIATORS[rng.choice(5, p=INITIATOR_WEIGHTS)],
                "dates": (start, trial, rollout),
                "team": [f"{world.people.nip[int(p)]}:{role}" for p, role in zip(team, roles, strict=True)],
                "forums": consulted,
                "units": changed,
            }
        )
    return plan


def _record(innovation: dict, as_of: dt.date) -> dict | None:
    start, trial, rollout = innovation["dates"]
    if start > as_of:
        return None
    stage = 2 if rollout <= as_of else 1 if trial <= as_of else 0
    dates = [d if index <= stage else None for index, d in enumerate((start, trial, rollout))]
    return {
        "Kode Inovasi": innovation["code"],
        "Nama Inovasi": innovation["name"],
        "Perangkat Daerah": innovation["opd"],
        "Bentuk Inovasi": innovation["form"],
        "Inisiator": innovation["initiator"],
        "Tahapan": contract.STAGES[stage],
        "Tanggal Inisiatif": _dmy(dates[0]),
        "Tanggal Uji Coba": _dmy(dates[1]),
        "Tanggal Penerapan": _dmy(dates[2]),
        "Tim Inovasi (NIP:Peran)": "; ".join(innovation["team"]),
        "Forum Konsultasi": "; ".join(innovation["forums"]),
        "Unit Layanan": "; ".join(innovation["units"]),
    }


def _mutate(record: dict, rule: str, rng: np.random.Generator) -> str:
    if rule == MISSING_REQUIRED:
        record["Perangkat Daerah"] = ""
        return "Perangkat Daerah"
    if rule == INVALID_DATE:
        record["Tanggal Inisiatif"] = impossible_date(rng, int(record["Tanggal Inisiatif"][-4:]), "dmy/")
        return "Tanggal Inisiatif"
    if rule == UNKNOWN_CODE:
        record["Tahapan"] = ("Replikasi", "Usulan")[rng.integers(2)]
        return "Tahapan"
    if rule == TEAM_FORMAT:
        record["Tim Inovasi (NIP:Peran)"] = record["Tim Inovasi (NIP:Peran)"].replace(":Ketua", ":Koordinator")
        return "Tim Inovasi (NIP:Peran)"
    record["Tanggal Penerapan"] = record["Tanggal Penerapan"] or "01/01/2020"  # before its own inisiatif
    if record["Tahapan"] == "Penerapan":
        record["Tanggal Uji Coba"] = ""
    return "Tanggal Penerapan"


def write_registers(sink: Sink, world, forums: list[Forum], rng: np.random.Generator) -> None:
    """``inovasi/register_inovasi_<year>.csv`` or ``.xlsx``: the register as it stands on 31 December."""
    plan = _plan(world, forums, rng)
    for source in SOURCES.values():
        sink.log.declare(source, RULES)
    for year in world.history.years:
        records = [record for innovation in plan if (record := _record(innovation, dt.date(year.year, 12, 31)))]
        if not records:
            continue
        kind = "xlsx" if year.year % 2 == 0 else "csv"
        path = f"landing/inovasi/register_inovasi_{year.year}.{kind}"
        records, defects = inject(records, RULES, sink.defect_rate, rng, _mutate, "Kode Inovasi")
        for row_number, rule, field_name in defects:
            sink.log.add(SOURCES[kind], path, row_number, rule, field_name)
        rows = [[record[label] for label in HEADER] for record in records]
        if kind == "csv":
            sink.landing.write_csv(path, HEADER, rows)
        else:
            workbook = Workbook()
            sheet = workbook.active
            sheet.title = "Register Inovasi"
            sheet.append(HEADER)
            for row in rows:
                sheet.append([value or None for value in row])
            sink.landing.write_xlsx(path, workbook, len(rows))
