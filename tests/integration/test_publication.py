"""Write-audit-publish: the BI login reads the last validated marts, always (issue 11, section 1).

One warehouse of its own for the module, from the hand-worked landing files (tests/fixtures/hand_worked) with
the 2025 SKP file held back: real ingest, real `dbt build`, the real quality gate and publication. The tests
then break the promise on purpose, in order, each starting from the state the one before left:

1. the BI login's limits (it connects as itself, through the server's socket);
2. an incremental fact's new rows stay invisible to BI until a gate passes and publication runs, and the next
   build catches the build schema (now the previous version) up;
3. `kill -9` of the gate mid-run, 4. a gate that fails on a duplicate key, 5. `kill -9` of dbt mid-build:
   each leaves BI reading the previous publication, whole, and publication refused.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from catalog_helpers import unique_indexes_taking_empty_values_as_equal
from psycopg import errors
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from pembina import db
from pembina.bi.dashboards import load_dashboards
from pembina.ingest import loader
from pembina.ingest.pipeline import ingest_source
from pembina.orchestration.quality_tasks import run_gate
from pembina.publish import Publication, PublicationRefused, latest_gate_run_id, latest_publication, publish_marts
from pembina.quality import QualityGateFailed
from pembina.runtime import dbt_environment
from pembina.settings import MARTS_BUILD_SCHEMA, MARTS_SCHEMA, get_settings

pytestmark = [pytest.mark.integration]

FIXTURE_LANDING = Path(__file__).resolve().parents[1] / "fixtures" / "hand_worked" / "landing"
FAMILIES = ("siasn", "ekinerja", "assessment", "discipline", "training", "university")
HELD_BACK = Path("ekinerja") / "skp_2025.json"
DATABASE = os.environ.get("PEMBINA_TEST_DATABASE", "pembina_test") + "_publication"
FACT = "fct_performance_appraisal"


@dataclass
class Warehouse:
    url: str
    airflow_database: str
    landing: Path
    work: Path
    first: Publication


def dbt_build(work: Path) -> subprocess.Popen:
    """The whole project as the warehouse DAG builds it (unit tests are CI's), in a session of its own."""
    settings = get_settings()
    with (work / "dbt_build.log").open("w") as log:
        return subprocess.Popen(
            [
                str(Path(sys.executable).with_name("dbt")),
                "build",
                "--project-dir",
                str(settings.dbt_project_dir),
                "--exclude",
                "resource_type:unit_test",
                "path:models/intermediate/rules",
            ],
            env={
                **os.environ,
                **dbt_environment(settings),
                "DBT_TARGET_PATH": str(work / "target"),
                "DBT_LOG_PATH": str(work / "logs"),
            },
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def build(work: Path) -> None:
    assert dbt_build(work).wait() == 0, (work / "dbt_build.log").read_text()[-6000:]


def gate(run_id: str) -> int:
    summary = run_gate(run_id)
    return summary["gate_run_id"]


def bi_url(url: str, database: str | None = None) -> str:
    params = conninfo_to_dict(url)
    params.pop("password", None)
    params["user"] = db.BI_ROLE
    if database:
        params["dbname"] = database
    return make_conninfo(**params)


def as_bi(url: str) -> psycopg.Connection:
    return psycopg.connect(bi_url(url), autocommit=True)


def scalar(url: str, statement: str):
    with db.connect(url) as conn:
        return conn.execute(statement).fetchone()[0]


def loaded_employees(url: str) -> int:
    """The employees of the hand-worked workforce whose SIASN rows loaded (its implausible NIPs are quarantined)."""
    return scalar(url, "select count(distinct employee_nip) from staging.stg_siasn__pegawai")


def bi_snapshot(url: str, publication: Publication) -> dict[str, int]:
    """Rows of every published relation, as the BI login reads them (it fails if one is unreadable)."""
    with as_bi(url) as conn:
        return {
            name: conn.execute(f'select count(*) from {MARTS_SCHEMA}."{name}"').fetchone()[0]
            for name in publication.relations
        }


def kill_when(process: subprocess.Popen, url: str, condition: str, timeout: float = 120) -> None:
    """``kill -9`` of the process (and its children) as soon as ``condition`` holds in the warehouse."""
    deadline = time.monotonic() + timeout
    try:
        while not scalar(url, condition):
            assert process.poll() is None, "the process ended before it could be killed mid-run"
            assert time.monotonic() < deadline, f"timed out waiting for: {condition}"
            time.sleep(0.1)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="module")
def warehouse(make_database, tmp_path_factory) -> Iterator[Warehouse]:
    url = make_database(DATABASE)
    airflow_database = DATABASE + "_airflow"
    make_database(airflow_database)
    db.restrict_bi_role(url, airflow_database)
    db.ensure_access_roles(url)  # before anything is built: dbt's tables get the roles' grants as they are created
    work = tmp_path_factory.mktemp("publication")
    landing = work / "landing"
    shutil.copytree(FIXTURE_LANDING, landing)
    (landing / HELD_BACK).rename(work / HELD_BACK.name)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PEMBINA_WAREHOUSE_URL", url)
        patch.setenv("PEMBINA_LANDING_DIR", str(landing))
        patch.setenv("PEMBINA_REPORTS_DIR", str(work / "reports"))
        with db.connect(url) as conn:
            loader.ensure_raw_tables(conn)
        for family in FAMILIES:
            ingest_source(family)
        build(work)
        first = publish_marts(gate("first"), url, airflow_run_id="first")
        yield Warehouse(url, airflow_database, landing, work, first)


def test_the_first_publication_is_the_build_every_mart_of_which_bi_reads(warehouse):
    manifest = json.loads((warehouse.work / "target" / "manifest.json").read_text())
    marts = {n["name"] for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["fqn"][1] == "marts"}
    assert {n["schema"] for n in manifest["nodes"].values() if n["name"] in marts} == {MARTS_BUILD_SCHEMA}
    # The BI role's reach is declared once, by publication: no dbt grants.
    assert not [n["unique_id"] for n in manifest["nodes"].values() if n.get("config", {}).get("grants")]
    assert set(warehouse.first.relations) == marts
    rows = bi_snapshot(warehouse.url, warehouse.first)
    assert rows["dim_employee"] == loaded_employees(warehouse.url) and rows[FACT] > 0
    # the first publication renamed the build schema: the next build creates it again
    assert not scalar(warehouse.url, f"select exists (select from pg_namespace where nspname = '{MARTS_BUILD_SCHEMA}')")
    with db.connect(warehouse.url) as conn:
        build_row = conn.execute(
            "select status, whole_project from audit.dbt_builds where build_id = %s", (warehouse.first.build_id,)
        ).fetchone()
    assert build_row == ("success", True)
    with pytest.raises(PublicationRefused, match=r"already published \(publication 1\)"):
        publish_marts(warehouse.first.gate_run_id, warehouse.url)


def test_the_bi_login_reads_published_marts_and_nothing_else(warehouse):
    with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
        psycopg.connect(bi_url(warehouse.url, warehouse.airflow_database)).close()
    with as_bi(warehouse.url) as conn:
        for relation in ("raw.siasn_pegawai", "staging.stg_siasn__pegawai", "audit.publications"):
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(f"select count(*) from {relation}")
        identity = conn.execute(
            "select table_schema || '.' || table_name from information_schema.tables where table_schema = 'identity'"
        ).fetchall()
        assert identity == []  # not even visible to it
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("select count(*) from identity.employee_identity")
        for schema in (MARTS_SCHEMA, "public", "raw", "staging"):
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(f"create table {schema}.bi_owned (x integer)")
        with pytest.raises(errors.InsufficientPrivilege, match="temporary"):
            conn.execute("create temporary table bi_scratch (x integer)")
        bi_count = conn.execute(f"select count(*) from {MARTS_SCHEMA}.dim_employee").fetchone()[0]
    assert bi_count == loaded_employees(warehouse.url)


def _relations_in_plan(plan) -> set[tuple[str, str]]:
    if isinstance(plan, list):
        return {relation for item in plan for relation in _relations_in_plan(item)}
    if not isinstance(plan, dict):
        return set()
    found = {(plan["Schema"], plan["Relation Name"])} if "Relation Name" in plan else set()
    return found | {relation for value in plan.values() for relation in _relations_in_plan(value)}


def test_every_dashboard_card_runs_as_the_bi_login_and_reads_marts_only(warehouse):
    """The SQL of deploy/metabase/dashboards/, as Metabase will send it on the pembina_bi connection."""
    cards = [(dashboard.name, card) for dashboard in load_dashboards() for card in dashboard.cards]
    assert len(cards) >= 7
    with as_bi(warehouse.url) as conn:
        for dashboard, card in cards:
            conn.execute(card.sql).fetchall()  # a missing column or an unreadable relation raises here
            plan = conn.execute(f"explain (verbose, format json) {card.sql}").fetchone()[0]
            relations = _relations_in_plan(plan)
            assert relations and {schema for schema, _ in relations} == {MARTS_SCHEMA}, (dashboard, card.name)


def _primary_keys(manifest: dict) -> dict[str, list[str]]:
    """The primary key's columns of each model whose contract declares one (on a column, or on the model)."""
    keys = {}
    for unique_id, node in manifest["nodes"].items():
        if node["resource_type"] == "model":
            columns = [
                column["name"]
                for column in node["columns"].values()
                for constraint in column["constraints"]
                if constraint["type"] == "primary_key"
            ]
            columns += [c for k in node["constraints"] if k["type"] == "primary_key" for c in k["columns"]]
            if columns:
                keys[unique_id] = columns
    return keys


def test_the_primary_keys_bi_sees_are_the_contracts_named_after_their_tables(warehouse):
    """The project's create_table_as adds each contract's primary key after the rows (dbt puts it in the create
    statement), on a table `<model>__dbt_tmp` for table models; the on-run-end hook name_primary_keys renames
    them `<model>_pkey`."""
    manifest = json.loads((warehouse.work / "target" / "manifest.json").read_text())
    declared = {}
    for unique_id, columns in _primary_keys(manifest).items():
        node = manifest["nodes"][unique_id]
        if node["schema"] in (MARTS_BUILD_SCHEMA, "identity"):
            declared[node["alias"]] = (f"{node['alias']}_pkey", f"PRIMARY KEY ({', '.join(columns)})")
    with db.connect(warehouse.url) as conn:
        keys = conn.execute(
            """select relation.relname, pk.conname, pg_get_constraintdef(pk.oid) from pg_constraint as pk
                 join pg_class as relation on pk.conrelid = relation.oid
                 join pg_namespace as namespace on relation.relnamespace = namespace.oid
                where pk.contype = 'p' and namespace.nspname in (%s, 'identity')""",
            (MARTS_SCHEMA,),
        ).fetchall()
    assert len(declared) >= 20
    assert {table: (name, definition) for table, name, definition in keys} == declared


def test_each_contracted_table_has_its_contracts_types_and_constraints(warehouse):
    """The project's create_table_as writes a contracted model with `create table as`, each column cast to its
    contract type, and adds the constraints after the rows: the tables have the declared types (a numeric(5,2)
    included), not null where declared, the check constraints (the accepted values of coded columns, named
    `<table>_<column>_check`: a value outside them is refused) and the unique constraints."""
    manifest = json.loads((warehouse.work / "target" / "manifest.json").read_text())
    spelled = {"timestamptz": "timestamp with time zone"}
    keys = _primary_keys(manifest)
    declared, actual, declared_checks, actual_checks = {}, {}, {}, {}
    with db.connect(warehouse.url) as conn:
        for unique_id, node in manifest["nodes"].items():
            if node["resource_type"] != "model" or not node["config"]["contract"]["enforced"]:
                continue
            schema = MARTS_SCHEMA if node["schema"] == MARTS_BUILD_SCHEMA else node["schema"]
            relation = f"{schema}.{node['alias']}"
            for name, column in node["columns"].items():
                not_null = any(constraint["type"] == "not_null" for constraint in column["constraints"])
                declared[relation, name] = (
                    spelled.get(column["data_type"], column["data_type"].replace(", ", ",")),
                    not_null or name in keys.get(unique_id, []),
                )
            for name, data_type, not_null in conn.execute(
                """select attname, format_type(atttypid, atttypmod), attnotnull from pg_attribute
                    where attrelid = %s::regclass and attnum > 0 and not attisdropped""",
                (relation,),
            ):
                actual[relation, name] = (data_type, not_null)
            declared_checks[relation] = sorted(
                f"{node['alias']}_{name}_check"
                for name, column in node["columns"].items()
                for constraint in column["constraints"]
                if constraint["type"] == "check"
            )
            actual_checks[relation] = sorted(
                name
                for (name,) in conn.execute(
                    "select conname from pg_constraint where conrelid = %s::regclass and contype = 'c'", (relation,)
                )
            )
        with pytest.raises(errors.CheckViolation, match="fct_performance_appraisal_predikat_check"):
            conn.execute(f"update {MARTS_SCHEMA}.fct_performance_appraisal set predikat = 'Bagus'")
        conn.rollback()
        uniques = conn.execute(
            "select pg_get_constraintdef(oid) from pg_constraint"
            " where conrelid = 'identity.employee_identity'::regclass and contype = 'u'"
        ).fetchall()
    assert len(declared) >= 300
    assert actual == declared
    assert ("numeric(5,2)", False) in declared.values()
    assert actual_checks == declared_checks
    assert declared_checks[f"{MARTS_SCHEMA}.fct_training_participation"] == [
        "fct_training_participation_completion_status_check",
        "fct_training_participation_duration_unit_check",
    ]
    assert sum(map(len, declared_checks.values())) >= 25
    assert uniques == [("UNIQUE (nip)",)]


def test_each_unique_index_a_model_declares_refuses_a_second_row_with_its_key(warehouse):
    """A model whose key a unique index enforces has no uniqueness test (the employee-year models, the
    participants of the training effectiveness mart, the staging tables): each built table has the index, empty
    values taken as equal (macros/create_index.sql), and refuses a copy of one of its rows."""
    manifest = json.loads((warehouse.work / "target" / "manifest.json").read_text())
    declared = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model":
            continue
        for index in node["config"].get("indexes") or []:
            if index.get("unique"):
                schema = MARTS_SCHEMA if node["schema"] == MARTS_BUILD_SCHEMA else node["schema"]
                declared[f"{schema}.{node['alias']}"] = index["columns"]
    refused = set()
    with db.connect(warehouse.url) as conn:
        for relation, columns in declared.items():
            indexes = unique_indexes_taking_empty_values_as_equal(conn, relation)
            assert columns in indexes, (relation, indexes)
            if conn.execute(f"select exists (select from {relation})").fetchone()[0]:
                with pytest.raises(errors.UniqueViolation):
                    conn.execute(f"insert into {relation} select * from {relation} limit 1")
                conn.rollback()
                refused.add(relation.split(".")[1])
    assert {"int_employee_years", "int_employee_year_sanctions", "int_training_completion_outcomes"} <= refused


def test_each_primary_key_has_a_data_test_that_fails_once_the_database_no_longer_enforces_it(warehouse):
    """Every contracted primary key has its primary_key_is_enforced test, on the key's columns in order. On the
    published build (the build schema renamed) the fact's test finds its key; with the key dropped, the test's
    query names the key's column."""
    manifest = json.loads((warehouse.work / "target" / "manifest.json").read_text())
    declared = _primary_keys(manifest)
    key_tests = {
        node["attached_node"]: node
        for node in manifest["nodes"].values()
        if node.get("test_metadata", {}).get("name") == "primary_key_is_enforced"
    }
    assert len(declared) >= 20
    assert {model: test["test_metadata"]["kwargs"]["columns"] for model, test in key_tests.items()} == declared

    compiled = key_tests["model.pembina.fct_training_participation"]["compiled_code"]
    assert f"'{MARTS_BUILD_SCHEMA}'" in compiled
    published = compiled.replace(f"'{MARTS_BUILD_SCHEMA}'", f"'{MARTS_SCHEMA}'")
    with db.connect(warehouse.url) as conn:
        assert conn.execute(published).fetchall() == []
        conn.execute(
            f"alter table {MARTS_SCHEMA}.fct_training_participation drop constraint fct_training_participation_pkey"
        )
        failures = conn.execute(published).fetchall()
        conn.rollback()
    assert failures == [("participation_key", 1, None)]


def test_the_training_staging_tables_one_not_null_test_names_each_rows_empty_columns(warehouse):
    """The training staging table's required columns are tested in one scan (generic test not_null_columns); a row
    with two of them emptied fails it once, naming both."""
    manifest = json.loads((warehouse.work / "target" / "manifest.json").read_text())
    (test,) = (
        node
        for node in manifest["nodes"].values()
        if node.get("test_metadata", {}).get("name") == "not_null_columns"
        and node["attached_node"] == "model.pembina.stg_training__participation"
    )
    assert test["test_metadata"]["kwargs"]["column_names"] == [
        "program_name",
        "program_type",
        "duration_unit",
        "completion_status",
    ]
    with db.connect(warehouse.url) as conn:
        assert conn.execute(test["compiled_code"]).fetchall() == []
        emptied = conn.execute(
            "update staging.stg_training__participation set program_type = null, completion_status = null "
            "where ctid = (select min(ctid) from staging.stg_training__participation)"
        ).rowcount
        failures = conn.execute(test["compiled_code"]).fetchall()
        conn.rollback()
    assert emptied == 1
    assert failures == [("program_type, completion_status",)]


def test_new_rows_of_an_incremental_fact_stay_invisible_to_bi_until_the_gate_passes(warehouse):
    url = warehouse.url
    published_rows = bi_snapshot(url, warehouse.first)[FACT]
    shutil.copy(warehouse.work / HELD_BACK.name, warehouse.landing / HELD_BACK)
    assert "loaded" in {result.status for result in ingest_source("ekinerja")}
    build(warehouse.work)
    built_rows = scalar(url, f"select count(*) from {MARTS_BUILD_SCHEMA}.{FACT}")
    assert built_rows > published_rows
    assert bi_snapshot(url, warehouse.first)[FACT] == published_rows
    with as_bi(url) as conn, pytest.raises(errors.InsufficientPrivilege):
        conn.execute(f"select count(*) from {MARTS_BUILD_SCHEMA}.{FACT}")
    # the first gate run saw the first build, not this one
    with pytest.raises(PublicationRefused, match="did not validate build"):
        publish_marts(warehouse.first.gate_run_id, url)
    second = publish_marts(gate("second"), url, airflow_run_id="second")
    assert second.publication_id == 2
    assert bi_snapshot(url, second)[FACT] == built_rows

    # The build schema now holds the first publication; the next build catches its incremental facts up.
    build(warehouse.work)
    for fact in (FACT, "fct_training_participation"):
        differences = scalar(
            url,
            f"""select count(*) from (
                  (select * from {MARTS_BUILD_SCHEMA}.{fact} except all select * from {MARTS_SCHEMA}.{fact})
                  union all
                  (select * from {MARTS_SCHEMA}.{fact} except all select * from {MARTS_BUILD_SCHEMA}.{fact})
                ) as d""",
        )
        assert differences == 0, fact


def test_a_gate_killed_mid_run_leaves_bi_on_the_previous_publication(warehouse):
    """The build above succeeded and no gate has passed on it: a gate killed half-way records nothing."""
    url = warehouse.url
    second = _latest(url)
    before = bi_snapshot(url, second)
    gates_before = scalar(url, "select count(*) from audit.gate_runs")
    # A lock on a mart holds the gate at its first query of it, so the kill lands mid-run however fast it is.
    with db.connect(url) as holder:
        holder.execute(f"lock table {MARTS_BUILD_SCHEMA}.dim_employee in access exclusive mode")
        gate = "from pembina.quality import validate_warehouse; validate_warehouse(run_id='killed')"
        process = subprocess.Popen(
            [sys.executable, "-c", gate],
            env={**os.environ, "PGAPPNAME": "pembina_gate_under_test"},
            start_new_session=True,
        )
        kill_when(
            process,
            url,
            "select exists (select from pg_stat_activity where application_name = 'pembina_gate_under_test'"
            " and wait_event_type = 'Lock')",
        )
        holder.rollback()
    assert scalar(url, "select count(*) from audit.gate_runs") == gates_before
    with pytest.raises(PublicationRefused, match=r"did not validate build .* BI still reads publication 2 "):
        publish_marts(latest_gate_run_id(url), url)
    assert bi_snapshot(url, second) == before


def test_a_failed_gate_names_its_check_and_leaves_bi_on_the_previous_publication(warehouse):
    url = warehouse.url
    second = _latest(url)
    before = bi_snapshot(url, second)
    with db.connect(url) as conn:
        conn.execute(
            f"insert into {MARTS_BUILD_SCHEMA}.dim_organization select * from {MARTS_BUILD_SCHEMA}.dim_organization"
            " limit 1"
        )
    with pytest.raises(QualityGateFailed) as failure:
        run_gate("duplicate")
    message = str(failure.value)
    assert "marts_dim_organization (marts_build.dim_organization): expect_compound_columns_to_be_unique" in message
    assert "BI still reads publication 2 (build" in message
    check = "marts_dim_organization: expect_compound_columns_to_be_unique on opd_code,valid_from"
    with pytest.raises(
        PublicationRefused, match=rf"failed its critical checks: {check}\. BI still reads publication 2"
    ):
        publish_marts(latest_gate_run_id(url), url)
    assert bi_snapshot(url, second) == before
    with as_bi(url) as conn:
        duplicates = conn.execute(
            f"select count(*) - count(distinct (opd_code, valid_from)) from {MARTS_SCHEMA}.dim_organization"
        ).fetchone()[0]
    assert duplicates == 0


def test_dbt_killed_mid_build_leaves_bi_on_the_previous_publication(warehouse):
    url = warehouse.url
    second = _latest(url)
    before = bi_snapshot(url, second)
    builds_before = scalar(url, "select max(build_id) from audit.dbt_builds")
    # Killed once dbt writes a mart of the build schema: a lock on an incremental fact, which every build writes,
    # holds dbt there, so the kill lands mid-build however fast the rest is (most tables are left unchanged).
    with db.connect(url) as holder:
        holder.execute(f"lock table {MARTS_BUILD_SCHEMA}.{FACT} in access exclusive mode")
        process = dbt_build(warehouse.work)
        kill_when(
            process,
            url,
            f"select exists (select from audit.dbt_builds where build_id > {builds_before})"
            " and exists (select from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()"
            f" and query like '%{MARTS_BUILD_SCHEMA}%')",
        )
        holder.rollback()
    with db.connect(url) as conn:
        status = conn.execute("select status from audit.dbt_builds order by build_id desc limit 1").fetchone()[0]
    assert status == "running"
    with pytest.raises(PublicationRefused, match=r"is running or was killed: it never finished\. BI still reads"):
        publish_marts(latest_gate_run_id(url), url)
    assert bi_snapshot(url, second) == before


def _latest(url: str) -> Publication:
    with db.connect(url) as conn:
        publication = latest_publication(conn)
    assert publication is not None
    return publication


# What each group role may and may not do, tried by a login that is a member of it (README, "Roles").
ROLE_REACH = {
    "pembina_loader": {
        "select count(*) from raw.siasn_pegawai": True,
        "update raw.siasn_pegawai set nama = nama where false": True,
        "insert into audit.load_batches (source) values ('reach test')": True,
        "select count(*) from staging.stg_siasn__pegawai": False,
        "select count(*) from reference.ref_code_synonym": False,
        f"select count(*) from {MARTS_SCHEMA}.dim_employee": False,
        "select count(*) from identity.employee_identity": False,
        "create table raw.loader_owned (x integer)": False,
    },
    "pembina_transformer": {
        "select count(*) from raw.siasn_pegawai": True,
        "select count(*) from reference.ref_code_synonym": True,
        "select count(*) from staging.stg_siasn__pegawai": True,
        "create table staging.t (x integer); create table intermediate.t (x integer)": True,
        "create table snapshots.t (x integer); create table identity.t (x integer)": True,
        f"create schema if not exists {MARTS_BUILD_SCHEMA}; create table {MARTS_BUILD_SCHEMA}.t (x integer)": True,
        "insert into audit.dbt_builds (invocation_id, command, whole_project) values ('reach', 'build', false)": True,
        "insert into raw.quarantine (file_id) values (0)": False,
        "select count(*) from audit.load_batches": False,
        f"select count(*) from {MARTS_SCHEMA}.dim_employee": False,
        f"create table {MARTS_SCHEMA}.t (x integer)": False,
    },
    "pembina_hr_analyst": {
        f"select count(*) from {MARTS_SCHEMA}.dim_employee": True,
        "select count(*) from identity.employee_identity": True,
        "select count(*) from raw.siasn_pegawai": False,
        "select count(*) from staging.stg_siasn__pegawai": False,
        "select count(*) from audit.publications": False,
        "update identity.employee_identity set nip = nip where false": False,
        f"create table {MARTS_SCHEMA}.t (x integer)": False,
    },
    "pembina_auditor": {
        "select count(*) from audit.publications": True,
        "select count(*) from audit.ingested_files": True,
        "select count(*) from audit.alerts": True,
        "update audit.publications set schema_name = schema_name where false": False,
        "select count(*) from raw.siasn_pegawai": False,
        f"select count(*) from {MARTS_SCHEMA}.dim_employee": False,
        "select count(*) from identity.employee_identity": False,
    },
}


@pytest.mark.parametrize("role", db.ACCESS_ROLES)
def test_each_group_role_reaches_what_its_job_needs_and_nothing_more(warehouse, role):
    login = f"{role}_reach_test"
    with db.connect(warehouse.url, autocommit=True) as conn:
        conn.execute(f"drop role if exists {login}")
        conn.execute(f"create role {login} login in role {role}")
    params = {**conninfo_to_dict(bi_url(warehouse.url)), "user": login}
    try:
        reached = {}
        with psycopg.connect(make_conninfo(**params)) as conn:
            for statement in ROLE_REACH[role]:
                try:
                    conn.execute(statement)
                    reached[statement] = True
                except errors.InsufficientPrivilege:
                    reached[statement] = False
                conn.rollback()  # nothing a role may do is kept
        assert reached == ROLE_REACH[role]
    finally:
        with db.connect(warehouse.url, autocommit=True) as conn:
            conn.execute(f"drop role {login}")
