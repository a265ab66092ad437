"""Every SP4N-LAPOR! contract rule, in both formats, each with a record that breaks it and only it."""

import pyarrow as pa
import pytest

from pembina.contracts import checks
from pembina.contracts.contract import evaluate
from pembina.sources import lapor


def api_record() -> dict[str, str | None]:
    """A record of the API's JSON after flattening (nested objects as dotted names)."""
    return {
        "tracking_id": "4581234",
        "title": "Antrian KTP",
        "content": "Antri dari pagi",
        "category": "Administrasi Kependudukan",
        "institution.opd_code": "OPD-DUKCAPIL",
        "institution.unit_code": "UL-DUKCAPIL-KTP",
        "timeline.received_at": "2025-01-06T08:15:00+09:00",
        "timeline.disposed_at": "2025-01-07T09:00:00+09:00",
        "timeline.answered_at": "2025-01-10T10:00:00+09:00",
        "timeline.closed_at": "2025-01-12T10:00:00+09:00",
        "status": "selesai",
        "rating.rated": "true",
    }


def csv_record() -> dict[str, str | None]:
    return {
        "no. tracking": "4590002",
        "tanggal laporan": "03/02/2025 08:30",
        "tanggal disposisi": "04/02/2025 09:00",
        "tanggal tindak lanjut": "14/02/2025 11:00",
        "tanggal selesai": "15/02/2025 11:00",
        "kategori": "Kesehatan",
        "kode instansi": "OPD-RSUD",
        "kode unit layanan": "UL-RSUD-IGD",
        "status": "Selesai",
        "dinilai pelapor": "Ya",
        "judul laporan": "IGD",
        "isi laporan": "Dokter lama datang",
    }


def prepared(entity, record: dict[str, str | None]) -> pa.Table:
    table = pa.Table.from_pylist([record], schema=pa.schema([(name, pa.string()) for name in record]))
    table = entity.prepare(table)
    for code_list in entity.code_lists:
        values, _ = checks.canonical_codes(table[code_list.column], code_list.lookup())
        table = table.set_column(table.column_names.index(code_list.column), code_list.column, values)
    return table


def broken(entity, record) -> list[str]:
    result = evaluate(entity.contract, prepared(entity, record))
    return [rule.rule_id for rule, hit in zip(result.rules, result.broken[0], strict=True) if hit]


API = lapor.entity()
CSV = lapor.csv_entity()


def test_consistent_records_pass_and_the_csv_is_written_as_the_api():
    assert broken(API, api_record()) == []
    assert broken(CSV, csv_record()) == []
    row = CSV.finalise(prepared(CSV, csv_record())).to_pylist()[0]
    assert row["tanggal_diterima"] == "2025-02-03T08:30:00+09:00"
    assert row["tanggal_selesai"] == "2025-02-15T11:00:00+09:00"
    assert (row["status"], row["dinilai_pelapor"]) == ("selesai", "true")


def test_a_complaint_not_yet_disposed_passes():
    record = api_record() | {
        "timeline.disposed_at": None,
        "timeline.answered_at": None,
        "timeline.closed_at": None,
        "status": "Belum Terverifikasi",
        "institution.unit_code": None,
    }
    assert broken(API, record) == []


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"tracking_id": None}, "missing_required"),
        ({"institution.opd_code": ""}, "missing_required"),
        ({"institution.opd_code": "OPD-XYZ"}, "unknown_code"),
        ({"institution.unit_code": "UL-RSUD-IGD"}, "unknown_code"),  # a unit of another OPD
        ({"status": "dibatalkan"}, "unknown_code"),
        ({"rating.rated": "mungkin"}, "unknown_code"),
        ({"tracking_id": "LPR-4581234"}, "invalid_tracking_number"),
        ({"timeline.answered_at": "2025-02-30T10:00:00+09:00"}, "invalid_date"),
        ({"timeline.received_at": "06/01/2025 08:15"}, "invalid_date"),
        ({"timeline.disposed_at": "2025-01-05T09:00:00+09:00"}, "dates_out_of_order"),
        ({"timeline.closed_at": "2025-01-09T10:00:00+09:00"}, "dates_out_of_order"),  # closed before answered
    ],
)
def test_each_api_rule_catches_its_defect_and_nothing_else(changes, rule):
    assert broken(API, api_record() | changes) == [rule]


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"tanggal laporan": "31/02/2025 08:30"}, "invalid_date"),
        ({"tanggal disposisi": "2025-02-04T09:00:00+09:00"}, "invalid_date"),
        ({"tanggal tindak lanjut": "02/02/2025 11:00"}, "dates_out_of_order"),  # answered before received
        ({"status": "Ditolak"}, "unknown_code"),
    ],
)
def test_each_csv_rule_catches_its_defect_and_nothing_else(changes, rule):
    assert broken(CSV, csv_record() | changes) == [rule]
