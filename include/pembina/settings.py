"""Configuration, read from environment variables (documented in the README settings table)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pembina.secret_checks import DEV_PSEUDONYM_KEY, require_safe_secrets

PROJECT_ROOT = Path(__file__).resolve().parents[2]

WAREHOUSE_DB = "pembina"
AIRFLOW_DB = "airflow"
# dbt builds the marts into MARTS_BUILD_SCHEMA (dbt_project.yml); the quality gate validates that schema and
# publication swaps it with MARTS_SCHEMA, the only one the BI login reads (pembina.publish).
MARTS_SCHEMA = "marts"
MARTS_BUILD_SCHEMA = "marts_build"

ENVIRONMENTS = ("development", "test", "production")


def _path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class Settings:
    home: Path
    warehouse_url_override: str | None
    data_dir: Path
    landing_dir: Path
    pgdata: Path
    reports_dir: Path
    airflow_home: Path
    dbt_project_dir: Path
    synth_scale: int
    synth_seed: int
    environment: str
    pseudonym_key: str | None

    @classmethod
    def from_env(cls) -> Settings:
        home = _path("PEMBINA_HOME", PROJECT_ROOT)
        data_dir = _path("PEMBINA_DATA_DIR", home / "data")
        warehouse_url = os.environ.get("PEMBINA_WAREHOUSE_URL") or None
        environment = environment_name(os.environ.get("PEMBINA_ENV"), warehouse_url)
        key = os.environ.get("PEMBINA_PSEUDONYM_KEY") or None
        return cls(
            home=home,
            warehouse_url_override=warehouse_url,
            data_dir=data_dir,
            landing_dir=_path("PEMBINA_LANDING_DIR", data_dir / "landing"),
            pgdata=_path("PEMBINA_PGDATA", data_dir / "pgdata"),
            reports_dir=_path("PEMBINA_REPORTS_DIR", data_dir / "reports"),
            airflow_home=_path("AIRFLOW_HOME", data_dir / "airflow"),
            dbt_project_dir=home / "dbt_project",
            synth_scale=_whole_number("PEMBINA_SYNTH_SCALE", "6000", minimum=1),
            synth_seed=_whole_number("PEMBINA_SYNTH_SEED", "20261127"),
            environment=environment,
            pseudonym_key=key if key or environment == "production" else DEV_PSEUDONYM_KEY,
        )

    @property
    def embedded(self) -> bool:
        return self.warehouse_url_override is None

    @property
    def dbt_manifest(self) -> Path:
        return self.dbt_project_dir / "target" / "manifest.json"


def _whole_number(name: str, default: str, minimum: int | None = None) -> int:
    text = os.environ.get(name) or default
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {text!r}") from None
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be {minimum} or more, not {value}")
    return value


def environment_name(value: str | None, warehouse_url: str | None) -> str:
    """``PEMBINA_ENV``; unset, a configured warehouse means production and the embedded server development."""
    if not value:
        return "production" if warehouse_url else "development"
    if value not in ENVIRONMENTS:
        raise ValueError(f"PEMBINA_ENV must be one of {', '.join(ENVIRONMENTS)}")
    return value


def get_settings() -> Settings:
    """The settings of a real run: in production, refuses development keys and placeholder secrets."""
    settings = Settings.from_env()
    if settings.environment == "production":
        require_safe_secrets(os.environ)
    return settings
