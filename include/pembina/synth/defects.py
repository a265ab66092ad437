"""Controlled defects: each defective row breaks exactly one contract rule, and each one is recorded."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

MISSING_REQUIRED = "missing_required"
NIP_FORMAT = "nip_format"
INVALID_DATE = "invalid_date"
UNKNOWN_CODE = "unknown_code"
OUT_OF_RANGE = "out_of_range"
DUPLICATE_KEY = "duplicate_key"
PREDIKAT_MISMATCH = "predikat_mismatch"  # a data-quality finding in e-Kinerja, not a quarantine rule

# (day, month) pairs that are no calendar date in any year
IMPOSSIBLE_DAYS = ((31, 2), (30, 2), (31, 4), (31, 6), (31, 9), (31, 11))


@dataclass
class DefectLog:
    defects: list[dict] = field(default_factory=list)
    file_defects: list[dict] = field(default_factory=list)
    rules_by_source: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def declare(self, source: str, rules: tuple[str, ...]) -> None:
        self.rules_by_source[source] = rules

    def add(self, source: str, file: str, row_number: int, rule: str, field_name: str) -> None:
        self.defects.append(
            {"source": source, "file": file, "row_number": row_number, "rule": rule, "field": field_name}
        )

    def add_file_defect(self, source: str, file: str, defect: str) -> None:
        self.file_defects.append({"source": source, "file": file, "defect": defect})

    def counts(self) -> dict[str, dict[str, int]]:
        counts = {source: dict.fromkeys(rules, 0) for source, rules in self.rules_by_source.items()}
        for defect in self.defects:
            counts[defect["source"]][defect["rule"]] += 1
        return counts


def defect_count(rows: int, rate: float, rule_count: int) -> int:
    """About ``rate`` of the rows, but at least one per rule when the file is big enough to spare them."""
    if rate <= 0:
        return 0
    return min(rows // 2, max(round(rows * rate), min(rule_count, rows // 20)))


Mutation = Callable[[dict, str, np.random.Generator], str]


def inject(
    records: list[dict],
    rules: tuple[str, ...],
    rate: float,
    rng: np.random.Generator,
    mutate: Mutation,
    key_field: str,
    applicable: Callable[[dict, str], bool] | None = None,
) -> tuple[list[dict], list[tuple[int, str, str]]]:
    """Break ``rate`` of the records, spread evenly over ``rules``.

    ``mutate(record, rule, rng)`` changes one record in place so that it breaks exactly ``rule`` and returns
    the field it changed. A duplicate_key defect is an exact copy of an earlier untouched record, inserted
    later in the list. ``applicable(record, rule)``, when given, limits a rule to the records it can apply to.
    Returns the new list and (1-based row number, rule, field) per defect.
    """
    total = len(records)
    count = defect_count(total, rate, len(rules))
    if count == 0:
        return records, []
    per_rule = [rules[i % len(rules)] for i in range(count)]
    available = np.ones(total, dtype=bool)
    mutated: dict[int, tuple[str, str]] = {}
    duplicate_before: dict[int, int] = {}  # insertion row -> row copied
    for rule in rules:
        wanted = per_rule.count(rule)
        if rule == DUPLICATE_KEY:
            for _ in range(wanted):
                row = int(rng.integers(1, total))
                earlier = np.flatnonzero(available[:row])
                if row in duplicate_before or len(earlier) == 0:
                    continue
                source = int(earlier[rng.integers(len(earlier))])
                available[source] = False
                duplicate_before[row] = source
            continue
        if applicable is not None:
            eligible = np.flatnonzero(available & np.array([applicable(record, rule) for record in records]))
        else:
            eligible = np.flatnonzero(available)
        for row in np.sort(rng.choice(eligible, size=min(wanted, len(eligible)), replace=False)):
            available[row] = False
            mutated[int(row)] = (rule, mutate(records[row], rule, rng))

    result: list[dict] = []
    found: list[tuple[int, str, str]] = []
    for row, record in enumerate(records):
        if row in duplicate_before:
            result.append(copy.deepcopy(records[duplicate_before[row]]))
            found.append((len(result), DUPLICATE_KEY, key_field))
        result.append(record)
        if row in mutated:
            found.append((len(result), *mutated[row]))
    return result, found


def impossible_date(rng: np.random.Generator, year: int, style: str) -> str:
    day, month = IMPOSSIBLE_DAYS[rng.integers(len(IMPOSSIBLE_DAYS))]
    if style == "iso":
        return f"{year}-{month:02d}-{day:02d}"
    if style == "iso_datetime":
        return f"{year}-{month:02d}-{day:02d}T09:00:00+09:00"
    separator = {"dmy-": "-", "dmy/": "/"}[style]
    return f"{day:02d}{separator}{month:02d}{separator}{year}"


def malformed_nip(rng: np.random.Generator, nip: str) -> str:
    """A NIP that is not 18 digits: one digit short, or a zero typed as the letter O."""
    if "0" in nip and rng.random() < 0.5:
        position = nip.index("0", 8) if "0" in nip[8:] else nip.index("0")
        return nip[:position] + "O" + nip[position + 1 :]
    return nip[:-1]


@dataclass(frozen=True)
class RecordRules:
    """How the generic rules apply to one source's flat records (see docs/sources.md per source)."""

    nip_field: str
    key_field: str
    date_fields: tuple[str, ...]
    date_style: str  # iso, iso_datetime, dmy-, dmy/
    year: int
    missing_value: Any = ""
    code_field: str | None = None
    unknown_codes: tuple = ()
    range_field: str | None = None
    out_of_range_values: tuple = ()
    extra_rules: tuple[str, ...] = ()

    @property
    def rules(self) -> tuple[str, ...]:
        rules = [MISSING_REQUIRED, NIP_FORMAT, INVALID_DATE]
        if self.code_field:
            rules.append(UNKNOWN_CODE)
        if self.range_field:
            rules.append(OUT_OF_RANGE)
        return (*rules, DUPLICATE_KEY, *self.extra_rules)

    def mutate(self, record: dict, rule: str, rng: np.random.Generator) -> str:
        if rule == MISSING_REQUIRED:
            record[self.nip_field] = self.missing_value
            return self.nip_field
        if rule == NIP_FORMAT:
            record[self.nip_field] = malformed_nip(rng, record[self.nip_field])
            return self.nip_field
        if rule == INVALID_DATE:
            field_name = self.date_fields[rng.integers(len(self.date_fields))]
            record[field_name] = impossible_date(rng, self.year, self.date_style)
            return field_name
        if rule == UNKNOWN_CODE:
            record[self.code_field] = self.unknown_codes[rng.integers(len(self.unknown_codes))]
            return self.code_field
        if rule == OUT_OF_RANGE:
            record[self.range_field] = self.out_of_range_values[rng.integers(len(self.out_of_range_values))]
            return self.range_field
        raise ValueError(f"no generic mutation for rule {rule}")
