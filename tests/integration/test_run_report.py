"""The auditor's run report, written from a real PostgreSQL database (a fresh one per test, dropped after)."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from psycopg.types.json import Jsonb

from pembina import db
from pembina.audit import ensure_audit_schema
from pembina.report import summarize_run, write_run_report

pytestmark = pytest.mark.integration

EVIL_NAME = "landing/siasn/<script>alert('x')</script>_20241231.csv"


@pytest.fixture
def empty_db_url() -> Iterator[str]:
    base = db.up()
    name = f"pembina_test_report_{uuid.uuid4().hex[:10]}"
    db.ensure_database(base, name)
    try:
        yield db.sibling_database_url(base, name)
    finally:
        with db.connect(db.sibling_database_url(base, "postgres"), autocommit=True) as conn:
            conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


def _add_file(
    conn: psycopg.Connection,
    batch_id: int,
    source: str,
    path: str,
    status: str,
    read: int,
    loaded: int,
    quarantined: int,
    reason: str | None = None,
    encoding: str = "utf-8",
) -> int:
    row = conn.execute(
        """
        insert into audit.ingested_files (batch_id, source, path, sha256, size_bytes, encoding, status, reason,
                                          rows_read, rows_loaded, rows_quarantined, finished_at)
        values (%s, %s, %s, %s, 1000, %s, %s, %s, %s, %s, %s, now()) returning file_id
        """,
        (batch_id, source, path, uuid.uuid4().hex * 2, encoding, status, reason, read, loaded, quarantined),
    ).fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture
def run_db_url(empty_db_url: str) -> str:
    """Four loaded files (one with a hostile name), one rejected file, one record that does not reconcile,
    a quarantine table, tables in three layers and a recorded validation run with one failure per severity."""
    with db.connect(empty_db_url, autocommit=True) as conn:
        ensure_audit_schema(conn)
        batch = conn.execute(
            "insert into audit.load_batches (source, run_id, status) values ('siasn', 'ingest__run1', 'succeeded')"
            " returning batch_id"
        ).fetchone()[0]
        good = _add_file(conn, batch, "siasn", "landing/siasn/siasn_pegawai_20241231.csv", "loaded", 10, 8, 2)
        evil = _add_file(conn, batch, "siasn", EVIL_NAME, "loaded", 5, 5, 0, encoding="latin-1")
        evil_q = _add_file(conn, batch, "siasn", "landing/siasn/siasn_pegawai_20250131.csv", "loaded", 1, 0, 1)
        _add_file(conn, batch, "siasn", "landing/siasn/empty.csv", "rejected", 0, 0, 0, reason="empty file <no header>")
        # A damaged record: the check constraint would refuse it, and the report must not rely on the constraint.
        conn.execute("alter table audit.ingested_files drop constraint ingested_files_reconcile")
        broken = _add_file(conn, batch, "lan_ri", "landing/training/lan_ri/jp_2024.csv", "loaded", 10, 5, 2)

        conn.execute("create schema raw; create schema staging; create schema marts")
        conn.execute("create table raw.siasn_pegawai (nip_baru text, _file_id bigint)")
        conn.execute(
            "insert into raw.siasn_pegawai select lpad(g::text, 18, '1'), %s from generate_series(1, 8) g", (good,)
        )
        conn.execute(
            "insert into raw.siasn_pegawai select lpad(g::text, 18, '2'), %s from generate_series(1, 5) g", (evil,)
        )
        conn.execute("create table raw.quarantine (source text, rule_id text, file_id bigint, row_number int)")
        conn.execute(
            "insert into raw.quarantine values ('siasn', 'nip_format', %s, 3), ('siasn', 'nip_gender_mismatch', %s, 7),"
            " ('lan_ri', 'missing_required', %s, 1), ('lan_ri', 'missing_required', %s, 4),"
            " ('siasn', 'missing_required', %s, 2)",
            (good, good, broken, broken, evil_q),
        )
        conn.execute(
            "insert into audit.dbt_builds (invocation_id, command, whole_project, finished_at, status)"
            " values ('b1', 'build', true, now(), 'success');"
            "insert into audit.gate_runs (run_id, build_id, started_at, passed, critical_failed)"
            " values ('wh__run0', 1, now(), true, 0);"
        )
        conn.execute(
            "insert into audit.publications (schema_name, relations, build_id, gate_run_id) values ('marts', %s, 1, 1)",
            (["dim_employee"],),
        )
        conn.execute("create view staging.stg_siasn__pegawai as select * from raw.siasn_pegawai")
        conn.execute("create table marts.dim_employee as select g as employee_key from generate_series(1, 7) g")
        # the build schema, which the quality gate validates, holds what was published
        conn.execute("create schema marts_build; create table marts_build.dim_employee as table marts.dim_employee")

        run = conn.execute(
            "insert into audit.validation_runs (run_id, suite, target, success, evaluated, failed, docs_path)"
            " values ('wh__run1', 'marts_dim_employee', 'marts.dim_employee', false, 3, 2, null)"
            " returning validation_run_id"
        ).fetchone()[0]
        for expectation, column, severity, success, observed in [
            (
                "expect_column_values_to_be_unique",
                "employee_key",
                "critical",
                False,
                {"result": {"unexpected_count": 2, "partial_unexpected_list": ["<e1>", "<e1>"]}},
            ),
            ("expect_table_row_count_to_be_between", None, "warning", False, {"result": {"observed_value": 0}}),
            ("expect_column_values_to_not_be_null", "employee_key", "critical", True, {"result": {}}),
        ]:
            conn.execute(
                "insert into audit.validation_results (validation_run_id, expectation, column_name, severity,"
                " success, observed) values (%s, %s, %s, %s, %s, %s)",
                (run, expectation, column, severity, success, Jsonb(observed)),
            )
    return empty_db_url


def _rows(document: str, table_id: str) -> list[str]:
    match = re.search(rf'<table id="{table_id}">(.*?)</table>', document, re.S)
    assert match, f"table {table_id} missing"
    return re.findall(r"<tr[^>]*>.*?</tr>", match.group(1), re.S)


def test_report_shows_files_reconciliation_quarantine_tables_and_checks(run_db_url: str, tmp_path: Path) -> None:
    path = write_run_report(run_db_url, out_dir=tmp_path)

    assert path.parent == tmp_path and re.fullmatch(r"run_report_\d{8}T\d{6}Z(_\d+)?\.html", path.name)
    document = path.read_text(encoding="utf-8")
    assert (tmp_path / "latest.html").read_text(encoding="utf-8") == document
    assert "<script" not in document.lower()  # self-contained, no script, and the hostile name is escaped
    assert html.escape(EVIL_NAME, quote=True) in document
    assert "<link" not in document and "http://" not in document and "https://" not in document

    files = _rows(document, "files")
    assert len(files) == 1 + 5  # header + 5 files
    marks = re.findall(r'data-reconciled="([^"]+)"', document)
    assert marks == ["pass", "pass", "pass", "n/a", "fail"]
    assert document.count("✘ FAIL") >= 1 and "file rejected" in document
    assert "empty file &lt;no header&gt;" in document
    assert "siasn_pegawai_20241231.csv" in files[1] and "latin-1" in files[2]

    quarantine = _rows(document, "quarantine")
    assert any("missing_required" in r and ">2<" in r for r in quarantine)
    assert any("nip_format" in r and ">1<" in r for r in quarantine)

    tables = {re.sub(r"<[^>]+>", "|", r) for r in _rows(document, "tables")}
    flat = " ".join(tables)
    assert "|raw||siasn_pegawai||table||13|" in flat
    assert "|staging||stg_siasn__pegawai||view||13|" in flat
    assert "|marts||dim_employee||table||7|" in flat
    assert "|raw||quarantine||table||5|" in flat
    assert 'id="publication"' in document and "1 table(s) and view(s)" in document
    assert "reads publication 1 of <code>marts</code>: build 1, validated by gate run 1" in document

    checks = _rows(document, "checks")
    assert len(checks) == 1 + 3
    assert 'data-severity="critical" data-success="false"' in document
    assert 'data-severity="warning" data-success="false"' in document
    assert "&lt;e1&gt;" in document and "<e1>" not in document
    assert 'data-gate="failed"' in document


def test_summary_has_the_same_numbers(run_db_url: str, tmp_path: Path) -> None:
    before = summarize_run(run_db_url, reports_dir=tmp_path)
    assert before["report_path"] is None
    write_run_report(run_db_url, out_dir=tmp_path)
    summary = summarize_run(run_db_url, reports_dir=tmp_path)

    assert summary["files"] == {
        "total": 5,
        "loaded": 4,
        "rejected": 1,
        "unreconciled": ["landing/training/lan_ri/jp_2024.csv"],
    }
    assert summary["rows"] == {"read": 26, "loaded": 18, "quarantined": 5}
    assert summary["rows_per_layer"] == {
        "raw": {"quarantine": 5, "siasn_pegawai": 13},
        "staging": {"stg_siasn__pegawai": 13},
        "marts": {"dim_employee": 7},
    }
    assert summary["rows_per_layer_total"] == {"raw": 13, "staging": 13, "marts": 7}
    assert summary["quarantined_by_rule"] == {"missing_required": 3, "nip_format": 1, "nip_gender_mismatch": 1}
    assert summary["quarantined_by_source_rule"] == {
        "lan_ri": {"missing_required": 2},
        "siasn": {"missing_required": 1, "nip_format": 1, "nip_gender_mismatch": 1},
    }
    validation = summary["validation"]
    assert validation["run_id"] == "wh__run1"
    assert (validation["evaluated"], validation["passed"], validation["failed"]) == (3, 1, 2)
    assert (validation["critical_failed"], validation["warnings_failed"], validation["gate"]) == (1, 1, "failed")
    assert summary["report_path"] == str(tmp_path / "latest.html")


def test_empty_warehouse_is_reported_without_errors(
    empty_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PEMBINA_REPORTS_DIR", str(tmp_path))  # no Data Docs from other runs
    path = write_run_report(empty_db_url, out_dir=tmp_path)
    document = path.read_text(encoding="utf-8")
    assert "No ingestion record yet" in document
    assert "No quarantine table yet" in document
    assert "No validation run recorded" in document
    assert 'data-gate="not-run"' in document
    summary = summarize_run(empty_db_url, reports_dir=tmp_path)
    assert summary["files"]["total"] == 0 and summary["rows_per_layer"] == {} and summary["gx_docs_path"] is None
    assert summary["validation"]["gate"] == "not run" and summary["quarantined_by_rule"] == {}


def test_report_after_a_real_validation_links_to_data_docs(run_db_url: str, tmp_path: Path) -> None:
    from pembina.quality import validate_warehouse

    summary = validate_warehouse(run_db_url, run_id="wh__run2", reports_dir=tmp_path)
    # This small warehouse has no workforce mart and a duplicate-free dim_employee with no personal data.
    assert summary.suite("marts_dim_employee").success
    assert not summary.suite("marts_mart_workforce_monthly").success

    path = write_run_report(run_db_url, run_id="wh__run2", out_dir=tmp_path)
    document = path.read_text(encoding="utf-8")
    assert 'href="gx/index.html"' in document
    links = re.findall(r'href="(gx/validations/[^"]+\.html)"', document)
    assert links and all((tmp_path / html.unescape(link)).exists() for link in links)
    assert "wh__run2" in document and "wh__run1" not in document
    assert "marts_build.mart_workforce_monthly does not exist" in document
    suites = _rows(document, "suites")
    assert len(suites) == 1 + len(summary.suites)
    assert summarize_run(run_db_url, "wh__run2", reports_dir=tmp_path)["gx_docs_path"] == str(
        tmp_path / "gx" / "index.html"
    )


def test_personal_data_section_reports_the_checks_and_the_quasi_identifier_classes(
    empty_db_url: str, tmp_path: Path
) -> None:
    from pembina.quality import validate_warehouse
    from pembina.quality.suites import suite_by_name
    from pembina.settings import MARTS_BUILD_SCHEMA, MARTS_SCHEMA

    schema = sql.Identifier(MARTS_BUILD_SCHEMA)
    with db.connect(empty_db_url, autocommit=True) as conn:
        conn.execute(sql.SQL("create schema {}; create schema reference").format(schema))
        conn.execute(
            "create table reference.ref_pembina_settings as select * from (values ('k_anonymity_k', '5'),"
            " ('k_anonymity_max_below_k_pct', '0.5')) as s (setting_name, setting_value)"
        )
        # Level 1: a class of five; level 6: one employee alone in a small OPD.
        conn.execute(
            sql.SQL(
                "create table {}.dim_employee as select 'e' || n as employee_key, 1 as disclosure_level,"
                " 'OPD-A' as opd_code, 'F' as gender, '30-39' as age_band, 'III' as golongan_group,"
                " 'Fungsional' as position_type, 'Ahli Muda' as position_level from generate_series(1, 5) as n"
                " union all select 'e6', 6, 'OPD-B', null, null, null, null, null"
            ).format(schema)
        )
    suites = [suite_by_name(name) for name in ("marts_no_personal_data", "marts_quasi_identifiers")]
    validate_warehouse(empty_db_url, run_id="privacy", suites=suites, reports_dir=tmp_path)
    with db.connect(empty_db_url, autocommit=True) as conn:  # what publication does: BI reads what the gate saw
        conn.execute(sql.SQL("alter schema {} rename to {}").format(schema, sql.Identifier(MARTS_SCHEMA)))

    document = write_run_report(empty_db_url, run_id="privacy", out_dir=tmp_path).read_text(encoding="utf-8")
    assert "5. Personal data in the marts" in document
    checks = _rows(document, "personal-data-checks")
    assert [("marts_no_personal_data" in row, "passed" in row) for row in checks[1:]] == [(True, True), (False, False)]
    assert "1 of 6 employees (16.67 per cent, 1 unique)" in html.unescape(checks[2])
    measured = re.sub(r"<[^>]+>", "|", _rows(document, "quasi-identifiers")[1])
    assert re.sub(r"\|+", "|", measured) == "|6|1|1|16.67%|0.5%|"
    assert "level 1: 5, level 6: 1" in document
    summary = summarize_run(empty_db_url, "privacy", reports_dir=tmp_path)
    assert summary["personal_data_checks"] == {"marts_no_personal_data": True, "marts_quasi_identifiers": False}
    assert (summary["quasi_identifiers"]["unique_employees"], summary["quasi_identifiers"]["k"]) == (1, 5)
