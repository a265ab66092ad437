"""Ingest speed against the ceiling: plain COPY, Pembina's ingest (parse, contract checks, quarantine, COPY)
and pandas ``to_sql``, on one SIASN export of N rows.

    .venv/bin/python benchmarks/ingest.py [--rows 1000000] [--repeat 5] [--skip-to-sql]

The last line reads ``ratio_vs_copy=<Pembina rows/s divided by plain COPY rows/s>``.

With ``--format ekinerja-json`` or ``--format jsonl`` it measures instead Pembina's ingest time and peak memory
on one year's e-Kinerja JSON document or e-learning JSON lines file, written by the synthetic generator at
``--scale`` ASN and grown ``--times`` fold by repeating its records under other NIPs:

    .venv/bin/python benchmarks/ingest.py --format ekinerja-json --scale 30000 --times 20 --repeat 1
 Each method loads the
same file into an empty table of its own, in a fresh database, after a CHECKPOINT (so that neither pays
for the other's WAL). COPY and Pembina run ``--repeat`` times, alternating, and the ratio is that of
their median times: a shared two-core machine moves either by a third from one run to the next. Pembina
runs in a child process, so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from common import peak_rss_mb

from pembina import db
from pembina.settings import get_settings
from pembina.sources import siasn
from pembina.sources.reference import seed_values

DATABASE = "pembina_bench"
DEFECT_SHARE = 0.01
KEYS_PER_BIRTH_SLOT = 999 * 500  # PPPK years 2019-2023 x 00-99 x sequence 001-999
JSON_FORMATS = {  # --format: (source, the file's list key or None for JSON lines)
    "ekinerja-json": ("ekinerja", "penilaian"),
    "jsonl": ("training_elearning_asn", None),
}


def build_export(path: Path, rows: int, seed: int = 1) -> None:
    """A consistent SIASN export (NIP, NIK, birth date and gender agree) with 1% of rows breaking a rule."""
    rng = np.random.default_rng(seed)
    # NI PPPK digits 9-14 (a PPPK year from 2019, then 00-99) and 16-18 number KEYS_PER_BIRTH_SLOT rows; past
    # that, each block of rows takes its own birth dates, so the NIP stays unique at any N
    blocks = rows // KEYS_PER_BIRTH_SLOT + 1
    slot = rng.integers(0, 365 * 35 // blocks, rows) * blocks + np.arange(rows) // KEYS_PER_BIRTH_SLOT
    birth = np.datetime64("1965-01-01") + slot.astype("timedelta64[D]")
    birth_text = pd.Series(pd.to_datetime(birth).strftime("%d-%m-%Y"))
    birth_ymd = pd.Series(pd.to_datetime(birth).strftime("%Y%m%d"))
    years = pd.to_datetime(birth).year.to_numpy() + 20 + rng.integers(0, 15, rows)
    months = rng.integers(1, 13, rows)
    tmt_cpns = pd.Series([f"01-{m:02d}-{y}" for y, m in zip(years, months, strict=True)])
    female = rng.random(rows) < 0.5
    gender = np.where(female, "F", "M")
    sequence = pd.Series(np.arange(rows) % 999 + 1).astype(str).str.zfill(3)
    nip = (
        birth_ymd
        + pd.Series(years).astype(str)
        + pd.Series(months).astype(str).str.zfill(2)
        + pd.Series(np.where(female, "2", "1"))
        + sequence
    )
    combination = np.arange(rows) // 999 % (KEYS_PER_BIRTH_SLOT // 999)
    pppk_tail = pd.Series(siasn.FIRST_PPPK_YEAR + combination // 100).astype(str) + pd.Series(combination % 100).astype(
        str
    ).str.zfill(2)
    nip = nip.str.slice(0, 8) + pppk_tail + nip.str.slice(14, 18)
    day = pd.to_datetime(birth).day.to_numpy() + np.where(female, 40, 0)
    nik = (
        "920201"
        + pd.Series(day).astype(str).str.zfill(2)
        + pd.Series(pd.to_datetime(birth).strftime("%m%y"))
        + pd.Series(np.arange(rows) % 9999 + 1).astype(str).str.zfill(4)
    )
    opd_codes = np.array(seed_values("ref_opd", "opd_code"))
    opd = opd_codes[rng.integers(0, len(opd_codes), rows)]
    frame = pd.DataFrame(dict.fromkeys(siasn.COLUMNS, ""), index=range(rows))
    frame["nip_baru"] = "'" + nip
    frame["nama"] = "PEGAWAI " + pd.Series(np.arange(rows)).astype(str)
    frame["tanggal_lahir"] = birth_text
    frame["jenis_kelamin"] = gender
    frame["nik"] = nik
    frame["jenis_pegawai_nama"] = "PPPK"  # NI PPPK: digits 9-14 are not a TMT CPNS
    frame["kedudukan_hukum_id"] = "01"
    frame["tmt_cpns"] = tmt_cpns
    frame["unor_id"] = opd
    frame["alamat"] = "Jl. Trikora Wosi No. " + pd.Series(np.arange(rows) % 200).astype(str)
    frame["jabatan_nama"] = "Pengelola Data"
    frame["gol_akhir_nama"] = "IX"
    defective = rng.random(rows) < DEFECT_SHARE
    frame.loc[defective, "jenis_kelamin"] = np.where(frame.loc[defective, "jenis_kelamin"] == "M", "F", "M")
    frame.to_csv(path, sep="|", index=False)


def build_json_source(folder: Path, fmt: str, scale: int, times: int, seed: int = 1) -> Path:
    """The last synthetic year's e-Kinerja document or e-learning JSON lines, as the generator writes them,
    with its records repeated ``times`` times: the n-th copy's NIPs end in a sequence number moved by n, so
    that the copies are other people's records, not duplicates."""
    from pembina.synth import ekinerja, training
    from pembina.synth.careers import World, simulate
    from pembina.synth.defects import DefectLog
    from pembina.synth.generator import DEFAULT_DEFECT_RATE
    from pembina.synth.opd import OpdTable
    from pembina.synth.output import Landing, Sink
    from pembina.synth.population import build_people
    from pembina.synth.rng import stream

    opds = OpdTable.load()
    people = build_people(scale, seed, opds)
    world = World(people, opds, simulate(people, opds, seed))
    year = world.history.years[-1]
    sink = Sink(Landing(folder), DefectLog(), DEFAULT_DEFECT_RATE)
    _, list_key = JSON_FORMATS[fmt]
    if list_key is None:
        training.write_vendor_files(sink, world, year, stream(seed, f"training-{year.year}"))
        [path] = folder.glob("landing/training/elearning_asn/*.jsonl")
    else:
        ekinerja.write_appraisals(sink, world, year, stream(seed, f"ekinerja-{year.year}"))
        [path] = folder.glob("landing/ekinerja/*.json")
    if times > 1:
        _repeat_records(path, list_key, times)
    return path


def _renumbered(record, copy: int):
    nip = record.get("nip") if isinstance(record, dict) else None
    if copy == 0 or not isinstance(nip, str) or not nip[-3:].isdigit():
        return record
    return {**record, "nip": f"{nip[:-3]}{(int(nip[-3:]) + copy) % 1000:03d}"}


def _repeat_records(path: Path, list_key: str | None, times: int) -> None:
    if list_key is None:
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        with path.open("w", encoding="utf-8") as out:
            for copy in range(times):
                out.writelines(json.dumps(_renumbered(r, copy), ensure_ascii=False) + "\n" for r in records)
        return
    document = json.loads(path.read_text(encoding="utf-8"))
    records = document.pop(list_key)
    document["jumlah_penilaian"] = len(records) * times
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps(document, ensure_ascii=False)[:-1] + f", {json.dumps(list_key)}: [")
        for copy in range(times):
            for index, record in enumerate(records):
                separator = ", " if copy or index else ""
                out.write(separator + json.dumps(_renumbered(record, copy), ensure_ascii=False))
        out.write("]}\n")


def _fresh_database() -> str:
    server = os.environ.get("PEMBINA_WAREHOUSE_URL") or db.up()
    url = db.sibling_database_url(server, DATABASE)
    with db.connect(db.sibling_database_url(server, "postgres"), autocommit=True) as conn:
        conn.execute(f"drop database if exists {DATABASE} with (force)")
        db.create_database(conn, DATABASE)
    return url


def _checkpoint(url: str) -> None:
    with db.connect(url, autocommit=True) as conn:
        conn.execute("checkpoint")


def plain_copy(url: str, path: Path) -> float:
    columns = ", ".join(f"{name} text" for name in siasn.COLUMNS)
    with db.connect(url) as conn:
        conn.execute(f"create table copy_ceiling ({columns})")
        conn.commit()
        conn.execute("checkpoint")
        started = time.perf_counter()
        with (
            path.open("rb") as handle,
            conn.cursor().copy("copy copy_ceiling from stdin (format csv, delimiter '|', header true)") as copy,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        conn.commit()
        return time.perf_counter() - started


def pembina_ingest(url: str, path: Path, source: str = "siasn") -> dict:
    """Run the real ingest in a child process; returns its timing, counts and peak memory."""
    _checkpoint(url)
    child = subprocess.run(
        [sys.executable, __file__, "--child", str(path), "--source", source],
        # the URL alone would make the child production, with its secrets; it runs as this process does
        env={**os.environ, "PEMBINA_WAREHOUSE_URL": url, "PEMBINA_ENV": get_settings().environment},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(child.stdout.strip().splitlines()[-1])


def _child(path: Path, source: str) -> None:
    from pembina.ingest import loader
    from pembina.sources import get_entity

    entity = get_entity(source)
    with db.connect() as conn:
        loader.ensure_raw_schema(conn, entity)
        conn.commit()
        started, cpu_started = time.perf_counter(), time.process_time()
        _, [result] = loader.ingest_paths(conn, entity, [path], run_id="benchmark")
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "peak_mb": peak_rss_mb(), **result.as_dict()}))


def pandas_to_sql(url: str, path: Path) -> float:
    from sqlalchemy import create_engine

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    started = time.perf_counter()
    for chunk in pd.read_csv(path, sep="|", dtype=str, chunksize=100_000, keep_default_na=False):
        chunk.to_sql("pandas_to_sql", engine, if_exists="append", index=False)
    engine.dispose()
    return time.perf_counter() - started


def json_ingest(fmt: str, scale: int, times: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        path = build_json_source(Path(folder), fmt, scale, times)
        size_mb = path.stat().st_size / 1e6
        print(f"built {path.name} ({size_mb:.0f} MB) in {time.perf_counter() - started:.1f} s")
        source, _ = JSON_FORMATS[fmt]
        for run in range(1, repeat + 1):
            result = pembina_ingest(_fresh_database(), path, source)
            print(
                f"run {run}: {fmt} {result['rows_read']:,} records ({size_mb:.0f} MB): {result['seconds']:.1f} s "
                f"({result['cpu_seconds']:.1f} s of CPU in Pembina's process, the server's not counted), "
                f"{result['rows_read'] / result['seconds']:,.0f} rows/s, peak memory {result['peak_mb']:.0f} MB "
                f"(loaded {result['rows_loaded']:,}, quarantined {result['rows_quarantined']:,})"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of COPY and of Pembina; medians are compared")
    parser.add_argument("--skip-to-sql", action="store_true", help="pandas to_sql takes minutes at 1M rows")
    parser.add_argument("--format", choices=["siasn", *JSON_FORMATS], default="siasn")
    parser.add_argument("--scale", type=int, default=30_000, help="ASN of the synthetic JSON source")
    parser.add_argument("--times", type=int, default=1, help="copies of the JSON source's records")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--source", default="siasn", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.source)
        return
    if args.format != "siasn":
        json_ingest(args.format, args.scale, args.times, args.repeat)
        return

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "siasn_pegawai_20261231.csv"
        started = time.perf_counter()
        build_export(path, args.rows)
        size_mb = path.stat().st_size / 1e6
        print(f"built {args.rows:,} rows ({size_mb:.0f} MB) in {time.perf_counter() - started:.1f} s")
        copy_runs, pembina_runs = [], []
        for run in range(1, args.repeat + 1):
            url = _fresh_database()
            copy_runs.append(plain_copy(url, path))
            pembina_runs.append(pembina_ingest(url, path))
            print(
                f"run {run}: plain COPY {copy_runs[-1]:.2f} s, Pembina {pembina_runs[-1]['seconds']:.2f} s "
                f"(ratio {copy_runs[-1] / pembina_runs[-1]['seconds']:.3f})"
            )
        copy_seconds = statistics.median(copy_runs)
        pembina = sorted(pembina_runs, key=lambda run: run["seconds"])[len(pembina_runs) // 2]
        copy_rate = args.rows / copy_seconds
        print(f"plain COPY:      {copy_seconds:7.2f} s  {copy_rate:>10,.0f} rows/s  (median of {args.repeat})")
        pembina_rate = pembina["rows_read"] / pembina["seconds"]
        print(
            f"pembina ingest:  {pembina['seconds']:7.2f} s  {pembina_rate:>10,.0f} rows/s  (median of {args.repeat}; "
            f"loaded {pembina['rows_loaded']:,}, quarantined {pembina['rows_quarantined']:,}, "
            f"peak memory {max(run['peak_mb'] for run in pembina_runs):.0f} MB)"
        )
        if not args.skip_to_sql:
            to_sql_seconds = pandas_to_sql(url, path)
            print(f"pandas to_sql:   {to_sql_seconds:7.2f} s  {args.rows / to_sql_seconds:>10,.0f} rows/s")
    print(f"ratio_vs_copy={pembina_rate / copy_rate:.3f}")


if __name__ == "__main__":
    main()
