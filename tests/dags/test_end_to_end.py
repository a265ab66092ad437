"""The demo DAGs through real Airflow (`airflow dags test`), real dbt and real GX on a test warehouse."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from psycopg import errors

from pembina import db, demo
from pembina.settings import get_settings

pytestmark = [pytest.mark.integration, pytest.mark.airflow]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"  # gitignored: the browser test's screenshot


@pytest.fixture(scope="module")
def pipeline_run(warehouse_url, synthetic_sources, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PEMBINA_LANDING_DIR", str(synthetic_sources / "landing"))
        patch.setenv("PEMBINA_REPORTS_DIR", str(tmp_path_factory.mktemp("reports")))
        settings = get_settings()
        demo.prepare(settings)
        timings = [demo.run_dag(demo.INGEST_DAG, settings)]
        demo.ingest_other_families(settings)
        timings.append(demo.run_dag(demo.WAREHOUSE_DAG, settings))
        yield settings, timings


def _count(url: str, relation: str) -> int:
    with db.connect(url) as conn:
        return conn.execute(f"select count(*) from {relation}").fetchone()[0]


def test_raw_staging_and_marts_are_filled(pipeline_run, warehouse_url):
    assert _count(warehouse_url, "raw.siasn_pegawai") > 0
    assert _count(warehouse_url, "staging.stg_siasn__pegawai") > 0
    assert _count(warehouse_url, "marts.dim_employee") > 0
    assert _count(warehouse_url, "marts.mart_workforce_monthly") > 0


def test_the_task_time_is_measured_for_each_dag(pipeline_run):
    _, timings = pipeline_run
    assert [timing.dag_id for timing in timings] == list(demo.DEMO_DAGS)
    assert all(0 < timing.task_seconds < timing.wall_seconds for timing in timings)


def test_validation_passed_and_the_marts_were_published(pipeline_run, warehouse_url):
    with db.connect(warehouse_url) as conn:
        failed = conn.execute(
            """select r.suite, v.expectation, v.column_name from audit.validation_results v
                 join audit.validation_runs r using (validation_run_id)
                where not v.success and v.severity = 'critical'"""
        ).fetchall()
        published = conn.execute(
            """select p.relations, b.status, g.passed from audit.publications p
                 join audit.dbt_builds b using (build_id) join audit.gate_runs g using (gate_run_id)
                order by publication_id desc"""
        ).fetchone()
    assert failed == []
    assert "mart_workforce_monthly" in published[0]
    assert published[1:] == ("success", True)


def test_the_build_keeps_each_nodes_run_time_for_the_next_builds_order(pipeline_run, warehouse_url):
    from psycopg.conninfo import conninfo_to_dict

    from pembina.dbt_scheduler import node_seconds_file, read_node_seconds

    kept = read_node_seconds(node_seconds_file(conninfo_to_dict(warehouse_url)["dbname"]))
    assert kept["model.pembina.mart_workforce_monthly"] > 0
    assert any(node.startswith("test.pembina.") for node in kept)


def test_the_bi_login_reads_marts_but_not_raw(pipeline_run, warehouse_url):
    with db.connect(warehouse_url) as conn:
        conn.execute(f"set role {db.BI_ROLE}")
        assert conn.execute("select count(*) from marts.mart_workforce_monthly").fetchone()[0] > 0
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("select count(*) from raw.siasn_pegawai")


def _chromium(*arguments: str) -> str:
    """Headless Chromium (Debian's package; `make test` installs it) on a local file, without network."""
    binary = shutil.which("chromium")
    assert binary, "Chromium is missing: `make test` installs the Debian package chromium"
    command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=True).stdout


def test_the_run_report_and_the_index_read_in_a_browser(pipeline_run):
    """The report of the validated run (latest.html) and the index, as Chromium renders them, in Indonesian;
    a screenshot of the report is kept in tests/artifacts/run_report.png."""
    settings, _ = pipeline_run
    latest, index = settings.reports_dir / "latest.html", settings.reports_dir / "index.html"
    report = next(settings.reports_dir.glob("run_*.html"))
    assert latest.read_text() == report.read_text()

    dom = _chromium("--dump-dom", latest.as_uri())
    assert '<html lang="id">' in dom and "<h1>Laporan proses Pembina</h1>" in dom
    assert 'data-status="validated"' in dom and "Tervalidasi: quality gate lolos" in dom
    sections = re.findall(r'<h2 id="([a-z-]+)">', dom)
    assert sections == [
        "files-section",
        "quarantine-section",
        "checks-section",
        "charts-section",
        "tables-section",
        "personal-data",
    ]
    charts = set(re.findall(r'<svg class="chart" data-chart="([^"]+)"', dom))
    assert {"pass-rate", "jp-by-opd", "ip-asn-by-opd", "loads-siasn"} <= charts
    assert dom.count("<rect") > 20 and "Kepatuhan JP per OPD" in dom and "IP ASN per OPD" in dom
    assert "siasn/" in dom and str(settings.landing_dir) not in dom  # file names relative to the landing folder

    index_dom = _chromium("--dump-dom", index.as_uri())
    assert '<html lang="id">' in index_dom and f'href="{report.name}"' in index_dom
    assert 'data-status="validated"' in index_dom and 'href="latest.html" id="latest"' in index_dom

    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "run_report.png"
    screenshot.unlink(missing_ok=True)
    _chromium("--window-size=1280,2400", f"--screenshot={screenshot}", latest.as_uri())
    assert screenshot.stat().st_size > 10_000


def test_dbt_build_passes_with_every_model_data_test_and_unit_test(pipeline_run, warehouse_url):
    """`dbt build` outside Airflow: seeds, snapshots, models, data tests and the dbt unit tests."""
    from pembina.runtime import dbt_environment

    settings, _ = pipeline_run
    build = subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "build", "--project-dir", str(settings.dbt_project_dir)],
        env={**os.environ, **dbt_environment(settings)},
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stdout[-4000:]
    results = json.loads((settings.dbt_project_dir / "target" / "run_results.json").read_text())["results"]
    statuses = {result["status"] for result in results}
    # no-op: the ephemeral hosts of the rule unit tests, which build nothing
    assert statuses <= {"success", "pass", "warn", "no-op"}, statuses
    assert any(result["unique_id"].startswith("unit_test.") for result in results)
