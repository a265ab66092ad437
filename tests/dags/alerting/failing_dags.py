"""Two DAGs that fail, for tests/dags/test_alerts.py (an Airflow DAG bundle of their own, never deployed): a mapped
task whose three instances fail, and the warehouse DAG's real last three tasks (gate, publish, report) on a
warehouse where nothing was built."""

import pendulum
from airflow.sdk import DAG, get_current_context, task

from pembina.orchestration.alerts import failure_alert
from pembina.orchestration.quality_tasks import publish, report, validate

DEFAULT_ARGS = {"on_failure_callback": failure_alert, "retries": 0}
START = pendulum.datetime(2026, 1, 1, tz="UTC")


@task(map_index_template="{{ file_name }}")
def load(name: str) -> None:
    get_current_context()["file_name"] = name
    raise ValueError(f"{name}: unreadable header")


with DAG("pembina_alerts_test_task", schedule=None, start_date=START, default_args=DEFAULT_ARGS) as task_dag:
    load.expand(name=["a.csv", "b.csv", "c.csv"])

with DAG("pembina_alerts_test_gate", schedule=None, start_date=START, default_args=DEFAULT_ARGS) as gate_dag:
    publish(validate()) >> report()
