"""e-Kinerja SKP appraisals (PermenPAN-RB 6/2022): one JSON document per year."""

from __future__ import annotations

import numpy as np

from pembina.synth.careers import World, Year
from pembina.synth.codes import (
    LEVEL_ADMINISTRATOR,
    LEVEL_JPT,
    LEVEL_PENGAWAS,
    ORGANISATION_PREDIKAT,
    SKP_PREDIKAT,
    SKP_PREDIKAT_MATRIX,
    SKP_RATINGS,
)
from pembina.synth.dates import iso
from pembina.synth.defects import PREDIKAT_MISMATCH, RecordRules
from pembina.synth.jobs import structural_posts
from pembina.synth.opd import OpdTable
from pembina.synth.output import Sink
from pembina.synth.population import People
from pembina.synth.rng import weighted_choice

SOURCE = "ekinerja"
APPRAISED_KEDUDUKAN = ("01", "15", "20")  # not on CLTN, study leave, or past BUP
QUARTERS = (("TW1", "01-01", "03-31"), ("TW2", "04-01", "06-30"), ("TW3", "07-01", "09-30"), ("TW4", "10-01", "12-31"))
# Thresholds on a standard-normal score: about 20% above and 7% below expectations for work results,
# 17% above and 2.5% below for behaviour.
HASIL_ABOVE, HASIL_BELOW = 0.85, -1.45
PERILAKU_ABOVE, PERILAKU_BELOW = 0.95, -1.95
ORGANISATION_PREDIKAT_WEIGHTS = (0.12, 0.68, 0.12, 0.06, 0.02)
UNKNOWN_RATINGS = ("diatas ekspektasi", "baik", "sesuai target")
SECRETARY_GENERAL = "Sekretaris Daerah"


def _rating(score: np.ndarray, above: float, below: float) -> np.ndarray:
    return np.where(score > above, 0, np.where(score < below, 2, 1))


def _appraisers(rng: np.random.Generator, people: People, opds: OpdTable, year: Year) -> np.ndarray:
    """The NIP of each appraised person's appraiser: a superior in the same OPD, the OPD head, or the
    Sekretaris Daerah for heads; none for the Sekretaris Daerah (appraised by the Bupati)."""
    snapshot = year.snapshot
    nips = people.nip[snapshot.person]
    serving = np.isin(snapshot.kedudukan, APPRAISED_KEDUDUKAN)
    head_titles = [structural_posts(opds.structure(index), opds.names[index])[0][0] for index in range(len(opds.codes))]
    head_of, superiors, sekda = {}, {}, None
    for k, opd in enumerate(snapshot.opd.tolist()):
        if not serving[k]:
            continue
        if snapshot.title[k] == head_titles[opd]:
            head_of[opd] = nips[k]
        if snapshot.title[k] == SECRETARY_GENERAL:
            sekda = nips[k]
        if snapshot.level[k] in (LEVEL_ADMINISTRATOR, LEVEL_PENGAWAS):
            superiors.setdefault((opd, snapshot.level[k]), []).append(nips[k])
    appraisers = np.empty(len(nips), dtype=object)
    for k, opd in enumerate(snapshot.opd.tolist()):
        head = head_of.get(opd, sekda)
        level = snapshot.level[k]
        if snapshot.title[k] == SECRETARY_GENERAL:
            appraisers[k] = None
        elif head == nips[k] or level == LEVEL_JPT:
            appraisers[k] = sekda
        elif level == LEVEL_ADMINISTRATOR:
            appraisers[k] = head
        else:
            above = (LEVEL_ADMINISTRATOR,) if level == LEVEL_PENGAWAS else (LEVEL_PENGAWAS, LEVEL_ADMINISTRATOR)
            pool = [nip for superior in above for nip in superiors.get((opd, superior), [])]
            appraisers[k] = pool[rng.integers(len(pool))] if pool and rng.random() < 0.8 else head
    return appraisers


def write_appraisals(sink: Sink, world: World, year: Year, rng: np.random.Generator) -> None:
    """``ekinerja/skp_YYYY.json``: the year's appraisals and the organisations' predikat."""
    people, opds, snapshot = world.people, world.opds, year.snapshot
    appraisers = _appraisers(rng, people, opds, year)
    appraised = np.flatnonzero(np.isin(snapshot.kedudukan, APPRAISED_KEDUDUKAN))
    persons = snapshot.person[appraised]
    year_start, year_end = np.datetime64(f"{year.year}-01-01"), np.datetime64(f"{year.year}-12-31")
    performance = people.performance[persons]
    hasil = _rating(0.75 * performance + 0.66 * rng.standard_normal(len(persons)), HASIL_ABOVE, HASIL_BELOW)
    perilaku = _rating(0.6 * performance + 0.8 * rng.standard_normal(len(persons)), PERILAKU_ABOVE, PERILAKU_BELOW)
    period_start = iso(np.maximum(people.appointed[persons], year_start))
    quarterly = np.array([profile.quarterly_skp for profile in opds.profiles])
    transfer_date = year.transfer_date[persons]
    quarters = []  # per quarter: (name, included, start text, end text, opd, hasil)
    for name, first_day, last_day in QUARTERS:
        quarter_end = np.datetime64(f"{year.year}-{last_day}")
        settled = np.isnat(transfer_date) | (transfer_date <= quarter_end)
        opd = np.where(settled, snapshot.opd[appraised], year.opd_at_start[persons])
        included = quarterly[opd] & (people.appointed[persons] <= quarter_end)
        start = iso(np.maximum(people.appointed[persons], np.datetime64(f"{year.year}-{first_day}")))
        score = 0.75 * performance + 0.66 * rng.standard_normal(len(persons))
        quarters.append((name, included, start, str(quarter_end), opd, _rating(score, HASIL_ABOVE, HASIL_BELOW)))

    records = []
    for k, (row, person) in enumerate(zip(appraised, persons, strict=True)):
        base = {"nip": people.nip[person], "nama": people.nama[person], "tahun": year.year}
        records.append(
            _appraisal(
                base,
                "TAHUNAN",
                period_start[k],
                str(year_end),
                hasil[k],
                perilaku[k],
                appraisers[row],
                opds.codes[snapshot.opd[row]],
            )
        )
        for name, included, start, end, opd, quarter_hasil in quarters:
            if included[k]:
                records.append(
                    _appraisal(
                        base, name, start[k], end, quarter_hasil[k], perilaku[k], appraisers[row], opds.codes[opd[k]]
                    )
                )

    rules = RecordRules(
        nip_field="nip",
        key_field="nip",
        date_fields=("tanggal_mulai", "tanggal_selesai"),
        date_style="iso",
        year=year.year,
        missing_value=None,
        code_field="hasil_kerja",
        unknown_codes=UNKNOWN_RATINGS,
        extra_rules=(PREDIKAT_MISMATCH,),
    )

    def mutate(record: dict, rule: str, rule_rng: np.random.Generator) -> str:
        if rule != PREDIKAT_MISMATCH:
            return rules.mutate(record, rule, rule_rng)
        others = [predikat for predikat in SKP_PREDIKAT if predikat != record["predikat"]]
        record["predikat"] = others[rule_rng.integers(len(others))]
        return "predikat"

    def applicable(record: dict, rule: str) -> bool:  # a changed predikat needs ratings that can be read
        return rule != PREDIKAT_MISMATCH or record["hasil_kerja"] in SKP_RATINGS

    path = f"landing/ekinerja/skp_{year.year}.json"
    records = sink.break_rows(SOURCE, path, records, rules.rules, rng, mutate, rules.key_field, applicable)
    valid_opds = np.flatnonzero(opds.valid_on(year_end))
    organisation_predikat = weighted_choice(rng, ORGANISATION_PREDIKAT, ORGANISATION_PREDIKAT_WEIGHTS, len(valid_opds))
    document = {
        "sumber": "e-Kinerja BKN",
        "instansi": "Pemerintah Kab. Manokwari",
        "tahun": year.year,
        "diekspor_pada": f"{year.year + 1}-01-31T10:00:00+09:00",
        "jumlah_penilaian": len(records),
        "predikat_organisasi": [
            {
                "unor_id": opds.codes[o],
                "unor_nama": opds.names[o],
                "tahun": year.year,
                "predikat": ORGANISATION_PREDIKAT[p],
            }
            for o, p in zip(valid_opds, organisation_predikat, strict=True)
        ],
        "penilaian": records,
    }
    sink.landing.write_json(path, document, len(records))


def _appraisal(base, period, start, end, hasil, perilaku, appraiser, unor_id) -> dict:
    return {
        **base,
        "periode": period,
        "tanggal_mulai": start,
        "tanggal_selesai": end,
        "hasil_kerja": SKP_RATINGS[hasil],
        "perilaku_kerja": SKP_RATINGS[perilaku],
        "predikat": SKP_PREDIKAT_MATRIX[(int(hasil), int(perilaku))],
        "nip_penilai": appraiser,
        "unor_id": unor_id,
    }
