"""How the warehouse grows with the workforce: the whole pipeline at several synthetic scales, then one day of
new data through it, each stage timed with its peak memory.

    .venv/bin/python benchmarks/scale.py --scale 6000 [--scale 30000 ...] [--seed N] [--database NAME] [--keep]
    .venv/bin/python benchmarks/scale.py --report      # the README table from benchmarks/results/scale.json
    .venv/bin/python benchmarks/scale.py --synth-only --scale 600000   # generate and cache the data ahead

For each scale, the synthetic landing files (`pembina synth`) with one day of the e-learning platform's data
held back (common.hold_back_one_day) are generated once per scale and seed under
`<PEMBINA_DATA_DIR>/bench/scale-<N>-seed-<S>` and reused by later runs. Then, in a fresh database (dropped
and recreated) on the configured server (PEMBINA_WAREHOUSE_URL's, else the embedded one):

- full: every source family ingested (`pembina.ingest.pipeline.ingest_source`, one child process per family,
  for its own peak memory), then what the warehouse DAG runs: its reference seeds and its dbt build, the
  commands read from the DAG's own operators (`pembina.orchestration.dbt`: the producer's selection,
  exclusions, vars and flags), the quality gate (`pembina.quality.validate_warehouse`, as `pembina validate`)
  and publication (`pembina.publish.publish_marts`);
- nothing new: the same seeds, build, gate and publication with no new data. Publication swaps marts_build
  and marts, so this first build after a publication builds the incremental facts whole in marts_build;
- one day: the held-back day ingested, then the same seeds, build, gate and publication: what the pipeline
  runs after new data, every day after the first.

The build gets the var the warehouse DAG's interceptor gives it at run time (`pembina.quality.scope`): daily
runs test the new batches only, the first run whole tables.

Times are wall-clock seconds of each stage's own work (a child's start-up and imports are left out; a dbt
command is timed whole, as its task runs it). Peak memory is the stage's process's (VmHWM; for dbt, the
kernel's peak of its process tree); PostgreSQL's own memory is not included, its temporary files are
(`temp_mb`, from pg_stat_database). Each scale's entry replaces the previous one of the same scale and seed
in benchmarks/results/scale.json, with the machine's cores, memory, load average and the git commit.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import scale_results
from common import Dbt, drop_database, hold_back_one_day, peak_rss_mb, recreate_database

from pembina import db
from pembina.quality.scope import data_test_scope
from pembina.settings import get_settings

RESULTS = Path(__file__).parent / "results" / "scale.json"
REPOSITORY = Path(__file__).resolve().parents[1]
DAY_SOURCE = "training"  # the family of the held-back e-learning day
PROBE_DAG_ID = "pembina_scale_benchmark"


# -- the warehouse DAG's dbt commands -----------------------------------------------------------------------


def warehouse_dbt_commands() -> dict[str, list[str]]:
    """The dbt arguments of the warehouse DAG's two dbt tasks (its reference seeds and its watcher
    producer's build), read from the operators ``pembina.orchestration.dbt`` builds: whatever selection,
    exclusions, vars or flags the DAG gives them, the benchmark runs the same. Airflow and Cosmos are
    imported only here, in a child process (``in_child("dbt_commands")``) with Airflow's environment; the
    manifest must be current (`pembina prepare` or `dbt parse`)."""
    from airflow.sdk import DAG
    from cosmos.constants import PRODUCER_WATCHER_TASK_ID

    from pembina.orchestration.dbt import reference_seeds, warehouse_models

    with DAG(PROBE_DAG_ID, schedule=None):
        group = warehouse_models()
        seeds = reference_seeds()
    producer = group.children[f"{group.group_id}.{PRODUCER_WATCHER_TASK_ID}"]
    commands = {"seed": _arguments(seeds), "build": _arguments(producer)}
    templated = [argument for arguments in commands.values() for argument in arguments if "{{" in argument]
    if templated:
        raise SystemExit(
            f"the warehouse DAG's dbt arguments are rendered at run time ({templated}); "
            "render them for the benchmark in warehouse_dbt_commands"
        )
    return commands


def _arguments(operator) -> list[str]:
    """What Cosmos's ``build_cmd`` puts after the dbt executable, less the flags that only say where dbt is."""
    return [
        *operator.dbt_cmd_global_flags,
        *operator.base_cmd,
        *operator.add_global_flags(),
        *operator.add_cmd_flags(),
        *(flag for flag in operator.dbt_cmd_flags or () if flag and str(flag).strip()),
    ]


# -- stages that run in a child process (their own peak memory) --------------------------------------------


def _child_generate(folder: Path, scale: int, seed: int) -> dict:
    from pembina.synth import generate

    started, cpu_started = time.perf_counter(), _cpu_seconds()
    manifest = generate(folder / "synth", scale=scale, seed=seed, progress=False)
    seconds, cpu_seconds, peak_mb = time.perf_counter() - started, _cpu_seconds() - cpu_started, peak_rss_mb()
    day, day_file, day_rows = hold_back_one_day(folder / "synth" / "landing", folder / "day")
    return {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu_seconds, 1),
        "peak_mb": round(peak_mb, 1),
        "files": len(manifest["generated_files"]),
        "landing_mb": round(sum(p.stat().st_size for p in (folder / "synth").rglob("*") if p.is_file()) / 1e6, 1),
        "held_back_day": {"date": day.isoformat(), "file": str(day_file.relative_to(folder)), "rows": day_rows},
    }


def _child_ingest(family: str, paths: list[Path]) -> dict:
    from pembina.ingest.pipeline import ingest_source

    started, cpu_started = time.perf_counter(), _cpu_seconds()
    results = ingest_source(family, paths or None, run_id="scale-benchmark")
    seconds, cpu_seconds = time.perf_counter() - started, _cpu_seconds() - cpu_started
    failed = [result.as_dict() for result in results if result.status not in ("loaded", "skipped")]
    if failed:
        raise SystemExit(f"ingest of {family} failed: {json.dumps(failed, default=str)}")
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "peak_mb": round(peak_rss_mb(), 1),
        "files": len(results),
        "rows_read": sum(result.rows_read for result in results),
        "rows_loaded": sum(result.rows_loaded for result in results),
        "rows_quarantined": sum(result.rows_quarantined for result in results),
    }


def _cpu_seconds() -> float:
    """This process's own CPU time: unlike wall time, it hardly moves with the other work on the machine."""
    times = os.times()
    return times.user + times.system


def _child_gate(run_id: str) -> dict:
    from pembina.quality import validate_warehouse

    started = time.perf_counter()
    summary = validate_warehouse(run_id=run_id)
    seconds = time.perf_counter() - started
    if not summary.passed:
        raise SystemExit(f"the quality gate failed:\n{summary.describe()}")
    return {
        "seconds": round(seconds, 2),
        "peak_mb": round(peak_rss_mb(), 1),
        "gate_run_id": summary.gate_run_id,
        "expectations": summary.evaluated,
    }


def _child_publish(gate_run_id: int) -> dict:
    from pembina.publish import publish_marts

    started = time.perf_counter()
    publication = publish_marts(gate_run_id, airflow_run_id="scale-benchmark")
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "peak_mb": round(peak_rss_mb(), 1),
        "relations": len(publication.relations),
    }


CHILD_STAGES = {
    "generate": lambda args: _child_generate(Path(args[0]), int(args[1]), int(args[2])),
    "ingest": lambda args: _child_ingest(args[0], [Path(path) for path in args[1:]]),
    "gate": lambda args: _child_gate(args[0]),
    "publish": lambda args: _child_publish(int(args[0])),
    "dbt_commands": lambda _: warehouse_dbt_commands(),
}


def warehouse_commands() -> dict[str, list[str]]:
    """warehouse_dbt_commands, in a child process with Airflow's environment, once the manifest exists."""
    manifest = get_settings().dbt_manifest
    if not manifest.exists():
        raise SystemExit(f"no dbt manifest at {manifest}: run `.venv/bin/pembina prepare` first")
    from pembina.runtime import airflow_environment

    return in_child("dbt_commands", environment=airflow_environment())


def in_child(stage: str, *arguments: str, environment: dict[str, str] | None = None) -> dict:
    """Run ``stage`` in a child process of this script; returns what it reports (its last line, JSON)."""
    child = subprocess.run(
        [sys.executable, __file__, "--child", stage, *arguments],
        env={**os.environ, **(environment or {})},
        capture_output=True,
        text=True,
    )
    if child.returncode != 0:
        raise SystemExit(f"stage {stage} {' '.join(arguments)} failed ({child.returncode}):\n{child.stderr[-6000:]}")
    return json.loads(child.stdout.strip().splitlines()[-1])


# -- one scale ----------------------------------------------------------------------------------------------


def landing_for(scale: int, seed: int) -> tuple[Path, dict]:
    """The cached synthetic data of this scale and seed, generated (in a child process) when missing."""
    folder = get_settings().data_dir / "bench" / f"scale-{scale}-seed-{seed}"
    record = folder / "generation.json"
    if record.exists():
        return folder, {**json.loads(record.read_text()), "cached": True}
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    print(f"generating scale {scale:,} (seed {seed}) into {folder}", flush=True)
    generation = in_child("generate", str(partial), str(scale), str(seed))
    (partial / "generation.json").write_text(json.dumps(generation, indent=2) + "\n")
    partial.rename(folder)
    return folder, {**generation, "cached": False}


class Stages:
    """The pipeline's stages against one warehouse database, each timed and recorded."""

    def __init__(self, url: str, landing: Path, target: Path, commands: dict[str, list[str]]):
        self.url = url
        self.environment = {
            "PEMBINA_WAREHOUSE_URL": url,
            "PEMBINA_LANDING_DIR": str(landing),
            # the URL alone would make the children production, with its secrets; they run as this process
            "PEMBINA_ENV": get_settings().environment,
        }
        self.dbt = Dbt(url, target)
        self.commands = commands

    def ingest(self, family: str, paths: list[Path] | None = None) -> dict:
        figures = in_child("ingest", family, *map(str, paths or ()), environment=self.environment)
        loaded, peak = f"{figures['rows_loaded']:,} rows loaded", f"peak {figures['peak_mb']:,.0f} MB"
        print(f"  {figures['seconds']:6.1f} s  ingest {family}: {loaded}, {peak}", flush=True)
        return figures

    def dbt_command(self, name: str) -> dict:
        if name == "build":
            self.dbt.environment.update(self._data_test_scope())
        temp_before = self._temp_bytes()
        seconds = self.dbt(*self.commands[name])
        return {
            "seconds": round(seconds, 1),
            "peak_mb": round(self.dbt.last_peak_mb, 1),
            "temp_mb": round((self._temp_bytes() - temp_before) / 1e6, 1),
            "command": "dbt " + " ".join(self.commands[name]),
        }

    def _data_test_scope(self) -> dict[str, str]:
        """The environment the warehouse DAG's interceptor gives its dbt tasks at run time
        (``pembina.orchestration.dbt.scope_data_tests``): the data tests' rows."""
        with db.connect(self.url) as conn:
            scope = data_test_scope(conn)
        print(f"           {scope.describe()}", flush=True)
        return scope.dbt_env()

    def gate_and_publish(self, run_id: str) -> tuple[dict, dict]:
        gate = in_child("gate", run_id, environment=self.environment)
        print(f"  {gate['seconds']:6.1f} s  quality gate ({gate['expectations']} expectations)", flush=True)
        publication = in_child("publish", str(gate["gate_run_id"]), environment=self.environment)
        print(f"  {publication['seconds']:6.1f} s  publication", flush=True)
        return gate, publication

    def database_mb(self) -> float:
        with db.connect(self.url) as conn:
            return round(conn.execute("select pg_database_size(current_database())").fetchone()[0] / 1e6, 1)

    def _temp_bytes(self) -> int:
        with db.connect(self.url) as conn:
            return conn.execute(
                "select temp_bytes from pg_stat_database where datname = current_database()"
            ).fetchone()[0]


def run_scale(scale: int, seed: int, server: str, database: str, commands: dict[str, list[str]], keep: bool) -> dict:
    folder, generation = landing_for(scale, seed)
    landing, day_file = folder / "synth" / "landing", folder / generation["held_back_day"]["file"]
    url = recreate_database(server, database)
    db.ensure_bi_role(url)
    from pembina.ingest.loader import ensure_raw_tables
    from pembina.sources import families

    with db.connect(url) as conn:
        ensure_raw_tables(conn)
        conn.commit()
    stages = Stages(url, landing, get_settings().data_dir / "bench" / "target", commands)
    stages.dbt("parse")  # once, untimed: each timed command then parses partially, as the DAG's tasks do

    print(f"scale {scale:,} (seed {seed}), full:", flush=True)
    ingested = {family: stages.ingest(family) for family in families()}
    full = _cycle(
        stages,
        f"scale-benchmark-{scale}-full",
        {
            "seconds": round(sum(figures["seconds"] for figures in ingested.values()), 1),
            "rows_loaded": sum(figures["rows_loaded"] for figures in ingested.values()),
            "peak_mb": max(figures["peak_mb"] for figures in ingested.values()),
            "families": ingested,
        },
    )

    # Publication swaps marts_build and marts, so the build after the first publication finds no incremental
    # fact in marts_build and builds them whole: a run with nothing new first, then the day, as every day after.
    print(f"scale {scale:,}, nothing new (the facts left in marts_build by the first publication):", flush=True)
    nothing_new = _cycle(
        stages, f"scale-benchmark-{scale}-nothing-new", {"seconds": 0.0, "rows_loaded": 0, "peak_mb": 0.0}
    )

    day = generation["held_back_day"]
    print(f"scale {scale:,}, one day ({day['date']}: {day['rows']:,} e-learning rows):", flush=True)
    one_day = _cycle(stages, f"scale-benchmark-{scale}-day", stages.ingest(DAY_SOURCE, [day_file]))
    if not keep:
        drop_database(server, database)
    return {"generation": generation, "full": full, "nothing_new": nothing_new, "one_day": one_day}


def _cycle(stages: Stages, run_id: str, ingest: dict) -> dict:
    """What the warehouse DAG runs after the ingest: seed, build, gate, publication."""
    run = {"ingest": ingest, "seed": stages.dbt_command("seed"), "build": stages.dbt_command("build")}
    run["gate"], run["publish"] = stages.gate_and_publish(run_id)
    run["dbt_seconds"] = round(run["seed"]["seconds"] + run["build"]["seconds"], 1)
    run["total_seconds"] = _total(run)
    run["database_mb"] = stages.database_mb()
    return run


def _total(run: dict) -> float:
    return round(sum(run[stage]["seconds"] for stage in ("ingest", "seed", "build", "gate", "publish")), 1)


# -- the machine and the results file -----------------------------------------------------------------------


def memory_gb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 1024**2, 1)
    raise RuntimeError("no MemTotal in /proc/meminfo")


def git_commit() -> str:
    def git(*arguments: str) -> str:
        return subprocess.run(["git", *arguments], cwd=REPOSITORY, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "HEAD")
    return commit + ("+uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def read_entries(path: Path) -> list[dict]:
    return json.loads(path.read_text())["entries"] if path.exists() else []


def write_entries(path: Path, entries: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"entries": entries}, indent=2) + "\n")


def print_scale(entry: dict) -> None:
    full, day = entry["full"], entry["one_day"]
    print(f"\nscale {entry['scale']:,} (seed {entry['seed']}): synth {entry['generation']['seconds']:.0f} s")
    print(f"  {'':10} {'ingest':>8} {'seed':>7} {'build':>8} {'gate':>7} {'publish':>8} {'total':>8}  ingest peak")
    runs = [("full", full), ("nothing new", entry.get("nothing_new")), ("one day", day)]
    for name, run in (run for run in runs if run[1] is not None):
        seconds = [run[stage]["seconds"] for stage in ("ingest", "seed", "build", "gate", "publish")]
        print(
            f"  {name:10} " + " ".join(f"{value:7.1f}s" for value in seconds) + f" {run['total_seconds']:7.1f}s"
            f"  {run['ingest']['peak_mb']:,.0f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    settings = get_settings()
    parser.add_argument("--scale", type=int, nargs="+", action="extend", help="ASN to generate (repeatable)")
    parser.add_argument("--seed", type=int, default=settings.synth_seed)
    parser.add_argument("--database", default="pembina_bench_scale", help="dropped and recreated for each scale")
    parser.add_argument("--keep", action="store_true", help="keep the last scale's database (default: dropped)")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--report", action="store_true", help="print the README table from the results file")
    parser.add_argument(
        "--synth-only", action="store_true", help="only generate (and cache) each scale's data; no database"
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILD_STAGES[args.child[0]](args.child[1:])))
        return
    if args.report:
        print(scale_results.report(read_entries(args.results), seed=args.seed))
        return
    if not args.scale:
        parser.error("give --scale N (one or more), or --report")
    if args.synth_only:
        for scale in args.scale:
            folder, generation = landing_for(scale, args.seed)
            cached = " (cached)" if generation["cached"] else ""
            cpu = generation.get("cpu_seconds", "?")
            print(
                f"scale {scale:,}: synth {generation['seconds']:.1f} s{cached} (CPU {cpu} s), peak "
                f"{generation['peak_mb']:,.0f} MB, {generation['landing_mb']:,.0f} MB of files in {folder}"
            )
        return

    server = os.environ.get("PEMBINA_WAREHOUSE_URL") or db.up()
    commands = warehouse_commands()
    for scale in args.scale:
        load_before, commit = os.getloadavg(), git_commit()
        measured = run_scale(scale, args.seed, server, args.database, commands, args.keep)
        entry = {
            "scale": scale,
            "seed": args.seed,
            "measured_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "command": "benchmarks/scale.py " + " ".join(sys.argv[1:]),
            "git_commit": commit,
            "machine": {
                "cores": os.cpu_count(),
                "memory_gb": memory_gb(),
                "load_average_before": [round(value, 2) for value in load_before],
                "load_average_after": [round(value, 2) for value in os.getloadavg()],
            },
            **measured,
        }
        write_entries(args.results, scale_results.merge(read_entries(args.results), entry))
        print_scale(entry)
    print(f"\nresults: {args.results}")
    print(scale_results.report(read_entries(args.results), seed=args.seed))


if __name__ == "__main__":
    main()
