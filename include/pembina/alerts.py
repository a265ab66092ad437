"""Failure alerts: one message per failed DAG run, to the channels the environment configures (a webhook, e-mail),
recorded in ``audit.alerts`` whether or not it was delivered.

The Airflow side (``pembina.orchestration.alerts``) turns a failed task's context into a ``Failure`` and calls
``send_alert``. The first failed task of a run sends the run's message; the tasks of the same run that fail after
it (the other mapped instances of a load, the dbt test task after the dbt build) are recorded as ``suppressed``.
A run cleared and run again (Airflow's ``clear_number``) alerts again. Nothing here raises: a channel or a warehouse
that is down is logged and recorded, and the task's own failure stays what Airflow reports.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
import ssl
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from urllib.parse import urlsplit

from pembina import db
from pembina.audit import ensure_audit_schema

log = logging.getLogger(__name__)

MAX_ERROR_CHARS = 3000
SMTP_SECURITY = ("starttls", "ssl", "none")


@dataclass(frozen=True)
class AlertSettings:
    """The channels, from ``PEMBINA_ALERT_*`` (README, Settings). None configured: alerts are logged and recorded."""

    webhook_url: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_user: str | None = None
    smtp_password: str | None = None
    email_from: str = "pembina@localhost"
    email_to: tuple[str, ...] = ()
    timeout_s: float = 10.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> AlertSettings:
        security = environ.get("PEMBINA_ALERT_SMTP_SECURITY") or "starttls"
        if security not in SMTP_SECURITY:
            raise ValueError(f"PEMBINA_ALERT_SMTP_SECURITY must be one of {', '.join(SMTP_SECURITY)}")
        return cls(
            webhook_url=environ.get("PEMBINA_ALERT_WEBHOOK_URL") or None,
            smtp_host=environ.get("PEMBINA_ALERT_SMTP_HOST") or None,
            smtp_port=int(environ.get("PEMBINA_ALERT_SMTP_PORT") or (465 if security == "ssl" else 587)),
            smtp_security=security,
            smtp_user=environ.get("PEMBINA_ALERT_SMTP_USER") or None,
            smtp_password=environ.get("PEMBINA_ALERT_SMTP_PASSWORD") or None,
            email_from=environ.get("PEMBINA_ALERT_EMAIL_FROM") or cls.email_from,
            email_to=tuple(a.strip() for a in (environ.get("PEMBINA_ALERT_EMAIL_TO") or "").split(",") if a.strip()),
        )

    @property
    def channels(self) -> tuple[str, ...]:
        return (("webhook",) if self.webhook_url else ()) + (("email",) if self.smtp_host and self.email_to else ())


@dataclass(frozen=True)
class Failure:
    """A task that failed for good (after its retries), as the alert tells it."""

    dag_id: str
    task_id: str
    run_id: str
    error: str
    map_index: int | None = None
    map_label: str | None = None  # the rendered map index, e.g. the landing file's name
    try_number: int | None = None
    run_attempt: int = 0  # Airflow's clear_number of the run
    failed_checks: tuple[str, ...] = ()  # set for the quality gate
    log_url: str | None = None
    at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def kind(self) -> str:
        return "gate_failed" if self.failed_checks else "task_failed"

    @property
    def task(self) -> str:
        if self.map_index is None or self.map_index < 0:
            return self.task_id
        return f"{self.task_id}[{self.map_label or self.map_index}]"

    def subject(self) -> str:
        what = "quality gate failed" if self.failed_checks else "task failed"
        return f"[Pembina] {what}: {self.dag_id}.{self.task} (run {self.run_id})"

    def body(self) -> str:
        lines = [
            (
                f"The quality gate failed {len(self.failed_checks)} critical check(s): the marts were not published."
                if self.failed_checks
                else "A task failed for good (after its retries, if it had any)."
            ),
            "",
            f"DAG:  {self.dag_id}",
            f"Task: {self.task}",
            f"Run:  {self.run_id}" + (f" (cleared {self.run_attempt}x)" if self.run_attempt else ""),
            f"Try:  {self.try_number}" if self.try_number else None,
            f"At:   {self.at:%Y-%m-%d %H:%M:%S %Z}",
            f"Log:  {self.log_url}" if self.log_url else None,
        ]
        if self.failed_checks:
            lines += ["", "Checks that failed:", *(f"  - {check}" for check in self.failed_checks)]
        lines += ["", "Error:", _shorten(self.error), "", "What to do: README.md, section Runbooks."]
        return "\n".join(line for line in lines if line is not None)

    def payload(self) -> dict:
        """The webhook's JSON: ``text`` is what Slack- and Mattermost-style incoming webhooks show."""
        return {
            "text": f"{self.subject()}\n{self.body()}",
            "kind": self.kind,
            "dag_id": self.dag_id,
            "task_id": self.task_id,
            "map_index": self.map_index,
            "run_id": self.run_id,
            "try_number": self.try_number,
            "failed_checks": list(self.failed_checks),
            "at": self.at.isoformat(),
        }


def _shorten(error: str) -> str:
    """Its head and its tail, where the gate's error says what BI still reads."""
    if len(error) <= MAX_ERROR_CHARS:
        return error
    tail = MAX_ERROR_CHARS // 4
    return f"{error[: MAX_ERROR_CHARS - tail]}\n[... {len(error) - MAX_ERROR_CHARS} characters ...]\n{error[-tail:]}"


@dataclass(frozen=True)
class AlertOutcome:
    alert_id: int | None
    status: str  # delivered, failed, no_channel, suppressed
    channels: tuple[str, ...]
    error: str | None = None


def send_alert(failure: Failure, settings: AlertSettings | None = None, url: str | None = None) -> AlertOutcome:
    """Send the run's alert unless a task of the same run already did; record it either way. Never raises."""
    try:
        settings = settings or AlertSettings.from_env()
    except ValueError as exc:
        log.error("alert settings: %s; the alert is recorded only", exc)
        settings = AlertSettings()
    alert_id, first = _claim(failure, url)
    if not first:
        log.info("alert for %s.%s suppressed: run %s already alerted", failure.dag_id, failure.task, failure.run_id)
        return AlertOutcome(alert_id, "suppressed", ())
    errors = []
    for channel in settings.channels:
        try:
            (_post_webhook if channel == "webhook" else _send_email)(failure, settings)
        except Exception as exc:  # a channel that is down must not hide the task's failure
            log.error("alert via %s failed: %s", channel, exc)
            errors.append(f"{channel}: {type(exc).__name__}: {exc}")
    status = "failed" if errors else "delivered" if settings.channels else "no_channel"
    if status == "no_channel":
        log.warning("no alert channel configured (PEMBINA_ALERT_*): %s", failure.subject())
    outcome = AlertOutcome(alert_id, status, settings.channels, "; ".join(errors) or None)
    _record(outcome, url)
    return outcome


def _claim(failure: Failure, url: str | None) -> tuple[int | None, bool]:
    """A row in audit.alerts; the first of its run (``True``) sends. Without a warehouse, send anyway."""
    try:
        with db.connect(url, autocommit=True) as conn:
            ensure_audit_schema(conn)
            values = (
                failure.at,
                failure.dag_id,
                failure.run_id,
                failure.run_attempt,
                failure.task_id,
                failure.map_index,
                failure.kind,
                f"{failure.subject()}\n{failure.body()}",
            )
            row = conn.execute(
                """insert into audit.alerts
                       (raised_at, dag_id, run_id, run_attempt, task_id, map_index, kind, message, status)
                   values (%s, %s, %s, %s, %s, %s, %s, %s, 'sending')
                   on conflict (dag_id, run_id, run_attempt) where status <> 'suppressed' do nothing
                   returning alert_id""",
                values,
            ).fetchone()
            if row:
                return row[0], True
            row = conn.execute(
                """insert into audit.alerts
                       (raised_at, dag_id, run_id, run_attempt, task_id, map_index, kind, message, status)
                   values (%s, %s, %s, %s, %s, %s, %s, %s, 'suppressed') returning alert_id""",
                values,
            ).fetchone()
            return row[0], False
    except Exception as exc:
        log.error("cannot record the alert in audit.alerts (%s); sending it anyway", exc)
        return None, True


def _record(outcome: AlertOutcome, url: str | None) -> None:
    if outcome.alert_id is None:
        return
    try:
        with db.connect(url, autocommit=True) as conn:
            conn.execute(
                "update audit.alerts set status = %s, channels = %s, error = %s where alert_id = %s",
                (outcome.status, list(outcome.channels), outcome.error, outcome.alert_id),
            )
    except Exception as exc:
        log.error("cannot record the alert's delivery in audit.alerts: %s", exc)


def _post_webhook(failure: Failure, settings: AlertSettings) -> None:
    assert settings.webhook_url
    request = urllib.request.Request(
        settings.webhook_url,
        data=json.dumps(failure.payload()).encode(),
        headers={"Content-Type": "application/json", "User-Agent": "pembina-alerts"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.timeout_s) as response:
            response.read()
    except OSError as exc:
        # The URL may carry a token (Slack's do): name the host only.
        raise ConnectionError(f"webhook at {urlsplit(settings.webhook_url).hostname}: {exc}") from None


def _send_email(failure: Failure, settings: AlertSettings) -> None:
    message = EmailMessage()
    message["Subject"] = failure.subject()
    message["From"] = settings.email_from
    message["To"] = ", ".join(settings.email_to)
    message.set_content(failure.body())
    assert settings.smtp_host
    if settings.smtp_security == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=settings.timeout_s, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.timeout_s)
    with smtp:
        if settings.smtp_security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password or "")
        smtp.send_message(message)
