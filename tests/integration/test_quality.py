"""Great Expectations suites against a real PostgreSQL database (a fresh one per test, dropped after)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from pembina import db
from pembina.quality import QualityGateFailed, ValidationSummary, validate_warehouse
from pembina.quality.gx_checks import sqlalchemy_url
from pembina.quality.suites import RAW_LINEAGE_COLUMNS, SIASN_PEGAWAI_COLUMNS, SUITES

LINEAGE_TYPES = {
    "_batch_id": "bigint",
    "_file_id": "bigint",
    "_row_number": "integer",
    "_snapshot_date": "date",
    "_loaded_at": "timestamptz not null default now()",
}


def _create_warehouse_tables(conn: psycopg.Connection) -> None:
    """A small warehouse that passes every suite."""
    columns = [f"{c} text" for c in SIASN_PEGAWAI_COLUMNS] + [f"{c} {LINEAGE_TYPES[c]}" for c in RAW_LINEAGE_COLUMNS]
    conn.execute("create schema raw; create schema marts")
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
        create table marts.mart_workforce_monthly (
            opd_code text, month_end_date date, headcount_total integer, headcount_pns integer,
            headcount_pppk integer, headcount_female integer, headcount_male integer)
        """
    )
    conn.execute(
        """
        insert into marts.mart_workforce_monthly values
            ('OPD-DISDIK', '2024-12-31', 1, 1, 0, 0, 1),
            ('OPD-DINKES', '2024-12-31', 2, 2, 0, 1, 1),
            ('OPD-DINKES', '2024-11-30', 0, 0, 0, 0, 0)
        """
    )
    conn.execute("create table marts.dim_employee (employee_key text, opd_code text, gender text, birth_year int)")
    conn.execute(
        "insert into marts.dim_employee values ('e1', 'OPD-DISDIK', 'M', 1985), ('e2', 'OPD-DINKES', 'F', 1990),"
        " ('e3', 'OPD-DINKES', 'M', 1987)"
    )


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
        "insert into marts.dim_employee values ('e2', 'OPD-DISDIK', 'F', 1991);"
        "alter table marts.dim_employee add column nip text;"
        "create view marts.v_contacts as select employee_key, 'x'::text as \"Nomor_HP\" from marts.dim_employee",
    )
    summary = validate_warehouse(warehouse_url, run_id="run-fail", reports_dir=tmp_path)

    assert not summary.passed and not summary.success
    unique = _failure(summary, "marts_dim_employee", "expect_column_values_to_be_unique", "employee_key")
    assert unique.severity == "critical" and unique.observed["result"]["unexpected_count"] == 2
    personal = _failure(summary, "marts_no_personal_data", "expect_column_values_to_not_match_regex")
    assert personal.severity == "critical"
    found = set(personal.observed["result"]["partial_unexpected_list"])
    assert found == {"marts.dim_employee.nip", "marts.v_contacts.nomor_hp"}
    # the raw layer and the workforce mart are still fine
    assert summary.suite("raw_siasn_pegawai").success and summary.suite("marts_mart_workforce_monthly").success

    text = summary.describe()
    assert "quality gate FAILED" in text and "FAIL marts_dim_employee (marts.dim_employee): 2/3 passed" in text
    assert summary.as_dict()["passed"] is False and len(summary.as_dict()["critical_failures"]) == 2

    with pytest.raises(QualityGateFailed) as excinfo:
        summary.raise_for_critical()
    message = str(excinfo.value)
    assert "2 critical expectation(s) failed" in message and "run-fail" in message
    assert "expect_column_values_to_be_unique on employee_key" in message
    assert "marts.dim_employee.nip" in message and "marts.v_contacts.nomor_hp" in message
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
        "drop table marts.dim_employee;"
        "alter table marts.mart_workforce_monthly drop column headcount_total;"
        "update raw.siasn_pegawai set nip_baru = '19850312201001100X' where _row_number = 1;"
        "update raw.siasn_pegawai set _file_id = null where _row_number = 3",
    )
    summary = validate_warehouse(warehouse_url, run_id="run-broken", reports_dir=tmp_path)

    assert not summary.passed
    missing = _failure(summary, "marts_dim_employee", "expect_table_to_exist")
    assert "marts.dim_employee does not exist" in missing.observed["exception"]
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

    with pytest.raises(QualityGateFailed, match=r"marts\.dim_employee does not exist"):
        summary.raise_for_critical()
    runs, results = _audit(warehouse_url, "run-broken")
    assert "19850312201001100X" not in str(results)
    assert ("marts_dim_employee", "expect_table_to_exist", None, "critical", False) in [r[:5] for r in results]
    assert {r[0]: r[2] for r in runs} == {
        "raw_siasn_pegawai": False,
        "marts_mart_workforce_monthly": False,
        "marts_dim_employee": False,
        "marts_no_personal_data": True,
    }
