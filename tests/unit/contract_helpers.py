"""Evaluate one row, given as the source sends it, against a source's contract."""

from __future__ import annotations

import pyarrow as pa

from pembina.contracts.contract import evaluate
from pembina.sources.base import SourceEntity


def broken_rules(entity: SourceEntity, row: dict[str, str | None]) -> list[str]:
    """The ids of the rules the row breaks, after the entity's own preparation (mapping, tidying)."""
    table = pa.Table.from_pylist([row], schema=pa.schema([(name, pa.string()) for name in row]))
    result = evaluate(entity.contract, entity.prepare(table))
    return [rule.rule_id for rule, hit in zip(result.rules, result.broken[0], strict=True) if hit]


def finalised(entity: SourceEntity, row: dict[str, str | None]) -> dict:
    table = pa.Table.from_pylist([row], schema=pa.schema([(name, pa.string()) for name in row]))
    prepared = entity.prepare(table)
    return (entity.finalise(prepared) if entity.finalise else prepared).to_pylist()[0]
