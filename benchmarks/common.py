"""What the benchmarks share: a fresh database, one day of new data held back from the synthetic landing
files, dbt run as a subprocess with the project's environment, and a process's own peak memory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path

from psycopg import sql

from pembina import db
from pembina.runtime import DBT_EXECUTABLE, dbt_environment
from pembina.settings import get_settings

ELEARNING = Path("training") / "elearning_asn"
IN_PROGRESS = {"completed": False, "completed_at": None, "score": None}


def recreate_database(server: str, database: str, template: str | None = None) -> str:
    """Drop ``database`` on the server of URL ``server`` and create it again (empty, or a copy of
    ``template``); returns its URL."""
    with db.connect(db.sibling_database_url(server, "postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(database)))
        db.create_database(conn, database, template)
    return db.sibling_database_url(server, database)


def drop_database(server: str, database: str) -> None:
    with db.connect(db.sibling_database_url(server, "postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(database)))


def hold_back_one_day(landing: Path, day_folder: Path) -> tuple[date, Path, int]:
    """Rewrites the last e-learning file as the platform showed it at the end of the day before its last
    enrolment day D, and writes day D's export into day_folder; returns D, the day file and its rows.

    The e-learning platform is the only source with daily activity (enrolments and completions every day);
    BPSDM and LAN RI send a recap when a cohort ends, e-Kinerja once a year, SIASN an export of the whole
    workforce now and then. Day D's export holds its enrolments and the completions that day of earlier
    enrolments (those rows are re-delivered, completed now); the held-back file shows the enrolments of the
    days before with their state at the end of the previous day. Dates are compared as the text of the
    local date (a row with an impossible date, which the ingest quarantines, stays where its text puts it)."""
    final = sorted((landing / ELEARNING).glob("*.jsonl"))[-1]

    def local_date(value: str | None) -> str:
        return (value or "")[:10]

    def enrolments():  # read twice, a line at a time: the file of the last year is 600 MB at 600,000 ASN
        with final.open() as lines:
            for line in lines:
                yield json.loads(line)

    day = date.fromisoformat(max(local_date(row["enrolled_at"]) for row in enrolments()))
    today, yesterday = day.isoformat(), (day - timedelta(days=1)).isoformat()

    def at_end_of(last_day: str, row: dict) -> dict:
        completed = local_date(row["completed_at"])
        return row if not completed or completed <= last_day else {**row, **IN_PROGRESS}

    day_file = day_folder / ELEARNING / f"course_completions_{day:%Y%m%d}.jsonl"
    day_file.parent.mkdir(parents=True, exist_ok=True)
    before_day = final.with_name(final.name + ".before_day")
    day_rows = 0
    with before_day.open("w") as before, day_file.open("w") as of_the_day:
        for row in enrolments():
            if local_date(row["enrolled_at"]) < today:
                before.write(json.dumps(at_end_of(yesterday, row)) + "\n")
            if today in (local_date(row["enrolled_at"]), local_date(row["completed_at"])):
                of_the_day.write(json.dumps(at_end_of(today, row)) + "\n")
                day_rows += 1
    before_day.replace(final)
    return day, day_file, day_rows


class Dbt:
    """dbt commands against the warehouse at ``url``, each as a subprocess with the project's environment
    and ``target`` as its target folder. ``last_peak_mb`` is the peak resident memory of the latest
    command's process tree as the kernel reports it on exit (at least this process's own peak: Linux
    carries that over across fork and exec)."""

    def __init__(self, url: str, target: Path):
        self.settings = get_settings()
        self.environment = {**os.environ, **dbt_environment(self.settings), "PEMBINA_WAREHOUSE_URL": url}
        self.environment.update(db.dbt_env(url))
        self.target = target
        self.last_peak_mb = 0.0

    def __call__(self, *arguments: str, allowed: tuple[int, ...] = (0,)) -> float:
        command = [
            DBT_EXECUTABLE,
            *arguments,
            "--project-dir",
            str(self.settings.dbt_project_dir),
            "--target-path",
            str(self.target),
            "--log-path",
            str(self.target / "logs"),
        ]
        self.target.mkdir(parents=True, exist_ok=True)
        output = self.target / "command_output.log"
        started = time.perf_counter()
        with output.open("w") as log:
            process = subprocess.Popen(command, env=self.environment, stdout=log, stderr=subprocess.STDOUT)
            _, status, usage = os.wait4(process.pid, 0)  # reaped here, for its resource usage
        seconds = time.perf_counter() - started
        process.returncode = returncode = os.waitstatus_to_exitcode(status)
        self.last_peak_mb = usage.ru_maxrss / 1024
        if returncode not in allowed:
            tail = output.read_text(errors="replace")[-6000:]
            raise SystemExit(f"dbt {' '.join(arguments)} failed ({returncode}), output in {output}:\n{tail}")
        print(f"  {seconds:6.1f} s  dbt {' '.join(arguments)}", flush=True)
        return seconds

    def run_results(self) -> dict:
        return json.loads((self.target / "run_results.json").read_text())

    def manifest(self) -> dict:
        return json.loads((self.target / "manifest.json").read_text())

    def keep_state(self, folder: Path) -> Path:
        """The artifacts the next run compares itself with (as the pipeline would keep them)."""
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("manifest.json", "run_results.json", "sources.json"):
            shutil.copy2(self.target / name, folder / name)
        return folder


def peak_rss_mb() -> float:
    """This process's own peak resident memory. Not ru_maxrss: Linux carries that over from the parent
    across fork and exec, so a child of a large parent would report the parent's size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")
