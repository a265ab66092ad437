"""Configuration, read from environment variables (documented in the README settings table)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

WAREHOUSE_DB = "pembina"
AIRFLOW_DB = "airflow"
# dbt builds the marts into MARTS_BUILD_SCHEMA (dbt_project.yml); the quality gate validates that schema and
# publication swaps it with MARTS_SCHEMA, the only one the BI login reads (pembina.publish).
MARTS_SCHEMA = "marts"
MARTS_BUILD_SCHEMA = "marts_build"


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

    @classmethod
    def from_env(cls) -> Settings:
        home = _path("PEMBINA_HOME", PROJECT_ROOT)
        data_dir = _path("PEMBINA_DATA_DIR", home / "data")
        return cls(
            home=home,
            warehouse_url_override=os.environ.get("PEMBINA_WAREHOUSE_URL") or None,
            data_dir=data_dir,
            landing_dir=_path("PEMBINA_LANDING_DIR", data_dir / "landing"),
            pgdata=_path("PEMBINA_PGDATA", data_dir / "pgdata"),
            reports_dir=_path("PEMBINA_REPORTS_DIR", data_dir / "reports"),
            airflow_home=_path("AIRFLOW_HOME", data_dir / "airflow"),
            dbt_project_dir=home / "dbt_project",
            synth_scale=int(os.environ.get("PEMBINA_SYNTH_SCALE", "6000")),
            synth_seed=int(os.environ.get("PEMBINA_SYNTH_SEED", "20261127")),
        )

    @property
    def embedded(self) -> bool:
        return self.warehouse_url_override is None

    @property
    def dbt_manifest(self) -> Path:
        return self.dbt_project_dir / "target" / "manifest.json"


def get_settings() -> Settings:
    return Settings.from_env()
