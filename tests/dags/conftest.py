"""Airflow reads its configuration at import: point it at this project before any test imports it."""

import os

from pembina.runtime import airflow_environment

for _name, _value in airflow_environment().items():
    os.environ.setdefault(_name, _value)
