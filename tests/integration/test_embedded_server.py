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


def test_embedded_server_starts_with_machine_sized_settings(tmp_path: Path) -> None:
    settings = dataclasses.replace(get_settings(), warehouse_url_override=None, pgdata=tmp_path / "pgdata")
    wanted = db.embedded_server_settings(db.machine_memory_bytes(), os.cpu_count() or 1)
    url = db.up(settings)
    try:
        with db.connect(url) as conn:
            assert conn.execute("show jit").fetchone()[0] == "off"
            shown = {name: _normalised(conn, conn.execute(f"show {name}").fetchone()[0]) for name in wanted}
            assert shown == {name: _normalised(conn, value) for name, value in wanted.items()}
        assert db.tune_embedded_server(url, wanted) == [], "a second start would restart the server again"
    finally:
        assert db.down(settings)
