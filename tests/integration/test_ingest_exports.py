"""Real exports as they are written: optional columns left out, codes written as synonyms, a first line that
is data, and a load killed mid-file, against a real PostgreSQL. Every file is generated from the synthetic
SIASN export in the test."""

import csv
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from pembina import db
from pembina.ingest import loader
from pembina.report import render_html
from pembina.report.run_report import collect_run_data, summarize_load_findings
from pembina.settings import get_settings
from pembina.sources import get_entity
from pembina.sources.base import NO_HEADER

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def siasn():
    return get_entity("siasn")


@pytest.fixture(scope="module")
def url(make_database):
    return make_database("pembina_t_exports")


@pytest.fixture(scope="module")
def export(synthetic_sources, siasn) -> tuple[list[str], list[list[str]]]:
    """The header and rows of a UTF-8 synthetic SIASN export."""
    path = siasn.landing_files(synthetic_sources / "landing")[-1]
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[0].split("|"), [line.split("|") for line in lines[1:]]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.write_text("\n".join("|".join(fields) for fields in [header, *rows]) + "\n", encoding="utf-8")
    return path


def _without(header: list[str], rows: list[list[str]], dropped: set[str]) -> tuple[list[str], list[list[str]]]:
    keep = [index for index, name in enumerate(header) if name not in dropped]
    return [header[i] for i in keep], [[row[i] for i in keep] for row in rows]


def _load(url: str, siasn, path: Path) -> loader.FileResult:
    with db.connect(url) as conn:
        _, [result] = loader.ingest_paths(conn, siasn, [path])
    return result


@pytest.fixture(scope="module")
def original(url, siasn, export, tmp_path_factory) -> tuple[loader.FileResult, set[int]]:
    """The export loaded as it is, and the row numbers that reached raw."""
    result = _load(url, siasn, _write(tmp_path_factory.mktemp("original") / "siasn_pegawai_20300101.csv", *export))
    with db.connect(url) as conn:
        numbers = conn.execute("select _row_number from raw.siasn_pegawai where _file_id = %s", (result.file_id,))
        loaded = {row[0] for row in numbers}
    return result, loaded


def test_a_complete_export_records_no_absent_column_and_no_rewritten_code(url, original):
    result, _ = original
    with db.connect(url) as conn:
        audit = conn.execute(
            "select absent_columns, codes_rewritten from audit.ingested_files where file_id = %s", (result.file_id,)
        ).fetchone()
    assert result.status == "loaded"
    assert audit == ([], {})


def test_absent_optional_columns_load_as_null_and_are_recorded(url, siasn, export, original, tmp_path):
    absent = ["email_gov", "npwp_nomor", "bpjs"]
    path = _write(tmp_path / "siasn_pegawai_20300201.csv", *_without(*export, set(absent)))
    result = _load(url, siasn, path)
    with db.connect(url) as conn:
        recorded = conn.execute(
            "select absent_columns from audit.ingested_files where file_id = %s", (result.file_id,)
        ).fetchone()[0]
        filled = conn.execute(
            """select count(email_gov), count(npwp_nomor), count(bpjs), count(email), count(nama)
                 from raw.siasn_pegawai where _file_id = %s""",
            (result.file_id,),
        ).fetchone()
        filled_before = conn.execute(
            "select count(email_gov), count(npwp_nomor), count(bpjs) from raw.siasn_pegawai where _file_id = %s",
            (original[0].file_id,),
        ).fetchone()
    assert result.status == "loaded", result.reason
    assert result.rows_loaded == original[0].rows_loaded
    assert sorted(recorded) == sorted(absent) == sorted(result.absent_columns)
    assert filled[:3] == (0, 0, 0)
    assert filled[3] > 0 and filled[4] == result.rows_loaded
    assert all(count > 0 for count in filled_before)  # the columns were filled when present
    reported = summarize_load_findings(collect_run_data(url).load_findings)["absent_columns"]
    assert reported[str(path)] == result.absent_columns


@pytest.mark.parametrize("dropped", ["unor_id", "jabatan_nama"])
def test_a_missing_required_column_rejects_the_file_naming_it(url, siasn, export, tmp_path, dropped):
    path = _write(tmp_path / "siasn_pegawai_20300301.csv", *_without(*export, {dropped, "bpjs"}))
    result = _load(url, siasn, path)
    assert result.status == "rejected"
    assert result.reason == f"missing columns: {dropped}"


def test_an_unexpected_column_still_rejects_an_export_with_absent_optional_columns(url, siasn, export, tmp_path):
    header, rows = _without(*export, {"bpjs"})
    path = _write(tmp_path / "siasn_pegawai_20300302.csv", [*header, "kolom_baru"], [[*row, "x"] for row in rows])
    result = _load(url, siasn, path)
    assert result.status == "rejected"
    assert result.reason == "unexpected columns: kolom_baru"


def test_a_first_line_of_data_is_rejected_as_no_header_without_echoing_it(url, siasn, export, tmp_path):
    _, rows = export
    path = _write(tmp_path / "siasn_pegawai_20300401.csv", rows[0], rows[1:])
    result = _load(url, siasn, path)
    assert result.status == "rejected"
    assert result.reason == NO_HEADER
    assert not any(value and value in result.reason for value in rows[0] if len(value) > 3)


def test_a_mapped_vendor_file_without_its_header_is_rejected_without_echoing_it(url, synthetic_sources, tmp_path):
    entity = get_entity("training_lan_ri")
    source = entity.landing_files(synthetic_sources / "landing")[0]
    first_record = source.read_text(encoding="utf-8").splitlines()[1]
    path = tmp_path / source.name
    path.write_text("\n".join(source.read_text(encoding="utf-8").splitlines()[1:]) + "\n", encoding="utf-8")
    with db.connect(url) as conn:
        _, [result] = loader.ingest_paths(conn, entity, [path])
    assert result.status == "rejected"
    assert result.reason == NO_HEADER
    assert first_record.split(",")[0] not in result.reason


def _synonyms() -> list[tuple[str, str, str]]:
    """(code list, synonym, canonical code) from the seed, the way the ingest reads it."""
    with (get_settings().dbt_project_dir / "seeds" / "ref_code_synonym.csv").open(encoding="utf-8") as handle:
        return [(row["code_list"], row["synonym"], row["canonical_code"]) for row in csv.DictReader(handle)]


COLUMN_OF = {
    "jenis_pegawai": "jenis_pegawai_nama",
    "jenis_kelamin": "jenis_kelamin",
    "kedudukan_hukum": "kedudukan_hukum_id",
    "kedudukan_hukum_nama": "kedudukan_hukum_nama",
}
# Differences of case and spacing only: no seed row needed.
SPELLINGS = [
    ("kedudukan_hukum_nama", "AKTIF", "Aktif"),
    ("jenis_pegawai", "pppk  paruh WAKTU", "PPPK Paruh Waktu"),
    ("jenis_pegawai", "Pns", "PNS"),
    ("jenis_kelamin", "f", "F"),
]


def test_every_synonym_is_loaded_as_its_canonical_code_and_counted(url, siasn, export, original, tmp_path):
    header, rows = export
    rows = [list(row) for row in rows]
    _, loaded = original
    position = {name: header.index(name) for name in COLUMN_OF.values()}
    # Employee type and gender take part in NIP cross-checks: a synonym replaces its own canonical code there.
    # The legal status is checked against its list only, so any loaded row can carry any of its synonyms.
    same_code = {"jenis_pegawai", "jenis_kelamin"}
    taken: set[int] = set()
    expected: dict[int, tuple[str, str]] = {}  # row number -> (column, canonical)
    for code_list, spelling, canonical in [*_synonyms(), *SPELLINGS]:
        column = COLUMN_OF[code_list]
        number = next(
            number
            for number, row in enumerate(rows, start=1)
            if number in loaded
            and number not in taken
            and (code_list not in same_code or row[position[column]] == canonical)
        )
        rows[number - 1][position[column]] = spelling
        taken.add(number)
        expected[number] = (column, canonical)
    path = _write(tmp_path / "siasn_pegawai_20300501.csv", header, rows)
    result = _load(url, siasn, path)
    with db.connect(url) as conn:
        stored = {
            number: (gender, employee_type, status_code, status_name)
            for number, gender, employee_type, status_code, status_name in conn.execute(
                """select _row_number, jenis_kelamin, jenis_pegawai_nama, kedudukan_hukum_id, kedudukan_hukum_nama
                     from raw.siasn_pegawai where _file_id = %s and _row_number = any(%s)""",
                (result.file_id, list(expected)),
            )
        }
        audit = conn.execute(
            "select codes_rewritten from audit.ingested_files where file_id = %s", (result.file_id,)
        ).fetchone()[0]
    order = ["jenis_kelamin", "jenis_pegawai_nama", "kedudukan_hukum_id", "kedudukan_hukum_nama"]
    assert result.rows_loaded == original[0].rows_loaded  # every synonym was understood
    assert set(stored) == set(expected)
    for number, (column, canonical) in expected.items():
        assert stored[number][order.index(column)] == canonical, (number, column)
    assert audit == dict(Counter(column for column, _ in expected.values())) == dict(result.codes_rewritten)
    assert summarize_load_findings(collect_run_data(url).load_findings)["codes_rewritten"][str(path)] == audit


def test_an_unknown_code_is_still_quarantined_as_sent(url, siasn, export, original, tmp_path):
    header, rows = export
    rows = [list(row) for row in rows]
    _, loaded = original
    employee_type, nip = header.index("jenis_pegawai_nama"), header.index("nip_baru")
    unknown, broken = sorted(loaded)[:2]
    rows[unknown - 1][employee_type] = "PNS Daerahh"
    rows[broken - 1][employee_type] = "PNS Daerah"  # a synonym on a row quarantined for its NIP
    rows[broken - 1][nip] = rows[broken - 1][nip][:17]
    result = _load(url, siasn, _write(tmp_path / "siasn_pegawai_20300601.csv", header, rows))
    with db.connect(url) as conn:
        quarantined = dict(
            conn.execute(
                """select row_number, (rule_id, record ->> 'jenis_pegawai_nama') from raw.quarantine
                    where file_id = %s and row_number = any(%s)""",
                (result.file_id, [unknown, broken]),
            ).fetchall()
        )
    assert quarantined == {unknown: ("unknown_code", "PNS Daerahh"), broken: ("nip_format", "PNS Daerah")}
    assert result.rows_loaded == original[0].rows_loaded - 2
    assert "jenis_pegawai_nama" not in result.codes_rewritten  # a quarantined row's code is not loaded


def test_a_load_running_in_parallel_is_not_failed(url, siasn):
    with db.connect(url) as conn:
        loader.ensure_raw_schema(conn, siasn)
    with db.connect(url) as first, db.connect(url) as second:
        running = loader.open_batch(first, "siasn", "parallel-1")
        leased = loader.open_batch(second, "siasn", "airflow-1", leased=True)
    # both sessions are closed now: the plain batch is dead, the leased one lives until its lease runs out
    with db.connect(url) as holder, db.connect(url) as conn:
        alive = loader.open_batch(holder, "siasn", "parallel-2")
        own = loader.open_batch(conn, "siasn", "next")
        status = dict(
            conn.execute(
                "select batch_id, status from audit.load_batches where batch_id = any(%s)",
                ([running, leased, alive],),
            ).fetchall()
        )
        assert status == {running: "failed", leased: "running", alive: "running"}
        conn.execute(
            "update audit.load_batches set lease_until = now() - interval '1 minute' where batch_id = %s", (leased,)
        )
        conn.commit()
        loader.open_batch(conn, "siasn", "after-the-lease")
        status = dict(
            conn.execute(
                "select batch_id, status from audit.load_batches where batch_id = any(%s)", ([leased, alive, own],)
            ).fetchall()
        )
        loader.close_batch(holder, alive)
    assert status == {leased: "failed", alive: "running", own: "running"}  # a session never fails its own


def test_a_leased_batch_marked_failed_refuses_further_files(url, siasn):
    with db.connect(url) as conn:
        loader.ensure_raw_schema(conn, siasn)
        batch_id = loader.open_batch(conn, "siasn", "airflow-2", leased=True)
        conn.execute("update audit.load_batches set status = 'failed' where batch_id = %s", (batch_id,))
        conn.commit()
        with pytest.raises(RuntimeError, match="not running"):
            loader.hold_batch(conn, batch_id)


def test_a_batch_whose_file_never_finished_loading_closes_failed_naming_it(url, siasn, export, tmp_path):
    header, rows = export
    done = _write(tmp_path / "siasn_pegawai_20300201.csv", header, rows[:5])
    killed = tmp_path / "siasn_pegawai_20300301.csv"  # its task died before recording anything
    with db.connect(url) as conn:
        batch_id = loader.open_batch(conn, "siasn", "airflow-3", leased=True)
        assert loader.ingest_file(conn, siasn, done, batch_id).status == "loaded"
        assert loader.close_batch(conn, batch_id, [str(done), str(killed)]) == "failed"
        reason = conn.execute(
            "select failure_reason from audit.load_batches where batch_id = %s", (batch_id,)
        ).fetchone()[0]
    assert "1 of its 2 files never finished loading" in reason and killed.name in reason and done.name not in reason


def _big_export(header: list[str], rows: list[list[str]], target: Path, min_bytes: int) -> int:
    body = "".join("|".join(row) + "\n" for row in rows).encode()
    repeats = min_bytes // len(body) + 1
    target.write_bytes("|".join(header).encode() + b"\n" + body * repeats)
    return len(rows) * repeats


def test_a_killed_load_is_marked_failed_by_the_next_load_which_loads_the_file(url, siasn, export, tmp_path):
    big = tmp_path / "siasn_pegawai_20300707.csv"
    rows = _big_export(*export, big, 6 * loader.CHUNK_BYTES)
    ingest = subprocess.Popen(
        [sys.executable, "-m", "pembina.cli", "ingest", "siasn", str(big), "--no-progress"],
        env={**os.environ, "PEMBINA_WAREHOUSE_URL": url},
    )
    with db.connect(url, autocommit=True) as watcher:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and ingest.poll() is None:
            if watcher.execute(
                "select count(*) from pg_stat_activity where query ilike 'copy raw.siasn_pegawai%%'"
            ).fetchone()[0]:
                break
            time.sleep(0.02)
        assert ingest.poll() is None, "the load finished before it could be killed; make the file larger"
        ingest.send_signal(signal.SIGKILL)
        ingest.wait()
        batch_id, status = watcher.execute(
            "select batch_id, status from audit.load_batches where source = 'siasn' order by batch_id desc limit 1"
        ).fetchone()
        assert status == "running"
        deadline = time.monotonic() + 30  # the server ends the session once it sees the client gone
        while (
            time.monotonic() < deadline
            and watcher.execute(
                "select count(*) from pg_locks where locktype = 'advisory' and objid::bigint = %s", (batch_id,)
            ).fetchone()[0]
        ):
            time.sleep(0.05)
    result = _load(url, siasn, big)
    with db.connect(url) as conn:
        status, reason, finished = conn.execute(
            "select status, failure_reason, finished_at from audit.load_batches where batch_id = %s", (batch_id,)
        ).fetchone()
        left_behind = conn.execute(
            "select (select count(*) from raw.siasn_pegawai where _batch_id = %(b)s)"
            " + (select count(*) from raw.quarantine where batch_id = %(b)s)"
            " + (select count(*) from audit.ingested_files where batch_id = %(b)s)",
            {"b": batch_id},
        ).fetchone()[0]
    assert status == "failed" and finished is not None
    assert "stopped before closing its batch" in reason
    assert left_behind == 0
    assert result.status == "loaded" and result.rows_read == rows

    findings = collect_run_data(url).load_findings
    assert any(batch[0] == batch_id and batch[4] == reason for batch in findings.failed_batches)
    document = render_html(collect_run_data(url), tmp_path)
    assert f'data-batch-id="{batch_id}"' in document and "stopped before closing its batch" in document
    summary = summarize_load_findings(findings)
    assert reason in json.dumps(summary["failed_batches"])


def test_a_report_without_findings_has_no_findings_section(make_database, tmp_path):
    empty = make_database("pembina_t_exports_empty")
    with db.connect(empty) as conn:
        loader.ensure_raw_tables(conn)
    data = collect_run_data(empty)
    assert not data.load_findings
    assert summarize_load_findings(data.load_findings) == {}
    assert "failed-batches" not in render_html(data, tmp_path)
