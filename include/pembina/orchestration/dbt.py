"""Cosmos configuration: the dbt project rendered from its pre-parsed manifest (no database at parse)."""

from __future__ import annotations

from cosmos import ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
from cosmos.constants import ExecutionMode, InvocationMode, LoadMode, TestBehavior

from pembina.settings import get_settings

_settings = get_settings()

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
EXECUTION = ExecutionConfig(execution_mode=ExecutionMode.LOCAL, invocation_mode=InvocationMode.DBT_RUNNER)
# A test with several parents (a relationship between two models) runs as its own task after all of them.
# Cosmos's own Asset emission builds URIs from the profile's host, which is a socket folder for the
# embedded server: the warehouse is scheduled on Pembina's raw Assets instead.
#
# One task per node runs `dbt build` on it: the model, then its tests (and unit tests), so a failing test
# stops everything downstream. The reference seeds load in one task of their own before the models (see
# reference_seeds): a task each would spend more time starting dbt than loading a few dozen rows.
# The regulation-rule models under intermediate/rules are ephemeral hosts of
# unit tests that prove each rule at its edges: CI runs them (`dbt build` in `make test`), the nightly
# pipeline does not need to.
RENDER = RenderConfig(
    load_method=LoadMode.DBT_MANIFEST,
    test_behavior=TestBehavior.BUILD,
    exclude=["path:models/intermediate/rules", "resource_type:seed"],
    should_detach_multiple_parents_tests=True,
    emit_datasets=False,
)


def reference_seeds(task_id: str = "reference_seeds"):
    """`dbt build` of every seed and of the tests on seeds alone (``cautious``: a relationship from a model
    to a seed runs after the model, in the task group)."""
    from cosmos.operators.local import DbtBuildLocalOperator

    return DbtBuildLocalOperator(
        task_id=task_id,
        project_dir=_settings.dbt_project_dir,
        profile_config=PROFILE,
        select=["resource_type:seed"],
        indirect_selection="cautious",
        install_deps=False,
        invocation_mode=InvocationMode.DBT_RUNNER,
        emit_datasets=False,
    )
