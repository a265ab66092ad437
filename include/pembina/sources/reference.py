"""Reference lists shared with the warehouse: the dbt seeds are their single source."""

from __future__ import annotations

import csv
from functools import cache

from pembina.settings import get_settings


class ReferenceMissing(RuntimeError):
    pass


@cache
def seed_values(seed: str, column: str) -> list[str]:
    path = get_settings().dbt_project_dir / "seeds" / f"{seed}.csv"
    if not path.exists():
        raise ReferenceMissing(f"reference list {path} is missing")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if column not in (reader.fieldnames or []):
            raise ReferenceMissing(f"{path} has no column {column!r} (columns: {reader.fieldnames})")
        return sorted({row[column] for row in reader if row[column]})


@cache
def code_synonyms(code_list: str) -> tuple[tuple[str, str], ...]:
    """(synonym, canonical code) of one code list, from the seed ``ref_code_synonym``."""
    path = get_settings().dbt_project_dir / "seeds" / "ref_code_synonym.csv"
    if not path.exists():
        raise ReferenceMissing(f"reference list {path} is missing")
    with path.open(newline="", encoding="utf-8") as handle:
        return tuple(
            (row["synonym"], row["canonical_code"]) for row in csv.DictReader(handle) if row["code_list"] == code_list
        )


@cache
def seed_rows(seed: str) -> tuple[dict[str, str], ...]:
    """Every row of a seed, as text."""
    path = get_settings().dbt_project_dir / "seeds" / f"{seed}.csv"
    if not path.exists():
        raise ReferenceMissing(f"reference list {path} is missing")
    with path.open(newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))
