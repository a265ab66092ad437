"""The failure alert as an Airflow notifier: every Pembina DAG sets ``on_failure_callback=failure_alert`` in its
``default_args``. Airflow calls it in the task's own process once the task has failed for good (not on a retry),
with the exception in the context, so the message carries the error and, for the quality gate, the checks."""

from __future__ import annotations

from typing import Any

from airflow.sdk import BaseNotifier

from pembina.alerts import Failure, send_alert
from pembina.quality import QualityGateFailed


def failure_from_context(context: Any) -> Failure:
    ti = context["ti"]
    dag_run = context.get("dag_run")
    error = context.get("exception")
    checks = ()
    if isinstance(error, QualityGateFailed):
        checks = tuple(f"{f.suite}: {f.expectation}" + (f" on {f.column}" if f.column else "") for f in error.failures)
    try:
        log_url = ti.log_url
    except Exception:  # needs the API server's base URL; the alert goes without the link
        log_url = None
    return Failure(
        dag_id=ti.dag_id,
        task_id=ti.task_id,
        run_id=ti.run_id,
        error=f"{type(error).__name__}: {error}" if error else "the task failed (no exception was recorded)",
        map_index=ti.map_index,
        map_label=getattr(ti, "rendered_map_index", None),
        try_number=ti.try_number,
        run_attempt=getattr(dag_run, "clear_number", 0) or 0,
        failed_checks=checks,
        log_url=log_url,
    )


class FailureAlert(BaseNotifier):
    def notify(self, context: Any) -> None:
        send_alert(failure_from_context(context))


failure_alert = FailureAlert()
