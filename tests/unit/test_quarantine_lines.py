"""Quarantine lines built column by column equal what Python would write row by row, value for value."""

import json

import numpy as np
import pyarrow as pa
import pytest

from pembina.contracts import checks
from pembina.contracts.contract import DUPLICATE_KEY, MISSING_REQUIRED, Contract, Rule, evaluate
from pembina.ingest import quarantine
from pembina.ingest.records import SetAside

PREFIX = quarantine.line_prefix(7, 42, "vendor\tx", "peserta")
CONTRACT = Contract(
    entity="peserta",
    columns=("nip", "nama", "catatan"),
    required=("nip", "nama"),
    key="nip",
    rules=(
        Rule("nip_format", "NIP is not 18 digits", ("nip",), lambda rows: checks.all_digits(rows.text("nip", 18))),
        Rule("catatan_short", "catatan is longer than 12", ("catatan",), lambda rows: _short(rows["catatan"])),
    ),
)


def _short(values) -> np.ndarray:
    return np.array([value is None or len(value) <= 12 for value in values.to_pylist()])


def _row_by_row(table: pa.Table, row_numbers, verdicts, rejected, duplicate) -> str:
    """The reference: each rejected row's line written with json.dumps and repr."""
    lines = []
    for position in rejected:
        record = table.slice(int(position), 1).to_pylist()[0]
        broken = [rule for rule, hit in zip(verdicts.rules, verdicts.broken[position], strict=True) if hit]
        if broken:
            messages = []
            for rule in broken:
                if rule.rule_id == MISSING_REQUIRED:
                    missing = [name for name in rule.fields if record.get(name) in (None, "")]
                    messages.append(f"required field(s) empty: {', '.join(missing)}")
                else:
                    values = ", ".join(f"{name}={record.get(name)!r}" for name in rule.fields)
                    messages.append(f"{rule.description} ({values})")
            ids = [rule.rule_id for rule in broken]
        else:
            assert duplicate[position]
            messages = [f"nip={record['nip']!r} already appeared earlier in this file"]
            ids = [DUPLICATE_KEY]
        lines.append(
            f"{PREFIX}{row_numbers[position]}\t{ids[0]}\t{{{','.join(ids)}}}\t"
            f"{quarantine.copy_text('; '.join(messages))}\t"
            f"{quarantine.copy_text(json.dumps(record, ensure_ascii=False))}\n"
        )
    return "".join(lines)


@pytest.mark.parametrize(
    "tricky",
    [
        "plain",
        "O'Neil",
        'kutip "ganda"',
        "back\\slash",
        "tab\tand\nnewline\r",
        "Papua – Manokwari é",
        "\x07bell",
        "both ' and \"",
    ],
)
def test_lines_equal_the_row_by_row_reference(tricky):
    table = pa.table(
        {
            "nip": ["198503122010011003", "12345", None, "198503122010011003", "198503122010011004", tricky],
            "nama": ["ANDI", tricky, "", "ANDI LAGI", None, "X"],
            "catatan": [None, "ok", tricky, "pendek", "terlalu panjang sekali", tricky],
        }
    )
    verdicts = evaluate(CONTRACT, table)
    duplicate = np.array([False, False, False, True, False, False])
    rejected = np.flatnonzero(~(verdicts.ok & ~duplicate))
    row_numbers = np.arange(10, 16, dtype=np.int32)

    lines, rule_index = quarantine.rejected_lines(
        PREFIX,
        CONTRACT,
        verdicts.rules,
        table.take(pa.array(rejected)),
        row_numbers[rejected],
        verdicts.broken[rejected],
    )

    assert bytes(quarantine.as_bytes(lines)).decode() == _row_by_row(table, row_numbers, verdicts, rejected, duplicate)
    rule_ids = [rule.rule_id for rule in verdicts.rules] + [DUPLICATE_KEY]
    assert [rule_ids[index] for index in rule_index][:4] == [
        "nip_format",
        MISSING_REQUIRED,
        DUPLICATE_KEY,
        MISSING_REQUIRED,
    ]


def test_malformed_lines_keep_the_raw_text_rule_and_a_bounded_message():
    malformed = [
        SetAside(3, "unbalanced_quote", "a quote opens a field", 'a|b|"c'),
        SetAside(9, "malformed_row", "x" * 400, "tab\there\\"),
    ]
    lines = quarantine.malformed_lines(PREFIX, malformed)
    expected = "".join(
        f"{PREFIX}{number}\t{rule}\t{{{rule}}}\t{message if len(message) <= 300 else message[:299] + '…'}\t"
        f"{quarantine.copy_text(json.dumps({'_raw_line': text}, ensure_ascii=False))}\n"
        for number, rule, message, text in malformed
    )
    assert bytes(quarantine.as_bytes(lines)).decode() == expected
