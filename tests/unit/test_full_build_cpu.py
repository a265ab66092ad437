"""benchmarks/full_build.py's reading of the embedded server's CPU time, without a database: the process a pid
file names stands in for the postmaster."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture
def full_build(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    monkeypatch.setenv("PEMBINA_PGDATA", str(tmp_path))
    monkeypatch.delenv("PEMBINA_WAREHOUSE_URL", raising=False)
    return importlib.import_module("full_build")


def test_server_cpu_seconds_count_the_children_the_postmaster_has_reaped(full_build, tmp_path):
    (tmp_path / "postmaster.pid").write_text(f"{os.getpid()}\n{tmp_path}\n")
    before = full_build.server_cpu_seconds()
    subprocess.run([sys.executable, "-c", "sum(i * i for i in range(4_000_000))"], check=True)
    after = full_build.server_cpu_seconds()
    assert after["user"] - before["user"] >= 0.1
    assert after["system"] >= before["system"] >= 0


def test_server_cpu_seconds_are_unknown_for_a_configured_server_or_without_a_running_one(
    full_build, tmp_path, monkeypatch
):
    assert full_build.server_cpu_seconds() is None
    (tmp_path / "postmaster.pid").write_text(f"{os.getpid()}\n")
    monkeypatch.setenv("PEMBINA_WAREHOUSE_URL", "postgresql://postgres@127.0.0.1/pembina")
    assert full_build.server_cpu_seconds() is None
