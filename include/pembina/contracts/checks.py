"""Vectorised building blocks for row contracts.

Identifiers and dates in these sources have fixed widths (NIP 18, NIK 16, dd-mm-yyyy 10), so a column is
viewed as a (rows x width) byte matrix straight from Arrow's buffers: digit checks and cross-checks such as
"NIP digits 1-8 equal the birth date" become numpy comparisons on byte columns, with no per-row Python.

Every check returns a numpy boolean array that is true where the row is fine or where the check does not
apply (missing inputs are the business of ``missing_required``), so rules never double-count a row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

ZERO = ord("0")
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


@dataclass(frozen=True)
class FixedText:
    """The values of one column that are exactly ``width`` bytes long, as a byte matrix."""

    matrix: np.ndarray  # (rows, width) uint8; zeros where ``fits`` is false
    fits: np.ndarray  # the value is present and exactly ``width`` bytes long
    present: np.ndarray

    @classmethod
    def of(cls, values: pa.Array | pa.ChunkedArray, width: int) -> FixedText:
        array = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
        array = array.cast(pa.string())
        rows = len(array)
        present = array.is_valid().to_numpy(zero_copy_only=False)
        _, offsets_buffer, data_buffer = array.buffers()
        offsets = np.frombuffer(offsets_buffer, dtype=np.int32, count=rows + 1, offset=array.offset * 4)
        data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else np.empty(0, np.uint8)
        fits = present & (np.diff(offsets) == width)
        if fits.all():
            matrix = data[offsets[0] : offsets[-1]].reshape(rows, width)
        else:
            matrix = np.zeros((rows, width), dtype=np.uint8)
            if fits.any():
                windows = np.lib.stride_tricks.sliding_window_view(data, width)
                matrix[fits] = windows[offsets[:-1][fits]]
        # Column-major, so that reductions across a value's bytes run over contiguous memory.
        return cls(np.asfortranarray(matrix), fits, present)

    def digits(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """True where every byte in [start, stop) is an ASCII digit (and the value fits)."""
        block = self.matrix[:, start:stop]
        return self.fits & ((block - np.uint8(ZERO)) < 10).all(axis=1)

    def number(self, start: int, stop: int) -> np.ndarray:
        """The integer written in bytes [start, stop) (meaningful where ``digits(start, stop)``)."""
        value = np.zeros(len(self.fits), dtype=np.int64)
        for position in range(start, stop):
            value = value * 10 + (self.matrix[:, position].astype(np.int64) - ZERO)
        return value

    def same(self, start: int, other: FixedText, other_start: int, length: int) -> np.ndarray:
        return (self.matrix[:, start : start + length] == other.matrix[:, other_start : other_start + length]).all(
            axis=1
        )


# Bytes that can start or end a whitespace character in UTF-8: ASCII spaces and controls, and the first and
# last bytes of the Unicode spaces (U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028/9, U+202F, U+205F, U+3000).
_MAY_START_SPACE = np.zeros(256, dtype=bool)
_MAY_START_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 0xC2, 0xE1, 0xE2, 0xE3]] = True
_MAY_END_SPACE = np.zeros(256, dtype=bool)
_MAY_END_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 0x80, 0x85, 0xA0, 0xA8, 0xA9, 0xAF, 0x9F]] = True
_MAY_END_SPACE[0x80:0x8B] = True


def tidy_text(values: pa.Array | pa.ChunkedArray, strip_prefix: str | None = None) -> pa.Array:
    """Trim whitespace, drop a leading ``strip_prefix`` and turn blank values into missing ones.

    Arrow's trim kernels copy every value; looking at the first and last byte of each value first lets
    the common case (a clean column) skip them."""
    array = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    if array.null_count == len(array):
        return array
    _, offsets_buffer, data_buffer = array.buffers()
    if data_buffer is None or data_buffer.size == 0:  # only missing and empty values
        return pc.if_else(pc.is_valid(array), pa.scalar(None, pa.string()), array)
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32, count=len(array) + 1, offset=array.offset * 4)
    data = np.frombuffer(data_buffer, dtype=np.uint8)
    starts, ends = offsets[:-1], offsets[1:]
    filled = ends > starts
    edged = _MAY_START_SPACE[data.take(starts, mode="clip")] | _MAY_END_SPACE[data.take(ends - 1, mode="clip")]
    changed = False
    if (edged & filled).any():
        array = pc.utf8_trim_whitespace(array)
        changed = True
    if strip_prefix and pc.any(pc.starts_with(array, strip_prefix)).as_py():
        array = pc.utf8_ltrim(array, characters=strip_prefix)
        changed = True
    if changed or len(array) - int(filled.sum()) > array.null_count:  # a null slot has length 0 too
        blank = pc.and_(pc.is_valid(array), pc.equal(pc.binary_length(array), 0))
        if pc.any(blank).as_py():
            array = pc.if_else(blank, pa.scalar(None, pa.string()), array)
    return array


def ok_where_absent(present: np.ndarray, verdict: np.ndarray) -> np.ndarray:
    return ~present | verdict


def all_digits(text: FixedText) -> np.ndarray:
    """Present values must be exactly ``width`` digits."""
    return ok_where_absent(text.present, text.digits())


@dataclass(frozen=True)
class DateLayout:
    """Where day, month and year sit in a fixed-width date, and the separator positions."""

    day: int
    month: int
    year: int
    separators: tuple[int, ...]
    separator: str


DATE_LAYOUTS = {
    "%d-%m-%Y": DateLayout(day=0, month=3, year=6, separators=(2, 5), separator="-"),
    "%d/%m/%Y": DateLayout(day=0, month=3, year=6, separators=(2, 5), separator="/"),
    "%Y-%m-%d": DateLayout(day=8, month=5, year=0, separators=(4, 7), separator="-"),
}


@dataclass(frozen=True)
class Dates:
    """A date column split into day, month and year, with whether each value is a real calendar date."""

    text: FixedText
    day: np.ndarray
    month: np.ndarray
    year: np.ndarray
    real: np.ndarray

    @classmethod
    def of(cls, values: pa.Array | pa.ChunkedArray, fmt: str = "%d-%m-%Y") -> Dates:
        layout = DATE_LAYOUTS[fmt]
        text = FixedText.of(values, 10)
        shaped = text.fits.copy()
        for position in layout.separators:
            shaped &= text.matrix[:, position] == ord(layout.separator)
        for start, width in ((layout.day, 2), (layout.month, 2), (layout.year, 4)):
            shaped &= text.digits(start, start + width)
        day = text.number(layout.day, layout.day + 2)
        month = text.number(layout.month, layout.month + 2)
        year = text.number(layout.year, layout.year + 4)
        leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
        month_ok = (month >= 1) & (month <= 12)
        days = _DAYS_IN_MONTH[np.where(month_ok, month, 0)] + ((month == 2) & leap)
        real = shaped & month_ok & (day >= 1) & (day <= days)
        return cls(text, day, month, year, real)

    @property
    def ok(self) -> np.ndarray:
        """Absent, or a real date written exactly in the layout (31-02-1990 and 1-1-2000 are not)."""
        return ok_where_absent(self.text.present, self.real)


def whole_number(values: pa.Array | pa.ChunkedArray, max_digits: int = 4) -> np.ndarray:
    """Absent, or a non-negative whole number of at most ``max_digits`` digits."""
    shaped = pc.and_(pc.ascii_is_decimal(values), pc.less_equal(pc.binary_length(values), max_digits))
    return ok_where_absent(present(values), pc.fill_null(shaped, False).to_numpy(zero_copy_only=False))


def in_set(values: pa.Array | pa.ChunkedArray, allowed: list[str]) -> np.ndarray:
    known = pc.is_in(values, value_set=pa.array(allowed, pa.string()))
    return ok_where_absent(present(values), pc.fill_null(known, False).to_numpy(zero_copy_only=False))


def equals(values: pa.Array | pa.ChunkedArray, value: str) -> np.ndarray:
    return pc.fill_null(pc.equal(values, value), False).to_numpy(zero_copy_only=False)


def present(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return pc.is_valid(values).to_numpy(zero_copy_only=False)


ISO_DATETIME = "iso_datetime"  # yyyy-mm-ddThh:mm[:ss[.f]] with Z or an offset (ISO 8601 as the APIs send it)
_ISO_TIME_TAIL = r"^T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)$"


def dates_ok(values: pa.Array | pa.ChunkedArray, fmt: str) -> np.ndarray:
    """Absent, or a real date in ``fmt`` (a key of DATE_LAYOUTS, or ISO_DATETIME)."""
    if fmt != ISO_DATETIME:
        return Dates.of(values, fmt).ok
    day = Dates.of(pc.utf8_slice_codeunits(values, 0, 10), "%Y-%m-%d")
    tail = pc.match_substring_regex(pc.utf8_slice_codeunits(values, 10, 64), _ISO_TIME_TAIL)
    tail = pc.fill_null(tail, False).to_numpy(zero_copy_only=False)
    return ok_where_absent(present(values), day.real & tail)


def to_iso_date(values: pa.Array | pa.ChunkedArray, fmt: str) -> pa.Array | pa.ChunkedArray:
    """Real dates in ``fmt`` rewritten as yyyy-mm-dd (for rows that passed ``dates_ok``)."""
    if fmt == "%Y-%m-%d":
        return values
    if fmt == ISO_DATETIME:
        return pc.utf8_slice_codeunits(values, 0, 10)
    layout = DATE_LAYOUTS[fmt]
    separator = "\\" + layout.separator
    pattern = rf"^(\d{{2}}){separator}(\d{{2}}){separator}(\d{{4}})$"
    return pc.replace_substring_regex(values, pattern, r"\3-\2-\1")


def numbers(
    values: pa.Array | pa.ChunkedArray, whole: bool, decimal_comma: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """(is a number, its value) for present values: whole numbers, or decimals with a point (a comma when
    ``decimal_comma``); an optional leading minus sign."""
    text = pc.replace_substring(values, ",", ".") if decimal_comma else values
    pattern = r"^-?\d{1,9}$" if whole else r"^-?\d{1,9}(\.\d+)?$"
    shaped = pc.fill_null(pc.match_substring_regex(text, pattern), False)
    usable = pc.if_else(shaped, text, pa.scalar(None, pa.string()))
    value = pc.fill_null(pc.cast(usable, pa.float64()), 0.0).to_numpy(zero_copy_only=False)
    return shaped.to_numpy(zero_copy_only=False), value


def in_range(
    values: pa.Array | pa.ChunkedArray, low: float, high: float, whole: bool = True, decimal_comma: bool = False
) -> np.ndarray:
    """Absent, or a number (whole when ``whole``) within [low, high]."""
    shaped, value = numbers(values, whole, decimal_comma)
    return ok_where_absent(present(values), shaped & (value >= low) & (value <= high))


def translate(values: pa.Array | pa.ChunkedArray, mapping: dict[str, str]) -> pa.Array:
    """Source codes -> canonical codes; a value outside ``mapping`` stays as it is (the contract has
    quarantined such rows already)."""
    array = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    source = pa.array(list(mapping), pa.string())
    target = pa.array(list(mapping.values()), pa.string())
    position = pc.index_in(array, value_set=source)
    translated = pc.take(target, position)
    return pc.if_else(pc.is_valid(position), translated, array)


def fold_code(value: str) -> str:
    """A code as it is compared with its list: case-folded, each run of whitespace one space, trimmed."""
    return " ".join(value.split()).casefold()


def canonical_codes(values: pa.Array | pa.ChunkedArray, lookup: dict[str, str]) -> tuple[pa.Array, np.ndarray]:
    """``values`` with every value whose ``fold_code`` is a key of ``lookup`` replaced by its canonical code,
    and where a value changed. A chunk holds few distinct codes: they are found by Arrow's dictionary encoding
    and only they are folded; each row then takes its code by index."""
    array = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    encoded = pc.dictionary_encode(array)
    distinct = encoded.dictionary.to_pylist()
    targets = [lookup.get(fold_code(value), value) for value in distinct]
    changed = np.array([target != value for target, value in zip(targets, distinct, strict=True)] + [False])
    if not changed.any():
        return array, np.zeros(len(array), dtype=bool)
    indices = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)  # -1: a missing value
    return pc.take(pa.array(targets, pa.string()), encoded.indices), changed[indices]
