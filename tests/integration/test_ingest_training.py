"""Training vendors (one mapping file each) into raw.training_participation: quarantine equals the injected
defects per vendor, the canonical columns are filled as the mappings declare, and files that cannot be read
(corrupt workbook, missing sheet, a column the mapping expects, malformed JSON lines) are handled with reasons."""

import csv
import io
import zipfile
from pathlib import Path

import pytest
from ingest_helpers import check_source, load, rule_coverage
from openpyxl import Workbook

from pembina import db
from pembina.ingest.pipeline import ingest_source

pytestmark = pytest.mark.integration

VENDORS = ("training_bpsdm_papua_barat", "training_lan_ri", "training_elearning_asn")
ALL_RULES = {"missing_required", "nip_format", "invalid_date", "unknown_code", "out_of_range", "duplicate_key"}


@pytest.fixture(scope="module")
def url(make_database):
    return make_database("pembina_t_training")


@pytest.fixture(scope="module")
def loaded(url, synthetic_sources, defect_rich_sources):
    for vendor in VENDORS:
        check_source(url, vendor, [synthetic_sources, defect_rich_sources])
    return url


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_rule_of_every_vendor_was_injected_and_quarantined_as_the_manifest_says(
    loaded, defect_rich_sources, vendor
):
    expected = ALL_RULES - {"unknown_code"} if vendor == "training_elearning_asn" else ALL_RULES
    assert rule_coverage(defect_rich_sources, vendor) == expected


def test_canonical_columns_follow_the_mappings(loaded):
    with db.connect(loaded) as conn:
        rows = conn.execute(
            """select _vendor, min(duration_unit), max(duration_unit), array_agg(distinct program_type),
                      array_agg(distinct completion_status), bool_and(start_date ~ '^\\d{4}-\\d{2}-\\d{2}$'),
                      bool_and(end_date is null or end_date ~ '^\\d{4}-\\d{2}-\\d{2}$')
                 from raw.training_participation group by _vendor order by _vendor"""
        ).fetchall()
    by_vendor = {row[0]: row[1:] for row in rows}
    assert set(by_vendor) == {"bpsdm_papua_barat", "elearning_asn", "lan_ri"}
    assert by_vendor["bpsdm_papua_barat"][:2] == ("jp", "jp")
    assert by_vendor["lan_ri"][:2] == ("jp", "jp")
    assert by_vendor["elearning_asn"][:2] == ("minutes", "minutes")
    assert set(by_vendor["elearning_asn"][2]) == {"e_learning"}
    assert set(by_vendor["lan_ri"][2]) <= {"latsar", "kepemimpinan"}
    assert set(by_vendor["elearning_asn"][3]) == {"passed", "not_completed"}
    assert all(iso_start and iso_end for *_, iso_start, iso_end in by_vendor.values())


def test_excel_date_cells_and_text_dates_read_alike(synthetic_sources, tmp_path):
    from pembina.ingest.formats import open_file
    from pembina.sources import get_entity

    entity = get_entity("training_bpsdm_papua_barat")
    workbook_path = sorted((synthetic_sources / "landing" / "training" / "bpsdm_papua_barat").glob("*.xlsx"))[-1]
    opened = open_file(entity.file_format, workbook_path)
    table = next(iter(opened.batches))
    starts = [value for value in table.table["Tanggal Mulai"].to_pylist() if value]
    assert starts and all(len(value) == 10 and value[2] == "/" for value in starts)
    assert table.row_numbers[0] == 1


def test_the_family_name_loads_every_vendor(loaded, synthetic_sources, monkeypatch):
    monkeypatch.setenv("PEMBINA_WAREHOUSE_URL", loaded)
    monkeypatch.setenv("PEMBINA_LANDING_DIR", str(synthetic_sources / "landing"))
    results = ingest_source("training")
    assert {result.path.parent.name for result in results} == {"bpsdm_papua_barat", "lan_ri", "elearning_asn"}
    assert {result.status for result in results} == {"skipped"}


def _bpsdm_file(synthetic_sources):
    return sorted((synthetic_sources / "landing" / "training" / "bpsdm_papua_barat").glob("*.xlsx"))[-1]


def test_a_corrupt_workbook_is_rejected(url, synthetic_sources, tmp_path):
    data = _bpsdm_file(synthetic_sources).read_bytes()
    truncated = tmp_path / "rekap_peserta_bpsdm_2030.xlsx"
    truncated.write_bytes(data[: len(data) // 2])
    garbage = tmp_path / "rekap_peserta_bpsdm_2031.xlsx"
    garbage.write_bytes(b"this is not a workbook\n" * 50)
    empty = tmp_path / "rekap_peserta_bpsdm_2032.xlsx"
    empty.write_bytes(b"")
    results = load(url, "training_bpsdm_papua_barat", tmp_path, [truncated, garbage, empty])
    assert [result.status for result in results] == ["rejected"] * 3
    assert "not a readable XLSX workbook" in results[0].reason
    assert "not a readable XLSX workbook" in results[1].reason
    assert "empty" in results[2].reason


def test_a_corrupt_sheet_inside_a_valid_zip_is_rejected(url, synthetic_sources, tmp_path):
    source = _bpsdm_file(synthetic_sources)
    broken = tmp_path / "rekap_peserta_bpsdm_2033.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(broken, "w") as target:
        for entry in original.infolist():
            data = original.read(entry.filename)
            if entry.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            target.writestr(entry, data)
    [result] = load(url, "training_bpsdm_papua_barat", tmp_path, [broken])
    assert result.status == "rejected"
    assert "workbook" in result.reason


def test_a_workbook_without_the_declared_sheet_is_rejected(url, tmp_path):
    workbook = Workbook()
    workbook.active.title = "Sheet1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = tmp_path / "rekap_peserta_bpsdm_2034.xlsx"
    path.write_bytes(buffer.getvalue())
    [result] = load(url, "training_bpsdm_papua_barat", tmp_path, [path])
    assert result.status == "rejected"
    assert "sheet 'Rekap Peserta' not found" in result.reason


def _lan_ri_without(synthetic_sources: Path, tmp_path: Path, dropped: str) -> Path:
    source = sorted((synthetic_sources / "landing" / "training" / "lan_ri").glob("*.csv"))[-1]
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    position = rows[0].index(dropped)
    path = tmp_path / "peserta_pelatihan_2030.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(row[:position] + row[position + 1 :] for row in rows)
    return path


def test_a_file_lacking_a_mapped_column_is_rejected_naming_mapping_and_field(url, synthetic_sources, tmp_path):
    path = _lan_ri_without(synthetic_sources, tmp_path, "angkatan")
    [result] = load(url, "training_lan_ri", tmp_path, [path])
    assert result.status == "rejected"
    assert result.reason == (
        "mapping lan_ri.yml: field cohort expects column 'angkatan' not found in peserta_pelatihan_2030.csv"
    )


def test_a_file_lacking_an_optional_mapped_column_loads_it_as_null(url, synthetic_sources, tmp_path):
    path = _lan_ri_without(synthetic_sources, tmp_path, "nama")
    [result] = load(url, "training_lan_ri", tmp_path, [path])
    with db.connect(url) as conn:
        names, rows = conn.execute(
            "select count(participant_name), count(*) from raw.training_participation where _file_id = %s",
            (result.file_id,),
        ).fetchone()
    assert result.status == "loaded", result.reason
    assert result.absent_columns == ["nama"]
    assert (names, rows) == (0, result.rows_loaded) and rows > 0


def test_an_unmapped_new_column_is_rejected(url, synthetic_sources, tmp_path):
    source = sorted((synthetic_sources / "landing" / "training" / "lan_ri").glob("*.csv"))[-1]
    lines = source.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "peserta_pelatihan_2031.csv"
    path.write_text("\n".join([lines[0] + ",sertifikat", *(line + ",X" for line in lines[1:])]) + "\n")
    [result] = load(url, "training_lan_ri", tmp_path, [path])
    assert result.status == "rejected"
    assert "unexpected columns: sertifikat" in result.reason


def test_a_line_that_is_not_json_is_quarantined_with_its_line_number(url, synthetic_sources, tmp_path):
    source = sorted((synthetic_sources / "landing" / "training" / "elearning_asn").glob("*.jsonl"))[-1]
    lines = source.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "course_completions_2030.jsonl"
    path.write_text("\n".join([lines[0], '{"nip": "1985', *lines[1:4]]) + "\n", encoding="utf-8")
    [result] = load(url, "training_elearning_asn", tmp_path, [path])
    with db.connect(url) as conn:
        rows = conn.execute(
            "select row_number, rule_id, record->>'_raw_line' from raw.quarantine where file_id = %s",
            (result.file_id,),
        ).fetchall()
        numbers = conn.execute(
            "select array_agg(_row_number order by _row_number) from raw.training_participation where _file_id = %s",
            (result.file_id,),
        ).fetchone()[0]
    assert result.status == "loaded" and result.rows_read == 5
    assert (2, "malformed_row", '{"nip": "1985') in rows
    assert set(numbers) <= {1, 3, 4, 5}


@pytest.mark.parametrize(("content", "reason"), [(b"", "empty"), (b"not json at all\n", "no line is a JSON object")])
def test_unreadable_json_lines_files_are_rejected(url, tmp_path, content, reason):
    path = tmp_path / "course_completions_2031.jsonl"
    path.write_bytes(content)
    [result] = load(url, "training_elearning_asn", tmp_path, [path])
    assert result.status == "rejected"
    assert reason in result.reason
