"""`dbt build` at the default synthetic scale: the first build from scratch, then the build after one day of
new data, run as the warehouse pipeline should run it (dbt's state selection: only what the new data reaches).

    .venv/bin/python benchmarks/dbt_build.py [--database pembina_bench_dbt] [--scale 6000] [--seed N]
                                             [--no-full-second-run]

In a fresh database (dropped and recreated) on the configured server (PEMBINA_WAREHOUSE_URL's, else the
embedded one), it ingests every synthetic source except one day of new data held back, times `dbt build`,
ingests the day and times the second run:

    dbt source freshness
    dbt build --select source_status:fresher+ state:modified+ --state <the first run's artifacts>

`source freshness` records each source's latest `_loaded_at` (target/sources.json); `source_status:fresher+`
is every node downstream of a source loaded since the previous run, `state:modified+` what a change of code
or seed reaches. For comparison it also times a plain `dbt build` of everything after the same day, on a copy
of the database taken before the second run (skip it with --no-full-second-run).

One day of new data is the e-learning platform's: the only source with daily activity (enrolments and
completions every day, about 65 enrolments a day at 6,000 ASN). BPSDM and LAN RI send a recap when a cohort
ends, e-Kinerja once a year, SIASN an export of the whole workforce now and then, assessments and discipline
yearly lists. The day is the last enrolment day of the last synthetic year: its enrolments and the
completions that day of earlier enrolments (those rows are re-delivered, completed now); the held-back file
shows the enrolments of the days before with their state at the end of the previous day.

Every dbt command runs with a target folder of its own after one untimed `dbt parse`, so that each timed
command parses alike (partial parsing, as the pipeline's producer does). Times are wall-clock seconds of the
dbt commands; `elapsed` is dbt's own figure from run_results.json. The results and the nodes that dominate
the first build go to benchmarks/results/dbt_build.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from common import Dbt, drop_database, hold_back_one_day, recreate_database
from psycopg import sql

from pembina import db
from pembina.settings import get_settings

RESULTS = Path(__file__).parent / "results" / "dbt_build.json"
FAMILIES = ("siasn", "ekinerja", "assessment", "discipline", "training", "university")


def ingest(family: str, paths: list[Path] | None = None) -> int:
    from pembina.ingest.pipeline import ingest_source

    results = ingest_source(family, paths)
    failed = [result.as_dict() for result in results if result.status not in ("loaded", "skipped")]
    if failed:
        raise SystemExit(f"ingest of {family} failed: {failed}")
    return sum(result.rows_loaded for result in results)


def summary(results: dict) -> dict:
    by_type: dict[str, int] = defaultdict(int)
    for result in results["results"]:
        by_type[result["unique_id"].split(".")[0]] += 1
    bad = {
        r["unique_id"]: r["status"]
        for r in results["results"]
        if r["status"] not in ("success", "pass", "warn", "no-op")
    }
    if bad:
        raise SystemExit(f"dbt build ended with {bad}")
    return {"elapsed": round(results["elapsed_time"], 1), "nodes": dict(sorted(by_type.items()))}


def profile(results: dict, manifest: dict, top: int = 12) -> dict:
    """Where the build's time goes: by node type, the slowest models, and each model with the data and unit
    tests that read it alone (a test of a view recomputes the view: a costly view is paid once per test)."""
    nodes = results["results"]
    seconds = {result["unique_id"]: result["execution_time"] for result in nodes}
    with_tests: dict[str, float] = defaultdict(float)
    test_counts: dict[str, int] = defaultdict(int)
    for unique_id, spent in seconds.items():
        node = manifest["nodes"].get(unique_id) or manifest.get("unit_tests", {}).get(unique_id) or {}
        if unique_id.startswith(("model.", "snapshot.")):
            with_tests[unique_id] += spent
            continue
        parents = [parent for parent in node.get("depends_on", {}).get("nodes", []) if parent.startswith("model.")]
        if unique_id.startswith(("test.", "unit_test.")) and len(parents) == 1:
            with_tests[parents[0]] += spent
            test_counts[parents[0]] += 1

    def name(unique_id: str) -> str:
        return unique_id.split(".")[-1]

    def materialization(unique_id: str) -> str:
        return manifest["nodes"].get(unique_id, {}).get("config", {}).get("materialized", "?")

    models = sorted((uid for uid in seconds if uid.startswith(("model.", "snapshot."))), key=lambda u: -seconds[u])
    return {
        "total_node_seconds": round(sum(seconds.values()), 1),
        "by_type": {
            kind: round(sum(spent for uid, spent in seconds.items() if uid.startswith(kind + ".")), 1)
            for kind in ("seed", "snapshot", "model", "test", "unit_test")
        },
        "slowest_models": {name(uid): round(seconds[uid], 2) for uid in models[:top]},
        "models_with_their_tests": {
            name(uid): {
                "seconds": round(spent, 2),
                "model_seconds": round(seconds.get(uid, 0.0), 2),
                "tests": test_counts[uid],
                "materialized": materialization(uid),
            }
            for uid, spent in sorted(with_tests.items(), key=lambda item: -item[1])[:top]
        },
    }


def fingerprints(url: str, schemas: tuple[str, ...] = ("marts", "identity")) -> dict[str, str]:
    """An md5 of each table's sorted rows, to compare two warehouses table by table."""
    with db.connect(url) as conn:
        tables = conn.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema = any(%s) and table_type = 'BASE TABLE' order by 1, 2",
            (list(schemas),),
        ).fetchall()
        return {
            f"{schema}.{table}": conn.execute(
                sql.SQL("select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from {}.{} as t").format(
                    sql.Identifier(schema), sql.Identifier(table)
                )
            ).fetchone()[0]
            for schema, table in tables
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    settings = get_settings()
    parser.add_argument("--database", default="pembina_bench_dbt", help="dropped and recreated")
    parser.add_argument("--scale", type=int, default=settings.synth_scale)
    parser.add_argument("--seed", type=int, default=settings.synth_seed)
    parser.add_argument("--no-full-second-run", action="store_true", help="skip the plain `dbt build` after the day")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--artifacts", type=Path, help="keep each run's dbt target folder here (first/, second/)")
    args = parser.parse_args()

    from pembina.ingest.loader import ensure_raw_tables
    from pembina.synth import generate

    load_at_start = os.getloadavg()  # other work on the machine shows in every time below
    server = os.environ.get("PEMBINA_WAREHOUSE_URL") or db.up()
    url = recreate_database(server, args.database)
    os.environ["PEMBINA_WAREHOUSE_URL"] = url  # the ingest below and every dbt command use it
    os.environ["PEMBINA_ENV"] = settings.environment  # the URL alone would make it production, with its secrets
    db.ensure_bi_role(url)
    with db.connect(url) as conn:
        ensure_raw_tables(conn)
        conn.commit()

    with tempfile.TemporaryDirectory(prefix="pembina_bench_dbt_") as folder:
        work = Path(folder)
        started = time.perf_counter()
        generate(work / "synth", scale=args.scale, seed=args.seed, progress=False)
        landing = work / "synth" / "landing"
        day, day_file, day_rows = hold_back_one_day(landing, work / "day")
        os.environ["PEMBINA_LANDING_DIR"] = str(landing)
        loaded = {family: ingest(family) for family in FAMILIES}
        print(
            f"synthetic scale {args.scale:,} (seed {args.seed}): {sum(loaded.values()):,} rows ingested in "
            f"{time.perf_counter() - started:.0f} s; held back: e-learning of {day} ({day_rows} rows)"
        )

        dbt = Dbt(url, work / "target")
        dbt("parse")
        # each run as the pipeline runs it: record the sources' state (target/sources.json), then build
        print("first run (everything from scratch):")
        first_freshness = dbt("source", "freshness", allowed=(0, 1))
        first_build = dbt("build")
        first = dbt.run_results()
        first_summary = summary(first)
        first_profile = profile(first, dbt.manifest())
        first_seconds = first_freshness + first_build
        state = dbt.keep_state(work / "state")
        if args.artifacts:
            shutil.copytree(dbt.target, args.artifacts / "first", dirs_exist_ok=True)

        ingest("training", [day_file])
        full_copy = None
        if not args.no_full_second_run:
            full_copy = recreate_database(server, f"{args.database}_full", template=args.database)

        selector = ["source_status:fresher+", "state:modified+"]
        print("second run (after one day of new data, as the pipeline runs it):")
        freshness_seconds = dbt("source", "freshness", allowed=(0, 1))
        build_seconds = dbt("build", "--select", *selector, "--state", str(state))
        second = dbt.run_results()
        second_summary = summary(second)
        second_profile = profile(second, dbt.manifest())
        if args.artifacts:
            shutil.copytree(dbt.target, args.artifacts / "second", dirs_exist_ok=True)
        second_seconds = freshness_seconds + build_seconds

        full = None
        if full_copy:
            print("for comparison, a plain `dbt build` after the same day (on a copy of the database):")
            full_dbt = Dbt(full_copy, work / "target_full")
            full_dbt("parse")
            full_seconds = full_dbt("build")
            full = {"seconds": round(full_seconds, 1), **summary(full_dbt.run_results())}
            # the selective run must leave the marts as a build of everything does
            selective_tables, full_tables = fingerprints(url), fingerprints(full_copy)
            full["tables_compared"] = len(full_tables)
            full["tables_differing_from_the_selective_run"] = sorted(
                name
                for name in full_tables.keys() | selective_tables.keys()
                if full_tables.get(name) != selective_tables.get(name)
            )
            differing = full["tables_differing_from_the_selective_run"]
            print(f"  tables of marts and identity differing from the selective run's: {differing or 'none'}")
            drop_database(server, f"{args.database}_full")

    ratio = second_seconds / first_seconds
    command = " ".join(["dbt", "build", "--select", *selector, "--state", "<previous run's artifacts>"])
    report = {
        "measured_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": "benchmarks/dbt_build.py " + " ".join(sys.argv[1:]),
        "scale": args.scale,
        "seed": args.seed,
        "cpus": os.cpu_count(),
        "load_average": {
            "at_start": [round(value, 2) for value in load_at_start],
            "at_end": [round(value, 2) for value in os.getloadavg()],
        },
        "held_back_day": {"source": "training_elearning_asn", "date": day.isoformat(), "rows": day_rows},
        "first_run": {
            "commands": ["dbt source freshness", "dbt build"],
            "seconds": round(first_seconds, 1),
            "freshness_seconds": round(first_freshness, 1),
            "build_seconds": round(first_build, 1),
            **first_summary,
        },
        "second_run": {
            "commands": ["dbt source freshness", command],
            "seconds": round(second_seconds, 1),
            "freshness_seconds": round(freshness_seconds, 1),
            "build_seconds": round(build_seconds, 1),
            **second_summary,
        },
        "ratio_second_to_first": round(ratio, 3),
        "second_run_plain_build": full,
        "first_run_profile": first_profile,
        "second_run_profile": second_profile,
    }
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(report, indent=2) + "\n")
    print(f"first run:  {first_seconds:6.1f} s  dbt source freshness && dbt build  ({first_summary['nodes']})")
    print(f"second run: {second_seconds:6.1f} s  dbt source freshness && {command}  ({second_summary['nodes']})")
    if full:
        print(f"(plain dbt build after the day: {full['seconds']} s)")
    print(f"ratio_second_to_first={ratio:.3f}   results: {args.results}")


if __name__ == "__main__":
    main()
