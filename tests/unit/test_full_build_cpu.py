"""benchmarks/full_build.py's reading of the embedded server's CPU time and of dbt's run results, without a
database: the process a pid file names stands in for the postmaster."""

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


def test_node_summary_counts_the_seconds_each_number_of_nodes_ran_at_once(full_build):
    def result(unique_id: str, start: float, end: float) -> dict:
        moments = [f"2026-12-05T10:00:{second:06.3f}Z" for second in (start, end)]
        timing = [{"name": "execute", "started_at": moments[0], "completed_at": moments[1]}]
        return {"unique_id": unique_id, "timing": timing, "execution_time": end - start}

    summary = full_build.node_summary(
        {
            "results": [
                result("model.pembina.stg_training__participation", 0, 10),
                result("test.pembina.a_test", 2, 4),
                result("model.pembina.fct_training_participation", 3, 6),
                result("model.pembina.int_training_completion_outcomes", 12, 13),
            ]
        }
    )
    assert summary["seconds_by_nodes_running"] == {"0": 2.0, "1": 7.0, "2": 3.0, "3": 1.0}
    assert summary["node_seconds_summed"] == {"model": 14.0, "test": 2.0}
    assert summary["training_chain"]["fct_training_participation"] == [3.0, 6.0]
