"""File-level facts: content hash, encoding and header, checked before a single row is read."""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

from pembina.sources.base import NO_HEADER, FileRejected

_CHUNK = 1 << 20
_CONTROL_BYTES = bytes(byte for byte in range(32) if byte not in (9, 10, 13))
_ESCAPED = re.compile(r"[\udc80-\udcff]")
_MULTI_BYTE = re.compile(r"[^\x00-\x7f\udc80-\udcff]")


# Whether a file (by path, size and modification time) is valid UTF-8, learnt while hashing it, so that the
# encoding check does not read a large file a second time.
_UTF8_VERDICTS: dict[tuple[str, int, int], bool] = {}


def _identity(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path.resolve()), stat.st_size, stat.st_mtime_ns


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    valid_utf8 = True
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            if valid_utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    valid_utf8 = False
    if valid_utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            valid_utf8 = False
    if len(_UTF8_VERDICTS) > 1000:
        _UTF8_VERDICTS.clear()
    _UTF8_VERDICTS[_identity(path)] = valid_utf8
    return digest.hexdigest()


def _reject_binary(path: Path) -> None:
    if path.stat().st_size == 0:
        raise FileRejected("the file is empty")
    with path.open("rb") as handle:
        head = handle.read(_CHUNK)
    # a stray NUL is a defect of its row; a file that is a few percent control bytes is not text
    if len(head) - len(head.translate(None, _CONTROL_BYTES)) > max(len(head) // 100, 4):
        raise FileRejected("the file is binary or in an unknown encoding (control bytes in its text)")


def detect_encoding(path: Path, candidates: tuple[str, ...]) -> str:
    """The first candidate encoding that decodes the whole file and yields text, not binary."""
    _reject_binary(path)
    for encoding in candidates:
        if _decodes(path, encoding):
            return encoding
    raise FileRejected(f"the file does not decode as any of the declared encodings {', '.join(candidates)}")


def delimited_encoding(path: Path, candidates: tuple[str, ...]) -> str:
    """The encoding delimited text is read in, its rows judged one by one (``records``): UTF-8, when it is
    declared and the file is UTF-8, even with stray invalid bytes (their rows are set aside), or it is the
    last candidate; else the first single-byte candidate, Latin-1 read as its superset Windows-1252."""
    _reject_binary(path)
    for position, encoding in enumerate(candidates):
        name = codecs.lookup(encoding).name
        if not name.startswith("utf-8"):
            return "cp1252" if name in ("iso8859-1", "cp1252") else encoding
        if position == len(candidates) - 1 or is_utf8(path) or _mostly_utf8(path):
            return "utf-8"
    raise FileRejected("no encoding is declared for this source")


def is_utf8(path: Path) -> bool:
    return _decodes(path, "utf-8")


def _mostly_utf8(path: Path) -> bool:
    """More valid multi-byte UTF-8 characters than bytes that are not UTF-8: a UTF-8 file with stray bytes,
    not a single-byte legacy file (whose accented letters are almost never valid UTF-8 sequences)."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")  # an invalid byte -> U+DC80..U+DCFF
    valid = invalid = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            text = decoder.decode(chunk)
            invalid += len(_ESCAPED.findall(text))
            valid += len(_MULTI_BYTE.findall(text))
    return valid > invalid


def _decodes(path: Path, encoding: str) -> bool:
    if codecs.lookup(encoding).name == "utf-8" and (known := _UTF8_VERDICTS.get(_identity(path))) is not None:
        return known
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


_DELIMITERS = {"|": "'|'", ";": "';'", ",": "','", "\t": "tab"}


def read_header(path: Path, encoding: str, delimiter: str, lower: bool) -> list[str]:
    with path.open("rb") as handle:
        first_line = handle.readline().decode(encoding, "replace").lstrip("\ufeff").removesuffix("\n")
    first_line = first_line.removesuffix("\r")
    if not first_line.strip():
        raise FileRejected("the first line (the header) is empty")
    if "\r" in first_line:
        raise FileRejected("the header line holds a carriage return (CR) that does not end it")
    names = [name.strip().strip('"') for name in first_line.split(delimiter)]
    if len(names) == 1:
        others = {other: len(first_line.split(other)) for other in _DELIMITERS if other != delimiter}
        other, fields = max(others.items(), key=lambda item: item[1])
        if fields > 1:
            raise FileRejected(
                f"wrong_delimiter: the header is one column when split on {_DELIMITERS.get(delimiter, repr(delimiter))}"
                f" (this source's delimiter) but {fields} on {_DELIMITERS[other]}"
            )
    return [name.lower() for name in names] if lower else names


def check_columns(header: list[str], expected: tuple[str, ...], optional: tuple[str, ...] = ()) -> list[str]:
    """Reject a header that lacks a required column, adds one or repeats one; return the optional columns it
    leaves out. A first line naming none of the columns is data, not a header, and is not echoed: it would
    be a person's record."""
    if not set(header) & set(expected):
        raise FileRejected(NO_HEADER)
    missing = [name for name in expected if name not in header and name not in optional]
    unexpected = [name for name in header if name not in expected]
    duplicated = sorted({name for name in header if header.count(name) > 1})
    problems = []
    if missing:
        problems.append(f"missing columns: {', '.join(missing)}")
    if unexpected:
        problems.append(f"unexpected columns: {', '.join(unexpected)}")
    if duplicated:
        problems.append(f"duplicated columns: {', '.join(duplicated)}")
    if problems:
        raise FileRejected("; ".join(problems))
    return [name for name in optional if name not in header]
