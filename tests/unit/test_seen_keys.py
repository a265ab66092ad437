"""Duplicate keys across the chunks of one file: numeric (NIP) and text or composite keys."""

import numpy as np
import pyarrow as pa
import pytest

from pembina.ingest.loader import _in_run, _SeenKeys


def test_later_repeats_are_flagged_within_and_across_chunks_and_missing_keys_repeat_nothing():
    seen = _SeenKeys(numeric=False)
    first = seen.repeated(pa.chunked_array([["a", None, "b", "a", None]]), np.ones(5, dtype=bool))
    second = seen.repeated(pa.chunked_array([["b", "c", None, "c"]]), np.ones(4, dtype=bool))
    assert first.tolist() == [False, False, False, True, False]
    assert second.tolist() == [True, False, False, True]


def test_rows_that_broke_a_rule_do_not_count_as_seen():
    seen = _SeenKeys(numeric=False)
    assert seen.repeated(pa.chunked_array([["a", "a"]]), np.array([False, True])).tolist() == [False, False]
    assert seen.repeated(pa.chunked_array([["a"]]), np.array([True])).tolist() == [True]


def _reference(chunks: list[tuple[list[str | None], list[bool]]]) -> list[list[bool]]:
    seen: set[str] = set()
    verdicts = []
    for keys, ok in chunks:
        repeated = []
        for key, fine in zip(keys, ok, strict=True):
            repeated.append(fine and key is not None and key in seen)
            if fine and key is not None:
                seen.add(key)
        verdicts.append(repeated)
    return verdicts


@pytest.mark.parametrize("numeric", [True, False])
def test_repeats_across_chunks_and_runs_that_are_not_merged(monkeypatch, numeric):
    monkeypatch.setattr(_SeenKeys, "MAX_RUN", 8)  # many runs, some never merged
    rng = np.random.default_rng(7)
    chunks = []
    for _ in range(12):
        keys = [f"19850312201001{number:04d}" for number in rng.integers(0, 60, 9)]
        ok = list(rng.random(9) < 0.8)
        chunks.append((keys, ok))
    seen = _SeenKeys(numeric=numeric)
    found = [
        seen.repeated(pa.chunked_array([pa.array(keys, pa.string())]), np.array(ok)).tolist() for keys, ok in chunks
    ]
    assert found == _reference(chunks)
    assert any(any(chunk) for chunk in found)


def test_text_keys_cost_twelve_bytes_each_however_long():
    seen = _SeenKeys(numeric=False)
    for chunk in range(5):
        keys = [f"{'x' * 200}{chunk}-{number}" for number in range(20_000)]
        seen.repeated(pa.chunked_array([keys]), np.ones(len(keys), dtype=bool))
    assert sum(high.nbytes + low.nbytes for high, low in seen._runs) == 12 * 100_000


def test_keys_whose_first_64_bits_agree_are_told_apart_by_the_rest():
    run = (np.array([3, 5, 5, 5, 9], dtype=np.uint64), np.array([0, 1, 2, 3, 0], dtype=np.uint32))
    high = np.array([5, 5, 5, 9, 4], dtype=np.uint64)
    low = np.array([3, 4, 1, 1, 0], dtype=np.uint32)
    assert _in_run(run, high, low).tolist() == [True, False, True, False, False]
