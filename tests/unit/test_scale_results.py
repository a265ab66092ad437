"""The scale benchmark's arithmetic and results file (benchmarks/scale_results.py), without a database."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "scale_results.py"
_SPEC = importlib.util.spec_from_file_location("scale_results", _PATH)
scale_results = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(scale_results)


def entry(scale: int, full_build: float, one_day: float, ingest_mb: float, seed: int = 1) -> dict:
    """A results entry with the figures the report reads."""
    return {
        "scale": scale,
        "seed": seed,
        "generation": {"seconds": scale / 1000},
        "full": {
            "ingest": {"seconds": 10.0, "peak_mb": ingest_mb, "families": {"siasn": {"peak_mb": ingest_mb}}},
            "dbt_seconds": full_build,
            "gate": {"seconds": 5.0},
            "publish": {"seconds": 0.1},
        },
        "one_day": {"total_seconds": one_day, "dbt_seconds": one_day / 2, "gate": {"seconds": 5.0}},
    }


def test_growth_exponent_is_the_log_log_slope():
    assert scale_results.growth_exponent((1_000, 10.0), (10_000, 100.0)) == pytest.approx(1.0)
    assert scale_results.growth_exponent((1_000, 10.0), (10_000, 1_000.0)) == pytest.approx(2.0)
    assert scale_results.growth_exponent((6_000, 30.0), (150_000, 30.0)) == pytest.approx(0.0)
    assert scale_results.growth_exponent((6_000, 60.0), (24_000, 120.0)) == pytest.approx(0.5)


def test_growth_exponent_refuses_equal_scales_and_zero_values():
    with pytest.raises(ValueError, match="scales must differ"):
        scale_results.growth_exponent((6_000, 30.0), (6_000, 40.0))
    with pytest.raises(ValueError):
        scale_results.growth_exponent((6_000, 0.0), (60_000, 40.0))


def test_extrapolation_follows_the_exponent_from_the_largest_point():
    assert scale_results.extrapolate((600_000, 300.0), 1.0, 4_500_000) == pytest.approx(2_250.0)
    assert scale_results.extrapolate((600_000, 300.0), 0.0, 4_500_000) == pytest.approx(300.0)
    assert scale_results.extrapolate((600_000, 100.0), 2.0, 4_500_000) == pytest.approx(100.0 * 7.5**2)


def test_merge_replaces_the_same_scale_and_seed_and_keeps_the_rest_in_scale_order():
    old = [entry(150_000, 100.0, 10.0, 200.0), entry(6_000, 10.0, 5.0, 100.0), entry(6_000, 11.0, 5.0, 100.0, seed=2)]
    merged = scale_results.merge(old, entry(6_000, 12.0, 6.0, 100.0))
    assert [(item["scale"], item["seed"]) for item in merged] == [(6_000, 1), (6_000, 2), (150_000, 1)]
    assert merged[0]["full"]["dbt_seconds"] == 12.0
    assert merged[1]["full"]["dbt_seconds"] == 11.0  # another seed is another measurement
    assert scale_results.merge([], merged[0]) == [merged[0]]


def test_report_extrapolates_from_the_two_largest_scales_and_flags_the_targets():
    # full build linear (exponent 1): 100 s at 150k -> 400 s at 600k (> 300 s) -> 3,000 s at 4.5M;
    # one day flat at 60 s; ingest memory linear too, 20 MB -> 500 MB -> 2,000 MB at 600k.
    entries = [entry(6_000, 4.0, 60.0, 20.0), entry(150_000, 100.0, 60.0, 500.0), entry(6_000, 1.0, 1.0, 1.0, 9)]
    table = scale_results.report(entries, seed=1)
    full_build = next(line for line in table.splitlines() if line.startswith("| full build"))
    assert full_build.split(" | ")[1:] == ["4.0", "100", "1.00", "3,000 |"]
    assert "| full build (seed + build) ≤ 300 s at 600k | 400 s (extrapolated from 150,000) | no |" in table
    assert "| one day, end to end ≤ 120 s at 600k | 60.0 s (extrapolated from 150,000) | yes |" in table
    memory = next(line for line in table.splitlines() if line.startswith("| ingest peak memory <"))
    assert memory.endswith("| no |") and "2,000 MB (extrapolated from 150,000" in memory


def test_report_uses_a_measured_600k_and_needs_two_scales_to_extrapolate():
    measured = scale_results.report([entry(600_000, 290.0, 130.0, 500.0)])
    assert "| 290 s (measured) | yes |" in measured
    assert "| 130 s (measured) | no |" in measured
    assert "needs two scales" in measured
    single_small = scale_results.report([entry(6_000, 4.0, 60.0, 100.0)])
    assert "needs 600k or two scales | unknown |" in single_small
