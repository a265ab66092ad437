"""Failure alerts through real Airflow (``dag.test()`` in this process, no extra Airflow start): a mapped task whose
three instances fail, and the real quality gate task failing on a warehouse with nothing built. Each run sends one
message to a local webhook receiver and a local SMTP receiver, and audit.alerts records every failed task."""

from __future__ import annotations

import importlib.util
import json
import socket
import socketserver
import threading
from collections.abc import Iterator
from email import message_from_bytes
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pembina import db
from pembina.alerts import AlertSettings, Failure, send_alert

pytestmark = [pytest.mark.integration, pytest.mark.airflow]

ALERTING_DAGS = Path(__file__).parent / "alerting"
# dag.test() runs a DAG only from a bundle: the project's DAGs folder, and the test DAGs in a bundle of their own.
BUNDLES = [
    {"name": "dags-folder", "classpath": "airflow.dag_processing.bundles.local.LocalDagBundle", "kwargs": {}},
    {
        "name": "pembina-alert-tests",
        "classpath": "airflow.dag_processing.bundles.local.LocalDagBundle",
        "kwargs": {"path": str(ALERTING_DAGS)},
    },
]


class _Webhook(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append(json.loads(body))  # type: ignore[attr-defined]
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: every command is accepted, each DATA block is kept."""

    def handle(self) -> None:
        self.wfile.write(b"220 test\r\n")
        data: list[bytes] | None = None
        for line in self.rfile:
            if data is not None:
                if line == b".\r\n":
                    self.server.received.append(message_from_bytes(b"".join(data), policy=default_policy))  # type: ignore[attr-defined]
                    data = None
                    self.wfile.write(b"250 ok\r\n")
                else:
                    data.append(line[1:] if line.startswith(b"..") else line)
            elif line[:4].upper() == b"DATA":
                data = []
                self.wfile.write(b"354 go on\r\n")
            elif line[:4].upper() == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


def _serve(server) -> Iterator[tuple[str, list]]:
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], server.received
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def webhook() -> Iterator[tuple[str, list]]:
    yield from _serve(ThreadingHTTPServer(("127.0.0.1", 0), _Webhook))


@pytest.fixture(scope="module")
def mailbox() -> Iterator[tuple[str, list]]:
    yield from _serve(socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Smtp))


@pytest.fixture(scope="module")
def alerted_runs(make_database, webhook, mailbox, tmp_path_factory):
    """An empty warehouse of its own, the channels pointed at the receivers, and the two DAGs run."""
    url = make_database("pembina_test_alerts")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PEMBINA_WAREHOUSE_URL", url)
        patch.setenv("PEMBINA_REPORTS_DIR", str(tmp_path_factory.mktemp("reports")))
        patch.setenv("PEMBINA_ALERT_WEBHOOK_URL", f"http://127.0.0.1:{webhook[0]}/hooks/pembina")
        patch.setenv("PEMBINA_ALERT_SMTP_HOST", "127.0.0.1")
        patch.setenv("PEMBINA_ALERT_SMTP_PORT", str(mailbox[0]))
        patch.setenv("PEMBINA_ALERT_SMTP_SECURITY", "none")
        patch.setenv("PEMBINA_ALERT_EMAIL_TO", "data@bkpsdm.example, inspektorat@example")
        patch.setenv("AIRFLOW__DAG_PROCESSOR__DAG_BUNDLE_CONFIG_LIST", json.dumps(BUNDLES))
        spec = importlib.util.spec_from_file_location("failing_dags", ALERTING_DAGS / "failing_dags.py")
        dags = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(dags)
        runs = {"task": dags.task_dag.test(), "gate": dags.gate_dag.test()}
        yield url, runs
    from airflow.api.common.delete_dag import delete_dag

    for dag in (dags.task_dag, dags.gate_dag):  # out of the local Airflow's metadata, where `pembina airflow` looks
        delete_dag(dag.dag_id)


def _alerts(url: str, dag_id: str) -> list[tuple]:
    with db.connect(url) as conn:
        return conn.execute(
            """select task_id, map_index, kind, status, channels, error, message, run_id from audit.alerts
                where dag_id = %s order by alert_id""",
            (dag_id,),
        ).fetchall()


def _sent(received: list, dag_id: str, key) -> list:
    return [item for item in received if dag_id in key(item)]


def test_a_failed_mapped_task_sends_one_message_naming_dag_task_and_run(alerted_runs, webhook, mailbox):
    url, runs = alerted_runs
    run = runs["task"]
    assert run.state == "failed"  # the alert did not hide the failure
    [posted] = _sent(webhook[1], "pembina_alerts_test_task", lambda p: p["dag_id"])
    rows = _alerts(url, "pembina_alerts_test_task")
    # dag.test() runs the mapped instances in any order: the first to fail sends, the other two are suppressed
    assert sorted(r[1] for r in rows) == [0, 1, 2]
    assert sorted(r[3] for r in rows) == ["delivered", "suppressed", "suppressed"]
    [sender] = [r for r in rows if r[3] == "delivered"]
    name = ["a.csv", "b.csv", "c.csv"][sender[1]]
    assert sender[4] == ["webhook", "email"] and sender[5] is None and sender[7] == run.run_id
    assert posted["kind"] == "task_failed" and posted["task_id"] == "load" and posted["run_id"] == run.run_id
    assert posted["map_index"] == sender[1]
    for text in ("DAG:  pembina_alerts_test_task", f"Task: load[{name}]", f"Run:  {run.run_id}", "unreadable header"):
        assert text in posted["text"]
    [mail] = _sent(mailbox[1], "pembina_alerts_test_task", lambda m: m["Subject"])
    assert mail["Subject"] == f"[Pembina] task failed: pembina_alerts_test_task.load[{name}] (run {run.run_id})"
    assert mail["To"] == "data@bkpsdm.example, inspektorat@example"
    assert f"ValueError: {name}: unreadable header" in mail.get_content()


def test_a_failed_quality_gate_names_the_checks_that_failed(alerted_runs, webhook, mailbox):
    url, runs = alerted_runs
    run = runs["gate"]
    assert run.state == "failed"
    [posted] = _sent(webhook[1], "pembina_alerts_test_gate", lambda p: p["dag_id"])
    assert posted["kind"] == "gate_failed" and posted["task_id"] == "validate"
    # nothing was built: the marts suites' tables are missing, and each is named
    assert posted["failed_checks"] and any("marts" in check for check in posted["failed_checks"])
    for check in posted["failed_checks"]:
        assert check in posted["text"]
    assert "QualityGateFailed: quality gate failed" in posted["text"]
    assert "BI reads nothing: no publication yet" in posted["text"]
    [mail] = _sent(mailbox[1], "pembina_alerts_test_gate", lambda m: m["Subject"])
    assert mail["Subject"].startswith("[Pembina] quality gate failed: pembina_alerts_test_gate.validate")
    gate_alert, report_alert = _alerts(url, "pembina_alerts_test_gate")
    assert gate_alert[:4] == ("validate", -1, "gate_failed", "delivered")
    assert all(check in gate_alert[6] for check in posted["failed_checks"])
    assert report_alert[:4] == ("report", -1, "task_failed", "suppressed")  # one message per run


def test_a_run_whose_gate_failed_ends_failed_with_its_report_written(alerted_runs):
    """The report is the DAG's last task: written although the gate failed, it fails the run that published
    nothing, so the run is not green."""
    url, runs = alerted_runs
    states = {ti.task_id: ti.state for ti in runs["gate"].get_task_instances()}
    assert states == {"validate": "failed", "publish": "upstream_failed", "report": "failed"}
    [message] = [row[6] for row in _alerts(url, "pembina_alerts_test_gate") if row[0] == "report"]
    assert "this run published nothing (BI reads nothing: no publication yet)" in message
    assert message.split("its report: ")[1].split()[0].endswith(".html")


def test_a_channel_that_is_down_is_recorded_not_raised(alerted_runs):
    url, _ = alerted_runs
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    failure = Failure(dag_id="pembina_alerts_test_down", task_id="load", run_id="manual__down", error="boom")
    settings = AlertSettings(webhook_url=f"http://127.0.0.1:{port}/secret-token", timeout_s=2)
    outcome = send_alert(failure, settings, url)
    assert outcome.status == "failed" and "webhook" in outcome.error and "secret-token" not in outcome.error
    [row] = _alerts(url, "pembina_alerts_test_down")
    assert row[3:6] == ("failed", ["webhook"], outcome.error)
    # the same run cleared and run again alerts again
    again = send_alert(Failure(**{**failure.__dict__, "run_attempt": 1}), AlertSettings(), url)
    assert again.status == "no_channel"
