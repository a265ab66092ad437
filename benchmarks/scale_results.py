"""The scale benchmark's results file and the README table made from it: growth between scales, the
extrapolation to the whole country and the targets of issue 13. Plain Python, no database."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

COUNTRY = 4_500_000
TARGET_SCALE = 600_000
FULL_BUILD_TARGET_SECONDS = 300.0
ONE_DAY_TARGET_SECONDS = 120.0
INGEST_MEMORY_TARGET_MB = 1024.0


def growth_exponent(smaller: tuple[float, float], larger: tuple[float, float]) -> float:
    """The slope k of log(value) against log(scale) between two (scale, value) points: value grows as
    scale**k (1 is linear; 0 does not grow)."""
    (scale_a, value_a), (scale_b, value_b) = smaller, larger
    if scale_a <= 0 or scale_b <= 0 or value_a <= 0 or value_b <= 0 or scale_a == scale_b:
        raise ValueError(f"no growth exponent between {smaller} and {larger}: scales must differ, all positive")
    return math.log(value_b / value_a) / math.log(scale_b / scale_a)


def extrapolate(point: tuple[float, float], exponent: float, scale: float) -> float:
    """The value at ``scale`` if it keeps growing as scale**exponent from (scale, value) ``point``."""
    known_scale, value = point
    return value * (scale / known_scale) ** exponent


def merge(existing: list[dict], entry: dict) -> list[dict]:
    """The results with ``entry`` in place of any earlier run at the same scale and seed, ordered by scale."""
    kept = [old for old in existing if (old["scale"], old["seed"]) != (entry["scale"], entry["seed"])]
    return sorted([*kept, entry], key=lambda item: (item["scale"], item["seed"]))


# What the README reports per scale: (column, unit, value of an entry).
METRICS: dict[str, tuple[str, Callable[[dict], float]]] = {
    "synth": ("s", lambda entry: entry["generation"]["seconds"]),
    "ingest": ("s", lambda entry: entry["full"]["ingest"]["seconds"]),
    "ingest peak memory": ("MB", lambda entry: entry["full"]["ingest"]["peak_mb"]),
    "full build (seed + build)": ("s", lambda entry: entry["full"]["dbt_seconds"]),
    "gate": ("s", lambda entry: entry["full"]["gate"]["seconds"]),
    "publication": ("s", lambda entry: entry["full"]["publish"]["seconds"]),
    "one day, end to end": ("s", lambda entry: entry["one_day"]["total_seconds"]),
    "one day: dbt": ("s", lambda entry: entry["one_day"]["dbt_seconds"]),
    "one day: gate": ("s", lambda entry: entry["one_day"]["gate"]["seconds"]),
}
TARGETS = {
    "full build (seed + build)": (FULL_BUILD_TARGET_SECONDS, f"≤ {FULL_BUILD_TARGET_SECONDS:.0f} s at 600k"),
    "one day, end to end": (ONE_DAY_TARGET_SECONDS, f"≤ {ONE_DAY_TARGET_SECONDS:.0f} s at 600k"),
}


def _value_at(points: list[tuple[float, float]], scale: float) -> tuple[float, str] | None:
    """The measured value at ``scale``, else the extrapolation from the two largest scales measured."""
    for known_scale, value in points:
        if known_scale == scale:
            return value, "measured"
    if len(points) < 2:
        return None
    exponent = growth_exponent(points[-2], points[-1])
    return extrapolate(points[-1], exponent, scale), f"extrapolated from {points[-1][0]:,.0f}"


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def report(entries: list[dict], seed: int | None = None) -> str:
    """The README's markdown: per measured scale each metric, the growth exponent from the previous scale,
    the extrapolation to 4.5M ASN from the two largest scales, then each target of issue 13, met or not."""
    chosen = sorted(
        (entry for entry in entries if seed is None or entry["seed"] == seed), key=lambda entry: entry["scale"]
    )
    if not chosen:
        return "no results"
    scales = [entry["scale"] for entry in chosen]
    header = ["", *(f"{scale:,} ASN" for scale in scales)]
    header += [f"growth {a // 1000:,}k→{b // 1000:,}k" for a, b in itertools.pairwise(scales)]
    header += [f"{COUNTRY:,} ASN (extrapolated)"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, (unit, measure) in METRICS.items():
        points = [(float(entry["scale"]), float(measure(entry))) for entry in chosen]
        cells = [f"{name} ({unit})", *(_number(value) for _, value in points)]
        cells += [f"{growth_exponent(a, b):.2f}" for a, b in itertools.pairwise(points)]
        at_country = _value_at(points, COUNTRY)
        cells.append(_number(at_country[0]) if at_country else "needs two scales")
        lines.append("| " + " | ".join(cells) + " |")

    lines += ["", "| target | at 600k | met |", "|---|---|---|"]
    for name, (limit, wording) in TARGETS.items():
        points = [(float(entry["scale"]), float(METRICS[name][1](entry))) for entry in chosen]
        at_target = _value_at(points, TARGET_SCALE)
        if at_target is None:
            lines.append(f"| {name} {wording} | needs 600k or two scales | unknown |")
            continue
        value, how = at_target
        lines.append(f"| {name} {wording} | {_number(value)} s ({how}) | {'yes' if value <= limit else 'no'} |")
    points = [(float(entry["scale"]), float(METRICS["ingest peak memory"][1](entry))) for entry in chosen]
    at_target = _value_at(points, TARGET_SCALE)
    largest = chosen[-1]
    family, figures = max(largest["full"]["ingest"]["families"].items(), key=lambda item: item[1]["peak_mb"])
    worst = f"largest at {largest['scale']:,}: {family}, {_number(figures['peak_mb'])} MB"
    if at_target is None:
        lines.append(f"| ingest peak memory < {INGEST_MEMORY_TARGET_MB:.0f} MB, every family | {worst} | unknown |")
    else:
        value, how = at_target
        met = "yes" if value < INGEST_MEMORY_TARGET_MB else "no"
        lines.append(
            f"| ingest peak memory < {INGEST_MEMORY_TARGET_MB:.0f} MB, every family | "
            f"{_number(value)} MB ({how}; {worst}) | {met} |"
        )
    return "\n".join(lines)
