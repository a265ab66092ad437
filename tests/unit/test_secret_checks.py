"""Outside the demo and the tests, Pembina refuses development keys and placeholder secrets, naming the
variable and never its value."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from pembina.secret_checks import (
    DEV_PSEUDONYM_KEY,
    ENV_FILE_SECRETS,
    PLACEHOLDERS,
    RUNTIME_SECRETS,
    UnsafeSecrets,
    read_env_file,
    require_safe_secrets,
    secret_problems,
)
from pembina.settings import Settings, environment_name, get_settings

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / ".env.example"
GOOD_KEY = secrets.token_hex(32)  # 64 characters, as `openssl rand -hex 32`


def _env_example_required() -> dict[str, str]:
    """The required secrets of deploy/.env.example: its entries above the optional section."""
    text = ENV_EXAMPLE.read_text().split("# --- optional", 1)[0]
    return {
        line.split("=", 1)[0]: line.split("=", 1)[1] for line in text.splitlines() if line and not line.startswith("#")
    }


def _good_environment() -> dict[str, str]:
    environment = {name: secrets.token_urlsafe(24) for name in (*RUNTIME_SECRETS, *ENV_FILE_SECRETS)}
    environment["PEMBINA_PSEUDONYM_KEY"] = GOOD_KEY
    environment["PEMBINA_WAREHOUSE_URL"] = f"postgresql://pembina:{secrets.token_hex(12)}@postgres:5432/pembina"
    return environment


def test_the_env_example_and_the_checks_know_the_same_secrets_and_placeholders():
    required = _env_example_required()
    assert set(required) == set(ENV_FILE_SECRETS)
    assert set(required.values()) <= PLACEHOLDERS


def test_safe_secrets_pass():
    assert secret_problems(_good_environment(), required=ENV_FILE_SECRETS) == []
    require_safe_secrets(_good_environment())


@pytest.mark.parametrize("name", [*RUNTIME_SECRETS, *ENV_FILE_SECRETS])
@pytest.mark.parametrize("placeholder", ["change-me", " CHANGE-ME "])
def test_a_placeholder_is_refused_naming_the_variable(name, placeholder):
    environment = {**_good_environment(), name: placeholder}
    with pytest.raises(UnsafeSecrets) as raised:
        require_safe_secrets(environment)
    assert raised.value.problems == [f"{name} is the placeholder of deploy/.env.example"]
    assert name in str(raised.value)


def test_a_placeholder_password_in_the_warehouse_url_is_refused_without_the_url():
    environment = {**_good_environment(), "PEMBINA_WAREHOUSE_URL": "postgresql://pembina:change-me@db:5432/pembina"}
    problems = secret_problems(environment)
    assert problems == ["PEMBINA_WAREHOUSE_URL holds the placeholder password of deploy/.env.example"]


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        (None, "PEMBINA_PSEUDONYM_KEY is not set"),
        ("", "PEMBINA_PSEUDONYM_KEY is not set"),
        (DEV_PSEUDONYM_KEY, "PEMBINA_PSEUDONYM_KEY is the public development key"),
        ("a" * 31, "PEMBINA_PSEUDONYM_KEY has 31 characters; it needs 32 to 64"),
        ("a" * 65, "PEMBINA_PSEUDONYM_KEY has 65 characters; it needs 32 to 64"),
        ("é" * 40, "PEMBINA_PSEUDONYM_KEY must be printable ASCII"),
    ],
)
def test_the_pseudonym_key_must_be_set_secret_and_32_to_64_characters(key, problem):
    environment = _good_environment()
    environment.pop("PEMBINA_PSEUDONYM_KEY")
    if key is not None:
        environment["PEMBINA_PSEUDONYM_KEY"] = key
    problems = secret_problems(environment)
    assert len(problems) == 1 and problems[0].startswith(problem)
    for edge in ("a" * 32, "a" * 64):
        assert secret_problems({**environment, "PEMBINA_PSEUDONYM_KEY": edge}) == []


def test_an_env_file_needs_every_required_secret(tmp_path):
    values = _good_environment()
    values.pop("AIRFLOW_JWT_SECRET")
    env_file = tmp_path / ".env"
    env_file.write_text("# a comment\n\n" + "\n".join(f"{k}='{v}'" for k, v in values.items()) + "\n")
    assert read_env_file(env_file)["PEMBINA_PSEUDONYM_KEY"] == GOOD_KEY  # quotes removed
    assert secret_problems(read_env_file(env_file), required=ENV_FILE_SECRETS) == ["AIRFLOW_JWT_SECRET is not set"]


def test_production_is_a_configured_warehouse_unless_pembina_env_says_otherwise():
    assert environment_name(None, None) == "development"
    assert environment_name(None, "postgresql://db/pembina") == "production"
    assert environment_name("test", "postgresql://db/pembina") == "test"
    with pytest.raises(ValueError, match="PEMBINA_ENV must be one of development, test, production"):
        environment_name("prod", None)


def test_settings_refuse_the_development_key_in_production_only(monkeypatch):
    monkeypatch.setenv("PEMBINA_WAREHOUSE_URL", "postgresql://pembina:s3cret-Value@db:5432/pembina")
    monkeypatch.setenv("PEMBINA_ENV", "production")
    monkeypatch.setenv("PEMBINA_PSEUDONYM_KEY", DEV_PSEUDONYM_KEY)
    with pytest.raises(UnsafeSecrets, match="PEMBINA_PSEUDONYM_KEY is the public development key"):
        get_settings()
    monkeypatch.setenv("PEMBINA_PSEUDONYM_KEY", GOOD_KEY)
    assert get_settings().pseudonym_key == GOOD_KEY
    # The demo and the tests run with the development key when none is set.
    monkeypatch.setenv("PEMBINA_ENV", "test")
    monkeypatch.delenv("PEMBINA_PSEUDONYM_KEY")
    assert get_settings().pseudonym_key == DEV_PSEUDONYM_KEY
    monkeypatch.setenv("PEMBINA_ENV", "production")
    assert Settings.from_env().pseudonym_key is None  # never the development key in production


def _pembina(arguments: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess:
    executable = Path(sys.executable).with_name("pembina")
    return subprocess.run([str(executable), *arguments], env=environment, capture_output=True, text=True)


def test_the_cli_refuses_to_run_and_check_secrets_names_every_problem_never_a_value(tmp_path, monkeypatch):
    leaked = "s3cret-but-too-short"
    environment = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PEMBINA_ENV": "production",
        "PEMBINA_DATA_DIR": str(tmp_path),
        "PEMBINA_WAREHOUSE_URL": f"postgresql://pembina:{leaked}@127.0.0.1:1/pembina",
        "PEMBINA_PSEUDONYM_KEY": leaked,
        "AIRFLOW__CORE__FERNET_KEY": "change-me",
    }
    refused = _pembina(["db", "url"], environment)
    assert refused.returncode == 1
    assert "PEMBINA_PSEUDONYM_KEY has 20 characters" in refused.stderr
    assert "AIRFLOW__CORE__FERNET_KEY is the placeholder" in refused.stderr
    assert leaked not in refused.stdout + refused.stderr

    checked = _pembina(["check-secrets"], environment)
    assert checked.returncode == 1 and leaked not in checked.stdout + checked.stderr
    assert checked.stderr.count("unsafe: ") == 2

    env_file = tmp_path / ".env"
    env_file.write_text(
        "\n".join(f"{k}={v}" for k, v in {**_good_environment(), "POSTGRES_PASSWORD": "change-me"}.items())
    )
    from_file = _pembina(["check-secrets", "--env-file", str(env_file)], environment)
    assert from_file.returncode == 1
    assert from_file.stderr.strip() == "unsafe: POSTGRES_PASSWORD is the placeholder of deploy/.env.example"
    env_file.write_text("\n".join(f"{k}={v}" for k, v in _good_environment().items()))
    assert _pembina(["check-secrets", "--env-file", str(env_file)], environment).returncode == 0
