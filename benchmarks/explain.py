"""`explain analyze` of one model's query on the copy the last `benchmarks/full_build.py` run built
(`bench_full_build`), to see where a slow node of the full build spends its time without building again.

    .venv/bin/python benchmarks/explain.py fct_training_participation
    .venv/bin/python benchmarks/explain.py int_training_completion_outcomes --set enable_mergejoin=off --create
    .venv/bin/python benchmarks/explain.py fct_training_participation --incremental

The model is compiled from the working tree against the copy (`--full-refresh`: the query of a full build;
`--incremental`: the query an incremental run would send now). The session plans as dbt's do
(pembina.runtime.DBT_SESSION_OPTIONS); `--set` adds a setting, as a model's `set local` pre-hook would. The plan is
printed, then its execution time. `--create` then also times writing the query's rows to a table and building the
model's configured indexes on it, in a scratch schema of the copy that is dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import time

from common import Dbt
from full_build import COPY
from psycopg import sql

from pembina import db
from pembina.runtime import DBT_SESSION_OPTIONS
from pembina.settings import get_settings

SCRATCH_SCHEMA = "explain_probe"


def compiled_model(url: str, model: str, incremental: bool) -> tuple[str, list[dict]]:
    """The model's compiled query and its configured indexes."""
    dbt = Dbt(url, get_settings().data_dir / "bench" / "explain-target")
    dbt("compile", "--select", model, *([] if incremental else ["--full-refresh"]))
    node = next(
        node for node in dbt.manifest()["nodes"].values() if node["resource_type"] == "model" and node["name"] == model
    )
    return node["compiled_code"], node["config"].get("indexes") or []


def timed(conn, statement: str | sql.Composable) -> float:
    started = time.perf_counter()
    conn.execute(statement)
    return time.perf_counter() - started


def create_with_indexes(conn, model: str, query: str, indexes: list[dict]) -> None:
    table = sql.Identifier(SCRATCH_SCHEMA, model)
    conn.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(SCRATCH_SCHEMA)))
    try:
        print(f"create table as: {timed(conn, sql.SQL('create table {} as ').format(table) + sql.SQL(query)):.1f} s")
        for index in indexes:
            # as macros/create_index.sql creates them
            statement = sql.SQL("create {unique} index on {table} ({columns}) {nulls}").format(
                unique=sql.SQL("unique" if index.get("unique") else ""),
                table=table,
                columns=sql.SQL(", ").join(sql.SQL(column) for column in index["columns"]),
                nulls=sql.SQL("nulls not distinct" if index.get("unique") else ""),
            )
            print(f"index ({', '.join(index['columns'])}): {timed(conn, statement):.1f} s")
    finally:
        conn.execute(sql.SQL("drop schema {} cascade").format(sql.Identifier(SCRATCH_SCHEMA)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model")
    parser.add_argument("--incremental", action="store_true", help="the incremental query, not the full build's")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a setting (repeatable)")
    parser.add_argument("--create", action="store_true", help="also time writing the rows and the model's indexes")
    args = parser.parse_args()

    server = os.environ.get("PEMBINA_WAREHOUSE_URL") or db.up()
    url = db.sibling_database_url(server, COPY)
    query, indexes = compiled_model(url, args.model, args.incremental)
    with db.connect(url, autocommit=True, options=DBT_SESSION_OPTIONS) as conn:
        for setting in args.set:
            name, _, value = setting.partition("=")
            conn.execute("select set_config(%s, %s, false)", [name, value])
        plan = [line for (line,) in conn.execute(sql.SQL("explain (analyze) ") + sql.SQL(query))]
        print("\n".join(plan))
        if args.create:
            create_with_indexes(conn, args.model, query, indexes)


if __name__ == "__main__":
    main()
