"""The format readers: text columns named as in the file, data-row numbers, malformed rows set aside."""

import datetime as dt
import json
import re

import pyarrow as pa
import pytest
from openpyxl import Workbook

from pembina.contracts import checks
from pembina.ingest import formats
from pembina.ingest.formats import _json_lines_fast, open_file
from pembina.sources.base import FileRejected, JsonFormat, JsonLinesFormat, XlsxFormat


def _read(fmt, path):
    opened = open_file(fmt, path)
    batches = list(opened.batches)
    table = pa.concat_tables([batch.table for batch in batches])
    numbers = [int(n) for batch in batches for n in batch.row_numbers]
    malformed = [(item.number, item.text) for batch in batches for item in batch.malformed]
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
    assert _json_lines_fast(path.read_bytes()) is not None  # Arrow's block reader, not the line-by-line one
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


def _people(count: int) -> list[dict]:
    return [{"nip": f"1985031220100110{i:02d}", "n": i, "score": i / 4} for i in range(1, count + 1)]


def test_json_is_parsed_by_ijsons_c_backend():
    assert formats.ijson.backend == "yajl2_c"


def test_a_json_document_read_in_several_batches_reads_as_in_one(tmp_path, monkeypatch):
    document = {"data": [*_people(4), "rusak", *_people(7)[4:]], "jumlah": 8}
    path = tmp_path / "a.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    fmt = JsonFormat(list_key="data", count_key="jumlah")
    whole = _read(fmt, path)
    monkeypatch.setattr(formats, "JSON_CHUNK_ROWS", 3)
    assert len(list(open_file(fmt, path).batches)) == 3
    assert _read(fmt, path) == whole
    columns, rows, numbers, malformed = whole
    assert columns == ["nip", "n", "score"] and numbers == [1, 2, 3, 4, 6, 7, 8] and malformed == [(5, '"rusak"')]
    assert rows[0] == {"nip": "198503122010011001", "n": "1", "score": "0.25"} and rows[-1]["score"] == "1.75"


def test_a_key_first_seen_in_a_late_batch_is_a_column_of_every_batch(tmp_path, monkeypatch):
    records = _people(5)
    records[4]["late"] = {"key": "x"}
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"data": records}), encoding="utf-8")
    monkeypatch.setattr(formats, "JSON_CHUNK_ROWS", 2)
    opened = open_file(JsonFormat(list_key="data"), path)
    assert opened.columns == ["nip", "n", "score", "late.key"]
    assert all(batch.table.column_names == opened.columns for batch in opened.batches)
    _columns, rows, _, _ = _read(JsonFormat(list_key="data"), path)
    assert [row["late.key"] for row in rows] == [None, None, None, None, "x"]


def test_the_declared_count_may_follow_the_list(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"data": ' + json.dumps(_people(3)) + ', "jumlah": 3}', encoding="utf-8")
    assert _read(JsonFormat(list_key="data", count_key="jumlah"), path)[2] == [1, 2, 3]
    path.write_text('{"data": ' + json.dumps(_people(3)) + ', "jumlah": 4}', encoding="utf-8")
    with pytest.raises(FileRejected, match="jumlah=4 but 'data' holds 3 records: truncated"):
        open_file(JsonFormat(list_key="data", count_key="jumlah"), path)


def test_a_syntax_error_past_the_first_batch_rejects_the_file_before_any_batch(tmp_path, monkeypatch):
    monkeypatch.setattr(formats, "JSON_CHUNK_ROWS", 2)
    text = json.dumps({"data": _people(6)})
    path = tmp_path / "a.json"
    path.write_text(text.replace('"n": 5,', '"n": 5,,'), encoding="utf-8")
    with pytest.raises(FileRejected, match=r"malformed JSON: invalid object key .* \(after record 4 of 'data'\)$"):
        open_file(JsonFormat(list_key="data"), path)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"data": {"a": 1}}', "'data' is a dict, not a list"),
        ('{"jumlah": 0, "lain": []}', "the JSON document has no 'data' list (keys: jumlah, lain)"),
        ('[{"a": 1}]', "the JSON document is a list, not an object"),
        ('{"data": [{"a": 1}', "malformed JSON: premature EOF (after record 1 of 'data')"),
        ('{"data": [] "b": 1}', "malformed JSON: after key and value, inside map, I expect ',' or '}'"),
    ],
)
def test_a_document_without_its_list_is_rejected_naming_why(tmp_path, text, reason):
    path = tmp_path / "a.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileRejected, match=re.escape(reason)):
        open_file(JsonFormat(list_key="data"), path)


def test_an_empty_list_reads_as_no_rows(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"data": [], "jumlah": 0}', encoding="utf-8")
    assert _read(JsonFormat(list_key="data", count_key="jumlah"), path) == ([], [], [], [])


def test_json_lines_read_in_blocks_number_lines_and_find_late_keys_and_bad_lines(tmp_path, monkeypatch):
    lines = [json.dumps(record) for record in _people(9)]
    lines[7] = '{"nip": "198503122010011008", "n": 8, "score": 2.0, "late": true}'
    lines[8] = "{broken"
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join([*lines, "", json.dumps(_people(10)[9])]) + "\n", encoding="utf-8")
    whole = _read(JsonLinesFormat(), path)
    monkeypatch.setattr(formats, "CHUNK_BYTES", 100)  # about two lines a block
    opened = open_file(JsonLinesFormat(), path)
    assert len(list(opened.batches)) > 3
    assert _read(JsonLinesFormat(), path) == whole
    columns, rows, numbers, malformed = whole
    assert columns == ["nip", "n", "score", "late"]
    assert numbers == [1, 2, 3, 4, 5, 6, 7, 8, 11] and malformed == [(9, "{broken")]
    assert [row["late"] for row in rows] == [None] * 7 + ["true", None] and rows[7]["score"] == "2"


def test_json_lines_keep_timestamps_as_text_also_inside_an_object(tmp_path):
    stamp = "2024-03-02T09:15:00+09:00"
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"at": stamp, "inner": {"at": stamp}}) + "\n", encoding="utf-8")
    columns, rows, _, _ = _read(JsonLinesFormat(), path)
    assert columns == ["at", "inner.at"] and rows == [{"at": stamp, "inner.at": stamp}]


def test_json_lines_in_a_legacy_encoding_are_read_in_batches_of_lines(tmp_path, monkeypatch):
    path = tmp_path / "a.jsonl"
    records = [{"nama": "Agustinus Rumbiak"}, {"nama": "José"}, {"nama": "Frans Mansoben", "ok": False}]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="cp1252")
    monkeypatch.setattr(formats, "JSON_CHUNK_ROWS", 2)
    columns, rows, numbers, _ = _read(JsonLinesFormat(encodings=("utf-8", "cp1252")), path)
    assert columns == ["nama", "ok"] and numbers == [1, 2, 3]
    assert rows[1] == {"nama": "José", "ok": None} and rows[2]["ok"] == "false"


def test_a_json_line_without_end_past_the_limit_is_a_rejection(tmp_path, monkeypatch):
    monkeypatch.setattr(formats, "CHUNK_BYTES", 64)
    monkeypatch.setattr(formats, "MAX_LINE_BYTES", 256)
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"x": "y" * 1000}) + "\n", encoding="utf-8")
    with pytest.raises(FileRejected, match="a line runs past"):
        open_file(JsonLinesFormat(), path)


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


# -- real exports: encodings per row, RFC 4180 quoting, truncation, wrong delimiters ------------------------


STRAY, UNDEFINED, NUL = b"\x92", b"\x81", b"\x00"


def _records(path, delimiter="|", encodings=("utf-8", "cp1252")):
    """(encoding, rows, record numbers, set-aside records as (number, rule, message))."""
    from pembina.sources.base import DelimitedFormat

    opened = open_file(DelimitedFormat(delimiter=delimiter, encodings=encodings), path)
    batches = list(opened.batches)
    rows = [row for batch in batches for row in batch.table.to_pylist()]
    numbers = [int(n) for batch in batches for n in batch.row_numbers]
    set_aside = [(item.number, item.rule, item.message) for batch in batches for item in batch.malformed]
    return opened.encoding, rows, numbers, set_aside


def _rules(set_aside):
    return [(number, rule) for number, rule, _ in set_aside]


def test_a_stray_byte_in_a_utf8_file_sets_aside_its_row_only(tmp_path):
    path = tmp_path / "export.csv"
    lines = ["NIP|Nama", "1|Élise Mandacan", "2|Andi\x92s", "3|Yohanes Ayomí", "4|Mária"]
    data = "\n".join(lines).encode("utf-8").replace(b"\xc2\x92", b"\x92") + b"\n"
    path.write_bytes(data)
    encoding, rows, numbers, set_aside = _records(path)
    assert encoding == "utf-8"
    assert [row["nama"] for row in rows] == ["Élise Mandacan", "Yohanes Ayomí", "Mária"] and numbers == [1, 3, 4]
    [(number, rule, message)] = set_aside
    assert (number, rule) == (2, "invalid_encoding")
    assert f"byte offset {data.index(STRAY)}" in message and "0x92" in message


def test_a_legacy_file_is_windows_1252_and_its_undefined_bytes_set_aside_their_row(tmp_path):
    path = tmp_path / "export.csv"
    text = "NIP|Nama\n1|Jum’at Café\n2|André\n"
    data = text.encode("cp1252") + b"3|Ob" + UNDEFINED + b"eth\n" + "4|Señor\n".encode("cp1252")
    path.write_bytes(data)
    encoding, rows, numbers, set_aside = _records(path)
    assert encoding == "cp1252"
    assert [row["nama"] for row in rows] == ["Jum’at Café", "André", "Señor"] and numbers == [1, 2, 4]
    [(number, rule, message)] = set_aside
    assert (number, rule) == (3, "invalid_encoding") and f"byte offset {data.index(UNDEFINED)}" in message


def test_latin1_declared_is_read_as_windows_1252(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("NIP|Nama\n1|Jum’at\n".encode("cp1252"))
    encoding, rows, _, _ = _records(path, encodings=("utf-8", "latin-1"))
    assert encoding == "cp1252" and rows == [{"nip": "1", "nama": "Jum’at"}]


def test_a_utf8_only_source_reads_a_legacy_file_row_by_row(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("NIP|Nama\n1|André\n2|Obeth\n".encode("cp1252"))
    encoding, _rows, numbers, set_aside = _records(path, encodings=("utf-8",))
    assert encoding == "utf-8" and numbers == [2] and _rules(set_aside) == [(1, "invalid_encoding")]


def test_a_nul_byte_sets_aside_its_row_not_the_file(tmp_path):
    path = tmp_path / "export.csv"
    data = b"NIP|Nama\n1|Andi\n2|Ob\x00eth\n3|Maria\n"
    path.write_bytes(data)
    _, rows, numbers, set_aside = _records(path)
    assert numbers == [1, 3] and [row["nama"] for row in rows] == ["Andi", "Maria"]
    assert set_aside == [(2, "nul_byte", f"a NUL byte at byte offset {data.index(NUL)}")]


def test_binary_files_are_still_rejected(tmp_path):
    from pembina.sources.base import DelimitedFormat

    path = tmp_path / "export.csv"
    path.write_bytes(b"NIP|Nama\n" + b"\x00\x01\x02PK\x03\x04" * 100)
    with pytest.raises(FileRejected, match="binary"):
        open_file(DelimitedFormat(delimiter="|"), path)


QUOTED = (
    "NIP|Nama|Alamat\n"
    '1|"Rumbewas|Andi"|"Jl. ""Trikora""\nWosi\r\nManokwari"\n'
    "2|Ayomi|Amban\n"
    "\n"
    '3|"Mandacan, S.Pd."|"Jl. Merdeka\n\nNo. 5"\n'
    "4|Obeth|Prafi\n"
)


@pytest.mark.parametrize("block_bytes", [1 << 20, 5, 23])
def test_quoted_fields_hold_delimiters_quotes_and_line_breaks_across_blocks(tmp_path, monkeypatch, block_bytes):
    from pembina.ingest import formats

    monkeypatch.setattr(formats, "BLOCK_BYTES", block_bytes)
    path = tmp_path / "export.csv"
    path.write_text(QUOTED, encoding="utf-8")
    _, rows, numbers, set_aside = _records(path)
    assert set_aside == []
    assert rows == [
        {"nip": "1", "nama": "Rumbewas|Andi", "alamat": 'Jl. "Trikora"\nWosi\r\nManokwari'},
        {"nip": "2", "nama": "Ayomi", "alamat": "Amban"},
        {"nip": "3", "nama": "Mandacan, S.Pd.", "alamat": "Jl. Merdeka\n\nNo. 5"},
        {"nip": "4", "nama": "Obeth", "alamat": "Prafi"},
    ]
    assert numbers == [1, 2, 4, 5]  # records, not lines: the blank line is record 3


UNBALANCED = (
    "NIP|Nama|Alamat\n"
    '1|"Andi|Wosi\n'  # a stray quote: the line is set aside, reading resumes at the next
    "2|Maria|Amban\n"
    '3|Obeth|Prafi 5"\n'  # a quote inside a field is a character
    '4|a"|"Sowi\n'  # an even number of quotes, but the second opens a field its line end does not close
    '5|Yohanes|"Jl. Yos\nSudarso"\n'
    "6|Ance|Sanggeng\n"
)


@pytest.mark.parametrize("block_bytes", [1 << 20, 9])
def test_a_stray_quote_sets_aside_its_line_and_reading_resumes(tmp_path, monkeypatch, block_bytes):
    from pembina.ingest import formats

    monkeypatch.setattr(formats, "BLOCK_BYTES", block_bytes)
    path = tmp_path / "export.csv"
    path.write_text(UNBALANCED, encoding="utf-8")
    _, rows, numbers, set_aside = _records(path)
    assert [row["nip"] for row in rows] == ["2", "3", "5", "6"] and numbers == [2, 3, 5, 6]
    assert rows[1]["alamat"] == 'Prafi 5"' and rows[2]["alamat"] == "Jl. Yos\nSudarso"
    assert _rules(set_aside) == [(1, "unbalanced_quote"), (4, "unbalanced_quote")]
    assert all("quote" in message and "Arrow" not in message and len(message) < 300 for *_, message in set_aside)


def test_a_quote_runs_at_most_a_hundred_line_ends(tmp_path):
    path = tmp_path / "export.csv"
    rows = [f"{n}|Nama {n}|Alamat" for n in range(2, 160)]
    path.write_text("\n".join(["NIP|Nama|Alamat", '1|"Andi|Wosi', *rows, '160|x"|y']) + "\n", encoding="utf-8")
    _, loaded, numbers, set_aside = _records(path)
    assert _rules(set_aside) == [(1, "unbalanced_quote")]
    assert numbers == list(range(2, 161)) and loaded[-1] == {"nip": "160", "nama": 'x"', "alamat": "y"}


@pytest.mark.parametrize(
    ("last", "rule"),
    [("5|Obeth", "truncated_row"), ('5|Obeth|"Jl. Trikora', "truncated_row"), ("5|Obeth|Prafi|x", "malformed_row")],
)
def test_a_last_record_cut_short_is_truncated(tmp_path, last, rule):
    path = tmp_path / "export.csv"
    path.write_text("NIP|Nama|Alamat\n1|Andi|Wosi\n" + last, encoding="utf-8")
    _, _rows, numbers, set_aside = _records(path)
    assert numbers == [1] and _rules(set_aside) == [(2, rule)]


def test_a_complete_last_record_without_a_line_end_loads(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text('NIP|Nama|Alamat\n1|Andi|Wosi\n2|Obeth|"Jl. Trikora\nWosi"', encoding="utf-8")
    _, rows, numbers, set_aside = _records(path)
    assert numbers == [1, 2] and set_aside == [] and rows[1]["alamat"] == "Jl. Trikora\nWosi"


def test_a_bare_carriage_return_is_a_malformed_row_not_a_new_record(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b'NIP|Nama|Alamat\r\n1|Andi\r2|Wosi\r\n3|"Obeth\rAyomi"|Prafi\r\n')
    _, rows, numbers, set_aside = _records(path)
    assert numbers == [2] and rows == [{"nip": "3", "nama": "Obeth\rAyomi", "alamat": "Prafi"}]
    assert _rules(set_aside) == [(1, "malformed_row")] and "carriage return" in set_aside[0][2]


@pytest.mark.parametrize(("delimiter", "other", "named"), [("|", ";", "';'"), (";", "\t", "tab"), (",", "|", "'|'")])
def test_a_header_split_on_another_delimiter_is_rejected_naming_both(tmp_path, delimiter, other, named):
    path = tmp_path / "export.csv"
    path.write_text(other.join(["NIP", "Nama", "Alamat"]) + "\n" + other.join(["1", "Andi", "Wosi"]) + "\n")
    with pytest.raises(FileRejected, match=f"wrong_delimiter: .*{re.escape(repr(delimiter))}.* but 3 on {named}"):
        _records(path, delimiter=delimiter)


def _form_workbook(path, sheets):
    """One sheet per form: (title, [(label, value)], table header, rows), the table header on row 4."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, block, header, rows in sheets:
        sheet = workbook.create_sheet(title)
        for pair in block:
            sheet.append(list(pair))
        sheet.append([])
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    workbook.save(path)


def test_form_sheets_number_records_through_the_workbook_and_set_a_differing_sheet_aside(tmp_path):
    from pembina.sources.base import FormSheets

    path = tmp_path / "forum.xlsx"
    _form_workbook(
        path,
        [
            ("A", [("Kode", "F1"), ("Tanggal", dt.datetime(2025, 2, 10))], ["No", "Isi"], [[1, "x"], [2, "y"]]),
            ("B", [("Kode", "F2"), ("Tanggal", "11/02/2025")], ["No", "Isi"], [[1, "z"]]),
            ("C", [("Kode", "F3"), ("Tempat", "Prafi")], ["No", "Uraian"], [[1, "w"]]),
        ],
    )
    blocks = XlsxFormat(sheet="Forum", date_formats=(("Tanggal", "%d/%m/%Y"),), form=FormSheets(block_rows=2))
    columns, rows, numbers, malformed = _read(blocks, path)
    assert columns == ["Kode", "Tanggal"]
    assert rows == [{"Kode": "F1", "Tanggal": "10/02/2025"}, {"Kode": "F2", "Tanggal": "11/02/2025"}]
    assert numbers == [1, 2] and [number for number, _ in malformed] == [3]  # sheet C's labels differ

    tables = XlsxFormat(sheet="Forum", form=FormSheets(block_rows=2, table_header_row=4, carry=("Kode",)))
    columns, rows, numbers, malformed = _read(tables, path)
    assert columns == ["Kode", "No", "Isi"]
    assert rows == [
        {"Kode": "F1", "No": "1", "Isi": "x"},
        {"Kode": "F1", "No": "2", "Isi": "y"},
        {"Kode": "F2", "No": "1", "Isi": "z"},
    ]
    assert numbers == [1, 2, 3] and [number for number, _ in malformed] == [4]  # sheet C's table differs


def test_a_workbook_with_the_named_sheet_is_read_as_a_table_even_when_forms_are_allowed(tmp_path):
    from pembina.sources.base import FormSheets

    workbook = Workbook()
    workbook.active.title = "Forum"
    workbook.active.append(["Kode", "Tanggal"])
    workbook.active.append(["F1", "10/02/2025"])
    path = tmp_path / "semester.xlsx"
    workbook.save(path)
    columns, rows, numbers, _ = _read(XlsxFormat(sheet="Forum", form=FormSheets(block_rows=2)), path)
    assert (columns, rows, numbers) == (["Kode", "Tanggal"], [{"Kode": "F1", "Tanggal": "10/02/2025"}], [1])
