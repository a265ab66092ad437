"""Quarantine rows as lines of COPY's text format for ``raw.quarantine``, built column by column.

Building each rejected row's message and JSON record in Python cost a tenth of the whole ingest. Here every
piece (the message of each rule, each field as JSON) is one Arrow kernel over many rejected rows (the loader
gathers them across chunks, as a kernel call costs the same for 10 rows as for 10,000); only values that
need escaping beyond a plain quote go through Python.

A line holds: batch, file, source, entity, row number, the first rule broken, every rule broken (a text
array literal), a message naming the rule and the values it looked at, and the row as a JSON object.
"""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pembina.contracts.contract import DUPLICATE_KEY, MISSING_REQUIRED, Contract, Rule
from pembina.ingest.records import SetAside

_NEEDS_JSON_ESCAPE = r'[\\"\x00-\x1f\x7f]'
# repr() writes an ASCII text as 'value' unless it holds a quote, a backslash or a control character; other
# texts go through repr() itself
_NEEDS_REPR = r"['\\\x00-\x1f]|[^\x00-\x7e]"
MESSAGE_CHARS = 300
_COPY_ESCAPES = (("\\", "\\\\"), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"))
COPY_STATEMENT = (
    "copy raw.quarantine (batch_id, file_id, source, entity, row_number, rule_id, rules_broken, message, record) "
    "from stdin"
)


def line_prefix(batch_id: int, file_id: int, source: str, entity: str) -> str:
    return f"{batch_id}\t{file_id}\t{copy_text(source)}\t{copy_text(entity)}\t"


def copy_text(value: str) -> str:
    """A value escaped for COPY's text format."""
    for plain, escaped in _COPY_ESCAPES:
        value = value.replace(plain, escaped)
    return value


def rejected_lines(
    prefix: str,
    contract: Contract,
    rules: tuple[Rule, ...],
    table: pa.Table,
    row_numbers: np.ndarray,
    broken: np.ndarray,
) -> tuple[pa.Array, np.ndarray]:
    """The lines for rejected rows: ``table`` holds them, ``broken`` (rows x rules) the rules each broke; a
    row that broke none repeats a key seen earlier in the file. Also returns, for each row, the index of
    the rule it is filed under (``len(rules)`` for a repeated key)."""
    duplicate = ~broken.any(axis=1)
    rule_index = np.where(duplicate, len(rules), broken.argmax(axis=1))
    rule_ids = [rule.rule_id for rule in rules] + [DUPLICATE_KEY]

    flags = np.column_stack([broken, duplicate])
    filed = [index for index in range(len(rule_ids)) if flags[:, index].any()]  # most rules catch no row
    messages = [_where(broken[:, index], _rule_message(rules[index], table)) for index in filed if index < len(rules)]
    if duplicate.any():
        key_message = _join([_field_repr(table, name) for name in contract.key_columns], ", ")
        messages.append(_where(duplicate, _concat(key_message, " already appeared earlier in this file")))
    broken_ids = [_where(flags[:, index], pa.scalar(rule_ids[index])) for index in filed]

    lines = _concat(
        prefix,
        pa.array(row_numbers).cast(pa.string()),
        "\t",
        pa.array(np.array(rule_ids, dtype=object)[rule_index], pa.string()),
        "\t{",
        _join(broken_ids, ","),
        "}\t",
        _copy_escaped(_bounded(_join(messages, "; "))),
        "\t",
        _copy_escaped(json_records(table)),
        "\n",
    )
    return lines, rule_index


def malformed_lines(prefix: str, malformed: list[SetAside]) -> pa.Array:
    """Lines for rows that could not be parsed at all: their raw text is kept as ``{"_raw_line": ...}``."""
    numbers = pa.array([item.number for item in malformed], pa.int64()).cast(pa.string())
    rules = pa.array([item.rule for item in malformed], pa.string())
    messages = _bounded(pa.array([item.message for item in malformed], pa.string()))
    raw = pa.table({"_raw_line": pa.array([item.text for item in malformed], pa.string())})
    return _concat(
        prefix,
        numbers,
        "\t",
        rules,
        "\t{",
        rules,
        "}\t",
        _copy_escaped(messages),
        "\t",
        _copy_escaped(json_records(raw)),
        "\n",
    )


def as_bytes(lines: pa.Array) -> memoryview:
    """The lines one after another: a string array's data buffer, between its first and last offset."""
    lines = lines.combine_chunks() if isinstance(lines, pa.ChunkedArray) else lines
    if len(lines) == 0:
        return memoryview(b"")
    _, offsets, data = lines.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int32, count=len(lines) + 1, offset=lines.offset * 4)
    return memoryview(data)[bounds[0] : bounds[-1]]


def json_records(table: pa.Table) -> pa.Array:
    """Each row as the JSON object ``json.dumps(row, ensure_ascii=False)`` would write."""
    pieces: list = []
    for position, name in enumerate(table.column_names):
        pieces += [
            ("{" if position == 0 else ", ") + json.dumps(name, ensure_ascii=False) + ": ",
            _json_value(table[name]),
        ]
    return _concat(*pieces, "}")


def _rule_message(rule: Rule, table: pa.Table) -> pa.Array:
    if rule.rule_id == MISSING_REQUIRED:
        missing = [_where(_blank(table[name]), pa.scalar(name)) for name in rule.fields]
        return _concat("required field(s) empty: ", _join(missing, ", "))
    return _concat(f"{rule.description} (", _join([_field_repr(table, name) for name in rule.fields], ", "), ")")


def _field_repr(table: pa.Table, name: str) -> pa.Array:
    """``name=<repr of the value>``, as the message shows a value the rule looked at."""
    return _concat(f"{name}=", _python_repr(table[name]))


def _python_repr(values) -> pa.Array:
    values = _contiguous(values)
    needs_python = pc.fill_null(pc.match_substring_regex(values, _NEEDS_REPR), False)
    quoted = pc.if_else(pc.is_valid(values), _concat("'", values, "'"), pa.scalar("None"))
    if pc.any(needs_python).as_py():
        by_python = pa.array([repr(value) for value in values.to_pylist()], pa.string())
        quoted = pc.if_else(needs_python, by_python, quoted)
    return quoted


def _json_value(values) -> pa.Array:
    values = _contiguous(values)
    needs_python = pc.fill_null(pc.match_substring_regex(values, _NEEDS_JSON_ESCAPE), False)
    quoted = pc.if_else(pc.is_valid(values), _concat('"', values, '"'), pa.scalar("null"))
    if pc.any(needs_python).as_py():
        by_python = pa.array([json.dumps(value, ensure_ascii=False) for value in values.to_pylist()], pa.string())
        quoted = pc.if_else(needs_python, by_python, quoted)
    return quoted


def _copy_escaped(values: pa.Array) -> pa.Array:
    if not pc.any(pc.match_substring_regex(values, r"[\\\n\r\t]")).as_py():
        return values
    for plain, escaped in _COPY_ESCAPES:
        values = pc.replace_substring(values, plain, escaped)
    return values


def _bounded(messages: pa.Array) -> pa.Array:
    """Messages cut to ``MESSAGE_CHARS`` characters: a rule's message quotes values, which may be long."""
    long = pc.greater(pc.utf8_length(messages), MESSAGE_CHARS)
    if not pc.any(long).as_py():
        return messages
    return pc.if_else(long, _concat(pc.utf8_slice_codeunits(messages, 0, MESSAGE_CHARS - 1), "…"), messages)


def _blank(values) -> np.ndarray:
    """Missing or empty, as ``missing_required`` judges a field."""
    return pc.fill_null(pc.equal(values, ""), True).to_numpy(zero_copy_only=False)


def _where(condition: np.ndarray, values) -> pa.Array:
    """``values`` where ``condition``, null elsewhere (null pieces drop out of ``_join``)."""
    return pc.if_else(pa.array(condition), values, pa.scalar(None, pa.string()))


def _join(pieces: list, separator: str) -> pa.Array:
    """Element-wise join of the non-null pieces ("" where all are null). Not Arrow's own ``skip`` handling:
    pyarrow 26 drops the rows where every piece is null from its result."""
    tagged = [pc.binary_join_element_wise(separator, piece, "", null_handling="emit_null") for piece in pieces]
    return pc.utf8_slice_codeunits(_concat(*tagged), len(separator))


def _concat(*pieces) -> pa.Array:
    return pc.binary_join_element_wise(*pieces, "", null_handling="replace", null_replacement="")


def _contiguous(values) -> pa.Array:
    array = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    return array.cast(pa.string())
