"""Ingest entry points shared by the CLI and the Airflow tasks."""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path

from pembina import db
from pembina.ingest import loader
from pembina.settings import get_settings
from pembina.sources import UnknownSource, families, get_entity, registry


def pending_files(source: str) -> list[str]:
    """Every file in the source's landing folder; already-loaded content is skipped at load time."""
    entity = get_entity(source)
    return [str(path) for path in entity.landing_files(get_settings().landing_dir)]


def open_batch(source: str, run_id: str | None) -> int:
    """A batch whose files are loaded by other tasks: it lives on a lease that each file extends."""
    entity = get_entity(source)
    with db.connect() as conn:
        loader.ensure_raw_schema(conn, entity)
        conn.commit()
        return loader.open_batch(conn, source, run_id, leased=True)


def load_file(source: str, path: str, batch_id: int) -> loader.FileResult:
    entity = get_entity(source)
    with db.connect() as conn:
        loader.hold_batch(conn, batch_id)
        return loader.ingest_file(conn, entity, Path(path), batch_id)


def close_batch(batch_id: int, expected_paths: list[str]) -> dict:
    """Close the batch (failed if a file of ``expected_paths`` has no recorded outcome) and return what the
    audit recorded for its files."""
    with db.connect() as conn:
        status = loader.close_batch(conn, batch_id, expected_paths)
        files = conn.execute(
            """select status, count(*), sum(rows_read), sum(rows_loaded), sum(rows_quarantined)
                 from audit.ingested_files where batch_id = %s group by status""",
            (batch_id,),
        ).fetchall()
        rejected = conn.execute(
            "select path, reason from audit.ingested_files where batch_id = %s and status = 'rejected'",
            (batch_id,),
        ).fetchall()
    return {
        "batch_id": batch_id,
        "status": status,
        "files": {row[0]: {"files": row[1], "read": row[2], "loaded": row[3], "quarantined": row[4]} for row in files},
        "rejected": dict(rejected),
    }


def sources_for(name: str, paths: list[Path] | None) -> list[tuple[str, list[Path] | None]]:
    """A source or a source family (``training``: every vendor) -> (source, paths) to load. Given paths and
    a family, each path goes to the family's sources whose file pattern it matches, narrowed by the landing
    folder it sits in when vendors share a pattern; sources reading the same landing folder (e-Kinerja's
    appraisals and organisation predikat) each load it. A family named like one of its sources (``ekinerja``)
    means the family."""
    sources = families().get(name)
    if sources is None:
        if name in registry():
            return [(name, paths)]
        known = sorted({*registry(), *families()})
        raise UnknownSource(f"unknown source or family {name!r}; known: {', '.join(known)}")
    if paths is None or len(sources) == 1:
        return [(source, paths) for source in sources]
    entities = {source: get_entity(source) for source in sources}
    assigned: dict[str, list[Path]] = {source: [] for source in sources}
    for path in paths:
        matching = [source for source, entity in entities.items() if fnmatch(path.name, entity.file_pattern)]
        in_folder = [s for s in matching if path.parent.name == Path(entities[s].landing_subdir).name]
        matching = in_folder or matching
        folders = {entities[source].landing_subdir for source in matching}
        if len(folders) != 1:
            raise ValueError(
                f"{path}: cannot tell which source of {name!r} it belongs to "
                f"({', '.join(matching) or 'none matches'}); name the source instead"
            )
        for source in matching:
            assigned[source].append(path)
    return [(source, files) for source, files in assigned.items() if files]


def ingest_source(
    source: str, paths: list[Path] | None = None, run_id: str | None = None, progress: bool = False
) -> list[loader.FileResult]:
    """Load a source's files (default: its landing folder) or, given a family, each of its sources'."""
    results: list[loader.FileResult] = []
    for name, files in sources_for(source, paths):
        entity = get_entity(name)
        files = files if files is not None else entity.landing_files(get_settings().landing_dir)
        with db.connect() as conn:
            _, loaded = loader.ingest_paths(conn, entity, files, run_id=run_id, progress=progress)
        results.extend(loaded)
    return results
