"""Load landing files into ``raw``: contract per row, quarantine with the rule broken, COPY, one
transaction per file, content-hash idempotency and per-file reconciliation in ``audit``."""

from __future__ import annotations

import ctypes
import functools
import json
import logging
import queue
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from hashlib import blake2b
from pathlib import Path

import numpy as np
import psycopg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

from pembina.audit import ensure_audit_schema
from pembina.contracts import checks
from pembina.contracts.contract import DUPLICATE_KEY, Verdicts, evaluate
from pembina.ingest import formats, quarantine
from pembina.ingest.files import check_columns, sha256_of
from pembina.ingest.records import SetAside
from pembina.sources.base import FileRejected, SourceEntity

log = logging.getLogger(__name__)

COPY_DELIMITER = "\x1f"  # ASCII unit separator: never part of the text these sources send
_UNQUOTED = pv.WriteOptions(include_header=False, delimiter=COPY_DELIMITER, quoting_style="none")
_QUOTED = pv.WriteOptions(include_header=False, delimiter=COPY_DELIMITER, quoting_style="needed")
BLOCK_BYTES = formats.BLOCK_BYTES
CHUNK_BYTES = formats.CHUNK_BYTES
QUARANTINE_GATHER_ROWS = 50_000
# An Airflow batch is opened, loaded and closed by different task processes, so no session holds it
# throughout: it stays alive this long after its last file started, a backstop for a run whose close task
# never ran (its worker died).
BATCH_LEASE = "6 hours"
# A running load holds its batch's advisory lock (shared: an Airflow batch's files load in parallel tasks).
_BATCH_KEY = "hashtext('pembina.load_batch'), %s::integer"

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
    absent_columns: list[str] = field(default_factory=list)
    codes_rewritten: Counter = field(default_factory=Counter)
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
            "absent_columns": self.absent_columns,
            "codes_rewritten": dict(self.codes_rewritten),
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


def open_batch(conn: psycopg.Connection, source: str, run_id: str | None, leased: bool = False) -> int:
    """A new running batch, held by this session until it is closed (``leased``: alive for ``BATCH_LEASE`` after
    it opens and after each file starts). Then the source's batches that died before closing are marked failed."""
    batch_id = conn.execute(
        """insert into audit.load_batches (source, run_id, lease_until)
           values (%s, %s, case when %s then now() + %s::interval end) returning batch_id""",
        (source, run_id, leased, BATCH_LEASE),
    ).fetchone()[0]
    conn.execute(f"select pg_advisory_lock_shared({_BATCH_KEY})", (batch_id,))  # held before anyone sees it
    conn.commit()
    fail_dead_batches(conn, source, batch_id)
    return batch_id


def fail_dead_batches(conn: psycopg.Connection, source: str, found_by: int) -> None:
    """Mark failed every running batch of ``source`` that nobody holds: its session is gone (the lock is
    free: a process that died releases it with its connection) and, for a leased batch, the lease ran out.
    A load running in parallel holds its batch and is left alone."""
    rows = conn.execute(
        """with candidates as materialized (
               select batch_id, lease_until from audit.load_batches
                where source = %(source)s and status = 'running'
                  and (lease_until is null or lease_until < now())
                  -- this session's own batches: its lock requests never conflict with the locks it holds
                  and batch_id not in (select objid::bigint from pg_locks
                                        where locktype = 'advisory' and objsubid = 2 and pid = pg_backend_pid())
           )
           update audit.load_batches batch
              set status = 'failed', finished_at = now(),
                  failure_reason = case
                      when candidates.lease_until is null then
                          'the load stopped before closing its batch (its process ended); found when batch '
                          || %(found_by)s || ' started'
                      else 'no task loaded a file of it since ' || (candidates.lease_until - %(lease)s::interval)
                          || ' and it was never closed; found when batch ' || %(found_by)s || ' started'
                  end
             from candidates
            where batch.batch_id = candidates.batch_id
              and pg_try_advisory_xact_lock(hashtext('pembina.load_batch'), candidates.batch_id::integer)
        returning batch.batch_id""",
        {"source": source, "found_by": found_by, "lease": BATCH_LEASE},
    ).fetchall()
    conn.commit()
    if rows:
        log.warning("%s: batch(es) %s died before closing: marked failed", source, [row[0] for row in rows])


def hold_batch(conn: psycopg.Connection, batch_id: int) -> None:
    """Hold a leased batch while a task loads one of its files, and extend its lease."""
    conn.execute(f"select pg_advisory_lock_shared({_BATCH_KEY})", (batch_id,))
    running = conn.execute(
        """update audit.load_batches set lease_until = now() + %s::interval
            where batch_id = %s and status = 'running' returning batch_id""",
        (BATCH_LEASE, batch_id),
    ).fetchone()
    conn.commit()
    if running is None:
        raise RuntimeError(f"batch {batch_id} is not running any more: open a new one")


def close_batch(conn: psycopg.Connection, batch_id: int, expected_paths: Sequence[str] = ()) -> str:
    """Close the batch: ``failed`` when one of ``expected_paths`` (the files its tasks were given) has no
    outcome recorded (its task failed or was killed), ``partial`` when a file was rejected, else ``succeeded``."""
    recorded = dict(
        conn.execute("select path, status from audit.ingested_files where batch_id = %s", (batch_id,)).fetchall()
    )
    unfinished = [Path(path).name for path in expected_paths if str(path) not in recorded]
    reason = None
    if unfinished:
        status = "failed"
        reason = _bounded(
            f"{len(unfinished)} of its {len(expected_paths)} files never finished loading (their task failed or "
            f"was killed; the next run loads them): {', '.join(unfinished)}"
        )
    else:
        status = "partial" if "rejected" in recorded.values() else "succeeded"
    conn.execute(
        """update audit.load_batches set finished_at = now(), status = %s, failure_reason = %s
            where batch_id = %s""",
        (status, reason, batch_id),
    )
    conn.commit()
    return status


def ingest_file(
    conn: psycopg.Connection, entity: SourceEntity, path: Path, batch_id: int, progress: bool = False
) -> FileResult:
    """Load one file in one transaction. A file already loaded (same content) is skipped; a file that
    cannot be read is recorded as rejected with the reason, and nothing of it reaches ``raw``."""
    _use_jemalloc()
    _fix_mmap_threshold()
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
        result = FileResult(path, "rejected", reason=_bounded(str(exc)))
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        # the exception's text may quote the file's content: only its kind is logged
        log.warning("%s: unreadable content (%s)", path.name, type(exc).__name__)
        result = FileResult(path, "rejected", reason="unreadable content: the reader could not parse the file")
    except psycopg.errors.UniqueViolation:
        result = FileResult(path, "skipped", reason="loaded concurrently by another task")
    except psycopg.DataError as exc:
        result = FileResult(path, "rejected", reason=_bounded(f"the database refused a value: {_first_line(exc)}"))
    if result.status != "loaded":
        with conn.transaction():
            result.file_id = _record_file(conn, entity, path, batch_id, sha256, size, result)
    result.seconds = time.perf_counter() - started
    log.info("%s: %s", path.name, result.as_dict())
    return result


@functools.cache
def _use_jemalloc() -> None:
    """Arrow's jemalloc pool hands freed memory back to the system as it goes. With pyarrow's default
    (mimalloc) the process kept about 50 bytes per row of a large file, so memory grew with the file."""
    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except NotImplementedError:  # a pyarrow build without jemalloc keeps its default
        log.info("pyarrow has no jemalloc pool; ingest uses %s", pa.default_memory_pool().backend_name)


@functools.cache
def _fix_mmap_threshold() -> None:
    """glibc takes a block below its mmap threshold from its heap, and raises that threshold to the largest block
    freed (up to 32 MB): the key index's runs and each batch's arrays then came from a heap that fragmented and
    grew with the file (40 MB over 1.26M JSON lines rows). At a fixed 1 MB every large block is mapped on its
    own and returned to the system when freed."""
    try:
        ctypes.CDLL(None).mallopt(_M_MMAP_THRESHOLD, 1 << 20)
    except AttributeError:  # a C library without mallopt keeps its own policy
        log.info("no mallopt: the C library's mmap threshold is left as it is")


_M_MMAP_THRESHOLD = -3  # glibc's malloc.h


def _bounded(reason: str) -> str:
    """A rejection reason of at most ``quarantine.MESSAGE_CHARS`` characters."""
    limit = quarantine.MESSAGE_CHARS
    return reason if len(reason) <= limit else reason[: limit - 1] + "…"


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
        absent = entity.check_header(opened.columns, path)
    else:
        absent = check_columns(opened.columns, entity.contract.columns, entity.contract.optional)
    file_date = entity.file_date(path) if entity.file_date else None
    lookups = [(code_list.column, code_list.lookup()) for code_list in entity.code_lists]

    result = FileResult(path, "loaded", encoding=opened.encoding, absent_columns=absent)
    result.file_id = conn.execute(
        """insert into audit.ingested_files (batch_id, source, path, sha256, size_bytes, encoding, status)
           values (%s, %s, %s, %s, %s, %s, 'loaded') returning file_id""",
        (batch_id, entity.source, str(path), sha256, size, opened.encoding),
    ).fetchone()[0]

    keys = _SeenKeys(numeric=entity.contract.numeric_key)
    bar = _progress_bar(path) if progress else None
    with _FileWriter(conn, entity, batch_id, result, file_date) as writer:
        for batch in opened.batches:
            writer.write_malformed(batch.malformed)
            if batch.table.num_rows == 0:
                continue
            as_sent = entity.prepare(_with_absent(batch.table, absent))
            table, rewritten = _canonical_codes(as_sent, lookups)
            verdicts = evaluate(entity.contract, table)
            duplicate = np.zeros(table.num_rows, dtype=bool)
            if entity.contract.key:
                duplicate = keys.repeated(_key_values(table, entity.contract.key_columns), verdicts.ok)
            writer.write(table, batch.row_numbers, verdicts, duplicate, as_sent, rewritten)
            if bar is not None:
                bar.update(batch.table.num_rows)
    if bar is not None:
        bar.close()

    conn.execute(
        """update audit.ingested_files
              set rows_read = %s, rows_loaded = %s, rows_quarantined = %s, finished_at = now(),
                  absent_columns = %s, codes_rewritten = %s
            where file_id = %s""",
        (
            result.rows_read,
            result.rows_loaded,
            result.rows_quarantined,
            json.dumps(result.absent_columns),
            json.dumps(dict(result.codes_rewritten)),
            result.file_id,
        ),
    )
    return result


def _with_absent(table: pa.Table, absent: list[str]) -> pa.Table:
    """The file's table with the optional columns it leaves out, as missing values."""
    for name in absent:
        table = table.append_column(name, pa.nulls(table.num_rows, pa.string()))
    return table


def _canonical_codes(table: pa.Table, lookups: list[tuple[str, dict[str, str]]]):
    """The coded columns rewritten to their canonical codes, and per column where a value was rewritten."""
    rewritten = {}
    for column, lookup in lookups:
        values, changed = checks.canonical_codes(table[column], lookup)
        if changed.any():
            table = table.set_column(table.column_names.index(column), column, values)
            rewritten[column] = changed
    return table, rewritten


def _key_values(table: pa.Table, columns: tuple[str, ...]) -> pa.ChunkedArray:
    if len(columns) == 1:
        return table[columns[0]]
    # U+001F (unit separator) cannot occur in the sources' text, so distinct keys stay distinct
    return pc.binary_join_element_wise(
        *(table[name] for name in columns), "\x1f", null_handling="replace", null_replacement=""
    )


class _SeenKeys:
    """Keys already loaded from this file, as sorted runs of fixed-width numbers, so the index costs the same
    few bytes a key however long the key: a numeric key (NIP) is its int64 value, 8 bytes; a text or composite
    key its 96-bit BLAKE2b fingerprint, 12 bytes (64 bits to sort on, 32 to tell apart the rare keys whose
    first 64 bits agree). Two distinct keys of a file of n keys share a fingerprint with a chance below
    n²/2⁹⁷: 2·10⁻¹⁴ at 55M keys. Runs of similar size are merged, so a lookup checks O(log chunks) runs, up to
    ``MAX_RUN`` keys: merging larger runs would briefly double the memory of a large file's index."""

    MAX_RUN = 1 << 20

    def __init__(self, numeric: bool):
        self._numeric = numeric
        self._runs: list[tuple[np.ndarray, np.ndarray | None]] = []  # (high, low), sorted by high then low

    def repeated(self, keys: pa.ChunkedArray | pa.Array, ok: np.ndarray) -> np.ndarray:
        """Where ``keys`` repeats a key of an earlier row of the file, among the rows where ``ok``; rows not
        ``ok`` and missing keys repeat nothing and are not remembered."""
        candidates = np.flatnonzero(ok & keys.is_valid().to_numpy(zero_copy_only=False))
        duplicate = np.zeros(len(ok), dtype=bool)
        if candidates.size == 0:
            return duplicate
        high, low = self._fingerprints(keys.take(pa.array(candidates)))
        order = np.argsort(high, kind="stable") if low is None else np.lexsort((low, high))  # stable: file order
        high, low = high[order], None if low is None else low[order]
        repeated_ordered = np.zeros(len(order), dtype=bool)
        repeated_ordered[1:] = high[1:] == high[:-1]
        if low is not None:
            repeated_ordered[1:] &= low[1:] == low[:-1]
        for run in self._runs:
            repeated_ordered |= _in_run(run, high, low)
        repeated = np.empty_like(repeated_ordered)
        repeated[order] = repeated_ordered
        first = ~repeated_ordered
        self._add(high[first], None if low is None else low[first])
        duplicate[candidates[repeated]] = True
        return duplicate

    def _fingerprints(self, keys: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, np.ndarray | None]:
        if self._numeric:
            return pc.cast(keys, pa.int64()).to_numpy(zero_copy_only=False), None
        digests = np.frombuffer(
            b"".join(blake2b(key.encode(), digest_size=12).digest() for key in keys.to_numpy(zero_copy_only=False)),
            np.dtype([("high", "<u8"), ("low", "<u4")]),
        )
        return digests["high"].copy(), digests["low"].copy()

    def _add(self, high: np.ndarray, low: np.ndarray | None) -> None:
        if high.size:
            self._runs.append((high, low))
        while (
            len(self._runs) > 1
            and len(self._runs[-1][0]) >= len(self._runs[-2][0])
            and len(self._runs[-1][0]) + len(self._runs[-2][0]) <= self.MAX_RUN
        ):
            (newest_high, newest_low), (older_high, older_low) = self._runs.pop(), self._runs.pop()
            high = np.concatenate([older_high, newest_high])
            if newest_low is None:
                high.sort(kind="stable")  # in place: timsort merges the two sorted runs
                self._runs.append((high, None))
                continue
            low = np.concatenate([older_low, newest_low])
            order = np.lexsort((low, high))
            self._runs.append((high[order], low[order]))


def _in_run(run: tuple[np.ndarray, np.ndarray | None], high: np.ndarray, low: np.ndarray | None) -> np.ndarray:
    """Where (``high``, ``low``) is a key of ``run``."""
    run_high, run_low = run
    position = np.searchsorted(run_high, high).clip(max=len(run_high) - 1)
    same_high = run_high[position] == high
    if low is None:
        return same_high
    found = same_high & (run_low[position] == low)
    # a key whose first 64 bits another key of the run shares: any of them may be the same key
    for index in np.flatnonzero(same_high & ~found):
        stop = np.searchsorted(run_high, high[index], "right")
        found[index] = bool((run_low[position[index] : stop] == low[index]).any())
    return found


_END = object()


def _csv_for_copy(table: pa.Table, keep: np.ndarray | None = None):
    """The rows where ``keep`` (every row when None) as CSV for COPY, as a bytes-like object.

    Unquoted when no value holds the delimiter, a quote or a line break (Arrow refuses rather than writes
    such a value unquoted): quoting every string would make the server parse a quarter more bytes. Then
    every row is written and the lines of the rows not kept are cut out of the text, which costs less than
    filtering every column first."""
    sink = pa.BufferOutputStream()
    try:
        pv.write_csv(table, sink, write_options=_UNQUOTED)
    except pa.ArrowInvalid:
        sink = pa.BufferOutputStream()
        pv.write_csv(table if keep is None else table.filter(pa.array(keep)), sink, write_options=_QUOTED)
        return memoryview(sink.getvalue())
    written = memoryview(sink.getvalue())
    if keep is None or keep.all():
        return written
    return _kept_lines(written, keep)


def _kept_lines(text: memoryview, keep: np.ndarray) -> bytes:
    """The lines of ``text`` (one per row, none holding a line break of its own) where ``keep``."""
    ends = np.flatnonzero(np.frombuffer(text, np.uint8) == ord("\n")) + 1
    starts = np.concatenate(([0], ends[:-1]))
    edges = np.diff(np.concatenate(([0], keep.astype(np.int8), [0])))
    return b"".join(
        text[starts[first] : ends[last]]
        for first, last in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1, strict=True)
    )


class _CopySender:
    """COPYs the chunks the caller encoded, on a thread of its own, so that the server loads one chunk while
    the caller checks the next. A COPY per chunk, not one for the file: the server's bulk-load buffer ring
    is 16 MB, and a larger COPY spends a fifth more server time flushing it. (Encoding on a third thread
    was slower: on two cores, it only competes with the server.) The first error is raised in the caller,
    whose transaction then rolls the whole file back."""

    def __init__(self, conn: psycopg.Connection, statement: str, depth: int = 2):
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._send, args=(conn, statement), name="copy", daemon=True)

    def __enter__(self) -> _CopySender:
        self._thread.start()
        return self

    def _send(self, conn: psycopg.Connection, statement: str) -> None:
        while (data := self._queue.get()) is not _END:
            if self._error is not None:
                continue  # drained until the caller stops handing over
            try:
                with conn.cursor().copy(statement) as copy:
                    copy.write(data)
            except BaseException as exc:  # handed to the caller
                self._error = exc

    def write(self, data) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(data)

    def __exit__(self, exc_type, *_) -> None:
        self._queue.put(_END)
        self._thread.join()
        if exc_type is None and self._error is not None:
            raise self._error


class _FileWriter:
    """Loadable rows go to the file's COPY stream, the others to a quarantine spool (memory, then a temporary
    file) that is copied into ``raw.quarantine`` once the rows are in: one connection cannot run two COPYs
    at a time."""

    def __init__(self, conn, entity: SourceEntity, batch_id: int, result: FileResult, file_date):
        self.conn = conn
        self.entity = entity
        self.result = result
        self._rules = entity.contract.all_rules()  # the columns of Verdicts.broken
        self._rejected: list[tuple] = []
        self._rejected_rows = 0
        self._constants = list(entity.constants)
        if entity.file_date:
            self._constants.append((entity.file_date_column, file_date.isoformat()))
        self._constants += [("_batch_id", str(batch_id)), ("_file_id", str(result.file_id))]
        columns = [*entity.contract.columns, *(name for name, _ in self._constants), "_row_number"]
        self._sender = _CopySender(
            conn,
            f"copy {entity.raw_table} ({', '.join(columns)}) "
            f"from stdin (format csv, delimiter E'\\x{ord(COPY_DELIMITER):02x}')",
        )
        self._spool = tempfile.SpooledTemporaryFile(max_size=CHUNK_BYTES, mode="w+b")  # noqa: SIM115 (closed in __exit__)
        self._quarantine_prefix = quarantine.line_prefix(batch_id, result.file_id, entity.source, entity.entity)

    def __enter__(self) -> _FileWriter:
        self._sender.__enter__()
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        try:
            self._sender.__exit__(exc_type, exc, traceback)
            if exc_type is None:
                self._spool_rejected()
            if exc_type is None and self._spool.tell():
                self._spool.seek(0)
                with self.conn.cursor().copy(quarantine.COPY_STATEMENT) as copy:
                    while data := self._spool.read(BLOCK_BYTES):
                        copy.write(data)
        finally:
            self._spool.close()

    def write(self, table, row_numbers, verdicts: Verdicts, duplicate, as_sent, rewritten) -> None:
        """``table`` as checked and loaded, ``as_sent`` (before codes were made canonical) for the quarantine,
        ``rewritten``: per coded column, the rows whose code was rewritten."""
        result = self.result
        loadable = verdicts.ok & ~duplicate
        result.rows_read += table.num_rows
        result.rows_loaded += int(loadable.sum())
        for column, changed in rewritten.items():
            if count := int((changed & loadable).sum()):
                result.codes_rewritten[column] += count
        if loadable.any():
            self._sender.write(self._csv(table, loadable, row_numbers))
        rejected = np.flatnonzero(~loadable)
        if rejected.size:
            self._rejected.append((as_sent.take(pa.array(rejected)), row_numbers[rejected], verdicts.broken[rejected]))
            self._rejected_rows += rejected.size
            result.rows_quarantined += int(rejected.size)
            if self._rejected_rows >= QUARANTINE_GATHER_ROWS:
                self._spool_rejected()

    def _spool_rejected(self) -> None:
        if not self._rejected:
            return
        result = self.result
        tables, numbers, broken = zip(*self._rejected, strict=True)
        lines, rule_index = quarantine.rejected_lines(
            self._quarantine_prefix,
            self.entity.contract,
            self._rules,
            pa.concat_tables(tables),
            np.concatenate(numbers),
            np.concatenate(broken),
        )
        rule_ids = [rule.rule_id for rule in self._rules] + [DUPLICATE_KEY]
        for index, count in enumerate(np.bincount(rule_index, minlength=len(rule_ids))):
            if count:
                result.quarantined_by_rule[rule_ids[index]] += int(count)
        self._spool.write(quarantine.as_bytes(lines))
        self._rejected, self._rejected_rows = [], 0

    def _csv(self, table: pa.Table, loadable: np.ndarray, row_numbers: np.ndarray):
        if self.entity.finalise is not None:
            table = self.entity.finalise(table)
        rows = table.num_rows
        # As text: Arrow's CSV writer formats a date or an integer column value by value, at a cost of
        # about a tenth of the ingest for these constant columns.
        for name, value in self._constants:
            table = table.append_column(name, pa.repeat(pa.scalar(value), rows))
        return _csv_for_copy(table.append_column("_row_number", pa.array(row_numbers).cast(pa.string())), loadable)

    def write_malformed(self, malformed: list[SetAside]) -> None:
        if not malformed:
            return
        result = self.result
        lines = quarantine.malformed_lines(self._quarantine_prefix, malformed)
        result.rows_read += len(malformed)
        result.rows_quarantined += len(malformed)
        result.quarantined_by_rule.update(item.rule for item in malformed)
        self._spool.write(quarantine.as_bytes(lines))


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
    conn.execute(f"select pg_advisory_unlock_shared({_BATCH_KEY})", (batch_id,))
    conn.commit()
    return batch_id, results
