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
from pembina.cli import main as pembina_main
from pembina.report import summarize_run, write_run_report
from pembina.report.run_report import read_runs

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
                {
                    "result": {
                        "element_count": 7,
                        "unexpected_count": 2,
                        "unexpected_percent": 28.571428,
                        "partial_unexpected_list": ["<e1>", "<e1>"],
                    },
                    "expected": {"column": "employee_key"},
                },
            ),
            (
                "expect_table_row_count_to_be_between",
                None,
                "warning",
                False,
                {"result": {"observed_value": 0}, "expected": {"min_value": 1}},
            ),
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


def _cells(row: str) -> str:
    return re.sub(r"\|+", "|", re.sub(r"<[^>]+>", "|", row))


def test_report_shows_files_reconciliation_quarantine_tables_and_checks(run_db_url: str, tmp_path: Path) -> None:
    path = write_run_report(run_db_url, out_dir=tmp_path, language="en")

    assert path == tmp_path / "run_wh__run1.html"
    document = path.read_text(encoding="utf-8")
    assert '<html lang="en">' in document
    assert "<script" not in document.lower()  # self-contained, no script, and the hostile name is escaped
    assert html.escape("siasn/<script>alert('x')</script>_20241231.csv", quote=True) in document
    assert "<link" not in document and "http://" not in document and "https://" not in document

    files = _rows(document, "files")
    assert len(files) == 1 + 5  # header + 5 files, named relative to the landing folder
    assert "<code" in files[1] and ">siasn/siasn_pegawai_20241231.csv<" in files[1] and "latin-1" in files[2]
    assert re.findall(r'data-reconciled="([^"]+)"', document) == ["pass", "pass", "pass", "n/a", "fail"]
    assert "✘ NO" in document and "file rejected" in document and "empty file &lt;no header&gt;" in document

    rules = [_cells(r) for r in _rows(document, "quarantine-rules")]
    assert rules[1].startswith("|missing_required|a required field is empty|3|lan_ri, siasn|")
    quarantine = [_cells(r) for r in _rows(document, "quarantine")]
    assert "|lan_ri|missing_required|2|" in quarantine and "|siasn|nip_format|1|" in quarantine

    tables = " ".join(_cells(r) for r in _rows(document, "tables"))
    for expected in (
        "|raw|siasn_pegawai|table|13|",
        "|staging|stg_siasn__pegawai|view|13|",
        "|marts|dim_employee|table|7|",
    ):
        assert expected in tables
    assert "The BI login reads publication 1 of the marts: build 1, validated by gate run 1" in document

    # the failed critical check and the warning in their own tables, under their plain-language description
    assert 'data-status="failed"' in document and "FAILED: 1 critical check(s) failed" in document
    failed, warnings = _rows(document, "checks-failed"), _rows(document, "checks-warnings")
    assert len(failed) == len(warnings) == 2 and len(_rows(document, "checks-passed")) == 2
    assert "Every employee_key occurs once" in failed[1] and "2 of 7 rows (28.57%) do not" in html.unescape(failed[1])
    assert "&lt;e1&gt;" in failed[1] and "<e1>" not in document
    assert "⚠ warning" in warnings[1] and "FAIL" not in warnings[1] and "0 row(s)" in warnings[1]


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
    assert summary["report_path"] == str(tmp_path / "run_wh__run1.html")
    assert summary["index_path"] == str(tmp_path / "index.html") and summary["status"] == "failed"


def _validated_run(url: str, run_id: str) -> None:
    with db.connect(url, autocommit=True) as conn:
        conn.execute(
            "insert into audit.validation_runs (run_id, suite, target, success, evaluated, failed)"
            " values (%s, 'marts_dim_employee', 'marts.dim_employee', true, 0, 0)",
            (run_id,),
        )


def test_a_failed_or_unvalidated_run_never_replaces_the_last_validated_report(
    run_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _validated_run(run_db_url, "wh__run0")
    with db.connect(run_db_url, autocommit=True) as conn:  # run0 before run1, which failed
        conn.execute(
            "update audit.validation_runs set started_at = now() - interval '1 hour' where run_id = 'wh__run0'"
        )
    validated = write_run_report(run_db_url, "wh__run0", tmp_path, language="en")
    latest = tmp_path / "latest.html"
    assert latest.read_text(encoding="utf-8") == validated.read_text(encoding="utf-8")
    assert 'data-status="validated"' in validated.read_text(encoding="utf-8")

    failed = write_run_report(run_db_url, "wh__run1", tmp_path, language="en").read_text(encoding="utf-8")
    unvalidated = write_run_report(run_db_url, "ingest__run1", tmp_path, language="en").read_text(encoding="utf-8")
    assert latest.read_text(encoding="utf-8") == validated.read_text(encoding="utf-8")
    for document, status in ((failed, "failed"), (unvalidated, "unvalidated")):
        assert f'class="banner {status}" id="status" data-status="{status}"' in document
        assert 'href="run_wh__run0.html" id="last-validated"' in document
    assert ".banner.failed,.banner.unvalidated{background:#c62828" in failed
    assert "NOT VALIDATED: the quality gate did not run" in unvalidated and 'id="checks-failed"' not in unvalidated

    assert [(r["run_id"], r["status"]) for r in read_runs(tmp_path)] == [
        ("wh__run0", "validated"),
        ("wh__run1", "failed"),
        ("ingest__run1", "unvalidated"),
    ]
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    runs = _rows(index, "runs")[1:]
    assert [re.search(r'data-status="(\w+)"', r).group(1) for r in runs] == ["unvalidated", "failed", "validated"]
    assert 'href="latest.html" id="latest">wh__run0<' in index
    assert all(
        f'href="{name}"' in index for name in ("run_wh__run0.html", "run_wh__run1.html", "run_ingest__run1.html")
    )

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("PEMBINA_WAREHOUSE_URL", run_db_url)
    monkeypatch.setenv("PEMBINA_REPORTS_DIR", str(tmp_path))
    try:
        assert pembina_main(["report", "--run-id", "no_such_run"]) == 1
    finally:
        monkeypatch.undo()
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "no run 'no_such_run' is recorded" in error


def test_the_report_is_in_indonesian_by_default(
    run_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PEMBINA_REPORT_LANGUAGE", raising=False)
    document = write_run_report(run_db_url, out_dir=tmp_path).read_text(encoding="utf-8")
    assert '<html lang="id">' in document and "Laporan proses Pembina" in document
    assert "GAGAL: 1 pemeriksaan kritis gagal" in document and "⚠ peringatan" in document
    assert "2 dari 7 baris (28,57%) tidak sesuai" in html.unescape(document)
    assert '<html lang="id">' in (tmp_path / "index.html").read_text(encoding="utf-8")
    monkeypatch.setenv("PEMBINA_REPORT_LANGUAGE", "en")
    assert '<html lang="en">' in write_run_report(run_db_url, out_dir=tmp_path).read_text(encoding="utf-8")


def test_empty_warehouse_is_reported_without_errors(
    empty_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PEMBINA_REPORTS_DIR", str(tmp_path))  # no Data Docs from other runs
    path = write_run_report(empty_db_url, out_dir=tmp_path, language="en")
    document = path.read_text(encoding="utf-8")
    assert "No ingestion record yet" in document
    assert "No quarantine table yet" in document
    assert "the quality gate did not run" in document and 'data-status="unvalidated"' in document
    assert not (tmp_path / "latest.html").exists() and (tmp_path / "index.html").exists()
    summary = summarize_run(empty_db_url, reports_dir=tmp_path)
    assert summary["files"]["total"] == 0 and summary["rows_per_layer"] == {} and summary["gx_docs_path"] is None
    assert summary["validation"]["gate"] == "not run" and summary["quarantined_by_rule"] == {}


def test_report_after_a_real_validation_links_to_data_docs(run_db_url: str, tmp_path: Path) -> None:
    from pembina.quality import validate_warehouse

    summary = validate_warehouse(run_db_url, run_id="wh__run2", reports_dir=tmp_path)
    # This small warehouse has no workforce mart and a duplicate-free dim_employee with no personal data.
    assert summary.suite("marts_dim_employee").success
    assert not summary.suite("marts_mart_workforce_monthly").success

    path = write_run_report(run_db_url, run_id="wh__run2", out_dir=tmp_path, language="en")
    document = path.read_text(encoding="utf-8")
    links = re.findall(r'<li><a href="(gx/validations/[^"]+\.html)">', document)  # these pages read offline
    assert len(links) == sum(s.docs_path is not None for s in summary.suites) > 0 and all(
        (tmp_path / html.unescape(link)).exists() for link in links
    )
    assert 'href="gx/index.html"' not in document  # the index is blank without its CDN scripts
    assert "wh__run2" in document and "wh__run1" not in document
    assert "marts_build.mart_workforce_monthly does not exist" in document
    assert "The table exists" in document  # a check without a description is described by what it expects
    passed = _rows(document, "checks-passed")
    assert len(passed) - 1 + len(_rows(document, "checks-failed")) - 1 + len(
        _rows(document, "checks-warnings")
    ) - 1 == sum(s.evaluated for s in summary.suites)
    assert any("Every employee_key occurs once" in row and "all 7 rows conform" in row for row in passed)
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

    path = write_run_report(empty_db_url, run_id="privacy", out_dir=tmp_path, language="en")
    document = path.read_text(encoding="utf-8")
    assert "6. Personal data in the marts" in document
    checks = _rows(document, "personal-data-checks")
    assert [('data-suite="marts_no_personal_data"' in row, "✔ passed" in row) for row in checks[1:]] == [
        (True, True),
        (False, False),
    ]
    assert "1 of 6 employees (16.67 per cent, 1 unique)" in html.unescape(checks[2])
    assert "6 employees in dim_employee: 1 unique, 1 (16.67%) in a class of fewer than k = 5" in document
    assert "level 1: 5, level 6: 1" in document
    summary = summarize_run(empty_db_url, "privacy", reports_dir=tmp_path)
    assert summary["personal_data_checks"] == {"marts_no_personal_data": True, "marts_quasi_identifiers": False}
    assert (summary["quasi_identifiers"]["unique_employees"], summary["quasi_identifiers"]["k"]) == (1, 5)
