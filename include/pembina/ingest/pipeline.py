"""Ingest entry points shared by the CLI and the Airflow tasks."""

from __future__ import annotations

from pathlib import Path

from pembina import db
from pembina.ingest import loader
from pembina.settings import get_settings
from pembina.sources import get_entity


def pending_files(source: str) -> list[str]:
    """Every file in the source's landing folder; already-loaded content is skipped at load time."""
    entity = get_entity(source)
    return [str(path) for path in entity.landing_files(get_settings().landing_dir)]


def open_batch(source: str, run_id: str | None) -> int:
    entity = get_entity(source)
    with db.connect() as conn:
        loader.ensure_raw_schema(conn, entity)
        conn.commit()
        return loader.open_batch(conn, source, run_id)


def load_file(source: str, path: str, batch_id: int) -> loader.FileResult:
    entity = get_entity(source)
    with db.connect() as conn:
        return loader.ingest_file(conn, entity, Path(path), batch_id)


def close_batch(batch_id: int) -> dict:
    """Close the batch and return what the audit recorded for its files."""
    with db.connect() as conn:
        status = loader.close_batch(conn, batch_id)
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


def ingest_source(
    source: str, paths: list[Path] | None = None, run_id: str | None = None, progress: bool = False
) -> list[loader.FileResult]:
    entity = get_entity(source)
    paths = paths if paths is not None else entity.landing_files(get_settings().landing_dir)
    with db.connect() as conn:
        _, results = loader.ingest_paths(conn, entity, paths, run_id=run_id, progress=progress)
    return results
