"""`pembina airflow up | down | status`: a local Airflow 3 that completes a warehouse run.

Every component Airflow 3 needs (API server, DAG processor, triggerer, scheduler with the LocalExecutor) as
a process group of its own, bound to 127.0.0.1: the API server on the first free port from 8080, and the
scheduler and the triggerer without their log servers (which would listen on every interface; the API server
reads the task logs from the files). Pids and logs go under the data folder; `down` stops only the processes
recorded there, with their children.

Leftovers: before the scheduler starts, runs left queued or running by an earlier session (an interrupted
`make demo`, a killed `up`) are marked failed, asset events waiting to start a DAG are dropped, and every DAG
is paused except those named with ``--unpause``: nothing starts by itself half-configured.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import httpx
import psutil

from pembina.runtime import PASSWORDS_FILE, airflow_environment
from pembina.settings import Settings, get_settings

HOST = "127.0.0.1"
FIRST_PORT = 8080
USER = "admin"
# Started in this order: the API first, so that task processes and the triggerer find the execution API;
# the scheduler last, once leftovers are cleared.
COMPONENTS = {
    "api-server": lambda port: ["api-server", "--host", HOST, "--port", str(port)],
    "dag-processor": lambda port: ["dag-processor"],
    "triggerer": lambda port: ["triggerer", "--skip-serve-logs"],
    "scheduler": lambda port: ["scheduler", "--skip-serve-logs"],
}
HEALTH_KEYS = {"scheduler": "scheduler", "triggerer": "triggerer", "dag-processor": "dag_processor"}


class AirflowLocalError(RuntimeError):
    pass


@dataclass(frozen=True)
class Paths:
    run_dir: Path
    state: Path
    logs: Path
    passwords: Path

    @classmethod
    def of(cls, settings: Settings) -> Paths:
        run_dir = settings.data_dir / "airflow_local"
        return cls(run_dir, run_dir / "state.json", run_dir / "logs", settings.airflow_home / PASSWORDS_FILE)


def free_port(first: int = FIRST_PORT, host: str = HOST) -> int:
    for port in range(first, first + 100):
        with socket.socket() as probe:
            try:
                probe.bind((host, port))
            except OSError:
                continue
            return port
    raise AirflowLocalError(f"no free port on {host} from {first} to {first + 99}")


def local_environment(settings: Settings, port: int) -> dict[str, str]:
    base_url = f"http://{HOST}:{port}"
    return {
        **airflow_environment(settings),
        "AIRFLOW__API__HOST": HOST,
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API__BASE_URL": base_url,
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{base_url}/execution/",
        "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "False",
    }


def _read_state(paths: Paths) -> dict | None:
    return json.loads(paths.state.read_text()) if paths.state.exists() else None


def _own_process(record: dict) -> psutil.Process | None:
    """The recorded process, if it is still the one `up` started (a reused pid has another start time)."""
    try:
        process = psutil.Process(record["pid"])
        return process if abs(process.create_time() - record["create_time"]) < 1 else None
    except psutil.NoSuchProcess:
        return None


def password(settings: Settings | None = None) -> str | None:
    file = Paths.of(settings or get_settings()).passwords
    if not file.exists() or not file.read_text().strip():
        return None
    return json.loads(file.read_text()).get(USER)


class Api:
    """The REST API v2, with a JWT from /auth/token."""

    def __init__(self, url: str, user: str, secret: str) -> None:
        token = httpx.post(f"{url}/auth/token", json={"username": user, "password": secret}, timeout=30)
        token.raise_for_status()
        self.client = httpx.Client(
            base_url=f"{url}/api/v2", headers={"Authorization": f"Bearer {token.json()['access_token']}"}, timeout=30
        )

    def get(self, path: str, **params) -> dict:
        response = self.client.get(path, params=params)
        response.raise_for_status()
        return response.json()

    def patch(self, path: str, body: dict, **params) -> dict:
        response = self.client.patch(path, json=body, params=params)
        response.raise_for_status()
        return response.json()

    def post(self, path: str, body: dict) -> dict:
        response = self.client.post(path, json=body)
        response.raise_for_status()
        return response.json()

    def delete(self, path: str) -> None:
        response = self.client.delete(path)
        if response.status_code != 404:
            response.raise_for_status()


def health(url: str) -> dict | None:
    try:
        response = httpx.get(f"{url}/api/v2/monitor/health", timeout=5)
    except httpx.HTTPError:
        return None
    return response.json() if response.status_code == 200 else None


def _start(name: str, arguments: list[str], environment: dict[str, str], paths: Paths) -> dict:
    log_file = paths.logs / f"{name}.log"
    with log_file.open("ab") as log:
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("airflow")), *arguments],
            env={**os.environ, **environment},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # a process group of its own, which `down` stops whole
        )
    return {"pid": process.pid, "create_time": psutil.Process(process.pid).create_time(), "log": str(log_file)}


def _wait(condition, what: str, state: dict, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, record in state["components"].items():
            if _own_process(record) is None:
                tail = "\n".join(Path(record["log"]).read_text(errors="replace").splitlines()[-25:])
                raise AirflowLocalError(
                    f"airflow {name} exited while waiting for {what}; {record['log']} ends:\n{tail}"
                )
        if condition():
            return
        time.sleep(1)
    raise AirflowLocalError(f"timed out after {timeout:.0f} s waiting for {what}")


def clear_leftovers(api: Api, keep_unpaused: tuple[str, ...]) -> list[str]:
    """Fail the runs left queued or running, drop queued asset events and pause every DAG but the named
    ones. Returns what was done, one line each."""
    done = []
    for state in ("queued", "running"):
        runs = api.get("/dags/~/dagRuns", state=state, limit=100)["dag_runs"]
        for run in runs:
            api.patch(f"/dags/{run['dag_id']}/dagRuns/{run['dag_run_id']}", {"state": "failed"})
            done.append(f"marked {state} run {run['dag_id']} {run['dag_run_id']} failed")
    for dag in api.get("/dags", limit=100)["dags"]:
        api.delete(f"/dags/{dag['dag_id']}/assets/queuedEvents")
        if dag["dag_id"] not in keep_unpaused and not dag["is_paused"]:
            api.patch(f"/dags/{dag['dag_id']}", {"is_paused": True})
            done.append(f"paused {dag['dag_id']}")
    return done


def up(settings: Settings | None = None, unpause: tuple[str, ...] = (), timeout: float = 180) -> dict:
    """Start Airflow; returns the state (url, port, components) once every component reports healthy."""
    from pembina.demo import prepare

    settings = settings or get_settings()
    paths = Paths.of(settings)
    existing = _read_state(paths)
    if existing and any(_own_process(record) for record in existing["components"].values()):
        raise AirflowLocalError(f"already running at {existing['url']} (`pembina airflow down` stops it)")
    prepare(settings)
    paths.logs.mkdir(parents=True, exist_ok=True)
    paths.run_dir.chmod(0o700)
    if not paths.passwords.exists():  # the API server writes the generated password here: owner only
        paths.passwords.touch(mode=0o600)
    port = free_port()
    url = f"http://{HOST}:{port}"
    environment = local_environment(settings, port)
    state = {"url": url, "port": port, "components": {}}
    started = datetime.now(UTC)

    def launch(name: str) -> None:
        state["components"][name] = _start(name, COMPONENTS[name](port), environment, paths)
        paths.state.write_text(json.dumps(state, indent=2))

    try:
        launch("api-server")
        _wait(lambda: health(url) is not None and password(settings), "the API server", state, timeout)
        api = Api(url, USER, password(settings))
        state["cleared"] = clear_leftovers(api, unpause)
        for name in ("dag-processor", "triggerer", "scheduler"):
            launch(name)
        _wait(lambda: _all_healthy(url), "the scheduler, triggerer and DAG processor", state, timeout)
        for dag_id in unpause:  # its version of now, not one serialized by an earlier session
            parsed = partial(_parsed_since, api, dag_id, started)
            _wait(parsed, f"DAG {dag_id} to be parsed", state, timeout)
            api.patch(f"/dags/{dag_id}", {"is_paused": False})
    except BaseException:
        down(settings)
        raise
    paths.state.write_text(json.dumps(state, indent=2))
    return state


def _all_healthy(url: str) -> bool:
    status = health(url) or {}
    return all(_health_of(status, name) == "healthy" for name in HEALTH_KEYS)


def _health_of(reported: dict, component: str) -> str | None:
    """A component's health in /monitor/health; the API server's own is the metadata database's."""
    return (reported.get(HEALTH_KEYS.get(component, "metadatabase")) or {}).get("status")


def _parsed_since(api: Api, dag_id: str, since: datetime) -> bool:
    try:
        parsed = api.get(f"/dags/{dag_id}")["last_parsed_time"]
    except httpx.HTTPStatusError:
        return False
    return parsed is not None and datetime.fromisoformat(parsed) > since


def _tree(process: psutil.Process) -> list[psutil.Process]:
    try:
        return [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def down(settings: Settings | None = None, grace: float = 30) -> list[str]:
    """Stop the components `up` recorded, each with its process group and every descendant (task processes
    run in groups of their own). Returns the names of those that were running."""
    settings = settings or get_settings()
    paths = Paths.of(settings)
    state = _read_state(paths)
    if not state:
        return []
    owned = {name: _own_process(record) for name, record in state["components"].items()}
    running = {name: process for name, process in owned.items() if process is not None}
    processes = [member for process in running.values() for member in _tree(process)]
    for process in reversed(list(running.values())):  # the scheduler first: it stops its tasks
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    _, alive = psutil.wait_procs(processes, timeout=grace)
    alive += [child for process in alive for child in _tree(process)[1:]]
    for process in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()
    psutil.wait_procs(alive, timeout=10)
    paths.state.unlink(missing_ok=True)
    return list(running)


@dataclass(frozen=True)
class ComponentStatus:
    name: str
    pid: int | None
    listening: list[str]
    health: str | None


def status(settings: Settings | None = None) -> tuple[str | None, list[ComponentStatus]]:
    """The URL (None when nothing runs) and, per component, its pid, the addresses it listens on and the
    health the API reports."""
    paths = Paths.of(settings or get_settings())
    state = _read_state(paths)
    if not state:
        return None, []
    reported = health(state["url"]) or {}
    components = []
    for name, record in state["components"].items():
        process = _own_process(record)
        listening = sorted({address for member in _tree(process) for address in _listening(member)}) if process else []
        components.append(
            ComponentStatus(name, process.pid if process else None, listening, _health_of(reported, name))
        )
    return (state["url"] if any(c.pid for c in components) else None), components


def _listening(process: psutil.Process) -> list[str]:
    try:
        connections = process.net_connections(kind="inet")
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return []
    return [f"{c.laddr.ip}:{c.laddr.port}" for c in connections if c.status == psutil.CONN_LISTEN]
