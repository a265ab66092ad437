# Two commands do everything on a fresh machine with Python 3.11 and pip:
#   make demo   the whole pipeline on synthetic data, end to end, with a summary
#   make test   ruff, sqlfluff, pytest (unit, integration, DAG integrity, end to end) and dbt build
#   make airflow   a local Airflow UI on 127.0.0.1 (`.venv/bin/pembina airflow down` stops it)
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint venv clean-data airflow

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $(STAMP)

demo: venv
	$(BIN)/pembina demo

airflow: venv
	$(BIN)/pembina airflow up

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pembina prepare
	$(BIN)/pembina sqlfluff lint dbt_project

# pytest includes `dbt build` on the test warehouse (tests/dags/test_end_to_end.py)
test: lint
	$(BIN)/python -m pytest

clean-data:
	-$(BIN)/pembina airflow down
	-$(BIN)/pembina db down
	rm -rf data
