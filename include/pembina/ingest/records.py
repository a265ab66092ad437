"""Where the records of delimited text begin and end, and which of them cannot be parsed.

A block of the file (raw bytes, cut at a line end) that holds no quote, no NUL byte, no carriage return
without a line feed and no byte its encoding cannot read goes to Arrow's parser as it is: one record per
line. Any other block is scanned here first, line by line with numpy and record by record in Python only
for the few lines that need it:

- A line with an odd number of quotes opens a quoted field that holds line breaks (RFC 4180): the record
  runs to the next such line, when the lines in between form one well-formed record with the header's
  number of fields and span at most ``QUOTE_LINE_ENDS`` line ends. Otherwise the opening line is set aside
  (``unbalanced_quote``) and reading resumes at the line after it; so is a line whose quote Arrow would read
  on past its line end. A record still open at the end of a block is carried into the next one. Arrow
  must then find the records the scan found (their number, and sentinel lines where it could split one);
  when it does not, every line with a quote is checked, a regular expression mirroring Arrow's quoting.
- A record holding a byte its encoding cannot read (``invalid_encoding``) or a NUL byte (``nul_byte``) is
  set aside with the byte's offset in the file; so is a record that a carriage return without a line feed
  would split (``malformed_row``) and a last record, without a line end, whose quoted field is still open
  (``truncated_row``).

Records are numbered from 1 (the header is record 0). A blank line is an empty record: Arrow skips it, its
number is kept. Set-aside records count as read and go to the quarantine with their text, bytes that are not
text shown as ``\\xNN``.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

MALFORMED_ROW = "malformed_row"
INVALID_ENCODING = "invalid_encoding"
NUL_BYTE = "nul_byte"
UNBALANCED_QUOTE = "unbalanced_quote"
TRUNCATED_ROW = "truncated_row"

QUOTE_LINE_ENDS = 100
SENTINEL = b"\x00\n"
_QUOTE, _LF, _CR, _NUL = ord('"'), ord("\n"), ord("\r"), 0
_UNCLOSED = (
    f"a quote opens a field on this line that no well-formed record closes within {QUOTE_LINE_ENDS} line ends; "
    "read on from the next line"
)
_UNCLOSED_IN_LINE = "a quote opens a field in this row that its line end does not close"


class SetAside(NamedTuple):
    """A record quarantined before (or instead of) parsing its fields."""

    number: int
    rule: str
    message: str
    text: str


@dataclass
class Piece:
    """Records of a block for Arrow's parser: ``data`` (in the file's encoding) without the set-aside records.
    ``numbers`` holds the record number of each non-blank record in ``data``; None when every line of
    ``data`` is a record, numbered from ``first_number``. ``open_end``: ``data`` is the end of the file and
    has no final line end."""

    data: bytes
    offset: int
    first_number: int
    numbers: np.ndarray | None = None
    set_aside: list[SetAside] = field(default_factory=list)
    open_end: bool = False
    sentinels: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # where Arrow must find them
    scan: _Scan | None = None  # for a second, stricter look when Arrow disagrees about where records end


class Scanner:
    def __init__(self, delimiter: str, fields: int, encoding: str, clean_utf8: bool):
        self.encoding, self.fields = encoding, fields
        self.utf8 = codecs.lookup(encoding).name.startswith("utf-8")
        # bytes to look for: invalid UTF-8 only when the file is known to hold some
        self.check_utf8 = self.utf8 and not clean_utf8
        self.undefined = b"" if self.utf8 else bytes(b for b in range(256) if not _decodes(bytes([b]), encoding))
        d = re.escape(delimiter.encode())
        # One record as Arrow's parser reads it: a field opened by a quote runs to a quote not doubled (and on
        # to the delimiter); any other field runs to the delimiter and may not hold a line break.
        one_field = rb'(?:"(?:[^"]|"")*+"[^' + d + rb"\r\n]*|[^\"" + d + rb"\r\n][^" + d + rb"\r\n]*)?"
        self.record = re.compile(one_field + rb"(?:" + d + one_field + rb")*")
        # a record over several lines must have the header's fields: else a stray quote could swallow rows
        self.full_record = re.compile(one_field + rb"(?:" + d + one_field + rb"){%d}" % (fields - 1))

    def pieces(self, blocks: Iterable[tuple[bytes, int, bool]]) -> Iterator[Piece]:
        """``blocks``: (raw bytes cut at a line end, their offset in the file, whether the file ends there)."""
        carry, carry_offset, number = b"", 0, 1
        for block, offset, final in blocks:
            data = carry + block if carry else block
            start = carry_offset if carry else offset
            if not carry and self._plain(data):
                lines = data.count(b"\n") + (not data.endswith(b"\n"))
                yield Piece(data, offset, number, open_end=not data.endswith(b"\n"))
                number += lines
                carry = b""
                continue
            scan = _Scan(self, data, start, final, number)
            yield scan.piece()
            number += scan.records
            carry, carry_offset = data[scan.cut :], start + scan.cut
        if carry:  # only when the last block ended at a line end with a quote open: read it as the end
            scan = _Scan(self, carry, carry_offset, True, number)
            yield scan.piece()

    def _plain(self, data: bytes) -> bool:
        if b'"' in data or b"\x00" in data or any(bytes([b]) in data for b in self.undefined):
            return False
        if b"\r" in data and data.count(b"\r") != data.count(b"\r\n") + data.endswith(b"\r"):
            return False
        if self.check_utf8:
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                return False
        return True

    def complete(self, data: bytes, start: int, stop: int, full: bool = False) -> bool:
        """Whether ``data[start:stop]`` (without its line end) is one record as Arrow would read it (and,
        ``full``, with the header's number of fields)."""
        if stop > start and data[stop - 1] == _CR:
            stop -= 1
        return (self.full_record if full else self.record).fullmatch(data, start, stop) is not None


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


class _Scan:
    """One block's lines grouped into records, with the records to set aside."""

    def __init__(self, scanner: Scanner, data: bytes, offset: int, final: bool, first_number: int):
        self.scanner, self.data, self.offset, self.first_number = scanner, data, offset, first_number
        self.raw = raw = np.frombuffer(data, np.uint8)
        ends = np.flatnonzero(raw == _LF)
        self.open_end = not data.endswith(b"\n")
        if self.open_end:
            ends = np.append(ends, len(data))
        self.ends, self.starts = ends, np.concatenate(([0], ends[:-1] + 1)).astype(np.int64)
        lines = len(ends)
        self.quotes = np.bincount(self._line_of(np.flatnonzero(raw == _QUOTE)), minlength=lines)
        self.continues = np.zeros(lines, dtype=bool)  # the line continues the record of the line before
        self.problems: dict[int, tuple[str, str]] = {}  # line -> (rule, message) of its first, gravest defect
        lines_kept = self._pair_quotes(final)
        self.cut = int(self.starts[lines_kept]) if lines_kept < lines else len(data)
        self.lines = lines_kept
        self.record_of_line = np.cumsum(~self.continues[:lines_kept]) - 1
        self.records = int(self.record_of_line[-1]) + 1 if lines_kept else 0
        self._find_bytes(raw[: self.cut])
        # Lines where Arrow, had it lost step before, could split a record: the first line of a record over
        # several lines, a line with a carriage return inside quotes
        continues = self.continues[:lines_kept]
        starts_several = np.flatnonzero(~continues & np.append(continues[1:], False))
        self.split_lines = np.union1d(starts_several, self._find_bare_carriage_returns(raw[: self.cut]))

    def _line_of(self, positions: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.ends, positions)

    def _pair_quotes(self, final: bool) -> int:
        """Join the lines of quoted fields that hold line breaks; returns how many lines are settled (the
        rest may continue in the next block)."""
        scanner, data, starts, ends = self.scanner, self.data, self.starts, self.ends
        lines = len(ends)
        odd = np.flatnonzero(self.quotes & 1)
        k = 0
        while k < len(odd):
            i = int(odd[k])
            if scanner.complete(data, starts[i], ends[i]):  # a quote inside a field, read as a character
                k += 1
                continue
            if k + 1 < len(odd) and odd[k + 1] - i <= QUOTE_LINE_ENDS:
                j = int(odd[k + 1])
                if scanner.complete(data, starts[i], ends[j], full=True):
                    self.continues[i + 1 : j + 1] = True
                    k += 2
                    continue
            elif not final and lines - 1 - i < QUOTE_LINE_ENDS:
                return i
            if final and self.open_end and i == lines - 1:
                self._problem(i, TRUNCATED_ROW, "the file ends inside this record: no line end, a quoted field open")
            else:
                self._problem(i, UNBALANCED_QUOTE, _UNCLOSED)
            k += 1
        return lines

    def _problem(self, line: int, rule: str, message: str) -> None:
        known = self.problems.get(line)
        if known is None or _PRIORITY[rule] < _PRIORITY[known[0]]:
            self.problems[line] = (rule, message)

    def _find_bytes(self, raw: np.ndarray) -> None:
        scanner = self.scanner
        if scanner.check_utf8:
            for position in _invalid_utf8(self.data[: self.cut]):
                byte = raw[position]
                self._problem(
                    int(self._line_of(position)),
                    INVALID_ENCODING,
                    f"byte 0x{byte:02X} at byte offset {self.offset + position} is not valid UTF-8",
                )
        elif scanner.undefined:
            for position in np.flatnonzero(np.isin(raw, np.frombuffer(scanner.undefined, np.uint8))):
                self._problem(
                    int(self._line_of(position)),
                    INVALID_ENCODING,
                    f"byte 0x{raw[position]:02X} at byte offset {self.offset + position} "
                    f"is not a character in {scanner.encoding}",
                )
        for position in np.flatnonzero(raw == _NUL):
            self._problem(int(self._line_of(position)), NUL_BYTE, f"a NUL byte at byte offset {self.offset + position}")

    def _find_bare_carriage_returns(self, raw: np.ndarray) -> np.ndarray:
        returns = np.flatnonzero(raw == _CR)
        bare = returns[(returns + 1 < len(self.data)) & (raw[np.minimum(returns + 1, len(raw) - 1)] != _LF)]
        lines = np.unique(self._line_of(bare))
        for line in lines:
            single = not self.continues[line] and (line + 1 >= self.lines or not self.continues[line + 1])
            if single and not self.scanner.complete(self.data, self.starts[line], self.ends[line]):
                self._problem(int(line), MALFORMED_ROW, "a carriage return (CR) without a line feed splits the row")
        return lines

    def piece(self, unclosed: bool = False) -> Piece:
        """The block's records without the set-aside ones. A single-line record whose quote Arrow would read
        on past its line end is set aside when it is the last record (Arrow would read to the end of the
        block, and find as many records as expected), and, ``unclosed``, wherever it is: the second look,
        when Arrow lost step. Arrow losing step joins lines, so it finds fewer records, unless a later line
        splits one (``split_lines``): a sentinel line (a NUL, which no kept record holds) before each such
        line must reach Arrow as a record of its own, where expected."""
        lines, continues = self.lines, self.continues[: self.lines]
        single = ~continues & ~np.append(continues[1:], False)
        starts, ends = self.starts[:lines], self.ends[:lines]
        lengths = ends - starts
        blank = (lengths == 0) | ((lengths == 1) & (self.raw[np.minimum(starts, len(self.raw) - 1)] == _CR))
        # a sentinel line would be a valid record of a one-column file
        unclosed = unclosed or (self.scanner.fields == 1 and self.split_lines.size > 0)
        if unclosed:
            for line in np.flatnonzero(single & (self.quotes[:lines] > 0)):
                self._check_closed(int(line))
        while True:
            aside, by_record = self._aside()
            kept = np.flatnonzero(~aside & ~blank)
            if not kept.size or not single[kept[-1]] or not self._check_closed(int(kept[-1])):
                break
        first_lines = ~continues & ~aside & ~blank
        sentinel_lines = np.empty(0, np.int64) if unclosed else self.split_lines[~aside[self.split_lines]]
        before = np.searchsorted(np.flatnonzero(first_lines), sentinel_lines)  # records ahead of each
        return Piece(
            _kept(self.data, starts, np.minimum(ends + 1, len(self.data)), ~aside, sentinel_lines),
            self.offset,
            self.first_number,
            numbers=(self.first_number + self.record_of_line[first_lines]).astype(np.int32),
            set_aside=[
                SetAside(self.first_number + record, rule, message, self._text(record))
                for record, (rule, message) in sorted(by_record.items())
            ],
            open_end=self.open_end and lines == len(self.ends) and not aside[-1],
            sentinels=before + np.arange(1, len(before) + 1),
            scan=None if unclosed else self,
        )

    def _check_closed(self, line: int) -> bool:
        """Set the line aside if it holds a quote that its line end does not close; whether it did."""
        if line in self.problems or not self.quotes[line]:
            return False
        if self.scanner.complete(self.data, self.starts[line], self.ends[line]):
            return False
        self._problem(line, UNBALANCED_QUOTE, _UNCLOSED_IN_LINE)
        return True

    def _aside(self) -> tuple[np.ndarray, dict[int, tuple[str, str]]]:
        """Which lines belong to a set-aside record, and the rule and message of each such record."""
        records = self.record_of_line
        by_record: dict[int, tuple[str, str]] = {}
        for line in sorted(self.problems, key=lambda line: (_PRIORITY[self.problems[line][0]], line)):
            by_record.setdefault(int(records[line]), self.problems[line])
        return np.isin(records, np.fromiter(by_record, np.int64, len(by_record))), by_record

    def _text(self, record: int) -> str:
        lines = np.flatnonzero(self.record_of_line == record)
        text = self.data[self.starts[lines[0]] : self.ends[lines[-1]]].removesuffix(b"\r")
        return text.decode(self.scanner.encoding, "backslashreplace").replace("\x00", "\\x00")


_PRIORITY = {INVALID_ENCODING: 0, NUL_BYTE: 1, TRUNCATED_ROW: 2, UNBALANCED_QUOTE: 3, MALFORMED_ROW: 4}


def _kept(data: bytes, starts: np.ndarray, stops: np.ndarray, keep: np.ndarray, sentinels: np.ndarray) -> bytes:
    """The lines where ``keep``, with a sentinel line before each line of ``sentinels`` (lines kept)."""
    if keep.all() and not sentinels.size:
        return data[: stops[-1]] if len(stops) else b""
    edges = np.diff(np.concatenate(([0], keep.astype(np.int8), [0])))
    firsts, lasts = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    segments = np.union1d(firsts, sentinels)
    ends = np.minimum(np.append(segments[1:] - 1, len(keep)), lasts[np.searchsorted(firsts, segments, "right") - 1])
    marked = np.isin(segments, sentinels)
    parts = []
    for first, last, mark in zip(segments, ends, marked, strict=True):
        if mark:
            parts.append(SENTINEL)
        parts.append(data[starts[first] : stops[last]])
    return b"".join(parts)


def non_blank_lines(block: bytes) -> np.ndarray:
    """The positions (0-based) of the block's lines that are not blank: Arrow skips blank lines."""
    data = np.frombuffer(block, np.uint8)
    ends = np.flatnonzero(data == _LF)
    if not block.endswith(b"\n"):
        ends = np.append(ends, data.size)
    starts = np.concatenate(([0], ends[:-1] + 1))
    lengths = ends - starts
    blank = (lengths == 0) | ((lengths == 1) & (data[np.minimum(starts, data.size - 1)] == _CR))
    return np.flatnonzero(~blank).astype(np.int32)


def _invalid_utf8(data: bytes) -> np.ndarray:
    """Offsets of the bytes in ``data`` that are not part of a valid UTF-8 character."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return np.empty(0, np.int64)
    text = data.decode("utf-8", "surrogateescape")  # an invalid byte becomes one code point U+DC80..U+DCFF
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    escaped = (codes >= 0xDC80) & (codes <= 0xDCFF)
    widths = np.select([codes < 0x80, codes < 0x800, escaped, codes < 0x10000], [1, 2, 1, 3], 4)
    return (np.cumsum(widths) - widths)[escaped]
