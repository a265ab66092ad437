"""Load landing files into ``raw``: contract per row, quarantine with the rule broken, COPY, one
transaction per file, content-hash idempotency and per-file reconciliation in ``audit``."""

from __future__ import annotations

import io
import json
import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import psycopg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

from pembina.audit import ensure_audit_schema
from pembina.contracts.contract import DUPLICATE_KEY, Verdicts, describe, evaluate
from pembina.ingest import formats
from pembina.ingest.files import check_columns, sha256_of
from pembina.sources.base import FileRejected, SourceEntity

log = logging.getLogger(__name__)

MALFORMED_ROW = "malformed_row"
COPY_DELIMITER = "\x1f"  # ASCII unit separator: never part of the text these sources send
_UNQUOTED = pv.WriteOptions(include_header=False, delimiter=COPY_DELIMITER, quoting_style="none")
_QUOTED = pv.WriteOptions(include_header=False, delimiter=COPY_DELIMITER, quoting_style="needed")
BLOCK_BYTES = formats.BLOCK_BYTES

QUARANTINE_DDL = """
create schema if not exists raw;
create table if not exists raw.quarantine (
    quarantine_id  bigint generated always as identity primary key,
    batch_id       bigint not null,
    file_id        bigint not null,
    source         text not null,
    entity         text not null,
    row_number     integer not null,
    rule_id        text not null,
    rules_broken   text[] not null,
    message        text not null,
    record         jsonb not null,
    quarantined_at timestamptz not null default now()
);
create index if not exists quarantine_file_idx on raw.quarantine (file_id);
"""


@dataclass
class FileResult:
    path: Path
    status: str
    file_id: int | None = None
    encoding: str | None = None
    reason: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    quarantined_by_rule: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "path": str(self.path),
            "status": self.status,
            "file_id": self.file_id,
            "encoding": self.encoding,
            "reason": self.reason,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_quarantined": self.rows_quarantined,
            "quarantined_by_rule": dict(self.quarantined_by_rule),
            "seconds": round(self.seconds, 3),
        }


def ensure_raw_schema(conn: psycopg.Connection, entity: SourceEntity) -> None:
    # Sources sharing a raw table (the training vendors) open their batches in parallel tasks: concurrent
    # "create ... if not exists" can still collide in the catalogue, so the DDL is serialised.
    conn.execute("select pg_advisory_xact_lock(hashtext('pembina.raw_ddl'))")
    ensure_audit_schema(conn)
    conn.execute(QUARANTINE_DDL)
    conn.execute(entity.raw_ddl())


def ensure_raw_tables(conn: psycopg.Connection) -> None:
    """Every source's raw table, empty until its first file: dbt's staging models select from all of them,
    whether or not a source has delivered yet."""
    from pembina.sources import registry

    for build in registry().values():
        ensure_raw_schema(conn, build())


def open_batch(conn: psycopg.Connection, source: str, run_id: str | None) -> int:
    row = conn.execute(
        "insert into audit.load_batches (source, run_id) values (%s, %s) returning batch_id", (source, run_id)
    ).fetchone()
    conn.commit()
    return row[0]


def close_batch(conn: psycopg.Connection, batch_id: int) -> str:
    rejected = conn.execute(
        "select count(*) from audit.ingested_files where batch_id = %s and status = 'rejected'", (batch_id,)
    ).fetchone()[0]
    status = "partial" if rejected else "succeeded"
    conn.execute(
        "update audit.load_batches set finished_at = now(), status = %s where batch_id = %s", (status, batch_id)
    )
    conn.commit()
    return status


def ingest_file(
    conn: psycopg.Connection, entity: SourceEntity, path: Path, batch_id: int, progress: bool = False
) -> FileResult:
    """Load one file in one transaction. A file already loaded (same content) is skipped; a file that
    cannot be read is recorded as rejected with the reason, and nothing of it reaches ``raw``."""
    started = time.perf_counter()
    sha256 = sha256_of(path)
    size = path.stat().st_size
    already = conn.execute(
        "select file_id from audit.ingested_files where source = %s and sha256 = %s and status = 'loaded'",
        (entity.source, sha256),
    ).fetchone()
    if already:
        result = FileResult(path, "skipped", file_id=already[0], reason=f"already loaded as file {already[0]}")
        _record_file(conn, entity, path, batch_id, sha256, size, result)
        conn.commit()
        return result

    try:
        with conn.transaction():
            result = _load(conn, entity, path, batch_id, sha256, size, progress)
    except FileRejected as exc:
        result = FileResult(path, "rejected", reason=str(exc))
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        result = FileResult(path, "rejected", reason=f"unreadable content: {_first_line(exc)}")
    except psycopg.errors.UniqueViolation:
        result = FileResult(path, "skipped", reason="loaded concurrently by another task")
    except psycopg.DataError as exc:
        result = FileResult(path, "rejected", reason=f"the database refused a value: {_first_line(exc)}")
    if result.status != "loaded":
        with conn.transaction():
            result.file_id = _record_file(conn, entity, path, batch_id, sha256, size, result)
    result.seconds = time.perf_counter() - started
    log.info("%s: %s", path.name, result.as_dict())
    return result


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _record_file(conn, entity, path, batch_id, sha256, size, result: FileResult) -> int:
    row = conn.execute(
        """insert into audit.ingested_files
               (batch_id, source, path, sha256, size_bytes, encoding, status, reason, finished_at)
           values (%s, %s, %s, %s, %s, %s, %s, %s, now()) returning file_id""",
        (batch_id, entity.source, str(path), sha256, size, result.encoding, result.status, result.reason),
    ).fetchone()
    return row[0]


def _load(conn, entity: SourceEntity, path: Path, batch_id: int, sha256: str, size: int, progress: bool):
    opened = formats.open_file(entity.file_format, path)
    if entity.check_header is not None:
        entity.check_header(opened.columns, path)
    else:
        check_columns(opened.columns, entity.contract.columns)
    file_date = entity.file_date(path) if entity.file_date else None

    result = FileResult(path, "loaded", encoding=opened.encoding)
    result.file_id = conn.execute(
        """insert into audit.ingested_files (batch_id, source, path, sha256, size_bytes, encoding, status)
           values (%s, %s, %s, %s, %s, %s, 'loaded') returning file_id""",
        (batch_id, entity.source, str(path), sha256, size, opened.encoding),
    ).fetchone()[0]

    keys = _SeenKeys() if entity.contract.numeric_key else _SeenTextKeys()
    bar = _progress_bar(path) if progress else None
    with _ChunkWriter(conn, entity, batch_id, result.file_id, file_date) as writer:
        for batch in _read_ahead(opened.batches):
            writer.write_malformed(batch.malformed, result)
            if batch.table.num_rows == 0:
                continue
            table = entity.prepare(batch.table)
            verdicts = evaluate(entity.contract, table)
            duplicate = np.zeros(table.num_rows, dtype=bool)
            if entity.contract.key:
                duplicate = keys.repeated(_key_values(table, entity.contract.key_columns), verdicts.ok)
            writer.write(table, batch.row_numbers, verdicts, duplicate, result)
            if bar is not None:
                bar.update(batch.table.num_rows)
    if bar is not None:
        bar.close()

    conn.execute(
        """update audit.ingested_files
              set rows_read = %s, rows_loaded = %s, rows_quarantined = %s, finished_at = now()
            where file_id = %s""",
        (result.rows_read, result.rows_loaded, result.rows_quarantined, result.file_id),
    )
    return result


def _key_values(table: pa.Table, columns: tuple[str, ...]) -> pa.ChunkedArray:
    if len(columns) == 1:
        return table[columns[0]]
    # U+001F (unit separator) cannot occur in the sources' text, so distinct keys stay distinct
    return pc.binary_join_element_wise(
        *(table[name] for name in columns), "\x1f", null_handling="replace", null_replacement=""
    )


class _SeenKeys:
    """Keys already loaded from this file, as sorted int64 runs (NIPs are numeric): 8 bytes a key where
    a Python set costs ~70. Runs of similar size are merged, so a lookup checks O(log chunks) runs."""

    def __init__(self):
        self._runs: list[np.ndarray] = []

    def repeated(self, keys: pa.ChunkedArray, ok: np.ndarray) -> np.ndarray:
        candidates = np.flatnonzero(ok)
        numeric = pc.cast(keys.take(pa.array(candidates)), pa.int64()).to_numpy(zero_copy_only=False)
        order = np.argsort(numeric, kind="stable")
        ordered = numeric[order]
        repeated_ordered = np.zeros(len(ordered), dtype=bool)
        repeated_ordered[1:] = ordered[1:] == ordered[:-1]
        for run in self._runs:
            position = np.searchsorted(run, ordered).clip(max=len(run) - 1)
            repeated_ordered |= run[position] == ordered
        repeated = np.empty_like(repeated_ordered)
        repeated[order] = repeated_ordered
        self._add(ordered[~repeated_ordered])
        duplicate = np.zeros(len(ok), dtype=bool)
        duplicate[candidates[repeated]] = True
        return duplicate

    def _add(self, run: np.ndarray) -> None:
        if run.size:
            self._runs.append(run)
        while len(self._runs) > 1 and len(self._runs[-1]) >= len(self._runs[-2]):
            newest = self._runs.pop()
            self._runs[-1] = np.sort(np.concatenate([self._runs[-1], newest]), kind="stable")


class _SeenTextKeys:
    """Keys already loaded from this file, for text or composite keys: exact, with Arrow's hash kernels
    (first occurrences within a chunk by dictionary encoding, earlier chunks by ``is_in``)."""

    def __init__(self):
        self._seen: list[pa.Array] = []

    def repeated(self, keys: pa.ChunkedArray | pa.Array, ok: np.ndarray) -> np.ndarray:
        candidates = np.flatnonzero(ok)
        duplicate = np.zeros(len(ok), dtype=bool)
        if candidates.size == 0:
            return duplicate
        values = keys.take(pa.array(candidates))
        values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
        encoded = pc.dictionary_encode(values)
        indices = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
        repeated = np.ones(len(values), dtype=bool)
        repeated[np.unique(indices, return_index=True)[1]] = False
        repeated &= indices >= 0  # a missing key repeats nothing
        if self._seen:
            earlier = pc.is_in(values, value_set=pa.concat_arrays(self._seen))
            repeated |= pc.fill_null(earlier, False).to_numpy(zero_copy_only=False)
        self._seen.append(encoded.dictionary)
        duplicate[candidates[repeated]] = True
        return duplicate


_COPY_TEXT_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _copy_text(value: str) -> str:
    """A value escaped for COPY's text format."""
    return value.translate(_COPY_TEXT_ESCAPES)


_END = object()


def _read_ahead(batches: Iterator[formats.Batch], depth: int = 2) -> Iterator[formats.Batch]:
    """Parse the next blocks on a thread of their own while the caller checks the current one (Arrow's
    parser releases the GIL). Errors surface in the caller, in order; stopping early stops the reader."""
    ready: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def hand_over(item) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for batch in batches:
                if not hand_over(batch):
                    return
            hand_over(_END)
        except BaseException as exc:  # handed to the caller, which raises it
            hand_over(exc)
        finally:
            batches.close()

    reader = threading.Thread(target=read, name="read-ahead", daemon=True)
    reader.start()
    try:
        while (item := ready.get()) is not _END:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        reader.join()


def _csv_for_copy(table: pa.Table) -> io.BytesIO:
    """The rows as CSV for COPY. Unquoted when no value holds the delimiter, a quote or a line break (Arrow
    refuses rather than writes such a value unquoted): quoting every string would make the server parse a
    quarter more bytes."""
    buffer = io.BytesIO()
    try:
        pv.write_csv(table, buffer, write_options=_UNQUOTED)
    except pa.ArrowInvalid:
        buffer = io.BytesIO()
        pv.write_csv(table, buffer, write_options=_QUOTED)
    return buffer


class _ChunkWriter:
    """Writes loadable rows with COPY and the rest to the quarantine, on a thread of its own so that the
    server's COPY of one chunk overlaps the parsing and checking of the next. It owns the connection while
    open; the first error it meets is raised in the caller, which rolls the file's transaction back."""

    def __init__(self, conn, entity: SourceEntity, batch_id: int, file_id: int, file_date):
        self.conn = conn
        self.entity = entity
        self.batch_id = batch_id
        self.file_id = file_id
        self.file_date = file_date
        columns = list(entity.contract.columns) + [name for name, _ in entity.constants]
        if entity.file_date:
            columns.append(entity.file_date_column)
        self.copy_statement = (
            f"copy {entity.raw_table} ({', '.join([*columns, '_batch_id', '_file_id', '_row_number'])}) "
            f"from stdin (format csv, delimiter E'\\x{ord(COPY_DELIMITER):02x}')"
        )
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="copy")
        self._pending: list[Future] = []

    def __enter__(self) -> _ChunkWriter:
        return self

    def __exit__(self, exc_type, *_) -> None:
        try:
            if exc_type is None:  # else the first error is already on its way; later ones only echo it
                for future in self._pending:
                    future.result()
        finally:
            self._executor.shutdown(wait=True, cancel_futures=True)

    def _submit(self, job, *args) -> None:
        while len(self._pending) >= 2:  # bound memory: one chunk in COPY, one waiting
            self._pending.pop(0).result()
        self._pending.append(self._executor.submit(job, *args))

    def write(self, table, row_numbers, verdicts: Verdicts, duplicate, result: FileResult) -> None:
        loadable = verdicts.ok & ~duplicate
        result.rows_read += table.num_rows
        result.rows_loaded += int(loadable.sum())
        if loadable.any():
            self._submit(self._copy, table, loadable, row_numbers[loadable])
        rejected = np.flatnonzero(~loadable)
        if rejected.size:
            rows = self._quarantine_rows(table.take(pa.array(rejected)), row_numbers[rejected], verdicts, rejected)
            for row in rows:
                result.quarantined_by_rule[row[1]] += 1
            result.rows_quarantined += len(rows)
            self._submit(self._copy_quarantine, rows)

    def _copy(self, table: pa.Table, loadable: np.ndarray, row_numbers: np.ndarray) -> None:
        if not loadable.all():
            table = table.filter(pa.array(loadable))
        if self.entity.finalise is not None:
            table = self.entity.finalise(table)
        rows = table.num_rows
        for name, value in self.entity.constants:
            table = table.append_column(name, pa.repeat(pa.scalar(value, pa.string()), rows))
        if self.entity.file_date:
            table = table.append_column(self.entity.file_date_column, pa.repeat(pa.scalar(self.file_date), rows))
        table = (
            table.append_column("_batch_id", pa.array(np.full(rows, self.batch_id, dtype=np.int64)))
            .append_column("_file_id", pa.array(np.full(rows, self.file_id, dtype=np.int64)))
            .append_column("_row_number", pa.array(row_numbers))
        )
        buffer = _csv_for_copy(table)
        with self.conn.cursor().copy(self.copy_statement) as copy:
            copy.write(buffer.getbuffer())

    def _quarantine_rows(self, table, row_numbers, verdicts: Verdicts, rejected) -> list[tuple]:
        rows = []
        for position, record in enumerate(table.to_pylist()):
            hits = verdicts.broken[rejected[position]]
            broken = [rule for rule, hit in zip(verdicts.rules, hits, strict=True) if hit]
            if broken:
                message = "; ".join(describe(rule, record) for rule in broken)
                broken_ids = [rule.rule_id for rule in broken]
            else:
                key = ", ".join(f"{name}={record[name]!r}" for name in self.entity.contract.key_columns)
                message = f"{key} already appeared earlier in this file"
                broken_ids = [DUPLICATE_KEY]
            rows.append((int(row_numbers[position]), broken_ids[0], broken_ids, message, record))
        return rows

    def write_malformed(self, malformed: list[tuple[int, str]], result: FileResult) -> None:
        if not malformed:
            return
        message = formats.malformed_message(self.entity.file_format, len(self.entity.contract.columns))
        rows = [(number, MALFORMED_ROW, [MALFORMED_ROW], message, {"_raw_line": text}) for number, text in malformed]
        result.rows_read += len(rows)
        result.rows_quarantined += len(rows)
        result.quarantined_by_rule[MALFORMED_ROW] += len(rows)
        self._submit(self._copy_quarantine, rows)

    def _copy_quarantine(self, rows: list[tuple]) -> None:
        """COPY in text format, written here in one piece: psycopg's per-row adaptation of a dict to jsonb
        cost more than the rest of the quarantine path."""
        statement = (
            "copy raw.quarantine (batch_id, file_id, source, entity, row_number, rule_id, rules_broken, "
            "message, record) from stdin"
        )
        prefix = (
            f"{self.batch_id}\t{self.file_id}\t{_copy_text(self.entity.source)}\t{_copy_text(self.entity.entity)}\t"
        )
        payload = "".join(
            f"{prefix}{number}\t{rule_id}\t{{{','.join(broken_ids)}}}\t{_copy_text(message)}\t"
            f"{_copy_text(json.dumps(record, ensure_ascii=False, default=str))}\n"
            for number, rule_id, broken_ids, message, record in rows
        )
        with self.conn.cursor().copy(statement) as copy:
            copy.write(payload.encode())


def _progress_bar(path: Path):
    from tqdm import tqdm

    return tqdm(desc=path.name, unit=" rows", unit_scale=True, leave=False)


def ingest_paths(
    conn: psycopg.Connection,
    entity: SourceEntity,
    paths: list[Path],
    run_id: str | None = None,
    progress: bool = False,
) -> tuple[int, list[FileResult]]:
    """Ingest ``paths`` as one load batch; each file is its own transaction."""
    ensure_raw_schema(conn, entity)
    conn.commit()
    batch_id = open_batch(conn, entity.source, run_id)
    results = [ingest_file(conn, entity, path, batch_id, progress) for path in paths]
    close_batch(conn, batch_id)
    return batch_id, results
