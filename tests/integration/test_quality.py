"""Great Expectations suites against a real PostgreSQL database (a fresh one per test, dropped after)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from pembina import db
from pembina.quality import QualityGateFailed, ValidationSummary, validate_warehouse
from pembina.quality.gx_checks import sqlalchemy_url
from pembina.quality.suites import RAW_LINEAGE_COLUMNS, SIASN_PEGAWAI_COLUMNS, SUITES, suite_by_name
from pembina.settings import MARTS_BUILD_SCHEMA

LINEAGE_TYPES = {
    "_batch_id": "bigint",
    "_file_id": "bigint",
    "_row_number": "integer",
    "_snapshot_date": "date",
    "_loaded_at": "timestamptz not null default now()",
}


# The other tables the suites read, each with the columns they look at and rows that pass every check.
TABLES: dict[str, tuple[str, str]] = {
    "raw.ekinerja_skp": (
        "nip text, tahun text, _file_id bigint",
        "('198503122010011003', '2024', 2), ('199001012015032002', '2024', 2)",
    ),
    "raw.ekinerja_organisation_predikat": ("unor_id text, predikat text, _file_id bigint", "('OPD-DINKES', 'Baik', 3)"),
    "raw.assessment_kompetensi": ("nip text, _file_id bigint", "('198503122010011003', 4)"),
    "raw.discipline_hukuman": ("nip text, _file_id bigint", "('198712252011011001', 5)"),
    "raw.training_participation": (
        "nip text, _vendor text, _file_id bigint",
        "('198503122010011003', 'lan_ri', 6), ('199001012015032002', 'elearning_asn', 7)",
    ),
    "raw.university_programme": ("nip text, _university text, _file_id bigint", "('199001012015032002', 'unipa', 8)"),
    "reference.ref_ip_asn_weight": (
        "dimension text, weight integer",
        "('kualifikasi', 25), ('kompetensi', 40), ('kinerja', 30), ('disiplin', 5)",
    ),
    "reference.ref_ip_asn_category": (
        "category_name text, upper_bound_inclusive integer",
        "('Sangat Tinggi', 100), ('Tinggi', 90), ('Sedang', 80), ('Rendah', 70), ('Sangat Rendah', 60)",
    ),
    # Three employees cannot be 5-anonymous: this small warehouse allows all of them below k (the quasi-identifier
    # check is tested on its own below).
    "reference.ref_pembina_settings": (
        "setting_name text, setting_value text",
        "('jpm_cap_per_item', 'true'), ('k_anonymity_k', '5'), ('k_anonymity_max_below_k_pct', '100')",
    ),
    "marts_build.dim_organization": (
        "opd_code text, valid_from date, valid_to date, opd_name text",
        "('OPD-DISDIK', '2020-01-01', null, 'Dinas Pendidikan'), ('OPD-DINKES', '2020-01-01', '2024-12-31', 'Dinkes'),"
        " ('OPD-DINKES', '2025-01-01', null, 'Dinas Kesehatan')",
    ),
    "marts_build.mart_retirement_forecast": (
        "retirement_year integer, opd_code text, active_headcount integer, retirements_total integer,"
        " retirements_pns integer, retirements_cpns integer, retirements_pppk integer, retirements_struktural integer,"
        " retirements_fungsional integer, retirements_pelaksana integer, retirements_other_position_type integer",
        "(2025, 'OPD-DINKES', 2, 1, 1, 0, 0, 0, 1, 0, 0), (2026, 'OPD-DISDIK', 1, 0, 0, 0, 0, 0, 0, 0, 0)",
    ),
    "marts_build.fct_performance_appraisal": (
        "appraisal_key text, employee_key text, predikat text, predikat_rank integer, period_code text,"
        " period_start_date date, period_end_date date, stated_predikat text, is_stated_predikat_consistent boolean",
        "('a1', 'e1', 'Baik', 2, 'TAHUNAN', '2024-01-01', '2024-12-31', 'Baik', true),"
        " ('a2', 'e2', 'Sangat Baik', 1, 'TAHUNAN', '2024-01-01', '2024-12-31', 'Sangat Baik', true),"
        " ('a3', 'e3', 'Kurang', 4, 'TW1', '2024-01-01', '2024-03-31', null, null)",
    ),
    "marts_build.mart_performance_distribution": (
        "opd_code text, appraisal_year integer, appraised_staff_count integer, sangat_baik_count integer,"
        " sangat_baik_share_pct numeric, baik_count integer, baik_share_pct numeric, butuh_perbaikan_count integer,"
        " butuh_perbaikan_share_pct numeric, kurang_count integer, kurang_share_pct numeric,"
        " sangat_kurang_count integer, sangat_kurang_share_pct numeric, without_predikat_count integer,"
        " stated_predikat_mismatch_count integer, is_sangat_baik_within_cap boolean,"
        " is_distribution_pattern_met boolean",
        "('OPD-DINKES', 2024, 2, 1, 50, 1, 50, 0, 0, 0, 0, 0, 0, 0, 0, true, true),"
        " ('OPD-DISDIK', 2024, 1, 0, 0, 1, 100, 0, 0, 0, 0, 0, 0, 0, 0, true, null)",
    ),
    "marts_build.fct_competency_assessment": (
        "assessment_competency_key text, employee_key text, competency_group text, competency_name text,"
        " standard_level integer, assessed_level integer, gap integer, has_gap boolean",
        "('c1', 'e1', 'manajerial', 'Integritas', 3, 2, -1, true),"
        " ('c2', 'e1', 'sosial kultural', 'Perekat Bangsa', 3, 4, 1, false)",
    ),
    "marts_build.mart_competency_gap": (
        "employee_key text, competency_group text, competency_name text, standard_level integer,"
        " assessed_level integer, jpm_pct numeric, jpm_category text",
        "('e1', 'manajerial', 'Integritas', 3, 2, 83.33, 'Memenuhi Syarat'),"
        " ('e1', 'sosial kultural', 'Perekat Bangsa', 3, 4, 83.33, 'Memenuhi Syarat')",
    ),
    "marts_build.fct_discipline_sanction": (
        "sanction_key text, employee_key text, sanction_level text, start_date date, end_date date,"
        " is_stated_end_date_consistent boolean",
        "('s1', 'e3', 'sedang', '2024-02-01', '2025-01-31', true), ('s2', 'e2', 'ringan', '2024-05-01', null, null)",
    ),
    "marts_build.dim_training_program": (
        "program_key text, program_name text",
        "('p1', 'PKA'), ('p2', 'Literasi Digital')",
    ),
    "marts_build.fct_training_participation": (
        "participation_key text, employee_key text, program_key text, jp numeric, jp_credited numeric,"
        " completion_status text, start_date date, end_date date, is_counted boolean,"
        " duplicate_of_participation_key text",
        "('t1', 'e1', 'p1', 24, 24, 'passed', '2024-03-01', '2024-03-03', true, null),"
        " ('t2', 'e2', 'p2', 8, 0, 'failed', '2024-04-01', '2024-04-01', true, null),"
        " ('t3', 'e3', 'p2', 2, 0, 'not_completed', '2024-05-01', null, true, null),"
        " ('t4', 'e1', 'p2', 24, 0, 'passed', '2024-03-01', '2024-03-03', false, 't1')",
    ),
    "marts_build.mart_jp_compliance": (
        "employee_key text, calendar_year integer, total_jp numeric, jp_shortfall numeric, jp_minimum numeric,"
        " meets_jp_minimum boolean, is_jp_duty boolean",
        "('e1', 2024, 24, 0, 20, true, true), ('e2', 2024, 0, 20, 20, false, true),"
        " ('e3', 2024, 12.5, 7.5, 20, false, true), ('e4', 2024, 6, null, null, null, false)",
    ),
    "marts_build.mart_jp_compliance_by_opd": (
        "opd_code text, calendar_year integer, employees integer, compliant_employees integer,"
        " compliance_share_pct numeric, total_jp_shortfall numeric",
        "('OPD-DISDIK', 2024, 1, 1, 100, 0), ('OPD-DINKES', 2024, 2, 0, 0, 27.5)",
    ),
    "marts_build.fct_university_programme": (
        "programme_participation_key text, employee_key text, gpa numeric, final_score numeric, start_date date,"
        " end_date date",
        "('u1', 'e2', 3.51, null, '2022-08-01', '2024-07-31'), ('u2', 'e3', null, 88.5, '2024-02-01', '2024-03-31')",
    ),
    "marts_build.mart_university_collaboration": (
        "university_code text, program_type text, report_year integer, participations integer, participants integer,"
        " completions integer, active_at_year_end integer",
        "('unipa', 'tugas_belajar', 2024, 1, 1, 1, 0), ('stih_manokwari', 'magang', 2024, 1, 1, 1, 0)",
    ),
    "marts_build.mart_ip_asn": (
        "employee_key text, calendar_year integer, kualifikasi_score numeric, kompetensi_score numeric,"
        " kinerja_score numeric, disiplin_score numeric, ip_asn_index numeric, ip_asn_category text",
        "('e1', 2024, 20, 30, 30, 5, 85, 'Tinggi'), ('e2', 2024, 25, 40, 30, 5, 100, 'Sangat Tinggi'),"
        " ('e3', 2024, 5, 0, 20, 0, 25, 'Sangat Rendah')",
    ),
    "marts_build.mart_ip_asn_by_opd": (
        "opd_code text, calendar_year integer, employee_count integer, indexed_employee_count integer,"
        " average_ip_asn_index numeric, sangat_tinggi_count integer, tinggi_count integer, sedang_count integer,"
        " rendah_count integer, sangat_rendah_count integer, employees_with_missing_inputs integer",
        "('OPD-DISDIK', 2024, 1, 1, 85, 0, 1, 0, 0, 0, 0), ('OPD-DINKES', 2024, 3, 2, 62.5, 1, 0, 0, 0, 1, 1)",
    ),
    "marts_build.mart_training_effectiveness": (
        "program_key text, training_year integer, participants_completed integer, participants_in_service integer,"
        " participants_appraisal_paired integer, participants_jpm_paired integer,"
        " participant_baik_share_before_pct numeric, participant_baik_share_after_pct numeric,"
        " comparison_baik_share_before_pct numeric, comparison_baik_share_after_pct numeric,"
        " participant_predikat_rank_before numeric, participant_predikat_rank_after numeric,"
        " comparison_predikat_rank_before numeric, comparison_predikat_rank_after numeric",
        "('p1', 2024, 2, 2, 1, 0, 50, 100, 40, 45, 2.0, 1.5, 2.1, 2.0),"
        " ('p2', 2024, 1, 1, 0, 0, null, null, null, null, null, null, null, null)",
    ),
    "marts_build.mart_development_priorities": (
        "employee_key text, calendar_year integer, rule_id text, priority text, rule_description text",
        "('e1', 2024, 'R01', 'reward', 'Sangat Baik two years running'),"
        " ('e2', 2024, 'D01', 'development_plan', 'Below 20 JP')",
    ),
    # issue 10: forums and innovations
    "raw.forum_sesi": ("kode_forum text, nip_fasilitator text, _file_id bigint", "('FKP-1', '198503122010011003', 9)"),
    "raw.forum_masukan": ("kode_forum text, nomor text, _file_id bigint", "('FKP-1', '1', 9), ('FKP-1', '2', 9)"),
    "raw.inovasi_register": ("kode_inovasi text, _register_date date, _file_id bigint", "('INO-1', '2025-12-31', 10)"),
    "staging.stg_forum__sesi": ("forum_code text, forum_date date", "('FKP-1', '2025-02-10')"),
    "staging.stg_forum__masukan": (
        "forum_code text, input_number integer, follow_up_date date",
        "('FKP-1', 1, '2025-03-01'), ('FKP-1', 2, null)",
    ),
    "marts_build.fct_innovation_participation": (
        "employee_key text, team_role text, stage text, initiative_date date, trial_date date, rollout_date date",
        "('e1', 'Ketua', 'Penerapan', '2024-01-01', '2024-03-01', '2024-06-01'),"
        " ('e2', 'Anggota', 'Inisiatif', '2025-01-01', null, null)",
    ),
    "marts_build.mart_innovation_portfolio": (
        "opd_code text, calendar_year integer, innovations_total integer, innovations_started integer,"
        " innovations_reached_penerapan integer, innovations_inisiatif integer, innovations_uji_coba integer,"
        " innovations_penerapan integer, innovations_tata_kelola integer, innovations_pelayanan_publik integer,"
        " innovations_other_form integer, innovations_with_consultation integer, asn_involved integer,"
        " asn_leading integer",
        "('OPD-DUKCAPIL', 2025, 2, 1, 1, 0, 1, 1, 1, 1, 0, 1, 4, 2)",
    ),
    "marts_build.mart_innovation_satisfaction": (
        "innovation_code text, respondents_before integer, ikm_before numeric, respondents_after integer,"
        " ikm_after numeric, ikm_change numeric",
        "('INO-1', 2, 72.22, 2, 97.22, 25.00), ('INO-2', 0, null, 3, 80.00, null)",
    ),
    "marts_build.mart_citizen_feedback": (
        "opd_code text, calendar_year integer, semester integer, period_start date, period_end date,"
        " participants_total integer, participants_public integer, participants_community_leaders integer,"
        " participants_vulnerable_groups integer, participants_business integer, inputs_raised integer,"
        " inputs_followed_up integer, inputs_followed_up_by_target integer, inputs_open_past_target integer,"
        " complaints_received integer, complaints_answered integer, complaints_answered_within_deadline integer,"
        " complaints_open_past_deadline integer",
        "('OPD-DUKCAPIL', 2025, 1, '2025-01-01', '2025-06-30', 47, 35, 5, 6, 1, 6, 4, 3, 2, 3, 2, 1, 1),"
        " ('OPD-DUKCAPIL', 2025, 2, '2025-07-01', '2025-12-31', 42, 30, 5, 5, 2, 2, 1, 1, 1, 1, 0, 0, 1)",
    ),
    "raw.skm_responden": (
        "waktu_isi text, unit_layanan text, u1 text, u2 text, u3 text, u4 text, u5 text, u6 text, u7 text, u8 text,"
        " u9 text, _file_id bigint",
        "('15/01/2025 9:05:33', 'UL-DUKCAPIL-KTP', '4', '3', '2', '4', '3', '3', '4', '3', '2', 9)",
    ),
    "raw.lapor_pengaduan": (
        "nomor_tiket text, tanggal_diterima text, tanggal_disposisi text, tanggal_tindak_lanjut text,"
        " tanggal_selesai text, kode_opd text, status text, _format text, _file_id bigint",
        "('4581234', '2025-01-06T08:15:00+09:00', '2025-01-07T09:00:00+09:00', '2025-01-10T10:00:00+09:00',"
        " '2025-01-12T10:00:00+09:00', 'OPD-DUKCAPIL', 'selesai', 'api', 10),"
        " ('4581240', '2025-01-08T08:15:00+09:00', null, null, null, 'OPD-DUKCAPIL', 'diterima', 'csv', 11)",
    ),
    "reference.ref_skm_quality_category": (
        "quality_code text, ikm_lower_bound numeric, ikm_upper_bound numeric",
        "('A', 88.31, 100), ('B', 76.61, 88.30), ('C', 65.00, 76.60), ('D', 25.00, 64.99)",
    ),
    # two semesters of one unit, the second not yet surveyed (not complete either); samples large enough
    "marts_build.mart_public_satisfaction": (
        "service_unit_code text, period_label text, period_start date, is_period_complete boolean,"
        " respondents integer, nrr_u1 numeric, nrr_u2 numeric, nrr_u3 numeric, nrr_u4 numeric, nrr_u5 numeric,"
        " nrr_u6 numeric, nrr_u7 numeric, nrr_u8 numeric, nrr_u9 numeric, ikm numeric, quality_code text,"
        " is_sample_too_small boolean",
        "('UL-DUKCAPIL-KTP', '2025-S1', '2025-01-01', true, 400, 3.5, 3.5, 2.5, 4, 3, 3, 3.5, 3, 2.5, 79.17, 'B',"
        " false), ('UL-DUKCAPIL-KTP', '2025-S2', '2025-07-01', false, 0, null, null, null, null, null, null, null,"
        " null, null, null, null, false)",
    ),
}


def _create_warehouse_tables(conn: psycopg.Connection) -> None:
    """A small warehouse that passes every suite."""
    columns = [f"{c} text" for c in SIASN_PEGAWAI_COLUMNS] + [f"{c} {LINEAGE_TYPES[c]}" for c in RAW_LINEAGE_COLUMNS]
    conn.execute("create schema raw; create schema marts_build; create schema reference; create schema staging")
    conn.execute(f"create table raw.siasn_pegawai ({', '.join(columns)})")
    conn.execute(
        """
        insert into raw.siasn_pegawai (nip_baru, nama, jenis_kelamin, unor_id, _batch_id, _file_id, _row_number,
                                       _snapshot_date)
        values ('198503122010011003', 'YOHANES MANDACAN', 'M', 'OPD-DISDIK', 1, 1, 1, '2024-12-31'),
               ('199001012015032002', 'MARIA RUMBEWAS', 'F', 'OPD-DINKES', 1, 1, 2, '2024-12-31'),
               ('198712252011011001', 'PETRUS IBA', 'M', 'OPD-DINKES', 1, 1, 3, '2024-12-31')
        """
    )
    conn.execute(
        """
        create table marts_build.mart_workforce_monthly (
            opd_code text, month_end_date date, headcount_total integer, headcount_pns integer,
            headcount_pppk integer, headcount_female integer, headcount_male integer)
        """
    )
    conn.execute(
        """
        insert into marts_build.mart_workforce_monthly values
            ('OPD-DISDIK', '2024-12-31', 1, 1, 0, 0, 1),
            ('OPD-DINKES', '2024-12-31', 2, 2, 0, 1, 1),
            ('OPD-DINKES', '2024-11-30', 0, 0, 0, 0, 0)
        """
    )
    conn.execute(
        "create table marts_build.dim_employee (employee_key text, opd_code text, gender text, birth_year int,"
        " disclosure_level int, age_band text, golongan_group text, position_type text, position_level text)"
    )
    conn.execute(
        "insert into marts_build.dim_employee values ('e1', 'OPD-DISDIK', 'M', 1985), ('e2', 'OPD-DINKES', 'F', 1990),"
        " ('e3', 'OPD-DINKES', 'M', 1987)"
    )
    for table, (columns_ddl, rows) in TABLES.items():
        conn.execute(f"create table {table} ({columns_ddl})")
        conn.execute(f"insert into {table} values {rows}")


@pytest.fixture
def warehouse_url() -> Iterator[str]:
    base = db.up()
    name = f"pembina_test_quality_{uuid.uuid4().hex[:10]}"
    db.ensure_database(base, name)
    url = db.sibling_database_url(base, name)
    try:
        with db.connect(url, autocommit=True) as conn:
            _create_warehouse_tables(conn)
        yield url
    finally:
        with db.connect(db.sibling_database_url(base, "postgres"), autocommit=True) as conn:
            conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


def _execute(url: str, statement: str) -> None:
    with db.connect(url, autocommit=True) as conn:
        conn.execute(statement)


def _audit(url: str, run_id: str) -> tuple[list[tuple], list[tuple]]:
    with db.connect(url) as conn:
        runs = conn.execute(
            "select suite, target, success, evaluated, failed, docs_path from audit.validation_runs "
            "where run_id = %s order by validation_run_id",
            (run_id,),
        ).fetchall()
        results = conn.execute(
            """
            select r.suite, v.expectation, v.column_name, v.severity, v.success, v.observed
            from audit.validation_results v join audit.validation_runs r using (validation_run_id)
            where r.run_id = %s order by v.result_id
            """,
            (run_id,),
        ).fetchall()
    return runs, results


def _failed(summary: ValidationSummary, severity: str) -> set[tuple[str, str, str | None]]:
    failures = summary.critical_failures if severity == "critical" else summary.warnings
    return {(f.suite, f.expectation, f.column) for f in failures}


def _failure(summary: ValidationSummary, suite: str, expectation: str, column: str | None = None):
    matches = [
        f
        for f in summary.critical_failures + summary.warnings
        if f.suite == suite and f.expectation == expectation and (column is None or f.column == column)
    ]
    found = [f.describe() for f in summary.critical_failures + summary.warnings]
    assert matches, f"no failure {suite}/{expectation}/{column} among {found}"
    return matches[0]


def test_sqlalchemy_url_keeps_socket_directory_and_credentials() -> None:
    socket = sqlalchemy_url("postgresql://postgres@/pembina?host=/work/main/data/pgdata")
    assert socket.startswith("postgresql+psycopg2://postgres@/pembina?")
    assert "host=%2Fwork%2Fmain%2Fdata%2Fpgdata" in socket
    tcp = sqlalchemy_url("postgresql://etl:p%40ss@db.example:6543/pembina?sslmode=require")
    assert tcp == "postgresql+psycopg2://etl:p%40ss@db.example:6543/pembina?sslmode=require"
    assert sqlalchemy_url("host=/tmp/pg dbname=pembina user=postgres").endswith("/pembina?host=%2Ftmp%2Fpg")


@pytest.mark.integration
def test_passing_run_is_recorded_with_success(warehouse_url: str, tmp_path: Path) -> None:
    summary = validate_warehouse(warehouse_url, run_id="run-pass", reports_dir=tmp_path)

    assert summary.passed and summary.success
    assert summary.critical_failures == [] and summary.warnings == []
    summary.raise_for_critical()  # must not raise
    assert [s.suite for s in summary.suites] == [s.name for s in SUITES]
    assert summary.evaluated == sum(len(s.checks) for s in SUITES)

    runs, results = _audit(warehouse_url, "run-pass")
    assert [r[0] for r in runs] == [s.name for s in SUITES]
    assert all(r[2] for r in runs) and all(r[4] == 0 for r in runs)
    assert sum(r[3] for r in runs) == summary.evaluated == len(results)
    assert all(r[4] for r in results)
    assert {r[3] for r in results} == {"critical", "warning"}
    severities = {(r[0], r[1], r[2]): r[3] for r in results}
    assert severities[("raw_siasn_pegawai", "expect_column_values_to_match_regex", "nip_baru")] == "critical"
    assert severities[("raw_siasn_pegawai", "expect_column_values_to_be_in_set", "jenis_kelamin")] == "warning"
    assert severities[("raw_siasn_pegawai", "expect_table_row_count_to_be_between", None)] == "warning"
    assert (
        severities[("marts_mart_workforce_monthly", "expect_compound_columns_to_be_unique", "opd_code,month_end_date")]
        == "critical"
    )
    row_count = next(r for r in results if r[0] == "raw_siasn_pegawai" and r[1].startswith("expect_table_row"))
    assert row_count[5]["result"]["observed_value"] == 3

    assert summary.docs_index == tmp_path / "gx" / "index.html" and summary.docs_index.exists()
    for s, run in zip(summary.suites, runs, strict=True):
        assert s.docs_path is not None and s.docs_path.exists() and s.docs_path.is_relative_to(tmp_path / "gx")
        assert run[5] == str(s.docs_path)
        assert s.validation_run_id is not None
    assert any((tmp_path / "gx" / "uncommitted" / "validations").rglob("*.json"))


@pytest.mark.integration
def test_duplicate_key_and_personal_data_column_fail_the_gate(warehouse_url: str, tmp_path: Path) -> None:
    _execute(
        warehouse_url,
        "insert into marts_build.dim_employee values ('e2', 'OPD-DISDIK', 'F', 1991);"
        "alter table marts_build.dim_employee add column nip text;"
        "create view marts_build.v_contacts as select employee_key, 'x'::text as \"Nomor_HP\""
        " from marts_build.dim_employee",
    )
    summary = validate_warehouse(warehouse_url, run_id="run-fail", reports_dir=tmp_path)

    assert not summary.passed and not summary.success
    unique = _failure(summary, "marts_dim_employee", "expect_column_values_to_be_unique", "employee_key")
    assert unique.severity == "critical" and unique.observed["result"]["unexpected_count"] == 2
    personal = _failure(summary, "marts_no_personal_data", "expect_column_values_to_not_match_regex")
    assert personal.severity == "critical"
    found = set(personal.observed["result"]["partial_unexpected_list"])
    assert found == {"marts_build.dim_employee.nip", "marts_build.v_contacts.nomor_hp"}
    # the raw layer and the workforce mart are still fine
    assert summary.suite("raw_siasn_pegawai").success and summary.suite("marts_mart_workforce_monthly").success

    text = summary.describe()
    assert "quality gate FAILED" in text and "FAIL marts_dim_employee (marts_build.dim_employee): 2/3 passed" in text
    assert summary.as_dict()["passed"] is False and len(summary.as_dict()["critical_failures"]) == 2

    with pytest.raises(QualityGateFailed) as excinfo:
        summary.raise_for_critical()
    message = str(excinfo.value)
    assert "2 critical expectation(s) failed" in message and "run-fail" in message
    assert "expect_column_values_to_be_unique on employee_key" in message
    assert "marts_build.dim_employee.nip" in message and "marts_build.v_contacts.nomor_hp" in message
    assert len(excinfo.value.failures) == 2

    runs, results = _audit(warehouse_url, "run-fail")
    by_suite = {r[0]: r for r in runs}
    assert by_suite["marts_dim_employee"][2] is False and by_suite["marts_dim_employee"][4] == 1
    assert by_suite["marts_no_personal_data"][2] is False
    failed = [(r[0], r[1], r[2], r[3]) for r in results if not r[4]]
    assert failed == [
        ("marts_dim_employee", "expect_column_values_to_be_unique", "employee_key", "critical"),
        ("marts_no_personal_data", "expect_column_values_to_not_match_regex", "table_column", "critical"),
    ]


@pytest.mark.integration
def test_warning_is_reported_and_does_not_stop_the_run(warehouse_url: str, tmp_path: Path) -> None:
    _execute(warehouse_url, "update raw.siasn_pegawai set jenis_kelamin = 'L' where _row_number = 2")
    summary = validate_warehouse(warehouse_url, run_id="run-warn", reports_dir=tmp_path)

    assert summary.passed and not summary.success
    summary.raise_for_critical()  # a warning never raises
    [warned] = summary.warnings
    assert (warned.suite, warned.expectation, warned.column) == (
        "raw_siasn_pegawai",
        "expect_column_values_to_be_in_set",
        "jenis_kelamin",
    )
    assert warned.observed["result"]["partial_unexpected_list"] == ["L"]
    runs, results = _audit(warehouse_url, "run-warn")
    assert [(r[0], r[2]) for r in runs if not r[2]] == [("raw_siasn_pegawai", False)]
    assert [(r[1], r[3]) for r in results if not r[4]] == [("expect_column_values_to_be_in_set", "warning")]


@pytest.mark.integration
def test_missing_table_missing_column_and_bad_nip_are_critical_not_tracebacks(
    warehouse_url: str, tmp_path: Path
) -> None:
    _execute(
        warehouse_url,
        "drop table marts_build.dim_employee;"
        "alter table marts_build.mart_workforce_monthly drop column headcount_total;"
        "update raw.siasn_pegawai set nip_baru = '19850312201001100X' where _row_number = 1;"
        "update raw.siasn_pegawai set _file_id = null where _row_number = 3",
    )
    summary = validate_warehouse(warehouse_url, run_id="run-broken", reports_dir=tmp_path)

    assert not summary.passed
    missing = _failure(summary, "marts_dim_employee", "expect_table_to_exist")
    assert "marts_build.dim_employee does not exist" in missing.observed["exception"]
    assert summary.suite("marts_dim_employee").evaluated == 1
    assert summary.suite("marts_dim_employee").docs_path is None
    no_column = _failure(
        summary, "marts_mart_workforce_monthly", "expect_column_values_to_not_be_null", "headcount_total"
    )
    assert "headcount_total" in no_column.observed["exception"]
    nip = _failure(summary, "raw_siasn_pegawai", "expect_column_values_to_match_regex", "nip_baru")
    # A NIP is personal data: its shape is kept (why it failed), its digits are not (who it is).
    assert nip.observed["result"]["partial_unexpected_list"] == ["99999999999999999A"]
    written = [p.read_text(errors="ignore") for p in (tmp_path / "gx").rglob("*") if p.suffix in (".html", ".json")]
    assert any("99999999999999999A" in text for text in written)  # Data Docs and stored results show the shape
    assert not any("19850312201001100X" in text for text in written)
    file_id = _failure(summary, "raw_siasn_pegawai", "expect_column_values_to_not_be_null", "_file_id")
    assert file_id.severity == "critical"
    # The personal-data check still ran and passed.
    assert summary.suite("marts_no_personal_data").success

    with pytest.raises(QualityGateFailed, match=r"marts_build\.dim_employee does not exist"):
        summary.raise_for_critical()
    runs, results = _audit(warehouse_url, "run-broken")
    assert "19850312201001100X" not in str(results)
    assert ("marts_dim_employee", "expect_table_to_exist", None, "critical", False) in [r[:5] for r in results]
    assert [r[0] for r in runs] == [s.name for s in SUITES]
    assert {r[0] for r in runs if not r[2]} == {
        "raw_siasn_pegawai",
        "marts_mart_workforce_monthly",
        "marts_dim_employee",
        "marts_quasi_identifiers",  # its query reads dim_employee
    }


ROWS = "unexpected_rows_expectation"


@pytest.mark.integration
def test_broken_marts_fail_their_critical_checks_with_bounds_from_the_seeds(warehouse_url: str, tmp_path: Path) -> None:
    _execute(
        warehouse_url,
        # kinerja above its weight (30), the index still the sum and in its band
        "update marts_build.mart_ip_asn set kinerja_score = 45, ip_asn_index = 100, ip_asn_category = 'Sangat Tinggi'"
        " where employee_key = 'e1';"
        # a category that is none of the five (and not the band of the index)
        "update marts_build.mart_ip_asn set ip_asn_category = 'Istimewa' where employee_key = 'e2';"
        "update marts_build.mart_ip_asn_by_opd set tinggi_count = 2 where opd_code = 'OPD-DISDIK';"
        "update marts_build.mart_performance_distribution set sangat_baik_share_pct = 150"
        " where opd_code = 'OPD-DINKES';"
        "update marts_build.fct_performance_appraisal set predikat = 'Istimewa' where appraisal_key = 'a3';"
        "update marts_build.mart_jp_compliance set jp_shortfall = -1 where employee_key = 'e1';"
        "update marts_build.mart_jp_compliance_by_opd set compliance_share_pct = 100.5 where opd_code = 'OPD-DINKES';"
        "update marts_build.mart_competency_gap set jpm_pct = 120 where competency_name = 'Integritas';"
        "update marts_build.fct_training_participation set jp_credited = 30 where participation_key = 't1'",
    )
    summary = validate_warehouse(warehouse_url, run_id="run-broken-marts", reports_dir=tmp_path)

    assert not summary.passed and summary.warnings == []
    assert _failed(summary, "critical") == {
        ("marts_mart_ip_asn", ROWS, None),  # kinerja above its weight
        ("marts_mart_ip_asn", "expect_column_values_to_be_in_set", "ip_asn_category"),
        ("marts_mart_ip_asn_by_opd", ROWS, None),  # the categories no longer add up
        ("marts_mart_performance_distribution", ROWS, None),  # a share above 100
        ("marts_fct_performance_appraisal", "expect_column_values_to_be_in_set", "predikat"),
        ("marts_mart_jp_compliance", "expect_column_values_to_be_between", "jp_shortfall"),
        ("marts_mart_jp_compliance", ROWS, None),  # and it no longer agrees with meets_jp_minimum
        ("marts_mart_jp_compliance_by_opd", "expect_column_values_to_be_between", "compliance_share_pct"),
        ("marts_mart_competency_gap", ROWS, None),  # JPM above 100 with per-item capping on
        ("marts_fct_training_participation", ROWS, None),  # more JP credited than taken
    }
    ip_asn = [f for f in summary.critical_failures if f.suite == "marts_mart_ip_asn" and f.expectation == ROWS]
    # two SQL checks broke, one row each: the weights (e1) and the band of the category (e2); the sum holds
    assert sorted(f.observed["result"]["observed_value"] for f in ip_asn) == [1, 1]
    broken_rules = {
        seed
        for f in ip_asn
        for seed in ("ref_ip_asn_weight", "ref_ip_asn_category")
        if seed in f.observed["expected"]["unexpected_rows_query"]
    }
    assert broken_rules == {"ref_ip_asn_weight", "ref_ip_asn_category"}
    category = _failure(summary, "marts_mart_ip_asn", "expect_column_values_to_be_in_set", "ip_asn_category")
    assert category.observed["result"]["partial_unexpected_list"] == ["Istimewa"]
    shortfall = _failure(summary, "marts_mart_jp_compliance", "expect_column_values_to_be_between", "jp_shortfall")
    assert shortfall.observed["result"]["unexpected_count"] == 1
    with pytest.raises(QualityGateFailed, match="11 critical expectation"):
        summary.raise_for_critical()

    # The bounds are the stewards' seeds, not constants: a kinerja weight of 50 and no per-item capping of JPM
    # make the same rows right.
    _execute(
        warehouse_url,
        "update reference.ref_ip_asn_weight set weight = 50 where dimension = 'kinerja';"
        "update reference.ref_pembina_settings set setting_value = 'false' where setting_name = 'jpm_cap_per_item';"
        "update marts_build.mart_ip_asn set ip_asn_category = 'Sangat Tinggi' where employee_key = 'e2'",
    )
    rerun = validate_warehouse(
        warehouse_url,
        run_id="run-seeds",
        suites=[suite_by_name("marts_mart_ip_asn"), suite_by_name("marts_mart_competency_gap")],
        reports_dir=tmp_path,
    )
    assert rerun.success, rerun.describe()


@pytest.mark.integration
def test_nip_and_nik_values_in_marts_text_columns_are_critical_and_never_repeated(
    warehouse_url: str, tmp_path: Path
) -> None:
    _execute(
        warehouse_url,
        "update marts_build.mart_development_priorities set rule_description = 'NIP 198503122010011003 tanpa SKP.'"
        " where employee_key = 'e1';"
        "create table marts_build.leaky (id integer, note varchar(60), codes text[], clean text);"
        "insert into marts_build.leaky values"
        " (1, '9202014507900001', null, 'ab1234567890123456cd'),"  # a NIK alone; digits inside hex do not count
        " (2, 'ok', array['x', '19900101 201503 2 002'], '12345678901234567'),"  # a spaced NIP; 17 digits are none
        " (3, 'NIK:9202014507900002', null, '2.6666666666666667'),"  # a fraction is no NIK
        " (4, null, null, 'e168db65f985790338d9a5432b6c1934');"
        "create view marts_build.v_leaky as select employee_key || '-' || '198712252011011001' as label"
        " from marts_build.dim_employee;"
        "alter table marts_build.fct_training_participation add column employee_nip text;"
        "create view marts_build.v_email as select employee_key, 'x'::text as email_gov, 'y'::text as unor_nama"
        " from marts_build.dim_employee",
    )
    summary = validate_warehouse(warehouse_url, run_id="run-leak", reports_dir=tmp_path)

    assert not summary.passed and summary.warnings == []
    assert _failed(summary, "critical") == {
        ("marts_no_personal_values", "expect_column_values_to_be_null", "column_with_personal_numbers"),
        ("marts_no_personal_data", "expect_column_values_to_not_match_regex", "table_column"),
    }
    values = _failure(
        summary, "marts_no_personal_values", "expect_column_values_to_be_null", "column_with_personal_numbers"
    )
    assert set(values.observed["result"]["partial_unexpected_list"]) == {
        "marts_build.mart_development_priorities.rule_description: 1 row",
        "marts_build.leaky.note: 2 rows",
        "marts_build.leaky.codes: 1 row",
        "marts_build.v_leaky.label: 3 rows",
    }
    names = _failure(summary, "marts_no_personal_data", "expect_column_values_to_not_match_regex", "table_column")
    assert set(names.observed["result"]["partial_unexpected_list"]) == {
        "marts_build.fct_training_participation.employee_nip",
        "marts_build.v_email.email_gov",
    }
    # The scan names columns and counts rows; the values themselves appear nowhere.
    leaked = ("198503122010011003", "9202014507900001", "201503 2 002", "198712252011011001")
    written = [p.read_text(errors="ignore") for p in (tmp_path / "gx").rglob("*") if p.suffix in (".html", ".json")]
    _, results = _audit(warehouse_url, "run-leak")
    for text in [*written, str(results), summary.describe()]:
        assert not any(value in text for value in leaked)


@pytest.mark.integration
def test_a_marts_view_that_cannot_be_scanned_fails_the_value_check(warehouse_url: str, tmp_path: Path) -> None:
    _execute(
        warehouse_url,
        "create view marts_build.v_broken as select (1 / (count(*) - count(*)))::text as x"
        " from marts_build.dim_employee",
    )
    summary = validate_warehouse(
        warehouse_url,
        run_id="run-unscannable",
        suites=[suite_by_name("marts_no_personal_values")],
        reports_dir=tmp_path,
    )

    assert not summary.passed
    outcome = summary.suite("marts_no_personal_values")
    assert (outcome.evaluated, outcome.failed) == (2, 2)
    assert all(f.severity == "critical" and "division by zero" in f.observed["exception"] for f in outcome.results)
    runs, results = _audit(warehouse_url, "run-unscannable")
    assert [(r[0], r[2], r[4]) for r in runs] == [("marts_no_personal_values", False, 2)]
    assert [r[4] for r in results] == [False, False]


@pytest.mark.integration
def test_empty_sources_and_findings_are_warnings_but_an_emptied_fact_is_critical(
    warehouse_url: str, tmp_path: Path
) -> None:
    _execute(
        warehouse_url,
        # the universities have sent nothing yet: their raw table and marts are empty, which is no failure
        "truncate raw.university_programme, marts_build.fct_university_programme,"
        " marts_build.mart_university_collaboration;"
        # the competency fact lost its rows while the assessments are loaded
        "truncate marts_build.fct_competency_assessment;"
        # a stated predikat that disagrees with the matrix: a finding, one of the two that state one
        "update marts_build.fct_performance_appraisal"
        " set stated_predikat = 'Baik', is_stated_predikat_consistent = false"
        " where appraisal_key = 'a2';"
        # a raw row with a 17-character NIP got past the loader
        "update raw.training_participation set nip = '19850312201001100' where _vendor = 'lan_ri'",
    )
    summary = validate_warehouse(warehouse_url, run_id="run-sources", reports_dir=tmp_path)

    assert _failed(summary, "warning") == {
        ("raw_sources", "expect_column_values_to_be_null", "raw_table_without_rows"),
        ("marts_fct_performance_appraisal", "expect_column_values_to_be_in_set", "is_stated_predikat_consistent"),
    }
    without_rows = _failure(summary, "raw_sources", "expect_column_values_to_be_null", "raw_table_without_rows")
    assert without_rows.observed["result"]["partial_unexpected_list"] == ["raw.university_programme"]
    mismatch = _failure(
        summary, "marts_fct_performance_appraisal", "expect_column_values_to_be_in_set", "is_stated_predikat_consistent"
    )
    assert mismatch.observed["result"]["unexpected_count"] == 1
    assert mismatch.observed["result"]["unexpected_percent"] == pytest.approx(50.0)
    assert _failed(summary, "critical") == {
        ("marts_filled_from_their_sources", "expect_column_values_to_be_null", "empty_while_source_has_rows"),
        ("raw_sources", "expect_column_values_to_be_null", "raw_table_past_contract"),
    }
    empty = _failure(summary, "marts_filled_from_their_sources", "expect_column_values_to_be_null")
    assert empty.observed["result"]["partial_unexpected_list"] == [
        "marts_build.fct_competency_assessment is empty while raw.assessment_kompetensi has rows"
    ]
    nip = _failure(summary, "raw_sources", "expect_column_values_to_be_null", "raw_table_past_contract")
    assert nip.observed["result"]["partial_unexpected_list"] == ["raw.training_participation: 1 row"]
    written = [p.read_text(errors="ignore") for p in (tmp_path / "gx").rglob("*") if p.suffix in (".html", ".json")]
    assert written and not any("19850312201001100" in text for text in [*written, json.dumps(nip.observed)])


def _dim_employee_with_classes(url: str, class_sizes: list[int]) -> None:
    """dim_employee rows in classes of the given sizes on the quasi-identifiers (one age band per class)."""
    rows = [
        (f"e{size}_{n}_{i}", "OPD-DINKES", "F", 1, f"{20 + 10 * n}-{29 + 10 * n}", "III", "Fungsional", "Ahli Muda")
        for n, size in enumerate(class_sizes)
        for i in range(size)
    ]
    with db.connect(url, autocommit=True) as conn:
        conn.execute(f"delete from {MARTS_BUILD_SCHEMA}.dim_employee")
        conn.execute(
            "update reference.ref_pembina_settings set setting_value = '5'"
            " where setting_name = 'k_anonymity_max_below_k_pct'"
        )
        with conn.cursor() as cur:
            cur.executemany(
                f"insert into {MARTS_BUILD_SCHEMA}.dim_employee (employee_key, opd_code, gender, disclosure_level,"
                " age_band, golongan_group, position_type, position_level) values (%s, %s, %s, %s, %s, %s, %s, %s)",
                rows,
            )


@pytest.mark.integration
def test_employees_singled_out_by_the_quasi_identifiers_fail_the_gate(warehouse_url: str, tmp_path: Path) -> None:
    """The real check on a crafted dim_employee: k = 5, at most 5% of the employees below k (set here)."""
    suite = suite_by_name("marts_quasi_identifiers")

    # 40 employees in classes of 5 and above, then 3 unique ones: 3 / 43 = 6.98% below k, over 5%.
    _dim_employee_with_classes(warehouse_url, [5, 10, 25, 1, 1, 1])
    summary = validate_warehouse(warehouse_url, run_id="qi_fail", suites=[suite], reports_dir=tmp_path)
    failure = _failure(summary, "marts_quasi_identifiers", "expect_column_values_to_be_null", "quasi_identifier_breach")
    assert failure.severity == "critical" and not summary.passed
    assert "3 of 43 employees (6.98 per cent, 3 unique) are in a class of fewer than k = 5" in summary.describe()

    # A class of 4 is below k too: 4 / 44 = 9.09%.
    _dim_employee_with_classes(warehouse_url, [5, 10, 25, 4])
    summary = validate_warehouse(warehouse_url, run_id="qi_four", suites=[suite], reports_dir=tmp_path)
    assert "4 of 44 employees (9.09 per cent, 0 unique)" in summary.describe() and not summary.passed

    # Two unique among 60 (3.33%) stay within the 5% allowed; every class of at least k passes as well.
    for sizes in ([5, 10, 25, 18, 1, 1], [5, 10, 25]):
        _dim_employee_with_classes(warehouse_url, sizes)
        summary = validate_warehouse(warehouse_url, run_id="qi_pass", suites=[suite], reports_dir=tmp_path)
        assert summary.passed, summary.describe()


# Issue 10: forums and innovations


@pytest.mark.integration
def test_a_follow_up_before_its_forum_is_a_warning_and_broken_innovation_and_feedback_marts_are_critical(
    warehouse_url: str, tmp_path: Path
) -> None:
    _execute(
        warehouse_url,
        "update staging.stg_forum__masukan set follow_up_date = '2025-02-01' where input_number = 1;"
        "update marts_build.mart_innovation_portfolio set innovations_penerapan = 2;"
        "update marts_build.fct_innovation_participation set rollout_date = '2024-02-01' where employee_key = 'e1';"
        "update marts_build.mart_citizen_feedback set period_end = '2025-06-29' where semester = 1;"
        "update marts_build.mart_innovation_satisfaction set ikm_after = 101 where innovation_code = 'INO-2'",
    )
    summary = validate_warehouse(warehouse_url, run_id="run-innovation", reports_dir=tmp_path)

    assert _failed(summary, "warning") == {
        ("staging_forum_follow_up", "expect_column_values_to_be_null", "follow_up_before_forum")
    }
    finding = _failure(summary, "staging_forum_follow_up", "expect_column_values_to_be_null")
    assert finding.observed["result"]["partial_unexpected_list"] == ["FKP-1 no. 1"]
    assert {(suite, column) for suite, _, column in _failed(summary, "critical")} == {
        ("marts_mart_innovation_portfolio", None),
        ("marts_fct_innovation_participation", None),
        ("marts_mart_citizen_feedback", None),
        ("marts_mart_innovation_satisfaction", None),
    }


# Issue 10: satisfaction surveys and complaints


@pytest.mark.integration
def test_citizen_checks_catch_answers_dates_out_of_order_missing_semesters_and_wrong_categories(
    warehouse_url: str, tmp_path: Path
) -> None:
    _execute(
        warehouse_url,
        # an answer past the contract, a complaint answered before it was disposed
        "update raw.skm_responden set u3 = '5';"
        "update raw.lapor_pengaduan set tanggal_tindak_lanjut = '2025-01-06T10:00:00+09:00'"
        " where nomor_tiket = '4581234';"
        # a second unit whose 2025-S1 row is missing, with a category that is not its IKM's
        "insert into marts_build.mart_public_satisfaction values ('UL-RSUD-IGD', '2025-S2', '2025-07-01', false,"
        " 20, 3, 3, 3, 3, 3, 3, 3, 3, 3, 75.00, 'B', true), ('UL-RSUD-IGD', '2024-S2', '2024-07-01', true,"
        " 0, null, null, null, null, null, null, null, null, null, null, null, true)",
    )
    summary = validate_warehouse(warehouse_url, run_id="run-citizen", reports_dir=tmp_path)

    assert {(f.suite, f.column) for f in summary.critical_failures} == {
        ("raw_skm_responden", None),
        ("raw_lapor_pengaduan", None),
        ("marts_mart_public_satisfaction", None),
    }
    # the missing semester and the wrong category; the NRR and IKM of every row are consistent
    assert len([f for f in summary.critical_failures if f.suite == "marts_mart_public_satisfaction"]) == 2
    assert _failed(summary, "warning") == {
        ("marts_mart_public_satisfaction", "expect_column_values_to_be_in_set", "is_sample_too_small"),
    }
