"""A year column in the marts says which year it is (README, "Connecting a BI tool")."""

from __future__ import annotations

from pathlib import Path

import yaml

MARTS = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "marts"
YEAR_KINDS = {
    "calendar_year": "a row per calendar year",
    "fiscal_year": "the state fiscal year (dim_date)",
    "appraisal_year": "the SKP year",
    "training_year": "the year a training's JP count for",
    "assessment_year": "the year of a competency assessment",
    "decree_year": "the year of a discipline decree",
    "report_year": "a university's report year",
    "first_report_year": "the first report listing a participation",
    "last_report_year": "the latest report listing it",
    "retirement_year": "the year employees reach their BUP",
    "initiative_year": "the year an innovation was initiated",
    "rollout_year": "the year an innovation reached penerapan",
    "survey_year": "the year of an SKM semester",
}


def test_every_year_column_of_the_marts_has_a_name_that_says_which_year():
    found = {}
    for path in MARTS.glob("*/_*__models.yml"):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            for column in model.get("columns", []):
                if column["name"].endswith("year") and column.get("data_type") == "integer":
                    found[f"{model['name']}.{column['name']}"] = column
    assert found
    assert {name for name in found if name.split(".")[1] not in YEAR_KINDS} == set()
    assert all("year" in column["description"].lower() for column in found.values())
