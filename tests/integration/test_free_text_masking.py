"""Residents' free text loses its personal data in staging, and gets its service topic: the dbt macros
mask_free_text and service_topic run in PostgreSQL (the topics from the seed ref_service_topic_keyword)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pembina import db
from pembina.runtime import dbt_environment
from pembina.settings import get_settings

pytestmark = [pytest.mark.integration]

TEXTS = {
    "email": ("Kirim hasilnya ke yohana.rumbewas@gmail.com saja", "Kirim hasilnya ke [email] saja"),
    "phone": ("Hubungi saya di 0812-4455-6677 atau +62 813 9988 7766", "Hubungi saya di [telepon] atau [telepon]"),
    "nik": ("NIK saya 9202014506900003 belum terbaca", "NIK saya [nomor identitas] belum terbaca"),
    "nik_grouped": ("KK 9202 0112 3456 0001 hilang", "KK [nomor identitas] hilang"),
    "nik_starting_62": ("NIK 6201234567890123 salah", "NIK [nomor identitas] salah"),
    "nip": ("petugas NIP 198507022010011001", "petugas NIP [nomor identitas]"),
    "long_number": ("no rekening 12345678901", "no rekening [nomor]"),
    "title_name": ("Terima kasih Ibu Martha Rumbiak di loket 2", "Terima kasih Ibu [nama] di loket 2"),
    "on_behalf": ("Pengaduan atas nama Yohanes Mandacan", "Pengaduan atas nama [nama]"),
    "two_titles": ("Pak Petrus ramah, Mbak Sarah kurang sopan", "Pak [nama] ramah, Mbak [nama] kurang sopan"),
    "kept": ("Antrian lama, 3 jam menunggu di loket 2", "Antrian lama, 3 jam menunggu di loket 2"),
    "blank": ("   ", None),
}
# text -> topic: the lowest priority wins, then the longer keyword ("ruang tunggu" over "tunggu").
TOPICS = {
    "Antriannya lama sekali": "waktu_pelayanan",
    "Ruang tunggu panas, tolong pasang kipas": "sarana_prasarana",
    "Petugas minta uang rokok": "pungutan_liar",
    "Blanko KTP habis terus": "produk_layanan",
    "Acara sudah bagus": "lainnya",  # "ac" alone is no keyword: it would match every word starting with it
    None: None,
}


def _dbt(settings, tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), *arguments, "--project-dir", str(settings.dbt_project_dir)],
        env={
            **os.environ,
            **dbt_environment(settings),
            "DBT_TARGET_PATH": str(tmp_path / "target"),
            "DBT_LOG_PATH": str(tmp_path / "logs"),
        },
        capture_output=True,
        text=True,
    )


def test_mask_free_text_masks_contacts_identity_numbers_and_titled_names(warehouse_url, tmp_path):
    settings = get_settings()
    select = "select case_name, {{ mask_free_text('free_text') }} as masked from resident_texts"
    compiled = _dbt(settings, tmp_path, "compile", "--quiet", "--inline", select)
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    with db.connect(warehouse_url) as conn:
        conn.execute("create temporary table resident_texts (case_name text, free_text text)")
        with conn.cursor() as cur:
            cur.executemany(
                "insert into resident_texts values (%s, %s)", [(name, text) for name, (text, _) in TEXTS.items()]
            )
        masked = dict(conn.execute(compiled.stdout.strip()).fetchall())
    assert masked == {name: expected for name, (_, expected) in TEXTS.items()}


def test_service_topic_takes_the_keyword_of_lowest_priority_then_the_longest(warehouse_url, tmp_path):
    settings = get_settings()
    seeded = _dbt(settings, tmp_path, "seed", "--select", "ref_service_topic_keyword")
    assert seeded.returncode == 0, seeded.stdout + seeded.stderr
    select = "select free_text, {{ service_topic('free_text') }} as topic from resident_texts"
    compiled = _dbt(settings, tmp_path, "compile", "--quiet", "--inline", select)
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    with db.connect(warehouse_url) as conn:
        conn.execute("create temporary table resident_texts (free_text text)")
        with conn.cursor() as cur:
            cur.executemany("insert into resident_texts values (%s)", [(text,) for text in TOPICS])
        topics = dict(conn.execute(compiled.stdout.strip()).fetchall())
    assert topics == TOPICS
