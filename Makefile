# Two commands do everything on a fresh machine with Python 3.11 and pip:
#   make demo   the whole pipeline on synthetic data, end to end, with a summary
#   make test   ruff, sqlfluff, pytest (unit, integration, DAG integrity, end to end) and dbt build
#   make airflow   a local Airflow UI on 127.0.0.1 (`.venv/bin/pembina airflow down` stops it)
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help demo test lint venv clean-data browser airflow

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "  (.venv/bin/pembina --help: every command of the project, with examples)"

venv: $(STAMP) ## create .venv and install requirements (again only when they change)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $(STAMP)

demo: venv ## the whole pipeline on synthetic data, end to end, then a summary
	$(BIN)/pembina demo

airflow: venv ## a local Airflow on 127.0.0.1 (scheduler, dag-processor, triggerer, API server); stop: pembina airflow down
	$(BIN)/pembina airflow up

lint: venv ## ruff, ruff format --check, sqlfluff (prepares the database and the dbt manifest)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pembina prepare
	$(BIN)/pembina sqlfluff lint dbt_project

# The run report's browser test needs Chromium, Debian's package: installed once, quietly.
browser: ## install Debian's chromium for the run report's browser test, when missing
	@command -v chromium >/dev/null || { $$([ "$$(id -u)" = 0 ] || echo sudo) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$([ "$$(id -u)" = 0 ] || echo sudo) apt-get install -y -qq \
		--no-install-recommends chromium >/dev/null; }

# pytest includes `dbt build` on the test warehouse (tests/dags/test_end_to_end.py)
test: lint browser ## lint, then pytest: unit, integration on real PostgreSQL, DAGs, end to end
	$(BIN)/python -m pytest

clean-data: ## stop the embedded PostgreSQL and delete data/ (landing, warehouse, reports)
	-$(BIN)/pembina airflow down
	-$(BIN)/pembina db down
	rm -rf data
