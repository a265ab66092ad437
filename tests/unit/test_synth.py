"""The synthetic source generator: determinism, identity consistency, defects exactly as the manifest says."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from pembina.synth import generate
from pembina.synth.opd import REF_OPD_PATH

SCALE = 300
SEED = 20261127
SIASN_DATES = ("20231231", "20241231", "20251231", "20260630")
KEDUDUKAN_CODES = {"01", "02", "03", "04", "05", "13", "15", "20", "66", "69", "70", "77", "88", "98", "99"}
JENIS_PEGAWAI = {"PNS", "CPNS", "PPPK", "PPPK Paruh Waktu"}
SIASN_REQUIRED = ["nip_baru", "nama", "tanggal_lahir", "jenis_kelamin", "jenis_pegawai_nama", "unor_id"]
SIASN_DATES_COLUMNS = ["tanggal_lahir", "tmt_cpns", "tmt_pns", "tmt_golongan", "tmt_jabatan"]
# Code lists and ranges from docs/sources.md, for the fields the generator breaks.
DOCUMENTED_CODES = {
    "hasil_kerja": {"di atas ekspektasi", "sesuai ekspektasi", "di bawah ekspektasi"},
    "kompetensi": {
        "Integritas", "Kerjasama", "Komunikasi", "Orientasi pada Hasil", "Pelayanan Publik",
        "Pengembangan Diri dan Orang Lain", "Mengelola Perubahan", "Pengambilan Keputusan", "Perekat Bangsa",
    },
    "tingkat": {"ringan", "sedang", "berat"},
    "Jenis Diklat": {
        "Latsar CPNS", "Teknis", "Fungsional", "Sosial Kultural", "E-Learning", "Seminar", "Workshop", "Coaching",
    },
    "kode_program": {"LATSAR", "PKP", "PKA", "PKN2"},
    "status": {"aktif", "lulus", "tidak lulus", "mengundurkan diri"},
    "Status": {"Aktif", "Lulus", "Tidak Lulus", "Mengundurkan Diri"},
}  # fmt: skip
DOCUMENTED_RANGES = {
    "level_hasil": (1, 5), "Jumlah Jam": (1, 1000), "durasi_jp": (1, 1000), "duration_minutes": (1, 6000),
    "ipk": (0, 4), "sks": (0, 160), "nilai.sks": (0, 160), "Nilai Akhir": (0, 100),
}  # fmt: skip


@pytest.fixture(scope="module")
def first_run(tmp_path_factory) -> tuple[Path, dict]:
    out_dir = tmp_path_factory.mktemp("synth_a")
    return out_dir, generate(out_dir, scale=SCALE, seed=SEED, progress=False)


@pytest.fixture(scope="module")
def out_dir(first_run) -> Path:
    return first_run[0]


@pytest.fixture(scope="module")
def manifest(first_run) -> dict:
    return first_run[1]


@pytest.fixture(scope="module")
def opd_reference() -> pd.DataFrame:
    return pd.read_csv(REF_OPD_PATH, dtype=str, keep_default_na=False)


def file_hashes(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def read_siasn(out_dir: Path, date: str) -> pd.DataFrame:
    path = out_dir / "landing" / "siasn" / f"siasn_pegawai_{date}.csv"
    encoding = "latin-1" if date == "20231231" else "utf-8"
    frame = pd.read_csv(path, sep="|", dtype=str, keep_default_na=False, encoding=encoding)
    frame.columns = [column.lower() for column in frame.columns]
    for column in ("nip_baru", "nik", "nomor_hp", "npwp_nomor", "bpjs"):
        frame[column] = frame[column].str.removeprefix("'")
    return frame


def defects_of(manifest: dict, relative_file: str) -> dict[int, str]:
    return {d["row_number"]: d["rule"] for d in manifest["defects"] if d["file"] == relative_file}


def dmy_to_yyyymmdd(values: pd.Series) -> pd.Series:
    return values.str[6:10] + values.str[3:5] + values.str[0:2]


def broken_siasn_rules(frame: pd.DataFrame, opd_codes: set[str]) -> pd.Series:
    """Each row's set of broken contract rules, checked independently of the generator."""
    nip, nik = frame["nip_baru"], frame["nik"]
    nip_ok = nip.str.fullmatch(r"\d{18}")
    nik_ok = nik.str.fullmatch(r"\d{16}")
    birth = dmy_to_yyyymmdd(frame["tanggal_lahir"])
    pns_track = frame["jenis_pegawai_nama"].isin(["PNS", "CPNS"])
    nik_day = np.where(
        frame["jenis_kelamin"] == "F",
        frame["tanggal_lahir"].str[0:2].astype(int) + 40,
        frame["tanggal_lahir"].str[0:2].astype(int),
    )
    nik_expected = (
        pd.Series([f"{d:02d}" for d in nik_day], index=frame.index)
        + frame["tanggal_lahir"].str[3:5]
        + frame["tanggal_lahir"].str[8:10]
    )
    invalid_date = pd.Series(False, index=frame.index)
    for column in SIASN_DATES_COLUMNS:
        present = frame[column] != ""
        parsed = pd.to_datetime(frame[column], format="%d-%m-%Y", errors="coerce")
        invalid_date |= present & parsed.isna()
    nip_month = pd.to_numeric(nip.str[12:14].where(nip_ok), errors="coerce")
    nip_month_ok = nip_month.between(1, 12)
    eighteenth_birthday = (pd.to_numeric(nip.str[0:4].where(nip_ok), errors="coerce") + 18).astype("Int64").astype(
        str
    ) + nip.str[4:8]
    nip_year = pd.to_numeric(nip.str[8:12].where(nip_ok), errors="coerce")
    pppk = frame["jenis_pegawai_nama"].isin(["PPPK", "PPPK Paruh Waktu"])
    checks = {
        "missing_required": (frame[SIASN_REQUIRED] == "").any(axis=1),
        "nip_format": (nip != "") & ~nip_ok,
        "nip_birth_date_mismatch": nip_ok & (nip.str[0:8] != birth),
        "nip_gender_mismatch": nip_ok & (nip.str[14] != frame["jenis_kelamin"].map({"M": "1", "F": "2"})),
        "nip_tmt_cpns_mismatch": nip_ok
        & pns_track
        & nip_month_ok
        & ((nip.str[8:14] != dmy_to_yyyymmdd(frame["tmt_cpns"]).str[0:6]) | (frame["tmt_cpns"].str[0:2] != "01")),
        "nik_format": (nik != "") & ~nik_ok,
        "nik_birth_date_mismatch": nik_ok & (nik.str[6:12] != nik_expected),
        "invalid_date": invalid_date,
        "invalid_number": frame[["mk_tahun", "mk_bulan", "tahun_lulus"]]
        .apply(lambda column: (column != "") & ~column.str.fullmatch(r"\d+"))
        .any(axis=1),
        "unknown_code": ~frame["jenis_kelamin"].isin(["M", "F"])
        | ~frame["kedudukan_hukum_id"].isin(KEDUDUKAN_CODES)
        | ~frame["jenis_pegawai_nama"].isin(JENIS_PEGAWAI),
        "unknown_opd": ~frame["unor_id"].isin(opd_codes),
        "duplicate_key": nip.duplicated(),
        "nip_sequence_zero": nip_ok & (nip.str[15:18] == "000"),
        "nip_tmt_month_invalid": nip_ok & pns_track & ~nip_month_ok,
        "nip_tmt_cpns_before_age_18": nip_ok & pns_track & nip_month_ok & (nip.str[8:14] + "01" < eighteenth_birthday),
        "ni_pppk_year_implausible": nip_ok & pppk & ~nip_year.between(2019, dt.date.today().year),
    }
    broken = pd.Series([set() for _ in range(len(frame))], index=frame.index)
    for rule, mask in checks.items():
        for row in np.flatnonzero(mask.to_numpy()):
            broken.iloc[row].add(rule)
    return broken


def test_same_seed_gives_identical_bytes(out_dir, tmp_path):
    generate(tmp_path, scale=SCALE, seed=SEED, progress=False)
    first, second = file_hashes(out_dir), file_hashes(tmp_path)
    assert len(first) > 30
    assert first == second


def test_a_different_seed_gives_different_files(out_dir, tmp_path):
    generate(tmp_path, scale=SCALE, seed=SEED + 1, progress=False)
    first, other = file_hashes(out_dir), file_hashes(tmp_path)
    assert first.keys() == other.keys()
    assert all(first[path] != other[path] for path in first if "siasn" in path or "ekinerja" in path)


def test_manifest_describes_the_files_written(out_dir, manifest):
    on_disk = {path for path in file_hashes(out_dir) if path.startswith("landing/")}
    listed = {entry["path"]: entry for entry in manifest["generated_files"]}
    assert set(listed) == on_disk
    for path, entry in listed.items():
        data = (out_dir / path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        if path.endswith(".csv"):
            assert data.count(b"\n") - 1 == entry["rows"]
        elif path.endswith(".jsonl"):
            assert data.count(b"\n") == entry["rows"]
    assert json.loads((out_dir / "synth_manifest.json").read_text(encoding="utf-8")) == manifest


def test_every_source_folder_has_files(out_dir):
    folders = [
        "siasn",
        "ekinerja",
        "assessment",
        "discipline",
        "training/bpsdm_papua_barat",
        "training/lan_ri",
        "training/elearning_asn",
        "university/unipa",
        "university/umpb",
        "university/stih_manokwari",
        "forum",
        "inovasi",
    ]
    for folder in folders:
        assert any((out_dir / "landing" / folder).iterdir()), folder
    assert len(list((out_dir / "landing" / "siasn").glob("siasn_pegawai_*.csv"))) == 4


def test_defect_counts_equal_the_listed_defects(manifest):
    counted = {}
    for defect in manifest["defects"]:
        counted.setdefault(defect["source"], {}).setdefault(defect["rule"], 0)
        counted[defect["source"]][defect["rule"]] += 1
    for source, rules in manifest["defect_counts"].items():
        assert {rule: n for rule, n in rules.items() if n} == counted.get(source, {}), source
    assert sum(manifest["defect_counts"]["siasn"].values()) > 0
    keys = [(d["file"], d["row_number"]) for d in manifest["defects"]]
    assert len(keys) == len(set(keys)), "a row carries more than one defect"


@pytest.mark.parametrize("date", SIASN_DATES)
def test_each_siasn_row_breaks_exactly_the_rules_the_manifest_lists(out_dir, manifest, opd_reference, date):
    frame = read_siasn(out_dir, date)
    broken = broken_siasn_rules(frame, set(opd_reference["opd_code"]))
    listed = defects_of(manifest, f"landing/siasn/siasn_pegawai_{date}.csv")
    expected = pd.Series([{listed[row]} if row in listed else set() for row in range(1, len(frame) + 1)])
    mismatched = [
        (row + 1, broken.iloc[row], expected.iloc[row])
        for row in range(len(frame))
        if broken.iloc[row] != expected.iloc[row]
    ]
    assert mismatched == []
    assert len(listed) >= 12  # every rule once at least


def test_clean_identities_are_consistent_and_unique(out_dir, manifest):
    """Spelled out for the clean rows: NIP = birth date + TMT CPNS + gender + sequence; NIK = day(+40) month year."""
    frame = read_siasn(out_dir, "20251231")
    listed = defects_of(manifest, "landing/siasn/siasn_pegawai_20251231.csv")
    clean = frame[[row not in listed for row in range(1, len(frame) + 1)]]
    assert (clean["nip_baru"].str[0:8] == dmy_to_yyyymmdd(clean["tanggal_lahir"])).all()
    assert (clean["nip_baru"].str[14].map({"1": "M", "2": "F"}) == clean["jenis_kelamin"]).all()
    pns = clean[clean["status_cpns_pns"].isin(["P", "C"])]
    assert (pns["nip_baru"].str[8:14] == dmy_to_yyyymmdd(pns["tmt_cpns"]).str[0:6]).all()
    sequence = clean["nip_baru"].str[15:18].astype(int)
    assert sequence.between(1, 999).all()
    day = clean["nik"].str[6:8].astype(int)
    assert ((clean["jenis_kelamin"] == "F") == (day > 40)).all()
    assert (day.where(day < 40, day - 40) == clean["tanggal_lahir"].str[0:2].astype(int)).all()
    assert clean["nip_baru"].is_unique and clean["nik"].is_unique
    assert (clean["nik"].str[0:4] == "9202").mean() > 0.5


def test_workforce_mix_and_restructuring(out_dir, manifest, opd_reference):
    frame = read_siasn(out_dir, "20251231")
    shares = frame["jenis_pegawai_nama"].value_counts(normalize=True)
    assert 0.55 < shares["PNS"] < 0.75
    assert 0.2 < shares["PPPK"] + shares["PPPK Paruh Waktu"] < 0.4
    assert 0 < shares["CPNS"] < 0.08
    valid_2025 = set(opd_reference.query("valid_to == '' or valid_to >= '2025-12-31'")["opd_code"])
    listed = defects_of(manifest, "landing/siasn/siasn_pegawai_20251231.csv")
    clean = frame[[row not in listed for row in range(1, len(frame) + 1)]]
    assert set(clean["unor_id"]) <= valid_2025
    assert {"OPD-BRIDA", "OPD-DAMKAR", "OPD-PUPRHUB"} <= set(clean["unor_id"])
    closed = set(opd_reference.query("valid_to == '2024-12-31'")["opd_code"])
    assert closed & set(read_siasn(out_dir, "20241231")["unor_id"]) == closed


def test_sapk_export_is_latin1_with_upper_case_headers(out_dir, manifest):
    legacy = (out_dir / "landing/siasn/siasn_pegawai_20231231.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        legacy.decode("utf-8")
    text = legacy.decode("latin-1")
    assert text.startswith("PNS_ID|NIP_BARU|")
    assert any(letter in text for letter in "ËÉÈÏ")
    current = (out_dir / "landing/siasn/siasn_pegawai_20241231.csv").read_bytes().decode("utf-8")
    assert current.startswith("pns_id|nip_baru|")
    assert manifest["file_defects"] == [
        {"source": "siasn", "file": "landing/siasn/siasn_pegawai_20231231.csv", "defect": "latin1_encoding"}
    ]
    apostrophes = sum(line.split("|")[1].startswith("'") for line in current.splitlines()[1:])
    assert 0.2 < apostrophes / (len(current.splitlines()) - 1) < 0.4


def test_bpsdm_workbook_opens_with_its_header_on_row_4(out_dir, manifest):
    path = "landing/training/bpsdm_papua_barat/rekap_peserta_bpsdm_2024.xlsx"
    sheet = openpyxl.load_workbook(out_dir / path)["Rekap Peserta"]
    header = [cell.value for cell in sheet[4]]
    assert header[:3] == ["No", "NIP", "Nama Peserta"] and "Jumlah Jam" in header
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    rows_listed = next(entry["rows"] for entry in manifest["generated_files"] if entry["path"] == path)
    assert len(rows) == rows_listed > 0
    listed = defects_of(manifest, path)
    clean = [row for number, row in enumerate(rows, start=1) if number not in listed]
    assert all(isinstance(row[1], str) and len(row[1]) == 18 and row[1].isdigit() for row in clean)


def _non_siasn_records(out_dir: Path, path: str) -> list[dict]:
    data = (out_dir / path).read_bytes()
    if path.endswith(".jsonl"):
        return [json.loads(line) for line in data.decode().splitlines()]
    if path.endswith(".json"):
        document = json.loads(data)
        return document.get("penilaian") or document["peserta"]
    if path.endswith(".xlsx"):
        sheet = openpyxl.load_workbook(io.BytesIO(data))["Rekap Peserta"]
        header = [cell.value for cell in sheet[4]]
        return [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=5, values_only=True)]
    delimiter = ";" if "discipline" in path or "stih" in path else ","
    return list(csv.DictReader(io.StringIO(data.decode("utf-8")), delimiter=delimiter))


def _value(record: dict, dotted: str):
    for part in dotted.split("."):
        record = record[part]
    return record


def _is_date(value) -> bool:
    if not isinstance(value, str):
        return value is not None  # an Excel date cell
    for layout in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S%z"):
        if not pd.isna(pd.to_datetime(value, format=layout, errors="coerce")):
            return True
    return False


def _in_range(field: str, value) -> bool:
    low, high = DOCUMENTED_RANGES[field]
    number = float(str(value).replace(",", "."))
    return low <= number <= high


def test_other_sources_defects_are_where_the_manifest_says(out_dir, manifest):
    """Each listed defect breaks its rule in its field; every other row has a valid NIP, known codes and
    values within their documented ranges."""
    checked = 0
    for entry in manifest["generated_files"]:
        path = entry["path"]
        # SKM and LAPOR! carry no NIP: tests/integration/test_ingest_citizen.py checks their defects
        if "/siasn/" in path or "/skm/" in path or "/lapor/" in path:
            continue
        if path.startswith(("landing/forum/", "landing/inovasi/")):
            continue  # no NIP per row: their ingest tests match the quarantine to the manifest row by row
        records = _non_siasn_records(out_dir, path)
        listed = {d["row_number"]: d for d in manifest["defects"] if d["file"] == path}
        for number, record in enumerate(records, start=1):
            nip = record.get("nip", record.get("NIP"))
            defect = listed.get(number)
            rule = defect["rule"] if defect else None
            if rule == "missing_required":
                assert nip in ("", None), (path, number)
                continue
            if rule == "nip_format":
                assert isinstance(nip, str) and not (len(nip) == 18 and nip.isdigit()), (path, number)
                continue
            assert isinstance(nip, str) and len(nip) == 18 and nip.isdigit(), (path, number, rule)
            if rule == "duplicate_key":
                assert record in records[: number - 1], (path, number)
            elif rule == "invalid_date":
                assert not _is_date(_value(record, defect["field"])), (path, number)
            elif rule == "unknown_code":
                assert _value(record, defect["field"]) not in DOCUMENTED_CODES[defect["field"]], (path, number)
            elif rule == "out_of_range":
                assert not _in_range(defect["field"], _value(record, defect["field"])), (path, number)
            elif rule is None:
                for field, codes in DOCUMENTED_CODES.items():
                    if field in record and record.get("kelompok") != "teknis":
                        assert record[field] in codes, (path, number, field)
                for field in DOCUMENTED_RANGES:
                    if field in record and record[field] not in ("", None):
                        assert _in_range(field, record[field]), (path, number, field)
            checked += 1
    assert checked > 1000


def test_skp_predikat_follows_the_matrix_except_listed_mismatches(out_dir, manifest):
    matrix = {
        ("di atas ekspektasi", "di atas ekspektasi"): "Sangat Baik",
        ("di atas ekspektasi", "sesuai ekspektasi"): "Baik",
        ("di atas ekspektasi", "di bawah ekspektasi"): "Kurang",
        ("sesuai ekspektasi", "di atas ekspektasi"): "Baik",
        ("sesuai ekspektasi", "sesuai ekspektasi"): "Baik",
        ("sesuai ekspektasi", "di bawah ekspektasi"): "Kurang",
        ("di bawah ekspektasi", "di atas ekspektasi"): "Butuh Perbaikan",
        ("di bawah ekspektasi", "sesuai ekspektasi"): "Butuh Perbaikan",
        ("di bawah ekspektasi", "di bawah ekspektasi"): "Sangat Kurang",
    }
    path = "landing/ekinerja/skp_2024.json"
    document = json.loads((out_dir / path).read_text(encoding="utf-8"))
    listed = defects_of(manifest, path)
    mismatches = {
        number
        for number, item in enumerate(document["penilaian"], start=1)
        if (item["hasil_kerja"], item["perilaku_kerja"]) in matrix
        and matrix[(item["hasil_kerja"], item["perilaku_kerja"])] != item["predikat"]
    }
    assert mismatches == {number for number, rule in listed.items() if rule == "predikat_mismatch"}
    assert mismatches
    assert {item["periode"] for item in document["penilaian"]} >= {"TAHUNAN", "TW1", "TW4"}
    assert document["predikat_organisasi"]


def test_about_half_of_the_staff_reach_20_jp(out_dir):
    """With 1 JP = 45 e-learning minutes and BPSDM's JP as sent, roughly half reach 20 JP a year."""
    staff = set(read_siasn(out_dir, "20241231")["nip_baru"])
    jp: dict[str, float] = {}
    for record in _non_siasn_records(out_dir, "landing/training/elearning_asn/course_completions_2024.jsonl"):
        if record["completed"] and isinstance(record["duration_minutes"], int) and record["duration_minutes"] > 0:
            jp[record["nip"]] = jp.get(record["nip"], 0) + record["duration_minutes"] / 45
    for record in _non_siasn_records(out_dir, "landing/training/bpsdm_papua_barat/rekap_peserta_bpsdm_2024.xlsx"):
        if record["Status Kelulusan"] == "Lulus" and isinstance(record["Jumlah Jam"], int):
            jp[record["NIP"]] = jp.get(record["NIP"], 0) + max(record["Jumlah Jam"], 0)
    share = sum(jp.get(nip, 0) >= 20 for nip in staff) / len(staff)
    assert 0.35 < share < 0.65


def test_no_defects_when_the_rate_is_zero(tmp_path, opd_reference):
    manifest = generate(tmp_path, scale=120, seed=7, progress=False, defect_rate=0.0)
    assert manifest["defects"] == []
    assert all(count == 0 for rules in manifest["defect_counts"].values() for count in rules.values())
    for date in SIASN_DATES:
        broken = broken_siasn_rules(read_siasn(tmp_path, date), set(opd_reference["opd_code"]))
        assert all(rules == set() for rules in broken), date
