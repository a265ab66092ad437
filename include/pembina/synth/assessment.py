"""Competency assessments (PermenPAN-RB 38/2017): one CSV row per person x competency x assessment event."""

from __future__ import annotations

import numpy as np

from pembina.synth.careers import World, Year
from pembina.synth.codes import (
    KIND_PNS,
    LEVEL_ADMINISTRATOR,
    LEVEL_JPT,
    LEVEL_MADYA,
    LEVEL_PENGAWAS,
    LEVEL_UTAMA,
    MANAGERIAL_COMPETENCIES,
    MANAGERIAL_STANDARD_LEVEL,
    SOCIO_CULTURAL_COMPETENCIES,
)
from pembina.synth.dates import iso, random_dates
from pembina.synth.defects import UNKNOWN_CODE, RecordRules
from pembina.synth.jobs import FAMILIES
from pembina.synth.output import Sink

SOURCE = "assessment"
HEADER = [
    "id_asesmen",
    "nip",
    "tanggal_asesmen",
    "metode",
    "asesor",
    "kelompok",
    "kompetensi",
    "level_standar",
    "level_hasil",
]
ASSESSED_SHARE = {True: 0.26, False: 0.12}  # PNS, PPPK
METHODS = ("Assessment Center", "CAT", "Wawancara")
METHOD_SHARES = (0.2, 0.55, 0.25)  # for staff; structural officials mostly go to the assessment center
ASSESSORS = (
    "Tim Asesor Kantor Regional IX BKN Jayapura",
    "UPT Penilaian Kompetensi BKPSDM Kab. Manokwari",
    "Dra. Maria Rumbiak, M.Psi.",
    "Yohanis Kafiar, S.Psi., M.Psi.",
    "Dr. Siti Rahmawati, M.Si.",
    "Agustinus Mandowen, S.Psi.",
    "Hendra Simanjuntak, M.Psi.",
)
TECHNICAL_COMPETENCIES = {
    "guru": ("Pengelolaan Pembelajaran", "Penilaian Hasil Belajar"),
    "perawat": ("Asuhan Keperawatan", "Keselamatan Pasien"),
    "bidan": ("Asuhan Kebidanan", "Keselamatan Pasien"),
    "dokter": ("Pelayanan Medis", "Keselamatan Pasien"),
    "apoteker": ("Pelayanan Kefarmasian", "Keselamatan Pasien"),
    "nakes_lain": ("Pelayanan Kesehatan Masyarakat", "Surveilans Kesehatan"),
    "penyuluh_pertanian": ("Penyuluhan Pertanian", "Pemberdayaan Kelompok Tani"),
    "auditor": ("Pengawasan Intern", "Audit Kinerja"),
    "perencana": ("Perencanaan Pembangunan", "Penganggaran Berbasis Kinerja"),
    "peneliti": ("Metodologi Penelitian", "Analisis Data"),
    "satpol": ("Penegakan Peraturan Daerah", "Ketertiban Umum"),
    "damkar": ("Pemadaman Kebakaran", "Penyelamatan"),
    "analis_sdm": ("Manajemen ASN", "Analisis Jabatan"),
}
GENERAL_TECHNICAL = (
    "Pengelolaan Administrasi Perkantoran",
    "Pengelolaan Keuangan Daerah",
    "Pengelolaan Data dan Informasi",
    "Penyusunan Kebijakan",
)
UNKNOWN_COMPETENCIES = ("Kepemimpinan", "Berpikir Analitis", "Manajemen Konflik")
STRUCTURAL_LEVELS = (LEVEL_JPT, LEVEL_ADMINISTRATOR, LEVEL_PENGAWAS)


def _technical(rng, family_key: str) -> tuple[str, ...]:
    if family_key in TECHNICAL_COMPETENCIES:
        return TECHNICAL_COMPETENCIES[family_key]
    first = int(rng.integers(len(GENERAL_TECHNICAL)))
    return GENERAL_TECHNICAL[first], GENERAL_TECHNICAL[(first + 1) % len(GENERAL_TECHNICAL)]


def write_assessments(sink: Sink, world: World, year: Year, rng: np.random.Generator) -> None:
    """``assessment/asesmen_kompetensi_YYYY.csv``: comma CSV, ISO dates, levels 1-5."""
    people, snapshot = world.people, year.snapshot
    is_pns = people.kind[snapshot.person] == KIND_PNS
    share = np.where(is_pns, ASSESSED_SHARE[True], ASSESSED_SHARE[False])
    chosen = np.flatnonzero((snapshot.kedudukan == "01") & (rng.random(len(snapshot.person)) < share))
    dates = random_dates(rng, f"{year.year}-02-01", f"{year.year}-11-30", len(chosen))
    chosen = chosen[np.lexsort((chosen, dates))]
    dates = iso(np.sort(dates))
    records, record_person = [], []
    for event, row in enumerate(chosen):
        person = snapshot.person[row]
        level = snapshot.level[row]
        structural = level in STRUCTURAL_LEVELS
        method = METHODS[0] if structural and rng.random() < 0.7 else METHODS[rng.choice(3, p=METHOD_SHARES)]
        common = {
            "id_asesmen": f"ASM-{year.year}-{event + 1:05d}",
            "nip": people.nip[person],
            "tanggal_asesmen": dates[event],
            "metode": method,
            "asesor": ASSESSORS[rng.integers(len(ASSESSORS))],
        }
        standard = MANAGERIAL_STANDARD_LEVEL[level]
        technical_standard = 3 if structural or level in (LEVEL_MADYA, LEVEL_UTAMA) else 2
        items = [("manajerial", name, standard) for name in MANAGERIAL_COMPETENCIES]
        items += [("sosial kultural", name, standard) for name in SOCIO_CULTURAL_COMPETENCIES]
        items += [("teknis", name, technical_standard) for name in _technical(rng, FAMILIES[people.family[person]].key)]
        records += [
            {**common, "kelompok": group, "kompetensi": name, "level_standar": item_standard}
            for group, name, item_standard in items
        ]
        record_person += [person] * len(items)
    # assessed level: the standard, moved by the person's latent competence and by item noise
    standards = np.array([record["level_standar"] for record in records])
    competence = people.competence[np.array(record_person, dtype=np.int64)]
    assessed = np.clip(np.round(standards + 0.7 * competence + 0.55 * rng.standard_normal(len(records)) - 0.2), 1, 5)
    for record, level_hasil in zip(records, assessed.astype(int).tolist(), strict=True):
        record["level_hasil"] = level_hasil

    rules = RecordRules(
        nip_field="nip",
        key_field="id_asesmen",
        date_fields=("tanggal_asesmen",),
        date_style="iso",
        year=year.year,
        code_field="kompetensi",
        unknown_codes=UNKNOWN_COMPETENCIES,
        range_field="level_hasil",
        out_of_range_values=(0, 6, 7),
    )

    def applicable(record: dict, rule: str) -> bool:  # technical competencies are free text per agency
        return rule != UNKNOWN_CODE or record["kelompok"] != "teknis"

    path = f"landing/assessment/asesmen_kompetensi_{year.year}.csv"
    records = sink.break_records(SOURCE, path, records, rules, rng, applicable)
    sink.landing.write_csv(path, HEADER, [[record[c] for c in HEADER] for record in records])
