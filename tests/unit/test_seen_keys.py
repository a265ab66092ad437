"""Duplicate keys across the chunks of one file, for text and composite keys."""

import numpy as np
import pyarrow as pa

from pembina.ingest.loader import _SeenTextKeys


def test_later_repeats_are_flagged_within_and_across_chunks_and_missing_keys_repeat_nothing():
    seen = _SeenTextKeys()
    first = seen.repeated(pa.chunked_array([["a", None, "b", "a", None]]), np.ones(5, dtype=bool))
    second = seen.repeated(pa.chunked_array([["b", "c", None, "c"]]), np.ones(4, dtype=bool))
    assert first.tolist() == [False, False, False, True, False]
    assert second.tolist() == [True, False, False, True]


def test_rows_that_broke_a_rule_do_not_count_as_seen():
    seen = _SeenTextKeys()
    assert seen.repeated(pa.chunked_array([["a", "a"]]), np.array([False, True])).tolist() == [False, False]
    assert seen.repeated(pa.chunked_array([["a"]]), np.array([True])).tolist() == [True]
