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
RENDER = RenderConfig(
    load_method=LoadMode.DBT_MANIFEST,
    test_behavior=TestBehavior.AFTER_EACH,
    should_detach_multiple_parents_tests=True,
    emit_datasets=False,
)
