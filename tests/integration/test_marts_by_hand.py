"""The marts against expectations worked out by hand (issue 4, "How it will be checked").

Six employees of OPD-BKPSDM, in landing files of the real source formats (tests/fixtures/hand_worked/landing;
the BPSDM workbooks are written below from BPSDM_ROWS), go through the real ingest and a real `dbt build` in a
database of their own. Every expected number below is worked out from domain.md and the seeds, the arithmetic
in the comment beside it. Seeds used: ref_jp_conversion (45 minutes = 1 JP, factor 1, for klasikal and
e-learning), ref_pembina_settings (20 JP a year, JPM scale a with per-item capping, IP ASN for PNS and CPNS,
technical training of at least 20 JP), ref_jpm_category, ref_ip_asn_points, ref_ip_asn_weight,
ref_ip_asn_category, ref_sangat_baik_cap, ref_development_rule.

SIASN snapshots: 2024-12-31 (an upper-case SAPK header, identifiers with a leading '), 2025-12-31 and
2026-01-31, all six employees in each, active (kedudukan 01) and unchanged but for their years of service (which
also keep the exports' contents, and so their content hashes, apart). 2024 and 2025 are complete years (their
31 December is on or before the latest snapshot); 2026 is not, so mart_ip_asn and mart_development_priorities stop
at 2025 while mart_jp_compliance shows 2026 flagged incomplete.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from psycopg.rows import dict_row

from pembina import db
from pembina.ingest import loader
from pembina.ingest.pipeline import ingest_source
from pembina.runtime import dbt_environment
from pembina.secret_checks import DEV_PSEUDONYM_KEY
from pembina.settings import MARTS_BUILD_SCHEMA, get_settings

pytestmark = [pytest.mark.integration]

FIXTURE_LANDING = Path(__file__).resolve().parents[1] / "fixtures" / "hand_worked" / "landing"
FAMILIES = (
    "siasn",
    "ekinerja",
    "assessment",
    "discipline",
    "training",
    "university",
    "forum",
    "inovasi",
    "skm",
    "lapor",
)
OPD = "OPD-BKPSDM"
OPD_NAME = "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"

# The employees (NIP: birth date, TMT CPNS year-month, gender digit, sequence; NIK day +40 for women).
MARTHA = "199003152015032001"  # F 15-03-1990, TMT CPNS 03-2015, PNS, Analis SDM Aparatur Ahli Pertama, S-1
YOHANES = "198507022010011001"  # M 02-07-1985, TMT CPNS 01-2010, PNS, Pelaksana, D-III
ABRAHAM = "197811202003121001"  # M 20-11-1978, TMT CPNS 12-2003, PNS, Kepala Bidang (Administrator/Pengawas), S-2
PETRUS = "198204092008021001"  # M 09-04-1982, TMT CPNS 02-2008, PNS, Pranata Komputer Ahli Muda, S-1
SARAH = "199508252019022001"  # F 25-08-1995, TMT CPNS 02-2019, PNS, Pelaksana, S-1
LIDIA = "199201302022102001"  # F 30-01-1992, PPPK (NI PPPK), Pranata Komputer Ahli Pertama, S-1
NAMES = {MARTHA: "MARTHA", YOHANES: "YOHANES", ABRAHAM: "ABRAHAM", PETRUS: "PETRUS", SARAH: "SARAH", LIDIA: "LIDIA"}

# BPSDM Papua Barat (its Jumlah Jam are JP): NIP, name, Nama Diklat, Jenis Diklat, start, end, Jumlah Jam, Status.
BPSDM_ROWS = {
    2024: [
        (PETRUS, "Petrus Iba", "Pelatihan Fungsional Pranata Komputer", "Fungsional",
         "2024-05-06", "2024-05-10", 40, "Lulus"),
    ],
    2025: [
        (MARTHA, "Martha Rumbiak", "Diklat Teknis Manajemen Talenta ASN", "Teknis",
         "2025-03-10", "2025-03-11", 8, "Lulus"),
        (YOHANES, "Yohanes Mandacan", "Diklat Teknis Pengelolaan Arsip Dinamis", "Teknis",
         "2025-04-14", "2025-04-15", 16, "Lulus"),
        (YOHANES, "Yohanes Mandacan", "Diklat Teknis Pengadaan Barang/Jasa Pemerintah", "Teknis",
         "2025-09-01", "2025-09-05", 40, "Tidak Lulus"),
        (ABRAHAM, "Abraham Indow", "Diklat Teknis Perencanaan Kebutuhan ASN", "Teknis",
         "2025-02-17", "2025-02-19", 24, "Lulus"),
        (ABRAHAM, "Abraham Indow", "Pelatihan Fungsional Asesor SDM Aparatur", "Fungsional",
         "2025-10-06", "2025-10-08", 20, "Lulus"),
    ],
}  # fmt: skip
BPSDM_HEADER = [
    "No", "NIP", "Nama Peserta", "Unit Kerja", "Nama Diklat", "Jenis Diklat", "Tanggal Mulai", "Tanggal Selesai",
    "Jumlah Jam", "Status Kelulusan",
]  # fmt: skip


def employee_key(nip: str) -> str:
    """The pseudonymous key as the docs define it: HMAC-SHA256 of the NIP with the pseudonym key (the tests'
    development key)."""
    return hmac.new(DEV_PSEUDONYM_KEY.encode(), nip.encode(), hashlib.sha256).hexdigest()


KEYS = {employee_key(nip): name for nip, name in NAMES.items()}
BKPSDM_KEYS = set(KEYS)
UNIT_NAMES: dict[str, str] = {}  # BPSDM's Unit Kerja of the employees of other OPDs (sections at the end)


def bkpsdm(rows: list[dict]) -> list[dict]:
    """The rows of the six OPD-BKPSDM employees (the sections at the end add employees of other OPDs)."""
    return [row for row in rows if row["employee_key"] in BKPSDM_KEYS]


def _write_bpsdm_workbooks(folder: Path) -> None:
    """rekap_peserta_bpsdm_YYYY.xlsx as docs/sources.md describes it: sheet `Rekap Peserta`, two title rows and
    a blank row above the header on row 4; the NIP a text cell; dates as Excel date cells (first row of a
    year as a dd/mm/yyyy text cell, which the source also sends)."""
    folder.mkdir(parents=True, exist_ok=True)
    for year, rows in BPSDM_ROWS.items():
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Rekap Peserta"
        sheet.append(["REKAPITULASI PESERTA PENGEMBANGAN KOMPETENSI"])
        sheet.append([f"BPSDM PROVINSI PAPUA BARAT - PESERTA ASAL PEMERINTAH KAB. MANOKWARI TAHUN {year}"])
        sheet.append([])
        sheet.append(BPSDM_HEADER)
        for number, (nip, name, programme, kind, start, end, jp, status) in enumerate(rows, start=1):
            dates = [dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end)]
            if number == 1:
                dates = [value.strftime("%d/%m/%Y") for value in dates]
            sheet.append([number, nip, name, UNIT_NAMES.get(nip, OPD_NAME), programme, kind, *dates, jp, status])
            row = sheet.max_row
            sheet.cell(row, 2).number_format = "@"
            for column in (7, 8):
                if isinstance(sheet.cell(row, column).value, dt.datetime):
                    sheet.cell(row, column).number_format = "DD/MM/YYYY"
        workbook.save(folder / f"rekap_peserta_bpsdm_{year}.xlsx")


@pytest.fixture(scope="module")
def warehouse(make_database, tmp_path_factory) -> str:
    """A database of its own, the fixture landing folder ingested, `dbt build` run on it. Nothing is published
    here: the tests read the marts in the build schema."""
    url = make_database(os.environ.get("PEMBINA_TEST_DATABASE", "pembina_test") + "_hand_worked")
    work = tmp_path_factory.mktemp("hand_worked")
    landing = work / "landing"
    shutil.copytree(FIXTURE_LANDING, landing)
    _write_bpsdm_workbooks(landing / "training" / "bpsdm_papua_barat")
    _write_forum_workbooks(landing / "forum")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PEMBINA_WAREHOUSE_URL", url)
        patch.setenv("PEMBINA_LANDING_DIR", str(landing))
        patch.delenv("PEMBINA_PSEUDONYM_KEY", raising=False)  # the keys below use the development key
        with db.connect(url) as conn:
            loader.ensure_raw_tables(conn)
        results = [result for family in FAMILIES for result in ingest_source(family)]
        # 20 files; the e-Kinerja ones feed two sources; issue 10: two forum workbooks feeding two sources
        # each, and the innovation register
        assert len(results) == 22 + 5
        assert {result.status for result in results} == {"loaded"}, [result.as_dict() for result in results]
        quarantined = {Path(r.path).name: dict(r.quarantined_by_rule) for r in results if r.rows_quarantined}
        assert quarantined == {"siasn_pegawai_20260131.csv": dict.fromkeys(NIP_IMPLAUSIBLE_RULES, 1)}, quarantined
        settings = get_settings()
        build = subprocess.run(
            [str(Path(sys.executable).with_name("dbt")), "build", "--project-dir", str(settings.dbt_project_dir)],
            env={
                **os.environ,
                **dbt_environment(settings),
                "DBT_TARGET_PATH": str(work / "target"),
                "DBT_LOG_PATH": str(work / "logs"),
            },
            capture_output=True,
            text=True,
        )
    assert build.returncode == 0, build.stdout[-6000:]
    return url


def query(url: str, statement: str) -> list[dict]:
    with db.connect(url, row_factory=dict_row) as conn:
        return conn.execute(statement).fetchall()


def who(row: dict) -> str:
    return KEYS[row["employee_key"]]


def test_the_employee_key_is_the_hmac_of_the_nip(warehouse):
    keys = {row["employee_key"] for row in query(warehouse, "select employee_key from marts_build.dim_employee")}
    assert keys == set(KEYS) | set(DLH_KEYS) | set(DISDIK_KEYS)


def test_dim_employee_generalises_to_k_and_the_retirement_date_stays_in_identity(warehouse):
    # Six employees in one OPD, three women and three men: no gender is shared by k = 5, so every row shows
    # the OPD only (disclosure level 6); nothing finer is left to single anyone out.
    rows = bkpsdm(
        query(
            warehouse,
            "select employee_key, disclosure_level, opd_code, gender, age_band, golongan_group, position_type,"
            f" position_level from {MARTS_BUILD_SCHEMA}.dim_employee",
        )
    )
    rows = [r for r in rows if r["employee_key"] in KEYS]
    assert {who(r): tuple(v for k, v in r.items() if k != "employee_key") for r in rows} == dict.fromkeys(
        NAMES.values(), (6, OPD, None, None, None, None, None)
    )
    identity = {
        KEYS[r["employee_key"]]: r["expected_retirement_date"]
        for r in bkpsdm(
            query(warehouse, "select employee_key, expected_retirement_date from identity.employee_identity")
        )
    }
    # BUP 58 (PP 11/2017 art. 239): ABRAHAM, born 20-11-1978, reaches it on 20-11-2036, pension from 1 December;
    # MARTHA (Ahli Pertama, 58), born 15-03-1990: 1 April 2048; PETRUS (Ahli Muda, 58), born 09-04-1982: 1 May 2040
    assert (identity["ABRAHAM"], identity["MARTHA"], identity["PETRUS"]) == (
        dt.date(2036, 12, 1),
        dt.date(2048, 4, 1),
        dt.date(2040, 5, 1),
    )


def test_jp_compliance(warehouse):
    rows = bkpsdm(
        query(
            warehouse,
            """select employee_key, calendar_year, total_jp, jp_klasikal, jp_e_learning, trainings_completed,
                  meets_jp_minimum, jp_shortfall, is_complete_year
             from marts_build.mart_jp_compliance""",
        )
    )
    # (total JP, meets 20 JP, shortfall = max(20 - total, 0))
    expected = {
        ("MARTHA", 2024): (0, False, 20),
        ("YOHANES", 2024): (0, False, 20),
        ("ABRAHAM", 2024): (520, True, 0),  # LAN PKA 520 JP
        ("PETRUS", 2024): (40, True, 0),  # BPSDM fungsional 40 JP (BPSDM counts JP)
        ("SARAH", 2024): (20, True, 0),  # e-learning 900 min / 45 = 20 JP: exactly the minimum
        ("LIDIA", 2024): (0, None, None),  # PPPK: no 20 JP duty (issue 9), JP counted apart
        # BPSDM 8 JP + e-learning 315 min / 45 = 7 + LAN 5 JP = 20 JP: exactly the minimum
        ("MARTHA", 2025): (20, True, 0),
        # BPSDM 16 JP + e-learning 171 min / 45 = 3.8 -> 19.8, and the UNIPA internship passed 1 July to 30 September
        # (66 working days x 8 JP, ref_university_jp_credit) 528: 547.8; the failed BPSDM course (40 JP) and
        # the e-learning course never completed count 0; the course completed on 2026-01-05 counts in 2026
        ("YOHANES", 2025): (Decimal("547.8"), True, 0),
        ("ABRAHAM", 2025): (44, True, 0),  # BPSDM teknis 24 JP + fungsional 20 JP
        ("PETRUS", 2025): (0, False, 20),
        ("SARAH", 2025): (0, False, 20),  # LAN PKP 280 JP TIDAK LULUS: 0
        ("LIDIA", 2025): (10, None, None),  # e-learning 450 min / 45 = 10 JP; PPPK: no duty
        ("MARTHA", 2026): (0, False, 20),
        ("YOHANES", 2026): (2, False, 18),  # e-learning 90 min / 45 = 2 JP, completed 2026-01-05
        ("ABRAHAM", 2026): (0, False, 20),
        ("PETRUS", 2026): (0, False, 20),
        ("SARAH", 2026): (0, False, 20),
        ("LIDIA", 2026): (0, None, None),
    }
    actual = {(who(r), r["calendar_year"]): (r["total_jp"], r["meets_jp_minimum"], r["jp_shortfall"]) for r in rows}
    assert actual == expected
    assert {r["calendar_year"]: r["is_complete_year"] for r in rows} == {2024: True, 2025: True, 2026: False}
    by_key = {(who(r), r["calendar_year"]): r for r in rows}
    # MARTHA 2025 by unit: klasikal = BPSDM 8 + LAN 5 = 13 JP, e-learning 7 JP, three trainings completed
    assert (by_key["MARTHA", 2025]["jp_klasikal"], by_key["MARTHA", 2025]["jp_e_learning"]) == (13, 7)
    assert by_key["MARTHA", 2025]["trainings_completed"] == 3
    # YOHANES 2025: two of four trainings passed (BPSDM 16 JP, e-learning 171 min), and the internship
    assert by_key["YOHANES", 2025]["trainings_completed"] == 3


def test_performance_appraisal_predikat_from_the_matrix(warehouse):
    rows = bkpsdm(
        query(
            warehouse,
            """select employee_key, appraisal_year, period_code, is_annual, opd_code, predikat, predikat_rank,
                  stated_predikat, is_stated_predikat_consistent, is_misconduct
             from marts_build.fct_performance_appraisal""",
        )
    )
    rows = [r for r in rows if r["employee_key"] in KEYS]
    # (predikat from hasil kerja x perilaku kerja, stated predikat, consistent)
    sb, b = "Sangat Baik", "Baik"
    expected = {
        ("MARTHA", 2024, "TAHUNAN"): (b, b, True),  # sesuai x di atas
        ("YOHANES", 2024, "TAHUNAN"): (b, b, True),  # sesuai x sesuai
        ("ABRAHAM", 2024, "TAHUNAN"): (sb, sb, True),  # di atas x di atas
        ("PETRUS", 2024, "TAHUNAN"): (b, b, True),  # sesuai x sesuai
        ("SARAH", 2024, "TAHUNAN"): (b, b, True),
        ("LIDIA", 2024, "TAHUNAN"): (sb, sb, True),
        ("MARTHA", 2025, "TAHUNAN"): (sb, sb, True),
        ("YOHANES", 2025, "TW1"): (b, b, True),
        ("YOHANES", 2025, "TAHUNAN"): (b, b, True),  # di atas x sesuai
        ("ABRAHAM", 2025, "TAHUNAN"): (sb, sb, True),
        ("PETRUS", 2025, "TAHUNAN"): ("Butuh Perbaikan", "Butuh Perbaikan", True),  # di bawah x sesuai
        ("SARAH", 2025, "TAHUNAN"): ("Kurang", b, False),  # di atas x di bawah = Kurang (misconduct), stated Baik
        ("LIDIA", 2025, "TAHUNAN"): (sb, sb, True),
    }
    actual = {
        (who(r), r["appraisal_year"], r["period_code"]): (
            r["predikat"],
            r["stated_predikat"],
            r["is_stated_predikat_consistent"],
        )
        for r in rows
    }
    assert actual == expected
    by_key = {(who(r), r["appraisal_year"], r["period_code"]): r for r in rows}
    sarah = by_key["SARAH", 2025, "TAHUNAN"]
    assert (sarah["predikat_rank"], sarah["is_misconduct"]) == (4, True)
    assert by_key["PETRUS", 2025, "TAHUNAN"]["predikat_rank"] == 3
    assert by_key["YOHANES", 2025, "TW1"]["is_annual"] is False
    # e-Kinerja sent no unor_id for PETRUS 2024: the SIASN OPD on 2024-12-31 fills it
    assert {r["opd_code"] for r in rows} == {OPD}


def test_performance_distribution_and_sangat_baik_cap(warehouse):
    rows = query(
        warehouse,
        """select opd_code, appraisal_year, appraised_staff_count, sangat_baik_count, sangat_baik_share_pct,
                  baik_count, baik_share_pct, butuh_perbaikan_count, butuh_perbaikan_share_pct, kurang_count,
                  kurang_share_pct, sangat_kurang_count, sangat_kurang_share_pct, without_predikat_count,
                  stated_predikat_mismatch_count, organisation_predikat, max_sangat_baik_share_pct,
                  is_sangat_baik_within_cap
             from marts_build.mart_performance_distribution
            where opd_code = 'OPD-BKPSDM'
            order by appraisal_year""",
    )
    assert rows == [
        {
            # annual SKP of 6 staff: SB ABRAHAM, LIDIA = 2/6 = 33.33%; Baik the other 4 = 66.67%. Both counts
            # are below k = 5, so both are suppressed with their shares (the zeros are shown)
            "opd_code": OPD, "appraisal_year": 2024, "appraised_staff_count": 6,
            "sangat_baik_count": None, "sangat_baik_share_pct": None,
            "baik_count": None, "baik_share_pct": None,
            "butuh_perbaikan_count": 0, "butuh_perbaikan_share_pct": Decimal("0.00"),
            "kurang_count": 0, "kurang_share_pct": Decimal("0.00"),
            "sangat_kurang_count": 0, "sangat_kurang_share_pct": Decimal("0.00"),
            "without_predikat_count": 0, "stated_predikat_mismatch_count": 0,
            # organisation Butuh Perbaikan caps Sangat Baik at 10%: 2 x 100 = 200 > 10 x 6 = 60
            "organisation_predikat": "Butuh Perbaikan", "max_sangat_baik_share_pct": Decimal("10.00"),
            "is_sangat_baik_within_cap": False,
        },
        {
            # annual SKP of 6 staff (YOHANES's TW1 is not counted): SB MARTHA, ABRAHAM, LIDIA = 3/6 = 50%;
            # Baik YOHANES, Butuh Perbaikan PETRUS, Kurang SARAH = 1/6 = 16.67% each: all below k = 5,
            # suppressed; the cap check below still uses the counts
            "opd_code": OPD, "appraisal_year": 2025, "appraised_staff_count": 6,
            "sangat_baik_count": None, "sangat_baik_share_pct": None,
            "baik_count": None, "baik_share_pct": None,
            "butuh_perbaikan_count": None, "butuh_perbaikan_share_pct": None,
            "kurang_count": None, "kurang_share_pct": None,
            "sangat_kurang_count": 0, "sangat_kurang_share_pct": Decimal("0.00"),
            "without_predikat_count": 0, "stated_predikat_mismatch_count": 1,  # SARAH
            # organisation Baik caps Sangat Baik at 50%: 3 x 100 = 300 <= 50 x 6 = 300, exactly at the cap
            "organisation_predikat": "Baik", "max_sangat_baik_share_pct": Decimal("50.00"),
            "is_sangat_baik_within_cap": True,
        },
    ]  # fmt: skip


def test_competency_gap_and_jpm_with_per_item_capping(warehouse):
    events = query(
        warehouse,
        "select assessment_id, employee_key, jpm_pct, jpm_category, is_latest_assessment"
        " from intermediate.int_assessment_jpm order by assessment_id",
    )
    scores = [(e["assessment_id"], who(e), e["jpm_pct"], e["jpm_category"], e["is_latest_assessment"]) for e in events]
    assert scores == [
        # standard 5 x 5 = 25; credited 5 + 4 + 3 + 3 + 2 = 17; 17/25 = 68.00%: the lower bound of Masih MS
        ("ASM-2024-00001", "ABRAHAM", Decimal("68.00"), "Masih Memenuhi Syarat", False),
        # standard 4 x 5 = 20; Integritas assessed 5 is credited at its standard 4, so
        # 4 + 2 + 3 + 3 + 4 = 16; 16/20 = 80.00%: the lower bound of Memenuhi Syarat (uncapped it would be 85%)
        ("ASM-2025-00001", "ABRAHAM", Decimal("80.00"), "Memenuhi Syarat", True),
    ]
    credited = query(
        warehouse,
        "select competency_name, gap, credited_level from marts_build.fct_competency_assessment"
        " where assessment_year = 2025 and competency_name = 'Integritas'",
    )
    assert credited == [{"competency_name": "Integritas", "gap": 1, "credited_level": 4}]

    rows = query(
        warehouse,
        """select employee_key, competency_group, competency_name, assessment_date, standard_level,
                  assessed_level, gap, has_gap, jpm_pct, jpm_category, is_latest_assessment
             from marts_build.mart_competency_gap""",
    )
    assert {who(r) for r in rows} == {"ABRAHAM"}
    actual = {
        r["competency_name"]: (
            r["competency_group"],
            r["assessment_date"].isoformat(),
            r["standard_level"],
            r["assessed_level"],
            r["gap"],
            r["has_gap"],
            r["jpm_pct"],
            r["jpm_category"],
            r["is_latest_assessment"],
        )
        for r in rows
    }
    ms, mms = (Decimal("80.00"), "Memenuhi Syarat", True), (Decimal("68.00"), "Masih Memenuhi Syarat", False)
    # gap = assessed - standard, from the latest event that assessed the competency
    assert actual == {
        "Integritas": ("manajerial", "2025-06-10", 4, 5, 1, False, *ms),
        "Kerjasama": ("manajerial", "2025-06-10", 4, 2, -2, True, *ms),
        "Komunikasi": ("manajerial", "2025-06-10", 4, 3, -1, True, *ms),
        "Orientasi pada Hasil": ("manajerial", "2025-06-10", 4, 3, -1, True, *ms),
        "Perekat Bangsa": ("sosial kultural", "2025-06-10", 4, 4, 0, False, *ms),
        # assessed in 2024 only: the 2024 event's row
        "Pengambilan Keputusan": ("manajerial", "2024-05-14", 5, 2, -3, True, *mms),
    }


def test_ip_asn(warehouse):
    rows = bkpsdm(
        query(
            warehouse,
            """select employee_key, calendar_year, kualifikasi_score, kompetensi_score, kinerja_score, disiplin_score,
                  ip_asn_index, ip_asn_category, missing_inputs
             from marts_build.mart_ip_asn""",
        )
    )
    rows = [r for r in rows if r["employee_key"] in KEYS]
    # (kualifikasi, kompetensi, kinerja, disiplin, index, category). Points: S2 20, S1 15, D3 10; leadership at
    # the post's level 15, functional 15, technical >= 20 JP 15 (sum capped at the weight 40); Sangat Baik 30,
    # Baik 25, Butuh Perbaikan 20, Kurang 15; no sanction 5, sedang 2. LIDIA (PPPK) is not measured; 2026 is
    # not a complete year.
    expected = {
        # S1 15 + nothing 0 + Baik 25 + none 5 = 45
        ("MARTHA", 2024): (15, 0, 25, 5, 45, "Sangat Rendah"),
        # S1 15 + 0 (PKP is not the training of an Ahli Pertama post; BPSDM teknis 8 JP < 20) + SB 30 + 5 = 50
        ("MARTHA", 2025): (15, 0, 30, 5, 50, "Sangat Rendah"),
        # D3 10 + 0 + Baik 25 + 5 = 40
        ("YOHANES", 2024): (10, 0, 25, 5, 40, "Sangat Rendah"),
        # D3 10 + seminar 10 (the UNIPA internship, ref_university_jp_credit; teknis 16 JP < 20; the 40 JP
        # course was failed) + Baik 25 + 5 = 50
        ("YOHANES", 2025): (10, 10, 25, 5, 50, "Sangat Rendah"),
        # S2 20 + PKA at the Administrator/Pengawas level 15 + SB 30 + 5 = 70: top of Rendah (61-70)
        ("ABRAHAM", 2024): (20, 15, 30, 5, 70, "Rendah"),
        # S2 20 + min(PKA 15 + fungsional 15 + teknis 24 JP 15 = 45, 40) = 40 + SB 30 + 5 = 95
        ("ABRAHAM", 2025): (20, 40, 30, 5, 95, "Sangat Tinggi"),
        # S1 15 + fungsional 15 + Baik 25 + 5 (the 2023 spoken warning ran on 2023-06-05 only) = 60: top of
        # Sangat Rendah (<= 60)
        ("PETRUS", 2024): (15, 15, 25, 5, 60, "Sangat Rendah"),
        # S1 15 + fungsional (2024, still counts) 15 + Butuh Perbaikan 20 + sedang 2 = 52
        ("PETRUS", 2025): (15, 15, 20, 2, 52, "Sangat Rendah"),
        # S1 15 + 0 (e-learning carries no IP ASN item) + Baik 25 + 5 = 45
        ("SARAH", 2024): (15, 0, 25, 5, 45, "Sangat Rendah"),
        # S1 15 + 0 (PKP failed) + Kurang 15 + 5 = 35
        ("SARAH", 2025): (15, 0, 15, 5, 35, "Sangat Rendah"),
    }
    actual = {
        (who(r), r["calendar_year"]): (
            r["kualifikasi_score"],
            r["kompetensi_score"],
            r["kinerja_score"],
            r["disiplin_score"],
            r["ip_asn_index"],
            r["ip_asn_category"],
        )
        for r in rows
    }
    assert actual == expected
    assert {r["missing_inputs"] for r in rows} == {None}


def test_development_priorities(warehouse):
    rows = bkpsdm(
        query(
            warehouse,
            """select employee_key, calendar_year, priority, rule_id, predikat, previous_year_predikat, jp_total,
                  sanction_level
             from marts_build.mart_development_priorities""",
        )
    )
    rows = [r for r in rows if r["employee_key"] in KEYS]
    expected = {
        # 2024: 0 JP < 20
        ("MARTHA", 2024, "plan_jp_shortfall"),
        ("YOHANES", 2024, "plan_jp_shortfall"),
        # LIDIA (PPPK) has no 20 JP duty (issue 9): no JP shortfall plan in 2024 or 2025
        # ABRAHAM 2024 (SB, 520 JP): no reward, no Sangat Baik on record for 2023; PETRUS (Baik, 40 JP, the
        # 2023 warning not running in 2024) and SARAH (Baik, exactly 20 JP): nothing.
        # 2025: MARTHA (SB, exactly 20 JP): no reward, she was Baik in 2024
        ("ABRAHAM", 2025, "reward_sangat_baik_two_years_jp_met"),  # SB 2024 and 2025, 44 JP >= 20
        ("PETRUS", 2025, "plan_predikat_below_baik"),  # Butuh Perbaikan
        ("PETRUS", 2025, "plan_active_sanction"),  # sedang, 2025-03-01 to 2025-08-31
        ("PETRUS", 2025, "plan_jp_shortfall"),  # 0 JP
        ("SARAH", 2025, "plan_predikat_below_baik"),  # Kurang (the matrix, not the stated Baik)
        ("SARAH", 2025, "plan_jp_shortfall"),  # 0 JP (PKP failed)
        # SB two years in a row; the JP condition binds those under the 20 JP duty, not a PPPK (issue 9)
        ("LIDIA", 2025, "reward_sangat_baik_two_years_jp_met"),
    }
    assert {(who(r), r["calendar_year"], r["rule_id"]) for r in rows} == expected
    by_rule = {(who(r), r["calendar_year"], r["rule_id"]): r for r in rows}
    reward = by_rule["ABRAHAM", 2025, "reward_sangat_baik_two_years_jp_met"]
    assert (reward["priority"], reward["predikat"], reward["previous_year_predikat"], reward["jp_total"]) == (
        "reward",
        "Sangat Baik",
        "Sangat Baik",
        44,
    )
    assert by_rule["PETRUS", 2025, "plan_active_sanction"]["sanction_level"] == "sedang"
    # YOHANES 2025 has no shortfall: 19.8 JP of training and 528 JP of the internship
    assert by_rule["PETRUS", 2025, "plan_jp_shortfall"]["jp_total"] == 0


def test_university_programmes(warehouse):
    rows = bkpsdm(
        query(
            warehouse,
            """select employee_key, university_code, program_name, program_type, status, is_completed, credits, gpa,
                  first_report_year, last_report_year, opd_code
             from marts_build.fct_university_programme""",
        )
    )
    rows = [r for r in rows if r["employee_key"] in KEYS]
    actual = {
        (who(r), r["program_name"]): (
            r["university_code"],
            r["program_type"],
            r["status"],
            r["is_completed"],
            r["credits"],
            r["gpa"],
            r["first_report_year"],
            r["last_report_year"],
            r["opd_code"],
        )
        for r in rows
    }
    assert actual == {
        # listed in the 2024 and 2025 files; the 2025 status and credits win
        ("SARAH", "Magister Manajemen"): (
            "unipa", "izin_belajar", "active", False, 24, Decimal("3.52"), 2024, 2025, OPD,
        ),
        ("YOHANES", "Magang Pengelolaan Arsip Digital"): (
            "unipa", "magang", "passed", True, None, None, 2025, 2025, OPD,
        ),
    }  # fmt: skip


# Issue 9: sanctions, NIP plausibility, predikat pattern, retirement year
#
# Six PNS of OPD-DLH (Dinas Lingkungan Hidup), Pelaksana (BUP 58, PP 11/2017 art. 239), SLTA, active in every
# snapshot. Five were born in December 1968 and one on 30 November 1968, so the retirement forecast's window
# (2026-2030, from the 2026-01-31 snapshot) shows where a December BUP birthday lands. DANIEL and ELISABETH
# carry the two sanctions of the 2023 register; the e-Kinerja files give OPD-DLH the organisation predikat
# Butuh Perbaikan in 2024 and 2025 and five annual SKP a year (IMANUEL has none). The 2026-01-31 export also
# holds four OPD-DLH rows whose NIP is implausible; they are quarantined.
DLH = "OPD-DLH"
DANIEL = "196812011992031001"  # M 01-12-1968, TMT CPNS 03-1992
ELISABETH = "196812051993042001"  # F 05-12-1968, TMT CPNS 04-1993
FRANS = "196812151994071001"  # M 15-12-1968
GERSON = "196812241995011001"  # M 24-12-1968
HANA = "196812311996022001"  # F 31-12-1968
IMANUEL = "196811301993031001"  # M 30-11-1968, tmt_cpns 15-03-1993: not on the 1st (a finding, loaded)
DLH_NAMES = {
    DANIEL: "DANIEL", ELISABETH: "ELISABETH", FRANS: "FRANS", GERSON: "GERSON", HANA: "HANA", IMANUEL: "IMANUEL",
}  # fmt: skip
DLH_KEYS = {employee_key(nip): name for nip, name in DLH_NAMES.items()}
# 197504102001031000 sequence 000; 197808222003131001 TMT month 13; 198506202003031001 born 20-06-1985 with TMT
# CPNS 01-03-2003, aged 17; 199002122017052001 a PPPK whose NI year 2017 is before PP 49/2018's first year 2019
NIP_IMPLAUSIBLE_RULES = (
    "nip_sequence_zero", "nip_tmt_month_invalid", "nip_tmt_cpns_before_age_18", "ni_pppk_year_implausible",
)  # fmt: skip


def in_dlh(rows: list[dict]) -> list[dict]:
    return [row for row in rows if row["employee_key"] in DLH_KEYS]


def test_implausible_nips_are_quarantined_with_their_rule_and_a_tmt_cpns_off_the_first_is_loaded(warehouse):
    rows = query(
        warehouse,
        "select rule_id, rules_broken, record->>'nip_baru' as nip, record->>'unor_id' as opd_code"
        " from raw.quarantine where source = 'siasn' order by rule_id",
    )
    assert [(r["rule_id"], r["rules_broken"], r["nip"], r["opd_code"]) for r in rows] == [
        ("ni_pppk_year_implausible", ["ni_pppk_year_implausible"], "199002122017052001", DLH),
        ("nip_sequence_zero", ["nip_sequence_zero"], "197504102001031000", DLH),
        ("nip_tmt_cpns_before_age_18", ["nip_tmt_cpns_before_age_18"], "198506202003031001", DLH),
        ("nip_tmt_month_invalid", ["nip_tmt_month_invalid"], "197808222003131001", DLH),
    ]
    loaded = query(warehouse, f"select tmt_cpns from raw.siasn_pegawai where nip_baru = '{IMANUEL}'")
    assert [r["tmt_cpns"] for r in loaded] == ["15-03-1993"] * 3  # in each of the three exports


def test_a_sanction_lasts_as_long_as_its_decree_says(warehouse):
    rows = in_dlh(
        query(
            warehouse,
            "select employee_key, start_date, end_date, stated_end_date, end_date_basis,"
            " is_stated_end_date_consistent from marts_build.fct_discipline_sanction",
        )
    )
    assert {who_dlh(r): tuple(v for k, v in r.items() if k != "employee_key") for r in rows} == {
        # B1, 12 months, no tmt_selesai: 1 October 2023 + 12 months - 1 day = 30 September 2024; not a finding
        "DANIEL": (dt.date(2023, 10, 1), dt.date(2024, 9, 30), None, "duration", None),
        # S1, 6 months from 1 August 2023: 31 January 2024; the register says 31 December 2023, kept and flagged
        "ELISABETH": (dt.date(2023, 8, 1), dt.date(2024, 1, 31), dt.date(2023, 12, 31), "duration", False),
    }
    bkpsdm_periods = bkpsdm(
        query(
            warehouse,
            "select employee_key, decree_year, end_date, end_date_basis, is_stated_end_date_consistent"
            " from marts_build.fct_discipline_sanction",
        )
    )
    # PETRUS's spoken warning has no duration and no end; his 6-month cut from 1 March 2025 states 31 August 2025,
    # exactly the duration's end
    periods = sorted(tuple(v for k, v in r.items() if k != "employee_key") for r in bkpsdm_periods)
    assert periods == [(2023, None, "start_date", None), (2025, dt.date(2025, 8, 31), "duration", True)]

    years = in_dlh(
        query(
            warehouse,
            "select employee_key, calendar_year, heaviest_sanction_level, has_sanction_running_at_year_end,"
            " heaviest_sanction_level_ever, ip_asn_sanction_level from intermediate.int_employee_year_sanctions"
            " where calendar_year in (2024, 2025)",
        )
    )
    actual = {
        (who_dlh(r), r["calendar_year"]): tuple(v for k, v in r.items() if k not in ("employee_key", "calendar_year"))
        for r in years
    }
    # (running in the year, running on 31 December, heaviest ever, what IP ASN reads: the year, the default)
    assert {key: value for key, value in actual.items() if key[0] in ("DANIEL", "ELISABETH")} == {
        ("DANIEL", 2024): ("berat", False, "berat", "berat"),  # runs to 30 September 2024
        ("DANIEL", 2025): (None, False, "berat", None),
        ("ELISABETH", 2024): ("sedang", False, "sedang", "sedang"),  # runs in January 2024, not by the register
        ("ELISABETH", 2025): (None, False, "sedang", None),
    }


def test_the_decree_period_moves_ip_asn_disiplin_and_the_development_plan(warehouse):
    rows = in_dlh(
        query(
            warehouse,
            "select employee_key, calendar_year, heaviest_sanction_level, disiplin_score from marts_build.mart_ip_asn",
        )
    )
    disiplin = {(who_dlh(r), r["calendar_year"]): (r["heaviest_sanction_level"], r["disiplin_score"]) for r in rows}
    # disiplin points (ref_ip_asn_points): berat 1, sedang 2, none 5. Read from the register alone, DANIEL's
    # sanction would have run on 1 October 2023 only and ELISABETH's ended in 2023: both 5 in 2024.
    assert {k: v for k, v in disiplin.items() if k[0] in ("DANIEL", "ELISABETH")} == {
        ("DANIEL", 2024): ("berat", 1),
        ("DANIEL", 2025): (None, 5),
        ("ELISABETH", 2024): ("sedang", 2),
        ("ELISABETH", 2025): (None, 5),
    }
    plans = in_dlh(
        query(
            warehouse,
            "select employee_key, calendar_year, sanction_level from marts_build.mart_development_priorities"
            " where rule_id = 'plan_active_sanction'",
        )
    )
    assert {(who_dlh(r), r["calendar_year"], r["sanction_level"]) for r in plans} == {
        ("DANIEL", 2024, "berat"),
        ("ELISABETH", 2024, "sedang"),
    }


def test_performance_distribution_checks_the_minimums_of_the_pattern(warehouse):
    rows = query(
        warehouse,
        f"""select appraisal_year, appraised_staff_count, organisation_predikat, sangat_baik_count,
                   is_sangat_baik_within_cap, pattern_breaches, is_distribution_pattern_met, is_pattern_confirmed
              from marts_build.mart_performance_distribution
             where opd_code = '{DLH}'
             order by appraisal_year""",
    )
    assert rows == [
        # organisation Butuh Perbaikan: at least 60% Butuh Perbaikan (ref_predikat_distribution_pattern) and at
        # most 10% Sangat Baik (ref_sangat_baik_cap). 2024: DANIEL, ELISABETH, FRANS Butuh Perbaikan (di bawah x
        # sesuai), GERSON and HANA Baik: 3 x 100 = 300 >= 60 x 5 = 300, exactly the minimum; Sangat Baik 0
        {"appraisal_year": 2024, "appraised_staff_count": 5, "organisation_predikat": "Butuh Perbaikan",
         "sangat_baik_count": 0, "is_sangat_baik_within_cap": True, "pattern_breaches": None,
         "is_distribution_pattern_met": True, "is_pattern_confirmed": False},
        # 2025: FRANS is Baik too: 2 x 100 = 200 < 300, the minimum is broken though the cap holds (which was all
        # the mart checked before)
        {"appraisal_year": 2025, "appraised_staff_count": 5, "organisation_predikat": "Butuh Perbaikan",
         "sangat_baik_count": 0, "is_sangat_baik_within_cap": True,
         "pattern_breaches": "butuh_perbaikan_at_least_60_pct", "is_distribution_pattern_met": False,
         "is_pattern_confirmed": False},
    ]  # fmt: skip


def test_retirement_forecast_counts_the_year_the_pension_starts(warehouse):
    rows = query(
        warehouse,
        f"""select retirement_year, active_headcount, retirements_total, retirements_pns, retirements_pelaksana
              from marts_build.mart_retirement_forecast
             where opd_code = '{DLH}'
             order by retirement_year""",
    )
    # BUP 58: DANIEL (01-12-1968) to HANA (31-12-1968) reach it in December 2026, pension from 1 January 2027:
    # five in 2027. IMANUEL (30-11-1968) reaches it on 30 November 2026, pension from 1 December 2026: one in
    # 2026, below k = 5 and so suppressed (by the BUP year the mart counted six in 2026 and none in 2027)
    assert [tuple(r.values()) for r in rows] == [
        (2026, 6, None, None, None),
        (2027, 6, 5, 5, 5),
        (2028, 6, 0, 0, 0),
        (2029, 6, 0, 0, 0),
        (2030, 6, 0, 0, 0),
    ]
    identity = {
        DLH_KEYS[r["employee_key"]]: r["expected_retirement_date"]
        for r in in_dlh(
            query(warehouse, "select employee_key, expected_retirement_date from identity.employee_identity")
        )
    }
    assert (identity["DANIEL"], identity["HANA"], identity["IMANUEL"]) == (
        dt.date(2027, 1, 1),
        dt.date(2027, 1, 1),
        dt.date(2026, 12, 1),
    )


def who_dlh(row: dict) -> str:
    return DLH_KEYS[row["employee_key"]]


# Issue 9: JP units, duplicates, non-classroom credit
#
# Five employees of OPD-DINKES (Dinas Kesehatan), active in all three SIASN snapshots, with no SKP (their rows in
# the marts read no appraisal). Every figure below is in the unit its vendor's mapping declares: BPSDM's Jumlah
# Jam and LAN's durasi_jp are JP, the platform's minutes are / 45 (ref_jp_conversion as shipped).
RUTH = "199106142017032001"  # F 14-06-1991, TMT CPNS 03-2017, PNS, Epidemiolog Kesehatan Ahli Pertama, S-1
DANIEL = "199802112024061001"  # M 11-02-1998, TMT CPNS 06-2024, CPNS, Pranata Laboratorium Kesehatan Ahli Pertama
MARIA = "198609232010042001"  # F 23-09-1986, TMT CPNS 04-2010, PNS, Perawat Ahli Muda, S-1
YAKOB = "199312052019021001"  # M 05-12-1993, TMT CPNS 02-2019, PNS, Sanitarian Ahli Pertama, S-1
NOVITA = "198907172014032001"  # F 17-07-1989, TMT CPNS 03-2014, PNS, Pelaksana, D-III
DINKES = {RUTH: "RUTH", DANIEL: "DANIEL", MARIA: "MARIA", YAKOB: "YAKOB", NOVITA: "NOVITA"}
KEYS.update({employee_key(nip): name for nip, name in DINKES.items()})
UNIT_NAMES.update(dict.fromkeys(DINKES, "Dinas Kesehatan"))
BPSDM_ROWS[2025] += [
    # 16 "jam" are 16 JP (BPSDM counts JP), not 16 x 60 / 45 = 21.33
    (RUTH, "Ruth Sawaki", "Pelatihan Teknis Surveilans Penyakit", "Teknis", "2025-06-16", "2025-06-17", 16, "Lulus"),
    # the platform course RUTH took from 2 to 11 March, re-reported by BPSDM (which organised it) from 3 to
    # 12 March in 7 JP: overlapping, not identical days; ref_training_program_equivalence: literasi_digital
    (RUTH, "Ruth Sawaki", "Literasi Digital ASN", "E-Learning", "2025-03-03", "2025-03-12", 7, "Lulus"),
    # Latsar organised by BPSDM, 51 days, 459 jam = 459 JP; LAN RI reports the same course (it certifies it)
    (DANIEL, "Daniel Wanma", "Pelatihan Dasar CPNS Golongan III", "Latsar CPNS", "2025-03-03", "2025-04-22", 459,
     "Lulus"),
    # two different courses on the same day: both count, neither is the other's duplicate
    (MARIA, "Maria Rumaropen", "Seminar Kesehatan Ibu dan Anak", "Seminar", "2025-05-20", "2025-05-20", 8, "Lulus"),
    (MARIA, "Maria Rumaropen", "Workshop Sistem Informasi Puskesmas", "Workshop", "2025-05-20", "2025-05-20", 6,
     "Lulus"),
]  # fmt: skip


def dinkes(rows: list[dict]) -> dict:
    return {
        (KEYS[row["employee_key"]], row["calendar_year"]): row
        for row in rows
        if KEYS.get(row["employee_key"]) in DINKES.values()
    }


def test_issue9_each_report_is_kept_and_a_training_reported_twice_counts_once(warehouse):
    rows = query(
        warehouse,
        """select participation_key, employee_key, vendor_code, program_type, training_type, duration_value,
                  duration_unit, jp, jp_credited, is_counted, duplicate_of_participation_key, equivalence_group
             from marts_build.fct_training_participation where training_year = 2025""",
    )
    mine = [row for row in rows if KEYS.get(row["employee_key"]) in DINKES.values()]
    by_report = {(who(r), r["vendor_code"], r["program_type"], r["duration_value"]): r for r in mine}
    keys = {name: r["participation_key"] for name, r in by_report.items()}
    actual = {
        name: (r["duration_unit"], r["jp"], r["jp_credited"], r["is_counted"], r["equivalence_group"])
        for name, r in by_report.items()
    }
    assert actual == {
        # 16 JP as sent: the unit is BPSDM's (jp), not clock hours
        ("RUTH", "bpsdm_papua_barat", "teknis", 16): ("jp", 16, 16, True, None),
        # 300 min / 45 = 6.67 JP (the fact keeps it unrounded); the platform's report counts (seed priority 1)
        ("RUTH", "elearning_asn", "e_learning", 300): ("minutes", Decimal("6.6666666666666667"),
                                                        Decimal("6.6666666666666667"), True, None),
        # BPSDM's re-report of the same course (3-12 March against 2-11 March): kept, not counted, credits 0
        ("RUTH", "bpsdm_papua_barat", "e_learning", 7): ("jp", 7, 0, False, "literasi_digital"),
        # Latsar: identical days at BPSDM and LAN RI; BPSDM's report counts (priority 1), LAN's is its duplicate
        ("DANIEL", "bpsdm_papua_barat", "latsar", 459): ("jp", 459, 459, True, None),
        ("DANIEL", "lan_ri", "latsar", 459): ("jp", 459, 0, False, "latsar"),
        # a seminar and a workshop on the same day: two trainings
        ("MARIA", "bpsdm_papua_barat", "seminar", 8): ("jp", 8, 8, True, None),
        ("MARIA", "bpsdm_papua_barat", "seminar", 6): ("jp", 6, 6, True, None),
        # the same platform course on the same days as RUTH's: another employee, so no duplicate
        ("NOVITA", "elearning_asn", "e_learning", 300): ("minutes", Decimal("6.6666666666666667"),
                                                          Decimal("6.6666666666666667"), True, None),
    }  # fmt: skip
    duplicates = {name: r["duplicate_of_participation_key"] for name, r in by_report.items()}
    assert duplicates[("DANIEL", "lan_ri", "latsar", 459)] == keys[("DANIEL", "bpsdm_papua_barat", "latsar", 459)]
    assert (
        duplicates[("RUTH", "bpsdm_papua_barat", "e_learning", 7)] == keys[("RUTH", "elearning_asn", "e_learning", 300)]
    )
    assert sum(value is not None for value in duplicates.values()) == 2


def test_issue9_university_internship_earns_jp_and_a_short_course_failed_does_not(warehouse):
    rows = query(
        warehouse,
        """select employee_key, program_type, is_credited, training_type, jp, jp_credited, training_year,
                  ip_asn_training_item
             from marts_build.fct_university_programme""",
    )
    actual = {
        (who(r), r["program_type"]): (r["training_type"], r["jp"], r["jp_credited"], r["training_year"])
        for r in rows
        if r["employee_key"] in KEYS  # OPD-DISDIK's study leave is in the who-counts section
    }
    assert actual == {
        # 1-12 September 2025: 10 working days x 8 JP (ref_jp_conversion magang jp_per_day) = 80 JP, passed
        ("YAKOB", "magang"): ("magang", 80, 80, 2025),
        # 24-26 November 2025: 3 working days x 9 JP (klasikal) = 27 JP, but tidak lulus: credits 0
        ("YAKOB", "kursus_singkat"): ("klasikal", 27, 0, 2025),
        # 1 July - 30 September 2025: 66 working days x 8 = 528 JP, passed
        ("YOHANES", "magang"): ("magang", 528, 528, 2025),
        # degree study is not credited as JP; counted in the year of its planned end
        ("SARAH", "izin_belajar"): (None, None, 0, 2026),
    }


def test_issue9_jp_compliance_in_vendor_units_once_per_training_with_university_credit(warehouse):
    rows = dinkes(
        query(
            warehouse,
            """select employee_key, calendar_year, total_jp, jp_klasikal, jp_e_learning, jp_other,
                      trainings_completed, meets_jp_minimum, jp_shortfall
                 from marts_build.mart_jp_compliance where calendar_year = 2025""",
        )
    )
    actual = {
        name: tuple(r[c] for c in ("total_jp", "jp_klasikal", "jp_e_learning", "jp_other", "trainings_completed",
                                   "meets_jp_minimum", "jp_shortfall"))
        for (name, _), r in rows.items()
    }  # fmt: skip
    assert actual == {
        # 16 JP (not 21.33) + 6.67 e-learning (BPSDM's re-report of it not again: 29.67) = 22.67
        "RUTH": (Decimal("22.67"), 16, Decimal("6.67"), 0, 2, True, 0),
        # Latsar 459 JP once (not 918)
        "DANIEL": (459, 459, 0, 0, 1, True, 0),
        # seminar 8 + workshop 6 = 14 (training type seminar: jp_other); short by 6
        "MARIA": (14, 0, 0, 14, 2, False, 6),
        # the internship's 80 JP (training type magang); the failed short course credits 0
        "YAKOB": (80, 0, 0, 80, 1, True, 0),
        # 300 min / 45 = 6.67; short by 13.33
        "NOVITA": (Decimal("6.67"), 0, Decimal("6.67"), 0, 1, False, Decimal("13.33")),
    }


def test_issue9_ip_asn_seminar_item_fires_for_seminars_and_university_internships(warehouse):
    rows = dinkes(
        query(
            warehouse,
            "select employee_key, calendar_year, kompetensi_score from marts_build.mart_ip_asn"
            " where calendar_year = 2025",
        )
    )
    scores = {name: r["kompetensi_score"] for (name, _), r in rows.items() if name != "DANIEL"}
    # seminar item 10 points (ref_ip_asn_points): MARIA's BPSDM seminar, YAKOB's UNIPA internship; RUTH's
    # technical course of 16 JP is below the 20 JP of the technical item; NOVITA has e-learning only
    assert scores == {"RUTH": 0, "MARIA": 10, "YAKOB": 10, "NOVITA": 0}


# Issue 9: who counts in a year, PNS and PPPK, missing inputs
#
# Six employees of OPD-DISDIK, each carrying one edge (snapshots 2024-12-31, 2025-12-31, 2026-01-31):
# AGUSTINUS, PNS Pelaksana (BUP 58), born 10-06-1967: 58 on 10-06-2025, pension from 1 July 2025; Aktif, then
#   Pensiun at the 2025 export, absent from the 2026 one.
# DANIEL, PNS: the berat dismissal decree of the 2025 discipline register takes effect on 01-09-2025; Aktif,
#   then Diberhentikan (66) at the 2025 export, absent from the 2026 one.
# SELVI, PNS: tugas belajar at UNIPA from 01-08-2025 (planned to 31-07-2027); Aktif, then Tugas Belajar (03).
# KORNELIS, PPPK (NI PPPK), Aktif throughout.
# NATALIA, PNS, Aktif throughout, no SKP in any year.
# ELISA, PNS, Aktif throughout, no education level in SIASN; annual SKP Baik in 2024 and 2025.
# AGUSTINUS, DANIEL and SELVI have an annual SKP Baik for 2024. Nobody in OPD-DISDIK has any training.
AGUSTINUS = "196706101992031001"
DANIEL = "198002142005011001"
SELVI = "199309222018022001"
KORNELIS = "199005052023081001"
NATALIA = "198812122014032001"
ELISA = "198504032009042001"
DISDIK = "OPD-DISDIK"
DISDIK_NAMES = {
    AGUSTINUS: "AGUSTINUS", DANIEL: "DANIEL", SELVI: "SELVI", KORNELIS: "KORNELIS", NATALIA: "NATALIA",
    ELISA: "ELISA",
}  # fmt: skip
DISDIK_KEYS = {employee_key(nip): name for nip, name in DISDIK_NAMES.items()}


def disdik(row: dict) -> str:
    return DISDIK_KEYS[row["employee_key"]]


def test_service_periods_are_dated_by_their_own_dates(warehouse):
    rows = query(
        warehouse,
        "select employee_nip, service_effect, event_kind, period_start, period_end, date_source"
        " from intermediate.int_employee_service_periods where period_start < date '2030-01-01'",
    )
    assert {
        (DISDIK_NAMES[r["employee_nip"]], *list(r.values())[1:]) for r in rows if r["employee_nip"] in DISDIK_NAMES
    } == {
        # the pension start from the birth date and the BUP (shown Pensiun, and dated by the BUP either way)
        ("AGUSTINUS", "leaves", "retired", dt.date(2025, 7, 1), None, "pension_start"),
        # the dismissal decree's TMT, not the 2025-12-31 export that first shows kedudukan 66
        ("DANIEL", "leaves", "dismissed", dt.date(2025, 9, 1), None, "dismissal_decree"),
        # the tugas belajar programme's start; still running, so open
        ("SELVI", "pauses", "study_leave", dt.date(2025, 8, 1), None, "study_programme"),
    }


def test_who_counts_in_a_year_and_pppk_apart_in_jp_compliance(warehouse):
    rows = query(
        warehouse,
        f"""select employee_key, calendar_year, status_group, total_jp, is_jp_duty, jp_minimum, meets_jp_minimum,
                   jp_shortfall, days_in_service, service_share, is_full_year, left_service_date
              from marts_build.mart_jp_compliance where opd_code = '{DISDIK}'""",
    )
    actual = {
        (disdik(r), r["calendar_year"]): (
            r["is_jp_duty"], r["jp_minimum"], r["meets_jp_minimum"], r["jp_shortfall"], r["days_in_service"],
            r["is_full_year"], r["left_service_date"],
        )
        for r in rows
    }  # fmt: skip
    assert {r["total_jp"] for r in rows} == {0}
    full_2024 = (True, 20, False, 20, 366, True, None)  # 2024 has 366 days, nobody trained: 20 JP short
    full_2025, full_2026 = (True, 20, False, 20, 365, True, None), (True, 20, False, 20, 365, True, None)
    assert actual == {
        ("AGUSTINUS", 2024): full_2024,
        # in service 1 January - 30 June 2025 = 31+28+31+30+31+30 = 181 days; minimum 20 x 181 / 365 = 9.9178
        # -> 9.92 JP, short by 9.92 (not 20); no 2026 row
        ("AGUSTINUS", 2025): (True, Decimal("9.92"), False, Decimal("9.92"), 181, False, dt.date(2025, 7, 1)),
        ("DANIEL", 2024): full_2024,
        # 1 January - 31 August = 181 + 31 + 31 = 243 days; 20 x 243 / 365 = 13.3151 -> 13.32
        ("DANIEL", 2025): (True, Decimal("13.32"), False, Decimal("13.32"), 243, False, dt.date(2025, 9, 1)),
        ("SELVI", 2024): full_2024,
        # 1 January - 31 July = 212 days; 20 x 212 / 365 = 11.6164 -> 11.62; on study leave all of January
        # 2026: no 2026 row. Not a leaver.
        ("SELVI", 2025): (True, Decimal("11.62"), False, Decimal("11.62"), 212, False, None),
        # PPPK: JP counted, no 20 JP duty (PP 17/2020 binds PNS): no minimum, compliance or shortfall
        ("KORNELIS", 2024): (False, None, None, None, 366, True, None),
        ("KORNELIS", 2025): (False, None, None, None, 365, True, None),
        ("KORNELIS", 2026): (False, None, None, None, 365, True, None),
        ("NATALIA", 2024): full_2024,
        ("NATALIA", 2025): full_2025,
        ("NATALIA", 2026): full_2026,
        ("ELISA", 2024): full_2024,
        ("ELISA", 2025): full_2025,
        ("ELISA", 2026): full_2026,
    }
    by_key = {(disdik(r), r["calendar_year"]): r for r in rows}
    assert by_key["AGUSTINUS", 2025]["service_share"] == Decimal("0.4959")  # 181 / 365

    by_opd = query(
        warehouse,
        f"""select calendar_year, employees, part_year_employees, compliant_employees, non_compliant_employees,
                   compliance_share_pct, total_jp_shortfall, pppk_employees, pppk_total_jp, jp_minimum
              from marts_build.mart_jp_compliance_by_opd where opd_code = '{DISDIK}' order by calendar_year""",
    )
    assert by_opd == [
        # five PNS, none compliant (0 shown, 5 >= k shown); the PPPK is counted apart, his JP suppressed (1 < k)
        {"calendar_year": 2024, "employees": 5, "part_year_employees": 0, "compliant_employees": 0,
         "non_compliant_employees": 5, "compliance_share_pct": Decimal("0.00"), "total_jp_shortfall": 100,
         "pppk_employees": 1, "pppk_total_jp": None, "jp_minimum": 20},
        # the three part years fall short by their pro-rated minimums: 9.92 + 13.32 + 11.62 + 20 + 20 = 74.86
        # (a full-year reading would say 100)
        {"calendar_year": 2025, "employees": 5, "part_year_employees": 3, "compliant_employees": 0,
         "non_compliant_employees": 5, "compliance_share_pct": Decimal("0.00"),
         "total_jp_shortfall": Decimal("74.86"), "pppk_employees": 1, "pppk_total_jp": None, "jp_minimum": 20},
        # NATALIA and ELISA: 2 non-compliant (< k) and the 0 beside it are suppressed, JP totals too
        {"calendar_year": 2026, "employees": 2, "part_year_employees": 0, "compliant_employees": None,
         "non_compliant_employees": None, "compliance_share_pct": None, "total_jp_shortfall": None,
         "pppk_employees": 1, "pppk_total_jp": None, "jp_minimum": 20},
    ]  # fmt: skip


def test_ip_asn_measures_pns_in_service_and_leaves_missing_inputs_unknown(warehouse):
    rows = query(
        warehouse,
        f"""select employee_key, calendar_year, kualifikasi_score, kompetensi_score, kinerja_score, disiplin_score,
                   ip_asn_index, ip_asn_category, is_index_computed, missing_inputs, is_full_year
              from marts_build.mart_ip_asn where opd_code = '{DISDIK}'""",
    )
    actual = {(disdik(r), r["calendar_year"]): tuple(list(r.values())[2:]) for r in rows}
    # (kualifikasi, kompetensi, kinerja, disiplin, index, category, computed, missing, full year). Points: SLTA 1,
    # S1 15; Baik 25; no sanction 5; no training 0. KORNELIS (PPPK) is never measured; 2026 is not complete.
    assert actual == {
        ("AGUSTINUS", 2024): (1, 0, 25, 5, 31, "Sangat Rendah", True, None, True),  # SLTA 1 + 0 + 25 + 5
        ("DANIEL", 2024): (15, 0, 25, 5, 45, "Sangat Rendah", True, None, True),  # the decree runs from 2025
        ("SELVI", 2024): (15, 0, 25, 5, 45, "Sangat Rendah", True, None, True),
        # no SKP: kinerja unknown, not 0, so no index (it would have been 15 + 0 + 0 + 5 = 20)
        ("NATALIA", 2024): (15, 0, None, 5, None, None, False, "annual_appraisal", True),
        ("NATALIA", 2025): (15, 0, None, 5, None, None, False, "annual_appraisal", True),
        # no education level: kualifikasi unknown, no index (it would have been 0 + 0 + 25 + 5 = 30)
        ("ELISA", 2024): (None, 0, 25, 5, None, None, False, "education_level", True),
        ("ELISA", 2025): (None, 0, 25, 5, None, None, False, "education_level", True),
        # 2025: AGUSTINUS (retired 1 July) and DANIEL (dismissed 1 September) left, SELVI is on study leave on
        # 31 December: none is scored for 2025, so no kinerja 0 for a year without an SKP
    }
    by_opd = query(
        warehouse,
        f"""select calendar_year, employee_count, indexed_employee_count, employees_with_missing_inputs,
                   average_ip_asn_index, average_kinerja_score
              from marts_build.mart_ip_asn_by_opd where opd_code = '{DISDIK}' order by calendar_year""",
    )
    assert by_opd == [
        # 5 measured, 3 with an index, 2 counted apart; averages over 3 < k are empty
        {"calendar_year": 2024, "employee_count": 5, "indexed_employee_count": 3, "employees_with_missing_inputs": 2,
         "average_ip_asn_index": None, "average_kinerja_score": None},
        {"calendar_year": 2025, "employee_count": 2, "indexed_employee_count": 0, "employees_with_missing_inputs": 2,
         "average_ip_asn_index": None, "average_kinerja_score": None},
    ]  # fmt: skip


def test_no_development_plan_for_a_year_the_employee_left(warehouse):
    rows = query(
        warehouse,
        f"""select employee_key, calendar_year, rule_id, is_full_year
              from marts_build.mart_development_priorities where opd_code = '{DISDIK}'""",
    )
    assert {(disdik(r), r["calendar_year"], r["rule_id"], r["is_full_year"]) for r in rows} == {
        # 2024: the five PNS have 0 JP < 20; KORNELIS (PPPK) has no JP duty and no SKP: nothing
        *{(name, 2024, "plan_jp_shortfall", True) for name in ("AGUSTINUS", "DANIEL", "SELVI", "NATALIA", "ELISA")},
        # 2025: only those still in service on 31 December. Not AGUSTINUS or DANIEL (left; DANIEL's running
        # dismissal would otherwise fire plan_active_sanction), not SELVI (on study leave)
        ("NATALIA", 2025, "plan_jp_shortfall", True),
        ("ELISA", 2025, "plan_jp_shortfall", True),
    }


def test_monthly_headcount_drops_leavers_in_the_month_they_leave(warehouse):
    rows = query(
        warehouse,
        f"""select month_end_date, headcount_total from marts_build.mart_workforce_monthly
             where opd_code = '{DISDIK}' order by month_end_date""",
    )
    headcount = {r["month_end_date"].strftime("%Y-%m"): r["headcount_total"] for r in rows}
    # all six at the end of December 2024 and January-June 2025; AGUSTINUS's pension starts on 1 July (the
    # 2024 export's version would count him to November); DANIEL out from 1 September; SELVI on study leave
    # stays in the headcount (kedudukan 03 is active service)
    assert headcount == {
        "2024-12": 6,
        **{f"2025-{month:02d}": 6 for month in range(1, 7)},
        "2025-07": 5, "2025-08": 5,
        **{f"2025-{month:02d}": 4 for month in range(9, 13)},
        "2026-01": 4,
    }  # fmt: skip


# Issue 10: forums and innovations
#
# OPD-DUKCAPIL. Forums (workbooks written below: 2025 S1 as a semester workbook, 2025 S2 one sheet per forum)
# and the innovation register (landing/inovasi/register_inovasi_2025.csv); the satisfaction and complaints
# are those of the section "satisfaction surveys and complaints" below (UL-DUKCAPIL-KTP: January 3
# respondents, 76 points; February 1, 33; March 1, 27; August 2, 63; complaints 4581001-4581003 received in
# the first half, answered after 4, 21 and 18 days, 4590001 received 1 September and unanswered). The
# innovation team are DUKCAPIL staff outside the SIASN fixture, and ABRAHAM (BKPSDM) as the Pembina of
# INO-2025-001. Seeds used: ref_pembina_settings (innovation_satisfaction_window_months 6,
# complaint_answer_deadline_days 5), ref_skm_rule (IKM = average NRR x 25), ref_development_rule.
DUKCAPIL = "OPD-DUKCAPIL"
INNOVATOR_A, INNOVATOR_B, INNOVATOR_D = "198811042012121002", "199306182018032001", "199102272015031001"
FORUM_SESSION_HEADER = [
    "Kode Forum", "Perangkat Daerah", "Tanggal Forum", "Distrik", "Topik", "Peserta Masyarakat Umum",
    "Peserta Tokoh Adat dan Agama", "Peserta Kelompok Rentan", "Peserta Dunia Usaha", "NIP Fasilitator",
]  # fmt: skip
FORUM_INPUT_HEADER = [
    "Kode Forum", "No", "Kategori", "Uraian Masukan", "Unit Layanan", "Target Tindak Lanjut",
    "Tanggal Tindak Lanjut", "Status",
]  # fmt: skip
# (code, date, distrik, participants public / leaders / vulnerable / business)
FORUMS = {
    1: [
        ("FKP-DUKCAPIL-2025S1-01", dt.datetime(2025, 2, 10), "Manokwari Barat", (20, 3, 2, 1)),
        ("FKP-DUKCAPIL-2025S1-02", dt.datetime(2025, 5, 20), "Prafi", (15, 2, 4, 0)),
    ],
    2: [("FKP-DUKCAPIL-2025S2-01", dt.datetime(2025, 8, 15), "Warmare", (30, 5, 5, 2))],
}
# (forum, no, category, text, unit, target, follow-up, status)
FORUM_INPUTS = [
    ("FKP-DUKCAPIL-2025S1-01", 1, "Waktu Pelayanan", "Antrian perekaman terlalu lama, hubungi Ibu Maria 081234567890",
     "UL-DUKCAPIL-KTP", dt.datetime(2025, 3, 31), dt.datetime(2025, 3, 20), "Selesai"),  # by its target
    ("FKP-DUKCAPIL-2025S1-01", 2, "Sarana dan Prasarana", "Ruang tunggu panas", "UL-DUKCAPIL-KTP",
     dt.datetime(2025, 4, 30), dt.datetime(2025, 5, 15), "Selesai"),  # done, after its target
    ("FKP-DUKCAPIL-2025S1-01", 3, "Persyaratan", "Syarat akta belum diumumkan", "UL-DUKCAPIL-AKTA",
     dt.datetime(2025, 3, 31), None, "Belum Ditindaklanjuti"),  # open past its target
    ("FKP-DUKCAPIL-2025S1-01", 4, "Prosedur", "Perlu layanan jemput bola", "UL-DUKCAPIL-KTP",
     dt.datetime(2025, 6, 30), None, "Dalam Proses"),  # open past its target
    ("FKP-DUKCAPIL-2025S1-02", 1, "Perilaku Petugas", "Petugas ramah", "UL-DUKCAPIL-AKTA",
     dt.datetime(2025, 6, 30), dt.datetime(2025, 6, 10), "Selesai"),  # by its target
    ("FKP-DUKCAPIL-2025S1-02", 2, "Lainnya", "Mohon pelayanan hari Sabtu", "UL-DUKCAPIL-KTP",
     dt.datetime(2025, 7, 31), dt.datetime(2025, 5, 10), "Selesai"),  # dated before its forum: a finding
    ("FKP-DUKCAPIL-2025S2-01", 1, "Biaya/Tarif", "Informasi biaya perlu ditempel", "UL-DUKCAPIL-KTP",
     dt.datetime(2025, 9, 30), dt.datetime(2025, 9, 15), "Selesai"),  # by its target
    ("FKP-DUKCAPIL-2025S2-01", 2, "Waktu Pelayanan", "Jam layanan sampai sore", "UL-DUKCAPIL-KTP",
     dt.datetime(2025, 10, 31), None, "Belum Ditindaklanjuti"),  # open past its target
]  # fmt: skip


def _forum_session(code, date, distrik, participants) -> list:
    return [code, DUKCAPIL, date, distrik, "Evaluasi standar pelayanan", *participants, INNOVATOR_A]


def _write_forum_workbooks(folder: Path) -> None:
    """docs/sources.md's two layouts: 2025 S1 a workbook with sheets `Forum` and `Masukan`; 2025 S2 one
    sheet per forum (particulars in rows 1-11 as label / value pairs, inputs from the header on row 13)."""
    folder.mkdir(parents=True, exist_ok=True)
    semester = Workbook()
    sessions = semester.active
    sessions.title = "Forum"
    sessions.append(FORUM_SESSION_HEADER)
    for forum in FORUMS[1]:
        sessions.append(_forum_session(*forum))
    inputs = semester.create_sheet("Masukan")
    inputs.append(FORUM_INPUT_HEADER)
    for row in FORUM_INPUTS:
        if row[0].endswith(("S1-01", "S1-02")):
            inputs.append(list(row))
    semester.save(folder / "forum_dukcapil_2025_s1.xlsx")

    per_forum = Workbook()
    per_forum.remove(per_forum.active)
    for code, date, distrik, participants in FORUMS[2]:
        sheet = per_forum.create_sheet(code[-5:])
        for label, value in zip(FORUM_SESSION_HEADER, _forum_session(code, date, distrik, participants), strict=True):
            sheet.append([label, value])
        sheet.append(["Nama Fasilitator", None])
        sheet.append([])
        sheet.append(FORUM_INPUT_HEADER[1:])
        for row in FORUM_INPUTS:
            if row[0] == code:
                sheet.append(list(row[1:]))
    per_forum.save(folder / "forum_dukcapil_2025_s2.xlsx")


def test_forum_inputs_are_masked_in_staging_and_a_follow_up_before_its_forum_is_found(warehouse):
    from pembina.quality.suites import suite_by_name

    texts = query(warehouse, "select input_text_masked, input_topic from staging.stg_forum__masukan")
    assert {"Antrian perekaman terlalu lama, hubungi Ibu [nama] [telepon]"} <= {r["input_text_masked"] for r in texts}
    assert not any("0812" in r["input_text_masked"] or "Maria" in r["input_text_masked"] for r in texts)
    findings = query(warehouse, suite_by_name("staging_forum_follow_up").query)
    # FKP-...-02 held 20 May 2025, input 2 followed up 10 May 2025
    assert [r["follow_up_before_forum"] for r in findings if r["follow_up_before_forum"]] == [
        "FKP-DUKCAPIL-2025S1-02 no. 2"
    ]


def test_citizen_feedback(warehouse):
    rows = query(warehouse, f"select * from {MARTS_BUILD_SCHEMA}.mart_citizen_feedback where opd_code = '{DUKCAPIL}'")
    actual = {(r["calendar_year"], r["semester"]): r for r in rows}
    assert set(actual) == {(2025, 1), (2025, 2)}
    first, second = actual[2025, 1], actual[2025, 2]
    assert (first["period_start"], first["period_end"]) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    forums = ("forums_held", "participants_total", "participants_public", "participants_community_leaders",
              "participants_vulnerable_groups", "participants_business")  # fmt: skip
    # S1: two forums, 20+3+2+1 = 26 and 15+2+4+0 = 21 participants: 47 = 35 public + 5 + 6 + 1
    assert tuple(first[c] for c in forums) == (2, 47, 35, 5, 6, 1)
    assert tuple(second[c] for c in forums) == (1, 42, 30, 5, 5, 2)  # 30+5+5+2
    inputs = ("inputs_raised", "inputs_followed_up", "inputs_followed_up_by_target", "inputs_open_past_target")
    # S1: 6 inputs; Selesai 4 (01/1, 01/2, 02/1, 02/2), by their target 3 (01/2 on 15 May after 30 April);
    # open 2 (01/3 target 31 March, 01/4 target 30 June), both past on the day of the build (as_of_date)
    assert tuple(first[c] for c in inputs) == (6, 4, 3, 2)
    assert tuple(second[c] for c in inputs) == (2, 1, 1, 1)  # the open one's target 31 October 2025 has passed
    complaints = ("complaints_received", "complaints_answered", "complaints_answered_within_deadline",
                  "median_days_to_answer", "complaints_open_past_deadline", "complaint_deadline_days")  # fmt: skip
    # S1: 4581001 answered in 4 days (within 5), 4581002 in 21, 4581003 (received 20 June) in 18: median 18;
    # none open. S2: 4590001 (1 September) unanswered, past its 5 days.
    assert tuple(first[c] for c in complaints) == (3, 3, 1, Decimal("18.0"), 0, 5)
    assert tuple(second[c] for c in complaints) == (1, 0, 0, None, 1, 5)
    assert first["as_of_date"] == dt.date.today()


def test_innovation_participation_and_the_pembina_gets_no_innovator_reward(warehouse):
    rows = query(
        warehouse,
        f"""select employee_key, innovation_code, team_role, opd_code, stage, initiative_year, rollout_year,
                   is_rolled_out
              from {MARTS_BUILD_SCHEMA}.fct_innovation_participation""",
    )
    names = {employee_key(INNOVATOR_A): "A", employee_key(INNOVATOR_B): "B", employee_key(INNOVATOR_D): "D", **KEYS}
    assert {(names[r["employee_key"]], r["innovation_code"], r["team_role"]) for r in rows} == {
        ("A", "INO-2025-001", "Ketua"),
        ("B", "INO-2025-001", "Anggota"),
        ("ABRAHAM", "INO-2025-001", "Pembina"),
        ("D", "INO-2025-002", "Ketua"),
        ("A", "INO-2025-002", "Anggota"),
    }
    by_code = {r["innovation_code"]: r for r in rows}
    assert (by_code["INO-2025-001"]["stage"], by_code["INO-2025-001"]["initiative_year"]) == ("Penerapan", 2024)
    assert (by_code["INO-2025-001"]["rollout_year"], by_code["INO-2025-001"]["is_rolled_out"]) == (2025, True)
    assert (by_code["INO-2025-002"]["stage"], by_code["INO-2025-002"]["rollout_year"]) == ("Uji Coba", None)
    assert {r["opd_code"] for r in rows} == {DUKCAPIL}
    # ABRAHAM only supervised (Pembina): no innovator reward; A and B are not in SIASN, so not evaluated
    rewards = query(
        warehouse,
        f"select employee_key from {MARTS_BUILD_SCHEMA}.mart_development_priorities"
        " where rule_id = 'reward_innovator_penerapan'",
    )
    assert rewards == []


def test_innovation_portfolio(warehouse):
    rows = query(warehouse, f"select * from {MARTS_BUILD_SCHEMA}.mart_innovation_portfolio order by calendar_year")
    columns = ("calendar_year", "innovations_total", "innovations_started", "innovations_reached_penerapan",
               "innovations_inisiatif", "innovations_uji_coba", "innovations_penerapan", "innovations_tata_kelola",
               "innovations_pelayanan_publik", "innovations_other_form", "innovations_with_consultation",
               "asn_involved", "asn_leading")  # fmt: skip
    assert {r["opd_code"] for r in rows} == {DUKCAPIL}
    assert [tuple(r[c] for c in columns) for r in rows] == [
        # 2024: INO-001 initiated 1 October, its trial on 3 March 2025: inisiatif on 31 December; consulted in
        # FKP-...-01; its team of 3 (Ketua A, Anggota B, Pembina ABRAHAM), one leading
        (2024, 1, 1, 0, 1, 0, 0, 0, 1, 0, 1, 3, 1),
        # 2025: INO-001 reached penerapan on 10 March; INO-002 (tata kelola) initiated 1 March, in trial since
        # 1 September; ASN A, B, ABRAHAM, D: 4, leading A and D: 2
        (2025, 2, 1, 1, 0, 1, 1, 1, 1, 0, 1, 4, 2),
    ]


def test_innovation_satisfaction_before_and_after_penerapan(warehouse):
    rows = query(warehouse, f"select * from {MARTS_BUILD_SCHEMA}.mart_innovation_satisfaction")
    assert len(rows) == 1  # only INO-2025-001 reached penerapan and changes a unit
    [row] = rows
    assert (row["innovation_code"], row["service_unit_code"], row["rollout_date"], row["window_months"]) == (
        "INO-2025-001",
        "UL-DUKCAPIL-KTP",
        dt.date(2025, 3, 10),
        6,
    )
    # Rollout month March 2025 counts in neither window (R5 of 5 March is left out). Before: September 2024 to
    # February 2025, January's 3 respondents (76 points) and February's 1 (33): 109 / (9 x 4) x 25 = 75.69.
    # After: April to September 2025, August's 2 (63 points): 63 / 18 x 25 = 87.50. Change 87.50 - 75.69.
    assert (row["respondents_before"], row["ikm_before"]) == (4, Decimal("75.69"))
    assert (row["respondents_after"], row["ikm_after"]) == (2, Decimal("87.50"))
    assert row["ikm_change"] == Decimal("11.81")


# Issue 10: satisfaction surveys and complaints
#
# One service unit, UL-DUKCAPIL-KTP of OPD-DUKCAPIL (ref_service_unit: 18,000 service users a year), with seven
# SKM respondents in 2025 (landing/skm/skm_ul-dukcapil-ktp_2025.csv; the second answers in the questionnaire's
# words and names the unit, which the loader rewrites to 3,3,3,4,3,3,3,3,3 and the code), and four LAPOR!
# complaints to it (an API pull of 1 July and a CSV export that repeats the third with its answer). Seeds used:
# ref_skm_element, ref_skm_rule (IKM = average NRR x 25; Krejcie-Morgan X2 3.841, P 0.5, d 0.05),
# ref_skm_quality_category (A 88.31-100, B 76.61-88.30, C 65.00-76.60, D 25.00-64.99), ref_service_topic_keyword.
#
# respondent  date        U1 U2 U3 U4 U5 U6 U7 U8 U9  points  suggestion (topic)
# R1          15-01-2025   4  3  2  4  3  3  4  3  2    28    "Antrian lama, hubungi 0812..." (waktu_pelayanan)
# R2          20-01-2025   3  3  3  4  3  3  3  3  3    28
# R3          28-01-2025   2  2  1  4  3  2  2  2  2    20    "Petugas minta uang rokok" (pungutan_liar)
# R4          10-02-2025   4  4  3  4  4  4  4  3  3    33
# R5          05-03-2025   3  3  2  4  3  3  3  3  3    27    "Antri sampai sore" (waktu_pelayanan)
# R6          04-08-2025   4  4  4  4  4  4  4  4  4    36    "Pelayanan sudah tepat waktu" (waktu_pelayanan)
# R7          18-08-2025   3  3  3  3  3  3  3  3  3    27
UNIT = "UL-DUKCAPIL-KTP"


def complaint_key(tracking_number: str) -> str:
    """As employee_key: HMAC-SHA256 of the tracking number with the development pseudonym key."""
    return hmac.new(DEV_PSEUDONYM_KEY.encode(), tracking_number.encode(), hashlib.sha256).hexdigest()


def test_service_unit_satisfaction_by_month(warehouse):
    rows = query(
        warehouse,
        f"""select month_start, opd_code, respondents, answer_points, round(nrr_u1, 2) as nrr_u1,
                   round(nrr_u3, 2) as nrr_u3, ikm, suggestions
              from intermediate.int_service_unit_satisfaction where service_unit_code = '{UNIT}'""",
    )
    actual = {r["month_start"]: tuple(v for k, v in r.items() if k != "month_start") for r in rows}
    assert actual == {
        # January R1-R3: 28 + 28 + 20 = 76 points; U1 (4+3+2)/3 = 3.00, U3 (2+3+1)/3 = 2.00;
        # IKM 76 / (9 x 3) x 25 = 70.37; two suggestions
        dt.date(2025, 1, 1): ("OPD-DUKCAPIL", 3, 76, Decimal("3.00"), Decimal("2.00"), Decimal("70.37"), 2),
        # February R4: 33 / 9 x 25 = 91.67
        dt.date(2025, 2, 1): ("OPD-DUKCAPIL", 1, 33, Decimal("4.00"), Decimal("3.00"), Decimal("91.67"), 0),
        # March R5: 27 / 9 x 25 = 75.00
        dt.date(2025, 3, 1): ("OPD-DUKCAPIL", 1, 27, Decimal("3.00"), Decimal("2.00"), Decimal("75.00"), 1),
        # August R6, R7: 63 / 18 x 25 = 87.50
        dt.date(2025, 8, 1): ("OPD-DUKCAPIL", 2, 63, Decimal("3.50"), Decimal("3.50"), Decimal("87.50"), 1),
    }


def test_public_satisfaction_ikm_category_and_sample_by_hand(warehouse):
    rows = query(
        warehouse,
        f"""select * from {MARTS_BUILD_SCHEMA}.mart_public_satisfaction where service_unit_code = '{UNIT}'
             order by period_start""",
    )
    assert [r["period_label"] for r in rows] == ["2025-S1", "2025-S2"]
    first, second = rows
    # 2025-S1, R1-R5: NRR U1 (4+3+2+4+3)/5 = 3.20, U2 15/5 = 3.00, U3 (2+3+1+3+2)/5 = 2.20, U4 20/5 = 4.00,
    # U5 16/5 = 3.20, U6 15/5 = 3.00, U7 16/5 = 3.20, U8 14/5 = 2.80, U9 13/5 = 2.60; average NRR 27.2 / 9 =
    # 136 points / 45 answers = 3.0222; IKM 3.0222 x 25 = 75.56, in C (65.00-76.60), Kurang Baik
    assert [first[f"nrr_u{n}"] for n in range(1, 10)] == [
        Decimal(v) for v in ("3.20", "3.00", "2.20", "4.00", "3.20", "3.00", "3.20", "2.80", "2.60")
    ]
    assert (first["respondents"], first["ikm"], first["quality_code"], first["quality_label"]) == (
        5,
        Decimal("75.56"),
        "C",
        "Kurang Baik",
    )
    # 2025-S2, R6 and R7: every NRR (4+3)/2 = 3.50, IKM 87.50, in B (76.61-88.30), Baik
    assert [second[f"nrr_u{n}"] for n in range(1, 10)] == [Decimal("3.50")] * 9
    assert (second["respondents"], second["ikm"], second["quality_code"]) == (2, Decimal("87.50"), "B")
    for row in rows:
        # 18,000 users a year, 9,000 a semester: 3.841 x 9000 x 0.25 / (0.0025 x 8999 + 0.96025) = 368.4 -> 369
        assert (row["service_users_in_period"], row["minimum_sample"], row["is_sample_too_small"]) == (9000, 369, True)
        assert row["opd_code"] == "OPD-DUKCAPIL"
    # the latest response is of 18 August: 2025-S1 has ended, 2025-S2 has not
    assert (first["is_period_complete"], second["is_period_complete"]) == (True, False)
    # R1, R3, R5 wrote in S1: waiting time twice, an illegal levy once; R6 in S2
    assert (first["suggestions"], first["main_suggestion_topic"]) == (3, "waktu_pelayanan")
    assert (second["suggestions"], second["main_suggestion_topic"]) == (1, "waktu_pelayanan")


def test_complaints_answer_times_and_masked_text_by_hand(warehouse):
    rows = query(
        warehouse,
        """select complaint_key, tracking_number, status, reporter_rated, received_date, answered_date,
                  days_to_answer, source_format, complaint_masked, complaint_topic, service_unit_code
             from staging.stg_lapor__complaints""",
    )
    actual = {r["tracking_number"]: r for r in rows}
    assert set(actual) == {"4581001", "4581002", "4581003", "4590001"}
    assert all(r["complaint_key"] == complaint_key(number) for number, r in actual.items())
    expected = {
        # received 6 January, answered 10 January: 4 days
        "4581001": ("selesai", True, dt.date(2025, 1, 6), dt.date(2025, 1, 10), 4, "api"),
        # 3 February to 24 February: 21 days
        "4581002": ("selesai", False, dt.date(2025, 2, 3), dt.date(2025, 2, 24), 21, "api"),
        # open at the API pull of 1 July; the export of the second half answers it on 8 July: 18 days
        "4581003": ("selesai", True, dt.date(2025, 6, 20), dt.date(2025, 7, 8), 18, "csv"),
        # disposed ("Proses"), not answered yet
        "4590001": ("didisposisi", False, dt.date(2025, 9, 1), None, None, "csv"),
    }
    assert {
        number: (
            r["status"], r["reporter_rated"], r["received_date"], r["answered_date"], r["days_to_answer"],
            r["source_format"],
        )
        for number, r in actual.items()
    } == expected  # fmt: skip
    # the median of the answered ones (4, 18, 21) is 18 days
    answered = sorted(r["days_to_answer"] for r in rows if r["days_to_answer"] is not None)
    assert answered[len(answered) // 2] == 18
    assert actual["4581001"]["complaint_masked"] == "Antrian KTP. Antri dari pagi, hubungi [telepon]"
    assert actual["4581002"]["complaint_masked"] == "Blanko KTP. Blanko habis, atas nama [nama]"
    assert (actual["4581001"]["complaint_topic"], actual["4581002"]["complaint_topic"]) == (
        "waktu_pelayanan",
        "produk_layanan",
    )
    assert actual["4590001"]["service_unit_code"] is None


def test_residents_contacts_stay_in_raw_and_suggestions_are_masked_in_staging(warehouse):
    raw = query(warehouse, "select count(no_hp) as phones from raw.skm_responden")
    assert raw == [{"phones": 1}]
    [masked] = query(
        warehouse, "select suggestion_masked from staging.stg_skm__responses where submitted_date = '2025-01-15'"
    )
    assert masked["suggestion_masked"] == "Antrian lama, hubungi [telepon]"
    columns = query(
        warehouse,
        f"""select column_name from information_schema.columns where table_schema = '{MARTS_BUILD_SCHEMA}'
             and table_name = 'mart_public_satisfaction'""",
    )
    assert not {"suggestion_masked", "no_hp", "email"} & {c["column_name"] for c in columns}
