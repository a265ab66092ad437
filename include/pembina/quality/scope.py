"""Which rows the data tests of a warehouse run look at: the new load batches, or whole tables.

Rows that the last published build already held passed its dbt tests and its quality gate; a daily run
tests only the rows of the batches after them (``tests_since_batch``, given to dbt in the environment variable
``PEMBINA_TESTS_SINCE_BATCH`` and read by
``dbt_project/macros/new_rows.sql``; GX suites with a ``new_rows_column``). Tests that compare a row with
other rows (a key repeated across old and new rows, the marts rebuilt whole) still read what they must.
A run reads whole tables when nothing is published yet, when asked to, or when no published build of the
last ``WHOLE_TABLE_EVERY`` read whole tables: the weekly check that catches what a daily run cannot (a row
changed in place, a reference seed changed under old rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import psycopg

WHOLE_TABLE_EVERY = timedelta(days=7)
# An environment variable rather than a dbt var: a new --vars value makes dbt re-parse the whole project.
DBT_ENV = "PEMBINA_TESTS_SINCE_BATCH"

# The largest batch B such that every batch up to B had finished when the last published build started:
# their rows were in that build. A batch still running then (or started after) may have committed only
# some of its files before the build read raw, so it and every later batch count as new.
_TESTED_BATCH_WATERMARK = """
with published_build as (
    select build.started_at
    from audit.publications as publication
    inner join audit.dbt_builds as build on build.build_id = publication.build_id
    order by publication.publication_id desc
    limit 1
)
select
    published_build.started_at,
    coalesce(
        (select min(batch.batch_id) - 1 from audit.load_batches as batch
         where batch.finished_at is null or batch.finished_at > published_build.started_at),
        (select max(batch.batch_id) from audit.load_batches as batch),
        0
    ) as tested_batch
from published_build
"""

_LAST_WHOLE_TABLE_PUBLICATION = """
select max(publication.published_at), now()
from audit.publications as publication
inner join audit.dbt_builds as build on build.build_id = publication.build_id
where build.tests_since_batch is null
"""


@dataclass(frozen=True)
class TestScope:
    """``since_batch``: the data tests look at the rows of later batches only; None: at whole tables."""

    since_batch: int | None
    reason: str

    __test__ = False  # not a pytest class

    @property
    def whole_tables(self) -> bool:
        return self.since_batch is None

    def dbt_env(self) -> dict[str, str]:
        """Set either way: a value left in the worker's environment must not narrow a whole-table run."""
        return {DBT_ENV: "" if self.since_batch is None else str(self.since_batch)}

    def describe(self) -> str:
        where = "whole tables" if self.since_batch is None else f"the rows of batches after {self.since_batch}"
        return f"data tests on {where}: {self.reason}"


def tested_batch_watermark(conn: psycopg.Connection) -> int | None:
    """The largest load batch whose rows the last published build had tested, all earlier ones included;
    None when nothing has been published (or only before publications recorded their build)."""
    row = conn.execute(_TESTED_BATCH_WATERMARK).fetchone()
    return None if row is None else int(row[1])


def data_test_scope(
    conn: psycopg.Connection, *, whole_tables: bool = False, whole_table_every: timedelta = WHOLE_TABLE_EVERY
) -> TestScope:
    """The scope of a warehouse run's data tests (``whole_tables``: asked for whole tables)."""
    if whole_tables:
        return TestScope(None, "asked for whole-table tests")
    last_whole, now = conn.execute(_LAST_WHOLE_TABLE_PUBLICATION).fetchone()
    if last_whole is None:
        return TestScope(None, "no published build has been tested on whole tables yet")
    if now - last_whole >= whole_table_every:
        return TestScope(None, f"the last published whole-table check was on {last_whole:%Y-%m-%d %H:%M %Z}")
    tested = tested_batch_watermark(conn)  # not None: a published build exists
    return TestScope(tested, f"the last published build had tested every batch up to {tested}")


def new_rows_condition(column: str, since_batch: int, new_batches_started_at: str | None = None) -> str:
    """SQL that keeps the rows of the batches after ``since_batch``, as dbt's ``new_rows_condition`` macro
    writes it (``tests/integration/test_data_test_scope.py`` compares them): a batch id column compared, a load
    timestamp from ``new_batches_started_at``, when the first new batch started (``new_batches_started``). A
    literal rather than a subquery: the planner then sees how few rows are new (the load-time index gives the
    column's actual maximum) and reads them through the index, where for an unknown value it plans a scan of a
    third of the table."""
    since_batch = int(since_batch)
    if column.endswith("batch_id"):
        return f"{column} > {since_batch}"
    if new_batches_started_at is None:
        raise ValueError(f"the new rows by {column} need the start of the first batch after {since_batch}")
    return f"{column} >= '{new_batches_started_at}'::timestamptz"


def new_batches_started(conn: psycopg.Connection, since_batch: int) -> str:
    """When the first load batch after ``since_batch`` started, as PostgreSQL writes it (``infinity`` when
    there is none yet), for ``new_rows_condition``."""
    row = conn.execute(
        "select coalesce(min(started_at), 'infinity'::timestamptz)::text from audit.load_batches where batch_id > %s",
        (int(since_batch),),
    ).fetchone()
    assert row is not None  # an aggregate returns a row
    return str(row[0])
