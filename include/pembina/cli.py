"""The ``pembina`` command line: argument parsing only; the work is done by the modules it calls."""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from pembina.settings import Settings, get_settings


def _db(args: argparse.Namespace) -> int:
    from pembina import db

    settings = get_settings()
    if args.action == "up":
        print(db.up(settings))
    elif args.action == "down":
        if not settings.embedded:
            print("PEMBINA_WAREHOUSE_URL is set: Pembina does not manage that server", file=sys.stderr)
            return 1
        print("stopped" if db.down(settings) else "not running")
    elif args.action == "status":
        if not settings.embedded:
            print(f"configured warehouse: {db.warehouse_url(settings)}")
            return 0
        status = db.embedded_status(settings)
        state = f"running (pid {status.pid}, socket in {status.socket_dir})" if status.running else "stopped"
        print(f"embedded PostgreSQL in {status.pgdata}: {state}")
        return 0 if status.running else 3
    elif args.action == "bi-url":
        print(db.bi_url(settings))
    else:
        print(db.warehouse_url(settings))
    return 0


def _synth(args: argparse.Namespace) -> int:
    from pembina.synth import generate

    manifest = generate(
        Path(args.out), scale=args.scale, seed=args.seed, progress=not args.no_progress and sys.stderr.isatty()
    )
    defects = sum(len(manifest.get(key, [])) for key in ("defects", "file_defects"))
    print(f"wrote {len(manifest['generated_files'])} files with {defects} injected defects to {args.out}")
    return 0


def _ingest(args: argparse.Namespace) -> int:
    from pembina.ingest.pipeline import ingest_source

    results = ingest_source(
        args.source,
        [Path(path) for path in args.paths] or None,
        run_id="cli",
        progress=not args.no_progress and sys.stderr.isatty(),
    )
    if args.json:
        print(json.dumps([result.as_dict() for result in results], indent=2))
    else:
        for result in results:
            detail = result.reason or (
                f"read {result.rows_read}, loaded {result.rows_loaded}, quarantined {result.rows_quarantined}"
            )
            print(f"{result.status:9} {result.path.name}: {detail}")
    return 1 if any(result.status == "rejected" for result in results) else 0


def _airflow_local(arguments: list[str]) -> int:
    from pembina import airflow_local

    parser = argparse.ArgumentParser(
        prog="pembina airflow",
        description="A local Airflow (API server, DAG processor, triggerer, scheduler) on 127.0.0.1; any other "
        "argument runs that airflow command for this project.",
    )
    parser.add_argument("action", choices=["up", "down", "status"])
    parser.add_argument(
        "--unpause", action="append", default=[], metavar="DAG_ID", help="up: leave this DAG unpaused (repeatable)"
    )
    args = parser.parse_args(arguments)
    settings = get_settings()
    if args.action == "up":
        state = airflow_local.up(settings, unpause=tuple(args.unpause))
        for line in state.get("cleared", []):
            print(f"  leftover: {line}")
        print(f"Airflow is up at {state['url']}")
        print(f"  log in as {airflow_local.USER}; the password is in {airflow_local.Paths.of(settings).passwords}")
        unpaused = ", ".join(args.unpause) or "none"
        print(f"  DAGs are paused (unpaused: {unpaused}); unpause or trigger them in the UI")
        print(f"  pids and logs: {airflow_local.Paths.of(settings).run_dir}; stop with `pembina airflow down`")
    elif args.action == "down":
        stopped = airflow_local.down(settings)
        print(f"stopped: {', '.join(stopped)}" if stopped else "not running")
    else:
        url, components = airflow_local.status(settings)
        if url is None:
            print("not running")
            return 3
        print(f"Airflow at {url}")
        for component in components:
            where = ", ".join(component.listening) or "no port"
            state = f"pid {component.pid}, {where}, {component.health or 'no health reported'}"
            print(f"  {component.name:<14} {state if component.pid else 'stopped'}")
        return 0 if all(component.pid for component in components) else 3
    return 0


def _passthrough(tool: str, arguments: list[str]) -> int:
    from pembina.runtime import DBT_EXECUTABLE, airflow_environment, dbt_environment

    if tool == "airflow" and arguments[:1] in (["up"], ["down"], ["status"]):
        return _airflow_local(arguments)
    environment = airflow_environment() if tool == "airflow" else dbt_environment()
    executable = DBT_EXECUTABLE if tool == "dbt" else Path(sys.executable).with_name(tool)  # dbt as the DAG runs it
    return subprocess.call([str(executable), *arguments], env={**os.environ, **environment})


def _validate(args: argparse.Namespace) -> int:
    from pembina.quality import validate_warehouse

    summary = validate_warehouse(run_id=args.run_id)
    print(summary.describe())
    return 1 if summary.critical_failures else 0


def _publish(args: argparse.Namespace) -> int:
    from pembina.publish import latest_gate_run_id, publish_marts

    gate_run_id = args.gate_run_id if args.gate_run_id is not None else latest_gate_run_id()
    print(f"published: {publish_marts(gate_run_id, airflow_run_id=args.run_id).describe()}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from pembina.report import write_run_report

    print(write_run_report(run_id=args.run_id, require_known=True))
    return 0


def _prepare(_: argparse.Namespace) -> int:
    from pembina.demo import prepare

    prepare()
    return 0


def _check_secrets(args: argparse.Namespace) -> int:
    from pembina.secret_checks import ENV_FILE_SECRETS, read_env_file, secret_problems

    if args.env_file:
        problems = secret_problems(read_env_file(Path(args.env_file)), required=ENV_FILE_SECRETS)
        where = args.env_file
    else:
        problems = secret_problems(os.environ)
        where = "the environment"
    for problem in problems:
        print(f"unsafe: {problem}", file=sys.stderr)
    if not problems:
        print(f"secrets in {where}: none missing, none left at a development or placeholder value")
    return 1 if problems else 0


def _metabase(args: argparse.Namespace) -> int:
    from pembina.bi.dashboards import load_dashboards
    from pembina.bi.metabase import Client, Warehouse, provision

    for name in ("METABASE_ADMIN_EMAIL", "METABASE_ADMIN_PASSWORD", "PEMBINA_BI_PASSWORD"):
        if not os.environ.get(name):
            print(f"pembina metabase: set {name} (see deploy/.env.example)", file=sys.stderr)
            return 2
    dashboards = load_dashboards()
    client = Client(args.url)
    client.wait_until_healthy(args.wait)
    client.log_in(os.environ["METABASE_ADMIN_EMAIL"], os.environ["METABASE_ADMIN_PASSWORD"])
    warehouse = Warehouse(args.db_host, args.db_port, args.db_name, "pembina_bi", os.environ["PEMBINA_BI_PASSWORD"])
    print(f"Metabase at {args.url}: {provision(client, dashboards, warehouse).describe()}")
    return 0


def _positive(text: str) -> int:
    """An argparse type: a whole number above zero, refused in the project's words."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a number of ASN: give 1 or more")
    return value


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


EXAMPLES = """\
examples:
  pembina demo                                 the whole pipeline on synthetic data (what `make demo` runs)
  pembina db up                                start the embedded PostgreSQL; `pembina db url` prints its URL
  pembina synth --scale 600 --seed 1           a small synthetic population in data/synth/
  pembina ingest siasn                         load the new SIASN exports of the landing folder
  pembina ingest training_lan_ri FILE.csv      load one vendor's file
  pembina dbt build --select marts             any dbt command against this project's warehouse
  pembina validate && pembina publish          the quality gate, then the marts to the BI login
  pembina report                               data/reports/latest.html
  pembina airflow dags list                    any airflow command, configured for this project

`pembina COMMAND --help` shows a command's options; -v shows what happens (and a traceback on an error).
"""


def _demo(args: argparse.Namespace) -> int:
    from pembina.demo import run_demo

    return run_demo(scale=args.scale, seed=args.seed)


class _Parser(argparse.ArgumentParser):
    """Bad arguments get one line that names the command and the fix, not argparse's usage block."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    settings = Settings.from_env()  # defaults only: the secrets are checked in main()
    parser = _Parser(
        prog="pembina",
        description="Pembina: the ASN development data warehouse of Kabupaten Manokwari, from the command line.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    commands = parser.add_subparsers(dest="command", required=True)

    db_parser = commands.add_parser(
        "db",
        help="manage the warehouse database",
        description="The embedded PostgreSQL (when PEMBINA_WAREHOUSE_URL is unset) and the warehouse URL.",
        epilog=(
            'examples:\n  pembina db up\n  psql "$(pembina db url)"\n'
            '  psql "$(pembina db bi-url)"     as the BI login (pembina_bi): the published marts only'
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    db_parser.add_argument("action", choices=["up", "down", "status", "url", "bi-url"])
    db_parser.set_defaults(handler=_db)

    synth = commands.add_parser(
        "synth",
        help="write deterministic synthetic landing files",
        epilog="example:\n  pembina synth --scale 600 --seed 1 --out data   # then: pembina ingest siasn",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    synth.add_argument(
        "--scale", type=_positive, default=settings.synth_scale, help="number of ASN (default %(default)s)"
    )
    synth.add_argument("--seed", type=_whole, default=settings.synth_seed, help="random seed (default %(default)s)")
    synth.add_argument("--out", default=str(settings.data_dir / "synth"), help="output folder (default %(default)s)")
    synth.add_argument("--no-progress", action="store_true")
    synth.set_defaults(handler=_synth)

    ingest = commands.add_parser(
        "ingest",
        help="load a source's landing files into raw",
        epilog=(
            "examples:\n  pembina ingest siasn                       every new file of data/landing/siasn/\n"
            "  pembina ingest training                    every vendor\n"
            "  pembina ingest university_unipa FILE.csv   one file of one source, results with --json"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ingest.add_argument("source", help="source (e.g. siasn, training_lan_ri) or family (e.g. training: every vendor)")
    ingest.add_argument("paths", nargs="*", help="files to load (default: the source's landing folder)")
    ingest.add_argument("--json", action="store_true", help="print per-file results as JSON")
    ingest.add_argument("--no-progress", action="store_true")
    ingest.set_defaults(handler=_ingest)

    for tool in ("dbt", "airflow", "sqlfluff"):
        help_text = f"run {tool} against this project's warehouse"
        if tool == "airflow":
            help_text += "; `up`, `down`, `status`: a local Airflow on 127.0.0.1"
        passthrough = commands.add_parser(tool, help=help_text, add_help=False)
        passthrough.add_argument("arguments", nargs=argparse.REMAINDER)
        passthrough.set_defaults(handler=lambda args, tool=tool: _passthrough(tool, args.arguments))

    validate = commands.add_parser("validate", help="run the Great Expectations suites")
    validate.add_argument("--run-id", default="cli")
    validate.set_defaults(handler=_validate)

    publish = commands.add_parser(
        "publish", help="make the validated build of the marts the one the BI login reads (refused unless it passed)"
    )
    publish.add_argument("--gate-run-id", type=int, default=None, help="run of the quality gate (default: the latest)")
    publish.add_argument("--run-id", default="cli", help="recorded as the publication's run")
    publish.set_defaults(handler=_publish)

    report = commands.add_parser(
        "report", help="write a run's HTML report and the index of runs (language: PEMBINA_REPORT_LANGUAGE=id|en)"
    )
    report.add_argument("--run-id", default=None, help="a recorded run (default: the latest run of the quality gate)")
    report.set_defaults(handler=_report)

    prepare = commands.add_parser("prepare", help="start the database, refresh the dbt manifest, migrate Airflow")
    prepare.set_defaults(handler=_prepare)

    check = commands.add_parser(
        "check-secrets", help="refuse development keys and placeholders (as production runs do), naming each"
    )
    check.add_argument("--env-file", help="check this Compose .env file (e.g. .env) instead of the environment")
    check.set_defaults(handler=_check_secrets)

    demo = commands.add_parser("demo", help="run the whole pipeline on synthetic data and summarise it")
    demo.add_argument(
        "--scale", type=_positive, default=settings.synth_scale, help="ASN generated when landing is empty"
    )
    demo.add_argument("--seed", type=_whole, default=settings.synth_seed)
    demo.set_defaults(handler=_demo)

    metabase = commands.add_parser(
        "metabase",
        help="create the BI login's connection and the dashboards in Metabase (idempotent)",
        description=(
            "Creates or updates, through Metabase's REST API, the warehouse connection as pembina_bi and one "
            "dashboard per dbt exposure from deploy/metabase/dashboards/. Reads METABASE_ADMIN_EMAIL, "
            "METABASE_ADMIN_PASSWORD and PEMBINA_BI_PASSWORD from the environment."
        ),
        epilog="example (what the Compose service metabase-provision runs):\n"
        "  pembina metabase provision --url http://metabase:3000 --db-host postgres",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    metabase.add_argument("action", choices=["provision"])
    metabase.add_argument("--url", default=os.environ.get("METABASE_URL", "http://127.0.0.1:3000"))
    metabase.add_argument("--db-host", default="postgres", help="the warehouse as Metabase reaches it")
    metabase.add_argument("--db-port", type=_whole, default=5432)
    metabase.add_argument("--db-name", default="pembina")
    metabase.add_argument("--wait", type=float, default=300, help="seconds to wait for Metabase to be healthy")
    metabase.set_defaults(handler=_metabase)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        parser = build_parser()
    except ValueError as exc:  # a setting of the environment that cannot be read
        print(f"pembina: {exc}", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        if args.command != "check-secrets":
            get_settings()  # in production, stops here on a development key or a placeholder secret
        return args.handler(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the message, not a traceback, is what an operator needs; -v shows both
        if args.verbose:
            raise
        print(f"pembina {args.command}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
