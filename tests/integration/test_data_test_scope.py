"""Data tests on the new load batches (issue 13): which batches a run may skip, and real dbt and GX reading
only the new rows when told to, the whole table otherwise.

A throw-away database with one raw table (the competency assessments) and its staging view: cheap, and enough to
show an old bad row hidden from a daily run and caught by the whole-table run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from pembina import db
from pembina.audit import ensure_audit_schema
from pembina.quality import Suite, critical, scope, validate_warehouse
from pembina.quality.scope import data_test_scope
from pembina.quality.suites import LOAD_TIME_COLUMN, NEW_ROWS, _personal_value_query
from pembina.runtime import dbt_environment
from pembina.settings import get_settings
from pembina.sources import get_entity

pytestmark = [pytest.mark.integration]

DATABASE = os.environ.get("PEMBINA_TEST_DATABASE", "pembina_test") + "_test_scope"
# The assessment method is no contract rule (docs/sources.md): its staging test (severity warn) is kept.
ACCEPTED_VALUES = "accepted_values_stg_assessment__kompetensi_method__Assessment_Center__CAT__Wawancara"
MODEL = "stg_assessment__kompetensi"
WHOLE_TABLE_BUILD = "insert into audit.dbt_builds (invocation_id, command, whole_project) values (%s, 'build', true)"


@pytest.fixture(scope="module")
def url(make_database) -> str:
    url = make_database(DATABASE)
    with db.connect(url, autocommit=True) as conn:
        ensure_audit_schema(conn)
        conn.execute("create schema if not exists raw")
        conn.execute(get_entity("assessment").raw_ddl())
    return url


@pytest.fixture
def conn(url):
    with db.connect(url) as conn:
        conn.execute("truncate audit.publications, audit.gate_runs, audit.dbt_builds, audit.load_batches cascade")
        yield conn
        conn.rollback()


def _batch(conn, started: str, finished: str | None) -> int:
    return conn.execute(
        "insert into audit.load_batches (source, started_at, finished_at, status) "
        "values ('discipline', now() + %s::interval, now() + %s::interval, %s) returning batch_id",
        (started, finished, "succeeded" if finished else "running"),
    ).fetchone()[0]


def _publish(conn, build_started: str, published: str = "0 s", tests_since_batch: int | None = None) -> None:
    build_id = conn.execute(
        "insert into audit.dbt_builds (invocation_id, command, whole_project, started_at, finished_at, status, "
        "tests_since_batch) values (gen_random_uuid()::text, 'build', true, now() + %s::interval, "
        "now() + %s::interval, 'success', %s) returning build_id",
        (build_started, build_started, tests_since_batch),
    ).fetchone()[0]
    conn.execute(
        "insert into audit.publications (schema_name, relations, build_id, published_at) "
        "values ('marts', '{}', %s, now() + %s::interval)",
        (build_id, published),
    )


def test_nothing_published_means_whole_tables(conn):
    _batch(conn, "-2 h", "-1 h")
    assert scope.tested_batch_watermark(conn) is None
    assert data_test_scope(conn).whole_tables


def test_a_daily_run_skips_the_batches_that_had_finished_before_the_published_build_started(conn):
    first = _batch(conn, "-10 h", "-9 h")
    running_at_build = _batch(conn, "-8 h", "-6 h")  # may have committed only some files when dbt read raw
    finished_before = _batch(conn, "-7.5 h", "-7.2 h")  # finished first, but after a batch still running
    _publish(conn, build_started="-7 h")
    _batch(conn, "-1 h", None)
    assert scope.tested_batch_watermark(conn) == first
    daily = data_test_scope(conn)
    assert daily.since_batch == first and daily.dbt_env() == {"PEMBINA_TESTS_SINCE_BATCH": str(first)}
    assert finished_before > running_at_build > first


def test_every_batch_finished_before_the_build_means_only_later_ones_are_new(conn):
    _batch(conn, "-10 h", "-9 h")
    last = _batch(conn, "-8 h", "-7.5 h")
    _publish(conn, build_started="-7 h")
    assert data_test_scope(conn).since_batch == last


def test_whole_tables_weekly_and_on_request(conn):
    _batch(conn, "-10 d", "-10 d")
    _publish(conn, build_started="-9 d", published="-9 d")  # the last whole-table check: 9 days ago
    later = _batch(conn, "-3 d", "-3 d")
    _publish(conn, build_started="-2 d", published="-2 d", tests_since_batch=1)
    assert data_test_scope(conn).whole_tables
    assert data_test_scope(conn, whole_table_every=timedelta(days=10)).since_batch == later
    assert data_test_scope(conn, whole_tables=True, whole_table_every=timedelta(days=10)).whole_tables


def _dbt(url: str, tmp_path: Path, *args: str) -> dict[str, str]:
    """dbt against the throw-away database; each node's status from run_results.json."""
    settings = get_settings()
    paths = {"DBT_TARGET_PATH": str(tmp_path), "DBT_LOG_PATH": str(tmp_path)}
    env = {**os.environ, **dbt_environment(settings), **db.dbt_env(url), **paths}
    dbt = str(Path(sys.executable).with_name("dbt"))
    command = [dbt, *args, "--project-dir", str(settings.dbt_project_dir)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    results = json.loads((tmp_path / "run_results.json").read_text())["results"]
    statuses = {r["unique_id"].split(".")[2]: r["status"] for r in results}
    assert statuses, done.stdout[-3000:]
    return statuses


def test_a_daily_run_does_not_see_an_old_bad_row_and_the_whole_table_run_does(url, tmp_path):
    with db.connect(url) as conn:
        conn.execute("truncate audit.load_batches cascade")
        old, new = (_batch(conn, "-2 d", "-2 d"), _batch(conn, "-1 h", "-1 h"))
        conn.execute("truncate raw.assessment_kompetensi")
        conn.execute(
            "insert into raw.assessment_kompetensi (id_asesmen, nip, tanggal_asesmen, metode, kelompok, kompetensi, "
            "level_standar, level_hasil, _batch_id, _file_id, _row_number) values "
            "('ASM-2024-00001', '198503122010011003', '2024-03-01', 'Tebakan', 'teknis', 'Integritas', '3', '3', "
            "%s, 1, 1), "
            "('ASM-2025-00001', '198503122010011003', '2025-03-01', 'CAT', 'teknis', 'Integritas', '3', '4', %s, 2, 1)",
            (old, new),
        )
    select = ["--select", f"{MODEL} {ACCEPTED_VALUES}", "--indirect-selection", "empty"]
    daily = _dbt(url, tmp_path / "daily", "build", *select, "--vars", json.dumps({"tests_since_batch": old}))
    assert (daily[MODEL], daily[ACCEPTED_VALUES]) == ("success", "pass")
    compiled = {
        result["unique_id"].split(".")[2]: result["compiled_code"]
        for result in json.loads((tmp_path / "daily" / "run_results.json").read_text())["results"]
    }
    # dbt's new_rows_condition macro and its Python twin for the gate's suites write the same condition
    assert f"where {scope.new_rows_condition('batch_id', old)}) dbt_subquery" in compiled[ACCEPTED_VALUES]
    whole = _dbt(url, tmp_path / "whole", "test", "--select", ACCEPTED_VALUES)
    assert whole[ACCEPTED_VALUES] == "warn"  # a warning test: it found the old row

    suite = Suite(
        name="raw_assessment_methods",
        schema="raw",
        table="assessment_kompetensi",
        new_rows_column="_batch_id",
        checks=(critical("expect_column_values_to_be_in_set", column="metode", value_set=["CAT"]),),
    )
    materialized = Suite(
        name="raw_assessment_methods_materialized",
        query=f"select metode from raw.assessment_kompetensi where {NEW_ROWS}",
        materialize=True,
        new_rows_column="_batch_id",
        checks=suite.checks,
    )
    with db.connect(url) as conn:
        conn.execute(
            "insert into audit.dbt_builds (invocation_id, command, whole_project, status, tests_since_batch) "
            "values ('daily', 'build', true, 'success', %s)",
            (old,),
        )
    gate_daily = validate_warehouse(url, suites=[suite, materialized], reports_dir=tmp_path / "reports")
    assert gate_daily.passed and gate_daily.suites[0].target == f"raw.assessment_kompetensi (batches after {old})"
    with db.connect(url) as conn:
        conn.execute("insert into audit.dbt_builds (invocation_id, command, whole_project) values ('w', 'build', true)")
    gate_whole = validate_warehouse(url, suites=[suite, materialized], reports_dir=tmp_path / "reports")
    assert [s.success for s in gate_whole.suites] == [False, False]
    assert gate_whole.suites[0].target == "raw.assessment_kompetensi"


def test_a_daily_gate_carries_over_the_results_of_an_unchanged_table(url, tmp_path):
    """A table suite's results stand while its relation is unchanged (audit.relation_changes) and its checks
    are the same: a daily gate run copies them, naming the run that validated the rows, and does not read
    the table; a change of the relation, of the checks, or a whole-table run validates it again."""
    with db.connect(url) as conn:
        conn.execute("create table if not exists raw.carried (code text)")
        conn.execute("truncate raw.carried")
        conn.execute("insert into raw.carried values ('A')")
        conn.execute("delete from audit.relation_changes where model = 'carried'")
        conn.execute(
            "insert into audit.relation_changes (model, relation_oid, relation_name, changed_at, invocation_id) "
            "values ('carried', 'raw.carried'::regclass::oid, 'raw.carried', now() - interval '1 hour', 'x')"
        )
        conn.execute(
            "insert into audit.dbt_builds (invocation_id, command, whole_project, status, tests_since_batch) "
            "values ('daily-carry', 'build', true, 'success', 1)"
        )
    suite = Suite(
        name="raw_carried",
        schema="raw",
        table="carried",
        checks=(critical("expect_column_values_to_be_in_set", column="code", value_set=["A"]),),
    )

    def gate(*suites: Suite):
        return validate_warehouse(url, suites=suites, reports_dir=tmp_path / "reports").suites[0]

    first = gate(suite)
    assert first.success and first.carried_from is None
    with db.connect(url) as conn:  # a row written behind dbt's back: no change recorded, so not read
        conn.execute("insert into raw.carried values ('B')")
    second = gate(suite)
    assert (second.success, second.carried_from, second.evaluated) == (True, first.validation_run_id, 1)
    assert [r.expectation for r in second.results] == ["expect_column_values_to_be_in_set"]
    assert gate(suite).carried_from == first.validation_run_id  # a carried result names the run that read the rows

    other_checks = Suite(
        name="raw_carried",
        schema="raw",
        table="carried",
        checks=(critical("expect_column_values_to_be_in_set", column="code", value_set=["A", "C"]),),
    )
    validated_again = gate(other_checks)  # other checks: they read the table, and find B
    assert (validated_again.success, validated_again.carried_from) == (False, None)
    assert gate(other_checks).carried_from == validated_again.validation_run_id  # a failure is carried over too
    with db.connect(url) as conn:
        conn.execute("update audit.relation_changes set changed_at = now() where model = 'carried'")
    changed = gate(suite)
    assert (changed.success, changed.carried_from) == (False, None)
    with db.connect(url) as conn:
        conn.execute(WHOLE_TABLE_BUILD, ("w2",))
        conn.execute("update audit.relation_changes set changed_at = now() - interval '1 day' where model = 'carried'")
    whole = gate(suite)
    assert (whole.success, whole.carried_from) == (False, None)


def test_a_daily_personal_value_scan_reads_only_the_relations_changed_since_it_passed(url, tmp_path):
    """The scan of every text value for NIP- or NIK-like numbers leaves out, in daily runs, the relations
    unchanged (audit.relation_changes) since a gate run in which it passed; a changed relation and the
    whole-table run are read."""
    with db.connect(url) as conn:
        conn.execute("drop schema if exists scan_scope cascade")
        conn.execute("create schema scan_scope")
        conn.execute("create table scan_scope.kept (note text)")
        conn.execute("create table scan_scope.changed (note text)")
        conn.execute("insert into scan_scope.kept values ('no number'); insert into scan_scope.changed values ('x')")
        conn.execute("delete from audit.relation_changes where model in ('kept', 'changed')")
        conn.execute(
            "insert into audit.relation_changes (model, relation_oid, relation_name, changed_at, invocation_id) "
            "select relname, oid, relname, now() - interval '1 hour', 'x' from pg_class "
            "where relnamespace = 'scan_scope'::regnamespace"
        )
        conn.execute(
            "insert into audit.dbt_builds (invocation_id, command, whole_project, status, tests_since_batch) "
            "values ('daily-scan', 'build', true, 'success', 1)"
        )
    scan = Suite(
        name="scan_scope_personal_values",
        query=_personal_value_query(("scan_scope",)),
        materialize=True,
        skips_unchanged=True,
        checks=(
            critical("expect_column_values_to_be_null", column="column_with_personal_numbers"),
            critical("expect_table_row_count_to_be_between", min_value=1),
        ),
    )

    def gate():
        return validate_warehouse(url, suites=[scan], reports_dir=tmp_path / "reports").suites[0]

    assert gate().success  # nothing passed before: both relations read
    with db.connect(url) as conn:  # numbers written behind dbt's back: no change recorded, not read
        conn.execute("update scan_scope.kept set note = '3201010101010001'")
        conn.execute("update scan_scope.changed set note = '3201010101010002'")
    unchanged = gate()
    assert unchanged.success and unchanged.target.endswith("last passed)")
    with db.connect(url) as conn:
        conn.execute("update audit.relation_changes set changed_at = now() where model = 'changed'")
    changed = gate()
    assert not changed.success
    assert [r.observed["result"]["partial_unexpected_list"] for r in changed.results if not r.success] == [
        ["scan_scope.changed.note: 1 row"]
    ]
    with db.connect(url) as conn:
        conn.execute(WHOLE_TABLE_BUILD, ("w3",))
    whole = gate()
    failed = [r.observed["result"]["partial_unexpected_list"] for r in whole.results if not r.success]
    assert failed == [["scan_scope.changed.note: 1 row", "scan_scope.kept.note: 1 row"]]


def test_a_daily_personal_value_scan_of_a_fact_reads_its_new_rows(url, tmp_path):
    """In a relation with a load-time column (the incremental facts), the daily scan reads the rows of the new
    load batches only: the rows a daily run rewrites are computed again from inputs already scanned. The
    whole-table run reads every row."""
    with db.connect(url) as conn:
        conn.execute("truncate audit.load_batches cascade")
        new_batch = _batch(conn, "-1 h", "-50 min")
        conn.execute("drop schema if exists fact_scope cascade")
        conn.execute("create schema fact_scope")
        conn.execute("create table fact_scope.fct_reports (note text, loaded_at timestamptz)")
        conn.execute(
            "insert into fact_scope.fct_reports values "
            "('3201010101010001', now() - interval '2 days'), ('3201010101010002', now() - interval '55 min'), "
            "('no number', now() - interval '55 min')"
        )
        conn.execute(
            "insert into audit.dbt_builds (invocation_id, command, whole_project, status, tests_since_batch) "
            "values ('daily-fact-scan', 'build', true, 'success', %s)",
            (new_batch - 1,),
        )
    scan = Suite(
        name="fact_scope_personal_values",
        query=_personal_value_query(("fact_scope",)),
        materialize=True,
        new_rows_column=LOAD_TIME_COLUMN,
        checks=(critical("expect_column_values_to_be_null", column="column_with_personal_numbers"),),
    )

    def flagged() -> list[list[str]]:
        outcome = validate_warehouse(url, suites=[scan], reports_dir=tmp_path / "reports").suites[0]
        return [r.observed["result"]["partial_unexpected_list"] for r in outcome.results if not r.success]

    assert flagged() == [["fact_scope.fct_reports.note: 1 row"]]  # the new row; the old one is not read
    with db.connect(url) as conn:
        conn.execute(WHOLE_TABLE_BUILD, ("whole-fact-scan",))
    assert flagged() == [["fact_scope.fct_reports.note: 2 rows"]]
