"""A full build alone, again and again: the warehouse DAG's `dbt seed` and `dbt build` from scratch on a copy of a
database that holds a scale's ingested raw data, to compare changes to the full build without ingesting again.

    .venv/bin/python benchmarks/full_build.py --scale 150000 [--label NAME] [--collation C|default]

The first run at a scale (and collation) ingests the cached synthetic data of `benchmarks/scale.py` (generated
when missing) into `bench_raw_<scale>_<collation>` on the configured server (PEMBINA_WAREHOUSE_URL's, else the
embedded one) and keeps it; every run copies it (CREATE DATABASE ... TEMPLATE, seconds) into `bench_full_build`
and times the seed and the build there, with the commands the warehouse DAG's operators give dbt. `--collation
default` creates the raw database in the server's default collation instead of C (pembina.db.create_database).
Server settings are the server's: to compare one, change it (ALTER SYSTEM, or `pembina db down` and up) between
runs. Each run prints and appends to benchmarks/results/full_build.json its times, PostgreSQL's temporary files,
the embedded server's CPU seconds (user and system, when it runs on this machine) and, from dbt's
run_results.json, the slowest nodes, the node times summed by resource type (dbt's threads on the
cores: the work the build does, not its wall time), how long 0, 1, 2, ... nodes ran at once, and when each model
of the training chain started and ended.
dbt runs as the warehouse DAG runs it, through `pembina-dbt` (pembina.dbt_scheduler): the first run at a scale
orders dbt's queue as dbt does and keeps each node's run time; the next ones order it by those times (the results
record how many were kept). Delete `<data dir>/dbt/node_seconds/bench_full_build.json` to measure dbt's order again.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import datetime
from pathlib import Path

from common import recreate_database
from psycopg import sql
from scale import Stages, git_commit, landing_for, warehouse_commands

from pembina import db
from pembina.dbt_scheduler import node_seconds_file, read_node_seconds
from pembina.settings import get_settings

RESULTS = Path(__file__).parent / "results" / "full_build.json"
COPY = "bench_full_build"
# The longest path of a full build, staging to mart.
TRAINING_CHAIN = (
    "stg_training__participation",
    "int_training_participation_duplicates",
    "fct_training_participation",
    "int_training_completion_outcomes",
    "mart_training_effectiveness",
)


def raw_database(server: str, scale: int, seed: int, collation: str, commands: dict[str, list[str]]) -> str:
    """The database holding this scale's ingested raw data, ingested first if missing."""
    name = f"bench_raw_{scale}_{collation.lower()}"
    with db.connect(db.sibling_database_url(server, "postgres"), autocommit=True) as conn:
        if conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            return name
        if collation == "C":
            db.create_database(conn, name)
        else:
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    url = db.sibling_database_url(server, name)
    db.ensure_bi_role(url)
    from pembina.ingest.loader import ensure_raw_tables
    from pembina.sources import families

    with db.connect(url) as conn:
        ensure_raw_tables(conn)
        conn.commit()
    folder, _ = landing_for(scale, seed)
    stages = Stages(url, folder / "synth" / "landing", get_settings().data_dir / "bench" / "raw-target", commands)
    print(f"ingesting scale {scale:,} into {name} (kept for the next runs):", flush=True)
    for family in families():
        stages.ingest(family)
    with db.connect(url, autocommit=True) as conn:
        conn.execute("checkpoint")
    return name


def server_cpu_seconds() -> dict[str, float] | None:
    """User and system CPU seconds of the embedded server's processes that have ended (the postmaster's reaped
    children: each dbt connection's backend once dbt exits), or None when the server is not the embedded one
    on this machine."""
    if os.environ.get("PEMBINA_WAREHOUSE_URL"):
        return None
    try:
        postmaster = (get_settings().pgdata / "postmaster.pid").read_text().split()[0]
        fields = Path(f"/proc/{postmaster}/stat").read_text().rpartition(")")[2].split()
    except (OSError, IndexError):
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    # after the command name: state is field 3 of proc(5), cutime and cstime fields 16 and 17
    return {"user": int(fields[13]) / ticks, "system": int(fields[14]) / ticks}


def node_summary(run_results: dict) -> dict:
    """The node times of a build summed by resource type, the seconds during which 0, 1, 2, ... nodes were
    executing at once (with fewer than dbt's threads, a core may idle), and the training chain's models as
    [start, end] seconds after the first node started."""
    executions = {
        result["unique_id"]: [
            datetime.fromisoformat(timing[key].replace("Z", "+00:00")).timestamp()
            for key in ("started_at", "completed_at")
        ]
        for result in run_results["results"]
        for timing in result["timing"]
        if timing["name"] == "execute" and timing.get("started_at")
    }
    summed: dict[str, float] = {}
    for result in run_results["results"]:
        kind = result["unique_id"].split(".")[0]
        summed[kind] = summed.get(kind, 0.0) + result["execution_time"]
    first = min(start for start, _ in executions.values())
    running, previous, seconds_by_running = 0, first, {}
    for moment, change in sorted(
        [(start, 1) for start, _ in executions.values()] + [(end, -1) for _, end in executions.values()]
    ):
        seconds_by_running[running] = seconds_by_running.get(running, 0.0) + moment - previous
        running, previous = running + change, moment
    return {
        "node_seconds_summed": {kind: round(seconds, 1) for kind, seconds in sorted(summed.items())},
        "seconds_by_nodes_running": {
            str(count): round(seconds, 1) for count, seconds in sorted(seconds_by_running.items())
        },
        "training_chain": {
            model: [round(moment - first, 1) for moment in executions[unique_id]]
            for model in TRAINING_CHAIN
            if (unique_id := f"model.pembina.{model}") in executions
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--seed", type=int, default=get_settings().synth_seed)
    parser.add_argument("--collation", choices=("C", "default"), default="C")
    parser.add_argument("--label", default="", help="what this run tries, recorded with it")
    args = parser.parse_args()

    server = os.environ.get("PEMBINA_WAREHOUSE_URL") or db.up()
    commands = warehouse_commands()
    raw = raw_database(server, args.scale, args.seed, args.collation, commands)
    url = recreate_database(server, COPY, template=raw)
    folder, _ = landing_for(args.scale, args.seed)
    target = get_settings().data_dir / "bench" / "full-build-target"
    stages = Stages(url, folder / "synth" / "landing", target, commands)
    stages.dbt("parse")  # untimed, as in scale.py: the timed commands parse partially
    kept_node_seconds = sum(node.startswith(("model.", "test.")) for node in read_node_seconds(node_seconds_file(COPY)))
    load_before = os.getloadavg()
    cpu_before = server_cpu_seconds()
    started = time.perf_counter()
    seed, build = stages.dbt_command("seed"), stages.dbt_command("build")
    cpu_after = server_cpu_seconds()
    run_results = json.loads((target / "run_results.json").read_text())
    with db.connect(url) as conn:
        settings = dict(
            conn.execute(
                "select name, current_setting(name) from unnest(array['wal_level', 'work_mem', 'max_wal_size']) as name"
            ).fetchall()
        )
    nodes = sorted(run_results["results"], key=lambda node: -node["execution_time"])
    entry = {
        "scale": args.scale,
        "seed": args.seed,
        "label": args.label,
        "collation": args.collation,
        "server_settings": settings,
        "measured_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "load_average_before": [round(value, 2) for value in load_before],
        # 0: dbt's own order (no model's or test's run time kept yet); else the critical-path order of pembina-dbt
        "kept_node_seconds": kept_node_seconds,
        "seed_seconds": seed["seconds"],
        "build_seconds": build["seconds"],
        "seed_and_build_seconds": round(time.perf_counter() - started, 1),
        "temp_mb": build["temp_mb"],
        "server_cpu_seconds": (
            {kind: round(cpu_after[kind] - cpu_before[kind], 1) for kind in cpu_before}
            if cpu_before and cpu_after
            else None
        ),
        "slowest_nodes": [[node["unique_id"], round(node["execution_time"], 1)] for node in nodes[:12]],
        **node_summary(run_results),
    }
    entries = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    RESULTS.write_text(json.dumps([*entries, entry], indent=1) + "\n")
    print(json.dumps(entry, indent=1))


if __name__ == "__main__":
    main()
