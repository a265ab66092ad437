"""SIASN personnel exports exactly as docs/sources.md describes them, with one-rule defects."""

from __future__ import annotations

import numpy as np

from pembina.synth.careers import Snapshot, World
from pembina.synth.codes import (
    JENIS_JABATAN,
    KEDUDUKAN_HUKUM,
    KIND_PNS,
    PNS_GOLONGAN,
    PPPK_GOLONGAN,
    PPPK_LABELS,
)
from pembina.synth.dates import DAY, day_month_year, month_number
from pembina.synth.defects import (
    DUPLICATE_KEY,
    INVALID_DATE,
    MISSING_REQUIRED,
    NIP_FORMAT,
    UNKNOWN_CODE,
    impossible_date,
)
from pembina.synth.opd import OpdTable
from pembina.synth.output import Sink

SOURCE = "siasn"
COLUMNS = [
    "pns_id",
    "nip_baru",
    "nip_lama",
    "nama",
    "gelar_depan",
    "gelar_belakang",
    "tempat_lahir_nama",
    "tanggal_lahir",
    "jenis_kelamin",
    "agama_nama",
    "jenis_kawin_nama",
    "nik",
    "nomor_hp",
    "email",
    "email_gov",
    "alamat",
    "npwp_nomor",
    "bpjs",
    "jenis_pegawai_nama",
    "kedudukan_hukum_id",
    "kedudukan_hukum_nama",
    "status_cpns_pns",
    "tmt_cpns",
    "tmt_pns",
    "gol_awal_nama",
    "gol_akhir_nama",
    "tmt_golongan",
    "mk_tahun",
    "mk_bulan",
    "jenis_jabatan_nama",
    "jabatan_nama",
    "tmt_jabatan",
    "tingkat_pendidikan_nama",
    "pendidikan_nama",
    "tahun_lulus",
    "unor_id",
    "unor_nama",
    "instansi_induk_nama",
    "instansi_kerja_nama",
    "satuan_kerja_kerja_nama",
    "lokasi_kerja_nama",
]
NUMERIC_TEXT_COLUMNS = ("nip_baru", "nik", "nomor_hp", "npwp_nomor", "bpjs")
APOSTROPHE_SHARE = 0.3
INSTANSI = "Pemerintah Kab. Manokwari"
NIP_BIRTH_DATE_MISMATCH = "nip_birth_date_mismatch"
NIP_GENDER_MISMATCH = "nip_gender_mismatch"
NIP_TMT_CPNS_MISMATCH = "nip_tmt_cpns_mismatch"
NIK_FORMAT = "nik_format"
NIK_BIRTH_DATE_MISMATCH = "nik_birth_date_mismatch"
UNKNOWN_OPD = "unknown_opd"
INVALID_NUMBER = "invalid_number"
NIP_SEQUENCE_ZERO = "nip_sequence_zero"
NIP_TMT_MONTH_INVALID = "nip_tmt_month_invalid"
NIP_TMT_CPNS_BEFORE_AGE_18 = "nip_tmt_cpns_before_age_18"
NI_PPPK_YEAR_IMPLAUSIBLE = "ni_pppk_year_implausible"
RULES = (
    MISSING_REQUIRED, NIP_FORMAT, NIP_BIRTH_DATE_MISMATCH, NIP_GENDER_MISMATCH, NIP_TMT_CPNS_MISMATCH, NIK_FORMAT,
    NIK_BIRTH_DATE_MISMATCH, INVALID_DATE, INVALID_NUMBER, UNKNOWN_CODE, UNKNOWN_OPD, DUPLICATE_KEY,
    NIP_SEQUENCE_ZERO, NIP_TMT_MONTH_INVALID, NIP_TMT_CPNS_BEFORE_AGE_18, NI_PPPK_YEAR_IMPLAUSIBLE,
)  # fmt: skip
PNS_RULES = (NIP_TMT_CPNS_MISMATCH, NIP_TMT_MONTH_INVALID, NIP_TMT_CPNS_BEFORE_AGE_18)
UNKNOWN_KEDUDUKAN = ("06", "07", "12", "45")
UNKNOWN_OPD_CODES = ("OPD-DISDIKBUD", "OPD-KESBANG", "UPTD-PUSKESMAS-WOSI", "OPD-DPKAD")
# First file in the SAPK layout: upper-case headers, Latin-1.
LEGACY_EXPORT_DATE = np.datetime64("2023-12-31")


def _marital_status(people, persons: np.ndarray, date: np.datetime64) -> list[str]:
    age = (date - people.birth_date[persons]).astype(int) / 365.25
    married = age >= people.marriage_age[persons]
    later = people.later_marital_status[persons]
    return [
        (status if status and years >= 45 else "Menikah") if wed else "Belum Kawin"
        for years, wed, status in zip(age, married, later, strict=True)
    ]


def _records(people, opds: OpdTable, snapshot: Snapshot) -> list[dict]:
    persons = snapshot.person
    pns_track = people.kind[persons] == KIND_PNS
    service_months = month_number(snapshot.date) - month_number(people.appointed[persons])
    birth = day_month_year(people.birth_date[persons], "-")
    tmt_cpns = day_month_year(np.where(pns_track, people.appointed[persons], np.datetime64("NaT")).astype(DAY), "-")
    is_pns = pns_track & ~snapshot.is_cpns
    tmt_pns = day_month_year(np.where(is_pns, people.tmt_pns[persons], np.datetime64("NaT")).astype(DAY), "-")
    tmt_golongan = day_month_year(snapshot.tmt_golongan, "-")
    tmt_jabatan = day_month_year(snapshot.tmt_jabatan, "-")
    marital = _marital_status(people, persons, snapshot.date)
    records = []
    for k, person in enumerate(persons):
        opd = snapshot.opd[k]
        golongan = PNS_GOLONGAN if pns_track[k] else PPPK_GOLONGAN
        if pns_track[k]:
            jenis_pegawai, status = ("CPNS", "C") if snapshot.is_cpns[k] else ("PNS", "P")
        else:
            jenis_pegawai, status = PPPK_LABELS[people.kind[person]], ""
        unor_nama = opds.names[opd]
        records.append(
            {
                "pns_id": people.pns_id[person],
                "nip_baru": people.nip[person],
                "nip_lama": people.nip_lama[person],
                "nama": people.nama[person],
                "gelar_depan": people.gelar_depan[person],
                "gelar_belakang": people.gelar_belakang[person],
                "tempat_lahir_nama": people.birthplace[person],
                "tanggal_lahir": birth[k],
                "jenis_kelamin": "M" if people.is_male[person] else "F",
                "agama_nama": people.religion[person],
                "jenis_kawin_nama": marital[k],
                "nik": people.nik[person],
                "nomor_hp": people.phone[person],
                "email": people.email[person],
                "email_gov": people.email_gov[person],
                "alamat": people.address[person],
                "npwp_nomor": people.npwp[person],
                "bpjs": people.bpjs[person],
                "jenis_pegawai_nama": jenis_pegawai,
                "kedudukan_hukum_id": snapshot.kedudukan[k],
                "kedudukan_hukum_nama": KEDUDUKAN_HUKUM[snapshot.kedudukan[k]],
                "status_cpns_pns": status,
                "tmt_cpns": tmt_cpns[k],
                "tmt_pns": tmt_pns[k],
                "gol_awal_nama": golongan[people.start_grade[person]],
                "gol_akhir_nama": golongan[snapshot.grade[k]],
                "tmt_golongan": tmt_golongan[k],
                "mk_tahun": str(service_months[k] // 12),
                "mk_bulan": str(service_months[k] % 12),
                "jenis_jabatan_nama": JENIS_JABATAN.get(snapshot.level[k], "Fungsional"),
                "jabatan_nama": snapshot.title[k],
                "tmt_jabatan": tmt_jabatan[k],
                "tingkat_pendidikan_nama": people.education[person],
                "pendidikan_nama": people.pendidikan_nama[person],
                "tahun_lulus": str(people.graduation_year[person]),
                "unor_id": opds.codes[opd],
                "unor_nama": unor_nama,
                "instansi_induk_nama": INSTANSI,
                "instansi_kerja_nama": INSTANSI,
                "satuan_kerja_kerja_nama": unor_nama,
                "lokasi_kerja_nama": unor_nama.removeprefix("Distrik ").upper()
                if opds.types[opd] == "distrik"
                else "MANOKWARI",
            }
        )
    records.sort(key=lambda record: (record["unor_id"], record["nip_baru"]))
    return records


def _prefix_apostrophes(rng: np.random.Generator, records: list[dict]) -> None:
    """The Excel habit of forcing text with a leading apostrophe, on about 30% of the numeric ids."""
    draws = rng.random((len(records), len(NUMERIC_TEXT_COLUMNS))) < APOSTROPHE_SHARE
    for record, row_draws in zip(records, draws, strict=True):
        for column, prefixed in zip(NUMERIC_TEXT_COLUMNS, row_draws, strict=True):
            if prefixed and record[column]:
                record[column] = "'" + record[column]


def _edit_digits(value: str, edit) -> str:
    prefix = "'" if value.startswith("'") else ""
    return prefix + edit(value[len(prefix) :])


class _Mutator:
    """Applies one SIASN rule violation to a record, touching nothing another rule reads.

    Called as ``mutator(record, rule, rng)``; each ``_<rule>`` method changes the record and returns the
    field it changed."""

    def __init__(self, records: list[dict]):
        self.nips = {record["nip_baru"].lstrip("'") for record in records}

    def __call__(self, record: dict, rule: str, rng: np.random.Generator) -> str:
        return getattr(self, f"_{rule}")(record, rng)

    def _unique(self, nip: str) -> str:
        """Keep a changed NIP unique in the file (else duplicate_key would fire too) via its sequence."""
        sequence = int(nip[15:])
        while nip in self.nips:
            sequence = sequence % 999 + 1
            nip = f"{nip[:15]}{sequence:03d}"
        self.nips.add(nip)
        return nip

    def _change_nip(self, record: dict, change) -> str:
        record["nip_baru"] = _edit_digits(record["nip_baru"], lambda nip: self._unique(change(nip)))
        return "nip_baru"

    def _missing_required(self, record: dict, rng: np.random.Generator) -> str:
        record["nama"] = ""
        return "nama"

    def _nip_format(self, record: dict, rng: np.random.Generator) -> str:
        """One digit short: the first 15 digits still agree with the row."""
        record["nip_baru"] = _edit_digits(record["nip_baru"], lambda nip: nip[:-1])
        return "nip_baru"

    def _nip_birth_date_mismatch(self, record: dict, rng: np.random.Generator) -> str:
        """A real date a few days before the birth date: the NIK and the TMT CPNS check still pass."""
        days_earlier = np.timedelta64(int(rng.integers(1, 21)), "D")

        def shift(nip: str) -> str:
            born = np.datetime64(f"{nip[:4]}-{nip[4:6]}-{nip[6:8]}") - days_earlier
            return str(born).replace("-", "") + nip[8:]

        return self._change_nip(record, shift)

    def _nip_gender_mismatch(self, record: dict, rng: np.random.Generator) -> str:
        """The NIP's gender digit flips; jenis_kelamin and the NIK's day (+40) keep agreeing."""
        return self._change_nip(record, lambda nip: nip[:14] + ("2" if nip[14] == "1" else "1") + nip[15:])

    def _nip_tmt_cpns_mismatch(self, record: dict, rng: np.random.Generator) -> str:
        """A neighbouring month of the same year in the NIP."""

        def shift(nip: str) -> str:
            month = int(nip[12:14])
            return f"{nip[:12]}{month + 1 if month < 12 else month - 1:02d}{nip[14:]}"

        return self._change_nip(record, shift)

    def _nip_sequence_zero(self, record: dict, rng: np.random.Generator) -> str:
        """Sequence 000, which no NIP carries (a typing slip for 001)."""
        nip = record["nip_baru"].lstrip("'")
        zero = nip[:15] + "000"
        self.nips.add(zero)
        record["nip_baru"] = _edit_digits(record["nip_baru"], lambda _: zero)
        return "nip_baru"

    def _nip_tmt_month_invalid(self, record: dict, rng: np.random.Generator) -> str:
        """Month 00 or 13 in the NIP (the TMT CPNS check does not apply to an impossible month)."""
        month = ("00", "13")[rng.integers(2)]
        return self._change_nip(record, lambda nip: f"{nip[:12]}{month}{nip[14:]}")

    def _nip_tmt_cpns_before_age_18(self, record: dict, rng: np.random.Generator) -> str:
        """A TMT CPNS in the month of the 17th birthday, in the NIP and in tmt_cpns alike (so they agree)."""
        year, month = int(record["nip_baru"].lstrip("'")[:4]) + 17, record["tanggal_lahir"][3:5]
        record["tmt_cpns"] = f"01-{month}-{year}"
        return self._change_nip(record, lambda nip: f"{nip[:8]}{year}{month}{nip[14:]}")

    def _ni_pppk_year_implausible(self, record: dict, rng: np.random.Generator) -> str:
        """An NI PPPK year before PPPK existed (PP 49/2018): a year typed from an older document."""
        year = int(rng.integers(2005, 2019))
        return self._change_nip(record, lambda nip: f"{nip[:8]}{year}{nip[12:]}")

    def _nik_format(self, record: dict, rng: np.random.Generator) -> str:
        record["nik"] = _edit_digits(record["nik"], lambda nik: nik[:-1])
        return "nik"

    def _nik_birth_date_mismatch(self, record: dict, rng: np.random.Generator) -> str:
        """The neighbouring day, keeping the +40 offset of women."""

        def shift(nik: str) -> str:
            day = int(nik[6:8])
            return f"{nik[:6]}{day + 1 if day % 40 < 28 else day - 1:02d}{nik[8:]}"

        record["nik"] = _edit_digits(record["nik"], shift)
        return "nik"

    def _invalid_date(self, record: dict, rng: np.random.Generator) -> str:
        """Only in fields no other rule reads."""
        field_name = ("tmt_jabatan", "tmt_golongan")[rng.integers(2)]
        record[field_name] = impossible_date(rng, int(record[field_name][-4:]), "dmy-")
        return field_name

    def _invalid_number(self, record: dict, rng: np.random.Generator) -> str:
        """Units typed into a count, or a year exported as a decimal."""
        field_name = ("mk_tahun", "mk_bulan", "tahun_lulus")[rng.integers(3)]
        record[field_name] += {"mk_tahun": " th", "mk_bulan": " bln", "tahun_lulus": ".0"}[field_name]
        return field_name

    def _unknown_code(self, record: dict, rng: np.random.Generator) -> str:
        if record["status_cpns_pns"] == "" and rng.random() < 0.3:  # contract staff mislabelled as honorer
            record["jenis_pegawai_nama"] = "Honorer"
            return "jenis_pegawai_nama"
        record["kedudukan_hukum_id"] = UNKNOWN_KEDUDUKAN[rng.integers(len(UNKNOWN_KEDUDUKAN))]
        return "kedudukan_hukum_id"

    def _unknown_opd(self, record: dict, rng: np.random.Generator) -> str:
        record["unor_id"] = UNKNOWN_OPD_CODES[rng.integers(len(UNKNOWN_OPD_CODES))]
        return "unor_id"


def _applicable(record: dict, rule: str) -> bool:
    if rule in PNS_RULES:
        return record["jenis_pegawai_nama"] in ("PNS", "CPNS")
    if rule == NI_PPPK_YEAR_IMPLAUSIBLE:
        return record["jenis_pegawai_nama"] in PPPK_LABELS.values()
    return True


def write_export(sink: Sink, world: World, snapshot: Snapshot, rng: np.random.Generator) -> None:
    """``siasn/siasn_pegawai_YYYYMMDD.csv``: pipe-delimited, dd-mm-yyyy."""
    records = _records(world.people, world.opds, snapshot)
    _prefix_apostrophes(rng, records)
    path = f"landing/siasn/siasn_pegawai_{str(snapshot.date).replace('-', '')}.csv"
    records = sink.break_rows(SOURCE, path, records, RULES, rng, _Mutator(records), "nip_baru", _applicable)
    legacy = snapshot.date == LEGACY_EXPORT_DATE
    header = [column.upper() for column in COLUMNS] if legacy else COLUMNS
    rows = [[record[column] for column in COLUMNS] for record in records]
    sink.landing.write_csv(path, header, rows, delimiter="|", encoding="latin-1" if legacy else "utf-8")
    if legacy:
        sink.log.add_file_defect(SOURCE, path, "latin1_encoding")
