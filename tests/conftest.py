"""Shared fixtures. Integration tests run against a real PostgreSQL: the configured warehouse's server
(PEMBINA_WAREHOUSE_URL) or the embedded one, in a throw-away database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from psycopg import sql

from pembina import db

# The tests run with the public development pseudonym key (pembina.settings); production refuses it.
os.environ.setdefault("PEMBINA_ENV", "test")

# Overridable so that two checkouts can run their suites on one server at the same time.
TEST_DATABASE = os.environ.get("PEMBINA_TEST_DATABASE", "pembina_test")


def _recreate(server_url: str, database: str) -> str:
    with db.connect(db.sibling_database_url(server_url, "postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(database)))
        db.create_database(conn, database)
    return db.sibling_database_url(server_url, database)


@pytest.fixture(scope="session")
def server_url() -> str:
    return os.environ.get("PEMBINA_WAREHOUSE_URL") or db.up()


@pytest.fixture(scope="session")
def warehouse_url(server_url: str) -> Iterator[str]:
    """A fresh test warehouse for the session; every Pembina call in the session (and the dbt and Airflow
    processes it starts) sees it through PEMBINA_WAREHOUSE_URL."""
    url = _recreate(server_url, TEST_DATABASE)
    previous = os.environ.get("PEMBINA_WAREHOUSE_URL")
    os.environ["PEMBINA_WAREHOUSE_URL"] = url
    db.ensure_bi_role(url)
    yield url
    if previous is None:
        os.environ.pop("PEMBINA_WAREHOUSE_URL", None)
    else:
        os.environ["PEMBINA_WAREHOUSE_URL"] = previous


@pytest.fixture(scope="session")
def make_database(server_url: str):
    """Creates an empty database of its own for tests that must not see the session warehouse."""
    return lambda name: _recreate(server_url, name)


@pytest.fixture(scope="session")
def synthetic_sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Small deterministic synthetic sources (landing/ and synth_manifest.json)."""
    from pembina.synth import generate

    out = tmp_path_factory.mktemp("synth")
    generate(out, scale=400, seed=7, progress=False)
    return out
