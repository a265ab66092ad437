"""`pembina airflow up` brings up a local Airflow that completes a warehouse run, triggered through the REST API
v2 on the hand-worked fixture data (six employees), and `down` leaves no process and no port behind."""

from __future__ import annotations

import json
import time
from pathlib import Path

import psutil
import pytest

from pembina import airflow_local
from pembina.settings import get_settings

pytestmark = [pytest.mark.integration, pytest.mark.airflow]

FIXTURE_LANDING = Path(__file__).resolve().parents[1] / "fixtures" / "hand_worked" / "landing"
FAMILIES = ("siasn", "ekinerja", "assessment", "discipline", "training", "university")
WAREHOUSE_DAG = "pembina_warehouse"
RUN_TIMEOUT = 600


def _listening_sockets(pids: set[int]) -> list[tuple[int, str, int]]:
    return [
        (conn.pid, conn.laddr.ip, conn.laddr.port)
        for conn in psutil.net_connections(kind="inet")
        if conn.status == psutil.CONN_LISTEN and conn.pid in pids
    ]


def _all_pids(state: dict) -> set[int]:
    pids = set()
    for record in state["components"].values():
        process = psutil.Process(record["pid"])
        pids |= {process.pid, *(child.pid for child in process.children(recursive=True))}
    return pids


@pytest.fixture(scope="module")
def local_airflow(make_database, tmp_path_factory):
    """A warehouse and an Airflow home of their own, the fixture data loaded, and port 8080 taken by someone
    else, so that `up` has to find the next free port."""
    import socket

    from pembina.ingest.pipeline import ingest_source

    url = make_database("pembina_airflow_local")
    home = tmp_path_factory.mktemp("airflow_local")
    with pytest.MonkeyPatch.context() as patch, socket.socket() as squatter:
        patch.setenv("PEMBINA_WAREHOUSE_URL", url)
        patch.setenv("PEMBINA_LANDING_DIR", str(FIXTURE_LANDING))
        patch.setenv("PEMBINA_REPORTS_DIR", str(home / "reports"))
        patch.setenv("PEMBINA_DATA_DIR", str(home / "data"))
        patch.setenv("AIRFLOW_HOME", str(home / "airflow"))
        settings = get_settings()
        busy = airflow_local.free_port()
        squatter.bind((airflow_local.HOST, busy))
        squatter.listen()
        try:
            state = airflow_local.up(settings, unpause=(WAREHOUSE_DAG,))
            for family in FAMILIES:
                ingest_source(family, run_id="test_airflow_local")
            yield settings, state, busy
        finally:
            airflow_local.down(settings)


def every_page(api: airflow_local.Api, path: str, key: str) -> list[dict]:
    """All items of a listing of the REST API, which pages by 100 at most."""
    items: list[dict] = []
    while True:
        page = api.get(path, limit=100, offset=len(items))
        items += page[key]
        if not page[key] or len(items) >= page["total_entries"]:
            return items


def wait_for_dag(api: airflow_local.Api, dag_id: str, timeout: float = 180) -> list[dict]:
    """The DAGs once ``dag_id`` is among them: the DAG processor parses the files one after another."""
    deadline = time.monotonic() + timeout
    while True:
        dags = every_page(api, "/dags", "dags")
        if dag_id in {dag["dag_id"] for dag in dags}:
            return dags
        assert time.monotonic() < deadline, f"{dag_id} not parsed after {timeout:.0f} s"
        time.sleep(2)


def test_up_takes_the_next_free_port_and_the_execution_api_follows_it(local_airflow):
    settings, state, busy = local_airflow
    assert state["port"] > busy
    assert state["url"] == f"http://127.0.0.1:{state['port']}"
    environment = airflow_local.local_environment(settings, state["port"])
    assert environment["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == f"{state['url']}/execution/"
    assert set(state["components"]) == {"api-server", "dag-processor", "triggerer", "scheduler"}


def test_status_names_every_component_and_its_port(local_airflow):
    settings, state, _ = local_airflow
    url, components = airflow_local.status(settings)
    assert url == state["url"]
    listening = {component.name: component.listening for component in components}
    assert listening == {
        "api-server": [f"127.0.0.1:{state['port']}"],
        "dag-processor": [],
        "triggerer": [],
        "scheduler": [],
    }
    assert {component.health for component in components} == {"healthy"}


def test_only_the_dag_asked_for_is_unpaused_and_leftover_runs_are_failed(local_airflow):
    settings, state, _ = local_airflow
    api = airflow_local.Api(state["url"], airflow_local.USER, airflow_local.password(settings))
    paused = {dag["dag_id"]: dag["is_paused"] for dag in wait_for_dag(api, "pembina_ingest_siasn")}
    assert paused.pop(WAREHOUSE_DAG) is False
    assert paused and all(paused.values())
    # a run of a paused DAG stays queued: what a session that ended early leaves behind
    leftover = api.post("/dags/pembina_ingest_siasn/dagRuns", {"logical_date": None})
    assert leftover["state"] == "queued"
    done = airflow_local.clear_leftovers(api, keep_unpaused=(WAREHOUSE_DAG,))
    assert any(leftover["dag_run_id"] in line for line in done)
    run = api.get(f"/dags/pembina_ingest_siasn/dagRuns/{leftover['dag_run_id']}")
    assert run["state"] == "failed"
    assert api.get(f"/dags/{WAREHOUSE_DAG}")["is_paused"] is False


def test_the_warehouse_dag_triggered_through_the_rest_api_succeeds(local_airflow):
    settings, state, _ = local_airflow
    api = airflow_local.Api(state["url"], airflow_local.USER, airflow_local.password(settings))
    run = api.post(f"/dags/{WAREHOUSE_DAG}/dagRuns", {"logical_date": None})
    deadline = time.monotonic() + RUN_TIMEOUT
    while (current := api.get(f"/dags/{WAREHOUSE_DAG}/dagRuns/{run['dag_run_id']}"))["state"] not in (
        "success",
        "failed",
    ):
        assert time.monotonic() < deadline, f"the run is still {current['state']} after {RUN_TIMEOUT} s"
        time.sleep(3)
    instances = every_page(api, f"/dags/{WAREHOUSE_DAG}/dagRuns/{run['dag_run_id']}/taskInstances", "task_instances")
    states = {ti["task_id"]: ti["state"] for ti in instances}
    assert current["state"] == "success", {task: s for task, s in states.items() if s != "success"}
    assert states["publish"] == "success" and len(states) > 50


def test_down_stops_every_process_it_started_and_nothing_listened_on_all_interfaces(local_airflow):
    settings, state, _ = local_airflow
    pids = _all_pids(state)
    sockets = _listening_sockets(pids)
    assert sockets and all(ip == "127.0.0.1" for _, ip, _ in sockets), sockets
    processes = [psutil.Process(pid) for pid in pids]
    assert sorted(airflow_local.down(settings)) == ["api-server", "dag-processor", "scheduler", "triggerer"]
    assert not [process.pid for process in processes if process.is_running()]
    assert airflow_local.status(settings) == (None, [])
    assert not airflow_local.Paths.of(settings).state.exists()
    assert json.loads(airflow_local.Paths.of(settings).passwords.read_text())[airflow_local.USER]
