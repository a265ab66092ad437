"""File-level facts: content hash, encoding and header, checked before a single row is read."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

from pembina.sources.base import NO_HEADER, FileRejected

_CHUNK = 1 << 20
_CONTROL_BYTES = bytes(byte for byte in range(32) if byte not in (9, 10, 13))


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


def detect_encoding(path: Path, candidates: tuple[str, ...]) -> str:
    """The first candidate encoding that decodes the whole file and yields text, not binary."""
    if path.stat().st_size == 0:
        raise FileRejected("the file is empty")
    with path.open("rb") as handle:
        head = handle.read(_CHUNK)
    control = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if b"\x00" in head or control > len(head) // 100:
        raise FileRejected("the file is binary or in an unknown encoding (control bytes in its text)")
    for encoding in candidates:
        if _decodes(path, encoding):
            return encoding
    raise FileRejected(f"the file does not decode as any of the declared encodings {', '.join(candidates)}")


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


def read_header(path: Path, encoding: str, delimiter: str, lower: bool) -> list[str]:
    with path.open(encoding=encoding, newline="") as handle:
        first_line = handle.readline().lstrip("\ufeff").rstrip("\r\n")
    if not first_line.strip():
        raise FileRejected("the first line (the header) is empty")
    names = [name.strip().strip('"') for name in first_line.split(delimiter)]
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
