"""Cosmos configuration: the dbt project rendered from its pre-parsed manifest (no database at parse)."""

from __future__ import annotations

import logging
from typing import Any

from airflow.sdk import TriggerRule
from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
from cosmos.constants import PRODUCER_WATCHER_TASK_ID, ExecutionMode, InvocationMode, LoadMode, TestBehavior
from cosmos.operators.base import AbstractDbtBase

from pembina import db
from pembina.orchestration.config import DBT_THREADS, TEST_RECHECK, WAREHOUSE_POOL
from pembina.quality.scope import data_test_scope
from pembina.runtime import DBT_EXECUTABLE
from pembina.settings import get_settings

log = logging.getLogger(__name__)
_settings = get_settings()
# `airflow dags trigger pembina_warehouse --conf '{"whole_table_tests": true}'`: this run's data tests and
# gate read whole tables (after fixing old rows, say), whatever the weekly rhythm.
WHOLE_TABLE_TESTS_CONF = "whole_table_tests"

PROJECT = ProjectConfig(
    dbt_project_path=_settings.dbt_project_dir,
    manifest_path=_settings.dbt_manifest,
    install_dbt_deps=False,
)
PROFILE = ProfileConfig(
    profile_name="pembina",
    target_name="dev",
    profiles_yml_filepath=_settings.dbt_project_dir / "profiles.yml",
)
# Watcher mode: one `dbt build` of the whole project (the producer task, dbt's own threads) while one
# sensor task per model and per test reports that node's result from the producer's events. Each model
# stays an Airflow task with its tests after it, without paying dbt's start-up once per model (about 2 s
# each in local mode, which made the warehouse DAG grow with every model). The producer runs dbt as a
# subprocess: in process, Cosmos converts every dbt event (debug ones included) to JSON for its parser,
# which made the build two to three times slower than dbt on its own.
# The subprocess is `pembina-dbt`: dbt with its queue ordered by the run times ahead of each node
# (pembina.dbt_scheduler).
EXECUTION = ExecutionConfig(
    execution_mode=ExecutionMode.WATCHER,
    invocation_mode=InvocationMode.SUBPROCESS,
    dbt_executable_path=DBT_EXECUTABLE,
)
# A test with several parents (a relationship between two models) runs inside the producer's build, which
# fails when such a test fails; the sensors show the single-parent tests after each model.
# Cosmos's own Asset emission builds URIs from the profile's host, which is a socket folder for the
# embedded server: the warehouse is scheduled on Pembina's raw Assets instead.
# The reference seeds load in one task of their own before the models (see reference_seeds).
# dbt unit tests prove the SQL logic on fixed inputs, so they belong to CI (`dbt build` in `make test`), not
# to each run on new data: the pipeline leaves them out, and with them the regulation-rule models under
# intermediate/rules, ephemeral hosts of the unit tests that prove each rule at its edges.
RENDER = RenderConfig(
    load_method=LoadMode.DBT_MANIFEST,
    test_behavior=TestBehavior.AFTER_EACH,
    exclude=["path:models/intermediate/rules", "resource_type:seed", "resource_type:unit_test"],
    should_detach_multiple_parents_tests=False,
    emit_datasets=False,
)


def warehouse_models(group_id: str = "dbt") -> DbtTaskGroup:
    """The dbt project as a task group in watcher mode, with the producer ahead of the sensors that have no
    parent in the group. Cosmos wires that only in a DbtDag; in a task group, `airflow dags test` (one task
    at a time) could start a sensor before the producer and wait for it forever. The sensors start when
    the producer is done, whatever its outcome, and each then reports its own node: a failed build still
    shows which model or test failed and which were skipped.

    Retries: Cosmos never reruns the producer (a retry would be a second build; it skips instead); a model's
    task that failed reruns that one model on retry (Cosmos's own fallback). The test tasks are part of
    the quality gate: see TEST_RECHECK."""
    group = DbtTaskGroup(
        group_id=group_id,
        project_config=PROJECT,
        profile_config=PROFILE,
        execution_config=EXECUTION,
        render_config=RENDER,
    )
    producer = group.children[f"{group_id}.{PRODUCER_WATCHER_TASK_ID}"]
    producer.pool, producer.pool_slots, producer.retries = WAREHOUSE_POOL.name, DBT_THREADS, 0
    for task in group.iter_tasks():
        if isinstance(task, AbstractDbtBase):
            task.interceptors = [scope_data_tests]
        if task.task_id.endswith(".test"):
            task.retries, task.retry_delay = TEST_RECHECK["retries"], TEST_RECHECK["retry_delay"]
    for root in list(group.get_roots()):
        if root is not producer:
            producer >> root
            root.trigger_rule = TriggerRule.ALL_DONE
    return group


def scope_data_tests(context: Any, operator: Any) -> None:
    """Before dbt starts (the producer's build, or a task's own fallback run): the rows its data tests read,
    as tests_since_batch in its environment (``pembina.quality.scope``). The build records it in audit.dbt_builds and
    the quality gate reads the same rows. The scope changes only with a publication, which comes after
    every dbt task of the run, so a task's fallback sees the producer's scope."""
    conf = getattr(context.get("dag_run"), "conf", None) or {}
    with db.connect() as conn:
        scope = data_test_scope(conn, whole_tables=bool(conf.get(WHOLE_TABLE_TESTS_CONF)))
    log.info("%s", scope.describe())
    operator.env = {**(operator.env or {}), **scope.dbt_env()}


def reference_seeds(task_id: str = "reference_seeds"):
    """`dbt seed`: the reference tables whose file or config changed since they were loaded are reloaded whole
    (a steward may add a column), the others left as they are (dbt_project/macros/incremental/
    relation_changes.sql); a first run loads them all. Seeds change only with a commit, so their tests run
    in CI (`dbt build` in `make test`), not on every load of new data."""
    from cosmos.operators.local import DbtSeedLocalOperator

    return DbtSeedLocalOperator(
        task_id=task_id,
        project_dir=_settings.dbt_project_dir,
        profile_config=PROFILE,
        install_deps=False,
        invocation_mode=InvocationMode.DBT_RUNNER,
        emit_datasets=False,
        pool=WAREHOUSE_POOL.name,
    )
