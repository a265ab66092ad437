"""Competency assessment ingest: quarantine equals the injected defects; unreadable files are rejected."""

import pytest
from ingest_helpers import check_source, load, rule_coverage

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def url(make_database):
    return make_database("pembina_t_assessment")


def test_quarantine_equals_the_manifest_reconciles_and_reruns_load_nothing(url, synthetic_sources, defect_rich_sources):
    check_source(url, "assessment", [synthetic_sources, defect_rich_sources])
    assert rule_coverage(defect_rich_sources, "assessment") == {
        "missing_required", "nip_format", "invalid_date", "unknown_code", "out_of_range", "duplicate_key",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02" * 100, "binary"),
        (b"id_asesmen,nip\nASM-1,198503122010011003\n", "missing columns"),
        (
            b"id_asesmen;nip;tanggal_asesmen;metode;asesor;kelompok;kompetensi;level_standar;level_hasil\n",
            "names none of the expected columns",
        ),
    ],
)
def test_unreadable_files_are_rejected_with_a_reason(url, tmp_path, content, reason):
    path = tmp_path / "asesmen_kompetensi_2030.csv"
    path.write_bytes(content)
    [result] = load(url, "assessment", tmp_path, [path])
    assert result.status == "rejected"
    assert reason in result.reason


def test_a_new_column_rejects_and_a_short_row_is_quarantined(url, synthetic_sources, tmp_path):
    source = sorted((synthetic_sources / "landing" / "assessment").glob("*.csv"))[0]
    lines = source.read_text(encoding="utf-8").splitlines()
    widened = tmp_path / "asesmen_kompetensi_2031.csv"
    widened.write_text("\n".join([lines[0] + ",catatan", *(line + ",x" for line in lines[1:4])]) + "\n")
    short = tmp_path / "asesmen_kompetensi_2032.csv"
    short.write_text("\n".join([lines[0], lines[1], "ASM-1,1985", lines[2]]) + "\n")
    [rejected] = load(url, "assessment", tmp_path, [widened])
    [loaded] = load(url, "assessment", tmp_path, [short])
    assert rejected.status == "rejected" and "unexpected columns: catatan" in rejected.reason
    assert loaded.status == "loaded" and loaded.rows_read == 3
    assert loaded.quarantined_by_rule["malformed_row"] == 1
