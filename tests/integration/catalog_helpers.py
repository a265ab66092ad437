"""What PostgreSQL's catalog says of a built table, for the tests that check what the database enforces."""

from __future__ import annotations

import psycopg


def unique_indexes_taking_empty_values_as_equal(conn: psycopg.Connection, relation: str) -> list[list[str]]:
    """The columns, in order, of each unique index of ``relation`` that treats null key values as equal
    (``nulls not distinct``, macros/create_index.sql)."""
    return [
        columns
        for (columns,) in conn.execute(
            """select array_agg(pg_attribute.attname::text order by key.position)
                 from pg_index
                cross join unnest(pg_index.indkey) with ordinality as key (attnum, position)
                inner join pg_attribute
                   on pg_attribute.attrelid = pg_index.indrelid and pg_attribute.attnum = key.attnum
                where pg_index.indrelid = %s::regclass and pg_index.indisunique and pg_index.indnullsnotdistinct
                group by pg_index.indexrelid""",
            [relation],
        )
    ]
