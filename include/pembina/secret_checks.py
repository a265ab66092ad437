"""Secrets that must not be left at a known value in production.

Outside the demo and the tests (``PEMBINA_ENV``, see ``pembina.settings.environment_name``) Pembina refuses to
run while the pseudonym key is missing, too short or too long, or the public development key, or while any
secret it can see (the pseudonym key, Airflow's Fernet key, JWT and API secrets, the warehouse password) still
holds a placeholder of ``deploy/.env.example``. ``pembina check-secrets --env-file .env`` checks the secrets of
a Compose file before the stack starts. Messages name the variable and what is wrong, never the value.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from psycopg.conninfo import conninfo_to_dict

# Key of the pseudonymous employee_key on synthetic data, for the demo and the tests only: it is public, so
# keys made with it are reversible by anyone.
DEV_PSEUDONYM_KEY = "pembina-development-key-not-secret-0001"
PSEUDONYM_KEY_VARIABLE = "PEMBINA_PSEUDONYM_KEY"
PSEUDONYM_KEY_MIN_LENGTH = 32
# HMAC-SHA256's block size: a longer key would first be hashed (RFC 2104), which the dbt macro does not do.
PSEUDONYM_KEY_MAX_LENGTH = 64

# The values deploy/.env.example ships for its required secrets (tests/unit/test_secret_checks.py keeps this
# in step with the file, which is not part of the image).
PLACEHOLDERS = frozenset({"change-me"})

# Secrets as the containers and Pembina's processes see them: checked when set.
RUNTIME_SECRETS: tuple[str, ...] = (
    "AIRFLOW__CORE__FERNET_KEY",
    "AIRFLOW__API_AUTH__JWT_SECRET",
    "AIRFLOW__API__SECRET_KEY",
    "PEMBINA_PG_PASSWORD",
    "PEMBINA_ALERT_SMTP_PASSWORD",
)
# The required secrets of deploy/.env.example, as `check-secrets --env-file` reads them: each must be set.
ENV_FILE_SECRETS: tuple[str, ...] = (
    "POSTGRES_PASSWORD",
    "AIRFLOW_DB_PASSWORD",
    "PEMBINA_DB_PASSWORD",
    "PEMBINA_BI_PASSWORD",
    "METABASE_DB_PASSWORD",
    "METABASE_ENCRYPTION_SECRET_KEY",
    "METABASE_ADMIN_PASSWORD",
    "AIRFLOW_FERNET_KEY",
    "AIRFLOW_JWT_SECRET",
    "AIRFLOW_API_SECRET_KEY",
    "AIRFLOW_ADMIN_PASSWORD",
    PSEUDONYM_KEY_VARIABLE,
)


class UnsafeSecrets(RuntimeError):
    """Secrets left at a development or placeholder value, or missing; the message names each variable."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(
            "refusing to run in production with unsafe secrets (set PEMBINA_ENV=development for a local "
            "machine):\n" + "\n".join(f"  - {problem}" for problem in problems)
        )


def _placeholder(value: str) -> bool:
    return value.strip().lower() in PLACEHOLDERS


def pseudonym_key_problem(key: str | None) -> str | None:
    """What is wrong with a pseudonym key for production, or None."""
    name = PSEUDONYM_KEY_VARIABLE
    if not key:
        return f"{name} is not set"
    if key == DEV_PSEUDONYM_KEY:
        return f"{name} is the public development key"
    if _placeholder(key):
        return f"{name} is the placeholder of deploy/.env.example"
    if not (key.isascii() and key.isprintable()):
        return f"{name} must be printable ASCII (letters, digits, punctuation)"
    if not PSEUDONYM_KEY_MIN_LENGTH <= len(key) <= PSEUDONYM_KEY_MAX_LENGTH:
        return (
            f"{name} has {len(key)} characters; it needs {PSEUDONYM_KEY_MIN_LENGTH} to {PSEUDONYM_KEY_MAX_LENGTH} "
            "(`openssl rand -hex 32` makes one)"
        )
    return None


def secret_problems(environment: Mapping[str, str], required: tuple[str, ...] = ()) -> list[str]:
    """The problems of the secrets in ``environment``: the pseudonym key always, ``required`` when missing,
    every known secret (and the warehouse URL's password) when it is a placeholder."""
    problems = []
    key_problem = pseudonym_key_problem(environment.get(PSEUDONYM_KEY_VARIABLE))
    if key_problem:
        problems.append(key_problem)
    for name in dict.fromkeys((*required, *RUNTIME_SECRETS, *ENV_FILE_SECRETS)):
        if name == PSEUDONYM_KEY_VARIABLE:
            continue
        value = environment.get(name)
        if value is None or value == "":
            if name in required:
                problems.append(f"{name} is not set")
        elif _placeholder(value):
            problems.append(f"{name} is the placeholder of deploy/.env.example")
    url = environment.get("PEMBINA_WAREHOUSE_URL")
    if url:
        password = conninfo_to_dict(url).get("password")
        if password and _placeholder(str(password)):
            problems.append("PEMBINA_WAREHOUSE_URL holds the placeholder password of deploy/.env.example")
    return problems


def require_safe_secrets(environment: Mapping[str, str]) -> None:
    problems = secret_problems(environment)
    if problems:
        raise UnsafeSecrets(problems)


def read_env_file(path: Path) -> dict[str, str]:
    """``NAME=value`` lines as Compose reads a plain .env file (comments and blank lines skipped, one level of
    surrounding quotes removed)."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name.strip().removeprefix("export ").strip()] = value
    return values
