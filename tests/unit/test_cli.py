"""The terminal: `make help`, `pembina --help` with examples, bad arguments refused in one line, a heartbeat
during long steps, log records in the log files."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pembina.cli import build_parser, main
from pembina.demo import _log_records_to, _run

ROOT = Path(__file__).resolve().parents[2]


def _refusal(capsys, argv: list[str]) -> str:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1, captured.err
    return captured.err.strip()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["synth", "--scale", "-5"], "pembina synth: argument --scale: -5 is not a number of ASN: give 1 or more"),
        (["demo", "--scale", "0"], "pembina demo: argument --scale: 0 is not a number of ASN: give 1 or more"),
        (["synth", "--scale", "many"], "pembina synth: argument --scale: 'many' is not a whole number"),
        (["synth", "--seed", "1.5"], "pembina synth: argument --seed: '1.5' is not a whole number"),
        (["db", "start"], "pembina db: argument action: invalid choice: 'start'"),
        (["frobnicate"], "pembina: argument command: invalid choice: 'frobnicate'"),
    ],
)
def test_bad_arguments_get_one_line_naming_the_command_and_its_help(capsys, argv, message):
    error = _refusal(capsys, argv)
    assert error.startswith(message), error
    assert error.endswith(f"(see `{message.split(':')[0]} --help`)"), error


def test_a_setting_that_cannot_be_read_is_one_line_too(capsys, monkeypatch):
    monkeypatch.setenv("PEMBINA_SYNTH_SCALE", "-5")
    assert main(["synth", "--help"]) == 2
    assert capsys.readouterr().err == "pembina: PEMBINA_SYNTH_SCALE must be 1 or more, not -5\n"


def test_the_installed_command_refuses_a_negative_scale_without_a_traceback():
    result = subprocess.run(
        [str(Path(sys.executable).with_name("pembina")), "synth", "--scale", "-5"], capture_output=True, text=True
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "pembina synth: argument --scale: -5 is not a number of ASN: give 1 or more (see `pembina synth --help`)"
    ]


def test_help_lists_every_command_with_examples():
    parser = build_parser()
    text = parser.format_help()
    commands = parser._subparsers._group_actions[0].choices
    assert all(re.search(rf"^    {re.escape(command)}\s", text, re.MULTILINE) for command in commands), text
    examples = text[text.index("examples:") :]
    for command in ("demo", "db", "synth", "ingest", "dbt", "validate", "publish", "report", "airflow"):
        assert f"pembina {command}" in examples, command
    for command in ("db", "synth", "ingest", "metabase"):
        assert "example" in commands[command].format_help(), command


def test_make_help_lists_every_target_with_one_line():
    makefile = (ROOT / "Makefile").read_text()
    targets = re.findall(r"^([a-z][a-z-]*):", makefile, re.MULTILINE)
    result = subprocess.run(["make", "-s", "-C", str(ROOT), "help"], capture_output=True, text=True, check=True)
    listed = re.findall(r"^  make (\S+)\s+\S", result.stdout, re.MULTILINE)
    assert listed == targets


def test_a_long_step_prints_a_heartbeat_with_what_it_is_doing(tmp_path, capsys):
    seconds = _run(
        [sys.executable, "-c", "import time; print('to the log'); time.sleep(0.7)"],
        {},
        tmp_path / "step.log",
        heartbeat=0.2,
        step=lambda: "3/86 tasks done",
    )
    lines = capsys.readouterr().out.splitlines()
    assert seconds >= 0.7 and len(lines) >= 2, lines
    assert all(re.fullmatch(r"  \.\.\. python\S* -c .*: \d+ s, 3/86 tasks done", line) for line in lines), lines
    assert (tmp_path / "step.log").read_text() == "to the log\n"


def test_log_records_of_in_process_work_go_to_the_log_file_not_the_terminal(tmp_path, capsys):
    terminal = logging.StreamHandler(sys.stderr)  # what importing Airflow installs on the root logger
    root = logging.getLogger()
    root.addHandler(terminal)
    try:
        with _log_records_to(tmp_path / "demo.log"):
            logging.getLogger("pembina.ingest.loader").warning("skp_2025.json: loaded")
        assert terminal in root.handlers
    finally:
        root.removeHandler(terminal)
    assert "skp_2025.json: loaded" in (tmp_path / "demo.log").read_text()
    assert "skp_2025.json" not in capsys.readouterr().err


def test_pembina_dbt_runs_dbt_as_the_warehouse_dag_does(capfd):
    """`pembina dbt` goes through `pembina-dbt` (pembina.dbt_scheduler), as the DAG's build does."""
    assert main(["dbt", "frobnicate"]) == 2
    assert "pembina-dbt: dbt stopped: No such command 'frobnicate'" in capfd.readouterr().err
