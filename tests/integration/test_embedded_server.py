"""A freshly started embedded server runs with the settings sized to the machine, including shared_buffers,
which only a restart applies."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import psycopg

from pembina import db
from pembina.settings import get_settings


def _normalised(conn: psycopg.Connection, value: str) -> str:
    """A memory size in bytes ('3GB' and '3072MB' alike), any other value as it is."""
    return conn.execute("select case when %s ~ 'B$' then pg_size_bytes(%s)::text else %s end", [value] * 3).fetchone()[
        0
    ]


def test_embedded_server_starts_with_machine_sized_settings(tmp_path: Path, monkeypatch) -> None:
    # the server's own settings, not those a client's options (dbt's, in the DAG tests' environment) override
    monkeypatch.delenv("PGOPTIONS", raising=False)
    settings = dataclasses.replace(get_settings(), warehouse_url_override=None, pgdata=tmp_path / "pgdata")
    wanted = db.embedded_server_settings(db.machine_memory_bytes(), os.cpu_count() or 1)
    url = db.up(settings)
    try:
        with db.connect(url) as conn:
            assert conn.execute("show jit").fetchone()[0] == "off"
            shown = {name: _normalised(conn, conn.execute(f"show {name}").fetchone()[0]) for name in wanted}
            assert shown == {name: _normalised(conn, value) for name, value in wanted.items()}
            # the warehouse it creates sorts text in byte order (pembina.db.create_database)
            assert conn.execute("select datcollate from pg_database where datname = current_database()").fetchone() == (
                "C",
            )
        assert db.tune_embedded_server(url, wanted) == [], "a second start would restart the server again"
    finally:
        assert db.down(settings)


def test_only_a_warehouse_in_a_language_collation_gets_a_warning(server_url: str, caplog) -> None:
    byte_order, language = "pembina_test_byte_order", "pembina_test_language_collation"
    with db.connect(db.sibling_database_url(server_url, "postgres"), autocommit=True) as conn:
        for database in (byte_order, language):
            conn.execute(f"drop database if exists {database}")
        db.create_database(conn, byte_order)
        conn.execute(f"create database {language} template template0 locale_provider libc lc_collate 'C.UTF-8'")
    try:
        db.warn_unless_byte_order(db.sibling_database_url(server_url, byte_order))
        assert not [record for record in caplog.records if record.name == db.log.name]
        db.warn_unless_byte_order(db.sibling_database_url(server_url, language))
    finally:
        with db.connect(db.sibling_database_url(server_url, "postgres"), autocommit=True) as conn:
            for database in (byte_order, language):
                conn.execute(f"drop database {database}")
    (warning,) = [record for record in caplog.records if record.name == db.log.name]
    assert warning.levelname == "WARNING" and "collation C.UTF-8, not C" in warning.getMessage()
