"""Every DAG imports cleanly, quickly and without touching a database at parse time."""

import os
from pathlib import Path

import psycopg
import psycopg2
import pytest

from pembina.settings import get_settings

DAGS_FOLDER = Path(__file__).resolve().parents[2] / "dags"
EXPECTED_DAGS = {
    "pembina_ingest_siasn",
    "pembina_ingest_ekinerja",
    "pembina_ingest_assessment",
    "pembina_ingest_discipline",
    "pembina_ingest_training",
    "pembina_ingest_university",
    "pembina_ingest_forum",
    "pembina_ingest_inovasi",
    "pembina_ingest_skm",
    "pembina_ingest_lapor",
    "pembina_warehouse",
}
FAMILY_DAGS = {
    "pembina_ingest_siasn": ("siasn",),
    "pembina_ingest_ekinerja": ("ekinerja", "ekinerja_organisation"),
    "pembina_ingest_assessment": ("assessment",),
    "pembina_ingest_discipline": ("discipline",),
    "pembina_ingest_training": ("training_bpsdm_papua_barat", "training_elearning_asn", "training_lan_ri"),
    "pembina_ingest_university": ("university_stih_manokwari", "university_umpb", "university_unipa"),
    "pembina_ingest_forum": ("forum", "forum_masukan"),
    "pembina_ingest_inovasi": ("inovasi", "inovasi_xlsx"),
    "pembina_ingest_skm": ("skm",),
    "pembina_ingest_lapor": ("lapor_api", "lapor_csv"),
}


class DatabaseCalledAtParse(AssertionError):
    pass


def _refuse(*_args, **_kwargs):
    raise DatabaseCalledAtParse("a DAG file opened a database connection while being parsed")


@pytest.fixture(scope="module")
def dagbag():
    assert get_settings().dbt_manifest.exists(), "run `pembina prepare` first: the dbt manifest is missing"
    from airflow.dag_processing.dagbag import DagBag

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(psycopg, "connect", _refuse)
        patch.setattr(psycopg2, "connect", _refuse)
        return DagBag(dag_folder=str(DAGS_FOLDER))


def test_every_dag_file_imports_without_errors(dagbag):
    assert dagbag.import_errors == {}


def test_the_expected_dags_are_there(dagbag):
    assert set(dagbag.dag_ids) >= EXPECTED_DAGS


def test_every_dag_is_tagged_and_does_not_catch_up(dagbag):
    for dag in dagbag.dags.values():
        assert "pembina" in dag.tags, dag.dag_id
        assert dag.catchup is False, dag.dag_id


@pytest.mark.parametrize(("dag_id", "sources"), sorted(FAMILY_DAGS.items()))
def test_family_dags_load_each_source_with_retries_and_emit_its_raw_asset(dagbag, dag_id, sources):
    from pembina.orchestration.assets import RAW_ASSETS, raw_asset

    dag = dagbag.dags[dag_id]
    for source in sources:
        assert dag.get_task(f"{source}.load_file").retries == 3
        outlets = dag.get_task(f"{source}.announce_new_data").outlets
        assert [asset.uri for asset in outlets] == [raw_asset(source).uri]
        assert raw_asset(source) in RAW_ASSETS.values()


def test_the_warehouse_waits_for_every_raw_table(dagbag):
    from pembina.orchestration.assets import RAW_ASSETS

    schedule = dagbag.dags["pembina_warehouse"].timetable.asset_condition
    assert {asset.uri for asset in schedule.objects} == {asset.uri for asset in RAW_ASSETS.values()}


MARTS = {
    "dim_employee", "dim_training_program", "fct_training_participation", "fct_performance_appraisal",
    "mart_jp_compliance", "mart_competency_gap", "mart_ip_asn", "mart_performance_distribution",
    "mart_training_effectiveness", "mart_university_collaboration", "mart_development_priorities",
    "mart_workforce_monthly", "mart_retirement_forecast", "mart_public_satisfaction",
}  # fmt: skip


def test_warehouse_shows_each_dbt_model_as_a_task_with_its_tests_after_it(dagbag):
    from cosmos.constants import PRODUCER_WATCHER_TASK_ID

    dag = dagbag.dags["pembina_warehouse"]
    producer = dag.get_task(f"dbt.{PRODUCER_WATCHER_TASK_ID}")
    for model in MARTS | {"stg_siasn__pegawai"}:
        run, tests = dag.get_task(f"dbt.{model}.run"), dag.get_task(f"dbt.{model}.test")
        assert tests.task_id in run.downstream_task_ids
        assert producer.task_id in run.get_flat_relative_ids(upstream=True)


def test_the_single_dbt_build_waits_for_the_seeds_and_runs_no_unit_test(dagbag):
    from cosmos.constants import PRODUCER_WATCHER_TASK_ID

    dag = dagbag.dags["pembina_warehouse"]
    producer = dag.get_task(f"dbt.{PRODUCER_WATCHER_TASK_ID}")
    assert producer.upstream_task_ids == {"reference_seeds"}
    assert "resource_type:unit_test" in producer.exclude


def test_the_build_runs_dbt_with_the_critical_path_order(dagbag):
    from cosmos.constants import PRODUCER_WATCHER_TASK_ID

    from pembina.runtime import DBT_EXECUTABLE

    producer = dagbag.dags["pembina_warehouse"].get_task(f"dbt.{PRODUCER_WATCHER_TASK_ID}")
    assert producer.dbt_executable_path == DBT_EXECUTABLE
    assert os.access(DBT_EXECUTABLE, os.X_OK)  # the console script of pyproject.toml, installed by `make venv`


def test_no_sensor_can_start_before_the_build_it_reports(dagbag):
    """`airflow dags test` runs one task at a time: a sensor scheduled ahead of the producer would wait
    for it forever."""
    from cosmos.constants import PRODUCER_WATCHER_TASK_ID

    dag = dagbag.dags["pembina_warehouse"]
    producer_id = f"dbt.{PRODUCER_WATCHER_TASK_ID}"
    sensors = [
        task for task in dag.tasks if task.task_id.startswith("dbt.") and task.task_id.endswith((".run", ".test"))
    ]
    assert sensors
    for sensor in sensors:
        assert producer_id in sensor.get_flat_relative_ids(upstream=True), sensor.task_id


def test_rule_unit_test_hosts_are_left_to_ci(dagbag):
    dag = dagbag.dags["pembina_warehouse"]
    assert not [task_id for task_id in dag.task_ids if "int_rule" in task_id]


def test_every_dbt_task_finishes_before_the_quality_gate(dagbag):
    dag = dagbag.dags["pembina_warehouse"]
    upstream_of_gate = dag.get_task("validate").get_flat_relative_ids(upstream=True)
    dbt_tasks = {task_id for task_id in dag.task_ids if task_id.startswith("dbt.")}
    assert dbt_tasks and dbt_tasks <= upstream_of_gate


def test_the_quality_gate_guards_publication(dagbag):
    dag = dagbag.dags["pembina_warehouse"]
    assert "publish" in dag.get_task("validate").downstream_task_ids
    assert dag.get_task("publish").trigger_rule == "all_success"
    # the report says which version BI reads, after publication or its refusal
    assert dag.get_task("report").upstream_task_ids == {"publish"}
    assert dag.get_task("report").trigger_rule == "all_done"


# --- Every DAG documented and owned the same way (pembina.orchestration.config) --------------------------

DAG_FILE_MAX_LINES = 25


def _is_dbt_sensor(task) -> bool:
    return task.task_id.startswith("dbt.") and task.task_id.endswith((".run", ".test"))


def test_every_dag_says_what_it_reads_writes_and_emits_and_what_to_do_when_it_fails(dagbag):
    for dag in dagbag.dags.values():
        doc = dag.doc_md or ""
        for heading in ("**Reads:**", "**Writes:**", "**Emits:**", "**When it fails:**"):
            assert heading in doc, (dag.dag_id, heading)
        assert "raw." in doc, dag.dag_id


def test_every_dag_has_one_owner_tags_and_one_run_at_a_time(dagbag):
    from pembina.orchestration.config import OWNER

    for dag in dagbag.dags.values():
        assert {task.owner for task in dag.tasks} == {OWNER}, dag.dag_id
        assert len(dag.tags) >= 2, dag.dag_id
        assert dag.max_active_runs == 1, dag.dag_id


def test_tasks_that_can_fail_for_a_passing_reason_retry_with_backoff_and_the_gate_does_not(dagbag):
    transient = []
    for dag in dagbag.dags.values():
        for task in dag.tasks:
            if task.task_id == "validate":
                assert task.retries == 0, dag.dag_id
            elif task.task_id.endswith(".test"):  # one recheck that reruns the tests (TEST_RECHECK)
                assert task.retries == 1, task.task_id
            elif task.task_id.endswith(("load_file", "reference_seeds", ".run")):
                transient.append(task)
    assert len(transient) > 20
    for task in transient:
        assert task.retries >= 2, task.task_id
        assert task.retry_exponential_backoff > 1, task.task_id
        assert task.max_retry_delay is not None, task.task_id


def test_every_task_that_holds_warehouse_connections_runs_in_the_warehouse_pool(dagbag):
    from cosmos.constants import PRODUCER_WATCHER_TASK_ID

    from pembina.orchestration.config import DBT_THREADS, WAREHOUSE_POOL

    warehouse_tasks = {"open_batch", "load_file", "close_batch", "reference_seeds", "validate", "publish", "report"}
    seen = set()
    for dag in dagbag.dags.values():
        for task in dag.tasks:
            name = task.task_id.rsplit(".", 1)[-1]
            if name in warehouse_tasks:
                assert task.pool == WAREHOUSE_POOL.name, (dag.dag_id, task.task_id)
                seen.add(name)
            elif _is_dbt_sensor(task):  # they read the producer's results, not the warehouse
                assert task.pool != WAREHOUSE_POOL.name, task.task_id
    assert seen == warehouse_tasks
    producer = dagbag.dags["pembina_warehouse"].get_task(f"dbt.{PRODUCER_WATCHER_TASK_ID}")
    assert (producer.pool, producer.pool_slots) == (WAREHOUSE_POOL.name, DBT_THREADS)
    profile = (Path(__file__).resolve().parents[2] / "dbt_project" / "profiles.yml").read_text()
    assert f"threads: {DBT_THREADS}" in profile


def test_dag_files_are_wiring_only(dagbag):
    for dag in dagbag.dags.values():
        lines = Path(dag.fileloc).read_text().splitlines()
        assert len(lines) <= DAG_FILE_MAX_LINES, dag.fileloc
        assert [line for line in lines if line.startswith(("def ", "class "))] == [f"def {dag.dag_id}():"]


def test_every_dbt_task_scopes_its_data_tests_before_dbt_starts(dagbag):
    """The producer's build and each task's own fallback run get the same var tests_since_batch."""
    from cosmos.operators.base import AbstractDbtBase

    from pembina.orchestration.dbt import scope_data_tests

    dag = dagbag.get_dag("pembina_warehouse")
    dbt_tasks = [t for t in dag.tasks if t.task_id.startswith("dbt.") and isinstance(t, AbstractDbtBase)]
    assert len(dbt_tasks) > 100
    assert all(t.interceptors == [scope_data_tests] for t in dbt_tasks)
