"""Helpers for the ingest tests of the sources other than SIASN: load a source's landing files, and compare
the quarantine with the defects the synthetic generator injected, row for row."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from pembina import db
from pembina.ingest import loader
from pembina.sources import get_entity

FINDINGS = {"predikat_mismatch"}  # reported by the warehouse, never quarantined


def load(url: str, source: str, landing: Path, paths: list[Path] | None = None) -> list[loader.FileResult]:
    entity = get_entity(source)
    with db.connect(url) as conn:
        _, results = loader.ingest_paths(conn, entity, paths if paths is not None else entity.landing_files(landing))
    return results


def injected(synth_root: Path, source: str) -> Counter:
    manifest = json.loads((synth_root / "synth_manifest.json").read_text())
    return Counter(
        (str(synth_root / defect["file"]), defect["row_number"], defect["rule"])
        for defect in manifest["defects"]
        if defect["source"] == source and defect["rule"] not in FINDINGS
    )


def quarantined(url: str, source: str, synth_root: Path) -> Counter:
    with db.connect(url) as conn:
        rows = conn.execute(
            """select f.path, q.row_number, q.rule_id from raw.quarantine q
                 join audit.ingested_files f using (file_id)
                where q.source = %s and f.path like %s""",
            (source, f"{synth_root}/%"),
        ).fetchall()
    return Counter(rows)


def reconcile(url: str, source: str, results: list[loader.FileResult]) -> None:
    """rows read = loaded + quarantined per file, and raw and the quarantine hold exactly those rows."""
    entity = get_entity(source)
    file_ids = [result.file_id for result in results if result.status == "loaded"]
    assert file_ids
    with db.connect(url) as conn:
        audit = conn.execute(
            "select rows_read, rows_loaded, rows_quarantined from audit.ingested_files where file_id = any(%s)",
            (file_ids,),
        ).fetchall()
        in_raw = conn.execute(
            f"select count(*) from {entity.raw_table} where _file_id = any(%s)", (file_ids,)
        ).fetchone()[0]
        in_quarantine = conn.execute(
            "select count(*) from raw.quarantine where file_id = any(%s)", (file_ids,)
        ).fetchone()[0]
    assert all(read == ok + bad for read, ok, bad in audit)
    assert in_raw == sum(ok for _, ok, _ in audit)
    assert in_quarantine == sum(bad for _, _, bad in audit)
    for result in results:
        assert result.rows_read == result.rows_loaded + result.rows_quarantined


def check_source(url: str, source: str, synth_roots: list[Path], expect_defects: bool = True) -> None:
    """Quarantine equals the manifest for every synthetic set, files reconcile, and a rerun loads nothing."""
    for root in synth_roots:
        results = load(url, source, root / "landing")
        assert results and all(result.status == "loaded" for result in results), [r.as_dict() for r in results]
        reconcile(url, source, results)
        assert quarantined(url, source, root) == injected(root, source)
        rerun = load(url, source, root / "landing")
        assert {result.status for result in rerun} == {"skipped"}
    assert (sum(sum(injected(root, source).values()) for root in synth_roots) > 0) == expect_defects


def rule_coverage(synth_root: Path, source: str) -> set[str]:
    return {rule for _, _, rule in injected(synth_root, source)}
