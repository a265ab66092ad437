"""Real exports' defects, each in a file written by the test from clean SIASN rows, loaded through the real
ingest into PostgreSQL: the rows that can be read load (and read as written: no mojibake), each defective
record is quarantined with its rule and its record number, and rows read = loaded + quarantined in the
audit, in raw and in the quarantine. A file that cannot be read is rejected with a short reason that echoes
no one's data."""

import json
from pathlib import Path

import pytest
from ingest_helpers import reconcile

from pembina import db
from pembina.ingest import formats, loader
from pembina.sources import get_entity

pytestmark = pytest.mark.integration

ROWS = 60
NAMA = 3  # the position of nama in a SIASN line
ALAMAT = 15


@pytest.fixture(scope="module")
def url(make_database):
    return make_database("pembina_t_file_defects")


@pytest.fixture(scope="module")
def clean(synthetic_sources) -> tuple[str, list[list[str]]]:
    """The header and ``ROWS`` rows of a synthetic SIASN export that break no rule, as lists of fields."""
    siasn = get_entity("siasn")
    manifest = json.loads((synthetic_sources / "synth_manifest.json").read_text())
    path = siasn.landing_files(synthetic_sources / "landing")[-1]
    defective = {d["row_number"] for d in manifest["defects"] if Path(d["file"]).name == path.name}
    header, *lines = path.read_text(encoding="utf-8").splitlines()
    rows = [line.split("|") for number, line in enumerate(lines, 1) if number not in defective and '"' not in line]
    return header, rows[:ROWS]


def _file(tmp_path: Path, day: int, header: str, rows: list[list[str]]) -> tuple[Path, str]:
    """The export's path and text (to be encoded by the test)."""
    return tmp_path / f"siasn_pegawai_203001{day:02d}.csv", "\n".join([header, *("|".join(r) for r in rows)]) + "\n"


def _load(url: str, path: Path) -> loader.FileResult:
    with db.connect(url) as conn:
        _, [result] = loader.ingest_paths(conn, get_entity("siasn"), [path])
    return result


def _quarantined(url: str, result: loader.FileResult) -> list[tuple[int, str, str]]:
    with db.connect(url) as conn:
        return conn.execute(
            "select row_number, rule_id, message from raw.quarantine where file_id = %s order by row_number",
            (result.file_id,),
        ).fetchall()


def _raw(url: str, result: loader.FileResult, column: str) -> dict[int, str]:
    with db.connect(url) as conn:
        rows = conn.execute(
            f"select _row_number, {column} from raw.siasn_pegawai where _file_id = %s", (result.file_id,)
        ).fetchall()
    return dict(rows)


def _loaded(url: str, result: loader.FileResult, expected_quarantine: list[tuple[int, str]]) -> list:
    """Checks the file loaded, reconciled, and quarantined exactly ``expected_quarantine``; returns the
    quarantine's messages."""
    assert result.status == "loaded", result.reason
    reconcile(url, "siasn", [result])
    quarantined = _quarantined(url, result)
    assert [(number, rule) for number, rule, _ in quarantined] == expected_quarantine
    assert result.rows_read == ROWS and result.rows_loaded == ROWS - len(expected_quarantine)
    for _, _, message in quarantined:
        assert len(message) <= 300 and "pyarrow" not in message.lower() and "CSV parse" not in message
    return [message for *_, message in quarantined]


ACCENTED = {5: "Élise Mandacan", 9: "Yohanés Ayomí", 30: "Jum’at Rumbewas"}


def _accented(rows: list[list[str]]) -> list[list[str]]:
    rows = [list(row) for row in rows]
    for number, name in ACCENTED.items():
        rows[number - 1][NAMA] = name
    return rows


def test_a_stray_byte_in_a_utf8_export_quarantines_its_row_only(url, clean, tmp_path):
    header, rows = clean
    rows = _accented(rows)
    rows[19][NAMA] = "ANDI\udc92S"  # one byte 0x92 that is not UTF-8
    path, text = _file(tmp_path, 1, header, rows)
    data = text.encode("utf-8", "surrogateescape")
    path.write_bytes(data)
    result = _load(url, path)
    [message] = _loaded(url, result, [(20, "invalid_encoding")])
    assert result.encoding == "utf-8"
    assert f"byte offset {data.index(bytes([0x92]))}" in message
    names = _raw(url, result, "nama")
    assert {number: names[number] for number in ACCENTED} == ACCENTED  # UTF-8, not decoded as Latin-1


def test_a_windows_1252_export_keeps_its_apostrophes_and_quarantines_undefined_bytes(url, clean, tmp_path):
    header, rows = clean
    rows = _accented(rows)
    rows[39][NAMA] = "OB\udc81ETH"  # 0x81: no character in Windows-1252
    path, text = _file(tmp_path, 2, header, rows)
    data = text.encode("cp1252", "surrogateescape")
    path.write_bytes(data)
    result = _load(url, path)
    [message] = _loaded(url, result, [(40, "invalid_encoding")])
    assert result.encoding == "cp1252" and f"byte offset {data.index(bytes([0x81]))}" in message
    with db.connect(url) as conn:
        recorded = conn.execute("select encoding from audit.ingested_files where file_id = %s", (result.file_id,))
        assert recorded.fetchone()[0] == "cp1252"
    names = _raw(url, result, "nama")
    assert {number: names[number] for number in ACCENTED} == ACCENTED  # ’ stays ’, é stays é


def test_a_nul_byte_quarantines_its_row_not_the_file(url, clean, tmp_path):
    header, rows = clean
    rows = [list(row) for row in rows]
    rows[10][ALAMAT] = "Jl. Trikora\x00Wosi"
    path, text = _file(tmp_path, 3, header, rows)
    path.write_bytes(text.encode("utf-8"))
    result = _load(url, path)
    [message] = _loaded(url, result, [(11, "nul_byte")])
    assert f"byte offset {text.encode().index(bytes(1))}" in message
    with db.connect(url) as conn:
        record = conn.execute("select record from raw.quarantine where file_id = %s", (result.file_id,)).fetchone()
    assert "Jl. Trikora\\x00Wosi" in record[0]["_raw_line"]


def test_quoted_fields_hold_the_delimiter_quotes_and_line_breaks_across_blocks(url, clean, tmp_path, monkeypatch):
    header, rows = clean
    rows = [list(row) for row in rows]
    addresses = {}
    for number in range(3, ROWS, 7):
        addresses[number] = f'Jl. "Trikora" {number} | Wosi\nRT 01\r\nManokwari'
        rows[number - 1][ALAMAT] = '"' + addresses[number].replace('"', '""') + '"'
    path, text = _file(tmp_path, 4, header, rows)
    path.write_bytes(text.encode("utf-8"))
    monkeypatch.setattr(formats, "BLOCK_BYTES", 1000)  # smaller than a few rows: quoted records cross blocks
    result = _load(url, path)
    _loaded(url, result, [])
    loaded = _raw(url, result, "alamat")
    assert sorted(loaded) == list(range(1, ROWS + 1))  # numbered by record, not by line
    assert {number: loaded[number] for number in addresses} == addresses


def test_a_stray_quote_quarantines_its_record_and_reading_resumes(url, clean, tmp_path):
    header, rows = clean
    rows = [list(row) for row in rows]
    rows[24][NAMA] = '"' + rows[24][NAMA]  # opens a field nothing closes
    path, text = _file(tmp_path, 5, header, rows)
    path.write_bytes(text.encode("utf-8"))
    result = _load(url, path)
    [message] = _loaded(url, result, [(25, "unbalanced_quote")])
    assert "quote" in message and "next line" in message
    assert sorted(_raw(url, result, "nama")) == [n for n in range(1, ROWS + 1) if n != 25]


def test_a_truncated_last_record_is_quarantined_as_such(url, clean, tmp_path):
    header, rows = clean
    path, text = _file(tmp_path, 6, header, rows)
    path.write_bytes(text.encode("utf-8")[: -len("|".join(rows[-1][20:])) - 1])  # cut mid-record, no line end
    result = _load(url, path)
    [message] = _loaded(url, result, [(ROWS, "truncated_row")])
    assert "no line end" in message


def test_a_complete_last_record_without_a_line_end_loads(url, clean, tmp_path):
    header, rows = clean
    path, text = _file(tmp_path, 7, header, rows)
    path.write_bytes(text.encode("utf-8").removesuffix(b"\n"))
    _loaded(url, _load(url, path), [])


def _rejected(url: str, path: Path, rows: list[list[str]]) -> str:
    result = _load(url, path)
    assert result.status == "rejected" and result.rows_read == 0
    with db.connect(url) as conn:
        recorded = conn.execute("select reason from audit.ingested_files where file_id = %s", (result.file_id,))
        assert recorded.fetchone()[0] == result.reason
    assert len(result.reason) <= 300
    first = rows[0]
    for value in (first[1], first[NAMA], first[11]):  # NIP, name, NIK of the first row
        assert value.strip("'") not in result.reason
    return result.reason


def test_a_file_in_another_delimiter_is_rejected_naming_both(url, clean, tmp_path):
    header, rows = clean
    path, text = _file(tmp_path, 8, header, rows)
    path.write_bytes(text.replace("|", ";").encode("utf-8"))
    reason = _rejected(url, path, rows)
    assert reason.startswith("wrong_delimiter") and "'|'" in reason and "';'" in reason


def test_a_file_without_its_header_is_rejected_without_echoing_the_first_row(url, clean, tmp_path):
    header, rows = clean
    path, text = _file(tmp_path, 9, header, rows)
    path.write_bytes(text.split("\n", 1)[1].encode("utf-8"))
    reason = _rejected(url, path, rows)
    assert "not a header" in reason
