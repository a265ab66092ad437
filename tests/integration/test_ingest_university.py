"""Universities (one mapping file each) into raw.university_programme: quarantine equals the injected defects
per university, codes and decimal commas are made canonical, unreadable reports are rejected with reasons."""

import json

import pytest
from ingest_helpers import check_source, load, rule_coverage

from pembina import db

pytestmark = pytest.mark.integration

UNIVERSITIES = ("university_unipa", "university_umpb", "university_stih_manokwari")


@pytest.fixture(scope="module")
def url(make_database):
    return make_database("pembina_t_university")


@pytest.fixture(scope="module")
def loaded(url, synthetic_sources, defect_rich_sources):
    for university in UNIVERSITIES:
        check_source(url, university, [synthetic_sources, defect_rich_sources])
    return url


@pytest.mark.parametrize("university", UNIVERSITIES)
def test_every_rule_was_injected_and_quarantined(loaded, defect_rich_sources, university):
    assert rule_coverage(defect_rich_sources, university) == {
        "missing_required", "nip_format", "invalid_date", "unknown_code", "out_of_range", "duplicate_key",
    }  # fmt: skip


def test_codes_dates_and_decimals_are_canonical(loaded):
    with db.connect(loaded) as conn:
        rows = conn.execute(
            """select _university, array_agg(distinct program_type), array_agg(distinct status),
                      bool_and(start_date ~ '^\\d{4}-\\d{2}-\\d{2}$' and end_date ~ '^\\d{4}-\\d{2}-\\d{2}$'),
                      bool_and(coalesce(gpa, '') not like '%,%' and coalesce(final_score, '') not like '%,%')
                 from raw.university_programme group by _university"""
        ).fetchall()
    assert {row[0] for row in rows} == {"unipa", "umpb", "stih_manokwari"}
    for _, types, statuses, iso_dates, decimal_points in rows:
        assert set(types) <= {"tugas_belajar", "izin_belajar", "magang", "kursus_singkat"}
        assert set(statuses) <= {"active", "passed", "failed", "withdrawn"}
        assert iso_dates and decimal_points


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"universitas": "UMPB", "peserta": [{"nip": "1985"', "malformed JSON"),
        ('{"universitas": "UMPB"}', "no 'peserta'"),
        (
            '{"peserta": [{"nip": "198503122010011003", "nama": "A"}]}',
            "field program_name expects column 'program.nama'",
        ),
    ],
)
def test_unreadable_reports_are_rejected(url, tmp_path, content, reason):
    path = tmp_path / "laporan_peserta_asn_2030.json"
    path.write_text(content, encoding="utf-8")
    [result] = load(url, "university_umpb", tmp_path, [path])
    assert result.status == "rejected"
    assert reason in result.reason


def test_a_nested_key_the_mapping_does_not_know_rejects_the_report(url, synthetic_sources, tmp_path):
    source = sorted((synthetic_sources / "landing" / "university" / "umpb").glob("*.json"))[-1]
    document = json.loads(source.read_text(encoding="utf-8"))
    for record in document["peserta"]:
        record["nilai"]["angka"] = 80
    path = tmp_path / "laporan_peserta_asn_2031.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    [result] = load(url, "university_umpb", tmp_path, [path])
    assert result.status == "rejected"
    assert "unexpected columns: nilai.angka" in result.reason
