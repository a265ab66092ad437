"""The environment the tools Pembina drives (dbt, Airflow) run in: derived from the settings, never from
a database call, so DAG parsing stays free of them."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pembina import db
from pembina.settings import Settings, get_settings

PASSWORDS_FILE = "simple_auth_manager_passwords.json.generated"
# dbt's sessions plan no parallel workers: its threads (dbt_project/profiles.yml) already keep the cores busy, and
# workers only compete with them (a full build at 600,000 ASN on 2 cores: 351.3 s without, 376.3 s with).
DBT_SESSION_OPTIONS = "-c max_parallel_workers_per_gather=0"
# dbt with the critical-path order of pembina.dbt_scheduler; the venv's, which need not be on PATH.
DBT_EXECUTABLE = str(Path(sys.executable).with_name("pembina-dbt"))


def dbt_environment(settings: Settings | None = None) -> dict[str, str]:
    settings = settings or get_settings()
    key = {"PEMBINA_PSEUDONYM_KEY": settings.pseudonym_key} if settings.pseudonym_key else {}
    return {
        **db.dbt_env(db.warehouse_url(settings)),
        **key,
        "DBT_PROFILES_DIR": str(settings.dbt_project_dir),
        "DBT_PROJECT_DIR": str(settings.dbt_project_dir),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "PGOPTIONS": _with_dbt_session_options(os.environ.get("PGOPTIONS", "")),
    }


def _with_dbt_session_options(options: str) -> str:
    """The operator's own libpq options, then dbt's (once, in a process that already runs with them)."""
    return options if DBT_SESSION_OPTIONS in options else f"{options} {DBT_SESSION_OPTIONS}".strip()


def airflow_environment(settings: Settings | None = None) -> dict[str, str]:
    settings = settings or get_settings()
    environment = {
        "AIRFLOW_HOME": str(settings.airflow_home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(settings.home / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG": "4",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        # One admin login; the API server writes its generated password to this file on its first start.
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(settings.airflow_home / PASSWORDS_FILE),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": db.airflow_metadata_url(settings),
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": "8080",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        "AIRFLOW__COSMOS__CACHE_DIR": str(settings.data_dir / "cosmos"),
        "AIRFLOW__COSMOS__ENABLE_CACHE": "True",
        "AIRFLOW__COSMOS__PROPAGATE_LOGS": "False",
        "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
        "DO_NOT_TRACK": "1",
        "NO_PROXY": "*",
    }
    return {**environment, **dbt_environment(settings)}
