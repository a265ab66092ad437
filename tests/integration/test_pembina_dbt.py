"""`pembina-dbt` against the test warehouse: real dbt keeps each node's run time, and its next run takes its queue
in the critical-path order those times give."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from psycopg.conninfo import conninfo_to_dict

from pembina import db
from pembina.audit import ensure_audit_schema
from pembina.runtime import DBT_EXECUTABLE, dbt_environment
from pembina.settings import get_settings

pytestmark = [pytest.mark.integration]

SEEDS = ("ref_service_topic_keyword", "ref_golongan")


def test_a_second_run_is_ordered_by_the_first_runs_times(warehouse_url, tmp_path):
    settings = get_settings()
    with db.connect(warehouse_url) as conn:
        ensure_audit_schema(conn)  # where the seeds record what they reloaded
    environment = {
        **os.environ,
        **dbt_environment(settings),
        "PEMBINA_DATA_DIR": str(tmp_path / "data"),  # where the times are kept, for this test alone
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
    }

    def seed() -> subprocess.CompletedProcess:
        command = [DBT_EXECUTABLE, "seed", "--select", *SEEDS, "--project-dir", str(settings.dbt_project_dir)]
        return subprocess.run(command, env=environment, capture_output=True, text=True)

    first = seed()
    assert first.returncode == 0, first.stdout + first.stderr
    assert "pembina-dbt: 0 of 2 nodes with a kept run time: dbt's own order" in first.stderr
    kept = tmp_path / "data" / "dbt" / "node_seconds" / f"{conninfo_to_dict(warehouse_url)['dbname']}.json"
    assert set(json.loads(kept.read_text())["nodes"]) == {f"seed.pembina.{seed}" for seed in SEEDS}

    second = seed()
    assert second.returncode == 0, second.stdout + second.stderr
    assert "pembina-dbt: 2 of 2 nodes with a kept run time: the critical-path order" in second.stderr
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    assert {result["unique_id"]: result["status"] for result in results if result["unique_id"].startswith("seed.")} == {
        f"seed.pembina.{seed}": "success" for seed in SEEDS
    }
