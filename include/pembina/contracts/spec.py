"""Contracts declared as data: which columns hold a NIP, dates in which format, codes from which list,
numbers in which range. Sources that need more add their own rules (``extra_rules``) or fold extra code
checks into ``unknown_code`` (``code_checks``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from pembina.contracts import checks
from pembina.contracts.contract import Contract, Rows, Rule

NIP_WIDTH = 18
DATE_NAMES = {
    "%d-%m-%Y": "dd-mm-yyyy",
    "%d/%m/%Y": "dd/mm/yyyy",
    "%Y-%m-%d": "yyyy-mm-dd",
    checks.ISO_DATETIME: "yyyy-mm-ddThh:mm:ss+hh:mm",
}


@dataclass(frozen=True)
class NumberRange:
    low: float
    high: float
    whole: bool = True
    decimal_comma: bool = False

    def describe(self) -> str:
        kind = "a whole number" if self.whole else "a number"
        return f"{kind} {self.low:g}-{self.high:g}"


def _all(rows: Rows, checks_: list[Callable[[Rows], np.ndarray]]) -> np.ndarray:
    verdict = np.ones(rows.num_rows, dtype=bool)
    for check in checks_:
        verdict &= check(rows)
    return verdict


def build_contract(
    entity: str,
    columns: tuple[str, ...],
    required: tuple[str, ...],
    key: str | tuple[str, ...] | None,
    nip: tuple[str, ...] = (),
    dates: Mapping[str, str] | None = None,
    codes: Mapping[str, list[str]] | None = None,
    ranges: Mapping[str, NumberRange] | None = None,
    whole_numbers: tuple[str, ...] = (),
    code_checks: tuple[tuple[tuple[str, ...], Callable[[Rows], np.ndarray]], ...] = (),
    extra_rules: tuple[Rule, ...] = (),
    optional: tuple[str, ...] = (),
) -> Contract:
    dates, codes, ranges = dict(dates or {}), dict(codes or {}), dict(ranges or {})
    unknown = [name for name in (*required, *nip, *dates, *codes, *ranges, *whole_numbers) if name not in columns]
    if unknown:
        raise ValueError(f"contract {entity}: rules name columns it does not have: {', '.join(unknown)}")
    rules: list[Rule] = []
    if nip:
        rules.append(
            Rule(
                "nip_format",
                "NIP is not 18 digits",
                nip,
                lambda rows: _all(rows, [lambda r, c=c: checks.all_digits(r.text(c, NIP_WIDTH)) for c in nip]),
            )
        )
    if dates:
        formats = ", ".join(sorted({DATE_NAMES.get(fmt, fmt) for fmt in dates.values()}))
        rules.append(
            Rule(
                "invalid_date",
                f"a date is not a real calendar date written as {formats}",
                tuple(dates),
                lambda rows: _all(rows, [lambda r, c=c, f=f: checks.dates_ok(r[c], f) for c, f in dates.items()]),
            )
        )
    if whole_numbers:
        rules.append(
            Rule(
                "invalid_number",
                "a count or year is not a whole number",
                whole_numbers,
                lambda rows: _all(rows, [lambda r, c=c: checks.whole_number(r[c]) for c in whole_numbers]),
            )
        )
    if codes or code_checks:
        fields = (*codes, *(name for names, _ in code_checks for name in names if name not in codes))
        per_column = [lambda r, c=c, v=v: checks.in_set(r[c], v) for c, v in codes.items()]
        rules.append(
            Rule(
                "unknown_code",
                "a coded field is outside its code list",
                tuple(dict.fromkeys(fields)),
                lambda rows: _all(rows, [*per_column, *(check for _, check in code_checks)]),
            )
        )
    if ranges:
        described = "; ".join(f"{c} {r.describe()}" for c, r in ranges.items())
        rules.append(
            Rule(
                "out_of_range",
                f"a number is outside its range or not a number [{described}]",
                tuple(ranges),
                lambda rows: _all(
                    rows,
                    [
                        lambda r, c=c, n=n: checks.in_range(r[c], n.low, n.high, n.whole, n.decimal_comma)
                        for c, n in ranges.items()
                    ],
                ),
            )
        )
    rules.extend(extra_rules)
    return Contract(entity=entity, columns=columns, required=required, key=key, rules=tuple(rules), optional=optional)
