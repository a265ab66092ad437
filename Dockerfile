# The Pembina image for a server: the official Airflow image with the project's pinned requirements, the
# pembina package, the DAGs and the dbt project, and the dbt manifest parsed at build time (Cosmos renders
# the warehouse DAG from it, so DAG parsing needs neither dbt nor a database).
#
#   docker compose build          (docker-compose.yml builds this file; see deploy/.env.example)
#
# The FROM tag must equal the apache-airflow pin in requirements.txt (tests/unit/test_deployment.py checks).
FROM apache/airflow:3.3.2-python3.11

ENV PEMBINA_HOME=/opt/pembina \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/pembina/dags \
    AIRFLOW__CORE__LOAD_EXAMPLES=False \
    AIRFLOW__COSMOS__CACHE_DIR=/opt/airflow/cosmos \
    AIRFLOW__COSMOS__ENABLE_CACHE=True \
    AIRFLOW__COSMOS__PROPAGATE_LOGS=False \
    DBT_PROFILES_DIR=/opt/pembina/dbt_project \
    DBT_PROJECT_DIR=/opt/pembina/dbt_project \
    DBT_SEND_ANONYMOUS_USAGE_STATS=false \
    DO_NOT_TRACK=1

# The image runs as the `airflow` user (uid 50000, group 0), which installs Python packages for itself.
USER 0
RUN mkdir -p /opt/pembina && chown airflow:root /opt/pembina
USER 50000
WORKDIR /opt/pembina

# Dependencies first, in their own layer: it is rebuilt only when requirements.txt changes. Naming the
# image's own Airflow version keeps pip from moving Airflow (the official "extend the image" recipe).
COPY --chown=airflow:root requirements.txt /opt/pembina/requirements.txt
RUN pip install --no-cache-dir "apache-airflow==${AIRFLOW_VERSION}" -r /opt/pembina/requirements.txt

COPY --chown=airflow:root pyproject.toml /opt/pembina/pyproject.toml
COPY --chown=airflow:root include/ /opt/pembina/include/
COPY --chown=airflow:root dbt_project/ /opt/pembina/dbt_project/
COPY --chown=airflow:root dags/ /opt/pembina/dags/
COPY --chown=airflow:root deploy/metabase/ /opt/pembina/deploy/metabase/

# Editable, so pembina.settings.PROJECT_ROOT is /opt/pembina (dbt_project/ and dags/ beside the package).
RUN pip install --no-cache-dir --no-deps -e /opt/pembina

# Bake the manifest in. `dbt parse` opens no connection: the dummy settings only satisfy profiles.yml, and
# the containers get the real ones from docker-compose.yml at run time. Group 0 gets the owner's rights, as
# everywhere in the official image, so the image also runs under another AIRFLOW_UID.
RUN rm -rf dbt_project/target dbt_project/logs \
    && PEMBINA_PG_HOST=localhost PEMBINA_PG_PORT=5432 PEMBINA_PG_USER=build PEMBINA_PG_PASSWORD=build \
       PEMBINA_PG_DATABASE=pembina PEMBINA_PSEUDONYM_KEY=build-time-parse-only-never-used-to-hash \
       dbt parse --project-dir /opt/pembina/dbt_project --profiles-dir /opt/pembina/dbt_project \
    && test -s dbt_project/target/manifest.json \
    && rm -rf dbt_project/logs \
    && mkdir -p "${AIRFLOW__COSMOS__CACHE_DIR}" \
    && chmod -R g=u /opt/pembina "${AIRFLOW__COSMOS__CACHE_DIR}"

# Fail the build, not the deployment: the Celery executor and the FAB auth manager that docker-compose.yml
# configures come with the official image and must still import after requirements.txt, and every DAG must
# import from the baked manifest without a database. Run in a throw-away AIRFLOW_HOME, so that no
# airflow.cfg with generated keys is left in the image, and as a test (PEMBINA_ENV): no secret exists yet.
RUN export AIRFLOW_HOME=/tmp/build-check AIRFLOW__COSMOS__CACHE_DIR=/tmp/build-check/cosmos \
        PEMBINA_WAREHOUSE_URL=postgresql://build@localhost:5432/pembina PEMBINA_ENV=test \
    && python -c "import airflow.providers.celery.executors.celery_executor, airflow.providers.fab.auth_manager.fab_auth_manager" \
    && python -c "from airflow.dag_processing.dagbag import DagBag; \
bag = DagBag(dag_folder='/opt/pembina/dags'); \
assert not bag.import_errors, bag.import_errors; \
assert bag.dag_ids, 'no DAGs found'; \
print('DAGs:', sorted(bag.dag_ids))" \
    && rm -rf /tmp/build-check
