"""dbt's sessions plan no parallel workers (pembina.runtime.DBT_SESSION_OPTIONS): the environment dbt runs in
sets the option on every connection it opens, on top of options the operator already has."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pembina.runtime import dbt_environment

pytestmark = [pytest.mark.integration]


def _shown_in_dbt_environment(url: str, *names: str) -> dict[str, str]:
    """Each setting as a new connection in dbt's environment sees it (libpq reads PGOPTIONS, as for dbt)."""
    show = "import psycopg, sys; print(psycopg.connect(sys.argv[1]).execute(f'show {sys.argv[2]}').fetchone()[0])"
    environment = {**os.environ, **dbt_environment()}
    return {
        name: subprocess.run(
            [sys.executable, "-c", show, url, name], env=environment, capture_output=True, text=True, check=True
        ).stdout.strip()
        for name in names
    }


def test_dbt_connections_plan_no_parallel_workers(warehouse_url):
    assert _shown_in_dbt_environment(warehouse_url, "max_parallel_workers_per_gather") == {
        "max_parallel_workers_per_gather": "0"
    }


def test_an_operators_own_options_are_kept(warehouse_url, monkeypatch):
    monkeypatch.setenv("PGOPTIONS", "-c statement_timeout=123456")
    assert _shown_in_dbt_environment(warehouse_url, "statement_timeout", "max_parallel_workers_per_gather") == {
        "statement_timeout": "123456ms",
        "max_parallel_workers_per_gather": "0",
    }


def test_a_process_already_in_dbts_environment_adds_the_option_once(monkeypatch):
    monkeypatch.setenv("PGOPTIONS", "-c statement_timeout=5s")
    once = dbt_environment()["PGOPTIONS"]
    monkeypatch.setenv("PGOPTIONS", once)
    assert dbt_environment()["PGOPTIONS"] == once == "-c statement_timeout=5s -c max_parallel_workers_per_gather=0"
