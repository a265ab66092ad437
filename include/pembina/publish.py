"""Publication of the marts (write-audit-publish): the BI login reads only marts that passed the quality gate.

dbt builds the marts into ``MARTS_BUILD_SCHEMA`` and records each build in ``audit.dbt_builds``
(dbt_project/macros/build_record.sql); the quality gate validates that schema and records its run in
``audit.gate_runs``. ``publish_marts`` then, in one transaction, swaps the build schema with ``MARTS_SCHEMA``
(the only schema the BI role may read) and records the publication. The previously published version becomes
the build schema, which the next build overwrites (its incremental facts catch up from their watermark).
A failed, killed or partial build, or a gate that failed, was killed or ran before the build finished, is
refused: BI keeps reading the previous publication, whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row, tuple_row

from pembina import db
from pembina.audit import ensure_audit_schema
from pembina.settings import MARTS_BUILD_SCHEMA, MARTS_SCHEMA

_SWAP_SCHEMA = f"{MARTS_SCHEMA}_previous"


class PublicationRefused(RuntimeError):
    """The build schema may not be published; the message says why and what BI still reads."""


@dataclass(frozen=True)
class Publication:
    publication_id: int
    build_id: int | None
    gate_run_id: int | None
    airflow_run_id: str | None
    published_at: datetime
    relations: tuple[str, ...]

    def describe(self) -> str:
        return (
            f"publication {self.publication_id} (build {self.build_id}, gate run {self.gate_run_id}, "
            f"published {self.published_at:%Y-%m-%d %H:%M:%S %Z}, {len(self.relations)} relations)"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "publication_id": self.publication_id,
            "build_id": self.build_id,
            "gate_run_id": self.gate_run_id,
            "airflow_run_id": self.airflow_run_id,
            "published_at": self.published_at.isoformat(),
            "relations": list(self.relations),
        }


def latest_publication(conn: psycopg.Connection) -> Publication | None:
    with conn.cursor(row_factory=tuple_row) as cur:
        row = cur.execute(
            """select publication_id, build_id, gate_run_id, airflow_run_id, published_at, relations
                 from audit.publications order by publication_id desc limit 1"""
        ).fetchone()
    return Publication(*row[:5], tuple(row[5] or ())) if row else None


def published_by_run(conn: psycopg.Connection, airflow_run_id: str) -> bool:
    row = conn.execute(
        "select exists (select from audit.publications where airflow_run_id = %s)", (airflow_run_id,)
    ).fetchone()
    return bool(row and row[0])


def what_bi_reads(conn: psycopg.Connection) -> str:
    """What the BI login reads while a new version is refused."""
    publication = latest_publication(conn)
    return f"BI still reads {publication.describe()}" if publication else "BI reads nothing: no publication yet"


def latest_gate_run_id(url: str | None = None) -> int | None:
    with db.connect(url) as conn:
        ensure_audit_schema(conn)
        row = conn.execute("select max(gate_run_id) from audit.gate_runs").fetchone()
    return row[0] if row else None


def publish_marts(gate_run_id: int | None, url: str | None = None, airflow_run_id: str | None = None) -> Publication:
    """Make the build schema the published one if the latest build of every mart succeeded and gate run
    ``gate_run_id`` passed on it; raise ``PublicationRefused`` otherwise, leaving BI on what it reads."""
    with db.connect(url, row_factory=dict_row) as conn:
        ensure_audit_schema(conn)
        # Blocks the hooks of a dbt build from starting or finishing until this transaction ends.
        conn.execute("lock table audit.dbt_builds in exclusive mode")
        refusal = _refusal(conn, gate_run_id)
        if refusal:
            raise PublicationRefused(f"publication refused: {refusal}. {what_bi_reads(conn)}.")
        relations = _swap(conn)
        row = conn.execute(
            """insert into audit.publications (schema_name, relations, build_id, gate_run_id, airflow_run_id)
               select %s, %s, build_id, gate_run_id, %s from audit.gate_runs where gate_run_id = %s
               returning publication_id, build_id, gate_run_id, airflow_run_id, published_at, relations""",
            (MARTS_SCHEMA, relations, airflow_run_id, gate_run_id),
        ).fetchone()
    assert row is not None
    return Publication(**{**row, "relations": tuple(row["relations"])})


def _refusal(conn: psycopg.Connection, gate_run_id: int | None) -> str | None:
    build = conn.execute("select * from audit.dbt_builds order by build_id desc limit 1").fetchone()
    if build is None:
        return "no dbt build of the marts has been recorded"
    what = f"build {build['build_id']} (dbt {build['command']} started {build['started_at']:%Y-%m-%d %H:%M:%S})"
    if build["status"] == "running":
        return f"the latest {what} is running or was killed: it never finished"
    if build["status"] == "failed":
        return f"the latest {what} failed"
    if not build["whole_project"]:
        return f"the latest {what} built only some of the marts; publication needs a build of every mart"
    published = conn.execute(
        "select publication_id from audit.publications where build_id = %s", (build["build_id"],)
    ).fetchone()
    if published:
        return f"{what} is already published (publication {published['publication_id']})"
    if not _schema_exists(conn, MARTS_BUILD_SCHEMA):
        return f"schema {MARTS_BUILD_SCHEMA} does not exist"
    gate = (
        conn.execute("select * from audit.gate_runs where gate_run_id = %s", (gate_run_id,)).fetchone()
        if gate_run_id is not None
        else None
    )
    if gate is None:
        return f"no finished run of the quality gate (gate run {gate_run_id}) for {what}"
    if gate["build_id"] != build["build_id"] or gate["started_at"] < build["finished_at"]:
        return f"gate run {gate_run_id} did not validate {what}: it started before the build finished"
    if not gate["passed"]:
        return f"gate run {gate_run_id} failed its critical checks: {_failed_checks(conn, gate_run_id)}"
    return None


def _failed_checks(conn: psycopg.Connection, gate_run_id: int) -> str:
    rows = conn.execute(
        """select distinct r.suite, v.expectation, v.column_name
             from audit.validation_results v join audit.validation_runs r using (validation_run_id)
            where r.gate_run_id = %s and v.severity = 'critical' and not v.success
            order by 1, 2, 3""",
        (gate_run_id,),
    ).fetchall()
    return "; ".join(
        f"{r['suite']}: {r['expectation']}" + (f" on {r['column_name']}" if r["column_name"] else "") for r in rows
    )


def _schema_exists(conn: psycopg.Connection, schema: str) -> bool:
    row = conn.execute("select exists (select from pg_namespace where nspname = %s) as found", (schema,)).fetchone()
    return bool(row and row["found"])


def _marts_readers(conn: psycopg.Connection) -> list[str]:
    """The BI login, and the HR analysts' group where `pembina prepare` created it."""
    present = conn.execute("select 1 from pg_roles where rolname = %s", (db.HR_ANALYST_ROLE,)).fetchone()
    return [db.BI_ROLE, db.HR_ANALYST_ROLE] if present else [db.BI_ROLE]


def _swap(conn: psycopg.Connection) -> list[str]:
    """Build schema and published schema trade names; the BI login and the HR analysts follow the name
    ``MARTS_SCHEMA``."""
    published, build, previous = map(sql.Identifier, (MARTS_SCHEMA, MARTS_BUILD_SCHEMA, _SWAP_SCHEMA))
    readers = sql.SQL(", ").join(map(sql.Identifier, _marts_readers(conn)))
    first = not _schema_exists(conn, MARTS_SCHEMA)
    if not first:
        conn.execute(sql.SQL("alter schema {} rename to {}").format(published, previous))
    conn.execute(sql.SQL("alter schema {} rename to {}").format(build, published))
    if not first:
        conn.execute(sql.SQL("alter schema {} rename to {}").format(previous, build))
        conn.execute(sql.SQL("revoke all on all tables in schema {} from {}").format(build, readers))
        conn.execute(sql.SQL("revoke all on schema {} from {}").format(build, readers))
    conn.execute(sql.SQL("grant usage on schema {} to {}").format(published, readers))
    conn.execute(sql.SQL("grant select on all tables in schema {} to {}").format(published, readers))
    db.grant_access_roles(conn)  # the transformer's reach follows the two schemas' new names
    return [
        row["table_name"]
        for row in conn.execute(
            "select table_name from information_schema.tables where table_schema = %s order by table_name",
            (MARTS_SCHEMA,),
        )
    ]
