"""Publication of the marts: the BI login may read them only after the quality gate passed."""

from __future__ import annotations

from psycopg import sql

from pembina import db
from pembina.audit import ensure_audit_schema

MARTS_SCHEMA = "marts"


def publish_marts(url: str | None = None) -> list[str]:
    """Grant the BI role read access to every table and view in ``marts``; returns what was published."""
    with db.connect(url) as conn:
        ensure_audit_schema(conn)
        relations = [
            row[0]
            for row in conn.execute(
                """select table_name from information_schema.tables
                    where table_schema = %s order by table_name""",
                (MARTS_SCHEMA,),
            )
        ]
        role = sql.Identifier(db.BI_ROLE)
        schema = sql.Identifier(MARTS_SCHEMA)
        conn.execute(sql.SQL("grant usage on schema {} to {}").format(schema, role))
        for relation in relations:
            conn.execute(sql.SQL("grant select on {}.{} to {}").format(schema, sql.Identifier(relation), role))
        conn.execute(
            "insert into audit.publications (schema_name, relations) values (%s, %s)",
            (MARTS_SCHEMA, relations),
        )
    return relations
