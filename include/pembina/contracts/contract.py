"""Declared row contracts and their vectorised evaluation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from pembina.contracts import checks

DUPLICATE_KEY = "duplicate_key"
MISSING_REQUIRED = "missing_required"


class Rows:
    """A chunk of rows under evaluation. Views that several rules use (a column as fixed-width text, a
    date column split into parts) are computed once per chunk."""

    def __init__(self, table: pa.Table):
        self.table = table
        self._views: dict[tuple, object] = {}

    def __getitem__(self, column: str) -> pa.ChunkedArray:
        return self.table[column]

    @property
    def num_rows(self) -> int:
        return self.table.num_rows

    def _view(self, key: tuple, build: Callable[[], object]):
        if key not in self._views:
            self._views[key] = build()
        return self._views[key]

    def text(self, column: str, width: int) -> checks.FixedText:
        return self._view(("text", column, width), lambda: checks.FixedText.of(self.table[column], width))

    def dates(self, column: str, fmt: str = "%d-%m-%Y") -> checks.Dates:
        return self._view(("dates", column, fmt), lambda: checks.Dates.of(self.table[column], fmt))


@dataclass(frozen=True)
class Rule:
    """One contract rule. ``check`` returns true where a row satisfies the rule."""

    rule_id: str
    description: str
    fields: tuple[str, ...]
    check: Callable[[Rows], np.ndarray]


@dataclass(frozen=True)
class Contract:
    entity: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    key: str | tuple[str, ...] | None
    rules: tuple[Rule, ...] = field(default=())
    numeric_key: bool = False  # a single key column of digits (NIP): duplicates tracked as int64
    optional: tuple[str, ...] = ()  # columns a file may leave out: they are loaded as NULL

    def __post_init__(self):
        needed = {*self.required, *self.key_columns}.intersection(self.optional)
        if needed:
            raise ValueError(f"contract {self.entity}: required or key columns cannot be optional: {sorted(needed)}")
        unknown = set(self.optional) - set(self.columns)
        if unknown:
            raise ValueError(f"contract {self.entity}: optional columns it does not have: {sorted(unknown)}")

    @property
    def key_columns(self) -> tuple[str, ...]:
        if self.key is None:
            return ()
        return (self.key,) if isinstance(self.key, str) else tuple(self.key)

    def all_rules(self) -> tuple[Rule, ...]:
        """The rules in the order they are judged: presence first, then the declared rules."""
        presence = Rule(
            MISSING_REQUIRED,
            "a required field is empty",
            self.required,
            lambda rows: _all_present(rows, self.required),
        )
        return (presence, *self.rules)

    def rule_ids(self) -> list[str]:
        ids = [rule.rule_id for rule in self.all_rules()]
        return [*ids, DUPLICATE_KEY] if self.key else ids


def _all_present(rows: Rows, columns: tuple[str, ...]) -> np.ndarray:
    verdict = np.ones(rows.num_rows, dtype=bool)
    for column in columns:
        verdict &= checks.present(rows[column])
    return verdict


@dataclass
class Verdicts:
    """Per row: index of the first broken rule (-1 when the row is fine) and every broken rule."""

    first_broken: np.ndarray
    broken: np.ndarray  # shape (rows, rules), bool
    rules: tuple[Rule, ...]

    @property
    def ok(self) -> np.ndarray:
        return self.first_broken < 0


def evaluate(contract: Contract, table: pa.Table) -> Verdicts:
    rules = contract.all_rules()
    rows = Rows(table)
    broken = np.zeros((table.num_rows, len(rules)), dtype=bool)
    for index, rule in enumerate(rules):
        broken[:, index] = ~rule.check(rows)
    any_broken = broken.any(axis=1)
    first_broken = np.where(any_broken, broken.argmax(axis=1), -1)
    return Verdicts(first_broken=first_broken, broken=broken, rules=rules)
