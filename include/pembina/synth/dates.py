"""Date arithmetic and formatting on numpy ``datetime64[D]`` arrays (NaT for a missing date)."""

from __future__ import annotations

import numpy as np

DAY = "datetime64[D]"


def days(value) -> np.ndarray:
    return np.asarray(value, dtype=DAY)


def month_number(dates) -> np.ndarray:
    """Months since January 1970: adding 12 moves one year on."""
    return days(dates).astype("datetime64[M]").astype(np.int64)


def first_of_month(month_numbers) -> np.ndarray:
    return np.asarray(month_numbers, dtype=np.int64).astype("datetime64[M]").astype(DAY)


def year_of(dates) -> np.ndarray:
    return days(dates).astype("datetime64[Y]").astype(np.int64) + 1970


def random_dates(rng: np.random.Generator, start, end, size: int | None = None) -> np.ndarray:
    """Uniformly drawn dates between ``start`` and ``end`` inclusive: ``size`` of them, or one per element
    of the broadcast bounds."""
    start_days = days(start).astype(np.int64)
    span = days(end).astype(np.int64) - start_days
    shape = np.shape(span) if size is None else size
    return (start_days + np.floor(rng.random(shape) * (span + 1)).astype(np.int64)).astype(DAY)


def random_months_first(rng: np.random.Generator, start, end, size: int | None = None) -> np.ndarray:
    """The 1st of uniformly drawn months between the months of ``start`` and ``end`` inclusive."""
    first = month_number(start)
    span = month_number(end) - first
    shape = np.shape(span) if size is None else size
    return first_of_month(first + np.floor(rng.random(shape) * (span + 1)).astype(np.int64))


def _iso_strings(dates) -> list[str]:
    return [text if text != "NaT" else "" for text in np.datetime_as_string(days(dates), unit="D").tolist()]


def iso(dates) -> list[str]:
    """``yyyy-mm-dd``; empty string for NaT."""
    return _iso_strings(dates)


def day_month_year(dates, separator: str) -> list[str]:
    """``dd<sep>mm<sep>yyyy``; empty string for NaT."""
    return [f"{text[8:10]}{separator}{text[5:7]}{separator}{text[:4]}" if text else "" for text in _iso_strings(dates)]
