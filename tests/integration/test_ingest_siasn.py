"""SIASN ingest against a real PostgreSQL: quarantine equals the injected defects, files reconcile,
reruns load nothing, and a file that breaks mid-way leaves nothing behind."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from pembina import db
from pembina.ingest import loader
from pembina.sources import get_entity

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def siasn():
    return get_entity("siasn")


@pytest.fixture(scope="module")
def warehouse_url(make_database):
    return make_database("pembina_t_ingest")


@pytest.fixture(scope="module")
def first_load(warehouse_url, synthetic_sources, siasn):
    paths = siasn.landing_files(synthetic_sources / "landing")
    with db.connect(warehouse_url) as conn:
        batch_id, results = loader.ingest_paths(conn, siasn, paths, run_id="test")
    return batch_id, results


def _manifest(synthetic_sources: Path) -> dict:
    return json.loads((synthetic_sources / "synth_manifest.json").read_text())


def test_every_file_is_loaded_and_reconciles(first_load, warehouse_url):
    batch_id, results = first_load
    assert results and all(result.status == "loaded" for result in results)
    with db.connect(warehouse_url) as conn:
        rows = conn.execute(
            "select rows_read, rows_loaded, rows_quarantined from audit.ingested_files where batch_id = %s",
            (batch_id,),
        ).fetchall()
        loaded = conn.execute("select count(*) from raw.siasn_pegawai").fetchone()[0]
        quarantined = conn.execute("select count(*) from raw.quarantine where source = 'siasn'").fetchone()[0]
    assert len(rows) == len(results)
    assert all(read == ok + bad for read, ok, bad in rows)
    assert loaded == sum(ok for _, ok, _ in rows)
    assert quarantined == sum(bad for _, _, bad in rows)


def test_quarantine_equals_the_injected_defects_row_for_row(first_load, warehouse_url, synthetic_sources):
    manifest = _manifest(synthetic_sources)
    injected = Counter()
    for defect in manifest["defects"]:
        if defect["source"] == "siasn":
            injected[(Path(defect["file"]).name, defect["row_number"], defect["rule"])] += 1
    with db.connect(warehouse_url) as conn:
        found = conn.execute(
            """select f.path, q.row_number, q.rule_id from raw.quarantine q
                 join audit.ingested_files f using (file_id) where q.source = 'siasn'"""
        ).fetchall()
    assert Counter((Path(path).name, row, rule) for path, row, rule in found) == injected
    assert sum(injected.values()) > 0


def test_the_latin1_export_is_decoded_as_windows_1252_and_its_encoding_recorded(first_load, synthetic_sources):
    _, results = first_load
    latin1 = {Path(item["file"]).name for item in _manifest(synthetic_sources)["file_defects"]}
    encodings = {result.path.name: result.encoding for result in results}
    assert latin1 and all(encodings[name] == "cp1252" for name in latin1 if name in encodings)


def test_quarantined_rows_keep_their_content_and_a_readable_message(first_load, warehouse_url):
    with db.connect(warehouse_url) as conn:
        message, record = conn.execute(
            "select message, record from raw.quarantine where rule_id = 'nip_gender_mismatch' limit 1"
        ).fetchone()
    assert "jenis_kelamin" in message and "nip_baru" in message
    assert set(record) == set(get_entity("siasn").contract.columns)


def test_a_rerun_loads_nothing_twice(first_load, warehouse_url, synthetic_sources, siasn):
    with db.connect(warehouse_url) as conn:
        before = conn.execute("select count(*) from raw.siasn_pegawai").fetchone()[0]
        _, results = loader.ingest_paths(conn, siasn, siasn.landing_files(synthetic_sources / "landing"))
        after = conn.execute("select count(*) from raw.siasn_pegawai").fetchone()[0]
    assert {result.status for result in results} == {"skipped"}
    assert after == before


def test_a_corrected_redelivery_is_a_new_file(first_load, warehouse_url, synthetic_sources, siasn, tmp_path):
    original = siasn.landing_files(synthetic_sources / "landing")[-1]
    corrected = tmp_path / original.name
    lines = original.read_bytes().splitlines(keepends=True)
    corrected.write_bytes(b"".join(lines[:-1]))
    with db.connect(warehouse_url) as conn:
        _, [result] = loader.ingest_paths(conn, siasn, [corrected])
    assert result.status == "loaded"
    assert result.rows_read == len(lines) - 2


def _large_copy(source: Path, target: Path, min_bytes: int) -> int:
    """``source`` repeated until the file spans several read blocks; returns its data rows."""
    header, rows = source.read_bytes().split(b"\n", 1)
    repeats = min_bytes // len(rows) + 1
    target.write_bytes(header + b"\n" + rows * repeats)
    return rows.count(b"\n") * repeats


def test_a_file_that_breaks_mid_way_leaves_nothing_in_raw(
    warehouse_url, synthetic_sources, siasn, tmp_path, monkeypatch
):
    from pembina.ingest import formats

    broken = tmp_path / "siasn_pegawai_20270101.csv"
    _large_copy(siasn.landing_files(synthetic_sources / "landing")[-1], broken, 3 * loader.CHUNK_BYTES)
    monkeypatch.setattr(formats, "MAX_LINE_BYTES", 4 * formats.BLOCK_BYTES)
    with broken.open("ab") as handle:  # far past the first chunks, a line too long to be an export's
        handle.write(b"x" * 5 * formats.BLOCK_BYTES)
    with db.connect(warehouse_url) as conn:
        before = conn.execute("select count(*) from raw.siasn_pegawai").fetchone()[0]
        _, [result] = loader.ingest_paths(conn, siasn, [broken])
        after = conn.execute("select count(*) from raw.siasn_pegawai").fetchone()[0]
        recorded = conn.execute(
            "select status, reason from audit.ingested_files where file_id = %s", (result.file_id,)
        ).fetchone()
    assert result.status == "rejected"
    assert after == before
    assert recorded == ("rejected", result.reason)
    assert "a line runs past" in result.reason


def test_a_load_killed_mid_file_leaves_no_partial_batch_and_reloads_cleanly(
    warehouse_url, synthetic_sources, siasn, tmp_path
):
    big = tmp_path / "siasn_pegawai_20270707.csv"
    rows = _large_copy(siasn.landing_files(synthetic_sources / "landing")[-1], big, 6 * loader.CHUNK_BYTES)
    environment = {**os.environ, "PEMBINA_WAREHOUSE_URL": warehouse_url}
    ingest = subprocess.Popen(
        [sys.executable, "-m", "pembina.cli", "ingest", "siasn", str(big), "--no-progress"], env=environment
    )
    with db.connect(warehouse_url, autocommit=True) as watcher:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and ingest.poll() is None:
            copying = watcher.execute(
                "select count(*) from pg_stat_activity where query ilike 'copy raw.siasn_pegawai%%'"
            ).fetchone()[0]
            if copying:
                break
            time.sleep(0.02)
        assert ingest.poll() is None, "the load finished before it could be killed; make the file larger"
        ingest.send_signal(signal.SIGKILL)
        ingest.wait()
        partial = watcher.execute("select count(*) from audit.ingested_files where path = %s", (str(big),)).fetchone()[
            0
        ]
    assert partial == 0
    with db.connect(warehouse_url) as conn:
        _, [result] = loader.ingest_paths(conn, siasn, [big])
        loaded_rows = conn.execute(
            "select count(*) from raw.siasn_pegawai where _file_id = %s", (result.file_id,)
        ).fetchone()[0]
    assert result.status == "loaded"
    assert result.rows_read == rows
    assert loaded_rows == result.rows_loaded


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02PK\x03\x04" * 100, "binary"),
        (b"nip_baru|nama\n198503122010011003|A\n", "missing columns"),
    ],
)
def test_unreadable_files_are_rejected_with_a_reason(warehouse_url, siasn, tmp_path, content, reason):
    path = tmp_path / "siasn_pegawai_20270202.csv"
    path.write_bytes(content)
    with db.connect(warehouse_url) as conn:
        _, [result] = loader.ingest_paths(conn, siasn, [path])
    assert result.status == "rejected"
    assert reason in result.reason


def test_an_unexpected_new_column_rejects_the_file(warehouse_url, synthetic_sources, siasn, tmp_path):
    source = siasn.landing_files(synthetic_sources / "landing")[-1]
    lines = source.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "siasn_pegawai_20270303.csv"
    path.write_text("\n".join([lines[0] + "|kolom_baru", *(line + "|x" for line in lines[1:])]) + "\n")
    with db.connect(warehouse_url) as conn:
        _, [result] = loader.ingest_paths(conn, siasn, [path])
    assert result.status == "rejected"
    assert "unexpected columns: kolom_baru" in result.reason


def test_a_row_with_the_wrong_number_of_fields_is_quarantined(warehouse_url, synthetic_sources, siasn, tmp_path):
    source = siasn.landing_files(synthetic_sources / "landing")[-1]
    lines = source.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "siasn_pegawai_20270404.csv"
    path.write_text("\n".join([lines[0], lines[1], "only|three|fields", *lines[2:5]]) + "\n")
    with db.connect(warehouse_url) as conn:
        _, [result] = loader.ingest_paths(conn, siasn, [path])
        row_number = conn.execute(
            "select row_number from raw.quarantine where file_id = %s and rule_id = 'malformed_row'",
            (result.file_id,),
        ).fetchone()[0]
    assert result.quarantined_by_rule["malformed_row"] == 1
    assert result.rows_read == 5 == result.rows_loaded + result.rows_quarantined
    assert row_number == 2


def test_cli_ingest_reports_each_file(warehouse_url, synthetic_sources, tmp_path, capsys, monkeypatch):
    from pembina.cli import main

    monkeypatch.setenv("PEMBINA_WAREHOUSE_URL", warehouse_url)
    copy = tmp_path / "siasn_pegawai_20270505.csv"
    shutil.copy(get_entity("siasn").landing_files(synthetic_sources / "landing")[-1], copy)
    assert main(["ingest", "siasn", str(copy), "--no-progress"]) == 0
    assert "skipped" in capsys.readouterr().out
