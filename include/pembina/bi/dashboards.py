"""Dashboard definitions: one YAML file per dbt exposure in deploy/metabase/dashboards/, each card a native SQL
query on the published ``marts`` schema. The exposure gives the dashboard its title and description, so the
lineage dbt draws and the dashboards BKPSDM reads cannot drift apart."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from pembina.settings import PROJECT_ROOT

DASHBOARDS_DIR = PROJECT_ROOT / "deploy" / "metabase" / "dashboards"
EXPOSURES_FILE = PROJECT_ROOT / "dbt_project" / "models" / "marts" / "_marts__exposures.yml"
DISPLAYS = frozenset({"table", "bar", "line", "row", "pie", "scalar"})
_REF = re.compile(r"ref\(\s*['\"](\w+)['\"]\s*\)")


class DefinitionError(ValueError):
    """A dashboard file that cannot be provisioned; the message names the file and the field."""


@dataclass(frozen=True)
class Card:
    name: str
    display: str
    sql: str


@dataclass(frozen=True)
class Dashboard:
    name: str  # the dbt exposure
    title: str
    description: str
    cards: tuple[Card, ...]
    path: Path


@dataclass(frozen=True)
class Exposure:
    name: str
    label: str
    description: str
    depends_on: frozenset[str]  # the marts it reads


def load_exposures(path: Path = EXPOSURES_FILE) -> dict[str, Exposure]:
    exposures = {}
    for item in yaml.safe_load(path.read_text())["exposures"]:
        refs = {match for dependency in item.get("depends_on", []) for match in _REF.findall(dependency)}
        exposures[item["name"]] = Exposure(
            item["name"],
            item.get("label", item["name"]),
            " ".join(item.get("description", "").split()),
            frozenset(refs),
        )
    return exposures


def load_dashboards(folder: Path = DASHBOARDS_DIR, exposures: dict[str, Exposure] | None = None) -> list[Dashboard]:
    """Every dashboard file of ``folder``, titled and described by its exposure."""
    exposures = load_exposures() if exposures is None else exposures
    dashboards = []
    for path in sorted(folder.glob("*.yml")):
        document = yaml.safe_load(path.read_text()) or {}
        name = document.get("name")
        if name not in exposures:
            raise DefinitionError(f"{path.name}: name {name!r} is not an exposure in {EXPOSURES_FILE.name}")
        cards = []
        for number, card in enumerate(document.get("cards") or [], start=1):
            if not card.get("name") or not str(card.get("sql", "")).strip():
                raise DefinitionError(f"{path.name}: card {number} needs a name and sql")
            if card.get("display", "table") not in DISPLAYS:
                raise DefinitionError(f"{path.name}: card {card['name']!r}: display must be one of {sorted(DISPLAYS)}")
            cards.append(Card(card["name"], card.get("display", "table"), card["sql"].strip()))
        if not cards:
            raise DefinitionError(f"{path.name}: no cards")
        if len({card.name for card in cards}) != len(cards):
            raise DefinitionError(f"{path.name}: two cards share a name")
        exposure = exposures[name]
        dashboards.append(Dashboard(name, exposure.label, exposure.description, tuple(cards), path))
    return dashboards
