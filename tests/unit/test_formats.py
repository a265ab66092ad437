"""The format readers: text columns named as in the file, data-row numbers, malformed rows set aside."""

import datetime as dt
import json

import pyarrow as pa
import pytest
from openpyxl import Workbook

from pembina.contracts import checks
from pembina.ingest.formats import _json_lines_fast, open_file
from pembina.sources.base import FileRejected, JsonFormat, JsonLinesFormat, XlsxFormat


def _read(fmt, path):
    opened = open_file(fmt, path)
    batches = list(opened.batches)
    table = pa.concat_tables([batch.table for batch in batches])
    numbers = [int(n) for batch in batches for n in batch.row_numbers]
    malformed = [item for batch in batches for item in batch.malformed]
    return opened.columns, table.to_pylist(), numbers, malformed


def test_xlsx_header_row_sheet_and_date_cells(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Rekap"
    sheet.append(["JUDUL"])
    sheet.append([])
    sheet.append(["NIP", "Tanggal", "Jam", "Catatan"])
    sheet.append(["198503122010011003", dt.datetime(2024, 2, 1), 40, None])
    sheet.append([])  # an empty row is no data row, but keeps its number
    sheet.append(["198503122010011003", "30/02/2024", 40.0, 1.5])
    path = tmp_path / "rekap.xlsx"
    workbook.save(path)
    fmt = XlsxFormat(sheet="Rekap", header_row=3, date_formats=(("Tanggal", "%d/%m/%Y"),))
    columns, rows, numbers, malformed = _read(fmt, path)
    assert columns == ["NIP", "Tanggal", "Jam", "Catatan"]
    assert rows == [
        {"NIP": "198503122010011003", "Tanggal": "01/02/2024", "Jam": "40", "Catatan": None},
        {"NIP": "198503122010011003", "Tanggal": "30/02/2024", "Jam": "40", "Catatan": "1.5"},
    ]
    assert numbers == [1, 3] and malformed == []


def test_a_missing_sheet_is_a_rejection(tmp_path):
    workbook = Workbook()
    path = tmp_path / "rekap.xlsx"
    workbook.save(path)
    with pytest.raises(FileRejected, match="sheet 'Rekap Peserta' not found"):
        open_file(XlsxFormat(sheet="Rekap Peserta"), path)


RECORDS = [
    {"nip": "198503122010011003", "n": 300, "ok": True, "at": None, "nested": {"a": 1}},
    {"nip": "198503122010011004", "n": 4.0, "ok": False, "at": "2024-03-02T09:15:00+09:00", "nested": {"a": None}},
]
EXPECTED = [
    {"nip": "198503122010011003", "n": "300", "ok": "true", "at": None, "nested.a": "1"},
    {"nip": "198503122010011004", "n": "4", "ok": "false", "at": "2024-03-02T09:15:00+09:00", "nested.a": None},
]


def test_json_lines_fast_path_keeps_timestamps_as_text(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in RECORDS), encoding="utf-8")
    assert _json_lines_fast(path, "utf-8") is not None  # Arrow's block reader, not the line-by-line one
    _columns, rows, numbers, malformed = _read(JsonLinesFormat(), path)
    assert rows == EXPECTED and numbers == [1, 2] and malformed == []


def test_json_lines_with_a_bad_line_reads_alike_and_numbers_lines(tmp_path):
    path = tmp_path / "a.jsonl"
    lines = [json.dumps(RECORDS[0]), "{broken", "", json.dumps(RECORDS[1]), "[1, 2]"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _columns, rows, numbers, malformed = _read(JsonLinesFormat(), path)
    assert rows == EXPECTED and numbers == [1, 4]
    assert malformed == [(2, "{broken"), (5, "[1, 2]")]


def test_json_document_list_and_count(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"jumlah": 2, "data": RECORDS}), encoding="utf-8")
    _columns, rows, numbers, _ = _read(JsonFormat(list_key="data", count_key="jumlah"), path)
    assert rows == EXPECTED and numbers == [1, 2]
    with pytest.raises(FileRejected, match="truncated"):
        open_file(JsonFormat(list_key="data", count_key="tidak_ada"), path)


def test_numbers_dates_and_translations():
    values = pa.array(["3,28", "4,35", "-1", None, "abc", "4"])
    assert checks.in_range(values, 0, 4, whole=False, decimal_comma=True).tolist() == [
        True, False, False, True, False, True,
    ]  # fmt: skip
    stamps = pa.array(["2024-03-02T09:15:00+09:00", "2024-02-31T09:00:00+09:00", "2024-03-02", "2024-03-02T24:00Z"])
    assert checks.dates_ok(stamps, checks.ISO_DATETIME).tolist() == [True, False, False, False]
    assert checks.to_iso_date(pa.array(["30/01/2024", None]), "%d/%m/%Y").to_pylist() == ["2024-01-30", None]
    assert checks.to_iso_date(pa.array(["30-01-2024"]), "%d-%m-%Y").to_pylist() == ["2024-01-30"]
    assert checks.translate(pa.array(["Lulus", None]), {"Lulus": "passed"}).to_pylist() == ["passed", None]


def test_json_values_of_mixed_types_are_read_value_by_value(tmp_path):
    path = tmp_path / "a.json"
    records = [{"tahun": 2024, "x": True}, {"tahun": "2024", "x": 1}, {"tahun": 2**70, "x": None}]
    path.write_text(json.dumps({"data": records}), encoding="utf-8")
    _columns, rows, _, _ = _read(JsonFormat(list_key="data"), path)
    assert rows == [{"tahun": "2024", "x": "true"}, {"tahun": "2024", "x": "1"}, {"tahun": str(2**70), "x": None}]


def test_rows_for_copy_are_unquoted_unless_a_value_needs_quotes():
    import io

    import pyarrow.csv as pv

    from pembina.ingest.loader import COPY_DELIMITER, _csv_for_copy

    def round_trip(values: list[str | None]) -> tuple[bytes, list[str | None]]:
        written = bytes(_csv_for_copy(pa.table({"value": values, "n": [1] * len(values)})))
        read = pv.read_csv(
            io.BytesIO(written),
            read_options=pv.ReadOptions(column_names=["value", "n"]),
            parse_options=pv.ParseOptions(delimiter=COPY_DELIMITER, newlines_in_values=True),
            convert_options=pv.ConvertOptions(column_types={"value": pa.string()}, strings_can_be_null=True),
        )
        return written, read["value"].to_pylist()

    plain, plain_back = round_trip(["ANDI", None])
    assert b'"' not in plain and plain_back == ["ANDI", None]
    tricky = ["S.Pd., M.Si.", 'YOHANES "ANCE"', "baris\nbaru"]
    quoted, quoted_back = round_trip(tricky)
    assert b'"' in quoted and quoted_back == tricky


DELIMITED_ROWS = [
    "198503122010011003|Andi Rumbewas|Manokwari",
    "198503122010011004|Élise Mandacan|Jl. Trikora Wosi No. 12, Kelurahan Wosi, Distrik Manokwari Barat",
    "not|enough",
    "",
    "198503122010011005|Yohanes Ayomi|",
    "198503122010011006|Maria|Prafi|extra",
    "198503122010011007|Obeth|Amban",
]


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])
@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
@pytest.mark.parametrize("final_line_end", [True, False])
def test_delimited_blocks_cut_anywhere_read_alike(tmp_path, monkeypatch, encoding, line_end, final_line_end):
    """Blocks far smaller than a row (and rows split mid-character when transcoding) give the same rows,
    row numbers and malformed rows as one block for the whole file."""
    from pembina.ingest import formats
    from pembina.sources.base import DelimitedFormat

    text = line_end.join(["NIP|Nama|Alamat", *DELIMITED_ROWS]) + (line_end if final_line_end else "")
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode(encoding))
    fmt = DelimitedFormat(delimiter="|", encodings=(encoding,))
    whole = _read(fmt, path)
    monkeypatch.setattr(formats, "BLOCK_BYTES", 7)
    monkeypatch.setattr(formats, "CHUNK_BYTES", 40)
    cut = _read(fmt, path)
    assert cut == whole
    columns, rows, numbers, malformed = cut
    assert columns == ["nip", "nama", "alamat"]
    assert [row["nama"] for row in rows] == ["Andi Rumbewas", "Élise Mandacan", "Yohanes Ayomi", "Obeth"]
    assert rows[2]["alamat"] is None
    assert numbers == [1, 2, 5, 7]
    assert malformed == [(3, "not|enough"), (6, "198503122010011006|Maria|Prafi|extra")]


def test_a_delimited_file_with_only_a_header_has_no_rows(tmp_path):
    from pembina.sources.base import DelimitedFormat

    path = tmp_path / "export.csv"
    path.write_text("NIP|Nama", encoding="utf-8")
    opened = open_file(DelimitedFormat(delimiter="|"), path)
    assert opened.columns == ["nip", "nama"] and list(opened.batches) == []


def test_a_line_without_end_is_a_rejection_not_a_memory_hog(tmp_path, monkeypatch):
    from pembina.ingest import formats
    from pembina.sources.base import DelimitedFormat

    monkeypatch.setattr(formats, "BLOCK_BYTES", 16)
    monkeypatch.setattr(formats, "MAX_LINE_BYTES", 100)
    path = tmp_path / "export.csv"
    path.write_text("NIP|Nama\n" + "x" * 500, encoding="utf-8")
    with pytest.raises(FileRejected, match="a line runs past"):
        _read(DelimitedFormat(delimiter="|"), path)


def test_a_last_line_of_spaces_is_a_malformed_row_not_dropped(tmp_path):
    from pembina.sources.base import DelimitedFormat

    path = tmp_path / "export.csv"
    path.write_text("NIP|Nama\n198503122010011003|Andi\n   ", encoding="utf-8")
    _columns, rows, numbers, malformed = _read(DelimitedFormat(delimiter="|"), path)
    assert rows == [{"nip": "198503122010011003", "nama": "Andi"}] and numbers == [1]
    assert malformed == [(2, "   ")]
